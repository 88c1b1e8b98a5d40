"""The Python front door: claimlens.load, then predict and explain."""
import json
import shutil
import subprocess
import sys

import pytest

import claimlens
from claimlens.model.errors import BadInputError


def test_two_lines_with_a_model_directory(tiny_model_dir):
    clf = claimlens.load(tiny_model_dir)
    assert clf.predict(["my parcel never arrived", "great product, thank you"]) == [["not_received"], ["other"]]
    record = clf.explain("the cable is missing from the package, I want a refund")
    assert record["labels"] == ["missing_parts", "refund_return_issue"] and record["model"] == tiny_model_dir.name
    text = "the cable is missing from the package, I want a refund"
    for span in record["evidence"]:
        assert text[span["start"]:span["end"]] == span["text"]
    assert {e["label"] for e in record["evidence"]} == {"missing_parts", "refund_return_issue"}
    assert set(clf.predict_proba(["x y"])[0]) == set(clf.labels)


def test_load_without_a_path_takes_the_newest_version(tiny_model_dir, tmp_path, monkeypatch):
    store = tmp_path / "store"
    shutil.copytree(tiny_model_dir, store / tiny_model_dir.name)
    monkeypatch.setenv("CLAIMLENS_MODELS", str(store))
    clf = claimlens.load()
    assert clf.version == tiny_model_dir.name and clf.directory == store / tiny_model_dir.name


def test_a_single_string_is_a_clear_error(tiny_model_dir):
    with pytest.raises(BadInputError, match="wrap it in a list"):
        claimlens.load(tiny_model_dir).predict("my parcel never arrived")


def test_import_is_light_and_versioned():
    code = ("import sys, claimlens; print(claimlens.__version__); "
            "print(sorted(m for m in ('sklearn', 'spacy', 'scipy', 'flask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == claimlens.__version__ != "0+unknown"
    assert out[1] == "[]"


def test_python_dash_m_and_version_flag():
    out = subprocess.run([sys.executable, "-m", "claimlens", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"claimlens {claimlens.__version__}"
    helptext = subprocess.run([sys.executable, "-m", "claimlens", "--help"], capture_output=True, text=True).stdout
    assert "CLAIMLENS_MODELS" in helptext and "user's data folder" in helptext


def test_record_is_strict_json(tiny_model_dir):
    record = claimlens.load(tiny_model_dir).explain("请取消订单")
    json.dumps(record, allow_nan=False)
