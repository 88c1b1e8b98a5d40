"""The linear scorer: one logistic regression per reason label, stacked into one coefficient matrix."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.linear_model import LogisticRegression


def fit_one_vs_rest(X: sp.csr_matrix, Y: np.ndarray, C: float, class_weight: str | None,
                    random_state: int, sample_weight: np.ndarray | None = None,
                    n_jobs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients as a (n_features, n_labels) C-ordered matrix, so X @ W is one sparse product."""
    def one(y: np.ndarray) -> tuple[np.ndarray, float]:
        if y.min() == y.max():  # a label absent (or universal) in this sample: a constant scorer
            return np.zeros(X.shape[1]), (10.0 if y[0] else -10.0)
        clf = LogisticRegression(C=C, class_weight=class_weight, solver="liblinear",
                                 max_iter=1000, random_state=random_state)
        clf.fit(X, y, sample_weight=sample_weight)
        return clf.coef_[0], float(clf.intercept_[0])

    # liblinear holds the GIL: labels fit side by side only in separate processes
    fitted = Parallel(n_jobs=n_jobs, prefer="processes")(delayed(one)(Y[:, k]) for k in range(Y.shape[1]))
    W = np.ascontiguousarray(np.column_stack([w for w, _ in fitted]))
    return W, np.array([b for _, b in fitted])


def fit_platt(decisions: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per-label sigmoid (slope, offset) fitted on out-of-fold decision values."""
    params = np.zeros((Y.shape[1], 2))
    for k in range(Y.shape[1]):
        y = Y[:, k]
        if y.min() == y.max():
            params[k] = (1.0, 0.0)
            continue
        lr = LogisticRegression(C=1e4, solver="lbfgs")
        lr.fit(decisions[:, [k]], y)
        # A non-positive slope means the held-out scores carried no signal (tiny or odd data):
        # keep the raw sigmoid rather than invert the scorer.
        params[k] = (lr.coef_[0, 0], lr.intercept_[0]) if lr.coef_[0, 0] > 0 else (1.0, 0.0)
    return params


def calibrate(decisions: np.ndarray, platt: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(decisions * platt[:, 0] + platt[:, 1])))


def best_thresholds(probs: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per-label probability threshold that maximises F1 on out-of-fold predictions."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    out = np.full(Y.shape[1], 0.5)
    for k in range(Y.shape[1]):
        y = Y[:, k].astype(bool)
        if not y.any():
            continue
        pred = probs[:, [k]] >= grid
        tp = (pred & y[:, None]).sum(0)
        f1 = 2 * tp / (pred.sum(0) + y.sum())
        # widest plateau of the best F1: take its middle, which is steadier than its edge
        best = np.flatnonzero(f1 >= f1.max() - 1e-9)
        out[k] = grid[best[len(best) // 2]]
    return out
