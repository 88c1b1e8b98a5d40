import pickle
from collections import Counter

from claimlens.model.chargrams import CharGramIndex
from claimlens.model.features import FeatureSpace, char_grams, extract
from claimlens.model.normalize import normalize

CORPUS = ["the charger is missing", "order 114-8301856 never arrived", "买家说少了充电器，要求退款",
          "充電器が入っていませんでした😡", "zubehör fehlt", "  two  spaces  ", "ｆｕｌｌ　ｗｉｄｔｈ"]


def _rows(found):
    return list(zip(found.texts.tolist(), found.columns.tolist(), found.starts.tolist(), found.ends.tolist()))


def test_finds_vocabulary_grams_shortest_first_by_position():
    index = CharGramIndex({"ab": 0, "abc": 1, "é": 2, "c": 3})
    found = index.find(["xabc", "", "abé"], 1, 3)
    # (text, column, start, end): n = 1, then 2, then 3
    assert _rows(found) == [(0, 3, 3, 4), (2, 2, 2, 3), (0, 0, 1, 3), (2, 0, 0, 2), (0, 1, 1, 4)]
    assert _rows(index.find(["xabc"], 2, 2)) == [(0, 0, 1, 3)]


def test_no_gram_spans_two_texts():
    index = CharGramIndex({"ab": 0})
    assert _rows(index.find(["a", "b"], 1, 2)) == []
    assert _rows(CharGramIndex({}).find(["ab"], 1, 2)) == []


def test_feature_space_finds_what_char_grams_makes():
    texts = [normalize(t).text for t in CORPUS]
    space = FeatureSpace(min_df=1).fit([extract(t, (), (1, 2), (1, 4)).features for t in texts])
    unseen = ["order 999 never", "", "😡😡", "lone \ud83d surrogate", "charger missing again"]
    probe = texts + unseen
    want = Counter()
    for i, text in enumerate(probe):
        occ = char_grams(text, (1, 4))
        for feature, start, end in zip(occ.features, occ.starts, occ.ends):
            if feature in space.vocabulary_:
                want[(i, space.vocabulary_[feature], start, end)] += 1
    assert Counter(_rows(space.char_occurrences(probe, (1, 4)))) == want
    assert Counter(_rows(space.char_occurrences(probe, (2, 3)))) == Counter(
        {k: n for k, n in want.items() if 2 <= k[3] - k[2] <= 3})


def test_index_is_not_pickled_and_is_made_again():
    space = FeatureSpace(min_df=1).fit([extract(t, (), (1, 1), (1, 3)).features for t in CORPUS]).warm_up()
    copy = pickle.loads(pickle.dumps(space))
    assert "_char_trie" not in copy.__dict__
    assert _rows(copy.char_occurrences(["charger"], (1, 3))) == _rows(space.char_occurrences(["charger"], (1, 3)))
