"""A position for each claim: contest it, accept it (refund), or check first; and the risks kept apart.

The rules are tried from the top; the first that holds decides. They read only the findings
(see findings.py) of the case and of this claim.

| rule | position | holds when |
|---|---|---|
| not_shipped | accept | `not_shipped`: the order never shipped |
| no_delivery_proof | accept | `no_delivery_proof` for this claim: not received, shipped, no delivery date and no tracking id |
| reported_unanswered | accept | an `issue_raised_before_claim` of this claim rests on a buyer message that got no answer within 24 hours (`unanswered_buyer_message`) |
| delivered_before_claim | contest | `delivered_before_not_received_claim` for this claim |
| reason_not_raised_before | contest | `claim_reason_not_raised_before` for this claim, unless its only reason is `not_received` and no delivery date is known |
| cancel_after_shipment_answered | contest | `cancel_requested_after_shipment`, a `seller_answered_cancel_request` for such a request before the claim, and no `issue_raised_before_claim` for this claim |
| issue_answered | unclear | an `issue_raised_before_claim` for this claim (the report was answered) |
| no_reason | unclear | the claim carries none of the schema's claim reasons |
| undecided | unclear | none of the above |

Risks are the findings on the buyer's side (`side == "buyer"`: shipped_after_cancel_request,
unanswered_buyer_message, issue_raised_before_claim, not_shipped, no_delivery_proof) of the
case and of this claim, each with advice for the seller. They never reach the marketplace draft.
"""
from __future__ import annotations

from datetime import datetime

from claimlens.cases.wording import ADVICE, STEPS, WHY

POSITIONS = ("contest", "accept", "unclear")
RULES = {"not_shipped": "accept", "no_delivery_proof": "accept", "reported_unanswered": "accept",
         "delivered_before_claim": "contest", "reason_not_raised_before": "contest",
         "cancel_after_shipment_answered": "contest", "issue_answered": "unclear", "no_reason": "unclear",
         "undecided": "unclear"}


def _of(findings: list[dict], code: str, claim: str | None = None) -> list[dict]:
    return [f for f in findings if f["code"] == code and (claim is None or f.get("claim") == claim)]


def rule_for(claim, findings: list[dict], case, schema) -> str:
    """The first rule of the table that holds for this claim."""
    mine, not_received = claim.event, schema.role("not_received")
    if _of(findings, "not_shipped"):
        return "not_shipped"
    if _of(findings, "no_delivery_proof", mine):
        return "no_delivery_proof"
    raised = _of(findings, "issue_raised_before_claim", mine)
    unanswered = {f["message"] for f in _of(findings, "unanswered_buyer_message")}
    if any(f["message"] in unanswered for f in raised):
        return "reported_unanswered"
    if _of(findings, "delivered_before_not_received_claim", mine):
        return "delivered_before_claim"
    for f in _of(findings, "claim_reason_not_raised_before", mine):
        if f["reasons"] != [not_received] or case.delivered_at:
            return "reason_not_raised_before"
    answered = [a for a in _of(findings, "seller_answered_cancel_request")
                if a["after_shipment"] and datetime.fromisoformat(a["answered_at"]) < claim.at]
    if _of(findings, "cancel_requested_after_shipment") and answered and not raised:
        return "cancel_after_shipment_answered"
    if raised:
        return "issue_answered"
    if not any(r in claim.labels for r in schema.claim_reasons):
        return "no_reason"
    return "undecided"


def risks_for(claim, findings: list[dict]) -> list[dict]:
    """The findings that weaken the seller on this claim, with advice."""
    return [{"code": f["code"], "summary": f["summary"], "advice": ADVICE[f["code"]]["en"],
             "advice_zh": ADVICE[f["code"]]["zh"], "evidence": f["evidence"]}
            for f in findings if f["side"] == "buyer" and f.get("claim", claim.event) == claim.event]


def assess(claim, findings: list[dict], case, schema) -> dict:
    """{claim, position, rule, why, risks, next_steps} (and the Chinese why and steps) for one claim."""
    rule = rule_for(claim, findings, case, schema)
    return {"claim": claim.event, "position": RULES[rule], "rule": rule, "why": WHY[rule]["en"],
            "why_zh": WHY[rule]["zh"], "risks": risks_for(claim, findings),
            "next_steps": list(STEPS[rule]["en"]), "next_steps_zh": list(STEPS[rule]["zh"])}
