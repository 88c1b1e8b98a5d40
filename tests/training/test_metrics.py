import pytest

from claimlens.model.prediction import EvidenceSpan, Prediction
from claimlens.model.schema import LabelSchema
from claimlens.training.datasets import Example
from claimlens.training.metrics import calibration_error, evaluate_predictions, evidence_hit

SCHEMA = LabelSchema(("not_received", "refund_return_issue", "other"), "other")


def _pred(labels, nr, rf, spans=()):
    return Prediction(tuple(labels), {"not_received": nr, "refund_return_issue": rf, "other": 1 - max(nr, rf)},
                      "high", "en", tuple(spans))


def test_evidence_hit_rule():
    assert evidence_hit((0, 13), [(0, 13)])
    assert evidence_hit((0, 26), [(0, 13)])        # twice as long still counts
    assert not evidence_hit((0, 27), [(0, 13)])    # longer does not
    assert evidence_hit((0, 12), [(0, 2)])         # short gold: up to 10 characters more
    assert not evidence_hit((20, 30), [(0, 13)])   # no overlap


def test_calibration_error_exact():
    import numpy as np

    assert calibration_error(np.array([[1], [0]]), np.array([[1.0], [0.0]])) == 0.0
    assert calibration_error(np.array([[1], [1]]), np.array([[0.55], [0.55]])) == pytest.approx(0.45)


def test_report_figures():
    examples = [
        Example("never arrived", ("not_received",), "en", (("not_received", 0, 13),)),
        Example("refund me", ("refund_return_issue",), "en", (("refund_return_issue", 0, 9),)),
        Example("thanks", ("other",), "de"),
    ]
    preds = [
        _pred(["not_received"], 0.9, 0.1, [EvidenceSpan("not_received", 0, 13, "never arrived", 2.0)]),
        _pred(["not_received"], 0.6, 0.3),
        _pred(["other"], 0.1, 0.1),
    ]
    r = evaluate_predictions(examples, preds, SCHEMA)
    assert r["per_label"]["not_received"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert r["per_label"]["refund_return_issue"]["f1"] == 0.0
    assert r["macro_f1"] == round((2 / 3 + 0 + 1) / 3, 4)
    assert r["micro_f1"] == 0.6667
    assert r["macro_f1_by_language"]["de"] == {"n": 1, "macro_f1": 1.0}
    assert r["evidence_hit_rate"] == 1.0 and r["evidence_checked"] == 1
    assert r["confused_pairs"] == [{"gold": "refund_return_issue", "predicted": "not_received", "count": 1}]
    assert [w["text"] for w in r["worst_errors"]] == ["refund me"]
    # all three were "high"; two of them have the whole label set right
    assert r["confidence_bands"] == {"high": {"n": 3, "exact_match": 0.6667}, "medium": {"n": 0, "exact_match": None},
                                     "low": {"n": 0, "exact_match": None}}
