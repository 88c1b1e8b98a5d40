import pickle

import numpy as np
import pytest
from sklearn.base import clone

from claimlens.model.errors import BadInputError, ConfigurationError, LabelSchemaError, NotReadyError
from claimlens.model.persistence import load_model
from tests.conftest import TINY, tiny_estimator

TEXTS = [t for t, _, _ in TINY]


def test_overfits_tiny_corpus(tiny_model):
    preds = tiny_model.predict_explained(TEXTS)
    assert [set(p.labels) for p in preds] == [set(l) for _, l, _ in TINY]


def test_indicator_predict_matches_explained(tiny_model):
    P = tiny_model.predict(TEXTS)
    labels = [tuple(tiny_model.classes_[np.flatnonzero(row)]) for row in P]
    assert labels == [p.labels for p in tiny_model.predict_explained(TEXTS, explain=False)]


def test_predict_proba_columns_follow_classes(tiny_model):
    proba = tiny_model.predict_proba(["my parcel never arrived"])
    assert proba.shape == (1, 9)
    reasons = [k for k, c in enumerate(tiny_model.classes_) if c != "other"]
    assert tiny_model.classes_[reasons[int(proba[0, reasons].argmax())]] == "not_received"
    assert proba[0, list(tiny_model.classes_).index("other")] == pytest.approx(1 - proba[0, reasons].max())
    assert np.all((proba >= 0) & (proba <= 1))


def test_batch_equals_single(tiny_model):
    batch = tiny_model.predict_explained(TEXTS)
    for text, b in zip(TEXTS, batch):
        assert tiny_model.predict_explained([text])[0] == b


def test_evidence_of_a_batch_is_that_of_each_text_alone(tiny_model):
    """Evidence is scored for all (text, label) pairs of a batch at once: texts with no label, no token
    or no evidence in between must not shift another text's tokens or spans."""
    texts = ["😡😡😡", "my parcel never arrived and I want a refund", "!!!", "thanks, all good",
             "Hi,\n\nThe CHARGER was NOT in the box!!! order 114-8301856-2739412", "买家说少了充电器，要求退款",
             "", "great product. but the charger is missing, refund please", "never arrived", "12345"]
    batch = tiny_model.predict_explained(texts)
    assert any(p.evidence for p in batch)
    for text, b in zip(texts, batch):
        alone = tiny_model.predict_explained([text])[0]
        assert alone == b
    # and in another order
    assert tiny_model.predict_explained(texts[::-1])[::-1] == batch


def test_evidence_slices_original_text(tiny_model):
    raw = "Hi,\n\nThe CHARGER was NOT in the box!!! 😡 order 114-8301856-2739412"
    pred = tiny_model.predict_explained([raw])[0]
    assert "missing_parts" in pred.labels
    assert pred.evidence, "a predicted label must come with evidence"
    for span in pred.evidence:
        assert raw[span.start:span.end] == span.text
        assert span.weight > 0
    top = [s for s in pred.evidence if s.label == "missing_parts"][0]
    assert "CHARGER" in top.text or "box" in top.text


def test_evidence_on_chinese_and_intercept_reported_apart(tiny_model):
    raw = "买家说少了充电器，要求退款"
    pred = tiny_model.predict_explained([raw])[0]
    assert set(pred.labels) == {"missing_parts", "refund_return_issue"}
    assert {s.label for s in pred.evidence} == {"missing_parts", "refund_return_issue"}
    assert all(raw[s.start:s.end] == s.text for s in pred.evidence)
    assert set(pred.unlocated) == {"missing_parts", "refund_return_issue"}


def test_other_has_no_evidence(tiny_model):
    pred = tiny_model.predict_explained(["great product, thank you"])[0]
    assert pred.labels == ("other",)
    assert pred.evidence == ()


def test_no_evidence_when_not_asked(tiny_model):
    assert tiny_model.predict_explained(["my parcel never arrived"], explain=False)[0].evidence == ()


def test_language_is_reported(tiny_model):
    langs = [p.language for p in tiny_model.predict_explained(
        ["where is my parcel", "快递一直没收到", "荷物が届きません", "das Paket ist nicht da", "???"])]
    assert langs == ["en", "zh", "ja", "de", "und"]


def test_sklearn_estimator_protocol(tiny_model):
    params = tiny_model.get_params()
    assert params["min_df"] == 1 and params["C"] == 100.0
    fresh = clone(tiny_model)
    assert not hasattr(fresh, "coef_")
    with pytest.raises(NotReadyError):
        fresh.predict(["x"])


def test_pickle_round_trip_gives_identical_scores(tiny_model):
    again = pickle.loads(pickle.dumps(tiny_model))
    np.testing.assert_array_equal(again.predict_proba(TEXTS), tiny_model.predict_proba(TEXTS))


def test_save_load_same_scores(tiny_model, tiny_model_dir):
    loaded, manifest = load_model(tiny_model_dir)
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), tiny_model.predict_proba(TEXTS))
    assert manifest["labels"] == list(tiny_model.classes_)
    assert manifest["model_version"] == tiny_model_dir.name


def test_bad_params_name_the_value():
    with pytest.raises(ConfigurationError, match=r"char_ngrams .* got \(3, 1\)"):
        tiny_estimator(char_ngrams=(3, 1)).fit(["a b"], [["other"]], ["en"])
    with pytest.raises(ConfigurationError, match="C must be positive, got -1"):
        tiny_estimator(C=-1).fit(["a b"], [["other"]], ["en"])


def test_bad_labels_are_named():
    texts, labels, langs = zip(*TINY)
    bad = list(labels)
    bad[3] = ["lost_parcel"]
    with pytest.raises(LabelSchemaError, match=r"row 4: unknown label\(s\) 'lost_parcel'"):
        tiny_estimator().fit(list(texts), bad, list(langs))
    bad[3] = ["other", "not_received"]
    with pytest.raises(LabelSchemaError, match="row 4: 'other' cannot be combined"):
        tiny_estimator().fit(list(texts), bad, list(langs))


def test_non_string_input_is_refused(tiny_model):
    with pytest.raises(BadInputError, match="text 2 is int, not str"):
        tiny_model.predict(["fine", 3])
    with pytest.raises(BadInputError, match="single string"):
        tiny_model.predict("a bare string")
    with pytest.raises(BadInputError, match="text 2 has a lone surrogate"):
        tiny_model.predict_explained(["fine", "broken \ud83d screen"])


def test_token_scores_of_pairs_whose_texts_have_no_token():
    """A text can be given a label from character n-grams alone (emoji, punctuation): its evidence is
    empty, and a batch where no text has a token must not fail."""
    import scipy.sparse as sp

    from claimlens.model.evidence import token_scores
    from claimlens.model.pooling import Found

    found = Found(np.array([0, 0]), np.array([1, 2]), np.array([0, 1]), np.array([2, 3]))
    rows = sp.csr_matrix(np.array([[0.0, 0.6, 0.8]]))
    weights = np.ones((3, 2))
    no_tokens = [np.zeros((0, 2), dtype=np.int64)]
    out = token_scores(found, np.array([0]), np.array([[0, 3]]), np.array([1]), rows, weights, no_tokens, [3])
    assert len(out) == 1 and out[0].shape == (0,)
    # a token over the first two characters: [0, 2) lies in it whole (0.6); [1, 3) has one character in a
    # token, the token's, so all of its 0.8 goes there
    out = token_scores(found, np.array([0]), np.array([[0, 3]]), np.array([1]), rows, weights,
                       [np.array([[0, 2]])], [3])
    np.testing.assert_allclose(out[0], [0.6 + 0.8])
    assert token_scores(found, np.array([], dtype=np.int64), np.zeros((0, 2), dtype=np.int64),
                        np.array([], dtype=np.int64), rows[:0], weights, no_tokens, [3]) == []
