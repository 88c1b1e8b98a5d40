"""Drafts assembled only from the findings, their timestamps and the buyer's quoted words.

Nothing is invented: every sentence comes from one finding (or the claim it concerns), every
date from the case, every quotation from an evidence span.
"""
from __future__ import annotations

from datetime import datetime

from claimlens.model.schema import LabelSchema, bundled_schema

_CLAIM_NAMES = {"a-to-z": "A-to-z Guarantee claim", "return": "return request", "chargeback": "chargeback",
                "feedback": "feedback"}
_CLAIM_NAMES_ZH = {"a-to-z": "A-to-z 索赔", "return": "退货申请", "chargeback": "拒付", "feedback": "差评反馈"}


def _day(iso_or_dt) -> str:
    dt = datetime.fromisoformat(iso_or_dt) if isinstance(iso_or_dt, str) else iso_or_dt
    return dt.strftime("%Y-%m-%d %H:%M UTC") if dt.utcoffset() is not None and not dt.utcoffset() else dt.isoformat()


_STOPS = ".!?。！？\n"


def _sentence(text: str, start: int, end: int) -> str:
    """The buyer's sentence around an evidence span: more convincing to quote than a phrase."""
    s = max((text.rfind(c, 0, start) for c in _STOPS), default=-1) + 1
    ends = [i for i in (text.find(c, end) for c in _STOPS) if i != -1]
    e = min(ends) + 1 if ends else len(text)
    return " ".join(text[s:e].split())


def _q(evidence: list[dict], texts: dict[str, str]) -> str:
    quoted = []
    for e in evidence:
        full = texts.get(e["event"])
        words = _sentence(full, e["start"], e["end"]) if full else e["text"]
        if words and words not in quoted:
            quoted.append(words)
    return "; ".join(f"\u201c{w}\u201d" for w in quoted)


def _end(sentence: str) -> str:
    """Close a sentence with a full stop unless a quotation already ends it."""
    return sentence if sentence.rstrip("\u201d").endswith(tuple(".!?。！？")) else sentence + "."


def drafts(case, findings: list[dict], claims, schema: LabelSchema | None = None) -> dict:
    """{"en": reply for "Respond to Amazon", "zh": summary for the seller}; label names from the schema."""
    schema = schema or bundled_schema()
    texts = {m.id: m.text for m in case.messages}
    texts.update({c.id: c.text for c in case.claims})
    texts.update({f"{c.id}.reason": c.reason for c in case.claims if c.reason})
    texts["order.buyer_requested_cancel"] = case.buyer_cancel_reason or ""
    by_code: dict[str, list[dict]] = {}
    for f in findings:
        by_code.setdefault(f["code"], []).append(f)
    claim_at = {c.event: c for c in claims}
    en = [f"Order {case.order_id}."]
    zh = [f"订单 {case.order_id} 摘要："]

    for f in by_code.get("cancel_requested_before_shipment", []):
        when = f" on {_day(f['requested_at'])}" if f.get("requested_at") else ""
        words = _q(f["evidence"], texts)
        en.append(_end(f"The buyer asked to cancel the order{when}" + (f": {words}" if words else " (order cancellation request)")))
        zh.append(f"买家在发货前要求取消订单{('（' + _day(f['requested_at']) + '）') if f.get('requested_at') else ''}"
                  + (f"：{words}。" if words else "（订单取消请求）。"))
    for f in by_code.get("shipped_after_cancel_request", []):
        en.append(f"The order had been shipped on {_day(f['shipped_at'])}.")
        zh.append(f"订单已于 {_day(f['shipped_at'])} 发货。")
    for f in by_code.get("delivered_before_not_received_claim", []):
        en.append(f"Tracking shows the order delivered on {_day(f['delivered_at'])}, before the claim.")
        zh.append(f"物流显示订单已于 {_day(f['delivered_at'])} 妥投，早于索赔。")
    for c in claims:
        claim_findings = [f for f in findings if f.get("claim") == c.event]
        if not claim_findings:
            continue
        own = sorted((e for e in c.evidence if e["event"] == c.event and e["label"] in c.labels),
                     key=lambda e: -e["weight"])
        words = _q(own[:1], texts)
        name = _CLAIM_NAMES.get(c.claim_type, "claim")
        en.append(_end(f"On {_day(c.at)} the buyer filed {'an' if name[0] in 'Aa' else 'a'} {name}"
                       + (f": {words}" if words else "")))
        zh.append(f"买家于 {_day(c.at)} 提交{_CLAIM_NAMES_ZH.get(c.claim_type, '索赔')}" + (f"：{words}。" if words else "。"))
        for f in claim_findings:
            if f["code"] == "claim_reason_not_raised_before":
                en.append(f"The reason given in this claim appears in none of the buyer's {f['earlier_messages']} "
                          "earlier message(s) to us.")
                zh.append(f"索赔理由（{'、'.join(schema.name(r, 'zh') for r in f['reasons'])}）在买家此前的 "
                          f"{f['earlier_messages']} 条消息中从未提及。")
            elif f["code"] == "issue_raised_before_claim":
                first = [e for e in f["evidence"] if not e["event"].startswith(c.event)]
                en.append(_end(f"The buyer first reported this to us on {_day(f['first_raised_at'])}: {_q(first, texts)}"))
                zh.append(f"买家在 {_day(f['first_raised_at'])} 已向我们反映过该问题（{schema.name(f['label'], 'zh')}）："
                          f"{_q(first, texts)}。请确认当时是否已处理。")
            elif f["code"] == "no_buyer_contact_before_claim":
                en.append("The buyer did not contact us before filing it.")
                zh.append("买家在提交前没有联系过卖家。")
            elif f["code"] == "retaliation_suspected":
                zh.append("注意：该索赔发生在取消订单被拒或未处理之后，且理由此前从未提出，疑似报复性索赔。")
    unanswered = by_code.get("unanswered_buyer_message", [])
    if unanswered:
        zh.append(f"另有 {len(unanswered)} 条买家消息在 24 小时内没有卖家回复（亚马逊要求 24 小时内回复）。")
    if len(en) > 1:
        en.append("We ask that the claim be reviewed in light of these dated facts and the buyer's own words.")
    return {"en": " ".join(en), "zh": "".join(zh)}
