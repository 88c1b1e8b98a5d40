"""How a challenger learns from the seller's corrections: one function, `train_challenger`.

The method (a documented starting point; benchmarks/adaptation.py measures it): the seed texts
and the corrections train one model together, and each correction weighs

    w = min(MAX_WEIGHT, max(1, FEEDBACK_SHARE * n_seed / n_feedback))

so that the corrections together weigh FEEDBACK_SHARE (30 %) of the seed, no single one more
than MAX_WEIGHT (20) seed texts, and none less than a seed text. Appending them unweighted
drowns a few hundred corrections in ten thousand seed texts; weighting each text (and its
clause rows, see ClaimClassifier.fit) is what repeating it w times would do, without the copies.
Against the 10,048 seed texts: 25 to 150 corrections weigh 20 each, 325 weigh 9.3, 3,000 weigh 1.
"""
from __future__ import annotations

from claimlens.model.estimator import ClaimClassifier
from claimlens.model.schema import LabelSchema
from claimlens.training.datasets import Example
from claimlens.training.train import fit, make_estimator

FEEDBACK_SHARE = 0.3
MAX_WEIGHT = 20.0


def feedback_weight(n_seed: int, n_feedback: int) -> float:
    """The weight of each correction (see the module docstring)."""
    if n_feedback == 0:
        return 1.0
    return min(MAX_WEIGHT, max(1.0, FEEDBACK_SHARE * n_seed / n_feedback))


def train_challenger(seed_examples: list[Example], feedback_examples: list[Example], schema: LabelSchema,
                     seed: int = 0) -> ClaimClassifier:
    """A model trained on the seed texts and the seller's corrections, the corrections weighted."""
    w = feedback_weight(len(seed_examples), len(feedback_examples))
    examples = list(seed_examples) + list(feedback_examples)
    weights = [1.0] * len(seed_examples) + [w] * len(feedback_examples)
    return fit(make_estimator(schema, seed), examples, sample_weight=weights)
