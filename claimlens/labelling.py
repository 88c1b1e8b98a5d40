"""Label a JSONL file: one record per good line, one error entry (row, reason) per bad line."""
from __future__ import annotations

import json
import os
from pathlib import Path

from model.errors import BadInputError

CHUNK = 512
MAX_TEXT = 20_000


def _parse(line: bytes, row: int) -> tuple[str | None, str] | str:
    """(id, text) for a good line, or the reason it is bad."""
    try:
        rec = json.loads(line.decode("utf-8-sig" if row == 1 else "utf-8"))
    except UnicodeDecodeError as exc:
        return f"undecodable bytes at byte {exc.start}: not UTF-8"
    except ValueError as exc:
        return f"malformed JSON: {exc}"
    if not isinstance(rec, dict):
        return "malformed JSON: expected an object"
    text = rec.get("text")
    if not isinstance(text, str):
        return "missing text field" if text is None else f"text is {type(text).__name__}, not a string"
    if not text.strip():
        return "empty text"
    if len(text) > MAX_TEXT:
        return f"over-long text ({len(text)} characters, limit {MAX_TEXT})"
    rid = rec.get("id", row)
    return (rid, text)


def label_jsonl(estimator, version: str, src: Path, dst: Path, explain: bool = True) -> tuple[int, int]:
    """Write dst (and dst.errors.jsonl) via temporary files renamed at the end; returns (labelled, errors)."""
    if not src.is_file():
        raise BadInputError(f"no such file: {src}")
    err_path = dst.with_name(dst.name + ".errors.jsonl")
    tmp, err_tmp = dst.with_name(f".{dst.name}.tmp"), err_path.with_name(f".{err_path.name}.tmp")
    done = bad = 0
    with src.open("rb") as fin, tmp.open("w", encoding="utf-8") as out, err_tmp.open("w", encoding="utf-8") as err:
        chunk: list[tuple[object, str]] = []

        def flush() -> None:
            for (rid, _), pred in zip(chunk, estimator.predict_explained([t for _, t in chunk], explain)):
                out.write(json.dumps(pred.to_record(rid, version, explain), ensure_ascii=False) + "\n")
            chunk.clear()

        for row, line in enumerate(fin, 1):
            if not line.strip():
                parsed = "empty line"
            else:
                parsed = _parse(line, row)
            if isinstance(parsed, str):
                flush()  # keep the output in input order around the gap
                err.write(json.dumps({"row": row, "reason": parsed}, ensure_ascii=False) + "\n")
                bad += 1
                continue
            chunk.append(parsed)
            done += 1
            if len(chunk) >= CHUNK:
                flush()
        flush()
    os.replace(tmp, dst)
    os.replace(err_tmp, err_path)
    return done, bad
