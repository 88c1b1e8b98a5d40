"""Champion/challenger retraining: held-out split by time, the decision rules, and a run end to end."""
from __future__ import annotations

import json

import pytest

from claimlens.model.persistence import read_manifest, save_model
from claimlens.model.schema import load_schema
from claimlens.model.store import ModelStore
from claimlens.training.adapt import MAX_WEIGHT, feedback_weight
from claimlens.training.datasets import Example, load_examples
from claimlens.training.paths import SCHEMA, SEED_DIR
from claimlens.training.retrain import Policy, decide, retrain, split_by_time

SCHEMA_ = load_schema(SCHEMA)


def _report(macro: float, n: int = 20) -> dict:
    return {"macro_f1": macro, "n": n}


def test_feedback_weight_is_a_share_of_the_seed_within_bounds():
    assert feedback_weight(10_048, 0) == 1.0
    assert feedback_weight(10_048, 100) == MAX_WEIGHT == 20.0
    assert feedback_weight(10_048, 325) == pytest.approx(0.3 * 10_048 / 325)
    assert feedback_weight(10_048, 5_000) == 1.0


def test_split_holds_out_the_most_recent_fifth():
    examples = [Example(f"t{i}", ("other",)) for i in range(11)]
    older, held = split_by_time(examples, 0.2)
    assert [e.text for e in held] == ["t8", "t9", "t10"] and len(older) == 8
    assert [len(p) for p in split_by_time(examples[:2], 0.2)] == [1, 1]


@pytest.mark.parametrize("mode, challenger, seed_after, n, promote, checks", [
    ("auto", 0.72, 0.80, 20, True, {"heldout_texts": True, "heldout_gain": True, "seed_guard": True}),
    ("auto", 0.71, 0.80, 20, False, {"heldout_texts": True, "heldout_gain": False, "seed_guard": True}),
    ("auto", 0.80, 0.7899, 20, False, {"heldout_texts": True, "heldout_gain": True, "seed_guard": False}),
    ("auto", 0.80, 0.80, 9, False, {"heldout_texts": False, "heldout_gain": True, "seed_guard": True}),
    ("never", 0.80, 0.80, 20, False, {"heldout_texts": True, "heldout_gain": True, "seed_guard": True}),
    ("force", 0.10, 0.10, 2, True, {"heldout_texts": False, "heldout_gain": False, "seed_guard": False}),
])
def test_decide_states_its_margins(mode, challenger, seed_after, n, promote, checks):
    d = decide(mode, _report(0.70, n), _report(challenger, n), {"macro_f1": 0.80}, {"macro_f1": seed_after}, Policy())
    assert (d["promote"], d["checks"]) == (promote, checks)


def test_auto_never_promotes_without_the_seed_guard():
    d = decide("auto", _report(0.5), _report(0.9), None, None, Policy(seed_cv_folds=0))
    assert d["promote"] is False and "seed cross-validation skipped" in d["reasons"][-1]


@pytest.fixture(scope="module")
def small_seed():
    """Every 12th text of four seed files: enough to learn from, small enough to train in seconds."""
    names = ("de.jsonl", "en.jsonl", "fr.jsonl", "zh.jsonl")
    texts = [e for name in names for e in load_examples(SEED_DIR / name, SCHEMA_)]
    return texts[::12], texts[5::12][:60]


def _store_with_champion(tmp_path, seed_examples) -> ModelStore:
    from claimlens.training.adapt import train_challenger

    store = ModelStore(tmp_path / "models")
    version, directory = store.new_version("c" * 8)
    save_model(train_challenger(seed_examples, [], SCHEMA_), directory, version)
    return store


def _wrong(example: Example) -> Example:
    """The labels rotated: each reason label becomes the next one, `other` becomes not_received."""
    reasons = SCHEMA_.reason_labels
    labels = tuple(sorted({reasons[(reasons.index(l) + 1) % len(reasons)] if l in reasons else "not_received"
                           for l in example.labels}, key=SCHEMA_.labels.index))
    return Example(example.text, labels, example.language)


# a few hundred texts leave some (language, rarest label) strata with two members: sklearn says so
@pytest.mark.filterwarnings("ignore:The least populated class in y:UserWarning")
def test_a_challenger_taught_wrong_labels_is_not_promoted(tmp_path, small_seed):
    seed_examples, others = small_seed
    store = _store_with_champion(tmp_path, seed_examples)
    champion = store.current().name
    feedback = [_wrong(e) for e in others]
    outcome = retrain(store, feedback, seed_examples, SCHEMA_, "auto", Policy(seed_cv_folds=2), log=lambda m: None)
    assert outcome.promoted is False and store.current().name == champion
    assert outcome.decision["checks_passed"] is False and outcome.decision["checks"]["heldout_texts"] is True
    # wrong labels teach nothing that holds on the newest wrong labels by the margin, or they cost the seed texts
    assert outcome.decision["heldout_gain"] < 0.02 or outcome.decision["seed_drop"] > 0.01
    assert {p.name for p in store.versions()} == {champion, outcome.version}  # saved, not current
    assert json.loads((outcome.report_dir / "decision.json").read_text())["promote"] is False
    for side in ("champion", "challenger"):
        report = json.loads((outcome.report_dir / side / "evaluation.json").read_text())
        assert report["n"] == 12 and (outcome.report_dir / side / "evaluation.md").is_file()
    assert "not promoted" in (outcome.report_dir / "comparison.md").read_text()
    manifest = read_manifest(outcome.directory)
    assert manifest["training"]["feedback"] == 48 and manifest["metrics"]["heldout"]["n"] == 12
    assert manifest["metrics"]["seed_cv"]["folds"] == 2


@pytest.mark.filterwarnings("ignore:The least populated class in y:UserWarning")
def test_force_promotes_and_the_manifest_says_what_was_measured(tmp_path, small_seed):
    seed_examples, others = small_seed
    store = _store_with_champion(tmp_path, seed_examples)
    champion = store.current().name
    outcome = retrain(store, others[:20], seed_examples, SCHEMA_, "force", Policy(seed_cv_folds=0),
                      report_dir=tmp_path / "reports", log=lambda m: None)
    assert outcome.promoted and store.current().name == outcome.version and store.history() == [champion, outcome.version]
    assert outcome.report_dir == tmp_path / "reports"
    manifest = read_manifest(outcome.directory)
    assert manifest["retrain"]["mode"] == "force" and manifest["retrain"]["champion"] == champion
    assert manifest["training"]["feedback"] == 16
    assert manifest["training"]["feedback_weight"] == round(feedback_weight(len(seed_examples), 16), 4)
    assert (outcome.directory / "retrain.md").is_file()
    assert store.rollback() == (outcome.version, champion)


def test_retrain_needs_corrections(tmp_path, small_seed):
    from claimlens.model.errors import BadInputError

    with pytest.raises(BadInputError, match="at least 2 corrections"):
        retrain(ModelStore(tmp_path), small_seed[1][:1], small_seed[0], SCHEMA_, log=lambda m: None)
