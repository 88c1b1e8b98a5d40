"""The Dask engine: the same records, errors and counts as the local engine, on a real multi-process cluster."""
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimlens.labelling.engine import Request, run_local
from claimlens.labelling.rows import Columns, reason_kind
from claimlens.model.errors import BadInputError, ModelLoadError
from claimlens.model.persistence import load_model
from tests.conftest import TINY

distributed = pytest.importorskip("distributed")
from claimlens.labelling.dask_engine import run_dask  # noqa: E402  (needs the dask extra)

REPO = Path(__file__).resolve().parents[2]
TEXTS = [t for t, _, _ in TINY]
BLOCK = 3000  # bytes: a few dozen rows per partition, so row offsets cross many partitions


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    model, manifest = load_model(tiny_model_dir)
    return model.warm_up(), manifest["model_version"]


@pytest.fixture(scope="module")
def scheduler():
    """One two-worker cluster for the module, reached by address as `--scheduler` reaches one."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _both(tiny, tiny_model_dir, scheduler, inputs, out_dir: Path, suffix=".parquet", blocksize=BLOCK, **kw):
    """(dask outcome, local outcome) for the same request, written to dask<suffix> and local<suffix>."""
    model, version = tiny
    local = run_local(Request(tuple(inputs), out_dir / f"local{suffix}", **kw), model, version, tiny_model_dir)
    dask = run_dask(Request(tuple(inputs), out_dir / f"dask{suffix}", **kw), model, version, tiny_model_dir,
                    scheduler, blocksize=blocksize)
    return dask, local


def _parts(directory: Path, suffix: str) -> list[Path]:
    parts = sorted(directory.glob(f"part-*{suffix}"))
    assert [p.name for p in parts] == [f"part-{i:05d}{suffix}" for i in range(len(parts))]
    return parts


def _dask_rows(directory: Path) -> list[dict]:
    return pa.concat_tables([pq.read_table(p) for p in _parts(directory, ".parquet")]).to_pylist()


def _errors(output: Path) -> list[dict]:
    report = output.with_name(output.name + ".errors.jsonl")
    return [json.loads(line) for line in report.read_text("utf-8").splitlines()]


def _mixed_csv(path: Path) -> Path:
    rows = [["id", "text", "sku"]]
    for i in range(1, 301):
        text = "" if i % 37 == 0 else TEXTS[i % len(TEXTS)]
        rows.append([f"r{i}", "charger missing " * 1300 if i == 150 else text, f"SKU-{i % 4}"])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_csv_gives_the_local_engines_records_errors_and_counts(tiny, tiny_model_dir, scheduler, tmp_path):
    src = _mixed_csv(tmp_path / "in.csv")
    cols = Columns(keep=("sku",), group_by="sku")
    dask, local = _both(tiny, tiny_model_dir, scheduler, [src], tmp_path, columns=cols)
    assert len(_parts(tmp_path / "dask.parquet", ".parquet")) > 5
    rows = _dask_rows(tmp_path / "dask.parquet")
    assert rows == pq.read_table(tmp_path / "local.parquet").to_pylist()
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(1, 301) if i % 37 and i != 150]
    errors = _errors(tmp_path / "dask.parquet")
    assert errors == _errors(tmp_path / "local.parquet")
    assert [e["row"] for e in errors] == [37, 74, 111, 148, 150, 185, 222, 259, 296]
    assert errors[4]["reason"] == "over-long field 'text' (20800 characters, limit 20000)"
    assert dask.tally.to_json() == local.tally.to_json()
    assert (dask.tally.rows, dask.tally.labelled) == (300, 291)
    assert sorted(p.name for p in tmp_path.iterdir() if "dask" in p.name) == [
        "dask.parquet", "dask.parquet.errors.jsonl"]  # the staging directory is gone


def _jsonl(path: Path) -> Path:
    lines = []
    for i in range(1, 121):
        lines.append(json.dumps({"id": i, "text": TEXTS[i % len(TEXTS)], "sku": f"S{i % 3}"}, ensure_ascii=False))
    lines[9] = '{"text": "broken'
    lines[19] = "[1, 2]"
    lines[29] = ""
    lines[39] = '{"text": 42}'
    lines[49] = '{"id": 50}'
    lines[59] = '{"text": "bad \udcff byte"}'
    data = "\n".join(lines).encode("utf-8", errors="surrogateescape")  # no newline after the last line
    path.write_bytes(data)
    return path


def test_jsonl_lines_are_judged_one_by_one_as_the_local_engine_does(tiny, tiny_model_dir, scheduler, tmp_path):
    src = _jsonl(tmp_path / "in.jsonl")
    dask, local = _both(tiny, tiny_model_dir, scheduler, [src], tmp_path, blocksize=1000,
                        columns=Columns(keep=("sku",)))
    rows = _dask_rows(tmp_path / "dask.parquet")
    assert rows == pq.read_table(tmp_path / "local.parquet").to_pylist()
    assert rows[-1]["id"] == "120"  # the unterminated last line is a row
    errors = _errors(tmp_path / "dask.parquet")
    assert errors == _errors(tmp_path / "local.parquet")
    assert [(e["row"], reason_kind(e["reason"])) for e in errors] == [
        (10, "malformed JSON line"), (20, "malformed JSON line"), (30, "empty line"), (40, "text is int, not a string"),
        (50, "no 'text' field"), (60, "undecodable bytes")]
    assert dask.tally.to_json() == local.tally.to_json()


def test_multi_line_fields_blank_lines_and_short_rows(tiny, tiny_model_dir, scheduler, tmp_path):
    lines = ["id,text,sku"]
    for i in range(1, 101):
        lines.append(f'r{i},"{TEXTS[i % len(TEXTS)]}\nsecond ""line""",S{i % 2}' if i % 3 else
                     f'r{i},"{TEXTS[i % len(TEXTS)]}",S{i % 2}')
    lines[20], lines[40] = "", "r40,only two"
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dask, local = _both(tiny, tiny_model_dir, scheduler, [src], tmp_path, blocksize=700)
    assert len(_parts(tmp_path / "dask.parquet", ".parquet")) > 5  # parts start inside the file, at row starts
    assert _dask_rows(tmp_path / "dask.parquet") == pq.read_table(tmp_path / "local.parquet").to_pylist()
    # both engines read with one reader, so they name the same physical lines
    assert _errors(tmp_path / "dask.parquet") == _errors(tmp_path / "local.parquet") == [
        {"row": 20, "reason": "empty line (line 34)"},
        {"row": 40, "reason": "malformed CSV line 66: 2 fields where the header has 3"}]
    assert dask.tally.to_json() == local.tally.to_json()


def test_a_stray_quote_costs_its_line_alone_on_dask_too(tiny, tiny_model_dir, scheduler, tmp_path):
    # line 12 opens a quote that never closes; its run-on crosses several 300-byte parts
    lines = ["id,text"] + [f'r{i},"{TEXTS[i % len(TEXTS)]}"' if i % 2 else
                           f"r{i},{TEXTS[i % len(TEXTS)].replace(',', '')}" for i in range(1, 41)]
    lines[11] = 'r11,"the charger is missing'
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dask, local = _both(tiny, tiny_model_dir, scheduler, [src], tmp_path, blocksize=300)
    assert _dask_rows(tmp_path / "dask.parquet") == pq.read_table(tmp_path / "local.parquet").to_pylist()
    assert [r["id"] for r in _dask_rows(tmp_path / "dask.parquet")] == [f"r{i}" for i in range(1, 41) if i != 11]
    assert _errors(tmp_path / "dask.parquet") == _errors(tmp_path / "local.parquet") == [
        {"row": 11, "reason": "malformed CSV line 12: unterminated quote"}]
    assert (dask.tally.rows, dask.tally.labelled) == (local.tally.rows, local.tally.labelled) == (40, 39)


def test_a_line_repeating_the_header_at_a_block_start_is_not_lost(tiny, tiny_model_dir, scheduler, tmp_path):
    # one-row exports pasted together: the local engine labels a repeated header line as a row like any
    # other (a reader that takes each block's first line for its header would drop it)
    lines = [line for i in range(60) for line in ("id,text", f'r{i},"{TEXTS[i % len(TEXTS)]}"')]
    src = tmp_path / "in.csv"
    src.write_text("id,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    dask, local = _both(tiny, tiny_model_dir, scheduler, [src], tmp_path, blocksize=300)
    assert len(_parts(tmp_path / "dask.parquet", ".parquet")) > 5
    assert _dask_rows(tmp_path / "dask.parquet") == pq.read_table(tmp_path / "local.parquet").to_pylist()
    assert dask.tally.rows == local.tally.rows == 120


def test_several_inputs_of_each_format_and_csv_parts_with_headers(tiny, tiny_model_dir, scheduler, tmp_path):
    a = _mixed_csv(tmp_path / "a.csv")
    b = _jsonl(tmp_path / "b.jsonl")
    c = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": list(range(1, 41)), "text": [TEXTS[i % len(TEXTS)] for i in range(40)],
                             "sku": [None if i % 5 == 0 else f"P{i}" for i in range(40)]}), c, row_group_size=10)
    dask, local = _both(tiny, tiny_model_dir, scheduler, [a, b, c], tmp_path, suffix=".csv",
                        columns=Columns(keep=("sku",)))
    parts = _parts(tmp_path / "dask.csv", ".csv")
    headers = {p.read_text("utf-8").split("\n", 1)[0] for p in parts}
    local_text = (tmp_path / "local.csv").read_text("utf-8")
    assert headers == {local_text.split("\n", 1)[0]}
    assert "".join(p.read_text("utf-8").split("\n", 1)[1] for p in parts) == local_text.split("\n", 1)[1]
    errors = _errors(tmp_path / "dask.csv")
    assert errors == _errors(tmp_path / "local.csv")
    assert {e["file"] for e in errors} == {"a.csv", "b.jsonl"}
    assert dask.tally.to_json() == local.tally.to_json()
    assert dask.tally.rows == 300 + 120 + 40


def test_lines_the_csv_module_rejects_are_row_errors_as_on_the_local_engine(tiny, tiny_model_dir, scheduler,
                                                                           tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,fine\n2,too,many\n3,"bad"quote\n4,"never closed\n', encoding="utf-8")
    dask, local = _both(tiny, tiny_model_dir, scheduler, [src], tmp_path, blocksize=BLOCK)
    assert _errors(tmp_path / "dask.parquet") == _errors(tmp_path / "local.parquet") == [
        {"row": 2, "reason": "malformed CSV line 3: 3 fields where the header has 2"},
        {"row": 3, "reason": "malformed CSV line 4: ',' expected after '\"'"},
        {"row": 4, "reason": "malformed CSV line 5: unterminated quote"}]
    assert dask.tally.to_json() == local.tally.to_json()


def test_an_empty_input_leaves_an_empty_readable_output(tiny, tiny_model_dir, scheduler, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"")
    outcome = run_dask(Request((src,), tmp_path / "out.parquet"), *tiny, tiny_model_dir, scheduler)
    assert [pq.read_table(p).num_rows for p in _parts(tmp_path / "out.parquet", ".parquet")] == [0]
    assert _errors(tmp_path / "out.parquet") == []
    assert outcome.tally.rows == 0


def test_each_worker_verifies_the_model_and_no_plugin_outlives_the_run(tiny, tiny_model_dir, scheduler,
                                                                       tmp_path):
    src = _mixed_csv(tmp_path / "in.csv")
    run_dask(Request((src,), tmp_path / "ok.parquet"), *tiny, tiny_model_dir, scheduler)
    other = shutil.copytree(tiny_model_dir, tmp_path / "model")
    manifest = json.loads((other / "manifest.json").read_text("utf-8"))
    manifest["libraries"]["spacy"] = "0.1.0"  # tokeniser versions are the ones a model pins
    (other / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"an earlier result")
    with pytest.raises(ModelLoadError, match=r"spacy 0\.1\.0 \(installed"):
        run_dask(Request((src,), bad), *tiny, other, scheduler)
    assert [p.name for p in tmp_path.glob("*bad.parquet*")] == ["bad.parquet"]  # no staging directory left
    assert bad.read_bytes() == b"an earlier result"
    with distributed.Client(scheduler, set_as_default=False) as client:
        plugins = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.worker_plugins))
    assert not [p for p in plugins if p.startswith("claimlens")]


def test_resume_is_refused(tiny, tiny_model_dir, tmp_path):
    src = _mixed_csv(tmp_path / "in.csv")
    with pytest.raises(BadInputError, match="--resume is not supported with --engine dask"):
        run_dask(Request((src,), tmp_path / "out.parquet", resume=True), *tiny, tiny_model_dir, None)


def test_cli_starts_a_local_cluster_and_writes_the_summary(tiny_model_dir, tmp_path):
    src = _mixed_csv(tmp_path / "in.csv")
    out = tmp_path / "out.parquet"
    out.mkdir()
    (out / "part-00099.parquet").write_bytes(b"stale")  # an older directory result is replaced whole
    done = subprocess.run([sys.executable, "-m", "claimlens.cli", "label", str(src), "-o", str(out), "--engine",
                           "dask", "--model", str(tiny_model_dir), "--summary", str(tmp_path / "s.json")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "labelled 291 of 300 rows" in done.stderr
    assert [p.name for p in out.iterdir()] == ["part-00000.parquet"]
    assert pq.read_table(out / "part-00000.parquet").num_rows == 291
    summary = json.loads((tmp_path / "s.json").read_text("utf-8"))
    assert summary["rows"] == {"total": 300, "labelled": 291, "errors": 9}
    assert summary["errors"] == {"empty text": 8, "over-long field": 1}
