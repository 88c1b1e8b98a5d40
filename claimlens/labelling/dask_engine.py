"""The Dask engine: label the inputs on a Dask cluster, one task per part of a file, into a directory of parts.

A worker plugin ships the model directory's bytes to each worker once and loads them there.
A first task per input cuts it into parts of about BLOCKSIZE bytes at row boundaries
(`files.tables.parts`: for CSV that is one full parse on a worker, which also counts the
rows); then each task reads its part with the same reader as the local engine, so rows,
row numbers and error reasons are the local engine's, stray quotes included. A task turns
its rows into `LabelRow`s and `RowError`s with `Columns.judge`, labels them with
`ChunkLabeller.label_items` and writes `part-NNNNN.<fmt>` with `Sink.write_part`. OUTPUT is a
directory of parts in input order (CSV/TSV parts each carry the header, so each reads on
its own); OUTPUT.errors.jsonl is one file in row order. Parts go to a hidden directory
beside OUTPUT, put in place at the end: inputs and OUTPUT's parent must be on a path every
worker sees (a shared mount). Each task checks its row count against the first pass, and
the tallies check the total, so no row goes missing.

No `--resume` and no progress bar (the Dask dashboard has one); `--chunk-rows` is unused.
"""
from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path

from claimlens.files.durable import replace_dir, staged_path, write_text
from claimlens.files.tables import Part, Source, parts, read_rows
from claimlens.labelling.engine import Outcome, Request, errors_path, plan
from claimlens.labelling.labeller import ChunkLabeller, error_lines
from claimlens.labelling.sinks import Sink, output_format
from claimlens.labelling.summary import Tally
from claimlens.model.errors import BadInputError, ConfigurationError
from claimlens.model.persistence import ARRAYS, MANIFEST, META

try:
    import dask
    from distributed import Client, LocalCluster, WorkerPlugin, get_worker
except ImportError as exc:
    raise ConfigurationError("--engine dask needs the dask extra: pip install 'claimlens[dask]'") from exc

BLOCKSIZE = 32 << 20  # bytes of input per part: minutes of labelling per task, not hours


class ModelPlugin(WorkerPlugin):
    """Loads the model once on each worker (joining workers too) from the model directory's bytes."""

    def __init__(self, files: dict[str, bytes], version: str, explain: bool, group_on: bool,
                 date_on: bool) -> None:
        self.name = f"claimlens-model-{version}-{uuid.uuid4().hex[:8]}"
        self.files, self.version, self.flags = files, version, (explain, group_on, date_on)
        self.labeller: ChunkLabeller | None = None

    def setup(self, worker) -> None:
        from claimlens.model.persistence import load_model

        tmp = Path(tempfile.mkdtemp(prefix="claimlens-model-"))
        try:
            for name, data in self.files.items():
                (tmp / name).write_bytes(data)
            model, _ = load_model(tmp)  # checks the hashes (the client checked the signature) and versions
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.labeller = ChunkLabeller(model, self.version, *self.flags)
        self.files = {}


def run_dask(request: Request, model, version: str, model_dir: Path, scheduler: str | None,
             blocksize: int | None = BLOCKSIZE) -> Outcome:
    t0 = time.perf_counter()
    if request.resume:
        raise BadInputError("--resume is not supported with --engine dask; run again without it")
    planned = plan(request)
    work = [(replace(s, path=s.path.resolve()), c, n) for s, c, n in planned]  # workers may run elsewhere
    output = request.output.resolve()
    sink = Sink(output_format(output), model.classes_, request.columns.keep, request.explain,
                any(c.reason for _, c, _ in planned))
    plugin = ModelPlugin({n: (Path(model_dir) / n).read_bytes() for n in (META, ARRAYS, MANIFEST)}, version,
                         request.explain, request.columns.group_by is not None, request.columns.date is not None)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.tmp")
    staging.mkdir()  # not mkdtemp: its 0700 mode would lock out workers running as other users
    try:
        with _client(scheduler, request.jobs) as client:
            try:
                client.register_plugin(plugin)  # raises what a worker's setup raised (ModelLoadError)
                results, total = _label(client, work, sink, staging, plugin.name, blocksize)
            finally:
                # the scheduler keeps a plugin (and the model's bytes) even when setup failed
                with suppress(Exception):  # a failed clean-up must not hide why the run failed
                    client.unregister_worker_plugin(plugin.name)
        tally, errors = Tally(), []
        for part_errors, part_tally in results:
            errors += part_errors
            tally.merge(Tally.from_json(part_tally))
        if tally.rows != total:
            raise BadInputError(f"counted {total} input rows but labelled or reported {tally.rows}; "
                                "did an input change during the run?")
        if not results:  # no rows at all: still leave a readable, empty output
            _write_part(sink, [], staging / f"part-00000{sink.part_suffix}")
        for leftover in staging.glob(".*"):  # from tasks a lost worker left half done
            leftover.unlink()
        write_text(errors_path(output), error_lines(errors))
        replace_dir(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Outcome(request.output, errors_path(request.output), tally, time.perf_counter() - t0, 0,
                   [s for s, _, _ in planned])


@contextmanager
def _client(scheduler: str | None, jobs: int):
    if scheduler:
        try:
            client = Client(scheduler, set_as_default=False)
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster, set_as_default=False) as client:
        yield client


def _label(client, planned, sink: Sink, staging: Path, plugin_name: str, blocksize) -> tuple[list, int]:
    """(errors, tally json) per part in input order, and the number of rows the first pass counted."""
    cut = client.gather(client.compute([dask.delayed(parts)(s, blocksize) for s, _, _ in planned]))
    tasks = []
    for (source, cols, name), file_parts in zip(planned, cut):
        for part in file_parts:
            path = staging / f"part-{len(tasks):05d}{sink.part_suffix}"
            tasks.append(dask.delayed(_label_part, pure=False)(part, plugin_name, source, cols, name, sink, path))
    return client.gather(client.compute(tasks)), sum(p.rows for file_parts in cut for p in file_parts)


def _label_part(part: Part, plugin_name: str, source: Source, cols, file_name: str | None, sink: Sink,
                path: Path) -> tuple[list[dict], dict]:
    """Label one part of a file, write its part file, return its error entries and tally."""
    labeller = get_worker().plugins[plugin_name].labeller
    columns = list(cols.wanted) if source.format == "parquet" else None
    items = [cols.judge(raw) for raw in read_rows(source, columns, part)]
    if len(items) != part.rows:
        raise BadInputError(f"{source.path}: a part has {len(items)} rows where the first pass counted "
                            f"{part.rows}; did the file change during the run?")
    records, errors, tally = labeller.label_items(items, file_name)
    _write_part(sink, records, path)
    return errors, tally.to_json()


def _write_part(sink: Sink, records: list[dict], path: Path) -> None:
    with staged_path(path, sync_dir=False) as tmp:  # the directory is synced once, when it is put in place
        if sink.fmt in ("csv", "tsv"):  # join() adds the header, so each part reads on its own
            body = tmp.with_name(tmp.name + ".body")
            try:
                sink.write_part(records, body)
                sink.join([body], tmp)
            finally:
                body.unlink(missing_ok=True)
        else:
            sink.write_part(records, tmp)
