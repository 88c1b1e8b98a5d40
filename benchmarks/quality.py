"""Quality benchmark: train on the seed data only, evaluate on ../shared/data/dev-real.jsonl.

Side by side in one run: claimlens, fastText (-loss ova, jieba pre-segmentation) and a plain
TfidfVectorizer + LogisticRegression, all trained on the same seed texts. Also cross-validated
figures per language on the seed data, and transfer figures (--transfer): leave one genre out and
leave one language out, each held-out group predicted by a model trained on all the others, beside
random folds, so that a change which only fits the seed's own style shows up as a gap.
Run: python -m benchmarks.quality [--cv 5] [--transfer genre,language] [--out DIR]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.common import FastTextOva, TfidfLogReg, dev_examples, seed_examples, write_json
from claimlens.model.schema import load_schema
from claimlens.training.metrics import evaluate_predictions, indicator, macro_f1
from claimlens.training.paths import SCHEMA
from claimlens.training.train import cross_validate, fit, make_estimator


def _macro(examples, label_sets, classes):
    return macro_f1(indicator([e.labels for e in examples], classes), indicator(label_sets, classes))


def leave_one_out(schema, seed, key: str) -> dict:
    """Macro F1 on each group of `key` (genre or language), by a model trained on every other group."""
    groups = sorted({_group(e, key) for e in seed})
    out = {}
    for g in groups:
        train = [e for e in seed if _group(e, key) != g]
        test = [e for e in seed if _group(e, key) == g]
        t0 = time.perf_counter()
        model = fit(make_estimator(schema, 0), train)
        report = evaluate_predictions(test, model.predict_explained([e.text for e in test]), schema)
        out[g] = {"n": len(test), "macro_f1": report["macro_f1"], "micro_f1": report["micro_f1"],
                  "evidence_hit_rate": report["evidence_hit_rate"]}
        print(f"  held out {key} {g}: {len(test)} texts, macro F1 {report['macro_f1']:.3f} "
              f"({time.perf_counter() - t0:.0f}s)", flush=True)
    macro = [m["macro_f1"] for m in out.values()]
    return {"groups": out, "mean_macro_f1": round(sum(macro) / len(macro), 4)}


def _group(example, key: str) -> str:
    return (example.language if key == "language" else example.extra.get(key)) or "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", type=int, default=5, help="folds for the per-language seed figures (0 skips)")
    ap.add_argument("--transfer", default="",
                    help="comma-separated: genre, language: leave-one-group-out figures on the seed (a fit per group)")
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    args = ap.parse_args()
    transfer = [k for k in args.transfer.split(",") if k]
    if bad := [k for k in transfer if k not in ("genre", "language")]:
        ap.error(f"--transfer takes genre and language, not {', '.join(bad)}")
    schema = load_schema(SCHEMA)
    classes = list(schema.labels)
    seed, dev = seed_examples(), dev_examples()
    sure = [i for i, e in enumerate(dev) if e.extra.get("sure")]
    texts, labels = [e.text for e in seed], [e.labels for e in seed]
    print(f"seed: {len(seed)} texts; dev-real: {len(dev)} texts ({len(sure)} sure)")

    rows, results = [], {}
    t0 = time.perf_counter()
    model = fit(make_estimator(schema, 0), seed)
    train_s = time.perf_counter() - t0
    preds = model.predict_explained([e.text for e in dev])
    report_all = evaluate_predictions(dev, preds, schema)
    report_sure = evaluate_predictions([dev[i] for i in sure], [preds[i] for i in sure], schema)
    results["claimlens"] = {"all": report_all, "sure": report_sure, "train_seconds": train_s}
    rows.append(("claimlens", report_all["macro_f1"], report_sure["macro_f1"], report_all["micro_f1"],
                 report_all["evidence_hit_rate"], train_s))

    for baseline in (FastTextOva(), TfidfLogReg()):
        t0 = time.perf_counter()
        baseline.fit(texts, labels, classes)
        train_s = time.perf_counter() - t0
        got = baseline.predict([e.text for e in dev])
        m_all = _macro(dev, got, classes)
        m_sure = _macro([dev[i] for i in sure], [got[i] for i in sure], classes)
        Y, P = indicator([e.labels for e in dev], classes), indicator(got, classes)
        micro = 2 * int((Y & P).sum()) / max(1, int(Y.sum() + P.sum()))
        results[baseline.name] = {"macro_f1_all": m_all, "macro_f1_sure": m_sure, "micro_f1": micro}
        rows.append((baseline.name, m_all, m_sure, micro, None, train_s))

    print("\n## dev-real (trained on seed only)\n")
    print("| model | macro F1 (all) | macro F1 (sure) | micro F1 | evidence hit rate | train s |")
    print("|---|---|---|---|---|---|")
    for name, a, s, mi, ev, ts in rows:
        print(f"| {name} | {a:.3f} | {s:.3f} | {mi:.3f} | {'-' if ev is None else f'{ev:.3f}'} | {ts:.1f} |")
    print("\nclaimlens per label on dev-real (all):\n")
    print("| label | P | R | F1 | n |\n|---|---|---|---|---|")
    for label, m in report_all["per_label"].items():
        print(f"| {label} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | {m['support']} |")
    print(f"\ncalibration error (ECE) on dev-real: {report_all['calibration_error']}")
    bands = report_all["confidence_bands"]
    print("confidence bands on dev-real: " + ", ".join(
        f"{b} {m['n']} texts ({'-' if m['exact_match'] is None else format(m['exact_match'], '.0%')} whole label set right)"
        for b, m in bands.items()))

    if args.cv >= 2:
        t0 = time.perf_counter()
        cv = cross_validate(make_estimator(schema, 0), seed, args.cv)
        results["seed_cv"] = cv
        print(f"\n## seed data, {args.cv}-fold cross-validation ({time.perf_counter() - t0:.0f}s)\n")
        print(f"macro F1 {cv['macro_f1']}, micro F1 {cv['micro_f1']}, ECE {cv['calibration_error']}, "
              f"evidence hit rate {cv['evidence_hit_rate']}\n")
        print("| language | texts | macro F1 |\n|---|---|---|")
        for lang, m in cv["macro_f1_by_language"].items():
            print(f"| {lang} | {m['n']} | {m['macro_f1']:.3f} |")
    for key in transfer:
        print(f"\n## seed data, leave one {key} out\n", flush=True)
        results[f"leave_one_{key}_out"] = res = leave_one_out(schema, seed, key)
        print(f"\n| held-out {key} | texts | macro F1 | evidence hit |\n|---|---|---|---|")
        for g, m in res["groups"].items():
            print(f"| {g} | {m['n']} | {m['macro_f1']:.3f} | {m['evidence_hit_rate']} |")
        print(f"| mean | | {res['mean_macro_f1']:.3f} | |")
    write_json(args.out / "quality.json", results)
    print(f"\nfull figures: {args.out / 'quality.json'}")


if __name__ == "__main__":
    main()
