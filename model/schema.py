"""The label schema: which labels exist, which one is exclusive, and checks on label sets."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from claimlens.model.errors import LabelSchemaError


@dataclass(frozen=True)
class LabelSchema:
    """Labels in a fixed order; `exclusive` means "none of the reason labels"."""

    labels: tuple[str, ...]
    exclusive: str
    descriptions: dict[str, str]

    @property
    def reason_labels(self) -> tuple[str, ...]:
        return tuple(l for l in self.labels if l != self.exclusive)

    def check(self, labels: list[str] | tuple[str, ...], where: str = "") -> tuple[str, ...]:
        """Return the labels in schema order, or raise naming what is wrong."""
        prefix = f"{where}: " if where else ""
        if not labels:
            raise LabelSchemaError(f"{prefix}no labels given", {"labels": list(labels)})
        unknown = [l for l in labels if l not in self.labels]
        if unknown:
            raise LabelSchemaError(
                f"{prefix}unknown label(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(self.labels)}", {"unknown": unknown})
        if self.exclusive in labels and len(set(labels)) > 1:
            raise LabelSchemaError(
                f"{prefix}{self.exclusive!r} cannot be combined with other labels: {list(labels)}",
                {"labels": list(labels)})
        return tuple(l for l in self.labels if l in set(labels))

    def to_dict(self) -> dict:
        return {"exclusive": self.exclusive,
                "labels": [{"name": l, "description": self.descriptions.get(l, "")} for l in self.labels]}

    @classmethod
    def from_dict(cls, raw: dict) -> "LabelSchema":
        try:
            entries = raw["labels"]
            labels = tuple(e["name"] for e in entries)
            exclusive = raw["exclusive"]
            descriptions = {e["name"]: e.get("description", "") for e in entries}
        except (KeyError, TypeError) as exc:
            raise LabelSchemaError(f"label schema is missing a field: {exc}") from exc
        if len(set(labels)) != len(labels):
            raise LabelSchemaError(f"label schema repeats a label: {list(labels)}")
        if exclusive not in labels:
            raise LabelSchemaError(f"exclusive label {exclusive!r} is not among the labels")
        return cls(labels=labels, exclusive=exclusive, descriptions=descriptions)


def load_schema(path: Path) -> LabelSchema:
    """Read and validate a label schema file (JSON)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LabelSchemaError(f"cannot read label schema {path}: {exc}") from exc
    return LabelSchema.from_dict(raw)
