"""claimlens: label buyer claims and messages, with the buyer's words as evidence.

The front door for Python, in two lines::

    import claimlens
    clf = claimlens.load()                 # the current model; built from the seed data on first use
    clf.predict(["the charger was not in the box"])          # [['missing_parts']]
    clf.explain("the charger was not in the box")            # the record, with evidence spans

`claimlens.load("path/to/model")` opens one model directory. `clf.estimator` is the scikit-learn
estimator (`ClaimClassifier`) underneath. Heavy modules load on first use, not on import.
"""
from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING

__all__ = ["load", "Classifier", "ClaimClassifier", "__version__"]

try:
    __version__ = metadata.version("claimlens")
except metadata.PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from claimlens.classifier import Classifier, load
    from claimlens.model.estimator import ClaimClassifier


def __getattr__(name: str):
    if name in ("load", "Classifier"):
        from claimlens import classifier

        return getattr(classifier, name)
    if name == "ClaimClassifier":
        from claimlens.model.estimator import ClaimClassifier

        return ClaimClassifier
    raise AttributeError(f"module 'claimlens' has no attribute {name!r}")
