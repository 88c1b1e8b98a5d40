"""The bundled seed set meets its contract: size, languages, labels, spans, no duplicates."""
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from claimlens.model.schema import load_schema
from claimlens.training.datasets import load_seed
from claimlens.training.paths import SCHEMA, SEED_DIR
from claimlens.training.resolve_quotes import GENRES, near_duplicates

MINIMUM = {"en": 600, "zh": 600, "de": 300, "fr": 300, "es": 300, "it": 300, "ja": 300}
ADDRESS = re.compile(r"@\w+|https?://\S+")
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev-real.jsonl"


@pytest.fixture(scope="module")
def seed():
    return load_seed(SEED_DIR, load_schema(SCHEMA))


def test_size_per_language(seed):
    counts = Counter(e.language for e in seed)
    assert sum(counts.values()) >= 3000
    for lang, minimum in MINIMUM.items():
        assert counts[lang] >= minimum, (lang, counts[lang])
    assert set(counts) == set(MINIMUM)


def test_every_label_30_times_in_every_language(seed):
    schema = load_schema(SCHEMA)
    counts = Counter((e.language, l) for e in seed for l in e.labels)
    short = {(lang, l): counts[(lang, l)] for lang in MINIMUM for l in schema.labels if counts[(lang, l)] < 30}
    assert not short


def test_multi_label_share(seed):
    assert sum(len(e.labels) > 1 for e in seed) / len(seed) >= 0.15


def test_every_reason_label_has_evidence_that_slices_the_text(seed):
    for e in seed:
        for label in e.labels:
            if label != "other":
                assert any(l == label for l, _, _ in e.evidence), (e.source, label)
        for _, start, end in e.evidence:
            assert 0 <= start < end <= len(e.text) and e.text[start:end].strip(), e.source


def test_lengths_and_genres(seed):
    assert min(len(e.text) for e in seed) >= 3 and max(len(e.text) for e in seed) <= 600
    assert {e.extra["genre"] for e in seed} == set(GENRES)


def test_no_exact_or_near_duplicates(seed):
    texts = [e.text for e in seed]
    assert len(set(texts)) == len(texts)
    pairs = near_duplicates(texts, threshold=0.8)
    assert not [(seed[i].source, seed[j].source) for i, j, _ in pairs]


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside this checkout")
def test_no_sentence_from_the_real_evaluation_texts(seed):
    body = " ".join(" ".join(e.text.split()) for e in seed)
    probes = set()
    # @handles and links are addresses, not a buyer's sentence: many real tweets share them
    with SHARED.open(encoding="utf-8") as fh:
        shared = [" ".join(ADDRESS.sub(" ", json.loads(line)["text"]).split()) for line in fh]
    for t in shared:
        n = 24 if sum(c.isascii() for c in t) > len(t) / 2 else 10
        probes |= {t[i:i + n] for i in range(0, max(1, len(t) - n + 1), n // 2) if len(t) >= 8}
    assert not [p for p in probes if p in body]
