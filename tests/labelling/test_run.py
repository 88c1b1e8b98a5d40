"""What a run says at the end and in its summary: the same words as the error report, counts that add up."""
import json
import re
from pathlib import Path

from click.testing import CliRunner

from claimlens.cli import main
from claimlens.labelling.engine import Outcome
from claimlens.labelling.run import describe
from claimlens.labelling.summary import Tally


def _label(tmp_path, tiny_model_dir, src: Path, *extra) -> tuple:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["label", str(src), "-o", str(out), "--model", str(tiny_model_dir),
                                       "--summary", str(tmp_path / "summary.json"), *extra])
    assert result.exit_code == 0, result.output
    errors = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text("utf-8").splitlines()]
    return result.stderr, json.loads((tmp_path / "summary.json").read_text("utf-8")), errors, out


def test_an_unterminated_quote_loses_no_row_after_it(tiny_model_dir, tmp_path):
    src = tmp_path / "export.csv"
    src.write_text('id,text\n1,the charger was not in the box\n2,screen cracked on arrival\n'
                   '3,"my parcel never arrived\n4,you sent me the wrong model\n5,still no refund after two weeks\n'
                   '6,please cancel my order\n', encoding="utf-8")
    stderr, summary, errors, out = _label(tmp_path, tiny_model_dir, src)
    assert errors == [{"row": 3, "reason": "malformed CSV line 4: unterminated quote"}]
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == ["1", "2", "4", "5", "6"]
    assert summary["rows"] == {"total": 6, "labelled": 5, "errors": 1}
    assert summary["errors"] == {"malformed CSV line": 1}
    assert stderr.splitlines()[:2] == [f"labelled 5 of 6 rows into {out}",
                                       f"1 row in {out}.errors.jsonl: malformed CSV line (1)"]


def test_the_summary_and_the_closing_lines_use_the_error_reports_words(tiny_model_dir, tmp_path):
    src = tmp_path / "export.jsonl"
    src.write_text('{"text": "my parcel never arrived"}\n{"body": "no text key"}\n{"text": ""}\n'
                   '{"text": "the charger was not in the box"}\n{"body": "again"}\nnot json\n', encoding="utf-8")
    stderr, summary, errors, out = _label(tmp_path, tiny_model_dir, src)
    assert [e["reason"] for e in errors][:3] == ["no 'text' field", "empty text", "no 'text' field"]
    assert summary["errors"] == {"no 'text' field": 2, "empty text": 1, "malformed JSON line": 1}
    lines = stderr.splitlines()
    assert lines[:2] == [f"labelled 2 of 6 rows into {out}",
                         f"4 rows in {out}.errors.jsonl: no 'text' field (2), empty text (1), malformed JSON line (1)"]
    assert re.fullmatch(r"read 6 rows in [0-9.]+s \([0-9,]+ rows/s\)", lines[2])


def _outcome(rows: int, labelled: int, errors: dict, seconds: float, resumed: int = 0, read=None) -> Outcome:
    tally = Tally()
    tally.rows, tally.labelled = rows, labelled
    tally.errors.update(errors)
    return Outcome(Path("out.csv"), Path("out.csv.errors.jsonl"), tally, seconds, resumed, [], read)


def test_closing_lines_count_reasons_in_brackets_and_rate_rows_read():
    assert describe(_outcome(12, 7, {"malformed CSV line": 2, "empty text": 3}, 0.5)).splitlines() == [
        "labelled 7 of 12 rows into out.csv",
        "5 rows in out.csv.errors.jsonl: empty text (3), malformed CSV line (2)",
        "read 12 rows in 0.5s (24 rows/s)"]
    assert describe(_outcome(2000, 2000, {}, 2.0)).splitlines()[1:] == ["no row errors",
                                                                         "read 2,000 rows in 2.0s (1,000 rows/s)"]


def test_a_resumed_run_rates_only_the_rows_it_read():
    lines = describe(_outcome(10_000, 9_990, {"empty text": 10}, 2.0, resumed=4, read=2_000)).splitlines()
    assert lines[-1] == ("resumed: 4 chunks were already done; "
                         "labelled or reported the other 2,000 rows in 2.0s (1,000 rows/s)")
