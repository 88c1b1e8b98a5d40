"""Cross-validation folds for multi-label data in many languages."""
from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold


def stratified_folds(Y: np.ndarray, languages: list[str], n_splits: int, random_state: int,
                     groups: list[str | None] | None = None):
    """Stratified on language plus the rarest label of each text, so every fold sees every label.

    With `groups` (a genre, say), a group never straddles folds: each fold then holds out texts
    written unlike the training texts, as real buyers' texts will be. Rows whose group is None
    are groups of one.
    """
    freq = Y.sum(0)
    keys = []
    for row, lang in zip(Y, languages):
        on = np.flatnonzero(row)
        rare = int(on[np.argmin(freq[on])]) if on.size else -1
        keys.append(f"{lang}:{rare}")
    counts = {k: keys.count(k) for k in set(keys)}
    keys = [k if counts[k] >= n_splits else "rare" for k in keys]
    if groups is None:
        skf = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
        return list(skf.split(np.zeros(len(keys)), keys))
    ids = [g if g is not None else f"#row{i}" for i, g in enumerate(groups)]
    sgkf = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
    return list(sgkf.split(np.zeros(len(keys)), keys, ids))
