"""Which model a command uses: the directory named, else the current version, else a fresh default."""
from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from claimlens.model.analysis import TEXT_STEPS
from claimlens.model.errors import ClaimlensError
from claimlens.model.persistence import library_clashes, load_header, load_model, read_manifest
from claimlens.model.schema import load_schema
from claimlens.model.store import ModelStore
from claimlens.training.datasets import load_seed
from claimlens.training.paths import SCHEMA, SEED_DIR, models_root


def seed_fingerprint() -> str:
    """sha256 of the bundled seed files, the label schema and the text steps' version, as installed: a
    few MB, read in milliseconds."""
    h = hashlib.sha256(f"text steps {TEXT_STEPS}\0".encode())
    for path in [SCHEMA, *sorted(SEED_DIR.glob("*.jsonl"))]:
        h.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def build_default(store: ModelStore, log=None) -> Path:
    """Train the default model on the bundled seed data (deterministic: seed 0, no outer CV)."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    schema = load_schema(SCHEMA)
    from claimlens.training.train import train_and_save

    t0 = time.perf_counter()
    fingerprint = seed_fingerprint()
    examples = load_seed(SEED_DIR, schema)
    directory = train_and_save(examples, schema, store, seed=0, cv_folds=0, sources=["seed"], log=log,
                               seed_fingerprint=fingerprint)
    log(f"built the default model from {len(examples)} seed texts in {time.perf_counter() - t0:.1f}s: {directory}")
    return directory


def resolve_model_dir(model_dir: Path | None, log=None) -> Path:
    if model_dir is not None:
        return Path(model_dir)
    store = ModelStore(models_root())
    log = log or (lambda m: print(m, file=sys.stderr))
    current = store.current()  # the promoted version; the newest until anything is promoted
    if current is None:
        log(f"no model in {store.root}; building the default model from the bundled seed data")
        return build_default(store, log)
    outdated = outdated_default(store, current)
    if outdated is None:
        return current
    log(f"the default model {current.name} was built from {outdated}; building the default model "
        f"from the seed data of this installation (pass --model {current} to keep using the old one)")
    return build_default(store, log)


def outdated_default(store: ModelStore, directory: Path) -> str | None:
    """Why the current model is a default model built from other seed data than is installed (an
    upgrade of claimlens brings new seed data) or with other tokeniser versions, or None when it is not.

    Only while nothing was promoted: a promoted version, and any model trained on the seller's own
    data, is the seller's choice and stays. Models built before the seed fingerprint was recorded
    are told by their number of seed texts.
    """
    if store.history():
        return None
    try:
        manifest = read_manifest(directory)
    except ClaimlensError:
        return None  # loading it reports what is wrong, with the details
    training = manifest.get("training") or {}
    if training.get("sources") != ["seed"]:
        return None
    clashes = library_clashes(manifest)
    if clashes:
        return "other tokeniser versions: " + ", ".join(
            f"{name} {v['model']} (installed {v['installed']})" for name, v in clashes.items())
    recorded = training.get("seed_fingerprint")
    if recorded is not None:
        return None if recorded == seed_fingerprint() else "other seed data or text steps than this installation's"
    installed = sum(1 for path in SEED_DIR.glob("*.jsonl")
                    for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    if training.get("examples") == installed:
        return None
    return f"{training.get('examples')} seed texts (this installation has {installed})"


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
