"""The finding rules: each code, its exact rule, and the buyer's words it rests on.

Terms: a *cancellation request* is a buyer message labelled `cancellation_request`, or the
order field `buyer_requested_cancel` (Amazon's Orders API; it carries no time, and Amazon takes
such requests only before shipment, so it counts as made before shipment). A claim's
*reasons* are its product labels (missing_parts, not_as_described, wrong_item,
damaged_defective, not_received) from the claim text and the marketplace reason.

| code | rule |
|---|---|
| cancel_requested_before_shipment | a cancellation request exists, made before `shipped_at` (or the order never shipped) |
| shipped_after_cancel_request | `shipped_at` is later than the earliest cancellation request |
| no_buyer_contact_before_claim | no buyer message was sent before the claim's `filed_at` |
| issue_raised_before_claim | one of the claim's reasons is carried by a buyer message sent before the claim (one finding per reason, quoting the earliest such message) |
| claim_reason_not_raised_before | the claim has reasons and no earlier buyer message carries any of them |
| retaliation_suspected | `claim_reason_not_raised_before` holds for a claim, and before it a cancellation request was refused or ignored: the order shipped after the request, or a buyer message labelled `cancellation_refused` precedes the claim |
| unanswered_buyer_message | a buyer message has no seller message within the 24 hours after it |
| delivered_before_not_received_claim | a claim carries `not_received` and `delivered_at` is before its `filed_at` |
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from claimlens.model.schema import LabelSchema, bundled_schema

REPLY_WINDOW = timedelta(hours=24)
_RANK = {"high": 2, "medium": 1, "low": 0}


@dataclass(frozen=True)
class Labelled:
    """A buyer message or a claim with the model's labels and evidence."""

    event: str
    kind: str                  # "message" or "claim"
    at: datetime
    labels: frozenset[str]
    confidence: str
    evidence: tuple[dict, ...]  # {event, label, start, end, text, weight}: raw offsets into that event's text
    text: str
    claim_type: str | None = None
    extra: dict = field(default_factory=dict)


def quote(item: Labelled, label: str) -> list[dict]:
    """The strongest evidence span of `label` in the item (or the whole text if none was located)."""
    spans = [e for e in item.evidence if e["label"] == label]
    own = [e for e in spans if e["event"] == item.event]  # the item's own words before a reason code
    spans = own or spans
    if spans:
        top = max(spans, key=lambda e: e["weight"])
        return [{"event": top["event"], "start": top["start"], "end": top["end"], "text": top["text"]}]
    return [{"event": item.event, "start": 0, "end": len(item.text), "text": item.text}]


def _weakest(*bands: str) -> str:
    return min(bands, key=_RANK.__getitem__) if bands else "high"


def _finding(code: str, confidence: str, summary: str, evidence: list[dict], **facts) -> dict:
    return {"code": code, "confidence": confidence, "summary": summary, "evidence": evidence, **facts}


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def find(case, messages: list[Labelled], claims: list[Labelled], seller_times: list[datetime],
         schema: LabelSchema | None = None) -> list[dict]:
    """All findings of a case, in a fixed order of codes and then time.

    The labels a rule looks for come from the model's schema by role (see model.schema); default:
    the bundled taxonomy.
    """
    schema = schema or bundled_schema()
    cancel = schema.role("cancel_request")
    out: list[dict] = []
    requests = [m for m in messages if cancel in m.labels]
    field_request = case.buyer_requested_cancel
    shipped = case.shipped_at

    before_ship = [m for m in requests if shipped is None or m.at < shipped]
    if field_request or before_ship:
        evidence = [q for m in before_ship for q in quote(m, cancel)]
        if field_request:
            evidence.insert(0, {"event": "order.buyer_requested_cancel", "start": 0,
                                "end": len(case.buyer_cancel_reason or ""), "text": case.buyer_cancel_reason or ""})
        first = min((m.at for m in before_ship), default=None)
        out.append(_finding("cancel_requested_before_shipment",
                            "high" if field_request else _weakest(*(m.confidence for m in before_ship)),
                            "The buyer asked to cancel before the order shipped.", evidence,
                            requested_at=_iso(first), via_order_field=field_request))

    earliest = min((m for m in requests), key=lambda m: m.at, default=None)
    if shipped and (field_request or (earliest and earliest.at < shipped)):
        evidence = quote(earliest, cancel) if earliest and earliest.at < shipped else []
        hours = round((shipped - earliest.at).total_seconds() / 3600, 1) if evidence else None
        out.append(_finding("shipped_after_cancel_request",
                            "high" if field_request else earliest.confidence,
                            "The order shipped after the buyer had asked to cancel.", evidence,
                            shipped_at=_iso(shipped), hours_after_request=hours))

    for claim in claims:
        out += _claim_findings(case, claim, messages, requests, field_request, schema)

    for m in messages:
        if not any(m.at < t <= m.at + REPLY_WINDOW for t in seller_times):
            out.append(_finding("unanswered_buyer_message", "high",
                                "No seller reply within 24 hours of this buyer message.",
                                [{"event": m.event, "start": 0, "end": len(m.text), "text": m.text}],
                                sent_at=_iso(m.at)))
    return out


def _claim_findings(case, claim: Labelled, messages, requests, field_request, schema: LabelSchema) -> list[dict]:
    out = []
    earlier = [m for m in messages if m.at < claim.at]
    reasons = [r for r in schema.claim_reasons if r in claim.labels]
    claim_quotes = [q for r in reasons for q in quote(claim, r)]
    if not earlier:
        out.append(_finding("no_buyer_contact_before_claim", "high",
                            "The buyer sent no message to the seller before filing the claim.",
                            claim_quotes or quote(claim, schema.exclusive), claim=claim.event, filed_at=_iso(claim.at)))
    raised = {}
    for r in reasons:
        carriers = sorted((m for m in earlier if r in m.labels), key=lambda m: m.at)
        if carriers:
            raised[r] = carriers[0]
    for r, m in raised.items():
        out.append(_finding("issue_raised_before_claim", _weakest(m.confidence, claim.confidence),
                            f"The buyer reported {r} on {m.at.date().isoformat()}, before the claim: "
                            "the seller had a chance to fix it.", quote(m, r) + quote(claim, r),
                            claim=claim.event, label=r, first_raised_at=_iso(m.at)))
    if reasons and not raised:
        out.append(_finding("claim_reason_not_raised_before", claim.confidence,
                            f"The claim's reason ({', '.join(reasons)}) appears in none of the buyer's "
                            f"{len(earlier)} earlier message(s).", claim_quotes,
                            claim=claim.event, reasons=reasons, earlier_messages=len(earlier)))
        refused = [m for m in earlier if schema.role("cancel_refused") in m.labels]
        early_requests = [m for m in requests if m.at < claim.at]
        shipped_anyway = case.shipped_at is not None and case.shipped_at < claim.at and (
            field_request or any(m.at < case.shipped_at for m in early_requests))
        if shipped_anyway or refused:
            evidence = [q for m in early_requests[:1] for q in quote(m, schema.role("cancel_request"))]
            evidence += [q for m in refused[:1] for q in quote(m, schema.role("cancel_refused"))] + claim_quotes
            out.append(_finding("retaliation_suspected",
                                _weakest(claim.confidence, *(m.confidence for m in early_requests[:1] + refused[:1])),
                                "The claim follows a refused or ignored cancellation and names a reason the "
                                "buyer never raised before.", evidence, claim=claim.event, reasons=reasons))
    not_received = schema.role("not_received")
    if not_received in claim.labels and case.delivered_at and case.delivered_at < claim.at:
        out.append(_finding("delivered_before_not_received_claim", claim.confidence,
                            "The claim says the item did not arrive, but the order was marked delivered "
                            "before the claim was filed.", quote(claim, not_received),
                            claim=claim.event, delivered_at=_iso(case.delivered_at)))
    return out
