"""Run the app under gunicorn: model and jieba loaded once in the master, then workers fork."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._app


def _pre_fork(server, worker) -> None:
    # In the master, before each fork (after SIGHUP or a crash): load the model the workers serve, or
    # the store's current version if it verifies, so the fresh worker starts warm on it. The old
    # workers serve meanwhile: gunicorn retires them only after forking their successors.
    worker.app.callable.config["CLAIMLENS_HOLDER"].refresh()


def _post_fork(server, worker) -> None:
    # a reload another worker made between the master's refresh and the fork (a stat call otherwise)
    worker.app.callable.config["CLAIMLENS_HOLDER"].sync(wait=True)


def _child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def serve(host: str, port: int, workers: int, threads: int, timeout: int, settings_overrides: dict,
          log_level: str = "info") -> None:
    master = os.getpid()
    runtime = Path(tempfile.mkdtemp(prefix="claimlens-"))
    metrics_dir = runtime / "metrics"
    metrics_dir.mkdir()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)  # before prometheus_client is imported
    try:
        from claimlens.service import create_app
        from claimlens.service.requestlog import configure_logging
        from claimlens.service.settings import Settings

        configure_logging(log_level.upper())
        settings = Settings.from_env(runtime_dir=runtime, **settings_overrides)
        app = create_app(settings)  # loads, verifies and warms the model (jieba, spaCy) before forking
        _Gunicorn(app, {
            "bind": f"{'[' + host + ']' if ':' in host else host}:{port}",
            "workers": workers, "threads": threads, "timeout": timeout,
            "worker_class": "gthread" if threads > 1 else "sync",
            "preload_app": True, "pre_fork": _pre_fork, "post_fork": _post_fork, "child_exit": _child_exit,
            "loglevel": log_level, "accesslog": None, "forwarded_allow_ips": "127.0.0.1",
        }).run()
    finally:
        if os.getpid() == master:  # workers unwind through here too when they exit
            shutil.rmtree(runtime, ignore_errors=True)
