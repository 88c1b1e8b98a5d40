"""A directory of immutable model versions; the newest one is the current model."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from claimlens.model.persistence import MANIFEST

_VERSION = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


class ModelStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def versions(self) -> list[Path]:
        """Complete model directories, oldest first (version names sort by time)."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir()
                      if _VERSION.match(p.name) and (p / MANIFEST).is_file())

    def newest(self) -> Path | None:
        found = self.versions()
        return found[-1] if found else None

    def new_version(self, data_hash: str) -> tuple[str, Path]:
        """A fresh version name (UTC time + data hash) and its directory, which does not exist yet."""
        version = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{data_hash[:8]}"
        return version, self.root / version
