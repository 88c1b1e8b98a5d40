"""The review queue's choice: uncertainty near the thresholds, spread, near-duplicates collapsed."""
from __future__ import annotations

import json
import math
import shutil

import pytest
from click.testing import CliRunner

from claimlens.cli import main
from claimlens.feedback.labelled import LabelledRow, read_labelled
from claimlens.feedback.queue import ReviewQueue
from claimlens.feedback.selection import margin, select
from claimlens.feedback.store import text_sha256
from claimlens.labelling.sinks import Sink

THRESHOLDS = {"not_received": 0.5, "damaged_defective": 0.2}


def row(n, text, lang, nr, dd, labels=("other",)):
    return LabelledRow(n, f"r{n}", text, labels, {"not_received": nr, "damaged_defective": dd, "other": 0.5},
                       (), lang, "v1")


def test_margin_is_the_log_odds_distance_to_the_nearest_threshold():
    m, label = margin({"not_received": 0.6, "damaged_defective": 0.9}, THRESHOLDS)
    assert label == "not_received" and m == pytest.approx(math.log(0.6 / 0.4))
    m, label = margin({"not_received": 0.99, "damaged_defective": 0.25}, THRESHOLDS)
    assert label == "damaged_defective" and m == pytest.approx(math.log(0.25 / 0.75) - math.log(0.2 / 0.8))


def test_select_spreads_over_language_and_label_and_collapses_near_duplicates():
    rows = [
        row(1, "package still not here after three weeks", "en", 0.49, 0.01),
        row(2, "package still not here after three weeks!!", "en", 0.50, 0.01),   # near-duplicate of 1
        row(3, "where is my parcel, tracking shows nothing", "en", 0.52, 0.01),
        row(4, "das Paket ist nicht angekommen", "de", 0.45, 0.01),
        row(5, "the lid was cracked when it arrived", "en", 0.01, 0.21),
        row(6, "thank you, arrived fine and works great", "en", 0.02, 0.02),       # sure: margin large
        row(7, "快递一直没收到，怎么回事", "zh", 0.40, 0.01),
    ]
    picked = select(rows, THRESHOLDS, top=4, origin="labelled.jsonl")
    # groups by (language, nearest label), each group's most uncertain first, groups by their best margin
    assert [c.row_id for c in picked] == ["r2", "r5", "r4", "r7"]
    assert picked[0].nearest_label == "not_received" and picked[1].nearest_label == "damaged_defective"
    assert picked[0].origin == "labelled.jsonl" and picked[0].margin == pytest.approx(0.0)
    # then round two: the next en/not_received row, never the near-duplicate r1
    assert [c.row_id for c in select(rows, THRESHOLDS, top=6)] == ["r2", "r5", "r4", "r7", "r3", "r6"]


def test_select_skips_known_texts():
    rows = [row(1, "a text already corrected", "en", 0.5, 0.01), row(2, "parcel missing again", "en", 0.4, 0.01)]
    picked = select(rows, THRESHOLDS, top=2, known={text_sha256("a text already corrected")})
    assert [c.row_id for c in picked] == ["r2"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv", "parquet"])
def test_labelled_outputs_read_back_in_every_format(tmp_path, fmt):
    records = [{"id": "7", "labels": ["not_received", "refund_return_issue"], "confidence": "low", "language": "en",
                "scores": {"not_received": 0.61, "refund_return_issue": 0.7, "other": 0.3},
                "evidence": [{"label": "not_received", "start": 0, "end": 5, "text": "never", "weight": 0.9}],
                "unlocated": {"not_received": -1.0}, "model": "v1", "text": "never came, refund please"},
               {"id": "8", "labels": ["other"], "confidence": "high", "language": "en",
                "scores": {"not_received": 0.1, "refund_return_issue": 0.1, "other": 0.9}, "evidence": [],
                "unlocated": {}, "model": "v1", "text": ""}]
    sink = Sink(fmt, ["not_received", "refund_return_issue", "other"], ["text"], True)
    path = tmp_path / f"out.{fmt}"
    part = tmp_path / f"part{sink.part_suffix}"
    sink.write_part(records, part)
    sink.join([part], path)
    got = list(read_labelled(path))
    assert got == [LabelledRow(1, "7", "never came, refund please", ("not_received", "refund_return_issue"),
                               {"not_received": 0.61, "refund_return_issue": 0.7, "other": 0.3},
                               ({"label": "not_received", "start": 0, "end": 5, "text": "never", "weight": 0.9},),
                               "en", "v1")]


def test_labelled_output_without_text_says_how_to_keep_it(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(json.dumps({"id": 1, "labels": ["other"], "scores": {}}) + "\n", encoding="utf-8")
    with pytest.raises(Exception, match="--keep-columns text"):
        list(read_labelled(path))


def test_review_command_queues_and_writes_the_rows(tmp_path, tiny_model_dir, open_db):
    models = tmp_path / "models"
    shutil.copytree(tiny_model_dir, models / tiny_model_dir.name)
    thresholds = json.loads((models / tiny_model_dir.name / "manifest.json").read_text())["thresholds"]
    lines = []
    for i, text in enumerate(["parcel lost", "parcel lost again?", "great, thanks", "lid cracked", "colis perdu"]):
        scores = {label: 0.9 if i % 2 else t + 0.01 * i for label, t in thresholds.items()}
        lines.append(json.dumps({"id": i, "labels": ["other"], "scores": scores, "language": "en",
                                 "model": tiny_model_dir.name, "text": text}))
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"CLAIMLENS_MODELS": str(models), "CLAIMLENS_DB": f"sqlite:///{tmp_path / 'fb.db'}"}
    result = CliRunner().invoke(main, ["review", str(labelled), "--top", "2", "-o", str(tmp_path / "q.jsonl")], env=env)
    assert result.exit_code == 0, result.output
    assert f"queued 2 row(s) for review (thresholds of {tiny_model_dir.name})" in result.output
    written = [json.loads(l) for l in (tmp_path / "q.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [w["text"] for w in written] == ["parcel lost", "great, thanks"]
    queue = ReviewQueue(open_db(env["CLAIMLENS_DB"]))
    assert [i.candidate.text for i in queue.items()] == ["parcel lost", "great, thanks"]
    again = CliRunner().invoke(main, ["review", str(labelled), "--top", "2"], env=env)  # queued texts are left out
    assert again.exit_code == 0 and [i.candidate.text for i in queue.items()] == [
        "parcel lost", "great, thanks", "colis perdu", "parcel lost again?"]
