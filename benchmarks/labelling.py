"""Batch labelling benchmark: `claimlens label` on a generated CSV of short messages.

Reports rows/s of the whole process (start-up and model load included) with --jobs 1 and --jobs 2
(evidence off and, for --jobs 1, on), fastText's rate on the same messages in the same run (jieba
included), and the peak memory of the whole process tree for the small and the full file (it must
not grow with the file).

Messages (the default, --messages unique): every one different, as in a real export, where
remembering a whole row buys nothing: each joins one to three sentences of different seed texts
(our own) in one language, with order numbers, names and noise, up to 300 characters, the seven
languages in turn. --messages seed: short seed texts with the noise of real exports added (order
numbers, SKU mentions, case changes, emoji), where many rows repeat.
Run: python -m benchmarks.labelling [--rows 200000] [--messages unique|seed] [--out bench-results]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.common import REPO, FastTextOva, seed_examples, write_json
from claimlens.model.schema import load_schema
from claimlens.training.current import resolve_model_dir
from claimlens.training.paths import SCHEMA

NOISE = ["", "", "", " 😡", " !!!", " pls", " 🙏", " ASAP", " ??", " 谢谢", " danke", " merci"]


def generate(path: Path, rows: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    short = [e.text for e in seed_examples() if len(e.text) <= 140 and "\n" not in e.text]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "text", "sku"])
        for i in range(rows):
            text = rng.choice(short)
            r = rng.random()
            if r < 0.3:
                text = f"{text} order {rng.randrange(100, 999)}-{rng.randrange(10**6, 10**7)}-{rng.randrange(10**6, 10**7)}"
            elif r < 0.4:
                text = text.upper()
            elif r < 0.5:
                text = f"SKU{rng.randrange(1000)}: {text}"
            w.writerow([i, text + rng.choice(NOISE), f"SKU{rng.randrange(500)}"])


_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
NAMES = ["Anna", "Marco", "李娜", "田中", "Jean-Luc", "Sofía", "Jürgen", "Priya", "王伟", "Chloé"]


def generate_unique(path: Path, rows: int, seed: int = 0) -> None:
    """rows different messages, up to 300 characters each, seven languages in turn."""
    rng = random.Random(seed)
    by_language: dict[str, list[str]] = {}
    for e in seed_examples():
        for s in _SENTENCE.split(" ".join(e.text.split())):
            if 3 <= len(s) <= 160:
                by_language.setdefault(e.language, []).append(s)
    languages = sorted(by_language)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "text", "sku"])
        i = 0
        while i < rows:
            pool = by_language[languages[i % len(languages)]]
            parts = rng.sample(pool, rng.choice((1, 1, 2, 2, 3)))
            r = rng.random()
            if r < 0.25:
                parts.insert(rng.randrange(len(parts) + 1), f"#{rng.randrange(100, 999)}-{rng.randrange(10**7)}")
            elif r < 0.4:
                parts.append(f"- {rng.choice(NAMES)}")
            text = (" ".join(parts) + rng.choice(NOISE))[:300]
            if text in seen:
                continue
            seen.add(text)
            w.writerow([i, text, f"SKU{rng.randrange(500)}"])
            i += 1


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def label_run(src: Path, out: Path, model_dir: Path, jobs: int, evidence: bool) -> dict:
    cmd = [sys.executable, "-m", "claimlens.cli", "label", str(src), "-o", str(out), "--model", str(model_dir),
           "--jobs", str(jobs), "--no-progress"] + ([] if evidence else ["--no-evidence"])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"label run failed: {err}")
    with out.open(encoding="utf-8") as f:
        rows = sum(1 for _ in f)
    # the command's own figure: from the first row read to the output renamed, without start-up
    inner = float(re.search(r" in ([0-9.]+)s \(", err).group(1))
    return {"jobs": jobs, "evidence": evidence, "rows": rows, "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds), "labelling_seconds": inner, "labelling_rows_per_s": round(rows / inner),
            "peak_rss_mib": round(peak[0] / 1024, 1), "log": err.strip()}


def fasttext_rate(src: Path) -> dict:
    schema = load_schema(SCHEMA)
    seed = seed_examples()
    with src.open(encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    ft = FastTextOva().fit([e.text for e in seed], [e.labels for e in seed], list(schema.labels))
    rate, predict_only = ft.rates(texts)
    return {"rows": len(texts), "rows_per_s": round(rate), "predict_only_rows_per_s": round(predict_only)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--small", type=int, default=50_000, help="rows of the file the memory is compared with")
    ap.add_argument("--messages", choices=("unique", "seed"), default="unique")
    ap.add_argument("--work", type=Path, default=Path("bench-results/labelling"))
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    model_dir = resolve_model_dir(None)
    make = generate_unique if args.messages == "unique" else generate
    big, small = (args.work / f"{args.messages}-{n}.csv" for n in (args.rows, args.small))
    for path, n in ((big, args.rows), (small, args.small)):
        if not path.exists():
            make(path, n)
    results = {"cpu_count": os.cpu_count(), "rows": args.rows, "messages": args.messages, "model": model_dir.name,
               "runs": []}
    plan = [(small, 1, False), (big, 1, False), (big, 2, False), (big, 1, True)]
    for src, jobs, evidence in plan:
        run = label_run(src, args.work / "out.jsonl", model_dir, jobs, evidence)
        with src.open(encoding="utf-8") as f:
            run["file_rows"] = sum(1 for _ in f) - 1
        results["runs"].append(run)
        print(f"{run['file_rows']:>9,} rows  jobs {jobs}  evidence {'on ' if evidence else 'off'}  "
              f"{run['rows_per_s']:>7,} rows/s end to end ({run['seconds']:.1f} s), "
              f"{run['labelling_rows_per_s']:>7,} rows/s after start-up  peak RSS {run['peak_rss_mib']:>6.0f} MiB",
              flush=True)
    results["fasttext"] = fasttext_rate(big)
    print(f"fastText on the same {args.rows:,} messages (jieba included): {results['fasttext']['rows_per_s']:,} rows/s "
          f"({results['fasttext']['predict_only_rows_per_s']:,} predict-only)")
    small_peak, big_peak = results["runs"][0]["peak_rss_mib"], results["runs"][1]["peak_rss_mib"]
    results["memory_growth"] = round(big_peak / small_peak - 1, 4)
    print(f"peak memory, jobs 1: {small_peak:.0f} MiB at {args.small:,} rows, {big_peak:.0f} MiB at {args.rows:,} "
          f"rows ({results['memory_growth']:+.1%})")
    write_json(args.out / "labelling.json", results)
    (args.work / "out.jsonl").unlink(missing_ok=True)
    (args.work / "out.jsonl.errors.jsonl").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
