"""The model a service process answers with, swapped atomically on reload.

Guarantees, for every way a worker changes models (admin reload, following another worker,
a fresh worker after SIGHUP or a crash):
- a model is swapped in only after it has loaded, passed its checks (signature, hashes, manifest,
  library versions) and answered a warm-up in this process; until then requests use the old one;
- a model that fails any of that is refused: reload raises ModelLoadError (409) and every worker
  keeps its model; a worker that cannot follow another's reload keeps its model, logs why and
  shows it in /readyz (`follow_error`); refreshing the master's copy before a fork never raises,
  so a fresh worker never fails to boot over a model.
Workers share one runtime file (the pin) naming the model the last successful reload chose; the
others notice it on their next request and load it in the background, answering with the old
model until the new one is verified.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import logging
import os
import threading
from pathlib import Path
from typing import NamedTuple

from claimlens.files.durable import write_text
from claimlens.model.errors import ModelLoadError, NotReadyError
from claimlens.model.persistence import MANIFEST, load_model
from claimlens.model.store import ModelStore

log = logging.getLogger("claimlens.service")
PIN = "current-model.json"
# One short text per script the tokeniser treats differently: Latin, Chinese (jieba), Japanese.
WARM_UP = ["warm-up: is this model answering?", "预热检查", "ウォームアップ"]


class Loaded(NamedTuple):
    estimator: object
    manifest: dict
    directory: Path

    @property
    def version(self) -> str:
        return self.manifest["model_version"]


class ModelHolder:
    """Requests take `current` once; a swap replaces it whole, so a request never sees a mix."""

    def __init__(self, models_root: Path, model_dir: Path | None = None, runtime_dir: Path | None = None,
                 on_swap=None, model_key: bytes | None = None) -> None:
        self.store = ModelStore(models_root)
        self.model_dir = model_dir
        self.model_key = model_key
        self.runtime_dir = runtime_dir
        self.on_swap = on_swap
        self.follow_error: str | None = None  # why this worker is not on the pinned model, if it is not
        self._current: Loaded | None = None
        self._lock = threading.Lock()  # held while a model loads: one load at a time
        self._pin_lock = threading.Lock()
        self._pin_seen: tuple[int, int] | None = None
        self._follower: threading.Thread | None = None
        self._refused: tuple[Path, int | None] | None = None  # the store's current version, when refresh refused it

    @property
    def current(self) -> Loaded:
        if self._current is None:
            raise NotReadyError("no model is loaded yet")
        return self._current

    @property
    def ready(self) -> bool:
        return self._current is not None

    def _target(self) -> Path:
        target = self.model_dir or self.store.current()  # the registry's promoted version
        if target is None:
            raise ModelLoadError(f"no model in {self.store.root}; run `claimlens train` or `claimlens predict` once")
        return target

    def _verified(self, directory: Path) -> Loaded:
        """Load, check and warm a model beside the one being served; raise ModelLoadError if it fails."""
        try:
            estimator, manifest = load_model(directory, self.model_key)
            estimator.warm_up()
            estimator.predict_explained(WARM_UP)
        except ModelLoadError:
            raise
        except Exception as exc:  # a model whose files check out can still be unusable (garbled arrays)
            log.exception("model %s failed its warm-up", directory)
            raise ModelLoadError(f"{directory}: the model loaded but failed its warm-up "
                                 f"({type(exc).__name__}); see the log", {"path": str(directory)}) from exc
        return Loaded(estimator, manifest, Path(directory))

    def _install(self, loaded: Loaded) -> None:
        old, self._current = self._current, loaded
        self.follow_error = None
        if self.on_swap:
            try:
                self.on_swap(old, loaded)
            except Exception:  # metrics must not undo a verified swap
                log.exception("on_swap failed after the swap to %s", loaded.version)
        log.info("model loaded", extra={"model": loaded.version})
        del old
        release_memory()

    def load(self) -> Loaded:
        with self._lock:
            loaded = self._verified(self._target())
            self._install(loaded)
            return loaded

    def reload(self) -> Loaded:
        """Swap to the current version (or the pinned directory) once it is verified; tell the other workers."""
        with self._lock:
            try:
                loaded = self._verified(self._target())
            except ModelLoadError as exc:
                log.warning("reload refused: %s; still serving %s", exc.message,
                            self._current.version if self._current else None)
                raise
            self._write_pin(loaded.directory)  # before the swap: a failed write leaves every worker as it was
            self._install(loaded)
            return loaded

    def refresh(self) -> None:
        """Bring this copy up to date: follow the pin, then take the store's current
        version (promoted, else newest) if it verifies.
        The gunicorn master calls it before each fork (after SIGHUP or a crash), so a fresh worker
        starts warm on the right model. Never raises: an exception here would stop gunicorn."""
        self.sync(wait=True)
        mark = None
        try:
            target = self._target()
            if self._current is not None and target == self._current.directory:
                return
            mark = (target, _mtime(target / MANIFEST))
            if mark == self._refused:
                return  # refused already, unchanged since; an admin reload tries it again
            self.reload()
        except ModelLoadError:
            self._refused = mark  # reload has logged why; this copy keeps the model it has
        except Exception:
            log.exception("could not bring the model up to date; keeping %s",
                          self._current.version if self._current else None)

    def _pin_path(self) -> Path | None:
        return self.runtime_dir / PIN if self.runtime_dir else None

    @staticmethod
    def _stamp(pin: Path) -> tuple[int, int]:
        # every write is a rename of a new file, so the inode changes even within one mtime tick
        st = pin.stat()
        return st.st_ino, st.st_mtime_ns

    def _write_pin(self, directory: Path) -> None:
        pin = self._pin_path()
        if pin is None:
            return
        write_text(pin, json.dumps({"directory": str(directory)}))
        self._pin_seen = self._stamp(pin)

    def sync(self, wait: bool = False) -> None:
        """Follow a reload another worker made. One stat call when nothing changed; otherwise the model
        loads and verifies in a background thread (here with wait=True) while requests keep the old one,
        since loading takes seconds and a sync worker would queue every request behind it. Never raises."""
        pin = self._pin_path()
        if pin is None:
            return
        try:
            stamp = self._stamp(pin)
        except OSError:
            return
        if stamp == self._pin_seen:
            return
        with self._pin_lock:
            if stamp == self._pin_seen:
                return
            self._pin_seen = stamp
            if not wait:
                self._follower = threading.Thread(target=self._follow, args=(pin,), name="claimlens-follow",
                                                  daemon=True)
                self._follower.start()
                return
        self._follow(pin)

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a follow in progress to finish."""
        if self._follower is not None:
            self._follower.join(timeout)

    def _follow(self, pin: Path) -> None:
        with self._lock:  # one load at a time; the pin is read now, so a later reload's choice wins
            try:
                directory = Path(json.loads(pin.read_text(encoding="utf-8"))["directory"])
                if self._current is None or directory != self._current.directory:
                    self._install(self._verified(directory))
            except Exception as exc:
                reason = exc.message if isinstance(exc, ModelLoadError) else f"{type(exc).__name__}: {exc}"
                serving = self._current.version if self._current else None
                self.follow_error = f"could not follow the reload ({reason}); still serving {serving}"
                log.error("%s (worker %d)", self.follow_error, os.getpid())


def release_memory() -> None:
    """Hand what a dropped model held back to the system, as far as the allocator lets go of it.

    A model is a few hundred thousand strings and arrays; after a swap their memory stays in the
    process's heap unless it is collected and trimmed, and each reload left a worker larger.
    """
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None  # glibc only; musl and macOS have none
    except OSError:
        return None


_LIBC = _glibc()


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
