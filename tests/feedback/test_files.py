"""`claimlens feedback import|export`: the training formats in, the same formats out, row-numbered errors."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from claimlens.cli import main
from claimlens.feedback.store import FeedbackStore

ROWS = [
    {"text": "the charger was not in the box", "labels": ["missing_parts"], "lang": "en",
     "evidence": [{"label": "missing_parts", "start": 4, "end": 11}], "id": "a-1"},
    {"text": "快递一直没收到", "labels": ["not_received"], "lang": "zh"},
    {"text": "Super Produkt, danke", "labels": ["other"], "lang": "de", "model": "20260101T000000Z-0123abcd",
     "predicted": ["other"], "who": "carol", "created_at": "2026-02-03T04:05:06+01:00"},
]


@pytest.fixture
def env(tmp_path, tiny_model_dir):
    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(tiny_model_dir, models / tiny_model_dir.name)
    return {"CLAIMLENS_MODELS": str(models), "CLAIMLENS_DB": f"sqlite:///{tmp_path / 'fb.db'}"}


def _run(env, *args):
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def _store(env, open_db):
    return FeedbackStore(open_db(env["CLAIMLENS_DB"]))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv"])
def test_export_then_import_gives_the_same_rows(env, tmp_path, open_db, suffix):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    assert _run(env, "feedback", "import", str(src), "--who", "dave")[0] == 0
    out = tmp_path / f"out{suffix}"
    code, output = _run(env, "feedback", "export", "-o", str(out))
    assert code == 0 and "exported 3 correction(s)" in output
    other = {**env, "CLAIMLENS_DB": f"sqlite:///{tmp_path / 'other.db'}"}
    code, output = _run(other, "feedback", "import", str(out))
    assert code == 0 and "imported 3 correction(s)" in output
    first, second = _store(env, open_db).rows(), _store(other, open_db).rows()
    keep = lambda r: {k: v for k, v in r.to_record().items() if k != "feedback_id"}  # noqa: E731
    assert [keep(r) for r in second] == [keep(r) for r in first]
    assert [(r.who, r.source, r.model, r.predicted) for r in first] == [
        ("dave", "import", None, None), ("dave", "import", None, None),
        ("carol", "import", "20260101T000000Z-0123abcd", ("other",))]
    assert first[2].to_record()["created_at"] == "2026-02-03T03:05:06.000000+00:00"
    assert first[0].evidence == (("missing_parts", 4, 11),) and first[0].external_id == "a-1"
    # the export is a training file too
    from claimlens.model.schema import bundled_schema
    from claimlens.training.datasets import load_examples

    assert [e.labels for e in load_examples(out, bundled_schema())] == [("missing_parts",), ("not_received",), ("other",)]


def test_import_detects_missing_languages_with_the_current_model(env, tmp_path, open_db):
    src = tmp_path / "in.csv"
    src.write_text("text,labels\nmy parcel never arrived,not_received\n", encoding="utf-8")
    assert _run(env, "feedback", "import", str(src))[0] == 0
    assert [r.language for r in _store(env, open_db).rows()] == ["en"]


def test_a_bad_file_imports_nothing_and_names_every_row(env, tmp_path, open_db):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "ok", "labels": ["other"], "lang": "en"}\n'
                   '{"text": "x", "labels": ["lost_parcel"]}\n'
                   '{"text": "never came", "labels": ["not_received"], "evidence": [{"label": "not_received", "start": 0, "end": 99}]}\n'
                   '{"text": "y", "labels": ["other"], "created_at": "last week"}\n', encoding="utf-8")
    code, output = _run(env, "feedback", "import", str(src))
    assert code == 2 and "Traceback" not in output
    assert "bad.jsonl row 2: unknown label(s) 'lost_parcel'" in output
    assert "bad.jsonl row 3: evidence" in output
    assert _store(env, open_db).count() == 0
    src.write_text('{"text": "y", "labels": ["other"], "lang": "en", "created_at": "last week"}\n'
                   '{"text": "lost\\u0000 parcel", "labels": ["not_received"], "lang": "en"}\n', encoding="utf-8")
    code, output = _run(env, "feedback", "import", str(src))
    assert code == 2 and "bad.jsonl row 1: created_at: not an ISO 8601 time: 'last week'" in output
    assert "bad.jsonl row 2: text holds a NUL character" in output and _store(env, open_db).count() == 0


def test_export_refuses_an_unknown_format_and_a_bad_since(env, tmp_path):
    code, output = _run(env, "feedback", "export", "-o", str(tmp_path / "out.xlsx"))
    assert code == 2 and "use .jsonl, .csv or .tsv" in output
    code, output = _run(env, "feedback", "export", "-o", str(tmp_path / "out.jsonl"), "--since", "soon")
    assert code == 2 and "since: not an ISO 8601 time: 'soon'" in output
