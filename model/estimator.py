"""ClaimClassifier: the multi-label claim-reason model as a scikit-learn estimator."""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from claimlens.model.analysis import Analysis, Analyzer
from claimlens.model.errors import BadInputError, ConfigurationError, NotReadyError
from claimlens.model.evidence import phrases, token_scores
from claimlens.model.features import FeatureSpace
from claimlens.model.folds import stratified_folds
from claimlens.model.language import LanguageIdentifier
from claimlens.model.normalize import normalize
from claimlens.model.confidence import CERTAINTY, MARGIN, NEVER, confidence_bands, confidence_cutoffs
from claimlens.model.linear import best_thresholds, calibrate, fit_one_vs_rest, fit_platt
from claimlens.model.pooling import clause_examples, pooled_decisions
from claimlens.model.prediction import Prediction
from claimlens.model.schema import LabelSchema, bundled_schema
from claimlens.model.tokenize import Tokenizer

class ClaimClassifier(ClassifierMixin, BaseEstimator):
    """Char + word n-gram tf-idf, one calibrated logistic regression per reason label.

    `schema` is the label schema (default: the taxonomy bundled with claimlens); it travels with
    the fitted model. `y` is a list of label lists (or an indicator matrix over the schema's
    labels, in order). `fit` also takes
    `languages`, the language of each text where known, to train language identification, and
    `groups` (such as genres) that the calibration folds keep apart, and gold `evidence`
    spans [(label, start, end), ...] per text, from which clauses become extra training rows
    (weighted `clause_weight`; 0 turns that off), and `sample_weight` per text (its clause rows
    take `clause_weight` times their text's weight), which the label scorers train with.
    """

    def __init__(self, schema: LabelSchema | None = None,
                 word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (1, 4),
                 min_df: int = 2, C: float = 10.0, class_weight: str | None = "balanced",
                 cv: int = 3, clause_pooling: bool = True, clause_weight: float = 0.5,
                 evidence_min_share: float = 0.3,
                 max_spans: int = 3,
                 user_words: Sequence[str] = (), n_jobs: int | None = None, random_state: int = 0) -> None:
        self.schema = schema
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.cv = cv
        self.clause_pooling = clause_pooling
        self.clause_weight = clause_weight
        self.evidence_min_share = evidence_min_share
        self.max_spans = max_spans
        self.user_words = user_words
        self.n_jobs = n_jobs
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------
    def _validate_params(self) -> None:
        for name in ("word_ngrams", "char_ngrams"):
            lo, hi = getattr(self, name)
            if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi <= 8):
                raise ConfigurationError(f"{name} must be (lo, hi) with 1 <= lo <= hi <= 8, got {(lo, hi)!r}")
        if not (isinstance(self.min_df, int) and self.min_df >= 1):
            raise ConfigurationError(f"min_df must be a positive integer, got {self.min_df!r}")
        if not self.C > 0:
            raise ConfigurationError(f"C must be positive, got {self.C!r}")
        if not (isinstance(self.cv, int) and self.cv >= 2):
            raise ConfigurationError(f"cv must be an integer >= 2, got {self.cv!r}")
        if not 0 < self.evidence_min_share <= 1:
            raise ConfigurationError(f"evidence_min_share must be in (0, 1], got {self.evidence_min_share!r}")
        if self.schema is not None and not isinstance(self.schema, LabelSchema):
            raise ConfigurationError(f"schema must be a LabelSchema or None, got {type(self.schema).__name__}")
        schema = self.schema if self.schema is not None else bundled_schema()
        self.schema_ = LabelSchema.from_dict(schema.to_dict())  # checks duplicates and the exclusive label

    def _full_indicator(self, y) -> np.ndarray:
        """Indicator matrix over all labels (n, n_labels), from label lists or an indicator matrix."""
        labels = self.schema_.labels
        if isinstance(y, np.ndarray) and y.ndim == 2:
            if y.shape[1] != len(labels):
                raise BadInputError(f"indicator matrix has {y.shape[1]} columns, expected {len(labels)}")
            return y.astype(int)
        out = np.zeros((len(y), len(labels)), dtype=int)
        for i, row in enumerate(y):
            if isinstance(row, str):
                raise BadInputError(f"row {i + 1}: labels must be a list, got the string {row!r}")
            for l in self.schema_.check(list(row), where=f"row {i + 1}"):
                out[i, labels.index(l)] = 1
        return out

    def _indicator(self, y) -> np.ndarray:
        """Reason-label indicator matrix (n, n_reasons) from label lists or a full indicator matrix."""
        full = self._full_indicator(y)
        return full[:, [self.schema_.labels.index(l) for l in self.schema_.reason_labels]]

    def fit(self, X: Sequence[str], y, languages: Sequence[str | None] | None = None,
            groups: Sequence[str | None] | None = None,
            evidence: Sequence[Sequence[tuple[str, int, int]]] | None = None,
            sample_weight: Sequence[float] | None = None) -> "ClaimClassifier":
        self._validate_params()
        texts = _check_texts(X)
        Y = self._indicator(y)
        if len(texts) != len(Y):
            raise BadInputError(f"{len(texts)} texts but {len(Y)} label rows")
        weights = np.ones(len(texts)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if weights.shape != (len(texts),) or not (np.isfinite(weights).all() and (weights > 0).all()):
            raise BadInputError(f"sample_weight must hold one positive number per text ({len(texts)})")
        languages = list(languages) if languages is not None else [None] * len(texts)
        known = [(t, l) for t, l in zip(texts, languages) if l]
        langid = LanguageIdentifier().fit([normalize(t).text for t, _ in known], [l for _, l in known])
        self.analyzer_ = Analyzer(Tokenizer(tuple(self.user_words)), langid, self.word_ngrams, self.char_ngrams)
        analyses = self.analyzer_.analyze_batch(texts)
        feats = [a.features for a in analyses]
        strat_langs = [l or "?" for l in languages]

        reasons = self.schema_.reason_labels
        extra = [[] for _ in texts]
        if evidence is not None and self.clause_weight > 0:
            extra = [clause_examples(a, ev or (), reasons) for a, ev in zip(analyses, evidence)]

        def scorer(rows, space=None):
            """Feature space and coefficients fitted on these texts and their clauses."""
            f = [feats[i] for i in rows] + [cf for i in rows for cf, _ in extra[i]]
            Yr = np.vstack([Y[rows]] + [cy[None, :] for i in rows for _, cy in extra[i]])
            w = np.r_[weights[rows], [self.clause_weight * weights[i] for i in rows for _ in extra[i]]]
            space = space or FeatureSpace(self.min_df).fit([feats[i] for i in rows])
            return (space, *fit_one_vs_rest(space.transform(f), Yr, self.C, self.class_weight,
                                            self.random_state, w, self.n_jobs))

        oof = np.zeros(Y.shape, dtype=float)
        for train, test in stratified_folds(Y, strat_langs, self.cv, self.random_state,
                                            None if groups is None else list(groups)):
            space, W, b = scorer(train)
            oof[test] = pooled_decisions(space, W, b, [analyses[i] for i in test], self.clause_pooling).decisions
        self.platt_ = fit_platt(oof, Y)
        self.oof_probas_ = calibrate(oof, self.platt_)
        self.thresholds_ = best_thresholds(self.oof_probas_, Y)
        self.confidence_measure_ = CERTAINTY
        self.confidence_cutoffs_ = confidence_cutoffs(self.oof_probas_, self.thresholds_, Y,
                                                      None if groups is None else list(groups))
        self.space_, self.coef_, self.intercept_ = scorer(np.arange(len(texts)))
        self.classes_ = np.array(self.schema_.labels)
        return self

    # -- prediction --------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotReadyError("this ClaimClassifier is not fitted yet; call fit or load a model")

    def _reason_probas(self, analyses: list[Analysis]):
        pooled = pooled_decisions(self.space_, self.coef_, self.intercept_, analyses, self.clause_pooling)
        return pooled, calibrate(pooled.decisions, self.platt_)

    def _full_probas(self, reason_p: np.ndarray) -> np.ndarray:
        """Columns in `classes_` order; the exclusive label scores 1 - the strongest reason."""
        out = np.zeros((len(reason_p), len(self.classes_)))
        reasons = self.schema_.reason_labels
        for k, label in enumerate(self.classes_):
            out[:, k] = 1.0 - reason_p.max(1) if label == self.schema_.exclusive else reason_p[:, reasons.index(label)]
        return out

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        self._check_fitted()
        return self._full_probas(self._reason_probas(self.analyzer_.analyze_batch(_check_texts(X)))[1])

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """Indicator matrix over `classes_`."""
        self._check_fitted()
        _, p = self._reason_probas(self.analyzer_.analyze_batch(_check_texts(X)))
        on = p >= self.thresholds_
        out = np.zeros((len(p), len(self.classes_)), dtype=int)
        reasons = self.schema_.reason_labels
        for k, label in enumerate(self.classes_):
            out[:, k] = ~on.any(1) if label == self.schema_.exclusive else on[:, reasons.index(label)]
        return out

    def score(self, X, y, sample_weight=None) -> float:
        """Macro F1 over all labels (accuracy, ClassifierMixin's default, is too strict for multi-label).

        y: label lists or an indicator matrix over `classes_`, as fit takes them.
        """
        from sklearn.metrics import f1_score

        self._check_fitted()
        Y = self._full_indicator(y)
        if len(Y) != len(X):
            raise BadInputError(f"{len(X)} texts but {len(Y)} label rows")
        return float(f1_score(Y, self.predict(X), average="macro", zero_division=0, sample_weight=sample_weight))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # a sequence of texts, not a feature matrix
        tags.input_tags.string = True
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags

    def predict_explained(self, X: Sequence[str], explain: bool = True) -> list[Prediction]:
        """Labels, calibrated scores, confidence band, language and (optionally) evidence spans."""
        self._check_fitted()
        analyses = self.analyzer_.analyze_batch(_check_texts(X))
        pooled, probs = self._reason_probas(analyses)
        reasons = self.schema_.reason_labels
        # Scores, label sets and bands of the whole batch at once: per row, the numpy calls on one
        # short vector cost more than the arithmetic.
        on_rows = (probs >= self.thresholds_).tolist()
        score_rows = self._full_probas(probs).tolist()
        bands = confidence_bands(probs, self.thresholds_, self.confidence_cutoffs_, self.confidence_measure_)
        classes = self.classes_.tolist()
        evidence = self._evidence(analyses, pooled, on_rows) if explain else {}
        out = []
        for i, (analysis, on_row, score_row) in enumerate(zip(analyses, on_rows, score_rows)):
            on = [k for k, is_on in enumerate(on_row) if is_on]
            labels = tuple(reasons[k] for k in on) or (self.schema_.exclusive,)
            unlocated = {reasons[k]: float(self.intercept_[k]) for k in on} if explain else {}
            out.append(Prediction(labels, dict(zip(classes, score_row)), bands[i], analysis.language,
                                  evidence.get(i, ()), unlocated))
        return out

    def _evidence(self, analyses: list[Analysis], pooled, on_rows: list[list[bool]]) -> dict[int, tuple]:
        """Spans for every label given, from the view (whole text or clause) that gave it its score; all
        (text, label) pairs of the batch scored at once. Keyed by text; texts with no label are left out."""
        pairs = [(i, k) for i, on_row in enumerate(on_rows) for k, is_on in enumerate(on_row) if is_on]
        if not pairs:
            return {}
        text_of, labels = (np.array(x, dtype=np.int64) for x in zip(*pairs))
        views = pooled.winner[text_of, labels]
        with_pairs = set(text_of.tolist())
        token_bounds = [np.array([(s, e) for _, s, e in a.tokens], dtype=np.int64).reshape(-1, 2)
                        if i in with_pairs else _NO_TOKENS for i, a in enumerate(analyses)]
        scores = token_scores(pooled.found.by_text(), text_of, np.array(pooled.spans, dtype=np.int64)[views], labels,
                              pooled.rows[views], self.coef_, token_bounds,
                              [len(a.normalized.text) for a in analyses])
        reasons = self.schema_.reason_labels
        out: dict[int, tuple] = {}
        for (i, k), s in zip(pairs, scores):
            out[i] = out.get(i, ()) + tuple(
                phrases(analyses[i], s, reasons[k], self.evidence_min_share, self.max_spans))
        return out

    # -- saving without pickle ---------------------------------------------------------------
    def to_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """Everything a fitted model needs to predict, as JSON-able values and named arrays.

        model.persistence writes them as JSON and .npz; from_state rebuilds the model from them.
        """
        self._check_fitted()
        language, language_arrays = self.analyzer_.language_identifier.to_state()
        space, space_arrays = self.space_.to_state()
        meta = {
            "params": _jsonable(self.get_params()),
            "labels": list(self.schema_.labels),
            "schema": self.schema_.to_dict(),
            # a band that is never given was Infinity in format 1; JSON wants a finite number
            "confidence_cutoffs": {k: v if np.isfinite(v) else NEVER for k, v in self.confidence_cutoffs_.items()},
            "confidence_measure": self.confidence_measure_,
            "tokenizer": {"user_words": list(self.analyzer_.tokenizer.user_words)},
            "language": language,
            "space": space,
        }
        arrays = {"coef": self.coef_, "intercept": self.intercept_, "platt": self.platt_,
                  "thresholds": self.thresholds_,
                  **{f"language.{k}": v for k, v in language_arrays.items()},
                  **{f"space.{k}": v for k, v in space_arrays.items()}}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> "ClaimClassifier":
        params = dict(meta["params"])
        for name in ("word_ngrams", "char_ngrams", "user_words"):
            params[name] = tuple(params[name])
        params["schema"] = LabelSchema.from_dict(meta["schema"])
        self = cls(**params)
        self.schema_ = params["schema"]
        self.classes_ = np.array(self.schema_.labels)

        def part(prefix: str) -> dict[str, np.ndarray]:
            return {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}

        langid = LanguageIdentifier.from_state(meta["language"], part("language."))
        tokenizer = Tokenizer(tuple(meta["tokenizer"]["user_words"]))
        self.analyzer_ = Analyzer(tokenizer, langid, self.word_ngrams, self.char_ngrams)
        self.space_ = FeatureSpace.from_state(meta["space"], part("space."))
        self.coef_, self.intercept_ = arrays["coef"], arrays["intercept"]
        self.platt_, self.thresholds_ = arrays["platt"], arrays["thresholds"]
        self.confidence_cutoffs_ = dict(meta["confidence_cutoffs"])
        # saved before certainty: the cut-offs are on the margin
        self.confidence_measure_ = meta.get("confidence_measure", MARGIN)
        return self

    def warm_up(self) -> "ClaimClassifier":
        """Load tokenisers now (before a server forks), so the first request is not slow."""
        self._check_fitted()
        self.analyzer_.tokenizer.warm_up()
        self.space_.warm_up()
        return self


_NO_TOKENS = np.zeros((0, 2), dtype=np.int64)  # a text with no label needs no evidence


def _jsonable(params: dict) -> dict:
    """get_params as JSON: tuples become lists; the schema is saved on its own (see to_state)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items() if k != "schema"}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_texts(X) -> list[str]:
    if isinstance(X, str):
        raise BadInputError("expected a sequence of texts, got a single string; wrap it in a list")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise BadInputError(f"text {i + 1} is {type(t).__name__}, not str", {"index": i})
        if not t.isascii() and _SURROGATE.search(t):
            raise BadInputError(f"text {i + 1} has a lone surrogate (U+D800..U+DFFF), which is not valid Unicode",
                                {"index": i})
    return texts
