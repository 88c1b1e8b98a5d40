"""Case analysis benchmark: cases per second over generated orders of 2-8 events.

Buyer messages and claim texts are drawn from the seed texts; times, senders, order fields
(a tenth never shipped, a tenth shipped without a delivery date) and the store of the order
number (US, EU, JP) are random (seeded). Each case is parsed, labelled, judged, assessed and
drafted. Run: python -m benchmarks.cases [--orders 10000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from benchmarks.common import seed_examples, write_json
from claimlens.cases import analyze_case, parse_case
from claimlens.training.current import open_model


def generate(n: int, texts: list[str], seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    cases = []
    for i in range(n):
        purchased = start + timedelta(minutes=rng.randrange(0, 400_000))
        shipped = purchased + timedelta(hours=rng.randrange(2, 72))
        delivered = shipped + timedelta(hours=rng.randrange(24, 200))
        fate = rng.random()  # a tenth never ship, a tenth have no delivery date
        events = rng.randrange(2, 9)
        claims = 1 if rng.random() < 0.8 else 0
        messages = []
        t = purchased
        for k in range(events - claims):
            t += timedelta(hours=rng.randrange(1, 60))
            sender = rng.choice(("buyer", "buyer", "seller", "marketplace"))
            messages.append({"id": f"m{k}", "from": sender, "sent_at": t.isoformat(),
                             "text": rng.choice(texts) if sender == "buyer" else "Thanks for your message."})
        claim_list = [{"id": "c1", "type": rng.choice(("a-to-z", "return", "chargeback")),
                       "filed_at": (t + timedelta(days=rng.randrange(1, 20))).isoformat(),
                       "text": rng.choice(texts)}] if claims else []
        store = rng.choice(("114", "302", "028", "250", "701"))
        cases.append({"order_id": f"{store}-{rng.randrange(10**6, 10**7):07d}-{i:07d}",
                      "order": {"purchased_at": purchased.isoformat(),
                                "shipped_at": shipped.isoformat() if fate >= 0.1 else None,
                                "delivered_at": delivered.isoformat() if fate >= 0.2 else None,
                                "buyer_requested_cancel": rng.random() < 0.1},
                      "messages": messages, "claims": claim_list})
    return cases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--model", default=None)
    ap.add_argument("--out", default="bench-results")
    args = ap.parse_args()
    estimator, manifest = open_model(args.model)
    cases = generate(args.orders, [e.text for e in seed_examples()])
    events = sum(len(c["messages"]) + len(c["claims"]) for c in cases)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        findings, positions = 0, Counter()
        for raw in cases:
            result = analyze_case(estimator, manifest["model_version"], parse_case(raw))
            findings += len(result["findings"])
            positions[result["assessment"]["position"] if result["assessment"] else "no claim"] += 1
        runs.append(time.perf_counter() - t)
    median = statistics.median(runs)
    result = {"orders": len(cases), "events": events, "findings": findings, "positions": dict(positions),
              "seconds_median": median, "runs": runs, "cases_per_s": len(cases) / median}
    print(f"| orders | events | findings | median of 3 runs | cases/s |\n|---|---|---|---|---|")
    print(f"| {len(cases):,} | {events:,} | {findings:,} | {median:.1f} s | {len(cases) / median:.0f} |")
    print("positions: " + ", ".join(f"{k} {v:,}" for k, v in positions.most_common()))
    write_json(__import__("pathlib").Path(args.out) / "cases.json", result)


if __name__ == "__main__":
    main()
