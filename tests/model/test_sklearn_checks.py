"""scikit-learn's estimator checks, where they apply to a classifier of texts.

check_estimator itself runs nothing on an estimator whose input is text (tags: two_d_array False,
string True): almost every check feeds random numeric matrices. So the checks that need no data
run as scikit-learn wrote them, and the data checks that matter for a text classifier are
restated here on texts (fit returns self and is idempotent, order and subset invariance, parameters
untouched by fit, unfitted use raises NotFittedError, score with weights and indicator matrices).

Skipped, and why: check_n_features_in*, check_fit1d/2d*, check_fit2d_predict1d,
check_readonly_memmap_input, check_estimators_dtypes, check_estimators_empty_data,
check_estimators_nan_inf, check_dtype_object, check_complex_data, check_classifiers_one_label*,
check_classifiers_train, check_supervised_y_2d, check_classifiers_classes and the other numeric
checks: they build X as numeric arrays, which are not texts; there is no n_features_in_ for a
text model (its vocabulary is learnt, not given).
"""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks as ec

from claimlens.model.errors import BadInputError
from tests.conftest import TINY, tiny_estimator

TEXTS, LABELS, LANGS = (list(x) for x in zip(*TINY))
API_CHECKS = [
    ec.check_estimator_cloneable, ec.check_estimator_tags_renamed, ec.check_valid_tag_types,
    ec.check_estimator_repr, ec.check_no_attributes_set_in_init, ec.check_mixin_order,
    ec.check_do_not_raise_errors_in_init_or_set_params, ec.check_parameters_default_constructible,
    ec.check_get_params_invariance, ec.check_set_params, ec.check_estimators_unfitted,
]


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_api_check(check):
    check("ClaimClassifier", tiny_estimator())


def test_check_estimator_knows_it_is_a_text_classifier():
    from sklearn.utils import get_tags

    tags = get_tags(tiny_estimator())
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.classifier_tags.multi_label and tags.estimator_type == "classifier"


def test_fit_returns_self_and_leaves_params_alone():
    est = tiny_estimator()
    before = {k: v for k, v in est.get_params().items()}
    assert est.fit(TEXTS, LABELS, LANGS) is est
    assert est.get_params() == before
    public = [k for k in vars(est) if not k.endswith("_") and not k.startswith("_")]
    assert sorted(public) == sorted(before)  # fit adds only fitted attributes (trailing _)


def test_fit_is_idempotent():
    est = tiny_estimator()
    first = est.fit(TEXTS, LABELS, LANGS).predict_proba(TEXTS)
    np.testing.assert_array_equal(est.fit(TEXTS, LABELS, LANGS).predict_proba(TEXTS), first)


def test_methods_are_invariant_to_sample_order_and_subsets(tiny_model):
    order = np.random.default_rng(0).permutation(len(TEXTS))
    proba = tiny_model.predict_proba(TEXTS)
    np.testing.assert_allclose(tiny_model.predict_proba([TEXTS[i] for i in order]), proba[order], rtol=0, atol=1e-12)
    np.testing.assert_allclose(tiny_model.predict_proba(TEXTS[3:9]), proba[3:9], rtol=0, atol=1e-12)


def test_unfitted_use_is_sklearns_not_fitted_error():
    with pytest.raises(NotFittedError):
        clone(tiny_estimator()).predict(["x"])
    from sklearn.utils.validation import check_is_fitted

    with pytest.raises(NotFittedError):
        check_is_fitted(tiny_estimator())


def test_score_takes_weights_and_indicator_matrices(tiny_model):
    Y = np.array([[label in labels for label in tiny_model.classes_] for labels in LABELS], dtype=int)
    assert tiny_model.score(TEXTS, LABELS) == tiny_model.score(TEXTS, Y) == 1.0
    wrong = [["other"]] * len(TEXTS)
    weights = np.r_[np.zeros(len(TEXTS) - 3), np.ones(3)]  # only the last three (two 'other') count
    assert tiny_model.score(TEXTS, wrong, sample_weight=weights) > tiny_model.score(TEXTS, wrong)
    with pytest.raises(BadInputError, match="indicator matrix has 2 columns"):
        tiny_model.score(TEXTS, Y[:, :2])
