"""Learning curve: how much a seller's corrections help, through the real `retrain` path.

The real texts (../shared/data/dev-real.jsonl, or --data) are split in --folds stratified folds.
For each fold and each size k in --sizes, k texts of the other folds (a fixed random order per
fold; the 25 are among the 50, the 50 among the 100) go into a fresh feedback store as
corrections (`claimlens feedback import`'s path), `retrain --promote force` runs on them
against the default model (so, as in production, the challenger trains on the older 80 % of
the corrections and holds out the newest 20 %), and the challenger labels the held-out fold.
k = 0 is the default model (seed data only). Figures are macro F1 over all nine labels, pooled
over the folds (every real text labelled once, by a model that never saw it) and per fold.
One run; the seed guard's cross-validation is skipped (--seed-cv), it decides nothing here.

Run: python -m benchmarks.adaptation [--folds 3] [--sizes 0,25,50,100] [--data FILE] [--out bench-results]
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.common import DEV_REAL, seed_examples, write_json
from claimlens.feedback.database import Database
from claimlens.feedback.store import FeedbackStore, NewFeedback
from claimlens.model.folds import stratified_folds
from claimlens.model.persistence import save_model
from claimlens.model.schema import load_schema
from claimlens.model.store import ModelStore
from claimlens.training.adapt import train_challenger
from claimlens.training.datasets import load_examples
from claimlens.training.metrics import evaluate_predictions, indicator
from claimlens.training.paths import SCHEMA
from claimlens.training.retrain import Policy, retrain


def _as_corrections(examples, store: FeedbackStore) -> list:
    """The texts stored as corrections, one minute apart in the given order; returned as training sees them."""
    start = datetime(2026, 1, 1)
    store.add_many([NewFeedback(e, "import", "benchmark", created_at=start + timedelta(minutes=i))
                    for i, e in enumerate(examples)])
    return store.training_examples()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEV_REAL, help="real labelled texts (JSONL or CSV)")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--sizes", default="0,25,50,100", help="corrections per run; 'all' = every text of the other folds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    args = ap.parse_args()
    schema = load_schema(SCHEMA)
    if not args.data.exists():
        raise SystemExit(f"{args.data} not found: the benchmark reads ../shared/data beside the checkout (or --data)")
    real, seed = load_examples(args.data, schema), seed_examples()
    reasons = [k for k, c in enumerate(schema.labels) if c != schema.exclusive]
    Y = indicator([e.labels for e in real], list(schema.labels))
    folds = stratified_folds(Y[:, reasons], [e.language or "?" for e in real], args.folds, args.seed)
    sizes = [s.strip() for s in args.sizes.split(",")]
    print(f"seed: {len(seed)} texts; real: {len(real)} texts in {args.folds} folds of {[len(t) for _, t in folds]}")

    t0 = time.perf_counter()
    default = train_challenger(seed, [], schema, args.seed)
    print(f"default model trained in {time.perf_counter() - t0:.0f}s")
    preds = {"0": default.predict_explained([e.text for e in real])}
    per_fold: dict[str, list[float]] = {"0": []}
    for f, (train, test) in enumerate(folds):
        held = [real[i] for i in test]
        per_fold["0"].append(evaluate_predictions(held, [preds["0"][i] for i in test], schema)["macro_f1"])
        order = list(train)
        random.Random(args.seed * 1000 + f).shuffle(order)
        for size in sizes:
            if size == "0":
                continue
            k = len(order) if size == "all" else min(int(size), len(order))
            with tempfile.TemporaryDirectory() as tmp:
                store = ModelStore(Path(tmp) / "models")
                version, directory = store.new_version("0" * 8)
                save_model(default, directory, version)  # the champion: the default model
                corrections = _as_corrections([real[i] for i in order[:k]],
                                              FeedbackStore(Database(f"sqlite:///{tmp}/feedback.db")))
                t0 = time.perf_counter()
                outcome = retrain(store, corrections, seed, schema, "force",
                                  Policy(seed_cv_folds=0, min_heldout=1), args.seed, log=lambda m: None)
                from claimlens.model.persistence import load_model

                challenger, _ = load_model(outcome.directory)
                got = challenger.predict_explained([e.text for e in held])
            preds.setdefault(size, [None] * len(real))
            for i, p in zip(test, got):
                preds[size][i] = p
            per_fold.setdefault(size, []).append(evaluate_predictions(held, got, schema)["macro_f1"])
            print(f"fold {f}: {k} corrections -> macro F1 {per_fold[size][-1]:.3f} "
                  f"(default {per_fold['0'][-1]:.3f}; retrain {time.perf_counter() - t0:.0f}s)", flush=True)

    results = {"data": str(args.data), "texts": len(real), "folds": args.folds, "seed": args.seed, "sizes": {}}
    print(f"\n| corrections per fold | macro F1, pooled over {len(real)} texts | per fold | gain over default |")
    print("|---|---|---|---|")
    base = evaluate_predictions(real, preds["0"], schema)["macro_f1"]
    for size in sizes:
        report = evaluate_predictions(real, preds[size], schema)
        results["sizes"][size] = {"macro_f1": report["macro_f1"], "per_fold": per_fold[size],
                                  "macro_f1_by_language": report["macro_f1_by_language"],
                                  "per_label_f1": {k: v["f1"] for k, v in report["per_label"].items()}}
        label = "0 (default model)" if size == "0" else size
        print(f"| {label} | {report['macro_f1']:.3f} | {' / '.join(f'{x:.3f}' for x in per_fold[size])} | "
              f"{report['macro_f1'] - base:+.3f} |")
    write_json(args.out / "adaptation.json", results)


if __name__ == "__main__":
    main()
