"""The run's working directory beside the output: one finished part per chunk, and what the run was.

Each chunk leaves three parts: its records, its error list and its tally, each written
whole or not at all (files.durable). A chunk is finished when all three exist. `--resume`
keeps finished chunks and labels only the rest, so Ctrl-C, kill -9 or a power cut costs at
most the chunks in flight, and the joined output is the same bytes as an uninterrupted run's.
A part whose rename a power cut undid is simply missing, and its chunk is labelled again.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from claimlens.files.durable import write_text
from claimlens.model.errors import BadInputError

STATE = "run.json"
ERRORS, TALLY, RECORDS = ".errors.jsonl", ".tally.json", ".records"


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
            for tmp in self.path.glob(".*.tmp"):  # left by a writer that was killed
                tmp.unlink()
            return len(self.finished())
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        write_text(state_file, json.dumps(state, ensure_ascii=False, indent=1))
        return 0

    def part(self, key: tuple[int, int], suffix: str) -> Path:
        return self.path / f"{key[0]:04d}-{key[1]:08d}{suffix}"

    def finished(self) -> set[str]:
        names = {p.name for p in self.path.iterdir()}
        return {n.split(".", 1)[0] for n in names if RECORDS in n and not n.startswith(".")
                and {n.split(".", 1)[0] + s for s in (ERRORS, TALLY)} <= names}

    def is_finished(self, key: tuple[int, int], record_suffix: str) -> bool:
        return all(self.part(key, s).is_file() for s in (RECORDS + record_suffix, ERRORS, TALLY))

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
