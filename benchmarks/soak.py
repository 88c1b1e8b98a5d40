"""Soak benchmark: a real server under steady load for minutes, reloaded every 30 s, one bad model.

`claimlens serve` (gunicorn, 2 sync workers) on loopback with its own model store, loaded by 16
concurrent clients (wrk with a Lua script cycling /v1/predict bodies with and without evidence,
and small batches; a thread pool of HTTP clients when wrk is missing). Every `--reload-every`
seconds a new model version appears in the store and `POST /v1/admin/reload` swaps it in; once,
halfway, the new version is malformed (artefact hashes right, manifest without `model_version`)
and the reload must answer 409, then the folder is deleted. Every 5 s the workers' resident set
size is read from /proc/<pid>/status and every worker's /readyz is sampled.

Pass: zero failed requests (non-2xx or socket errors), every good reload 200 and the bad one 409,
every worker on the last good version at the end, and each worker's RSS at the end within 10 %
of its RSS one minute in (after its first model swap, which replaces the model it shared with the
master by its own copy).

Run: python -m benchmarks.soak [--seconds 300] [--clients 16] [--reload-every 30] [--model DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.common import seed_examples, write_json
from benchmarks.serving import running_server, run_wrk, wrk_script

ADMIN_KEY = "soak-admin-key"
SAMPLE_EVERY = 5.0


def _call(url: str, body: dict | None = None, headers: dict | None = None, method: str | None = None,
          timeout: float = 120) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _version(store: Path, source: Path, n: int, malformed: bool = False) -> Path:
    """A copy of `source` as a newer version; `malformed` drops model_version from its manifest."""
    name = f"{2030 + n:04d}0101T000000Z-{n:08x}"
    target = store / name
    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    if malformed:
        del manifest["model_version"]
    else:
        manifest["model_version"] = name
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def _rss_mb(pid: int) -> float | None:
    try:
        for line in open(f"/proc/{pid}/status", encoding="ascii"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _workers(master: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def _bodies(texts: list[str]) -> list[dict]:
    out = []
    for i, text in enumerate(texts):
        out.append({"text": text, "explain": i % 2 == 0})
        if i % 10 == 0:
            out.append({"items": [{"text": t} for t in texts[i:i + 5]], "explain": False})
    return out


class ThreadLoad:
    """The fallback load generator: `clients` threads, each posting the bodies in turn."""

    def __init__(self, base: str, bodies: list[dict], clients: int) -> None:
        self.base, self.bodies, self.clients = base, bodies, clients
        self.latencies: list[float] = []
        self.failures: list = []

    def run(self, seconds: float) -> dict:
        deadline = time.monotonic() + seconds

        def client(k: int) -> None:
            i = k
            while time.monotonic() < deadline:
                body = self.bodies[i % len(self.bodies)]
                route = "/v1/predict/batch" if "items" in body else "/v1/predict"
                t = time.perf_counter()
                try:
                    status, _ = _call(self.base + route, body, timeout=30)
                except OSError as exc:
                    self.failures.append(repr(exc))
                else:
                    if status != 200:
                        self.failures.append(status)
                self.latencies.append(time.perf_counter() - t)
                i += self.clients

        with ThreadPoolExecutor(self.clients) as pool:
            list(pool.map(client, range(self.clients)))
        lat = sorted(self.latencies)
        return {"rps": len(lat) / seconds, "requests": len(lat), "p50_ms": lat[len(lat) // 2] * 1e3,
                "p99_ms": lat[int(len(lat) * 0.99)] * 1e3, "non_2xx": sum(isinstance(f, int) for f in self.failures),
                "socket_errors": {"other": sum(not isinstance(f, int) for f in self.failures)}}


def _load(base: str, texts: list[str], clients: int, seconds: int, tmp: Path) -> dict:
    bodies = _bodies(texts)
    if shutil.which("wrk"):
        # wrk sends every body to one URL: batches go through a second script on the batch route
        single = tmp / "single.lua"
        single.write_text(wrk_script([b for b in bodies if "items" not in b]), encoding="utf-8")
        batch = tmp / "batch.lua"
        batch.write_text(wrk_script([b for b in bodies if "items" in b]), encoding="utf-8")
        results = {}

        def run(name: str, route: str, script: Path, c: int) -> None:
            results[name] = run_wrk(base + route, c, seconds, script, timeout="30s")
        threads = [threading.Thread(target=run, args=("predict", "/v1/predict", single, clients - 2)),
                   threading.Thread(target=run, args=("batch", "/v1/predict/batch", batch, 2))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return {"generator": "wrk", **results}
    return {"generator": "threads", "predict+batch": ThreadLoad(base, bodies, clients).run(seconds)}


def _final_models(base: str, master: int, want: str, timeout: float = 120) -> dict:
    """Every worker's model once all serve `want` (a worker may still be following the last reload),
    or as they are when `timeout` runs out."""
    deadline = time.monotonic() + timeout
    while True:
        with ThreadPoolExecutor(4) as pool:
            seen = {r["worker"]: r["model"] for s, r in pool.map(lambda _: _call(base + "/readyz"), range(8))
                    if s == 200}
        if set(_workers(master)) <= set(seen) and set(seen.values()) == {want} or time.monotonic() > deadline:
            return seen
        time.sleep(1)


def soak(model_dir: Path, seconds: int, clients: int, reload_every: int, tmp: Path) -> dict:
    store = tmp / "models"
    store.mkdir()
    first = _version(store, model_dir, 0)
    texts = [e.text for e in seed_examples()[::40]][:200]
    env = {"CLAIMLENS_MODELS": str(store), "CLAIMLENS_ADMIN_KEY": ADMIN_KEY, "CLAIMLENS_LOG_LEVEL": "warning"}
    admin = {"X-API-Key": ADMIN_KEY}
    reloads, samples, stop = [], [], threading.Event()
    with running_server(["--workers", "2"], env, tmp / "server.log") as (base, proc):
        def sample() -> None:
            t0 = time.monotonic()
            while not stop.wait(SAMPLE_EVERY):
                workers = _workers(proc.pid)
                with ThreadPoolExecutor(4) as pool:
                    ready = [r for s, r in pool.map(lambda _: _call(base + "/readyz", timeout=60), range(6))
                             if s == 200]
                samples.append({"t": round(time.monotonic() - t0, 1),
                                "rss_mb": {pid: _rss_mb(pid) for pid in workers},
                                "master_rss_mb": _rss_mb(proc.pid),
                                "models": {r["worker"]: r["model"] for r in ready}})

        def reload_loop() -> None:
            t0, n, current, bad_done = time.monotonic(), 0, first.name, False
            # on a fixed schedule, the last one early enough for the workers to follow it under load
            while not stop.wait(max(0.0, t0 + (n + 1) * reload_every - time.monotonic())):
                n += 1
                started = time.monotonic() - t0
                if started > seconds - reload_every / 2:
                    break
                malformed = not bad_done and started >= seconds / 2
                directory = _version(store, model_dir, n, malformed)
                status, body = _call(base + "/v1/admin/reload", headers=admin, method="POST")
                reloads.append({"t": round(started, 1), "malformed": malformed, "status": status,
                                "seconds": round(time.monotonic() - t0 - started, 2), "model": body.get("model"),
                                "error": body.get("error", {}).get("message")})
                if malformed:
                    bad_done = True
                    shutil.rmtree(directory)
                elif status == 200:
                    for old in store.iterdir():  # keep the store small: the served version and the one before
                        if old.name not in (current, directory.name):
                            shutil.rmtree(old)
                    current = directory.name

        background = [threading.Thread(target=sample), threading.Thread(target=reload_loop)]
        for t in background:
            t.start()
        try:
            load = _load(base, texts, clients, seconds, tmp)
        finally:
            stop.set()
            for t in background:
                t.join()
        last_good = ([r["model"] for r in reloads if r["status"] == 200] or [first.name])[-1]
        final = _final_models(base, proc.pid, last_good)
        settled = {pid: _rss_mb(pid) for pid in _workers(proc.pid)}  # no load, no reload in progress
        log = (tmp / "server.log").read_text(errors="replace")
    return {"seconds": seconds, "clients": clients, "reload_every": reload_every, "load": load,
            "reloads": reloads, "samples": samples, "settled_rss_mb": settled, "final_models": final, "last_good": last_good,
            "server_log_errors": sum('"level": "ERROR"' in line or "[ERROR]" in line for line in log.splitlines())}


def _rss_baseline_and_end(result: dict) -> dict[int, tuple[float, float]]:
    """Per worker: the lowest RSS sampled in the second minute (after its first swap; the lowest,
    so that growth is overstated rather than hidden) and its RSS once the load and the last reload
    are over."""
    out = {}
    for pid, end in result["settled_rss_mb"].items():
        second_minute = [s["rss_mb"][pid] for s in result["samples"] if 60 <= s["t"] < 120 and s["rss_mb"].get(pid)]
        if second_minute and end:
            out[pid] = (min(second_minute), end)
    return out


def verdict(result: dict) -> dict:
    load = {k: v for k, v in result["load"].items() if k != "generator"}
    good = [r["status"] for r in result["reloads"] if not r["malformed"]]
    growth = {pid: end / base - 1 for pid, (base, end) in _rss_baseline_and_end(result).items()}
    checks = {
        "failed_requests": sum(r["non_2xx"] + sum(r["socket_errors"].values()) for r in load.values()),
        "good_reloads_ok": f"{good.count(200)}/{len(good)}",
        "malformed_reload_status": [r["status"] for r in result["reloads"] if r["malformed"]],
        "every_worker_on_last_good": set(result["final_models"].values()) == {result["last_good"]},
        "rss_growth_after_second_minute": {str(pid): round(g, 4) for pid, g in growth.items()},
        "rss_flat_within_10pct": len(growth) == 2 and all(abs(g) <= 0.10 for g in growth.values()),
    }
    passed = (checks["failed_requests"] == 0 and good and good.count(200) == len(good)
              and checks["malformed_reload_status"] == [409] and checks["every_worker_on_last_good"]
              and checks["rss_flat_within_10pct"])
    return {"requests": sum(r["requests"] for r in load.values()), **checks, "passed": bool(passed)}


def report(result: dict, summary: dict) -> None:
    print(f"\n## Soak: {result['seconds']} s, {result['clients']} clients, reload every {result['reload_every']} s\n")
    print(f"load generator: {result['load']['generator']}")
    print("| load | requests | req/s | p50 ms | p99 ms | non-2xx | socket errors |\n|---|---|---|---|---|---|---|")
    for name, r in result["load"].items():
        if name != "generator":
            print(f"| {name} | {r['requests']:,} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
                  f"{r['non_2xx']} | {sum(r['socket_errors'].values())} |")
    print("\n| t s | reload | status | took s |\n|---|---|---|---|")
    for r in result["reloads"]:
        print(f"| {r['t']} | {'malformed' if r['malformed'] else 'good'} | {r['status']} | {r['seconds']} |")
    samples = result["samples"]
    baseline = _rss_baseline_and_end(result)
    print("\n| worker | RSS start MiB | 2nd minute (lowest) | peak | end (settled) | growth |\n|---|---|---|---|---|---|")
    for pid in sorted(result["settled_rss_mb"]):
        series = [s["rss_mb"][pid] for s in samples if s["rss_mb"].get(pid)]
        base, end = baseline.get(pid, (0.0, result["settled_rss_mb"][pid] or 0.0))
        print(f"| {pid} | {series[0]:.1f} | {base:.1f} | {max(series):.1f} | {end:.1f} | "
              f"{end / base - 1 if base else float('nan'):+.1%} |")
    print(f"master RSS: {samples[0]['master_rss_mb']:.1f} → {samples[-1]['master_rss_mb']:.1f} MiB; "
          f"server log ERROR lines: {result['server_log_errors']}")
    print("\n" + json.dumps(summary, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=300)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--reload-every", type=int, default=30)
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: the current model)")
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    args = ap.parse_args()
    from claimlens.training.current import resolve_model_dir

    model_dir = resolve_model_dir(args.model)
    with tempfile.TemporaryDirectory(prefix="claimlens-soak-") as tmp:
        result = soak(model_dir, args.seconds, args.clients, args.reload_every, Path(tmp))
    summary = verdict(result)
    report(result, summary)
    write_json(args.out / "soak.json", {**result, "verdict": summary})
    raise SystemExit(0 if summary["passed"] else 1)


if __name__ == "__main__":
    main()
