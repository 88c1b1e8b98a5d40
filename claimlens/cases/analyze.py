"""Analyse one case: label the buyer's words, lay out the timeline, apply the rules, assess, draft."""
from __future__ import annotations

from datetime import datetime

from claimlens.cases.case import Case
from claimlens.cases.draft import drafts
from claimlens.cases.findings import Labelled, find, seller_message
from claimlens.cases.marketplace import marketplace
from claimlens.cases.positions import assess

_RANK = {"high": 2, "medium": 1, "low": 0}


def _record_evidence(rec: dict, event: str) -> list[dict]:
    return [{"event": event, **e} for e in rec.get("evidence", [])]


def analyze_case(estimator, model_version: str, case: Case) -> dict:
    """Timeline, findings, an assessment per claim, the marketplace and the drafts for one parsed case."""
    schema = estimator.schema_
    none = {schema.exclusive}
    buyer = [m for m in case.messages if m.sender == "buyer"]
    texts = [m.text for m in buyer] + [c.text for c in case.claims] + [c.reason for c in case.claims if c.reason]
    preds = estimator.predict_explained(texts, explain=True) if texts else []
    records = [p.to_record(None, model_version) for p in preds]
    msg_recs, claim_recs = records[:len(buyer)], records[len(buyer):len(buyer) + len(case.claims)]
    reason_recs = iter(records[len(buyer) + len(case.claims):])

    labelled_msgs = [Labelled(m.id, "message", m.sent_at, frozenset(r["labels"]) - none, r["confidence"],
                              tuple(_record_evidence(r, m.id)), m.text) for m, r in zip(buyer, msg_recs)]
    labelled_claims, reason_by_claim = [], {}
    for c, r in zip(case.claims, claim_recs):
        labels, evidence, bands = set(r["labels"]), _record_evidence(r, c.id), [r["confidence"]]
        if c.reason:  # the marketplace's reason counts as the claim's too
            rr = next(reason_recs)
            reason_by_claim[c.id] = rr
            labels |= set(rr["labels"])
            evidence += _record_evidence(rr, f"{c.id}.reason")
            bands.append(rr["confidence"])
        labelled_claims.append(Labelled(c.id, "claim", c.filed_at, frozenset(labels - none),
                                        max(bands, key=_RANK.__getitem__), tuple(evidence), c.text, c.type))

    seller = [seller_message(m.id, m.sent_at, m.text) for m in case.messages if m.sender == "seller"]
    findings = find(case, labelled_msgs, labelled_claims, seller, schema)
    assessments = {c.event: assess(c, findings, case, schema) for c in labelled_claims}
    # the claim to answer now: the latest one (the last given, among claims filed at the same time)
    latest = max(reversed(labelled_claims), key=lambda c: c.at, default=None)
    main = assessments[latest.event] if latest else None
    market = marketplace(case.order_id, [r["language"] for r in msg_recs + claim_recs])
    return {
        "order_id": case.order_id,
        "model": model_version,
        "marketplace": market,
        "warnings": list(case.warnings),
        "assessment": main,
        "timeline": _timeline(case, dict(zip((m.id for m in buyer), msg_recs)),
                              dict(zip((c.id for c in case.claims), claim_recs)), reason_by_claim, assessments),
        "findings": findings,
        "response_draft": drafts(case, findings, labelled_claims, main, schema, market["language"]),
    }


def _labels_part(rec: dict | None) -> dict:
    if rec is None:
        return {}
    return {k: rec[k] for k in ("labels", "scores", "confidence", "language", "evidence")}


def _timeline(case: Case, msg_recs: dict, claim_recs: dict, reason_recs: dict, assessments: dict) -> list[dict]:
    events = []
    for key in ("purchased_at", "shipped_at", "delivered_at"):
        at = getattr(case, key)
        if at:
            events.append({"event": f"order.{key}", "kind": "order", "at": at.isoformat()})
    if case.buyer_requested_cancel:
        # the Orders API gives no time for it: shown at the purchase, where Amazon's window opens
        at = case.purchased_at.isoformat() if case.purchased_at else None
        events.append({"event": "order.buyer_requested_cancel", "kind": "order", "at": at,
                       "text": case.buyer_cancel_reason or ""})
    for m in case.messages:
        events.append({"event": m.id, "kind": "message", "from": m.sender, "at": m.sent_at.isoformat(),
                       "text": m.text, **_labels_part(msg_recs.get(m.id))})
    for c in case.claims:
        ev = {"event": c.id, "kind": "claim", "type": c.type, "at": c.filed_at.isoformat(), "text": c.text,
              **_labels_part(claim_recs.get(c.id))}
        if c.reason:
            ev["reason"] = {"text": c.reason, **_labels_part(reason_recs.get(c.id))}
        ev["assessment"] = assessments[c.id]
        events.append(ev)
    order = {"order": 0, "message": 1, "claim": 2}
    return sorted(events, key=lambda e: (e["at"] is None, _sort_time(e["at"]), order[e["kind"]]))


def _sort_time(iso: str | None):
    return datetime.fromisoformat(iso) if iso else datetime.max
