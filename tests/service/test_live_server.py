"""The real thing: `claimlens serve` under gunicorn with two workers, reloaded under load."""
from __future__ import annotations

import shutil
import signal
import threading
import time
import urllib.request

import pytest

from tests.service.live import call, every_worker, running_server, worker_pids
from tests.service.versions import garbled_arrays, new_version, without_field

ADMIN = {"X-API-Key": "admin-secret"}


@pytest.fixture
def live_server(tiny_model_dir, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(tiny_model_dir, models / tiny_model_dir.name)
    with running_server(models, tmp_path / "server.log", env={"CLAIMLENS_ADMIN_KEY": "admin-secret"}) as server:
        yield server, models


class Load:
    """Six clients posting /v1/predict until stopped; every answer that is not a 200 is kept."""

    def __init__(self, base: str) -> None:
        self.base, self.failures, self.versions = base, [], set()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run) for _ in range(6)]

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                code, body = call(self.base + "/v1/predict", {"text": "screen cracked on arrival"})
            except OSError as exc:
                self.failures.append(repr(exc))
                continue
            if code == 200:
                self.versions.add(body["model"])
            else:
                self.failures.append((code, body))

    def __enter__(self) -> "Load":
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join()


def _models(server) -> dict[int, tuple[str, str | None]]:
    return {pid: (r["model"], r["follow_error"]) for pid, r in every_worker(server).items()}


def _await_models(server, want: str, timeout: float = 120) -> None:
    """Workers follow a reload in the background, so poll until every one answers with `want`."""
    deadline = time.monotonic() + timeout
    while set((models := _models(server)).values()) != {(want, None)}:
        assert time.monotonic() < deadline, models
        time.sleep(0.5)


def _reload(server) -> tuple[int, dict]:
    # loading and warming a model takes seconds (more on a busy machine): a generous timeout
    return call(server.base + "/v1/admin/reload", headers=ADMIN, method="POST", timeout=120)


def _await_fresh_workers(server, old: set[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = worker_pids(server.proc.pid)
        if len(pids) == 2 and not pids & old:
            return
        assert server.proc.poll() is None, server.log.read_text(errors="replace")[-3000:]
        time.sleep(0.2)
    raise AssertionError("gunicorn did not replace its workers after SIGHUP")


def test_real_server_answers_and_reloads_under_load(live_server, tiny_model_dir):
    server, models = live_server
    base = server.base
    status, rec = call(base + "/v1/predict", {"text": "my parcel never arrived"})
    assert status == 200 and rec["labels"] == ["not_received"] and rec["model"] == tiny_model_dir.name
    status, err = call(base + "/v1/predict", {"text": ""})
    assert status == 422 and err["error"]["details"]["field"] == "text"

    with Load(base) as load:
        time.sleep(1.0)
        newer = new_version(models, tiny_model_dir, "20270101T000000Z-89abcdef").name
        status, body = _reload(server)
        assert status == 200 and body["model"] == newer
        time.sleep(1.5)
        # SIGHUP: gunicorn forks fresh workers, which take the newest version
        newest = new_version(models, tiny_model_dir, "20280101T000000Z-01234567").name
        old = worker_pids(server.proc.pid)
        server.proc.send_signal(signal.SIGHUP)
        _await_fresh_workers(server, old)
        time.sleep(1.0)
    assert load.failures == []
    assert {tiny_model_dir.name, newer} <= load.versions
    _await_models(server, newest)
    metrics = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    assert 'claimlens_requests_total{method="POST",route="/v1/predict",status="200"}' in metrics


def test_a_bad_model_never_reaches_a_worker(live_server, tiny_model_dir):
    server, models = live_server
    good = tiny_model_dir.name
    before = _models(server)
    assert set(before.values()) == {(good, None)}
    with Load(server.base) as load:
        time.sleep(1.0)
        # artefact hashes right, manifest without model_version: refused by whichever worker takes the reload
        bad = without_field(models, tiny_model_dir, "20270101T000000Z-89abcdef")
        for _ in range(4):
            status, body = _reload(server)
            assert status == 409, body
            assert body["error"]["code"] == "model_load_error"
            assert body["error"]["details"]["field"] == "model_version"
        assert _models(server) == before
        # a newer one still that passes every file check and fails only when it predicts; on SIGHUP the
        # master tries the newest before forking fresh workers: it must refuse it and fork them on the good one
        garbled = garbled_arrays(models, tiny_model_dir, "20280101T000000Z-deadbeef")
        server.proc.send_signal(signal.SIGHUP)
        _await_fresh_workers(server, set(before))
        after_hup = _models(server)
        assert set(after_hup.values()) == {(good, None)} and not set(after_hup) & set(before)
        shutil.rmtree(bad)
        shutil.rmtree(garbled)
        time.sleep(1.0)
        assert _models(server) == after_hup
        # and a good reload still reaches every worker
        newer = new_version(models, tiny_model_dir, "20290101T000000Z-01234567").name
        assert _reload(server) == (200, {"previous": good, "model": newer})
        _await_models(server, newer)
    assert load.failures == []
    assert load.versions == {good, newer}
    log = server.log.read_text(errors="replace")
    assert "Worker failed to boot" not in log and "exited with code 3" not in log
    # the master tried the garbled model once, before the first fork, said so, and did not try it again
    assert log.count('"message": "reload refused: ') == 5 and log.count("failed its warm-up (ValueError)") == 1
