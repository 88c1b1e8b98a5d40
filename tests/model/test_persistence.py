import json
import shutil

import pytest

from claimlens.model.errors import ModelLoadError
from claimlens.model.persistence import ARTEFACT, MANIFEST, load_model, save_model, verify


@pytest.fixture
def model_copy(tiny_model_dir, tmp_path):
    target = tmp_path / tiny_model_dir.name
    shutil.copytree(tiny_model_dir, target)
    return target


def test_manifest_records_what_it_must(tiny_model_dir):
    manifest = json.loads((tiny_model_dir / MANIFEST).read_text())
    for key in ("model_version", "created_at", "labels", "thresholds", "libraries", "artefact_sha256", "params"):
        assert key in manifest
    assert set(manifest["libraries"]) >= {"scikit-learn", "numpy", "jieba", "spacy", "python"}
    assert set(manifest["thresholds"]) == set(manifest["labels"]) - {"other"}


def test_tampered_artefact_is_refused(model_copy):
    data = bytearray((model_copy / ARTEFACT).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (model_copy / ARTEFACT).write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="does not match its manifest"):
        load_model(model_copy)


def test_incompatible_library_is_refused_before_unpickling(model_copy):
    manifest = json.loads((model_copy / MANIFEST).read_text())
    manifest["libraries"]["scikit-learn"] = "0.20.4"
    (model_copy / MANIFEST).write_text(json.dumps(manifest))
    (model_copy / ARTEFACT).write_bytes(b"not a pickle at all")  # never reached: versions are checked first
    manifest["artefact_sha256"] = __import__("hashlib").sha256(b"not a pickle at all").hexdigest()
    (model_copy / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ModelLoadError, match=r"scikit-learn 0\.20\.4 \(installed"):
        verify(model_copy)


def test_missing_manifest(tmp_path):
    with pytest.raises(ModelLoadError, match="manifest.json is missing"):
        load_model(tmp_path)


def test_versions_are_immutable(tiny_model, tiny_model_dir):
    with pytest.raises(ModelLoadError, match="already exists"):
        save_model(tiny_model, tiny_model_dir, "x")
