"""What case analysis calls things, in English and Chinese: findings, positions, risks, next steps.

One table for the API's texts, the seller's Chinese draft and the case page (the page gets
it through the template). Label names are not here: they come from the model's schema.
"""
from __future__ import annotations

FINDINGS = {
    "cancel_requested_before_shipment": {"en": "Cancellation requested before shipment", "zh": "发货前要求取消"},
    "shipped_after_cancel_request": {"en": "Shipped after a cancellation request", "zh": "买家要求取消后仍发货"},
    "cancel_requested_after_shipment": {"en": "Cancellation requested after shipment", "zh": "发货后才要求取消"},
    "seller_answered_cancel_request": {"en": "Seller answered the cancellation request", "zh": "卖家已回复取消请求"},
    "not_shipped": {"en": "Order never shipped", "zh": "订单未发货"},
    "no_buyer_contact_before_claim": {"en": "No buyer contact before the claim", "zh": "索赔前买家未联系卖家"},
    "issue_raised_before_claim": {"en": "Problem reported before the claim", "zh": "索赔前买家已反映问题"},
    "claim_reason_not_raised_before": {"en": "Claim reason never raised before", "zh": "索赔理由此前从未提出"},
    "retaliation_suspected": {"en": "Retaliation suspected", "zh": "疑似报复性索赔"},
    "delivered_before_not_received_claim": {"en": "Delivered before the not-received claim",
                                            "zh": "未收到索赔前已妥投"},
    "no_delivery_proof": {"en": "No proof of delivery", "zh": "无妥投/物流凭证"},
    "unanswered_buyer_message": {"en": "Buyer message unanswered for 24 h", "zh": "买家消息 24 小时未回复"},
}

POSITIONS = {
    "contest": {"en": "Contest the claim", "zh": "申诉：反驳该索赔"},
    "accept": {"en": "Accept and refund", "zh": "接受：尽快退款"},
    "unclear": {"en": "Unclear: check before answering", "zh": "待定：先核实再答复"},
}

CLAIM_TYPES = {
    "a-to-z": {"en": "A-to-z Guarantee claim", "zh": "A-to-z 索赔"},
    "return": {"en": "return request", "zh": "退货申请"},
    "chargeback": {"en": "chargeback", "zh": "拒付"},
    "feedback": {"en": "feedback", "zh": "差评反馈"},
}

# Why a rule of positions.py decides the way it does.
WHY = {
    "not_shipped": {"en": "The order never shipped: the buyer is owed a refund and the claim cannot be won.",
                    "zh": "订单从未发货：买家理应获得退款，这个索赔无法申诉成功。"},
    "no_delivery_proof": {"en": "The buyer says the item did not arrive, and there is neither a delivery date nor "
                                "a tracking id to show otherwise.",
                          "zh": "买家称未收到货，而订单既没有妥投时间也没有物流单号，无法证明已送达。"},
    "reported_unanswered": {"en": "The buyer reported this problem before the claim and got no answer within "
                                  "24 hours, the marketplace's deadline.",
                            "zh": "买家在索赔前已反映该问题，卖家未在平台要求的 24 小时内回复。"},
    "delivered_before_claim": {"en": "The order was delivered before the buyer claimed it never arrived.",
                               "zh": "买家声称未收到货，但订单在索赔之前已经妥投。"},
    "reason_not_raised_before": {"en": "The claim gives a reason the buyer never raised in any earlier message.",
                                 "zh": "索赔理由在买家此前的任何消息中都没有出现过。"},
    "cancel_after_shipment_answered": {"en": "The buyer asked to cancel only after the order had shipped, and "
                                             "the seller answered the request.",
                                       "zh": "买家在订单发货后才要求取消，卖家已及时回复。"},
    "issue_answered": {"en": "The buyer reported the problem before the claim and was answered: whether the claim "
                             "stands depends on the item itself.",
                       "zh": "买家在索赔前已反映问题且卖家已回复：索赔是否成立取决于商品本身的情况。"},
    "no_reason": {"en": "The claim names no product reason the rules can weigh (such as a missing part or a "
                        "parcel that did not arrive).",
                  "zh": "索赔没有可判断的商品理由（如缺件、未收到货等）。"},
    "undecided": {"en": "The facts on record favour neither side clearly.",
                  "zh": "现有事实不能明确支持任何一方。"},
}

STEPS = {
    "not_shipped": {"en": ["Refund the buyer in full now, before the claim is decided.",
                           "Cancel the order so that it cannot ship."],
                    "zh": ["立即全额退款，不要等平台裁决。", "取消该订单，避免再发货。"]},
    "no_delivery_proof": {"en": ["Refund the buyer now.",
                                 "Ask the carrier for a trace and claim the lost parcel from them."],
                          "zh": ["立即退款。", "向物流商申请查件，并就丢件向物流商索赔。"]},
    "reported_unanswered": {"en": ["Answer the buyer today.",
                                   "Refund or replace as the buyer asked, before the claim is decided."],
                            "zh": ["今天就回复买家。", "在平台裁决前按买家要求退款或补发。"]},
    "delivered_before_claim": {"en": ["Respond to the claim with the draft and attach the carrier's proof of "
                                      "delivery."],
                               "zh": ["用英文草稿回复平台，并附上物流商的妥投证明。"]},
    "reason_not_raised_before": {"en": ["Respond to the claim with the draft: the buyer's own earlier messages "
                                        "are the evidence.",
                                        "Offer a return: a refund once the item is back and checked."],
                                 "zh": ["用英文草稿回复平台：买家此前的消息就是证据。",
                                        "可以同意退货：收到退货并检查后再退款。"]},
    "cancel_after_shipment_answered": {"en": ["Respond to the claim with the draft: the request came after "
                                              "shipment and was answered.",
                                              "Offer a return: a refund once the item is back."],
                                       "zh": ["用英文草稿回复平台：取消请求是在发货之后提出的，且卖家已回复。",
                                              "可以同意退货：收到退货后再退款。"]},
    "issue_answered": {"en": ["Check what the buyer reported (photos, the returned item) before answering.",
                              "If the report holds, refund or replace before the claim is decided."],
                       "zh": ["答复前先核实买家反映的问题（照片、退回的商品）。", "如果问题属实，在平台裁决前退款或补发。"]},
    "no_reason": {"en": ["Read the claim and the order history, then decide: refund, or answer with the facts."],
                  "zh": ["阅读索赔内容和订单记录后再决定：退款，或用事实答复。"]},
    "undecided": {"en": ["Check the order, the shipment and the buyer's messages before answering."],
                  "zh": ["答复前先核实订单、物流和买家消息。"]},
}

# What a seller does about each finding that weakens their case (the risks of an assessment).
ADVICE = {
    "shipped_after_cancel_request": {
        "en": "The buyer asked to cancel before shipment and the order shipped anyway; the marketplace sides with "
              "the buyer on that. Do not argue about the cancellation: accept the return and refund once the item "
              "is back.",
        "zh": "买家在发货前要求取消，订单仍被发出，平台在这一点上会支持买家。不要在答复中提取消一事：同意退货，收到退货后退款。"},
    "unanswered_buyer_message": {
        "en": "A buyer message went more than 24 hours without an answer (the marketplace expects one within 24 "
              "hours, weekends included). Answer it now.",
        "zh": "有买家消息超过 24 小时未回复（平台要求 24 小时内回复，周末也不例外）。请立即回复。"},
    "issue_raised_before_claim": {
        "en": "The buyer reported this problem before the claim, so the seller had a chance to fix it. Refund or "
              "replace before the claim is decided.",
        "zh": "买家在索赔前已反映过该问题，卖家本有机会解决。请在平台裁决前退款或补发。"},
    "not_shipped": {
        "en": "The order never shipped. Refund in full now; there is nothing to contest.",
        "zh": "订单从未发货。请立即全额退款，没有申诉的余地。"},
    "no_delivery_proof": {
        "en": "Nothing shows the parcel arrived: no delivery date, no tracking id. Refund, then claim from the carrier.",
        "zh": "没有任何记录能证明包裹已送达（无妥投时间、无物流单号）。请先退款，再向物流商索赔。"},
}

POSITION_ORDER = ("accept", "contest", "unclear")


def finding_name(code: str, language: str = "en") -> str:
    names = FINDINGS.get(code, {})
    return names.get(language) or names.get("en") or code


def claim_name(claim_type: str | None, language: str = "en") -> str:
    names = CLAIM_TYPES.get(claim_type or "", {"en": "claim", "zh": "索赔"})
    return names.get(language) or names["en"]


def vocabulary() -> dict:
    """The names the case page shows, in both languages."""
    return {"findings": FINDINGS, "positions": POSITIONS, "claim_types": CLAIM_TYPES}
