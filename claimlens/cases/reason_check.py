"""Return reasons checked against the buyer's own words: does the comment support the code it came with?

A *seller-fault code* is a return code the model's schema maps to one of its claim reasons
(`return_codes` in data/labels.json: DEFECTIVE, DAMAGED_BY_CARRIER, NOT_AS_DESCRIBED,
MISSING_PARTS, WRONG_ITEM, …): with such a code the seller pays the return shipping and the
return counts against the listing. Merchant returns carry the same codes with a `CR-` prefix.
Codes of the exclusive label (UNWANTED_ITEM, FOUND_BETTER_PRICE, …) put no cost on the seller.

| consistent | rule (the first that holds) |
|---|---|
| null | no code, a code the schema does not know, or a code that puts no cost on the seller |
| true | the model gives the comment the code's label; evidence: its spans |
| false | the comment carries a cue (reason_cues.py) that contradicts the code: no longer wanted, ordered by mistake or a better price contradict every seller-fault code; "it works" contradicts the codes of DEFECTIVE's label; evidence: the cue |
| null | otherwise: the comment says nothing either way (or names another fault: `why` says which) |

The model's labels win over a cue, so "works fine but the charger is missing" supports
MISSING_PARTS. Limits: the cues are phrase lists, not understanding; a negated fault the model
reads as a fault ("nothing is broken") counts as support.
"""
from __future__ import annotations

from typing import NamedTuple

from claimlens.cases.reason_cues import DESCRIPTIONS, cues

AUTO = "<auto>"  # --reason-column not given: the returns report's `reason` column, if the layout is one
REASON_COLUMNS = ("reason", "return-reason", "return_reason")
COMMENT_COLUMNS = ("customer-comments", "customer_comments")
GROUP_COLUMNS = ("sku", "seller-sku", "merchant-sku")
DATE_COLUMNS = ("return-date", "return_date", "return-request-date")
MERCHANT_PREFIX = "CR-"
DEFECT_CODE = "DEFECTIVE"  # Amazon's code; its label's codes are the ones "it works" contradicts


class ReasonCell(NamedTuple):
    """A row's return reason code and where its contradictions are counted (group, day)."""

    code: str
    group: str | None
    day: str | None


def find_columns(names: list[str] | None, text: str, reason, group_by: str | None,
                 date: str | None) -> tuple[str | None, str | None, str | None]:
    """(reason, group, date) columns of the check, or (None, None, None) when it is off.

    AUTO finds the layout of a returns report: a `reason` column beside the customer comments
    being labelled. Contradictions are counted by --group-by / --date-column, else by the
    report's `sku` / `return-date` columns.
    """
    if reason == AUTO:
        if not names or text not in COMMENT_COLUMNS:
            return None, None, None
        reason = next((c for c in REASON_COLUMNS if c in names), None)
        if reason is None:
            return None, None, None
    if reason is None:
        return None, None, None
    if names is None:  # JSONL: rows carry their own keys
        return reason, group_by or GROUP_COLUMNS[0], date or DATE_COLUMNS[0]
    return (reason, group_by or next((c for c in GROUP_COLUMNS if c in names), None),
            date or next((c for c in DATE_COLUMNS if c in names), None))


def normalise(code: str) -> tuple[str, bool]:
    """(the Amazon code, whether it came with the merchant prefix): "cr-missing parts" → ("MISSING_PARTS", True)."""
    raw = code.strip().upper()
    merchant = raw.startswith(MERCHANT_PREFIX)
    if merchant:
        raw = raw[len(MERCHANT_PREFIX):]
    return "_".join(raw.replace("-", " ").split()), merchant


class ReasonChecker:
    """Checks codes against comments for one label schema."""

    def __init__(self, schema) -> None:
        self.schema = schema
        self.label_of = {code: label for label, codes in schema.return_codes.items() for code in codes}
        self.defect = self.label_of.get(DEFECT_CODE)

    def check(self, code: str | None, text: str, labels, evidence) -> dict:
        """{"code", "consistent", "why", "evidence"}; `evidence` are the prediction's spans (dicts)."""
        if not code or not code.strip():
            return _verdict(None, None, "no return reason code", [])
        normal, _ = normalise(code)
        label = self.label_of.get(normal)
        shown = code.strip()
        if label is None:
            return _verdict(shown, None, f"unknown return reason code {shown!r}", [])
        if label not in self.schema.claim_reasons:
            return _verdict(shown, None, f"{normal} puts no cost on the seller", [])
        name = self.schema.name(label, "en")
        if label in labels:
            spans = [{"start": e["start"], "end": e["end"], "text": e["text"]} for e in evidence if e["label"] == label]
            return _verdict(shown, True, f"the comment names the fault the code claims ({name})", spans)
        against = [c for c in cues(text) if c.kind != "works" or label == self.defect]
        if against:
            kinds = list(dict.fromkeys(c.kind for c in against))
            return _verdict(shown, False, f"{normal} blames the seller, but {' and '.join(DESCRIPTIONS[k] for k in kinds)}",
                            [{"start": c.start, "end": c.end, "text": c.text} for c in against])
        others = [l for l in self.schema.claim_reasons if l in labels]
        if others:
            named = ", ".join(self.schema.name(l, "en") for l in others)
            return _verdict(shown, None, f"the comment names another fault ({named}), not {name}",
                            [{"start": e["start"], "end": e["end"], "text": e["text"]}
                             for e in evidence if e["label"] in others])
        return _verdict(shown, None, "the comment says nothing either way", [])


def _verdict(code, consistent, why: str, evidence: list[dict]) -> dict:
    return {"code": code, "consistent": consistent, "why": why, "evidence": evidence}
