"""Start-up: `claimlens predict` on one text against merely importing numpy, scikit-learn and spaCy.

The two commands run alternately, --runs times each, in fresh processes, so that both see the same
machine; the figures are medians and their ratio (goal: at most 2). The model is the current one
(built first if there is none, outside the timing).

Run: python -m benchmarks.startup [--runs 7] [--text "..."] [--out bench-results]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import write_json

IMPORTS = [sys.executable, "-c", "import numpy, sklearn, spacy"]


def _seconds(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--text", default="the charger I ordered two weeks ago never arrived")
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    args = ap.parse_args()
    predict = [sys.executable, "-m", "claimlens", "predict", args.text]
    subprocess.run(predict, check=True, stdout=subprocess.DEVNULL)  # builds the default model if need be
    imports, predicts = [], []
    for _ in range(args.runs):
        imports.append(_seconds(IMPORTS))
        predicts.append(_seconds(predict))
    result = {"runs": args.runs, "text": args.text,
              "import_seconds": imports, "predict_seconds": predicts,
              "import_median": statistics.median(imports), "predict_median": statistics.median(predicts)}
    result["ratio"] = result["predict_median"] / result["import_median"]
    write_json(args.out / "startup.json", result)
    print(f"import numpy, sklearn, spacy: median {result['import_median']:.2f}s; "
          f"claimlens predict (one text): median {result['predict_median']:.2f}s; "
          f"ratio {result['ratio']:.2f} (goal: at most 2), {args.runs} alternated runs each")


if __name__ == "__main__":
    main()
