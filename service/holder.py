"""The model a service process answers with, swapped atomically on reload."""
from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import NamedTuple

from claimlens.model.errors import ModelLoadError, NotReadyError
from claimlens.model.persistence import load_model
from claimlens.model.store import ModelStore

log = logging.getLogger("claimlens.service")
PIN = "current-model.json"


class Loaded(NamedTuple):
    estimator: object
    manifest: dict
    directory: Path


class ModelHolder:
    """Requests take `current` once; a reload replaces it whole, so a request never sees a mix."""

    def __init__(self, models_root: Path, model_dir: Path | None = None, runtime_dir: Path | None = None,
                 on_swap=None, model_key: bytes | None = None) -> None:
        self.store = ModelStore(models_root)
        self.model_dir = model_dir
        self.model_key = model_key
        self.runtime_dir = runtime_dir
        self.on_swap = on_swap
        self._current: Loaded | None = None
        self._lock = threading.Lock()
        self._pin_seen: float | None = None

    @property
    def current(self) -> Loaded:
        if self._current is None:
            raise NotReadyError("no model is loaded yet")
        return self._current

    @property
    def ready(self) -> bool:
        return self._current is not None

    def _target(self) -> Path:
        target = self.model_dir or self.store.newest()
        if target is None:
            raise ModelLoadError(f"no model in {self.store.root}; run `claimlens train` or `claimlens predict` once")
        return target

    def _swap(self, directory: Path) -> Loaded:
        estimator, manifest = load_model(directory, self.model_key)  # verifies signature, hashes, versions first
        estimator.warm_up()
        estimator.predict_explained(["warm-up"])  # a model that cannot answer is not swapped in
        loaded = Loaded(estimator, manifest, Path(directory))
        old, self._current = self._current, loaded
        if self.on_swap:
            self.on_swap(old, loaded)
        log.info("model loaded", extra={"model": manifest["model_version"]})
        return loaded

    def load(self) -> Loaded:
        with self._lock:
            return self._swap(self._target())

    def reload(self) -> Loaded:
        """Load the newest version (or the pinned directory) and tell the other workers."""
        with self._lock:
            loaded = self._swap(self._target())
            self._write_pin(loaded.directory)
            return loaded

    def _pin_path(self) -> Path | None:
        return self.runtime_dir / PIN if self.runtime_dir else None

    def _write_pin(self, directory: Path) -> None:
        pin = self._pin_path()
        if pin is None:
            return
        tmp = pin.with_name(f".{pin.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"directory": str(directory)}), encoding="utf-8")
        os.replace(tmp, pin)
        self._pin_seen = pin.stat().st_mtime_ns

    def sync(self) -> None:
        """Follow a reload another worker made (a stat call when nothing changed)."""
        pin = self._pin_path()
        if pin is None:
            return
        try:
            mtime = pin.stat().st_mtime_ns
        except FileNotFoundError:
            return
        if mtime == self._pin_seen:
            return
        with self._lock:
            if mtime == self._pin_seen:
                return
            self._pin_seen = mtime
            directory = Path(json.loads(pin.read_text(encoding="utf-8"))["directory"])
            if self._current is None or directory != self._current.directory:
                try:
                    self._swap(directory)
                except ModelLoadError:
                    log.exception("could not follow a reload; keeping the current model")
