import numpy as np
import pytest

from claimlens.model.pooling import clause_examples, clause_spans, pooled_decisions


def test_clause_spans_whole_text_first():
    text = "arrived late, the box was crushed. anyway thanks"
    assert clause_spans(text) == [(0, 48), (0, 12), (13, 33), (34, 48)]
    assert clause_spans("one clause only") == [(0, 15)]
    assert clause_spans("price 1,299.00 ok") == [(0, 17)]  # digits keep their separators
    assert clause_spans("收到了，但是坏了！退款") == [(0, 11), (0, 3), (4, 8), (9, 11)]


def test_clause_examples_follow_gold_evidence(tiny_model):
    raw = "Great seller. But the charger is missing, refund please"
    analysis = tiny_model.analyzer_.analyze(raw)
    reasons = tiny_model.schema_.reason_labels
    evidence = [("missing_parts", raw.index("charger"), raw.index(",")), ("refund_return_issue", raw.index("refund"), len(raw))]
    rows = clause_examples(analysis, evidence, reasons)
    labels = [tuple(reasons[k] for k in np.flatnonzero(y)) for _, y in rows]
    assert labels == [(), ("missing_parts",), ("refund_return_issue",)]
    assert all(feats for feats, _ in rows)


def test_pooled_decision_is_the_max_of_whole_and_clauses(tiny_model):
    m = tiny_model
    text = "great product, thank you, but my parcel never arrived"
    analysis = m.analyzer_.analyze(text)
    pooled = pooled_decisions(m.space_, m.coef_, m.intercept_, [analysis])
    per_view = pooled.rows @ m.coef_ + m.intercept_
    np.testing.assert_allclose(pooled.decisions[0], per_view.max(0))
    assert len(pooled.spans) == 4
    k = m.schema_.reason_labels.index("not_received")
    assert pooled.spans[pooled.winner[0, k]] in [(0, len(analysis.normalized.text)), (25, len(analysis.normalized.text))]


def test_confidence_cutoffs_meet_their_accuracy():
    from claimlens.model.confidence import confidence_band, confidence_cutoffs

    thresholds = np.array([0.5])
    probas = np.array([[0.99], [0.95], [0.9], [0.8], [0.6], [0.55], [0.45], [0.1]])
    Y = np.array([[1], [1], [1], [0], [1], [0], [1], [0]])
    cut = confidence_cutoffs(probas, thresholds, Y)
    # by margin: .49 .45 .40 .40 right, .30 wrong, .10 right, .05 .05 wrong: running 1 1 1 1 .8 .83 .71 .63
    assert cut["high"] == pytest.approx(0.4)
    assert cut["medium"] == pytest.approx(0.05)
    assert confidence_band(np.array([0.97]), thresholds, cut) == "high"
    assert confidence_band(np.array([0.6]), thresholds, cut) == "medium"
    assert confidence_band(np.array([0.52]), thresholds, cut) == "low"
