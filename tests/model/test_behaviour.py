"""Behavioural tests of the default model, in the manner of CheckList (Ribeiro et al., 2020).

Minimum functionality: the shortest, commonest ways to state each label in each language, and every
example the taxonomy gives. Invariance: order numbers, names, typos, emoji, a marketplace wrapper or
a quoted reply around a text leave its labels alone. Direction: a negation removes a label, an added
demand adds one. All texts here were written for these tests; none comes from ../shared/data.

Like CheckList, the phrasing and invariance tests allow a small failure rate (the model is
statistical: at most 3 % of the phrasings, 5 % in any language, one base of eleven per kind of
noise); the taxonomy's own examples, the clear bases and the direction tests must hold every time.
"""
from __future__ import annotations

from collections import defaultdict

import pytest

CANONICAL = {
    "cancellation_request": {
        "en": ["please cancel my order", "I want to cancel this order", "cancel the order pls",
               "can you cancel it before it ships"],
        "zh": ["请取消订单", "我要取消订单", "麻烦帮我取消这个订单", "不要了，取消吧"],
        "de": ["bitte stornieren", "Ich möchte die Bestellung stornieren", "Bitte Bestellung stornieren"],
        "fr": ["je veux annuler ma commande", "merci d'annuler la commande", "annulez ma commande svp"],
        "es": ["quiero cancelar mi pedido", "por favor cancelen el pedido", "cancelen la orden"],
        "it": ["voglio annullare l'ordine", "per favore annullate il mio ordine", "annullate l'ordine"],
        "ja": ["キャンセルしたい", "注文をキャンセルしてください", "キャンセルお願いします"],
    },
    "cancellation_refused": {
        "en": ["I asked to cancel but you shipped it anyway", "my cancellation was refused",
               "cancelled but still charged"],
        "zh": ["要求取消被拒绝", "取消了还是发货了", "申请取消订单被拒"],
        "de": ["Stornierung wurde abgelehnt", "trotz Stornierung verschickt", "storniert und trotzdem abgebucht"],
        "fr": ["annulation refusée", "expédié malgré l'annulation", "j'ai annulé mais vous l'avez envoyé"],
        "es": ["no me dejaron cancelar", "lo enviaron aunque cancelé", "cancelación rechazada"],
        "it": ["annullamento rifiutato", "spedito nonostante l'annullamento", "ho annullato ma l'avete spedito"],
        "ja": ["キャンセルしたのに発送された", "キャンセルを断られた", "キャンセルしたのに請求された"],
    },
    "missing_parts": {
        "en": ["the charger was not in the box", "missing the cable", "parts missing", "no manual included"],
        "zh": ["少了配件", "缺少充电器", "少发了一个", "没有说明书", "缺件"],
        "de": ["Zubehör fehlt", "Ladekabel fehlt", "es fehlen Schrauben"],
        "fr": ["il manque le chargeur", "pièces manquantes", "il manque des vis"],
        "es": ["falta el cargador", "faltan piezas", "vino incompleto"],
        "it": ["manca il caricatore", "mancano dei pezzi", "mancano le viti"],
        "ja": ["付属品が入っていない", "部品が足りない", "充電器が入っていませんでした", "部品が欠品しています"],
    },
    "not_as_described": {
        "en": ["not as described", "looks nothing like the picture", "the size is different from the listing",
               "it's a fake"],
        "zh": ["与描述不符", "和图片不一样", "尺寸和描述不符", "是假货"],
        "de": ["nicht wie beschrieben", "entspricht nicht der Beschreibung", "Farbe anders als auf dem Bild"],
        "fr": ["pas conforme à la description", "ne correspond pas à la description", "c'est une contrefaçon"],
        "es": ["no es como se describe", "no es como en la foto", "es falso"],
        "it": ["non corrisponde alla descrizione", "colore diverso dalla foto", "è contraffatto"],
        "ja": ["説明と違う", "写真と全然違う", "偽物でした"],
    },
    "wrong_item": {
        "en": ["I ordered black and got white", "you sent me the wrong item", "wrong size sent"],
        "zh": ["发错货了", "发错颜色了", "收到的不是我买的"],
        "de": ["falscher Artikel geliefert", "falsche Größe geschickt", "ich habe ein anderes Modell bekommen"],
        "fr": ["j'ai reçu le mauvais article", "pas le bon modèle", "mauvaise taille envoyée"],
        "es": ["me enviaron otro producto", "me llegó el modelo equivocado", "talla equivocada"],
        "it": ["mi è arrivato un altro prodotto", "articolo sbagliato", "modello sbagliato"],
        "ja": ["注文と違う商品が届いた", "違う商品が届きました", "色違いが届いた"],
    },
    "damaged_defective": {  # the commonest damage words too: hard negatives ("nothing broken") once outweighed them
        "en": ["arrived cracked", "it doesn't work", "stopped working after a week", "broken on arrival",
               "received damaged item", "product damaged", "it is damaged", "the item was broken",
               "you sent me a damaged product"],
        "zh": ["坏了", "收到就是坏的", "用了两天就坏了", "屏幕碎了", "商品损坏", "不能用", "有破损"],
        "de": ["funktioniert nicht", "kam kaputt an", "nach einer Woche defekt", "Ware beschädigt", "Artikel ist kaputt",
               "beschädigt angekommen", "das Gerät ist defekt", "kaputt geliefert"],
        "fr": ["ne fonctionne pas", "arrivé cassé", "ne s'allume plus", "produit endommagé", "article cassé",
               "produit défectueux", "colis abîmé et produit cassé"],
        "es": ["no funciona", "llegó roto", "dejó de funcionar", "producto dañado", "está roto", "producto defectuoso"],
        "it": ["non funziona", "arrivato rotto", "si è rotto dopo una settimana", "prodotto danneggiato", "è rotto",
               "prodotto difettoso"],
        "ja": ["壊れていた", "動かない", "電源が入らない", "商品が破損していました", "届いたら壊れてた", "不良品でした"],
    },
    "not_received": {
        "en": ["never arrived", "I haven't received my package", "where is my order", "still not delivered"],
        "zh": ["没收到货", "还没收到", "快递一直没到", "物流一直不动"],
        "de": ["nicht angekommen", "Paket ist nie angekommen", "ich habe nichts erhalten"],
        "fr": ["jamais reçu", "colis toujours pas arrivé", "je n'ai pas reçu ma commande"],
        "es": ["nunca llegó", "no me ha llegado el pedido", "todavía no recibo mi paquete"],
        "it": ["mai arrivato", "il pacco non è ancora arrivato", "non ho ricevuto nulla"],
        "ja": ["届いていない", "まだ届きません", "荷物が来ない"],
    },
    "refund_return_issue": {
        "en": ["still no refund", "I want a refund", "I returned it and got no money back"],
        "zh": ["退款还没到账", "我要退款", "申请退货退款"],
        "de": ["Rückerstattung fehlt noch", "ich möchte mein Geld zurück", "Rücksendung ohne Erstattung"],
        "fr": ["toujours pas remboursé", "je veux être remboursé", "j'ai renvoyé l'article, pas de remboursement"],
        "es": ["quiero un reembolso", "todavía no me devuelven el dinero", "devolví el producto y nada"],
        "it": ["voglio il rimborso", "rimborso non ancora arrivato", "ho fatto il reso ma niente rimborso"],
        "ja": ["返金されない", "返金してください", "返品したのに返金がない"],
    },
    "other": {
        "en": ["great product, thank you", "does it come in blue?", "fast shipping, love it"],
        "zh": ["质量很好，很满意", "有蓝色的吗", "物流很快，好评"],
        "de": ["Super Produkt, danke", "Gibt es das auch in Blau?"],
        "fr": ["très bon produit, merci", "il existe en bleu ?"],
        "es": ["muy buen producto, gracias", "¿lo tienen en azul?"],
        "it": ["ottimo prodotto, grazie", "c'è anche in blu?"],
        "ja": ["とても良い商品です", "青色はありますか"],
    },
}

# The examples of ../shared/spec/taxonomy.md (its "typical evidence" column and boundary rules).
TAXONOMY_EXAMPLES = [
    ("please cancel my order", {"cancellation_request"}), ("请取消订单", {"cancellation_request"}),
    ("bitte stornieren", {"cancellation_request"}), ("キャンセルしたい", {"cancellation_request"}),
    ("I asked to cancel but you shipped it anyway", {"cancellation_refused"}),
    ("要求取消被拒绝", {"cancellation_refused"}),
    ("the charger was not in the box", {"missing_parts"}), ("少了配件", {"missing_parts"}),
    ("Zubehör fehlt", {"missing_parts"}),
    ("not as described", {"not_as_described"}), ("与描述不符", {"not_as_described"}),
    ("nicht wie beschrieben", {"not_as_described"}),
    ("I ordered black and got white", {"wrong_item"}), ("发错货了", {"wrong_item"}),
    ("arrived cracked", {"damaged_defective"}), ("坏了", {"damaged_defective"}),
    ("funktioniert nicht", {"damaged_defective"}),
    ("never arrived", {"not_received"}), ("没收到货", {"not_received"}), ("nicht angekommen", {"not_received"}),
    ("still no refund", {"refund_return_issue"}), ("退款还没到账", {"refund_return_issue"}),
    ("Rückerstattung", {"refund_return_issue"}),
    ("missing the cable, I want a refund", {"missing_parts", "refund_return_issue"}),
]

BASES = [  # (text, labels): clear cases the perturbations must not move
    ("The charger was missing from the box, please send one.", {"missing_parts"}),
    ("My parcel never arrived and tracking has not moved in ten days.", {"not_received"}),
    ("I asked to cancel the order but you shipped it anyway.", {"cancellation_refused"}),
    ("The screen arrived cracked and the phone does not turn on.", {"damaged_defective"}),
    ("买的台灯没收到货，物流一直不动", {"not_received"}),
    ("收到的颜色发错了，我要的是黑色", {"wrong_item"}),
    ("Das Paket ist nie angekommen.", {"not_received"}),
    ("Il manque le câble dans la boîte.", {"missing_parts"}),
    ("Quiero cancelar mi pedido, por favor.", {"cancellation_request"}),
    ("Il prodotto è arrivato rotto.", {"damaged_defective"}),
    ("荷物がまだ届いていません。", {"not_received"}),
]

NOISE = {
    "order number": lambda t: f"Order 302-1234567-7654321: {t}",
    "name": lambda t: f"Hi Anna, {t} Thanks, Marco",
    "emoji": lambda t: f"{t} 😡😡",
    "marketplace wrapper": lambda t: ("We've been contacted by a customer regarding the order identified below.\n"
                                      f"{t}\nOrder ID: 114-8301856-2739412"),
    "quoted reply": lambda t: (f"{t}\n\n--- Original message ---\nThank you for your order! Your item will "
                               "ship within two business days."),
}


def _typo(text: str) -> str:
    """Swap two inner letters of the longest word."""
    words = text.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) >= 5:
        words[i] = w[:2] + w[3] + w[2] + w[4:]
    return " ".join(words)


@pytest.fixture(scope="module")
def labels_of(seed_model):
    def run(texts: list[str]) -> list[set[str]]:
        return [set(p.labels) for p in seed_model.predict_explained(texts, explain=False)]
    return run


def test_short_canonical_phrasings(labels_of):
    cases = [(text, label, lang) for label, by_lang in CANONICAL.items()
             for lang, texts in by_lang.items() for text in texts]
    got = labels_of([t for t, _, _ in cases])
    wrong, by_lang = [], defaultdict(lambda: [0, 0])
    for (text, label, lang), labels in zip(cases, got):
        ok = labels == {label}
        by_lang[lang][0] += ok
        by_lang[lang][1] += 1
        if not ok:
            wrong.append((lang, text, label, sorted(labels)))
    print(f"canonical phrasings: {len(cases) - len(wrong)} of {len(cases)} right", wrong)
    assert 1 - len(wrong) / len(cases) >= 0.97, wrong
    for lang, (right, total) in by_lang.items():
        assert right / total >= 0.95, (lang, [w for w in wrong if w[0] == lang])


def test_every_taxonomy_example(labels_of):
    got = labels_of([t for t, _ in TAXONOMY_EXAMPLES])
    assert [(t, sorted(g)) for (t, want), g in zip(TAXONOMY_EXAMPLES, got) if g != want] == []


def test_bases_are_right_before_they_are_perturbed(labels_of):
    assert labels_of([t for t, _ in BASES]) == [want for _, want in BASES]


@pytest.mark.parametrize("noise", sorted(NOISE))
def test_noise_around_the_text_changes_little(labels_of, noise):
    # at most one base of eleven may move, as for typos: a text near a threshold (measured once: the
    # charger never received, with a greeting and a name around it, gained missing_parts; none moves
    # on the 2026-12-07 model) is a model weakness to report, not a reason to drop the check for the other ten
    got = labels_of([NOISE[noise](t) for t, _ in BASES])
    assert len([(t, sorted(g)) for (t, want), g in zip(BASES, got) if g != want]) <= 1


def test_a_typo_changes_little(labels_of):
    latin = [(t, want) for t, want in BASES if t.isascii() or any(c in t for c in "éèçàù")]
    got = labels_of([_typo(t) for t, _ in latin])
    assert sum(g == want for (_, want), g in zip(latin, got)) >= len(latin) - 1


# Measured on the default model (2026-12-07): a negated missing-part phrase still scores
# missing_parts when the negation is not a phrase the seed has (a bag of n-grams sees "missing",
# "少", "fehlt"). Kept as strict xfails: the day the model gets them right, these fail and go.
NEGATION_WEAKNESS = pytest.mark.xfail(strict=True, reason="known weakness: negated missing-part phrases")


@pytest.mark.parametrize(("text", "removed"), [
    ("Arrived on time and nothing was missing, great quality.", "missing_parts"),
    pytest.param("Everything was in the box, no parts missing at all.", "missing_parts", marks=NEGATION_WEAKNESS),
    ("It arrived intact, no scratches, works perfectly.", "damaged_defective"),
    ("Exactly as described, the colour matches the photos.", "not_as_described"),
    pytest.param("包装完好，配件齐全，没有少东西", "missing_parts", marks=NEGATION_WEAKNESS),
    pytest.param("Alles war dabei, nichts fehlt.", "missing_parts", marks=NEGATION_WEAKNESS),
])
def test_negation_removes_the_label(labels_of, text, removed):
    assert removed not in labels_of([text])[0]


# An accessory bought on its own that never came is not a part missing from a box. It scored
# missing_parts until seed round 14 (Chinese 少/缺/没有 that name no missing part); a strict xfail
# until then, now a plain test, so that the weakness cannot come back unnoticed.
def test_an_accessory_that_never_came_is_not_a_missing_part(labels_of):
    assert labels_of(["买的充电器没收到货，物流一直不动"]) == [{"not_received"}]


@pytest.mark.parametrize(("text", "added", "demand"), [
    ("The phone arrived with a cracked screen", "refund_return_issue", " and I want a refund."),
    ("The charger was missing from the box", "refund_return_issue", ", I want my money back."),
    ("My parcel never arrived", "refund_return_issue", ". Please refund me."),
    ("收到的杯子是碎的", "refund_return_issue", "，我要退款"),
    ("The order still has not shipped", "cancellation_request", ", please cancel it."),
])
def test_an_added_demand_adds_the_label(labels_of, text, added, demand):
    before, after = labels_of([text, text + demand])
    assert added not in before and added in after and (before - {"other"}) <= after
