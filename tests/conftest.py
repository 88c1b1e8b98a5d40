"""Shared fixtures: a tiny multilingual corpus, a model overfitted on it, and a saved copy."""
from __future__ import annotations

import pytest

from claimlens.model.estimator import ClaimClassifier
from claimlens.model.persistence import save_model

TINY = [
    ("please cancel my order, I ordered by mistake", ["cancellation_request"], "en"),
    ("cancel the order please, I don't need it anymore", ["cancellation_request"], "en"),
    ("I asked to cancel but you shipped it anyway", ["cancellation_refused"], "en"),
    ("you ignored my cancel request and charged me anyway", ["cancellation_refused"], "en"),
    ("the charger was not in the box", ["missing_parts"], "en"),
    ("the cable is missing from the package, I want a refund", ["missing_parts", "refund_return_issue"], "en"),
    ("it arrived broken and does not work", ["damaged_defective"], "en"),
    ("screen cracked on arrival", ["damaged_defective"], "en"),
    ("my parcel never arrived", ["not_received"], "en"),
    ("still waiting for my package, where is it", ["not_received"], "en"),
    ("I ordered black and got white", ["wrong_item"], "en"),
    ("you sent me the wrong model", ["wrong_item"], "en"),
    ("the colour is not as described in the listing", ["not_as_described"], "en"),
    ("the size is different from the description", ["not_as_described"], "en"),
    ("still no refund after two weeks", ["refund_return_issue"], "en"),
    ("I sent it back last week and still no money", ["refund_return_issue"], "en"),
    ("great product, thank you", ["other"], "en"),
    ("does it come in blue?", ["other"], "en"),
    ("买家说少了充电器，要求退款", ["missing_parts", "refund_return_issue"], "zh"),
    ("快递一直没收到", ["not_received"], "zh"),
    ("申请退款一周了，钱还没到账", ["refund_return_issue"], "zh"),
    ("盒子里少了说明书", ["missing_parts"], "zh"),
    ("收到的东西坏了", ["damaged_defective"], "zh"),
    ("发错货了，我要的是黑色", ["wrong_item"], "zh"),
    ("请取消订单", ["cancellation_request"], "zh"),
    ("质量很好，很满意", ["other"], "zh"),
    ("Zubehör fehlt, bitte Geld zurück", ["missing_parts", "refund_return_issue"], "de"),
    ("Das Paket ist nicht angekommen", ["not_received"], "de"),
    ("bitte stornieren Sie meine Bestellung", ["cancellation_request"], "de"),
    ("Super Produkt, danke", ["other"], "de"),
    ("le colis n'est jamais arrivé", ["not_received"], "fr"),
    ("produit cassé à la réception", ["damaged_defective"], "fr"),
    ("merci beaucoup, très content", ["other"], "fr"),
    ("el paquete no ha llegado", ["not_received"], "es"),
    ("quiero cancelar el pedido", ["cancellation_request"], "es"),
    ("muy buen producto, gracias", ["other"], "es"),
    ("il pacco non è mai arrivato", ["not_received"], "it"),
    ("prodotto rotto, voglio il rimborso", ["damaged_defective", "refund_return_issue"], "it"),
    ("ottimo prodotto, grazie", ["other"], "it"),
    ("荷物がまだ届いていません", ["not_received"], "ja"),
    ("充電器が入っていませんでした", ["missing_parts"], "ja"),
    ("とても良い商品です", ["other"], "ja"),
]


def tiny_estimator(**params) -> ClaimClassifier:
    defaults = dict(min_df=1, C=100.0, cv=2, char_ngrams=(1, 3))
    defaults.update(params)
    return ClaimClassifier(**defaults)


@pytest.fixture(scope="session")
def tiny_corpus():
    return TINY


@pytest.fixture(scope="session")
def tiny_model():
    texts, labels, langs = zip(*TINY)
    return tiny_estimator().fit(list(texts), list(labels), list(langs))


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_model, tmp_path_factory):
    directory = tmp_path_factory.mktemp("models") / "20260101T000000Z-0123abcd"
    return save_model(tiny_model, directory, directory.name)


@pytest.fixture(scope="session")
def seed_model():
    """The default model, trained on the bundled seed data (as a fresh machine builds it)."""
    from claimlens.model.schema import load_schema
    from claimlens.training.datasets import load_seed
    from claimlens.training.paths import SCHEMA, SEED_DIR
    from claimlens.training.train import fit, make_estimator

    schema = load_schema(SCHEMA)
    return fit(make_estimator(schema, 0), load_seed(SEED_DIR, schema)).warm_up()
