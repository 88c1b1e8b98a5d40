"""`claimlens serve` under gunicorn on a loopback port, for tests that need the real thing."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator, NamedTuple

REPO = Path(__file__).resolve().parents[2]


class Server(NamedTuple):
    base: str
    proc: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url: str, body: dict | None = None, headers: dict | None = None, method: str | None = None,
         timeout: float = 10) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@contextlib.contextmanager
def running_server(models: Path, log: Path, workers: int = 2, env: dict | None = None) -> Iterator[Server]:
    """Start the server on the model store `models`; logs go to the file `log` (a full pipe would stall it)."""
    port = free_port()
    environ = {**os.environ, "CLAIMLENS_MODELS": str(models), **(env or {})}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "claimlens.cli", "serve", "--port", str(port),
                                 "--workers", str(workers)], env=environ, stdout=out, stderr=subprocess.STDOUT,
                                cwd=REPO)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while not _answers(base + "/readyz"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("server did not become ready: " + log.read_text(errors="replace")[-3000:])
                time.sleep(0.2)
            yield Server(base, proc, log)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _answers(url: str) -> bool:
    try:
        return call(url, timeout=2)[0] == 200
    except OSError:
        return False


def worker_pids(master: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


def every_worker(server: Server, count: int = 2, timeout: float = 60) -> dict[int, dict]:
    """/readyz from every worker, keyed by pid: concurrent requests, since a busy sync worker takes
    no new connection, until each of the master's `count` current children has answered."""
    seen: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    with ThreadPoolExecutor(4) as pool:
        while time.monotonic() < deadline:
            pids = worker_pids(server.proc.pid)
            if len(pids) == count and pids <= set(seen):
                return {pid: seen[pid] for pid in pids}
            for status, body in pool.map(lambda _: call(server.base + "/readyz"), range(8)):
                assert status == 200, body
                seen[body["worker"]] = body
    raise AssertionError(f"not every worker answered /readyz: saw {sorted(seen)}, "
                         f"workers {sorted(worker_pids(server.proc.pid))}")
