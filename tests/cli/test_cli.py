import json

import pytest
from click.testing import CliRunner

from claimlens.cli import main
from tests.conftest import TINY


@pytest.fixture
def runner():
    return CliRunner()


def test_predict_prints_one_record_per_text(runner, tiny_model_dir):
    result = runner.invoke(main, ["predict", "--model", str(tiny_model_dir), "my parcel never arrived", "请取消订单"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == [1, 2]
    assert records[0]["labels"] == ["not_received"]
    assert records[1]["language"] == "zh"
    assert set(records[0]) == {"id", "labels", "scores", "confidence", "language", "evidence", "unlocated", "model"}
    assert records[0]["model"] == tiny_model_dir.name
    assert set(records[0]["scores"]) == {l for _, ls, _ in TINY for l in ls}
    for ev in records[0]["evidence"]:
        assert "my parcel never arrived"[ev["start"]:ev["end"]] == ev["text"]


def test_predict_refuses_empty_text(runner, tiny_model_dir):
    result = runner.invoke(main, ["predict", "--model", str(tiny_model_dir), "  "])
    assert result.exit_code == 2
    assert "error: text is empty" in result.stderr


def test_predict_with_missing_model_dir_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["predict", "--model", str(tmp_path / "nope"), "hi"])
    assert result.exit_code == 2
    assert "manifest.json is missing" in result.stderr
    assert "Traceback" not in result.output


def test_label_keeps_order_and_reports_bad_rows(runner, tiny_model_dir, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": "a", "text": "my parcel never arrived"}\n'
                    b'{"id": "b", "text": ""}\n'
                    b'not json\n'
                    + '{"text": "没收到"}\n'.encode("gbk")
                    + b'{"text": "screen cracked on arrival"}\n')
    out = tmp_path / "out.jsonl"
    # forced: detection would rightly call this ASCII-plus-GBK file GB18030
    result = runner.invoke(main, ["label", str(src), "-o", str(out), "--model", str(tiny_model_dir),
                                  "--encoding", "utf-8"])
    assert result.exit_code == 0, result.output
    records = [json.loads(l) for l in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", 5]
    assert records[1]["labels"] == ["damaged_defective"]
    errors = [json.loads(l) for l in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["reason"].split(":")[0]) for e in errors] == [
        (2, "empty text"), (3, "malformed JSON line"), (4, "undecodable bytes in 'text'")]
    assert "labelled 2 of 5 rows" in result.stderr
    assert "3 rows in" in result.stderr and "empty text (1), malformed JSON line (1), undecodable bytes (1)" in result.stderr


def test_train_then_evaluate(runner, tmp_path):
    data = tmp_path / "mine.jsonl"
    data.write_text("".join(json.dumps({"text": t, "labels": l, "lang": g}, ensure_ascii=False) + "\n"
                            for t, l, g in TINY), encoding="utf-8")
    models = tmp_path / "models"
    result = runner.invoke(main, ["train", "--no-seed", "--data", str(data), "--cv", "2", "--seed", "1",
                                  "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    assert "Cross-validation (2 folds)" in result.stdout
    (version,) = [p for p in models.iterdir() if p.is_dir()]  # beside it: the registry's file
    assert json.loads((models / "registry.json").read_text())["current"] == version.name
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["training"]["examples"] == len(TINY)
    assert manifest["training"]["seed"] == 1
    assert manifest["metrics"]["cross_validation"]["macro_f1"] >= 0
    assert (version / "evaluation.md").exists()

    out = tmp_path / "report"
    result = runner.invoke(main, ["evaluate", "--data", str(data), "--model", str(version), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "evaluation.json").read_text())
    assert report["n"] == len(TINY) and report["model"] == version.name
    assert (out / "evaluation.md").read_text().startswith("# Evaluation of")


def test_train_reports_bad_rows(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,labels\nok,other\n,other\nlost,lost_parcel\n", encoding="utf-8")
    result = runner.invoke(main, ["train", "--no-seed", "--data", str(bad), "--models-dir", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "bad.csv row 2: empty or missing text" in result.stderr
    assert "bad.csv row 3: unknown label(s) 'lost_parcel'" in result.stderr
