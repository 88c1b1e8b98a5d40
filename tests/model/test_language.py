from claimlens.model.language import LanguageIdentifier
from claimlens.model.normalize import normalize

TRAIN = [
    ("where is my parcel, it never arrived", "en"), ("the charger is missing from the box", "en"),
    ("das paket ist nicht angekommen", "de"), ("zubehör fehlt, bitte erstatten", "de"),
    ("le colis n'est jamais arrivé", "fr"), ("il manque le chargeur dans la boîte", "fr"),
    ("el paquete no ha llegado", "es"), ("falta el cargador en la caja", "es"),
    ("il pacco non è mai arrivato", "it"), ("manca il caricatore nella scatola", "it"),
]


def _langid():
    return LanguageIdentifier().fit([t for t, _ in TRAIN], [l for _, l in TRAIN])


def test_scripts_decide_cjk():
    lid = _langid()
    assert lid.identify("荷物が届きません") == "ja"
    assert lid.identify("包裹还没到") == "zh"
    assert lid.identify("這個order還沒到") == "zh"
    assert lid.identify("注文した商品") == "ja"
    assert lid.identify("😡😡 !!!") == "und"


def test_latin_languages():
    lid = _langid()
    got = [lid.identify(normalize(t).text) for t in
           ["My parcel is missing", "Das Paket fehlt", "Le colis manque", "El paquete falta", "Il pacco manca"]]
    assert got == ["en", "de", "fr", "es", "it"]


def test_only_languages_seen_in_training_are_told_apart():
    lid = LanguageIdentifier().fit(["where is my parcel"], ["en"])
    assert lid.identify("das paket ist nicht angekommen") == "en"
    assert LanguageIdentifier().fit(["包裹还没到"], ["zh"]).identify("hello") == "und"


def test_language_memo_changes_nothing():
    lid = LanguageIdentifier().fit(["where is my parcel", "das paket ist nicht da", "le colis n'est pas là"],
                                   ["en", "de", "fr"])
    texts = ["my parcel is not there", "das paket fehlt", "le colis manque", "paket parcel colis"]
    memo: dict[str, list[int]] = {}
    assert [lid.identify(t, memo) for t in texts] == [lid.identify(t) for t in texts] == ["en", "de", "fr", "en"]
    assert "paket" in memo
