"""The finding rules: each code, its exact rule, whose side it weighs on, and the words it rests on.

Terms: a *cancellation request* is a buyer message labelled `cancellation_request`, or the
order field `buyer_requested_cancel` (Amazon's Orders API; it carries no time, and Amazon takes
such requests only before shipment, so it counts as made before shipment). A claim's
*reasons* are its product labels (`claim_reasons` in the schema: missing_parts,
not_as_described, wrong_item, damaged_defective, not_received) from the claim text and the
marketplace reason. An *answer* is a seller message within the 24 hours after a buyer message.
*Side*: `seller` findings are facts in the seller's favour, `buyer` findings weaken the
seller (they become the risks of a claim's assessment and never reach the marketplace draft),
`neutral` ones are context.

| code | side | rule |
|---|---|---|
| cancel_requested_before_shipment | neutral | a cancellation request exists, made before `shipped_at` (or the order never shipped) |
| shipped_after_cancel_request | buyer | `shipped_at` is later than the earliest cancellation request |
| cancel_requested_after_shipment | seller | the earliest cancellation request is a buyer message sent at or after `shipped_at`; quotes the requests |
| seller_answered_cancel_request | seller (neutral when the request came before shipment) | a seller message answers a cancellation request message (one finding per answer); quotes the answer |
| not_shipped | buyer | `purchased_at` is known and neither `shipped_at` nor `delivered_at` is |
| no_buyer_contact_before_claim | seller | no buyer message was sent before the claim's `filed_at` |
| issue_raised_before_claim | buyer | one of the claim's reasons is carried by a buyer message sent before the claim (one finding per reason, quoting the earliest such message) |
| claim_reason_not_raised_before | seller | the claim has reasons and no earlier buyer message carries any of them |
| retaliation_suspected | seller | `claim_reason_not_raised_before` holds for the claim, and before it a cancellation was refused, ignored or answered: the order shipped after the request, a buyer message labelled `cancellation_refused` precedes the claim, or `cancel_requested_after_shipment` holds and the seller answered such a request before the claim |
| delivered_before_not_received_claim | seller | the claim carries `not_received` and `delivered_at` is before its `filed_at` |
| no_delivery_proof | buyer | the claim carries `not_received`, the order shipped, and neither `delivered_at` nor `tracking_id` is known |
| unanswered_buyer_message | buyer | a buyer message has no answer |

Every finding quotes the words it rests on where there are any: buyer and seller messages,
claim texts, and the order field `buyer_cancel_reason` (event `order.buyer_requested_cancel`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from claimlens.model.schema import LabelSchema, bundled_schema

REPLY_WINDOW = timedelta(hours=24)
_RANK = {"high": 2, "medium": 1, "low": 0}
ORDER_REQUEST = "order.buyer_requested_cancel"
SIDES = {"cancel_requested_before_shipment": "neutral", "shipped_after_cancel_request": "buyer",
         "cancel_requested_after_shipment": "seller", "seller_answered_cancel_request": "seller",
         "not_shipped": "buyer", "no_buyer_contact_before_claim": "seller", "issue_raised_before_claim": "buyer",
         "claim_reason_not_raised_before": "seller", "retaliation_suspected": "seller",
         "delivered_before_not_received_claim": "seller", "no_delivery_proof": "buyer",
         "unanswered_buyer_message": "buyer"}
CODES = tuple(SIDES)


@dataclass(frozen=True)
class Labelled:
    """A buyer message or a claim with the model's labels and evidence (or a seller message, unlabelled)."""

    event: str
    kind: str                  # "message", "claim" or "seller"
    at: datetime
    labels: frozenset[str]
    confidence: str
    evidence: tuple[dict, ...]  # {event, label, start, end, text, weight}: raw offsets into that event's text
    text: str
    claim_type: str | None = None
    extra: dict = field(default_factory=dict)


def seller_message(event: str, at: datetime, text: str) -> Labelled:
    """A seller message: nothing to label, only its time and words."""
    return Labelled(event, "seller", at, frozenset(), "high", (), text)


def quote(item: Labelled, label: str) -> list[dict]:
    """The strongest evidence span of `label` in the item (or the whole text if none was located)."""
    spans = [e for e in item.evidence if e["label"] == label]
    own = [e for e in spans if e["event"] == item.event]  # the item's own words before a reason code
    spans = own or spans
    if spans:
        top = max(spans, key=lambda e: e["weight"])
        return [{"event": top["event"], "start": top["start"], "end": top["end"], "text": top["text"]}]
    return whole(item)


def whole(item: Labelled) -> list[dict]:
    return [{"event": item.event, "start": 0, "end": len(item.text), "text": item.text}] if item.text else []


def _weakest(*bands: str) -> str:
    return min(bands, key=_RANK.__getitem__) if bands else "high"


def _finding(code: str, confidence: str, summary: str, evidence: list[dict], side: str | None = None,
             **facts) -> dict:
    return {"code": code, "side": side or SIDES[code], "confidence": confidence, "summary": summary,
            "evidence": evidence, **facts}


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _hours(a: datetime, b: datetime) -> float:
    return round((b - a).total_seconds() / 3600, 1)


def _sellers(seller) -> list[Labelled]:
    """Seller messages in time order; bare datetimes are accepted (answers with no words to quote)."""
    items = [s if isinstance(s, Labelled) else seller_message("", s, "") for s in seller]
    return sorted(items, key=lambda s: s.at)


def answer(message: Labelled, seller: list[Labelled]) -> Labelled | None:
    """The first seller message within the 24 hours after a buyer message."""
    return next((s for s in seller if message.at < s.at <= message.at + REPLY_WINDOW), None)


def find(case, messages: list[Labelled], claims: list[Labelled], seller, schema: LabelSchema | None = None) -> list[dict]:
    """All findings of a case, in a fixed order of codes and then time.

    `seller`: the seller's messages (`seller_message`), or only their times. The labels a rule
    looks for come from the model's schema by role (see model.schema); default: the bundled taxonomy.
    """
    schema = schema or bundled_schema()
    cancel = schema.role("cancel_request")
    seller = _sellers(seller)
    out: list[dict] = []
    requests = sorted((m for m in messages if cancel in m.labels), key=lambda m: m.at)
    field_request = case.buyer_requested_cancel
    field_quote = ([{"event": ORDER_REQUEST, "start": 0, "end": len(case.buyer_cancel_reason),
                     "text": case.buyer_cancel_reason}] if field_request and case.buyer_cancel_reason else [])
    shipped = case.shipped_at

    before_ship = [m for m in requests if shipped is None or m.at < shipped]
    if field_request or before_ship:
        evidence = field_quote + [q for m in before_ship for q in quote(m, cancel)]
        first = min((m.at for m in before_ship), default=None)
        out.append(_finding("cancel_requested_before_shipment",
                            "high" if field_request else _weakest(*(m.confidence for m in before_ship)),
                            "The buyer asked to cancel before the order shipped.", evidence,
                            requested_at=_iso(first), via_order_field=field_request))

    earliest = requests[0] if requests else None
    if shipped and (field_request or (earliest and earliest.at < shipped)):
        early = earliest if earliest and earliest.at < shipped else None
        out.append(_finding("shipped_after_cancel_request", "high" if field_request else early.confidence,
                            "The order shipped after the buyer had asked to cancel.",
                            field_quote + (quote(early, cancel) if early else []),
                            shipped_at=_iso(shipped), hours_after_request=_hours(early.at, shipped) if early else None))

    after_ship = bool(shipped and requests and not field_request and earliest.at >= shipped)
    if after_ship:
        out.append(_finding("cancel_requested_after_shipment", _weakest(*(m.confidence for m in requests)),
                            "The buyer asked to cancel only after the order had shipped.",
                            [q for m in requests for q in quote(m, cancel)], shipped_at=_iso(shipped),
                            requested_at=_iso(earliest.at), hours_after_shipment=_hours(shipped, earliest.at)))
    answers = _answers(requests, seller, after_ship, cancel)
    out += answers

    if case.purchased_at and not shipped and not case.delivered_at:
        out.append(_finding("not_shipped", "high", "The order has no shipping or delivery date: it never shipped.",
                            [], purchased_at=_iso(case.purchased_at)))

    for claim in claims:
        out += _claim_findings(case, claim, messages, requests, answers, field_request, schema)

    for m in messages:
        if answer(m, seller) is None:
            out.append(_finding("unanswered_buyer_message", "high",
                                "No seller reply within 24 hours of this buyer message.", whole(m),
                                message=m.event, sent_at=_iso(m.at)))
    return out


def _answers(requests: list[Labelled], seller: list[Labelled], after_ship: bool, cancel: str) -> list[dict]:
    out, used = [], set()
    for m in requests:
        reply = answer(m, seller)
        if reply is None or id(reply) in used:
            continue
        used.add(id(reply))
        out.append(_finding("seller_answered_cancel_request", m.confidence,
                            f"The seller answered the cancellation request within {_hours(m.at, reply.at)} hours.",
                            whole(reply), side="seller" if after_ship else "neutral", request=m.event,
                            answer=reply.event or None, requested_at=_iso(m.at), answered_at=_iso(reply.at),
                            after_shipment=after_ship))
    return out


def _claim_findings(case, claim: Labelled, messages, requests, answers, field_request,
                    schema: LabelSchema) -> list[dict]:
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
                            claim=claim.event, label=r, message=m.event, first_raised_at=_iso(m.at)))
    if reasons and not raised:
        out.append(_finding("claim_reason_not_raised_before", claim.confidence,
                            f"The claim's reason ({', '.join(reasons)}) appears in none of the buyer's "
                            f"{len(earlier)} earlier message(s).", claim_quotes,
                            claim=claim.event, reasons=reasons, earlier_messages=len(earlier)))
        out += _retaliation(case, claim, earlier, requests, answers, field_request, reasons, claim_quotes, schema)
    not_received = schema.role("not_received")
    if not_received in claim.labels and case.delivered_at and case.delivered_at < claim.at:
        out.append(_finding("delivered_before_not_received_claim", claim.confidence,
                            "The claim says the item did not arrive, but the order was marked delivered "
                            "before the claim was filed.", quote(claim, not_received),
                            claim=claim.event, delivered_at=_iso(case.delivered_at)))
    if not_received in claim.labels and case.shipped_at and not case.delivered_at and not case.tracking_id:
        out.append(_finding("no_delivery_proof", claim.confidence,
                            "The claim says the item did not arrive, and the order has neither a delivery "
                            "date nor a tracking id.", quote(claim, not_received), claim=claim.event))
    return out


def _retaliation(case, claim, earlier, requests, answers, field_request, reasons, claim_quotes, schema) -> list[dict]:
    cancel, refused_label = schema.role("cancel_request"), schema.role("cancel_refused")
    refused = [m for m in earlier if refused_label in m.labels]
    early_requests = [m for m in requests if m.at < claim.at]
    shipped = case.shipped_at
    shipped_anyway = shipped is not None and shipped < claim.at and (
        field_request or any(m.at < shipped for m in early_requests))
    answered = [a for a in answers if a["after_shipment"] and datetime.fromisoformat(a["answered_at"]) < claim.at]
    grounds = [g for g, held in (("shipped_after_request", shipped_anyway), ("cancellation_refused", bool(refused)),
                                 ("answered_after_shipment", bool(answered))) if held]
    if not grounds:
        return []
    evidence = [q for m in early_requests[:1] for q in quote(m, cancel)]
    if shipped_anyway and field_request and case.buyer_cancel_reason and not evidence:
        evidence = [{"event": ORDER_REQUEST, "start": 0, "end": len(case.buyer_cancel_reason),
                     "text": case.buyer_cancel_reason}]
    evidence += [q for m in refused[:1] for q in quote(m, refused_label)]
    evidence += [q for a in answered[:1] for q in a["evidence"]] + claim_quotes
    last_answer = max((datetime.fromisoformat(a["answered_at"]) for a in answered), default=None)
    return [_finding("retaliation_suspected",
                     _weakest(claim.confidence, *(m.confidence for m in early_requests[:1] + refused[:1])),
                     "The claim follows a refused, ignored or answered cancellation and names a reason the "
                     "buyer never raised before.", evidence, claim=claim.event, reasons=reasons, grounds=grounds,
                     days_after_answer=round((claim.at - last_answer).total_seconds() / 86400, 1)
                     if last_answer else None)]
