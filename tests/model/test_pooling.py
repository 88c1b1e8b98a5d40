import numpy as np
import pytest

from claimlens.model.pooling import clause_examples, clause_spans, pooled_decisions


def test_clause_spans_whole_text_first():
    text = "arrived late, the box was crushed. anyway thanks"
    assert clause_spans(text) == [(0, 48), (0, 12), (13, 33), (34, 48)]
    assert clause_spans("one clause only") == [(0, 15)]
    assert clause_spans("price 1,299.00 ok") == [(0, 17)]  # digits keep their separators
    assert clause_spans("收到了，但是坏了！退款") == [(0, 11), (0, 3), (4, 8), (9, 11)]


def test_a_piece_without_letters_is_no_clause():
    text = "1.款式发错了。 2.裤子褪色。"
    assert clause_spans(text) == [(0, len(text)), (2, 7), (11, 15)]
    assert clause_spans("ok 👍, 100%") == [(0, 10)]


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


def test_confidence_cutoffs_meet_their_accuracy_on_the_margin():
    from claimlens.model.confidence import MARGIN, confidence_band, confidence_cutoffs

    thresholds = np.array([0.5])
    probas = np.array([[0.99], [0.95], [0.9], [0.8], [0.6], [0.55], [0.45], [0.1]])
    Y = np.array([[1], [1], [1], [0], [1], [0], [1], [0]])
    cut = confidence_cutoffs(probas, thresholds, Y, measure=MARGIN)
    # by margin: .49 .45 .40 .40 right, .30 wrong, .10 right, .05 .05 wrong: running 1 1 1 1 .8 .83 .71 .63
    assert cut["high"] == pytest.approx(0.4)
    # below high: .30 wrong, .10 right, .05 .05 wrong: running 0 .5 .33 .25, never 70 %
    assert cut["medium"] == pytest.approx(0.4)
    assert confidence_band(np.array([0.97]), thresholds, cut, MARGIN) == "high"
    assert confidence_band(np.array([0.52]), thresholds, cut, MARGIN) == "low"


def test_certainty_is_the_probability_that_every_decision_is_right():
    from claimlens.model.confidence import certainties

    thresholds = np.array([0.5, 0.3])
    # given 0.9 (right with 0.9) and not given 0.2 (right with 0.8); given both: 0.6 * 0.4
    np.testing.assert_allclose(certainties(np.array([[0.9, 0.2], [0.6, 0.4]]), thresholds), [0.72, 0.24])


def test_confidence_cutoffs_hold_in_every_held_out_genre():
    """The strictest genre sets the cut-off: pooled, the easy genre would hide the hard one."""
    from claimlens.model.confidence import MIN_GROUP, NEVER, confidence_cutoffs

    rng = np.random.default_rng(0)
    thresholds = np.array([0.5])
    n = MIN_GROUP
    p = rng.uniform(0.5, 1.0, size=(2 * n, 1))  # every label given; certainty = p
    easy = np.ones(n, int)                              # all right
    hard = (rng.uniform(size=n) < p[n:, 0] - 0.3).astype(int)  # right less often than the score says
    Y = np.r_[easy, hard][:, None]
    groups = ["easy"] * n + ["hard"] * n
    pooled = confidence_cutoffs(p, thresholds, Y)
    per_genre = confidence_cutoffs(p, thresholds, Y, groups)
    assert per_genre["high"] > pooled["high"]
    for name in ("easy", "hard"):
        rows = np.array(groups) == name
        above = rows & (p[:, 0] >= per_genre["high"])
        if per_genre["high"] < NEVER:
            assert Y[above, 0].mean() >= 0.9
    # a genre smaller than MIN_GROUP does not count on its own
    assert confidence_cutoffs(p[:10], thresholds, Y[:10], groups[:10]) == confidence_cutoffs(p[:10], thresholds, Y[:10])

def test_a_model_saved_before_certainty_keeps_its_margin_bands(tiny_model):
    from claimlens.model.confidence import CERTAINTY, MARGIN, confidence_bands
    from claimlens.model.estimator import ClaimClassifier

    assert tiny_model.confidence_measure_ == CERTAINTY
    meta, arrays = tiny_model.to_state()
    assert ClaimClassifier.from_state(meta, arrays).confidence_measure_ == CERTAINTY
    meta = {k: v for k, v in meta.items() if k != "confidence_measure"}
    old = ClaimClassifier.from_state(meta, arrays)
    assert old.confidence_measure_ == MARGIN
    texts = ["my parcel never arrived", "great, thanks", "the box was crushed and a part is missing"]
    probs = old._reason_probas(old.analyzer_.analyze_batch(texts))[1]
    want = confidence_bands(probs, old.thresholds_, old.confidence_cutoffs_, MARGIN)
    assert [p.confidence for p in old.predict_explained(texts)] == want
