"""The Python front door: `claimlens.load()` returns a Classifier over one saved model."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from claimlens.model.estimator import ClaimClassifier
from claimlens.model.schema import LabelSchema


@dataclass(frozen=True)
class Classifier:
    """A loaded, verified model: labels, scores and evidence for texts."""

    estimator: ClaimClassifier
    manifest: dict
    directory: Path

    @property
    def version(self) -> str:
        return self.manifest["model_version"]

    @property
    def schema(self) -> LabelSchema:
        return self.estimator.schema_

    @property
    def labels(self) -> tuple[str, ...]:
        return self.estimator.schema_.labels

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        """The labels of each text (the exclusive label alone when no reason applies)."""
        return [list(p.labels) for p in self.estimator.predict_explained(texts, explain=False)]

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated scores of every label for each text."""
        return [dict(p.scores) for p in self.estimator.predict_explained(texts, explain=False)]

    def explain(self, text: str, id: str | int | None = None) -> dict:
        """The full record of one text: labels, scores, confidence, language, evidence spans, model."""
        return self.explain_batch([text], [id])[0]

    def explain_batch(self, texts: Sequence[str], ids: Sequence[str | int | None] | None = None) -> list[dict]:
        """explain for many texts at once (faster than one by one); ids default to 1, 2, ..."""
        preds = self.estimator.predict_explained(texts, explain=True)
        ids = list(ids) if ids is not None else list(range(1, len(preds) + 1))
        return [p.to_record(i, self.version) for i, p in zip(ids, preds)]


def load(model: str | PathLike | None = None, *, key: bytes | None = None) -> Classifier:
    """Open a model directory, or (None) the current model of the store, building the default one
    from the bundled seed data on first use (it says so on stderr).

    key: the HMAC key models must be signed with; default CLAIMLENS_MODEL_KEY when set.
    """
    from claimlens.model.persistence import load_model
    from claimlens.training.current import model_key, resolve_model_dir

    directory = resolve_model_dir(None if model is None else Path(model))
    estimator, manifest = load_model(directory, key if key is not None else model_key())
    return Classifier(estimator, manifest, Path(directory))  # tokenisers load per language, when needed
