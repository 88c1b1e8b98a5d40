"""Convert a format-1 model (a joblib pickle) to the data-only format, on the owner's explicit command.

Unpickling runs whatever code the file names, so claimlens never does it on its own: only
`claimlens models convert`, run by someone who trusts where the folder came from, gets here. The
pickle's SHA-256 must still match its manifest (a damaged copy is refused before unpickling).
"""
from __future__ import annotations

import contextlib
import importlib
import json
import shutil
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from claimlens.files.durable import fsync_dir
from claimlens.model.confidence import MARGIN
from claimlens.model.errors import ModelLoadError
from claimlens.model.persistence import LEGACY_ARTEFACT, MANIFEST, save_model, sha256_file
from claimlens.model.schema import LabelSchema, bundled_schema

# Format-1 pickles name the classes by the module paths of the time, before everything moved
# under claimlens.
_OLD_MODULES = ("model", "model.analysis", "model.estimator", "model.features", "model.language",
                "model.schema", "model.tokenize")


@contextlib.contextmanager
def _old_module_names() -> Iterator[None]:
    saved = {name: sys.modules.get(name) for name in _OLD_MODULES}
    try:
        for name in _OLD_MODULES:
            sys.modules[name] = importlib.import_module(f"claimlens.{name}")
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def load_legacy(directory: Path):
    """(estimator, old manifest) of a format-1 model directory. Runs the pickle: trusted input only."""
    import joblib

    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot read {directory / MANIFEST}: {exc}", {"path": str(directory)}) from None
    artefact = directory / LEGACY_ARTEFACT
    if not isinstance(manifest, dict) or manifest.get("format_version") != 1 or not artefact.is_file():
        raise ModelLoadError(f"{directory} is not a format-1 model (manifest format_version 1 and {LEGACY_ARTEFACT})",
                             {"path": str(directory)})
    if sha256_file(artefact) != manifest.get("artefact_sha256"):
        raise ModelLoadError(f"{artefact} does not match its manifest: refusing to unpickle a changed file",
                             {"path": str(artefact), "field": "artefact_sha256"})
    try:
        with _old_module_names():
            estimator = joblib.load(artefact)
    except Exception as exc:
        raise ModelLoadError(f"cannot unpickle {artefact}: {exc}", {"path": str(artefact)}) from exc
    _upgrade(estimator, manifest)
    return estimator, manifest


def _upgrade(estimator, manifest: dict) -> None:
    """Format-1 estimators had `labels` and `exclusive_label` parameters and a schema without names
    or roles: give them the schema they were trained with (the bundled one, when the labels match)."""
    state = estimator.__dict__
    old = state.get("schema_")
    labels = tuple(getattr(old, "labels", None) or state.get("labels") or manifest.get("labels") or ())
    exclusive = getattr(old, "exclusive", None) or state.get("exclusive_label", "other")
    bundled = bundled_schema()
    if (bundled.labels, bundled.exclusive) == (labels, exclusive):
        schema = bundled
    else:
        descriptions = dict(manifest.get("label_descriptions") or {})
        schema = LabelSchema.from_dict({"exclusive": exclusive, "labels": [
            {"name": l, "description": descriptions.get(l, "")} for l in labels]})
    state.pop("labels", None)
    state.pop("exclusive_label", None)
    estimator.schema = estimator.schema_ = schema
    state.setdefault("confidence_measure_", MARGIN)  # its cut-offs were set on the margin


def convert(directory: Path, key: bytes | None = None) -> Path:
    """Rewrite a format-1 model directory in place in the data-only format; the old folder is kept
    beside it as <name>.format1 (which the model store ignores). Returns the converted directory."""
    directory = Path(directory)
    estimator, old = load_legacy(directory)
    kept = {k: v for k, v in old.items()
            if k not in ("format_version", "model_version", "labels", "thresholds", "params", "libraries",
                         "artefact_sha256")}  # created_at stays: it is when the model was trained
    kept["converted_from"] = {"format_version": 1, "libraries": old.get("libraries"),
                              "converted_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    reports = {p.name: p.read_text(encoding="utf-8") for p in directory.glob("evaluation.*") if p.is_file()}
    staging = directory.with_name(f".{directory.name}.converting")
    shutil.rmtree(staging, ignore_errors=True)
    save_model(estimator, staging, old.get("model_version") or directory.name, extra=kept, files=reports, key=key)
    backup = directory.with_name(f"{directory.name}.format1")
    directory.rename(backup)  # kept, unlike replace_dir's old copy
    staging.rename(directory)
    fsync_dir(directory.parent)
    return directory
