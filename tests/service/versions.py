"""Model versions for reload tests: good copies, and bad ones whose artefact hashes are right."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np

from claimlens.model.persistence import sha256_bytes


def new_version(models: Path, source: Path, name: str) -> Path:
    """A copy of `source` under the version name `name`, as training would write it."""
    target = models / name
    shutil.copytree(source, target)
    _edit_manifest(target, lambda m: m.update(model_version=name))
    return target


def without_field(models: Path, source: Path, name: str, field: str = "model_version") -> Path:
    """A newer version whose manifest lacks `field`; its artefacts and their hashes are intact."""
    target = models / name
    shutil.copytree(source, target)
    _edit_manifest(target, lambda m: m.pop(field))
    return target


def garbled_arrays(models: Path, source: Path, name: str) -> Path:
    """A newer version whose weight matrix lost a column, with the manifest's hash updated to match:
    it passes every file check and fails only when it predicts."""
    target = new_version(models, source, name)
    with np.load(target / "model.npz", allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["coef"] = arrays["coef"][:, :-1]
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    (target / "model.npz").write_bytes(buffer.getvalue())
    _edit_manifest(target, lambda m: m["artefacts"].update({"model.npz": sha256_bytes(buffer.getvalue())}))
    return target


def _edit_manifest(directory: Path, change) -> None:
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")
