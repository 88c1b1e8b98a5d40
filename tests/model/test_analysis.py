from claimlens.model.features import extract


def test_analyze_batch_equals_analyze(tiny_model):
    texts = ["my parcel never arrived", "快递一直没收到", "my parcel never arrived", "das Paket ist nicht da"]
    analyzer = tiny_model.analyzer_
    batch = analyzer.analyze_batch(texts)
    assert batch == [analyzer.analyze(t) for t in texts]
    assert batch[0] is batch[2]  # a repeated text is analysed once


def test_occurrences_are_those_of_extract(tiny_model):
    analyzer = tiny_model.analyzer_
    a = analyzer.analyze("The CHARGER is missing, order 12345")
    assert a.words.features[0] == "\x01the"
    assert a.occurrences == extract(a.normalized.text, a.tokens, analyzer.word_ngrams, analyzer.char_ngrams)
