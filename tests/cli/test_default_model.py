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
