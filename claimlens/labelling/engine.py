"""The local engine: stream the inputs in chunks, label them in this process or in `jobs` worker
processes, commit each chunk's parts, then join the parts into the output and error report.

Memory stays flat because only a bounded number of chunks is in flight at a time; the
output keeps input order because parts are joined by (file, chunk) number, not by the
order in which workers finish.
"""
from __future__ import annotations

import gc
import glob
import os
import signal
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

from claimlens.files.durable import open_atomic, staged_path
from claimlens.files.tables import Source, header, open_source, read_rows, rows_total
from claimlens.labelling.labeller import ChunkLabeller
from claimlens.labelling.progress import Progress
from claimlens.labelling.rows import Columns
from claimlens.labelling.sinks import Sink, output_format
from claimlens.labelling.summary import Tally
from claimlens.labelling.workdir import ERRORS, RECORDS, TALLY, WorkDir
from claimlens.model.errors import BadInputError

CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Request:
    inputs: tuple[Path, ...]
    output: Path
    columns: Columns = Columns()
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    explain: bool = True
    jobs: int = 1
    resume: bool = False
    chunk_rows: int = CHUNK_ROWS
    progress: bool | None = None  # None: only on a terminal
    model_key: bytes | None = field(default=None, repr=False)  # workers check the signature with it


@dataclass
class Outcome:
    output: Path
    errors_path: Path
    tally: Tally
    seconds: float
    resumed_chunks: int = 0
    sources: list = field(default_factory=list)
    rows_this_run: int | None = None  # rows labelled or reported in this run (not in resumed chunks); None: all


def expand_inputs(patterns) -> tuple[Path, ...]:
    """Paths from arguments that may be globs the shell did not expand (quoted, or on Windows)."""
    paths: list[Path] = []
    for p in patterns:
        p = str(p)
        matches = sorted(glob.glob(p)) if any(ch in p for ch in "*?[") else [p]
        if not matches:
            raise BadInputError(f"no file matches {p!r}")
        paths += [Path(m) for m in matches]
    if not paths:
        raise BadInputError("no input files")
    return tuple(paths)


def plan(request: Request) -> list[tuple[Source, Columns, str | None]]:
    """Each input's source, settled columns and name for the error report (None for a lone input)."""
    if any(p.resolve() == request.output.resolve() for p in request.inputs):
        raise BadInputError(f"the output {request.output} is also an input")
    output_format(request.output)
    several = len(request.inputs) > 1
    planned = []
    for path in request.inputs:
        source = open_source(path, request.format, request.encoding, request.delimiter)
        cols = replace(request.columns, id_prefix=f"{path.name}:") if several else request.columns
        planned.append((source, cols.settle(header(source), str(path)), path.name if several else None))
    return planned


def errors_path(output: Path) -> Path:
    return output.with_name(output.name + ".errors.jsonl")


def run_local(request: Request, model, version: str, model_dir: Path) -> Outcome:
    t0 = time.perf_counter()
    planned = plan(request)
    classes = list(model.classes_)
    sink = Sink(output_format(request.output), classes, request.columns.keep, request.explain,
                any(c.reason for _, c, _ in planned))
    workdir = WorkDir(request.output)
    resumed = workdir.start(_state(request, planned, version), request.resume)
    labeller = ChunkLabeller(model, version, request.explain, request.columns.group_by is not None,
                             request.columns.date is not None)
    progress = Progress(sum(_units(s) for s, _, _ in planned), request.progress)
    gc.freeze()  # the model's objects live for the whole run; don't rescan them in every collection
    try:
        if request.jobs <= 1:
            keys, fresh = _label_in_process(planned, labeller, workdir, sink, request.chunk_rows, progress)
        else:
            keys, fresh = _label_in_pool(planned, labeller, workdir, sink, request, model_dir, progress)
    finally:
        progress.close()
    tally = Tally()
    for key in keys:
        tally.merge(Tally.load(workdir.part(key, TALLY)))
    with staged_path(request.output) as tmp:
        sink.join([workdir.part(k, RECORDS + sink.part_suffix) for k in keys], tmp)
    with open_atomic(errors_path(request.output), "wb") as out:
        for k in keys:
            out.write(workdir.part(k, ERRORS).read_bytes())
    workdir.remove()
    return Outcome(request.output, errors_path(request.output), tally, time.perf_counter() - t0, resumed,
                   [s for s, _, _ in planned], fresh)


def _state(request: Request, planned, version: str) -> dict:
    """What must not change between an interrupted run and its resumption."""
    files = []
    for source, cols, _ in planned:
        st = source.path.stat()
        files.append({"path": str(source.path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                      "format": source.format, "encoding": source.encoding, "delimiter": source.delimiter,
                      "columns": list(cols.wanted), **({"reason_column": cols.reason} if cols.reason else {})})
    return {"inputs": files, "model": version, "explain": request.explain, "chunk_rows": request.chunk_rows,
            "output": output_format(request.output), "keep": list(request.columns.keep),
            "group_by": request.columns.group_by, "date_column": request.columns.date}


def _units(source: Source) -> int:
    return rows_total(source) if source.format == "parquet" else source.size


def _chunks(planned, chunk_rows: int):
    """(key, items, file name, progress units done) for every chunk, in input order."""
    offset = 0
    for fi, (source, cols, name) in enumerate(planned):
        items, ci, position, units = [], 0, 0, _units(source)
        for raw in read_rows(source, list(cols.wanted) if source.format == "parquet" else None):
            position = raw.position
            items.append(cols.judge(raw))
            if len(items) == chunk_rows:
                yield (fi, ci), items, name, offset + position
                items, ci = [], ci + 1
        if items or ci == 0:
            yield (fi, ci), items, name, offset + units
        offset += units


def _label_in_process(planned, labeller, workdir, sink, chunk_rows, progress) -> tuple[list, int]:
    """(chunk keys in order, rows labelled or reported in this run)."""
    rows, fresh, keys = 0, 0, []
    for key, items, name, done in _chunks(planned, chunk_rows):
        if not workdir.is_finished(key, sink.part_suffix):
            fresh += labeller.run_chunk(workdir, sink, key, items, name)
        keys.append(key)
        rows += len(items)
        progress.update(rows, done)
    return keys, fresh


_WORKER: dict = {}


def _init_worker(model_dir: str, model_key: bytes | None, version: str, explain: bool, group_on: bool,
                 date_on: bool, workdir: str, output: str, sink_args: tuple) -> None:
    from claimlens.model.persistence import load_model

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    model, _ = load_model(Path(model_dir), model_key)  # tokenisers load per language, when needed
    gc.freeze()
    _WORKER["labeller"] = ChunkLabeller(model, version, explain, group_on, date_on)
    _WORKER["workdir"] = WorkDir(Path(output))
    _WORKER["sink"] = Sink(*sink_args)


def _work(key, items, name) -> int:
    return _WORKER["labeller"].run_chunk(_WORKER["workdir"], _WORKER["sink"], key, items, name)


def _label_in_pool(planned, labeller, workdir, sink, request: Request, model_dir: Path, progress) -> tuple[list, int]:
    """Chunks go to `jobs` processes, each loading the model once; at most 2 chunks per worker in flight."""
    sink_args = (sink.fmt, sink.classes, sink.keep, sink.explain, sink.reasons)
    init = (str(model_dir), request.model_key, labeller.version, labeller.explain, labeller.group_on,
            labeller.date_on, str(workdir.path), str(request.output), sink_args)
    rows, fresh, keys = 0, 0, []
    with ProcessPoolExecutor(request.jobs, mp_context=get_context("spawn"), initializer=_init_worker,
                             initargs=init) as pool:
        pending: deque = deque()
        try:
            for key, items, name, done in _chunks(planned, request.chunk_rows):
                keys.append(key)
                if workdir.is_finished(key, sink.part_suffix):
                    rows += len(items)
                    progress.update(rows, done)
                    continue
                pending.append((pool.submit(_work, key, items, name), done))
                while len(pending) >= 2 * request.jobs:
                    future, d = pending.popleft()
                    n = future.result()
                    rows, fresh = rows + n, fresh + n
                    progress.update(rows, d)
            while pending:
                future, d = pending.popleft()
                n = future.result()
                rows, fresh = rows + n, fresh + n
                progress.update(rows, d)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return keys, fresh


def cpu_jobs(jobs: int) -> int:
    """`--jobs 0` means one per core."""
    return jobs if jobs > 0 else (os.cpu_count() or 1)
