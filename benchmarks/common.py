"""What the benchmarks share: the seed data, the real evaluation texts, the baselines."""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np

from claimlens.model.schema import load_schema
from claimlens.training.datasets import Example, load_examples, load_seed
from claimlens.training.paths import SCHEMA, SEED_DIR

REPO = Path(__file__).resolve().parent.parent  # the checkout: benchmarks run from it

DEV_REAL = REPO.parent / "shared" / "data" / "dev-real.jsonl"


def seed_examples() -> list[Example]:
    return load_seed(SEED_DIR, load_schema(SCHEMA))


def dev_examples() -> list[Example]:
    if not DEV_REAL.exists():
        raise SystemExit(f"{DEV_REAL} not found: the benchmarks read ../shared/data beside the checkout")
    return load_examples(DEV_REAL, load_schema(SCHEMA))


class TfidfLogReg:
    """Baseline: scikit-learn's default word TfidfVectorizer + one-vs-rest LogisticRegression."""

    name = "TfidfVectorizer + LogisticRegression"

    def fit(self, texts, label_sets, classes):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        self.classes = [c for c in classes if c != "other"]
        Y = np.array([[c in ls for c in self.classes] for ls in label_sets], dtype=int)
        self.vec = TfidfVectorizer()
        self.clf = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(self.vec.fit_transform(texts), Y)
        return self

    def predict(self, texts):
        P = self.clf.predict_proba(self.vec.transform(texts))
        return [tuple(c for c, p in zip(self.classes, row) if p >= 0.5) or ("other",) for row in P]


def _fasttext_line(text: str) -> str:
    """fastText reads whitespace tokens: segment Chinese and Japanese with jieba, fold newlines."""
    import jieba

    if any("\u3040" <= c <= "\u9fff" for c in text):
        text = " ".join(jieba.cut(text))
    return " ".join(text.lower().split())


class FastTextOva:
    """Baseline: fastText supervised, -loss ova (one-vs-all), Chinese pre-segmented with jieba."""

    name = "fastText (-loss ova)"

    def fit(self, texts, label_sets, classes, epoch=25, seed_threads=1):
        import fasttext

        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
            for t, ls in zip(texts, label_sets):
                fh.write(" ".join(f"__label__{l}" for l in ls) + " " + _fasttext_line(t) + "\n")
        self.model = fasttext.train_supervised(fh.name, loss="ova", epoch=epoch, lr=0.5, wordNgrams=2,
                                               minn=2, maxn=4, thread=seed_threads, verbose=0, seed=0)
        Path(fh.name).unlink()
        return self

    def prepare(self, texts):
        return [_fasttext_line(t) for t in texts]

    def predict_prepared(self, lines):
        labels, probs = self.model.predict(lines, k=-1, threshold=0.5)
        out = []
        for ls in labels:
            got = tuple(l.replace("__label__", "") for l in ls if l != "__label__other")
            out.append(got or ("other",))
        return out

    def predict(self, texts):
        return self.predict_prepared(self.prepare(texts))

    def rates(self, texts) -> tuple[float, float]:
        """(texts/s including jieba segmentation, texts/s of prediction alone)."""
        t = time.perf_counter()
        lines = self.prepare(texts)
        prep = time.perf_counter() - t
        t = time.perf_counter()
        self.predict_prepared(lines)
        pred = time.perf_counter() - t
        return len(texts) / (prep + pred), len(texts) / pred


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
