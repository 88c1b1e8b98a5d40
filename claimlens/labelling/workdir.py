"""The run's working directory beside the output: one finished part per chunk, and what the run was.

A chunk is finished when its records part exists: its error list and tally are renamed
into place first, the records last, each after an fsync. `--resume` keeps finished parts
and labels only the rest, so Ctrl-C, kill -9 or a power cut costs at most the chunks in
flight, and the joined output is the same bytes as an uninterrupted run's.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from claimlens.model.errors import BadInputError

STATE = "run.json"


class WorkDir:
    def __init__(self, output: Path) -> None:
        self.path = output.with_name(output.name + ".partial")

    def start(self, state: dict, resume: bool) -> int:
        """Prepare the directory; returns how many finished chunks a resumed run keeps."""
        state_file = self.path / STATE
        if resume and state_file.is_file():
            before = json.loads(state_file.read_text(encoding="utf-8"))
            changed = [k for k in state if before.get(k) != state[k]]
            if changed:
                raise BadInputError(f"cannot resume from {self.path}: {', '.join(changed)} changed since the "
                                    "interrupted run; run without --resume to start over")
            for tmp in self.path.glob("*.tmp"):
                tmp.unlink()
            return len(self.finished())
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        write_durably(state_file, json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"))
        return 0

    def part(self, key: tuple[int, int], suffix: str) -> Path:
        return self.path / f"{key[0]:04d}-{key[1]:08d}{suffix}"

    def finished(self) -> set[str]:
        return {p.name.split(".", 1)[0] for p in self.path.glob("*-*.records.*") if not p.name.endswith(".tmp")}

    def is_finished(self, key: tuple[int, int], record_suffix: str) -> bool:
        return self.part(key, ".records" + record_suffix).is_file()

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def commit(tmp: Path, final: Path) -> None:
    """fsync a written file and rename it into place."""
    with tmp.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, final)


def write_durably(path: Path, data: bytes) -> None:
    """Write, fsync and rename into place: after a crash the file is whole or absent."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    commit(tmp, path)
