"""Save and load a model directory: data only (JSON and .npz), vouched for by a manifest.

A model directory holds

    manifest.json   version, labels, thresholds, library versions, metrics and the SHA-256 of
                    each artefact file
    model.json      settings, vocabularies, label schema, tokenizer words (JSON)
    model.npz       the numeric arrays (NumPy's format, read with allow_pickle=False)
    signature       optional: HMAC-SHA256 of manifest.json's bytes under the owner's key

Loading never unpickles and never runs code from the directory. The hashes catch accidents (a
truncated copy, a changed file); the signature, when the caller passes a key, catches deliberate
changes too, since whoever rewrites a file must also rewrite the manifest and cannot sign it.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import platform
import zipfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import numpy as np

from claimlens.model.errors import ModelLoadError
from claimlens.model.schema import LabelSchema
from claimlens.files.durable import write_dir

MANIFEST = "manifest.json"
META = "model.json"
ARRAYS = "model.npz"
SIGNATURE = "signature"
LEGACY_ARTEFACT = "model.joblib"  # format 1: a pickle, read only by `claimlens models convert`
FORMAT_VERSION = 2
# Libraries that shape the features (tokenisation): another major.minor may tokenise differently.
PINNED = ("spacy", "jieba")
RECORDED = ("numpy", "scikit-learn", "spacy", "jieba")
# Manifest fields every model has, with the type each must be.
REQUIRED = {"format_version": int, "model_version": str, "created_at": str, "labels": list,
            "thresholds": dict, "libraries": dict, "artefacts": dict}


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in RECORDED:
        out[name] = metadata.version(name)
    return out


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sign(manifest_bytes: bytes, key: bytes) -> str:
    return hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()


def artefact_files(estimator) -> dict[str, bytes]:
    """model.json and model.npz of a fitted estimator, as bytes."""
    meta, arrays = estimator.to_state()
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return {META: _json_bytes(meta), ARRAYS: buffer.getvalue()}


def save_model(estimator, directory: Path, version: str, extra: dict | None = None,
               files: dict[str, str] | None = None, key: bytes | None = None) -> Path:
    """Write artefact, manifest, report `files` and (with a key) the signature into `directory`,
    which must not exist; all or nothing."""
    artefacts = artefact_files(estimator)
    manifest = {
        "format_version": FORMAT_VERSION,
        "model_version": version,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": list(estimator.classes_),
        "thresholds": dict(zip(estimator.schema_.reason_labels, map(float, estimator.thresholds_))),
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in estimator.get_params().items()
                   if k != "schema"},
        "label_descriptions": dict(estimator.schema_.descriptions),
        "libraries": library_versions(),
        "artefacts": {name: sha256_bytes(data) for name, data in artefacts.items()},
        **(extra or {}),
    }
    manifest_bytes = _json_bytes(manifest, indent=2)
    contents = {**artefacts, **{n: t.encode("utf-8") for n, t in (files or {}).items()}, MANIFEST: manifest_bytes}
    if key is not None:
        contents[SIGNATURE] = (sign(manifest_bytes, key) + "\n").encode("ascii")
    directory = Path(directory)
    if directory.exists():
        raise ModelLoadError(f"model directory {directory} already exists; versions are immutable")
    return write_dir(directory, contents)


def read_manifest(directory: Path) -> dict:
    """The manifest as a dict, with every required field present and of the right type."""
    manifest, _ = _read_manifest(Path(directory))
    return manifest


def _read_manifest(directory: Path) -> tuple[dict, bytes]:
    path = directory / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelLoadError(f"no model at {directory}: {MANIFEST} is missing", {"path": str(directory)}) from None
    except OSError as exc:
        raise ModelLoadError(f"cannot read {path}: {exc}", {"path": str(path)}) from exc
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelLoadError(f"{path} is not valid JSON: {exc}", {"path": str(path)}) from None
    if not isinstance(manifest, dict):
        raise ModelLoadError(f"{path} must hold a JSON object", {"path": str(path)})
    version = manifest.get("format_version")
    if (type(version) is int and version == 1) or (directory / LEGACY_ARTEFACT).exists():
        raise ModelLoadError(
            f"{directory} is a model in the old pickle format (format 1), which claimlens no longer loads: "
            f"retrain it, or convert it with `claimlens models convert {directory}` if you trust its origin",
            {"path": str(directory), "field": "format_version"})
    for field, kind in REQUIRED.items():
        if field not in manifest:
            raise ModelLoadError(f"{path} lacks the field {field!r}", {"path": str(path), "field": field})
        if not isinstance(manifest[field], kind) or isinstance(manifest[field], bool):
            raise ModelLoadError(f"{path}: field {field!r} must be a JSON {_JSON_TYPE[kind]}, "
                                 f"got {manifest[field]!r:.60}", {"path": str(path), "field": field})
    if version != FORMAT_VERSION:
        raise ModelLoadError(f"{path}: model format {version} is not {FORMAT_VERSION}; retrain the model",
                             {"path": str(path), "field": "format_version"})
    if not manifest["labels"] or not all(isinstance(l, str) for l in manifest["labels"]):
        raise ModelLoadError(f"{path}: field 'labels' must be a non-empty list of strings",
                             {"path": str(path), "field": "labels"})
    return manifest, raw


_JSON_TYPE = {int: "integer", str: "string", list: "array", dict: "object"}


def verify(directory: Path, key: bytes | None = None) -> dict:
    """Check signature (with a key), artefact hashes and library versions; return the manifest.

    Reads bytes and JSON only: nothing in the directory is executed.
    """
    directory = Path(directory)
    manifest, raw = _read_manifest(directory)
    if key is not None:
        _check_signature(directory, raw, key)
    named = manifest["artefacts"]
    if set(named) != {META, ARRAYS}:
        raise ModelLoadError(f"{directory / MANIFEST}: field 'artefacts' names {sorted(named)}, "
                             f"expected {[ARRAYS, META]}", {"path": str(directory), "field": "artefacts"})
    for name, want in named.items():
        path = directory / name
        if not path.is_file():
            raise ModelLoadError(f"no artefact {path}", {"path": str(path)})
        actual = sha256_file(path)
        if actual != want:
            raise ModelLoadError(
                f"artefact {path} does not match its manifest (sha256 {actual[:12]}… != {str(want)[:12]}…)",
                {"path": str(path), "field": f"artefacts.{name}"})
    clashes = library_clashes(manifest)
    if clashes:
        text = ", ".join(f"{n} {v['model']} (installed {v['installed']})" for n, v in clashes.items())
        raise ModelLoadError(f"model was built with other tokeniser versions: {text}; retrain it",
                             {"libraries": clashes, "field": "libraries"})
    return manifest


def library_clashes(manifest: dict) -> dict[str, dict]:
    """The tokeniser libraries whose installed major.minor version is not the one the model was built with."""
    installed = library_versions()
    return {name: {"model": want, "installed": installed.get(name)}
            for name, want in manifest["libraries"].items()
            if name in PINNED and _major_minor(str(want)) != _major_minor(installed.get(name, ""))}


def _check_signature(directory: Path, manifest_bytes: bytes, key: bytes) -> None:
    path = directory / SIGNATURE
    if not path.is_file():
        raise ModelLoadError(f"{directory} is not signed, and a model key is set: refusing an unsigned model",
                             {"path": str(directory), "field": "signature"})
    got = path.read_text(encoding="ascii", errors="replace").strip()
    if not hmac.compare_digest(got, sign(manifest_bytes, key)):
        raise ModelLoadError(f"{directory}: the signature does not match (the model was changed after it was "
                             f"signed, or signed with another key)", {"path": str(directory), "field": "signature"})


def load_model(directory: Path, key: bytes | None = None):
    """Verified load: returns (estimator, manifest)."""
    from claimlens.model.estimator import ClaimClassifier

    directory = Path(directory)
    manifest = verify(directory, key)
    try:
        meta = json.loads((directory / META).read_text(encoding="utf-8"))
        with np.load(directory / ARRAYS, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelLoadError(f"cannot read the artefact of {directory}: {exc}", {"path": str(directory)}) from exc
    if not isinstance(meta, dict) or meta.get("labels") != manifest["labels"]:
        raise ModelLoadError(f"{directory}: the artefact's labels differ from the manifest's",
                             {"path": str(directory), "field": "labels"})
    try:
        estimator = ClaimClassifier.from_state(meta, arrays)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelLoadError(f"{directory}: the artefact lacks or garbles {exc}", {"path": str(directory)}) from exc
    return estimator, manifest


class ModelHeader(NamedTuple):
    """What a process that hands the labelling to workers needs of a model: its labels in output order
    and its schema, without the vocabulary and arrays (about 40 MiB) it would never use."""

    classes_: list[str]
    schema_: LabelSchema


def load_header(directory: Path, key: bytes | None = None) -> tuple[ModelHeader, dict]:
    """Verified as load_model verifies; returns (header, manifest)."""
    directory = Path(directory)
    manifest = verify(directory, key)
    try:
        schema = LabelSchema.from_dict(json.loads((directory / META).read_text(encoding="utf-8"))["schema"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelLoadError(f"{directory}: cannot read the label schema of the artefact: {exc}",
                             {"path": str(directory)}) from exc
    if list(schema.labels) != manifest["labels"]:
        raise ModelLoadError(f"{directory}: the artefact's labels differ from the manifest's",
                             {"path": str(directory), "field": "labels"})
    return ModelHeader(list(schema.labels), schema), manifest


def _json_bytes(value, indent: int | None = None) -> bytes:
    # allow_nan=False: JSON has no Infinity or NaN, and other readers reject them
    return (json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])
