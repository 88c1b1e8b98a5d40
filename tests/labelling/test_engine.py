"""The local engine: order, formats, error reports, --jobs, --resume after SIGKILL, summary."""
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from claimlens.cli import main
from claimlens.labelling.engine import Request, run_local
from claimlens.labelling.progress import Progress
from claimlens.labelling.rows import Columns
from claimlens.model.persistence import load_model
from tests.conftest import TINY

REPO = Path(__file__).resolve().parents[2]
TEXTS = [t for t, _, _ in TINY]


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    model, manifest = load_model(tiny_model_dir)
    return model.warm_up(), manifest["model_version"]


def _csv(path: Path, n: int, bad_every: int = 0) -> Path:
    lines = ["id,text,sku,date"]
    for i in range(1, n + 1):
        text = "" if bad_every and i % bad_every == 0 else TEXTS[i % len(TEXTS)]
        lines.append(f'r{i},"{text}",SKU-{i % 3},2026-01-{1 + i % 28:02d}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(tiny, tiny_model_dir, inputs, output, **kw):
    model, version = tiny
    request = Request(tuple(inputs), output, **kw)
    return run_local(request, model, version, tiny_model_dir)


def test_output_keeps_input_order_and_every_row_is_accounted_for(tiny, tiny_model_dir, tmp_path):
    src = _csv(tmp_path / "in.csv", 95, bad_every=10)
    out = tmp_path / "out.jsonl"
    outcome = _run(tiny, tiny_model_dir, [src], out, chunk_rows=7)
    records = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(l) for l in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == [f"r{i}" for i in range(1, 96) if i % 10]
    assert errors == [{"row": i, "reason": "empty text"} for i in range(10, 96, 10)]
    assert (outcome.tally.rows, outcome.tally.labelled) == (95, 86)
    assert not (tmp_path / "out.jsonl.partial").exists()
    expected = [p.labels for p in tiny[0].predict_explained([TEXTS[i % len(TEXTS)] for i in range(1, 96) if i % 10])]
    assert [tuple(r["labels"]) for r in records] == expected


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet"])
def test_each_output_format_carries_the_same_labels(tiny, tiny_model_dir, tmp_path, suffix):
    src = _csv(tmp_path / "in.csv", 30)
    _run(tiny, tiny_model_dir, [src], tmp_path / "ref.jsonl", columns=Columns(keep=("sku",)))
    ref = [json.loads(l) for l in (tmp_path / "ref.jsonl").read_text(encoding="utf-8").splitlines()]
    out = tmp_path / f"out{suffix}"
    _run(tiny, tiny_model_dir, [src], out, columns=Columns(keep=("sku",)))
    if suffix == ".parquet":
        rows = pq.read_table(out).to_pylist()
        assert [r["labels"] for r in rows] == [r["labels"] for r in ref]
        assert [r["evidence"] for r in rows] == [r["evidence"] for r in ref]
        assert [r["scores"] for r in rows] == [r["scores"] for r in ref]
    else:
        import csv

        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t" if suffix == ".tsv" else ","))
        assert [r["labels"].split(";") for r in rows] == [r["labels"] for r in ref]
        assert [json.loads(r["evidence"]) for r in rows] == [r["evidence"] for r in ref]
        assert [float(r["score_not_received"]) for r in rows] == [r["scores"]["not_received"] for r in ref]
    assert [r["sku"] for r in rows] == [r["sku"] for r in ref] == [f"SKU-{i % 3}" for i in range(1, 31)]


def test_jobs_2_output_equals_jobs_1(tiny, tiny_model_dir, tmp_path):
    src = _csv(tmp_path / "in.csv", 400, bad_every=37)
    for jobs in (1, 2):
        _run(tiny, tiny_model_dir, [src], tmp_path / f"out{jobs}.jsonl", jobs=jobs, chunk_rows=50)
    assert (tmp_path / "out1.jsonl").read_bytes() == (tmp_path / "out2.jsonl").read_bytes()
    assert (tmp_path / "out1.jsonl.errors.jsonl").read_bytes() == (tmp_path / "out2.jsonl.errors.jsonl").read_bytes()
    assert len((tmp_path / "out2.jsonl").read_bytes().splitlines()) == 400 - 400 // 37


def _label_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "claimlens.cli", "label", *map(str, args)]


def test_sigkill_then_resume_gives_the_uninterrupted_bytes(tiny_model_dir, tmp_path):
    ROWS = 24_000
    src = tmp_path / "in.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(ROWS):
            f.write(json.dumps({"id": i, "text": "" if i % 997 == 0 else f"{TEXTS[i % len(TEXTS)]} #{i}"},
                               ensure_ascii=False) + "\n")
    common = ["--model", tiny_model_dir, "--chunk-rows", 200, "--summary"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ref, out = tmp_path / "ref.jsonl", tmp_path / "out.jsonl"
    subprocess.run(_label_cmd(src, "-o", ref, *common, tmp_path / "ref.json"), check=True, env=env,
                   capture_output=True)

    proc = subprocess.Popen(_label_cmd(src, "-o", out, *common, tmp_path / "out.json"), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = tmp_path / "out.jsonl.partial"
    deadline = time.monotonic() + 120
    while len(list(partial.glob("*.records.jsonl"))) < 5:
        assert proc.poll() is None, "the run finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(partial.glob("*.records.jsonl")))
    assert not out.exists() and 5 <= done_before < ROWS // 200

    resumed = subprocess.run(_label_cmd(src, "-o", out, *common, tmp_path / "out.json", "--resume"), env=env,
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed: {done_before} chunks were already done" in resumed.stderr
    assert out.read_bytes() == ref.read_bytes()
    assert (tmp_path / "out.jsonl.errors.jsonl").read_bytes() == (tmp_path / "ref.jsonl.errors.jsonl").read_bytes()
    summary, ref_summary = (json.loads((tmp_path / n).read_text()) for n in ("out.json", "ref.json"))
    assert {k: v for k, v in summary.items() if k not in ("finished_at", "inputs")} == \
           {k: v for k, v in ref_summary.items() if k not in ("finished_at", "inputs")}
    bad = len(range(0, ROWS, 997))
    assert summary["rows"] == {"total": ROWS, "labelled": ROWS - bad, "errors": bad}
    assert not partial.exists()


def test_resume_refuses_a_changed_input(tiny, tiny_model_dir, tmp_path):
    src = _csv(tmp_path / "in.csv", 20)
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").mkdir()
    (tmp_path / "out.jsonl.partial" / "run.json").write_text(json.dumps({"inputs": [], "model": "old"}))
    from claimlens.model.errors import BadInputError

    with pytest.raises(BadInputError, match="inputs, model"):
        _run(tiny, tiny_model_dir, [src], out, resume=True)


def test_several_inputs_and_a_glob(tiny_model_dir, tmp_path):
    _csv(tmp_path / "a.csv", 3)
    (tmp_path / "b.csv").write_text("text\nmy parcel never arrived\n\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["label", str(tmp_path / "*.csv"), "-o", str(out), "--model", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert [json.loads(l)["id"] for l in out.read_text().splitlines()] == ["r1", "r2", "r3", "b.csv:1"]
    assert json.loads((tmp_path / "out.jsonl.errors.jsonl").read_text()) == {
        "file": "b.csv", "row": 2, "reason": "empty line (line 3)"}


def test_empty_input_gives_empty_output(tiny_model_dir, tmp_path):
    src = tmp_path / "empty.csv"
    src.write_bytes(b"")
    result = CliRunner().invoke(main, ["label", str(src), "-o", str(tmp_path / "out.csv"), "--model", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.csv").read_text().startswith("id,labels,confidence,language,score_")
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 1
    assert "labelled 0 of 0 rows" in result.stderr


def test_not_text_is_a_clear_error_and_writes_nothing(tiny_model_dir, tmp_path):
    src = tmp_path / "export.csv"
    src.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + os.urandom(200))
    result = CliRunner().invoke(main, ["label", str(src), "-o", str(tmp_path / "out.jsonl"), "--model", str(tiny_model_dir)])
    assert result.exit_code == 2
    assert "error: " in result.stderr and "export.csv is not a text file" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_fba_returns_one_liner_with_summary_and_report(tiny_model_dir, tmp_path):
    src = tmp_path / "returns.tsv"
    rows = ["return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\treason\tstatus\tcustomer-comments"]
    comments = ["the charger was not in the box", "screen cracked on arrival", "", "my parcel never arrived"]
    for i in range(12):
        rows.append(f"2026-01-{5 + i:02d}T10:00:00+00:00\t111-0000000-{i:07d}\tSKU-{i % 2}\tB0TEST{i % 2}\tX\t"
                    f"Widget\t1\tDEFECTIVE\tUnit returned to inventory\t{comments[i % 4]}")
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "labelled.csv"
    result = CliRunner().invoke(main, [
        "label", str(src), "-o", str(out), "--model", str(tiny_model_dir), "--text-column", "customer-comments",
        "--keep-columns", "order-id,sku,asin,reason", "--group-by", "sku", "--date-column", "return-date",
        "--summary", str(tmp_path / "summary.json"), "--report", str(tmp_path / "report.html")])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["rows"] == {"total": 12, "labelled": 9, "errors": 3}
    assert summary["errors"] == {"empty text": 3}
    assert summary["labels"]["missing_parts"] == 3 and summary["labels"]["damaged_defective"] == 3
    # comments cycle charger, screen, (empty), parcel; SKUs alternate, so SKU-0 gets the chargers
    assert summary["groups"] == {"SKU-1": {"rows": 6, "labels": {"damaged_defective": 3, "not_received": 3}},
                                 "SKU-0": {"rows": 3, "labels": {"missing_parts": 3}}}
    assert summary["weeks"] == {  # 2026-01-05 is a Monday; rows 0-6 fall in its week
        "2026-01-05": {"rows": 5, "labels": {"missing_parts": 2, "damaged_defective": 2, "not_received": 1}},
        "2026-01-12": {"rows": 4, "labels": {"missing_parts": 1, "damaged_defective": 1, "not_received": 2}}}
    assert "<svg" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_progress_line_has_rate_and_eta():
    stream = io.StringIO()
    p = Progress(total=1000, enabled=True, stream=stream, every=0)
    p.start -= 2.0
    p.update(rows=500, done=250)
    assert "25%" in stream.getvalue() and "500 rows" in stream.getvalue() and "ETA 0:06" in stream.getvalue()
    assert Progress(10, stream=io.StringIO()).enabled is False  # not a terminal: quiet
