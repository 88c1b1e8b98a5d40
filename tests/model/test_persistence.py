"""Model directories: data only, verified before use, signed on request, never unpickled."""
import hashlib
import io
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from claimlens.model.errors import ModelLoadError
from claimlens.model.persistence import ARRAYS, MANIFEST, META, SIGNATURE, load_model, save_model, verify

FORMAT1 = Path(__file__).resolve().parents[1] / "fixtures" / "format1-model"


@pytest.fixture
def model_copy(tiny_model_dir, tmp_path):
    target = tmp_path / tiny_model_dir.name
    shutil.copytree(tiny_model_dir, target)
    return target


def _manifest(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def _rewrite(directory: Path, manifest: dict) -> None:
    (directory / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _rehash(directory: Path, name: str) -> None:
    """Make the manifest vouch for a changed file, as someone who can write the folder could."""
    manifest = _manifest(directory)
    manifest["artefacts"][name] = hashlib.sha256((directory / name).read_bytes()).hexdigest()
    _rewrite(directory, manifest)


class Marker:
    """A pickle payload that writes a file when it is unpickled."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (self.path, "pwned"))


def test_manifest_records_what_it_must(tiny_model_dir):
    manifest = _manifest(tiny_model_dir)
    for key in ("format_version", "model_version", "created_at", "labels", "thresholds", "libraries",
                "artefacts", "params"):
        assert key in manifest
    assert manifest["format_version"] == 2
    assert set(manifest["artefacts"]) == {META, ARRAYS}
    assert set(manifest["libraries"]) >= {"numpy", "jieba", "spacy", "python"}
    assert set(manifest["thresholds"]) == set(manifest["labels"]) - {"other"}
    assert sorted(p.name for p in tiny_model_dir.iterdir()) == [MANIFEST, META, ARRAYS]


def test_round_trip_gives_identical_predictions(tiny_model, tiny_model_dir, tiny_corpus):
    loaded, _ = load_model(tiny_model_dir)
    texts = [t for t, _, _ in tiny_corpus] + ["where is my parcel, and the cable is missing", "全部都好"]
    assert loaded.predict_explained(texts) == tiny_model.predict_explained(texts)
    assert loaded.schema_ == tiny_model.schema_


def test_arrays_hold_no_objects(tiny_model_dir):
    with np.load(tiny_model_dir / ARRAYS, allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)
    json.loads((tiny_model_dir / META).read_text(encoding="utf-8"))  # plain JSON, no Infinity or NaN


def test_tampered_artefact_is_refused(model_copy):
    data = bytearray((model_copy / ARRAYS).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (model_copy / ARRAYS).write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="does not match its manifest") as info:
        load_model(model_copy)
    assert info.value.details["field"] == "artefacts.model.npz"


def test_pickle_in_place_of_the_arrays_is_never_run(model_copy, tmp_path):
    marker = tmp_path / "marker"
    (model_copy / ARRAYS).write_bytes(pickle.dumps(Marker(marker)))
    _rehash(model_copy, ARRAYS)  # the hashes match: only the format can stop it
    with pytest.raises(ModelLoadError, match="cannot read the artefact"):
        load_model(model_copy)
    assert not marker.exists()


def test_object_array_inside_the_npz_is_never_run(model_copy, tmp_path):
    marker = tmp_path / "marker"
    with np.load(model_copy / ARRAYS, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["coef"] = np.array([Marker(marker)], dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # numpy pickles object arrays into the archive
    (model_copy / ARRAYS).write_bytes(buffer.getvalue())
    _rehash(model_copy, ARRAYS)
    with pytest.raises(ModelLoadError, match="allow_pickle"):
        load_model(model_copy)
    assert not marker.exists()


def test_format1_pickle_with_a_matching_manifest_is_refused_unrun(tmp_path):
    marker = tmp_path / "marker"
    folder = tmp_path / "20260101T000000Z-0123abcd"
    folder.mkdir()
    payload = pickle.dumps(Marker(marker))
    (folder / "model.joblib").write_bytes(payload)
    _rewrite(folder, {"format_version": 1, "model_version": folder.name,
                      "artefact_sha256": hashlib.sha256(payload).hexdigest()})
    with pytest.raises(ModelLoadError, match=r"old pickle format .*claimlens models convert"):
        load_model(folder)
    assert not marker.exists()


def test_signed_model_loads_with_its_key_only(tiny_model, tmp_path):
    directory = save_model(tiny_model, tmp_path / "20260101T000000Z-5a5a5a5a", "v", key=b"secret")
    assert (directory / SIGNATURE).is_file()
    load_model(directory, key=b"secret")
    with pytest.raises(ModelLoadError, match="signature does not match") as info:
        load_model(directory, key=b"another key")
    assert info.value.details["field"] == "signature"


def test_signed_model_with_one_byte_changed_is_refused(tiny_model, tmp_path):
    directory = save_model(tiny_model, tmp_path / "20260101T000000Z-5a5a5a5b", "v", key=b"secret")
    data = bytearray((directory / META).read_bytes())
    data[data.index(b'"C": 100.0') + 6] = ord("9")  # one byte of the settings
    (directory / META).write_bytes(bytes(data))
    _rehash(directory, META)  # rewriting the manifest too: only the signature can tell
    with pytest.raises(ModelLoadError, match="signature does not match"):
        load_model(directory, key=b"secret")


def test_unsigned_model_is_refused_when_a_key_is_set(model_copy):
    with pytest.raises(ModelLoadError, match="not signed") as info:
        load_model(model_copy, key=b"secret")
    assert info.value.details["field"] == "signature"


@pytest.mark.parametrize("field", ["format_version", "model_version", "created_at", "labels", "thresholds",
                                   "libraries", "artefacts"])
def test_manifest_without_a_field_is_refused_naming_it(model_copy, field):
    manifest = _manifest(model_copy)
    del manifest[field]
    _rewrite(model_copy, manifest)
    with pytest.raises(ModelLoadError, match=f"lacks the field '{field}'") as info:
        load_model(model_copy)
    assert info.value.details["field"] == field


@pytest.mark.parametrize(("field", "value", "message"), [
    ("model_version", 7, "field 'model_version' must be a JSON string"),
    ("labels", "other", "field 'labels' must be a JSON array"),
    ("labels", [], "non-empty list of strings"),
    ("format_version", 3, "model format 3 is not 2"),
    ("format_version", True, "field 'format_version' must be a JSON integer"),
    ("artefacts", {"model.json": "0" * 64, "other.bin": "0" * 64}, "field 'artefacts' names"),
])
def test_malformed_manifest_fields_are_named(model_copy, field, value, message):
    manifest = _manifest(model_copy)
    manifest[field] = value
    _rewrite(model_copy, manifest)
    with pytest.raises(ModelLoadError, match=message) as info:
        load_model(model_copy)
    assert info.value.details["field"] == field


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "is not valid JSON"),
    (b"[1, 2]", "must hold a JSON object"),
    (b"\xff\xfe", "is not valid JSON"),
])
def test_unreadable_manifest_is_refused(model_copy, content, message):
    (model_copy / MANIFEST).write_bytes(content)
    with pytest.raises(ModelLoadError, match=message):
        load_model(model_copy)


def test_manifest_and_artefact_disagreeing_on_labels(model_copy):
    manifest = _manifest(model_copy)
    manifest["labels"] = list(reversed(manifest["labels"]))
    _rewrite(model_copy, manifest)
    with pytest.raises(ModelLoadError, match="labels differ") as info:
        load_model(model_copy)
    assert info.value.details["field"] == "labels"


def test_incompatible_tokeniser_library_is_refused(model_copy):
    manifest = _manifest(model_copy)
    manifest["libraries"]["spacy"] = "2.3.9"
    _rewrite(model_copy, manifest)
    with pytest.raises(ModelLoadError, match=r"spacy 2\.3\.9 \(installed"):
        verify(model_copy)


def test_missing_manifest(tmp_path):
    with pytest.raises(ModelLoadError, match="manifest.json is missing"):
        load_model(tmp_path)


def test_versions_are_immutable(tiny_model, tiny_model_dir):
    with pytest.raises(ModelLoadError, match="already exists"):
        save_model(tiny_model, tiny_model_dir, "x")


def test_header_gives_the_labels_and_schema_and_is_verified_as_the_model_is(tiny_model, model_copy):
    from claimlens.model.persistence import load_header

    header, manifest = load_header(model_copy)
    assert header.classes_ == list(tiny_model.classes_) == manifest["labels"]
    assert header.schema_ == tiny_model.schema_
    with open(model_copy / ARRAYS, "ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelLoadError, match="does not match its manifest"):
        load_header(model_copy)
