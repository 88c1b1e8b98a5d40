"""A fresh machine: the first `claimlens predict` builds the default model from the seed data."""
import json

import pytest
from click.testing import CliRunner

from claimlens.cli import main
from claimlens.model.persistence import load_model
from claimlens.model.store import ModelStore


@pytest.fixture(scope="module")
def fresh_models(tmp_path_factory):
    return tmp_path_factory.mktemp("fresh-models")


@pytest.fixture(scope="module")
def first_run(fresh_models):
    mp = pytest.MonkeyPatch()
    mp.setenv("CLAIMLENS_MODELS", str(fresh_models))
    try:
        yield CliRunner().invoke(main, ["predict", "买家说少了充电器，要求退款",
                                        "I asked to cancel but you shipped it anyway. Refund me."])
    finally:
        mp.undo()


def test_first_predict_builds_and_says_so(first_run, fresh_models):
    assert first_run.exit_code == 0, first_run.output
    assert "building the default model from the bundled seed data" in first_run.stderr
    assert len(ModelStore(fresh_models).versions()) == 1


def test_default_model_answers_sensibly(first_run):
    zh, en = [json.loads(l) for l in first_run.stdout.splitlines()]
    assert set(zh["labels"]) == {"missing_parts", "refund_return_issue"}
    assert zh["language"] == "zh" and en["language"] == "en"
    assert {"cancellation_refused", "refund_return_issue"} <= set(en["labels"])
    text = "买家说少了充电器，要求退款"
    refund = [e for e in zh["evidence"] if e["label"] == "refund_return_issue"][0]
    assert "退款" in refund["text"] and text[refund["start"]:refund["end"]] == refund["text"]
    missing = [e for e in zh["evidence"] if e["label"] == "missing_parts"][0]
    assert "少" in missing["text"] and len(missing["text"]) <= 8


def test_default_build_is_deterministic(first_run, fresh_models, tmp_path):
    import numpy as np

    from claimlens.training.current import build_default

    again = build_default(ModelStore(tmp_path), log=lambda m: None)
    first, _ = load_model(ModelStore(fresh_models).newest())
    second, _ = load_model(again)
    texts = ["where is my parcel", "少了配件", "Zubehör fehlt"]
    np.testing.assert_array_equal(first.predict_proba(texts), second.predict_proba(texts))


@pytest.fixture
def upgraded(first_run, fresh_models, tmp_path, monkeypatch):
    """A copy of the fresh machine's store, on which resolving the model builds nothing but says so."""
    import shutil

    from claimlens.training import current

    store = tmp_path / "models"
    shutil.copytree(fresh_models, store)
    monkeypatch.setenv("CLAIMLENS_MODELS", str(store))
    built = []
    monkeypatch.setattr(current, "build_default", lambda s, log: built.append(s.root) or s.root / "rebuilt")
    return store, built


def _manifest(store):
    path = ModelStore(store).newest() / "manifest.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_the_default_model_records_the_seed_it_was_built_from(upgraded):
    from claimlens.training.current import resolve_model_dir, seed_fingerprint

    store, built = upgraded
    _, manifest = _manifest(store)
    assert manifest["training"]["seed_fingerprint"] == seed_fingerprint()
    lines = []
    assert resolve_model_dir(None, lines.append) == ModelStore(store).newest() and built == [] and lines == []


def test_a_default_model_from_other_seed_data_is_built_again(upgraded, monkeypatch):
    from claimlens.training import current

    store, built = upgraded
    monkeypatch.setattr(current, "seed_fingerprint", lambda: "0" * 64)  # the seed an upgrade installs
    lines = []
    assert current.resolve_model_dir(None, lines.append) == store / "rebuilt" and built == [store]
    assert "was built from other seed data or text steps than this installation's" in lines[0]


def test_the_text_steps_version_is_part_of_the_fingerprint(monkeypatch):
    from claimlens.training import current

    before = current.seed_fingerprint()
    monkeypatch.setattr(current, "TEXT_STEPS", current.TEXT_STEPS + 1)  # normalisation changed in an upgrade
    assert current.seed_fingerprint() != before


def test_an_older_default_model_is_told_by_its_number_of_seed_texts(upgraded):
    from claimlens.training.current import resolve_model_dir

    store, built = upgraded
    path, manifest = _manifest(store)
    del manifest["training"]["seed_fingerprint"]  # built before the fingerprint was recorded
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert resolve_model_dir(None, lambda m: None) == path.parent and built == []  # same seed texts: kept
    manifest["training"]["examples"] -= 81
    path.write_text(json.dumps(manifest), encoding="utf-8")
    lines = []
    assert resolve_model_dir(None, lines.append) == store / "rebuilt"
    n = manifest["training"]["examples"]
    assert f"was built from {n} seed texts (this installation has {n + 81})" in lines[0]


def test_a_model_of_the_sellers_data_or_a_promoted_one_stays(upgraded, monkeypatch):
    from claimlens.training import current

    store, built = upgraded
    monkeypatch.setattr(current, "seed_fingerprint", lambda: "0" * 64)
    path, manifest = _manifest(store)
    manifest["training"]["sources"] = ["seed", "orders-2026.csv"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert current.resolve_model_dir(None, lambda m: None) == path.parent and built == []
    manifest["training"]["sources"] = ["seed"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    ModelStore(store).promote(path.parent.name)  # chosen by the seller: kept, whatever its seed
    assert current.resolve_model_dir(None, lambda m: None) == path.parent and built == []


def test_a_default_model_of_other_tokeniser_versions_is_built_again(upgraded):
    from claimlens.training.current import resolve_model_dir

    store, built = upgraded
    path, manifest = _manifest(store)
    manifest["libraries"]["spacy"] = "2.3.9"  # loading it would fail: "retrain it"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    lines = []
    assert resolve_model_dir(None, lines.append) == store / "rebuilt"
    assert "was built from other tokeniser versions: spacy 2.3.9 (installed" in lines[0]
