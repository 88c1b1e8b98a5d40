"""The real thing: `claimlens serve` under gunicorn on a loopback port, reloaded under load."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url: str, body: dict | None = None, headers: dict | None = None, timeout: float = 10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture
def live_server(tiny_model_dir, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(tiny_model_dir, models / tiny_model_dir.name)
    port = _free_port()
    env = {**os.environ, "CLAIMLENS_MODELS": str(models), "CLAIMLENS_ADMIN_KEY": "admin-secret"}
    log = (tmp_path / "server.log").open("wb")  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen([sys.executable, "-m", "claimlens.cli", "serve", "--port", str(port), "--workers", "2"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if _call(base + "/readyz", timeout=2)[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        log.close()
        pytest.fail("server did not become ready: " + (tmp_path / "server.log").read_text(errors="replace")[-3000:])
    yield base, models, proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def _new_version(models: Path, source: Path, name: str) -> Path:
    target = models / name
    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["model_version"] = name
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def test_real_server_answers_and_reloads_under_load(live_server, tiny_model_dir):
    base, models, proc = live_server
    status, rec = _call(base + "/v1/predict", {"text": "my parcel never arrived"})
    assert status == 200 and rec["labels"] == ["not_received"] and rec["model"] == tiny_model_dir.name
    status, err = _call(base + "/v1/predict", {"text": ""})
    assert status == 422 and err["error"]["details"]["field"] == "text"

    failures, seen_versions, stop = [], set(), threading.Event()

    def hammer():
        while not stop.is_set():
            try:
                code, body = _call(base + "/v1/predict", {"text": "screen cracked on arrival"})
                if code != 200:
                    failures.append(code)
                else:
                    seen_versions.add(body["model"])
            except OSError as exc:
                failures.append((round(time.monotonic() - t_start, 2), repr(exc)))

    t_start = time.monotonic()
    threads = [threading.Thread(target=hammer) for _ in range(6)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    newer = _new_version(models, tiny_model_dir, "20270101T000000Z-89abcdef").name
    status, body = _call(base + "/v1/admin/reload", {}, {"X-API-Key": "admin-secret"})
    assert status == 200 and body["model"] == newer
    time.sleep(1.5)
    # SIGHUP: gunicorn forks fresh workers, which take the newest version
    newest = _new_version(models, tiny_model_dir, "20280101T000000Z-01234567").name
    print("HUP at", round(time.monotonic() - t_start, 2))
    proc.send_signal(signal.SIGHUP)
    time.sleep(4.0)
    stop.set()
    for t in threads:
        t.join()
    assert failures == []
    assert {tiny_model_dir.name, newer} <= seen_versions
    for _ in range(6):  # every worker now answers with the newest model
        assert _call(base + "/v1/predict", {"text": "hi"})[1]["model"] == newest
    metrics = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    assert 'claimlens_requests_total{method="POST",route="/v1/predict",status="200"}' in metrics
