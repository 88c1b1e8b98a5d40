"""Drafts assembled only from the findings, the assessment, their timestamps and quoted words.

`response_draft.en` (and the marketplace language's, see marketplace.py) goes to the marketplace
through "Respond to Amazon": it states only facts in the seller's favour (`side == "seller"`),
dated, with the buyer's own words quoted. It never mentions a risk, and it never quotes an event
a risk rests on (`risk_events`), whatever else quotes it. When the position is `accept` it is a
short refund note. `response_draft.zh` is for the seller: the position and why, every fact,
the risks with advice, and the next steps.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from claimlens.cases.phrases import PHRASES
from claimlens.cases.wording import ADVICE, POSITIONS, claim_name, finding_name
from claimlens.model.schema import LabelSchema, bundled_schema

_STOPS = ".!?。！？\n"
_MAX_QUOTE = 300
# a full stop after a closing quotation mark whose quotation already ends a sentence
_DOUBLE_STOP = re.compile(r"([.!?。！？][\u201d\u201c\u00bb\u300d\u00a0]+)[.。]")


def _day(value) -> str:
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around an evidence span: more convincing to quote than a phrase."""
    s = max((text.rfind(c, 0, start) for c in _STOPS), default=-1) + 1
    ends = [i for i in (text.find(c, end) for c in _STOPS) if i != -1]
    e = min(ends) + 1 if ends else len(text)
    return _short(" ".join(text[s:e].split()))


def _short(words: str) -> str:
    if len(words) <= _MAX_QUOTE:
        return words
    cut = max((words.rfind(c, 0, _MAX_QUOTE) for c in _STOPS), default=-1)
    return words[:cut + 1] if cut > _MAX_QUOTE // 3 else words[:_MAX_QUOTE].rstrip() + "…"


def risk_events(findings: list[dict], claims) -> set[str]:
    """Events the risks rest on (the claims themselves aside): no marketplace draft quotes them."""
    own = {c.event for c in claims} | {f"{c.event}.reason" for c in claims}
    return {e["event"] for f in findings if f["side"] == "buyer" for e in f["evidence"]} - own


class _Quoter:
    def __init__(self, texts: dict[str, str], forbidden: set[str], marks: tuple[str, str] = ("\u201c", "\u201d")):
        self.texts, self.forbidden, self.marks = texts, forbidden, marks

    def words(self, evidence: list[dict], whole: bool = False) -> list[str]:
        out = []
        for e in evidence:
            if e["event"] in self.forbidden:
                continue
            full = self.texts.get(e["event"])
            words = _short(" ".join(full.split())) if whole and full else (
                _sentence(full, e["start"], e["end"]) if full else e["text"])
            if words and words not in out:
                out.append(words)
        return out

    def __call__(self, evidence: list[dict], whole: bool = False) -> str:
        left, right = self.marks
        return "; ".join(f"{left}{w}{right}" for w in self.words(evidence, whole))


def _claim_quote(claim, quoter: _Quoter) -> str:
    own = sorted((e for e in claim.evidence if e["event"] == claim.event and e["label"] in claim.labels),
                 key=lambda e: -e["weight"])
    return quoter(own[:1])


def _of(findings: list[dict], code: str, claim=None) -> list[dict]:
    return [f for f in findings if f["code"] == code and (claim is None or f.get("claim") == claim.event)]


def _answers_before(findings: list[dict], claim) -> list[dict]:
    return [a for a in _of(findings, "seller_answered_cancel_request") if a["side"] == "seller"
            and (claim is None or datetime.fromisoformat(a["answered_at"]) < claim.at)]


def marketplace_draft(language: str, case, findings: list[dict], claim, position: str | None,
                      texts: dict[str, str], forbidden: set[str]) -> str:
    """The reply to the marketplace in one of PHRASES' languages: only the seller's facts."""
    p = PHRASES[language]
    quote = _Quoter(texts, forbidden, p["quotes"])
    parts = [p["order"].format(order=case.order_id)]
    claim_words = p["claims"].get(claim.claim_type if claim else None, p["claims"][None])
    if claim is not None and position == "accept":
        parts.append(p["refund"].format(date=_day(claim.at)))
        return _join(language, parts)
    answered_said = False
    for f in _of(findings, "cancel_requested_after_shipment"):
        words = quote(f["evidence"][:1])
        if words:
            parts.append(p["after_shipment"].format(shipped=_day(f["shipped_at"]), date=_day(f["requested_at"]),
                                                    quote=words))
            for a in _answers_before(findings, claim)[:1]:
                said = quote(a["evidence"], whole=True)
                if said:
                    parts.append(p["answered"].format(date=_day(a["answered_at"]), quote=said))
                    answered_said = True
    if claim is not None:
        words = _claim_quote(claim, quote)
        parts.append(p["claim"].format(date=_day(claim.at), claim=claim_words, quote=words) if words else
                     p["claim_bare"].format(date=_day(claim.at), claim=claim_words))
        for f in _of(findings, "delivered_before_not_received_claim", claim):
            parts.append(p["delivered"].format(date=_day(f["delivered_at"])))
        if _of(findings, "no_buyer_contact_before_claim", claim):
            parts.append(p["no_contact"])
        for f in _of(findings, "claim_reason_not_raised_before", claim):
            if f["earlier_messages"]:
                parts.append(p["not_raised"].format(n=f["earlier_messages"]))
        for f in _of(findings, "retaliation_suspected", claim):
            if answered_said and f.get("days_after_answer") is not None:
                parts.append(p["after_answer"].format(days=max(1, round(f["days_after_answer"]))))
        parts.append(p["review"] if position == "contest" else p["checking"])
    return _join(language, parts)


def _join(language: str, parts: list[str]) -> str:
    return _DOUBLE_STOP.sub(r"\1", ("" if language == "ja" else " ").join(parts))


def _zh_fact(f: dict, quote: _Quoter, schema: LabelSchema) -> str:
    code, words = f["code"], quote(f["evidence"])
    said = f"：{words}" if words else ""
    if code == "cancel_requested_before_shipment":
        when = f"（{_day(f['requested_at'])}）" if f.get("requested_at") else "（订单字段）"
        return f"买家在发货前要求取消订单{when}{said}"
    if code == "shipped_after_cancel_request":
        return f"订单于 {_day(f['shipped_at'])} 发货，晚于买家的取消请求{said}"
    if code == "cancel_requested_after_shipment":
        return f"订单于 {_day(f['shipped_at'])} 发货，买家到 {_day(f['requested_at'])} 才要求取消{said}"
    if code == "seller_answered_cancel_request":
        return f"卖家于 {_day(f['answered_at'])} 回复了买家的取消请求{said}"
    if code == "not_shipped":
        return "订单没有任何发货或妥投记录。"
    if code == "no_buyer_contact_before_claim":
        return "买家在提交索赔前没有联系过卖家。"
    if code == "issue_raised_before_claim":
        words = quote([e for e in f["evidence"] if e["event"] == f["message"]])
        said = f"：{words}" if words else ""
        return f"买家在 {_day(f['first_raised_at'])} 已反映过该问题（{schema.name(f['label'], 'zh')}）{said}"
    if code == "claim_reason_not_raised_before":
        return (f"索赔理由（{'、'.join(schema.name(r, 'zh') for r in f['reasons'])}）在买家此前的 "
                f"{f['earlier_messages']} 条消息中从未提及。")
    if code == "retaliation_suspected":
        return "索赔发生在取消请求被拒、未处理或已答复之后，且理由此前从未提出。"
    if code == "delivered_before_not_received_claim":
        return f"物流显示订单已于 {_day(f['delivered_at'])} 妥投，早于索赔。"
    if code == "no_delivery_proof":
        return "订单没有妥投时间，也没有物流单号。"
    if code == "unanswered_buyer_message":
        return f"买家 {_day(f['sent_at'])} 的消息 24 小时内没有卖家回复{said}"
    return f"{finding_name(code, 'zh')}。"


def seller_summary(case, findings: list[dict], claim, assessment: dict | None, texts: dict[str, str],
                   schema: LabelSchema) -> str:
    """The Chinese summary for the seller: position, facts, risks with advice, next steps."""
    quote = _Quoter(texts, set())
    lines = [f"订单 {case.order_id}"]
    if claim is not None and assessment is not None:
        lines.append(f"建议：{POSITIONS[assessment['position']]['zh']}（买家于 {_day(claim.at)} 提交"
                     f"{claim_name(claim.claim_type, 'zh')}）")
        lines.append(f"理由：{assessment['why_zh']}")
        words = _claim_quote(claim, quote)
        if words:
            lines.append(f"索赔内容：{words}")
    if findings:
        lines.append("事实：")
        lines += [f"- {finding_name(f['code'], 'zh')}：{_end(_zh_fact(f, quote, schema))}" for f in findings]
    if assessment and assessment["risks"]:
        lines.append("风险（不要写进给平台的答复）：")
        seen = []
        for r in assessment["risks"]:
            if r["code"] not in seen:
                seen.append(r["code"])
                lines.append(f"- {finding_name(r['code'], 'zh')}：{ADVICE[r['code']]['zh']}")
    if assessment:
        lines.append("下一步：")
        lines += [f"{i}. {step}" for i, step in enumerate(assessment["next_steps_zh"], 1)]
    return "\n".join(lines)


def _end(sentence: str) -> str:
    return sentence if sentence.endswith(tuple("。！？\u201d")) else sentence + "。"


def drafts(case, findings: list[dict], claims, assessment: dict | None = None, schema: LabelSchema | None = None,
           language: str | None = None) -> dict:
    """{"en": reply for "Respond to Amazon", "zh": summary for the seller, language: the marketplace's reply}.

    The replies answer the claim `assessment` is about (the latest claim when there are several).
    """
    schema = schema or bundled_schema()
    texts = {m.id: m.text for m in case.messages}
    texts.update({c.id: c.text for c in case.claims})
    texts.update({f"{c.id}.reason": c.reason for c in case.claims if c.reason})
    texts["order.buyer_requested_cancel"] = case.buyer_cancel_reason or ""
    texts.update({c.event: c.text for c in claims if c.event not in texts})
    claim = next((c for c in claims if assessment and c.event == assessment["claim"]), None)
    position = assessment["position"] if assessment else None
    forbidden = risk_events(findings, claims)
    out = {"en": marketplace_draft("en", case, findings, claim, position, texts, forbidden),
           "zh": seller_summary(case, findings, claim, assessment, texts, schema)}
    if language in PHRASES and language != "en":
        out[language] = marketplace_draft(language, case, findings, claim, position, texts, forbidden)
    return out
