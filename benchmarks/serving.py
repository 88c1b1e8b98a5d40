"""Serving benchmark: `claimlens serve` (gunicorn) on loopback, loaded with wrk.

Requests per second and p50/p99 latency at concurrency 1, 8 and 32 for /v1/predict with and
without evidence, next to /healthz in the same run (the framework's ceiling), for sync workers
and for gthread workers; proportional memory (PSS) per worker. Needs Debian's `wrk`.

Run: python benchmarks/serving.py [--seconds 10] [--model DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from benchmarks.common import REPO, seed_examples, write_json

_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk_script(bodies: list[dict]) -> str:
    """A wrk Lua script that POSTs the JSON `bodies` in turn."""
    quoted = [json.dumps(b, ensure_ascii=False) for b in bodies]
    lua_strings = ",\n".join("[[" + q + "]]" for q in quoted if "]]" not in q)
    return f"""bodies = {{{lua_strings}}}
i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {{["Content-Type"] = "application/json"}}, bodies[i])
end
"""


def _lua(texts: list[str], explain: bool) -> str:
    return wrk_script([{"text": t, "explain": explain} for t in texts])


def run_wrk(url: str, concurrency: int, seconds: int, script: Path | None, timeout: str = "10s") -> dict:
    cmd = ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{seconds}s", "--latency", "--timeout", timeout]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))

    def ms(v: str) -> float:
        num, unit = re.match(r"([\d.]+)(\w+)", v).groups()
        return float(num) * _UNIT[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": ms(lat["50"]),
            "p99_ms": ms(lat["99"]), "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": dict(zip(("connect", "read", "write", "timeout"), map(int, socket_errors.groups())))
            if socket_errors else {}}


@contextlib.contextmanager
def running_server(args: list[str], env: dict, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`claimlens serve ARGS` on a free loopback port, logging to the file `log`; yields (base URL, process)."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "claimlens.cli", "serve", "--port", str(port), *args],
                                env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(1500):
                try:
                    urllib.request.urlopen(base + "/readyz", timeout=2).read()
                    break
                except OSError:
                    if proc.poll() is not None:
                        raise SystemExit("the server exited: " + log.read_text(errors="replace")[-2000:])
                    time.sleep(0.2)
            yield base, proc
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def _pss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_config(model_dir: Path, workers: int, threads: int, seconds: int, texts: list[str], tmp: Path) -> dict:
    args = ["--workers", str(workers), "--threads", str(threads), "--model", str(model_dir)]
    with running_server(args, {"CLAIMLENS_LOG_LEVEL": "warning"}, tmp / f"server-{threads}.log") as (base, proc):
        scripts = {}
        for explain in (True, False):
            scripts[explain] = tmp / f"predict-{explain}.lua"
            scripts[explain].write_text(_lua(texts, explain), encoding="utf-8")
        results = {}
        for concurrency in (1, 8, 32):
            results[f"healthz c={concurrency}"] = run_wrk(base + "/healthz", concurrency, seconds, None)
            results[f"predict+evidence c={concurrency}"] = run_wrk(base + "/v1/predict", concurrency, seconds,
                                                                   scripts[True])
            results[f"predict c={concurrency}"] = run_wrk(base + "/v1/predict", concurrency, seconds, scripts[False])
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        results["pss_mb_per_worker"] = [round(_pss_mb(int(p)), 1) for p in children]
        results["pss_mb_master"] = round(_pss_mb(proc.pid), 1)
        return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: the current model)")
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install -y wrk")
    from claimlens.training.current import resolve_model_dir

    model_dir = resolve_model_dir(args.model)
    texts = [e.text for e in seed_examples()[::40]][:200]
    all_results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, workers, threads in (("sync, 2 workers", 2, 1), ("gthread, 2 workers x 4 threads", 2, 4)):
            res = run_config(model_dir, workers, threads, args.seconds, texts, Path(tmp))
            all_results[label] = res
            print(f"\n## {label}\n")
            print("| route | concurrency | req/s | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|---|")
            for c in (1, 8, 32):
                for route in ("healthz", "predict+evidence", "predict"):
                    r = res[f"{route} c={c}"]
                    print(f"| {route} | {c} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['non_2xx']} |")
            for c in (1, 8, 32):
                ceiling = res[f"healthz c={c}"]["rps"]
                print(f"predict / healthz at c={c}: evidence {res[f'predict+evidence c={c}']['rps'] / ceiling:.0%}, "
                      f"no evidence {res[f'predict c={c}']['rps'] / ceiling:.0%}")
            print(f"PSS per worker: {res['pss_mb_per_worker']} MiB; master {res['pss_mb_master']} MiB")
    write_json(args.out / "serving.json", all_results)


if __name__ == "__main__":
    main()
