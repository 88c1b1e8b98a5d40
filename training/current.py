"""Which model a command uses: the directory named, else the current version, else a fresh default."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from claimlens.model.persistence import load_header, load_model
from claimlens.model.schema import load_schema
from claimlens.model.store import ModelStore
from claimlens.training.datasets import load_seed
from claimlens.training.paths import SCHEMA, SEED_DIR, models_root


def build_default(store: ModelStore, log=None) -> Path:
    """Train the default model on the bundled seed data (deterministic: seed 0, no outer CV)."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    schema = load_schema(SCHEMA)
    from claimlens.training.train import train_and_save

    t0 = time.perf_counter()
    examples = load_seed(SEED_DIR, schema)
    directory = train_and_save(examples, schema, store, seed=0, cv_folds=0, sources=["seed"], log=log)
    log(f"built the default model from {len(examples)} seed texts in {time.perf_counter() - t0:.1f}s: {directory}")
    return directory


def resolve_model_dir(model_dir: Path | None, log=None) -> Path:
    if model_dir is not None:
        return Path(model_dir)
    store = ModelStore(models_root())
    current = store.current()  # the promoted version; the newest until anything is promoted
    if current is not None:
        return current
    (log or (lambda m: print(m, file=sys.stderr)))(
        f"no model in {store.root}; building the default model from the bundled seed data")
    return build_default(store, log)


def model_key() -> bytes | None:
    """CLAIMLENS_MODEL_KEY: models are signed with it when saved and must carry its signature to load."""
    key = os.environ.get("CLAIMLENS_MODEL_KEY")
    return key.encode("utf-8") if key else None


def open_model(model_dir: Path | None, log=None):
    """(estimator, manifest) for the command's --model option.

    Not warmed up: a command loads the tokeniser of a language when its first text arrives (French's
    alone takes seconds), so `claimlens predict` on one English text never pays for the other six.
    """
    estimator, manifest = load_model(resolve_model_dir(model_dir, log), model_key())
    return estimator, manifest


def open_header(model_dir: Path | None, log=None):
    """(header, manifest): the labels and schema only, for a command whose workers load the model."""
    return load_header(resolve_model_dir(model_dir, log), model_key())
