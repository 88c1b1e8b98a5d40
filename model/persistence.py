"""Save and load a model directory: a joblib artefact and a JSON manifest that vouches for it."""
from __future__ import annotations

import hashlib
import json
import platform
import shutil
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import joblib

from claimlens.model.errors import ModelLoadError

ARTEFACT = "model.joblib"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
# Libraries whose pickled objects the artefact holds; a different major.minor may unpickle wrongly.
PINNED = ("scikit-learn", "numpy", "scipy", "joblib", "jieba", "spacy")


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PINNED:
        out[name] = metadata.version(name)
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def save_model(estimator, directory: Path, version: str, extra: dict | None = None,
               files: dict[str, str] | None = None) -> Path:
    """Write artefact, manifest and report `files` into `directory` (must not exist), atomically."""
    directory = Path(directory)
    if directory.exists():
        raise ModelLoadError(f"model directory {directory} already exists; versions are immutable")
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        joblib.dump(estimator, tmp / ARTEFACT, compress=3)
        manifest = {
            "format_version": FORMAT_VERSION,
            "model_version": version,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "labels": list(estimator.classes_),
            "thresholds": dict(zip(estimator.schema_.reason_labels, map(float, estimator.thresholds_))),
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in estimator.get_params().items()},
            "libraries": library_versions(),
            "artefact_sha256": sha256_file(tmp / ARTEFACT),
            **(extra or {}),
        }
        for name, text in (files or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.rename(directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelLoadError(f"no model at {directory}: {MANIFEST} is missing", {"path": str(directory)}) from None
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot read {path}: {exc}", {"path": str(path)}) from exc


def verify(directory: Path) -> dict:
    """Check the artefact's hash and the library versions, without unpickling anything."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelLoadError(f"model format {manifest.get('format_version')!r} is not {FORMAT_VERSION}")
    artefact = directory / ARTEFACT
    if not artefact.is_file():
        raise ModelLoadError(f"no artefact {artefact}", {"path": str(artefact)})
    actual = sha256_file(artefact)
    if actual != manifest.get("artefact_sha256"):
        raise ModelLoadError(
            f"artefact {artefact} does not match its manifest (sha256 {actual[:12]}… != "
            f"{str(manifest.get('artefact_sha256'))[:12]}…): refusing to unpickle a changed file",
            {"path": str(artefact)})
    installed = library_versions()
    clashes = {name: {"model": want, "installed": installed.get(name)}
               for name, want in manifest.get("libraries", {}).items()
               if name != "python" and _major_minor(want) != _major_minor(installed.get(name, ""))}
    if clashes:
        text = ", ".join(f"{n} {v['model']} (installed {v['installed']})" for n, v in clashes.items())
        raise ModelLoadError(f"model was built with other library versions: {text}; retrain it",
                             {"libraries": clashes})
    return manifest


def load_model(directory: Path):
    """Verified load: returns (estimator, manifest)."""
    manifest = verify(directory)
    try:
        estimator = joblib.load(Path(directory) / ARTEFACT)
    except Exception as exc:  # a verified artefact that still fails is a broken build, say so
        raise ModelLoadError(f"cannot unpickle {directory}: {exc}") from exc
    return estimator, manifest


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])
