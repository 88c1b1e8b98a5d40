"""Speed benchmark: training time, single-prediction latency, one-core batch throughput
(fastText on the same messages in the same run), model size, process memory after loading.

Run: python benchmarks/speed.py [--messages 20000] [--out bench-results]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from benchmarks.common import DEV_REAL, FastTextOva, dev_examples, seed_examples, write_json
from claimlens.model.persistence import ARTEFACT, save_model
from claimlens.model.schema import load_schema
from claimlens.training.paths import SCHEMA
from claimlens.training.train import fit, make_estimator

_RSS = """
import resource, sys, time
t = time.perf_counter()
from claimlens.model.persistence import load_model
m, _ = load_model(sys.argv[1]); m.warm_up(); m.predict_explained(["warm up"])
rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]
print(int(rss) / 1024, time.perf_counter() - t)
"""


def _percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=20000, help="messages in the throughput run")
    ap.add_argument("--single", type=int, default=1000, help="single predictions timed")
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    args = ap.parse_args()
    schema = load_schema(SCHEMA)
    seed = seed_examples()
    probe = [e.text for e in (dev_examples() if DEV_REAL.exists() else seed)]
    results = {"cpu_count": os.cpu_count()}

    with threadpool_limits(1):
        t0 = time.perf_counter()
        model = fit(make_estimator(schema, 0), seed)
        results["train_seconds"] = time.perf_counter() - t0
        model.warm_up()
        for explain in (True, False):
            times = []
            for i in range(args.single):
                text = probe[i % len(probe)]
                t = time.perf_counter()
                model.predict_explained([text], explain=explain)
                times.append((time.perf_counter() - t) * 1000)
            key = "single_ms_evidence" if explain else "single_ms_no_evidence"
            results[key] = {"median": statistics.median(times), "p99": _percentile(times, 99)}

        messages = [seed[i % len(seed)].text for i in range(args.messages)]
        for explain in (False, True):
            t = time.perf_counter()
            for i in range(0, len(messages), 1000):
                model.predict_explained(messages[i:i + 1000], explain=explain)
            results["batch_msgs_per_s_evidence" if explain else "batch_msgs_per_s"] = len(messages) / (time.perf_counter() - t)

        ft = FastTextOva().fit([e.text for e in seed], [e.labels for e in seed], list(schema.labels))
        results["fasttext_msgs_per_s"], results["fasttext_msgs_per_s_predict_only"] = ft.rates(messages)

    with tempfile.TemporaryDirectory() as tmp:
        directory = save_model(model, Path(tmp) / "m", "bench")
        results["model_mb"] = (directory / ARTEFACT).stat().st_size / 2**20
        out = subprocess.run([sys.executable, "-c", _RSS, str(directory)], capture_output=True, text=True,
                             check=True, cwd=Path(__file__).resolve().parent.parent)
        rss, load_s = out.stdout.split()
        results["rss_mb_after_load"], results["load_seconds"] = float(rss), float(load_s)

    print(f"| figure | value |\n|---|---|")
    print(f"| training time on the seed data ({len(seed)} texts; labels fitted on 2 processes) | {results['train_seconds']:.1f} s |")
    for key, name in (("single_ms_evidence", "with evidence"), ("single_ms_no_evidence", "without evidence")):
        print(f"| single prediction {name}: median / p99 | {results[key]['median']:.2f} / {results[key]['p99']:.2f} ms |")
    print(f"| batch throughput, 1 core, no evidence | {results['batch_msgs_per_s']:.0f} msg/s |")
    print(f"| batch throughput, 1 core, with evidence | {results['batch_msgs_per_s_evidence']:.0f} msg/s |")
    print(f"| fastText on the same messages, 1 thread (incl. jieba segmentation) | {results['fasttext_msgs_per_s']:.0f} msg/s |")
    print(f"| fastText predict only | {results['fasttext_msgs_per_s_predict_only']:.0f} msg/s |")
    print(f"| model artefact size | {results['model_mb']:.1f} MiB |")
    print(f"| process RSS after loading (fresh process) | {results['rss_mb_after_load']:.0f} MiB |")
    print(f"| load + warm-up time | {results['load_seconds']:.1f} s |")
    write_json(args.out / "speed.json", results)


if __name__ == "__main__":
    main()
