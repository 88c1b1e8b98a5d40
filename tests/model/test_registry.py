"""The model registry: current pointer, promote, rollback, and what happens without one."""
from __future__ import annotations

import json
import shutil
import threading

import pytest

from claimlens.model.errors import ModelLoadError
from claimlens.model.store import REGISTRY, ModelStore

V1, V2, V3 = "20260101T000000Z-00000001", "20260102T000000Z-00000002", "20260103T000000Z-00000003"


@pytest.fixture
def store(tmp_path, tiny_model_dir):
    for v in (V1, V2, V3):
        shutil.copytree(tiny_model_dir, tmp_path / v)
    return ModelStore(tmp_path)


def test_without_a_registry_the_newest_is_current(store):
    assert store.current().name == V3 == store.newest().name and store.history() == []


def test_promote_and_rollback_walk_the_history(store):
    assert store.promote(V1) == (V3, V1)
    assert store.current().name == V1 and store.newest().name == V3
    assert store.promote(V2) == (V1, V2)
    assert store.history() == [V3, V1, V2]
    assert store.rollback() == (V2, V1)
    assert store.rollback() == (V1, V3)
    assert store.current().name == V3
    with pytest.raises(ModelLoadError, match="nothing to roll back to"):
        store.rollback()
    assert [(e["action"], e["version"], e["previous"]) for e in store.log()] == [
        ("promote", V1, V3), ("promote", V2, V1), ("rollback", V1, V2), ("rollback", V3, V1)]
    saved = json.loads((store.root / REGISTRY).read_text())
    assert saved["current"] == V3 and saved["history"] == [V3]


def test_promoting_the_current_version_changes_nothing_but_the_log(store):
    store.promote(V2)
    assert store.promote(V2) == (V2, V2) and store.history() == [V3, V2]


def test_unknown_versions_are_refused(store):
    with pytest.raises(ModelLoadError, match="cannot promote: there is no model version 20990101T000000Z-00000000"):
        store.promote("20990101T000000Z-00000000")
    with pytest.raises(ModelLoadError, match="no model version"):
        store.promote("../elsewhere")
    assert not (store.root / REGISTRY).exists()


def test_a_current_version_that_vanished_is_an_error_not_a_silent_fallback(store):
    store.promote(V1)
    shutil.rmtree(store.root / V1)
    with pytest.raises(ModelLoadError, match=f"names {V1} as current, but there is no model version"):
        store.current()


def test_a_garbled_registry_is_named(store):
    (store.root / REGISTRY).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="cannot read .*registry.json"):
        store.current()


def test_promotions_at_once_lose_none(store):
    barrier = threading.Barrier(6)

    def promote(v):
        barrier.wait()
        store.promote(v)

    threads = [threading.Thread(target=promote, args=(v,)) for v in (V1, V2) * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.log()) == 6
