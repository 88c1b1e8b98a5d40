"""Result types: a prediction and its evidence spans, and the record the CLI and service emit."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EvidenceSpan:
    """Raw-text [start, end) that pushed `label` up by `weight` (log-odds)."""

    label: str
    start: int
    end: int
    text: str
    weight: float

    def to_dict(self) -> dict:
        return {"label": self.label, "start": self.start, "end": self.end, "text": self.text,
                "weight": round(self.weight, 4)}


@dataclass(frozen=True)
class Prediction:
    labels: tuple[str, ...]
    scores: dict[str, float]
    confidence: str
    language: str
    evidence: tuple[EvidenceSpan, ...] = ()
    # per predicted label, the part of the score that no text carries (the intercept)
    unlocated: dict[str, float] = field(default_factory=dict)

    def to_record(self, id_, model_version: str, explain: bool = True) -> dict:
        rec = {"id": id_, "labels": list(self.labels),
               "scores": {k: round(v, 4) for k, v in self.scores.items()},
               "confidence": self.confidence, "language": self.language}
        if explain:
            rec["evidence"] = [e.to_dict() for e in self.evidence]
            rec["unlocated"] = {k: round(v, 4) for k, v in self.unlocated.items()}
        rec["model"] = model_version
        return rec
