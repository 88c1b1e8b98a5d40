"""The model registry: a directory of immutable model versions, and which one is current.

    <root>/<version>/       one model each (persistence.py), never changed once written
    <root>/registry.json    {"current", "history": [older ..., current], "log": [{at, action, version, previous}]}

`promote` makes a version current and pushes it on the history; `rollback` pops the current one
and makes the one before it current again. registry.json is written durably (a new file renamed
into place, see claimlens/files/durable.py) under a lock file, so two promotions at once cannot
lose one. Without registry.json the newest version is current, as before the registry existed;
the service and the commands serve `current()`, and `newest()` stays for listing.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import re
from datetime import datetime, timezone
from pathlib import Path

from claimlens.files.durable import write_text
from claimlens.model.errors import ModelLoadError
from claimlens.model.persistence import MANIFEST

_VERSION = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
REGISTRY = "registry.json"


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

    # -- the registry ------------------------------------------------------------------------
    def current(self) -> Path | None:
        """The promoted version, else (nothing promoted yet) the newest."""
        name = self._read().get("current")
        if name is None:
            return self.newest()
        return self._existing(name, f"{self.root / REGISTRY} names {name} as current, but")

    def history(self) -> list[str]:
        """Promoted versions, oldest first; the last is current (empty before the first promotion)."""
        return list(self._read().get("history", []))

    def log(self) -> list[dict]:
        return list(self._read().get("log", []))

    def promote(self, version: str, action: str = "promote") -> tuple[str | None, str]:
        """Make `version` current; returns (previous current version, new current version)."""
        with self._locked():
            self._existing(version, "cannot promote:")
            state = self._read()
            history = list(state.get("history", []))
            previous = self._current_name(state)
            if not history and previous is not None:
                history = [previous]  # the newest was current implicitly: rollback returns to it
            if previous != version:
                history.append(version)
            self._write(history, state.get("log", []), action, version, previous)
            return previous, version

    def rollback(self) -> tuple[str, str]:
        """Make the version promoted before the current one current again; returns (previous, new)."""
        with self._locked():
            state = self._read()
            history = list(state.get("history", []))
            if len(history) < 2:
                raise ModelLoadError("nothing to roll back to: no version was promoted before the current one",
                                     {"history": history})
            previous = history.pop()
            self._existing(history[-1], "cannot roll back:")
            self._write(history, state.get("log", []), "rollback", history[-1], previous)
            return previous, history[-1]

    def _current_name(self, state: dict) -> str | None:
        if state.get("current"):
            return state["current"]
        newest = self.newest()
        return newest.name if newest else None

    def _existing(self, name: str, context: str) -> Path:
        directory = self.root / name
        if not (_VERSION.match(name) and (directory / MANIFEST).is_file()):
            raise ModelLoadError(f"{context} there is no model version {name} in {self.root} "
                                 f"(`claimlens models list` shows them)", {"version": name})
        return directory

    def _read(self) -> dict:
        path = self.root / REGISTRY
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot read {path}: {exc}", {"path": str(path)}) from None
        if not isinstance(state, dict) or not isinstance(state.get("history", []), list):
            raise ModelLoadError(f"{path} is not a model registry (a JSON object with a history list)",
                                 {"path": str(path)})
        return state

    def _write(self, history: list[str], log: list[dict], action: str, version: str, previous: str | None) -> None:
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        entry = {"at": at, "action": action, "version": version, "previous": previous}
        state = {"current": history[-1], "history": history, "log": [*log, entry]}
        write_text(self.root / REGISTRY, json.dumps(state, indent=2) + "\n")

    @contextlib.contextmanager
    def _locked(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".registry.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
