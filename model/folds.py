"""Cross-validation folds for multi-label data in many languages."""
from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold


def stratified_folds(Y: np.ndarray, languages: list[str], n_splits: int, random_state: int):
    """Stratified on language plus the rarest label of each text, so every fold sees every label."""
    freq = Y.sum(0)
    keys = []
    for row, lang in zip(Y, languages):
        on = np.flatnonzero(row)
        rare = int(on[np.argmin(freq[on])]) if on.size else -1
        keys.append(f"{lang}:{rare}")
    counts = {k: keys.count(k) for k in set(keys)}
    keys = [k if counts[k] >= n_splits else "rare" for k in keys]
    skf = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return list(skf.split(np.zeros(len(keys)), keys))
