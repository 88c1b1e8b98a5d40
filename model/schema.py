"""The label schema: which labels exist, which one is exclusive, what they are called, what they mean.

It is read from the taxonomy's data file (`data/labels.json`) when a model is trained and travels
inside the model from then on, so everything downstream (the service's /v1/labels and OpenAPI
document, metrics, evaluation, case analysis, the batch report) takes the labels from the model it
runs, never from a list of its own.

Roles name the labels that rules elsewhere depend on (case analysis asks for the label that means
"cancel request", not for a string); a schema without a role simply has no such rule.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from claimlens.model.errors import LabelSchemaError

ROLES = ("cancel_request", "cancel_refused", "not_received", "refund_return")


@dataclass(frozen=True)
class LabelSchema:
    """Labels in a fixed order; `exclusive` means "none of the reason labels"."""

    labels: tuple[str, ...]
    exclusive: str
    descriptions: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # label → {language: display name}
    return_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # label → marketplace codes
    roles: dict[str, str] = field(default_factory=dict)  # role → label
    claim_reasons: tuple[str, ...] = ()  # the labels that are a claim's reasons about the product

    @property
    def reason_labels(self) -> tuple[str, ...]:
        return tuple(l for l in self.labels if l != self.exclusive)

    def role(self, name: str) -> str | None:
        """The label that plays a role ("cancel_request", ...), or None when this schema has none."""
        return self.roles.get(name)

    def name(self, label: str, language: str = "en") -> str:
        """A label's display name in a language, else in English, else the label itself."""
        names = self.names.get(label, {})
        return names.get(language) or names.get("en") or label

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
        """The taxonomy file's format (JSON-able); from_dict reads it back."""
        return {"exclusive": self.exclusive, "roles": dict(self.roles), "claim_reasons": list(self.claim_reasons),
                "labels": [{"name": l, "names": dict(self.names.get(l, {})),
                            "description": self.descriptions.get(l, ""),
                            "return_codes": list(self.return_codes.get(l, ()))} for l in self.labels]}

    @classmethod
    def from_dict(cls, raw: dict) -> "LabelSchema":
        try:
            entries = raw["labels"]
            labels = tuple(e["name"] for e in entries)
            exclusive = raw["exclusive"]
            descriptions = {e["name"]: e.get("description", "") for e in entries}
            names = {e["name"]: dict(e.get("names") or {}) for e in entries}
            codes = {e["name"]: tuple(e.get("return_codes") or ()) for e in entries}
            roles = dict(raw.get("roles") or {})
            claim_reasons = tuple(raw.get("claim_reasons") or ())
        except (KeyError, TypeError, AttributeError) as exc:
            raise LabelSchemaError(f"label schema is missing a field: {exc}") from exc
        if not labels or not all(isinstance(l, str) and l for l in labels):
            raise LabelSchemaError(f"label schema needs label names (non-empty strings), got {list(labels)}")
        if len(set(labels)) != len(labels):
            raise LabelSchemaError(f"label schema repeats a label: {list(labels)}")
        if exclusive not in labels:
            raise LabelSchemaError(f"exclusive label {exclusive!r} is not among the labels")
        unknown = {r: l for r, l in roles.items() if r not in ROLES or l not in labels or l == exclusive}
        if unknown:
            raise LabelSchemaError(f"label schema roles must map one of {', '.join(ROLES)} to a reason label, "
                                   f"got {unknown}")
        stray = [l for l in claim_reasons if l not in labels or l == exclusive]
        if stray:
            raise LabelSchemaError(f"claim_reasons must be reason labels, got {stray}")
        return cls(labels, exclusive, descriptions, names, codes, roles, claim_reasons)


def load_schema(path: Path) -> LabelSchema:
    """Read and validate a label schema file (JSON)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LabelSchemaError(f"cannot read label schema {path}: {exc}") from exc
    return LabelSchema.from_dict(raw)


def bundled_schema() -> LabelSchema:
    """The taxonomy shipped with claimlens (package data, not the environment)."""
    return load_schema(Path(str(resources.files("claimlens.data") / "labels.json")))
