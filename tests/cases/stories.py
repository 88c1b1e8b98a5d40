"""Hand-made orders for the case tests: the buyer's words in seven languages, cases built from them.

Times: purchase 03-01 09:00, shipment 03-02 08:00, delivery 03-05 14:00, claim 03-12 10:00 (UTC).
"""
from __future__ import annotations

WORDS = {
    "en": {"cancel": "Hi, please cancel my order, I don't need it anymore.",
           "refused": "I asked you to cancel and you still sent it. Unbelievable.",
           "claim_parts": "The charger and the cable were missing from the box.",
           "report_parts": "The charger is missing from the box, can you send one?",
           "claim_lost": "The parcel never arrived.",
           "ask_lost": "Where is my parcel? It still hasn't arrived.",
           "claim_refund": "I want my money back.",
           "hello": "Hello, does this come in blue?"},
    "zh": {"cancel": "亲，麻烦帮我取消这个订单，不想要了",
           "refused": "我都说了要取消，你们还是发货了",
           "claim_parts": "收到的商品缺少配件，与描述不符",
           "report_parts": "盒子里没有充电器，能补发一个吗",
           "claim_lost": "包裹一直没收到",
           "ask_lost": "我的包裹到哪了？还没收到",
           "claim_refund": "我要退款",
           "hello": "你好，这个有蓝色的吗？"},
    "de": {"cancel": "Bitte stornieren Sie meine Bestellung, ich brauche sie nicht mehr.",
           "refused": "Ich wollte stornieren und Sie haben trotzdem verschickt!",
           "claim_parts": "Im Paket fehlte das Ladekabel und das Netzteil.",
           "report_parts": "Im Karton fehlt das Ladekabel, können Sie es nachschicken?",
           "claim_lost": "Das Paket ist nie angekommen.",
           "ask_lost": "Wo ist mein Paket? Es ist immer noch nicht angekommen.",
           "claim_refund": "Ich will mein Geld zurück.",
           "hello": "Hallo, gibt es das auch in Blau?"},
    "ja": {"cancel": "注文をキャンセルしてください。",
           "refused": "キャンセルをお願いしたのに発送されました。",
           "claim_parts": "箱に充電器が入っていませんでした。",
           "report_parts": "充電器が同梱されていません。送ってもらえますか。",
           "claim_lost": "荷物が届きません。",
           "ask_lost": "荷物はどこですか？まだ届いていません。",
           "claim_refund": "返金してください。",
           "hello": "こんにちは、青色はありますか？"},
    "fr": {"cancel": "Veuillez annuler ma commande, je n'en ai plus besoin.",
           "refused": "J'ai demandé l'annulation et vous l'avez quand même expédié.",
           "claim_parts": "Le chargeur et le câble manquaient dans la boîte.",
           "report_parts": "Le chargeur est absent de la boîte, pouvez-vous m'en envoyer un ?",
           "claim_lost": "Le colis n'est jamais arrivé.",
           "ask_lost": "Où est mon colis ? Il n'est toujours pas arrivé.",
           "claim_refund": "Je veux être remboursé.",
           "hello": "Bonjour, existe-t-il en bleu ?"},
    "es": {"cancel": "Por favor, cancelen mi pedido, ya no lo necesito.",
           "refused": "Pedí cancelar y aun así lo enviaron.",
           "claim_parts": "Faltaba el cargador en la caja.",
           "report_parts": "Falta el cargador en la caja, ¿me pueden enviar uno?",
           "claim_lost": "El paquete nunca llegó.",
           "ask_lost": "¿Dónde está mi paquete? Todavía no ha llegado.",
           "claim_refund": "Quiero que me devuelvan el dinero.",
           "hello": "Hola, ¿lo tienen en azul?"},
    "it": {"cancel": "Vorrei annullare l'ordine, non mi serve più.",
           "refused": "Avevo chiesto di annullare e l'avete spedito lo stesso.",
           "claim_parts": "Mancava il caricabatterie nella scatola.",
           "report_parts": "Nella scatola manca il caricabatterie, potete mandarmelo?",
           "claim_lost": "Il pacco non è mai arrivato.",
           "ask_lost": "Dov'è il mio pacco? Non è ancora arrivato.",
           "claim_refund": "Voglio il rimborso.",
           "hello": "Ciao, c'è anche in blu?"},
}
LANGUAGES = tuple(WORDS)
# an order number of the store each language is sold in (US for English and Chinese buyers)
ORDER_IDS = {"en": "114-8301856-2739412", "zh": "114-8301856-2739412", "de": "302-1234567-7654321",
             "fr": "302-2345678-8765432", "es": "302-3456789-9876543", "it": "302-4567890-1987654",
             "ja": "250-5678901-2198765"}
SELLER = {"zh": "您好，包裹已经发出，无法取消了，收到后可以申请退货。",
          "default": "Sorry, the parcel has already shipped, so we can no longer cancel it. You can return it once "
                     "it arrives."}
SHIPPED = {"purchased_at": "2026-03-01T09:00:00Z", "shipped_at": "2026-03-02T08:00:00Z",
           "delivered_at": "2026-03-05T14:00:00Z"}
CLAIM_AT = "2026-03-12T10:00:00Z"


def buyer(ident: str, at: str, text: str) -> dict:
    return {"id": ident, "from": "buyer", "sent_at": at, "text": text}


def seller(ident: str, at: str, lang: str = "en") -> dict:
    return {"id": ident, "from": "seller", "sent_at": at, "text": SELLER.get(lang, SELLER["default"])}


def claim(text: str, ident: str = "c1", at: str = CLAIM_AT, kind: str = "a-to-z") -> dict:
    return {"id": ident, "type": kind, "filed_at": at, "text": text}


def case(lang: str, messages: list[dict], claims: list[dict], **order) -> dict:
    fields = {**SHIPPED, **order}
    return {"order_id": ORDER_IDS[lang], "order": {k: v for k, v in fields.items() if v is not None},
            "messages": messages, "claims": claims}


def seed_story(lang: str) -> dict:
    """The case that started the project: a cancellation asked for after shipment, answered, then a
    claim for a reason never raised."""
    w = WORDS[lang]
    return case(lang, [buyer("m1", "2026-03-02T20:00:00Z", w["cancel"]), seller("m2", "2026-03-03T09:00:00Z", lang)],
                [claim(w["claim_parts"])])


def shipped_anyway(lang: str, reported_first: bool = False) -> dict:
    """A cancellation asked for before shipment, shipped anyway, then a claim (risk: shipped after the request)."""
    w = WORDS[lang]
    messages = [buyer("m1", "2026-03-01T20:00:00Z", w["cancel"]), seller("m2", "2026-03-02T09:00:00Z", lang),
                buyer("m3", "2026-03-02T10:00:00Z", w["refused"]), seller("m4", "2026-03-02T11:00:00Z", lang)]
    if reported_first:
        messages += [buyer("m5", "2026-03-06T10:00:00Z", w["report_parts"]), seller("m6", "2026-03-06T12:00:00Z", lang)]
    return case(lang, messages, [claim(w["claim_parts"])])


def never_shipped(lang: str) -> dict:
    """A cancellation asked for, the order never shipped, a not-received claim: the buyer is right."""
    w = WORDS[lang]
    return case(lang, [buyer("m1", "2026-03-01T20:00:00Z", w["cancel"]), seller("m2", "2026-03-02T09:00:00Z", lang)],
                [claim(w["claim_lost"])], shipped_at=None, delivered_at=None)
