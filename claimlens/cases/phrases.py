"""The sentences of the marketplace draft ("Respond to Amazon"), one set per marketplace language.

Every sentence states one fact in the seller's favour; the slots are dates, counts, the claim's
name and the buyer's (or the seller's own) quoted words. Nothing else goes into a draft.
"""
from __future__ import annotations

PHRASES = {
    "en": {
        "quotes": ("\u201c", "\u201d"),
        "claims": {"a-to-z": "an A-to-z Guarantee claim", "return": "a return request", "chargeback": "a chargeback",
                   "feedback": "feedback", None: "a claim"},
        "order": "Order {order}.",
        "claim": "On {date} the buyer filed {claim}: {quote}.",
        "claim_bare": "On {date} the buyer filed {claim}.",
        "after_shipment": "The order shipped on {shipped}; on {date} the buyer asked to cancel it: {quote}.",
        "answered": "We answered on {date}: {quote}.",
        "delivered": "Tracking shows the order delivered on {date}, before the claim.",
        "no_contact": "The buyer did not contact us before filing it.",
        "not_raised": "The reason given in this claim appears in none of the buyer's {n} earlier message(s) to us.",
        "after_answer": "The claim was filed {days} day(s) after our answer.",
        "review": "We ask that the claim be reviewed in light of these dated facts and the buyer's own words.",
        "checking": "We are checking the order and will follow up with the facts.",
        "refund": "We accept the buyer's claim of {date} and are refunding the order in full.",
    },
    "de": {
        "quotes": ("\u201e", "\u201c"),
        "claims": {"a-to-z": "einen A-bis-z-Garantieantrag", "return": "eine Rücksendeanfrage",
                   "chargeback": "eine Rückbuchung", "feedback": "eine Bewertung", None: "eine Reklamation"},
        "order": "Bestellung {order}.",
        "claim": "Am {date} hat der Käufer {claim} eingereicht: {quote}.",
        "claim_bare": "Am {date} hat der Käufer {claim} eingereicht.",
        "after_shipment": "Die Bestellung wurde am {shipped} versandt; am {date} bat der Käufer um Stornierung: {quote}.",
        "answered": "Wir haben am {date} geantwortet: {quote}.",
        "delivered": "Laut Sendungsverfolgung wurde die Bestellung am {date} zugestellt, also vor dem Antrag.",
        "no_contact": "Der Käufer hat uns vor dem Antrag nicht kontaktiert.",
        "not_raised": "Der Grund dieses Antrags kommt in keiner der {n} früheren Nachrichten des Käufers an uns vor.",
        "after_answer": "Der Antrag wurde {days} Tag(e) nach unserer Antwort eingereicht.",
        "review": "Wir bitten darum, den Antrag anhand dieser datierten Fakten und der eigenen Worte des Käufers "
                  "zu prüfen.",
        "checking": "Wir prüfen die Bestellung und melden uns mit den Fakten.",
        "refund": "Wir erkennen die Reklamation des Käufers vom {date} an und erstatten den vollen Betrag.",
    },
    "fr": {
        "quotes": ("\u00ab\u00a0", "\u00a0\u00bb"),
        "claims": {"a-to-z": "une réclamation au titre de la garantie A à Z", "return": "une demande de retour",
                   "chargeback": "une rétrofacturation", "feedback": "une évaluation", None: "une réclamation"},
        "order": "Commande {order}.",
        "claim": "Le {date}, l'acheteur a déposé {claim}\u00a0: {quote}.",
        "claim_bare": "Le {date}, l'acheteur a déposé {claim}.",
        "after_shipment": "La commande a été expédiée le {shipped}\u00a0; le {date}, l'acheteur a demandé son "
                          "annulation\u00a0: {quote}.",
        "answered": "Nous avons répondu le {date}\u00a0: {quote}.",
        "delivered": "Le suivi indique que la commande a été livrée le {date}, avant la réclamation.",
        "no_contact": "L'acheteur ne nous a pas contactés avant de la déposer.",
        "not_raised": "Le motif de cette réclamation n'apparaît dans aucun des {n} message(s) que l'acheteur nous a "
                      "envoyés auparavant.",
        "after_answer": "La réclamation a été déposée {days} jour(s) après notre réponse.",
        "review": "Nous demandons que la réclamation soit examinée à la lumière de ces faits datés et des propres "
                  "mots de l'acheteur.",
        "checking": "Nous vérifions la commande et reviendrons vers vous avec les faits.",
        "refund": "Nous acceptons la réclamation de l'acheteur du {date} et remboursons la commande intégralement.",
    },
    "es": {
        "quotes": ("\u00ab", "\u00bb"),
        "claims": {"a-to-z": "una reclamación de la Garantía de la A a la Z", "return": "una solicitud de devolución",
                   "chargeback": "un contracargo", "feedback": "una valoración", None: "una reclamación"},
        "order": "Pedido {order}.",
        "claim": "El {date} el comprador presentó {claim}: {quote}.",
        "claim_bare": "El {date} el comprador presentó {claim}.",
        "after_shipment": "El pedido se envió el {shipped}; el {date} el comprador pidió cancelarlo: {quote}.",
        "answered": "Respondimos el {date}: {quote}.",
        "delivered": "El seguimiento muestra que el pedido se entregó el {date}, antes de la reclamación.",
        "no_contact": "El comprador no se puso en contacto con nosotros antes de presentarla.",
        "not_raised": "El motivo de esta reclamación no aparece en ninguno de los {n} mensaje(s) anteriores del "
                      "comprador.",
        "after_answer": "La reclamación se presentó {days} día(s) después de nuestra respuesta.",
        "review": "Solicitamos que se revise la reclamación a la luz de estos hechos fechados y de las propias "
                  "palabras del comprador.",
        "checking": "Estamos revisando el pedido y responderemos con los hechos.",
        "refund": "Aceptamos la reclamación del comprador del {date} y reembolsamos el pedido en su totalidad.",
    },
    "it": {
        "quotes": ("\u00ab", "\u00bb"),
        "claims": {"a-to-z": "un reclamo Garanzia dalla A alla Z", "return": "una richiesta di reso",
                   "chargeback": "uno storno di addebito", "feedback": "un feedback", None: "un reclamo"},
        "order": "Ordine {order}.",
        "claim": "Il {date} l'acquirente ha presentato {claim}: {quote}.",
        "claim_bare": "Il {date} l'acquirente ha presentato {claim}.",
        "after_shipment": "L'ordine è stato spedito il {shipped}; il {date} l'acquirente ha chiesto di annullarlo: "
                          "{quote}.",
        "answered": "Abbiamo risposto il {date}: {quote}.",
        "delivered": "Il tracciamento mostra che l'ordine è stato consegnato il {date}, prima del reclamo.",
        "no_contact": "L'acquirente non ci ha contattati prima di presentarlo.",
        "not_raised": "Il motivo di questo reclamo non compare in nessuno dei {n} messaggi precedenti "
                      "dell'acquirente.",
        "after_answer": "Il reclamo è stato presentato {days} giorno/i dopo la nostra risposta.",
        "review": "Chiediamo che il reclamo venga esaminato alla luce di questi fatti datati e delle parole stesse "
                  "dell'acquirente.",
        "checking": "Stiamo verificando l'ordine e risponderemo con i fatti.",
        "refund": "Accettiamo il reclamo dell'acquirente del {date} e rimborsiamo l'ordine per intero.",
    },
    "ja": {
        "quotes": ("\u300c", "\u300d"),
        "claims": {"a-to-z": "Amazonマーケットプレイス保証の申請", "return": "返品リクエスト",
                   "chargeback": "チャージバック", "feedback": "評価", None: "申請"},
        "order": "注文番号 {order}。",
        "claim": "{date}、購入者は{claim}を提出しました：{quote}。",
        "claim_bare": "{date}、購入者は{claim}を提出しました。",
        "after_shipment": "注文は{shipped}に発送済みで、購入者がキャンセルを依頼したのはその後の{date}です：{quote}。",
        "answered": "当店は{date}に回答しました：{quote}。",
        "delivered": "配送状況によると、注文は申請前の{date}に配達済みです。",
        "no_contact": "購入者は申請前に当店へ連絡していません。",
        "not_raised": "この申請の理由は、購入者がそれ以前に当店へ送った{n}件のメッセージのいずれにも書かれていません。",
        "after_answer": "申請は当店の回答から{days}日後に提出されました。",
        "review": "これらの日付入りの事実と購入者自身の言葉に照らして、申請をご確認くださいますようお願いいたします。",
        "checking": "現在注文を確認しており、事実を添えて改めてご連絡いたします。",
        "refund": "{date}付の購入者の申請を受け入れ、注文代金を全額返金いたします。",
    },
}
