"""The Dask engine: label the inputs on a Dask cluster, one task per partition, into a directory of parts.

A worker plugin ships the model directory's bytes to each worker once and loads them there;
tasks carry only their partition. A task turns its rows into `LabelRow`s and `RowError`s with
`Columns.to_row`, labels them with `ChunkLabeller.label` and writes `part-NNNNN.<fmt>` with
`Sink.write_part`, so records are the local engine's. OUTPUT is a directory of parts in input
order (CSV/TSV parts each carry the header, so each reads on its own); OUTPUT.errors.jsonl
is one file in row order. Parts go to a hidden directory beside OUTPUT, renamed into place at
the end: inputs and OUTPUT's parent must be on a path every worker sees (a shared mount).
A first pass counts each partition's rows, so a task knows the row number of its first row,
and checks the sum against the local engine's own reader; the tasks and the tallies check it
again, so no row goes missing.

Unlike the local engine: CSV is parsed by pandas' Python engine (the csv module, strict, as
the local engine uses it); blank lines and short rows are row errors without the physical
line number, but a line the csv module rejects (too many fields, a stray quote) fails the
whole file: `--engine local` reports such lines row by row. A CSV whose byte blocks do not
parse, or lose rows, apart (a block boundary inside a quoted multi-line field, or before a
line that repeats the header) is parsed whole on one worker, then split; the failed attempt
shows in the workers' logs. JSONL is split into lines, each judged as the local engine does
(not `dd.read_json`, which fails a block on one bad line and turns gappy integers into floats).
No `--resume` and no progress bar (the Dask dashboard has one); `--chunk-rows` is unused.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path

from claimlens.labelling.engine import Outcome, Request, errors_path, plan
from claimlens.labelling.labeller import ChunkLabeller
from claimlens.labelling.rows import LabelRow, RowError
from claimlens.labelling.sinks import Sink, output_format
from claimlens.labelling.sources import CSV_FIELD_LIMIT, Source, parquet_rows_total, read_rows
from claimlens.labelling.summary import Tally
from claimlens.labelling.workdir import commit
from claimlens.model.errors import BadInputError, ConfigurationError
from claimlens.model.persistence import ARRAYS, MANIFEST, META

try:
    import dask
    import dask.bytes
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, WorkerPlugin, get_worker
except ImportError as exc:
    raise ConfigurationError("--engine dask needs the dask extra: pip install 'claimlens[dask]'") from exc

BLOCKSIZE = 32 << 20  # bytes of input per partition: minutes of labelling per task, not hours
LOCAL_ENGINE = "use --engine local, which reports malformed lines row by row"


class ModelPlugin(WorkerPlugin):
    """Loads the model once on each worker (joining workers too) from the model directory's bytes."""

    def __init__(self, files: dict[str, bytes], version: str, explain: bool, group_on: bool,
                 date_on: bool) -> None:
        self.name = f"claimlens-model-{version}-{uuid.uuid4().hex[:8]}"
        self.files, self.version, self.flags = files, version, (explain, group_on, date_on)
        self.labeller: ChunkLabeller | None = None

    def setup(self, worker) -> None:
        from claimlens.model.persistence import load_model

        csv.field_size_limit(CSV_FIELD_LIMIT)  # the reads run here; match the local engine's limit
        tmp = Path(tempfile.mkdtemp(prefix="claimlens-model-"))
        try:
            for name, data in self.files.items():
                (tmp / name).write_bytes(data)
            model, _ = load_model(tmp)  # checks the hashes (the client checked the signature) and versions
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.labeller = ChunkLabeller(model.warm_up(), self.version, *self.flags)
        self.files = {}


def run_dask(request: Request, model, version: str, model_dir: Path, scheduler: str | None,
             blocksize: int | None = BLOCKSIZE) -> Outcome:
    t0 = time.perf_counter()
    if request.resume:
        raise BadInputError("--resume is not supported with --engine dask; run again without it")
    planned = plan(request)
    work = [(replace(s, path=s.path.resolve()), c, n) for s, c, n in planned]  # workers may run elsewhere
    csv.field_size_limit(CSV_FIELD_LIMIT)
    output = request.output.resolve()
    sink = Sink(output_format(output), model.classes_, request.columns.keep, request.explain)
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
        if not results:  # no partitions at all: still leave a readable, empty output
            _write_part(sink, [], staging / f"part-00000{sink.part_suffix}")
        for leftover in staging.glob("*.tmp*"):  # from tasks a lost worker left half done
            leftover.unlink()
        tmp = errors_path(output).with_name(f".{errors_path(output).name}.tmp")
        tmp.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8")
        commit(tmp, errors_path(output))
        _put_in_place(staging, output)
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
    """(errors, tally json) per partition in input order, and the number of rows counted."""
    counted = _count(client, planned, blocksize)
    tasks, index = [], 0
    for (source, cols, name), (parts, lengths) in zip(planned, counted):
        start = 1
        for part, n in zip(parts, lengths):
            path = staging / f"part-{index:05d}{sink.part_suffix}"
            tasks.append(dask.delayed(_label_part, pure=False)(part, plugin_name, source, cols, name, start, n,
                                                              sink, path))
            start, index = start + n, index + 1
    return client.gather(client.compute(tasks)), sum(sum(lengths) for _, lengths in counted)


def _count(client, planned, blocksize) -> list[tuple[list, list[int]]]:
    """Each input's partitions (Delayed) and their row counts, checked against the local engine's reader."""
    totals = client.compute([dask.delayed(_rows_total)(s) for s, _, _ in planned])
    split = [_attempt(s, lambda s=s, c=c: _partitions(s, c, blocksize)) for s, c, _ in planned]
    futures = [client.compute([dask.delayed(len)(p) for p in parts]) for parts in split]
    counted = []
    for (source, cols, _), parts, lengths, total in zip(planned, split, futures, totals):
        again = source.format == "csv" and blocksize is not None
        try:
            lengths = client.gather(lengths)
        except ValueError as exc:  # pandas' ParserError, pyarrow's ArrowInvalid
            if not again:
                raise _unreadable(source, exc) from None
            lengths = None
        total = total.result()
        if again and (lengths is None or sum(lengths) != total):
            # A block boundary inside a quoted multi-line field fails pandas; one just before a line that
            # repeats the header loses that line (dask takes it for the block's header). Parse the file whole.
            parts = _attempt(source, lambda: _partitions(source, cols, None, -(-source.size // blocksize)))
            lengths = _attempt(source, lambda: client.compute([dask.delayed(len)(p) for p in parts], sync=True))
        if sum(lengths) != total:
            raise BadInputError(f"{source.path}: Dask read {sum(lengths)} rows where the local engine reads "
                                f"{total}; use --engine local")
        counted.append((parts, lengths))
    return counted


def _rows_total(source: Source) -> int:
    """Rows as the local engine's reader sees them: a check on how Dask split the file."""
    return parquet_rows_total(source) if source.format == "parquet" else sum(1 for _ in read_rows(source))


def _attempt(source: Source, read):
    try:
        return read()
    except ValueError as exc:
        raise _unreadable(source, exc) from None


def _unreadable(source: Source, exc: Exception) -> BadInputError:
    why = str(exc).rsplit("Original Message: ", 1)[-1]  # past dask's "error in the pandas backend" preamble
    return BadInputError(f"{source.path}: cannot read it: {why}; {LOCAL_ENGINE}")


def _partitions(source: Source, cols, blocksize, pieces: int = 1) -> list:
    """Delayed partitions of one input: DataFrames for CSV and Parquet, lists of line bytes for JSONL."""
    path = str(source.path)
    if source.format == "jsonl":
        _, blocks = dask.bytes.read_bytes(path, delimiter=b"\n", blocksize=blocksize, sample=False)
        return [dask.delayed(_lines)(b) for b in blocks[0]]
    # pyarrow strings cannot hold the lone surrogates that stand for undecodable bytes
    with dask.config.set({"dataframe.convert-string": False}):
        if source.format == "parquet":
            ddf = dd.read_parquet(path, columns=list(cols.wanted), index=False, dtype_backend="pyarrow")
        else:
            ddf = dd.read_csv(path, blocksize=blocksize, sep=source.delimiter, encoding=source.encoding,
                              encoding_errors="surrogateescape", dtype=object, keep_default_na=False,
                              skip_blank_lines=False, index_col=False, engine="python")
            ddf = ddf.repartition(npartitions=pieces) if pieces > 1 else ddf
        return list(ddf.to_delayed())


def _lines(block: bytes) -> list[bytes]:
    """A block's lines with their newline, as iterating over a binary file gives them."""
    lines = [line + b"\n" for line in block.split(b"\n")]
    last = lines.pop()[:-1]
    return lines + [last] if last else lines


def _label_part(part, plugin_name: str, source: Source, cols, file_name: str | None, start: int,
                expected: int, sink: Sink, path: Path) -> tuple[list[dict], dict]:
    """Label one partition, write its part file, return its error entries and tally."""
    labeller = get_worker().plugins[plugin_name].labeller
    items = _items(part, source, cols, start)
    if len(items) != expected:
        raise BadInputError(f"{source.path}: a partition has {len(items)} rows where the first pass counted "
                            f"{expected}; did the file change during the run?")
    tally, errors = Tally(), []
    for it in items:
        if isinstance(it, RowError):
            tally.add_error(it.reason)
            errors.append({"row": it.row, "reason": it.reason} if file_name is None else
                          {"file": file_name, "row": it.row, "reason": it.reason})
    records = labeller.label([it for it in items if isinstance(it, LabelRow)], tally)
    _write_part(sink, records, path)
    return errors, tally.to_json()


def _items(part, source: Source, cols, start: int) -> list:
    if source.format == "jsonl":
        return [_json_item(cols, row, line, source.encoding) for row, line in enumerate(part, start)]
    if source.format == "parquet":
        import pyarrow as pa

        rows = pa.Table.from_pandas(part, preserve_index=False).to_pylist()  # the local engine's values
        return [cols.to_row(row, fields) for row, fields in enumerate(rows, start)]
    names, items = list(part.columns), []
    for row, values in enumerate(part.itertuples(index=False, name=None), start):
        present = sum(v is not None for v in values)  # the Python engine fills missing fields with None
        items.append(cols.to_row(row, dict(zip(names, values))) if present == len(names) else
                     RowError(row, "empty line") if present == 0 else
                     RowError(row, f"malformed CSV line: {present} fields where the header has {len(names)}"))
    return items


def _json_item(cols, row: int, line: bytes, encoding: str) -> LabelRow | RowError:
    """One JSONL line, judged exactly as `sources._jsonl_rows` judges it."""
    text = line.decode(encoding, errors="surrogateescape")
    if row == 1:
        text = text.lstrip("\ufeff")
    if not text.strip():
        return RowError(row, "empty line")
    try:
        fields = json.loads(text)
    except ValueError as exc:
        return RowError(row, f"malformed JSON line: {exc}")
    if not isinstance(fields, dict):
        return RowError(row, "malformed JSON line: expected an object")
    return cols.to_row(row, fields)


def _write_part(sink: Sink, records: list[dict], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    sink.write_part(records, tmp)
    if sink.fmt in ("csv", "tsv"):  # join() adds the header, so each part reads on its own
        body, tmp = tmp, path.with_name(path.name + ".tmp-h")
        sink.join([body], tmp)
        body.unlink()
    commit(tmp, path)


def _put_in_place(staging: Path, output: Path) -> None:
    """Swap the finished directory in for whatever OUTPUT was (a file from a local run, an older directory)."""
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.old")
        os.replace(output, old)
    os.replace(staging, output)
    if old is not None:
        shutil.rmtree(old) if old.is_dir() else old.unlink()
