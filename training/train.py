"""Fit, cross-validate and save a versioned model from the seed data and the user's files."""
from __future__ import annotations

import json
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from sklearn.base import clone

from claimlens.model.estimator import ClaimClassifier
from claimlens.model.folds import stratified_folds
from claimlens.model.persistence import save_model
from claimlens.model.schema import LabelSchema
from claimlens.model.store import ModelStore
from claimlens.training.datasets import Example, data_hash
from claimlens.training.metrics import evaluate_predictions, indicator, markdown
from claimlens.training.paths import user_words
from claimlens.training.progress import TrainingProgress


def make_estimator(schema: LabelSchema, seed: int, **params) -> ClaimClassifier:
    return ClaimClassifier(schema=schema, user_words=user_words(), random_state=seed, n_jobs=-1, **params)


def fit(estimator: ClaimClassifier, examples: list[Example], sample_weight=None) -> ClaimClassifier:
    """Genres (where known) keep the calibration folds apart; gold evidence adds clause rows."""
    return estimator.fit([e.text for e in examples], [list(e.labels) for e in examples],
                         [e.language for e in examples], groups=[e.extra.get("genre") for e in examples],
                         evidence=[e.evidence for e in examples], sample_weight=sample_weight)


def cross_validate(estimator: ClaimClassifier, examples: list[Example], folds: int,
                   progress: TrainingProgress | None = None) -> dict:
    """Outer cross-validation: every text predicted by a model that did not see it."""
    classes = list(estimator.schema.labels)
    Y = indicator([e.labels for e in examples], classes)
    reasons = [k for k, c in enumerate(classes) if c != estimator.schema.exclusive]
    preds = [None] * len(examples)
    splits = stratified_folds(Y[:, reasons], [e.language or "?" for e in examples], folds, estimator.random_state)
    for k, (train, test) in enumerate(splits, 1):
        with progress.fit(f"cross-validation fold {k}/{folds}", len(train)) if progress else nullcontext():
            model = fit(clone(estimator), [examples[i] for i in train])
        for i, p in zip(test, model.predict_explained([examples[i].text for i in test])):
            preds[i] = p
    return evaluate_predictions(examples, preds, estimator.schema)


def out_of_fold_summary(estimator: ClaimClassifier, examples: list[Example]) -> dict:
    """Figures from the held-out predictions the calibration folds made during fit (no extra cost)."""
    from claimlens.training.metrics import calibration_error, macro_f1

    reasons = list(estimator.schema_.reason_labels)
    Y = indicator([[l for l in e.labels if l in reasons] for e in examples], reasons)
    P = (estimator.oof_probas_ >= estimator.thresholds_).astype(int)
    tp = int((Y & P).sum())
    return {"folds": estimator.cv, "reason_macro_f1": round(macro_f1(Y, P), 4),
            "reason_micro_f1": round(2 * tp / max(1, int(Y.sum() + P.sum())), 4),
            "calibration_error": round(calibration_error(Y, estimator.oof_probas_), 4),
            "confidence_cutoffs": estimator.confidence_cutoffs_}


def train_and_save(examples: list[Example], schema: LabelSchema, store: ModelStore, seed: int = 0,
                   cv_folds: int = 5, sources: list[str] | None = None, log=print, live: bool | None = None,
                   seed_fingerprint: str | None = None) -> Path:
    """Cross-validate (when cv_folds >= 2), fit on everything, save a new version; returns its directory.

    Progress goes to `log` (a line per fit), and live to stderr when it is a terminal (`live`)."""
    estimator = make_estimator(schema, seed)
    files = {}
    metrics = None
    folds = cv_folds if cv_folds >= 2 else 0
    n = len(examples)
    progress = TrainingProgress(([n - n // folds] * folds if folds else []) + [n], log=log, live=live)
    if folds:
        t0 = time.perf_counter()
        metrics = cross_validate(estimator, examples, folds, progress)
        log(f"cross-validated ({folds} folds) in {time.perf_counter() - t0:.1f}s")
        files["evaluation.json"] = json.dumps(metrics, indent=2, ensure_ascii=False) + "\n"
        files["evaluation.md"] = markdown(metrics, f"Cross-validation ({folds} folds)")
    t0 = time.perf_counter()
    with progress.fit("final model", n):
        fit(estimator, examples)
    fit_seconds = time.perf_counter() - t0
    digest = data_hash(examples)
    version, directory = store.new_version(digest)
    summary = None if metrics is None else {
        k: metrics[k] for k in ("macro_f1", "micro_f1", "calibration_error", "evidence_hit_rate",
                                "macro_f1_by_language")}
    from claimlens.training.current import model_key

    save_model(estimator, directory, version, files=files, key=model_key(), extra={
        "training_data_sha256": digest,
        "training": {"examples": len(examples), "sources": sources or [], "seed": seed,
                     "fit_seconds": round(fit_seconds, 2),
                     "languages": dict(Counter(e.language or "?" for e in examples)),
                     **({"seed_fingerprint": seed_fingerprint} if seed_fingerprint else {})},
        "metrics": {"cross_validation": summary, "calibration_folds": out_of_fold_summary(estimator, examples)},
    })
    return directory
