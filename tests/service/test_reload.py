"""A bad model never reaches a worker: refused on reload, not followed, not taken by a fresh worker."""
import os
import shutil

import pytest

from claimlens.model.errors import ModelLoadError
from claimlens.service import create_app
from claimlens.service.holder import ModelHolder
from claimlens.service.settings import Settings
from tests.service.versions import garbled_arrays, new_version, without_field

ADMIN = {"X-API-Key": "adm"}
NEWER = "20270101T000000Z-89abcdef"


def _ready(client) -> dict:
    resp = client.get("/readyz")
    assert resp.status_code == 200
    return resp.get_json()


@pytest.mark.parametrize("make_bad, field, message", [
    (without_field, "model_version", "lacks the field 'model_version'"),
    (garbled_arrays, None, "the model loaded but failed its warm-up (ValueError); see the log"),
])
def test_reload_refuses_a_bad_model_with_409_and_keeps_serving(make_app, models_root, tiny_model_dir,
                                                               make_bad, field, message):
    client = make_app(admin_key="adm").test_client()
    bad = make_bad(models_root, tiny_model_dir, NEWER)
    resp = client.post("/v1/admin/reload", headers=ADMIN)
    assert resp.status_code == 409
    err = resp.get_json()["error"]
    assert err["code"] == "model_load_error" and err["message"].endswith(message)
    assert err["details"].get("field") == field
    for _ in range(3):  # not once: the failure must leave nothing half-swapped behind
        assert client.post("/v1/predict", json={"text": "my parcel never arrived"}).get_json()["model"] == \
            tiny_model_dir.name
        assert _ready(client)["model"] == tiny_model_dir.name
    shutil.rmtree(bad)
    assert client.post("/v1/predict", json={"text": "hi"}).status_code == 200
    assert client.post("/v1/admin/reload", headers=ADMIN).get_json() == {
        "previous": tiny_model_dir.name, "model": tiny_model_dir.name}


def _two_workers(models_root, tmp_path):
    """Two apps sharing one runtime folder, as two gunicorn workers do."""
    settings = Settings(models_root=models_root, admin_key="adm", runtime_dir=tmp_path / "runtime")
    settings.runtime_dir.mkdir()
    return create_app(settings).test_client(), create_app(settings).test_client()


def _settled(client):
    """The request made so far has started the worker's follow; wait for it to end."""
    client.application.config["CLAIMLENS_HOLDER"].settle(timeout=120)
    return client


def test_the_other_worker_follows_a_good_reload(models_root, tiny_model_dir, tmp_path):
    first, second = _two_workers(models_root, tmp_path)
    new_version(models_root, tiny_model_dir, NEWER)
    assert first.post("/v1/admin/reload", headers=ADMIN).get_json()["model"] == NEWER
    # the request that notices the reload is answered at once, by the model it was sure of
    assert second.post("/v1/predict", json={"text": "hi"}).get_json()["model"] == tiny_model_dir.name
    assert _settled(second).post("/v1/predict", json={"text": "hi"}).get_json()["model"] == NEWER
    assert _ready(second) == {"status": "ready", "model": NEWER, "worker": os.getpid(), "follow_error": None}


def test_a_worker_that_cannot_follow_keeps_its_model_and_says_why(models_root, tiny_model_dir, tmp_path):
    first, second = _two_workers(models_root, tmp_path)
    newer = new_version(models_root, tiny_model_dir, NEWER)
    assert first.post("/v1/admin/reload", headers=ADMIN).status_code == 200
    shutil.rmtree(newer)  # gone before the second worker's next request
    resp = second.post("/v1/predict", json={"text": "my parcel never arrived"})
    assert resp.status_code == 200 and resp.get_json()["model"] == tiny_model_dir.name
    ready = _ready(_settled(second))
    assert ready["model"] == tiny_model_dir.name
    assert ready["follow_error"] == (f"could not follow the reload (no model at {newer}: manifest.json is missing); "
                                     f"still serving {tiny_model_dir.name}")
    assert _ready(first)["model"] == NEWER and _ready(first)["follow_error"] is None


def test_a_garbled_pin_file_is_reported_not_a_500(models_root, tiny_model_dir, tmp_path):
    first, second = _two_workers(models_root, tmp_path)
    (tmp_path / "runtime" / "current-model.json").write_text("{not json", encoding="utf-8")
    assert second.post("/v1/predict", json={"text": "hi"}).status_code == 200
    assert _ready(_settled(second))["follow_error"].startswith("could not follow the reload (JSONDecodeError: ")


def test_refresh_before_a_fork_keeps_the_good_model_when_the_newest_is_bad(models_root, tiny_model_dir, tmp_path,
                                                                          monkeypatch):
    # the gunicorn master refreshes its copy before forking a worker; if that raised, gunicorn would stop
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    holder = ModelHolder(models_root, runtime_dir=runtime)
    holder.load()
    garbled_arrays(models_root, tiny_model_dir, NEWER)
    holder.refresh()
    assert holder.current.version == tiny_model_dir.name and holder.follow_error is None
    assert not (runtime / "current-model.json").exists()  # nothing told the workers to switch
    tries = []
    monkeypatch.setattr(holder, "_verified", lambda directory: tries.append(directory))
    holder.refresh()  # the next fork does not spend seconds on the same refused model
    assert tries == []
    monkeypatch.undo()
    with pytest.raises(ModelLoadError, match="failed its warm-up"):
        holder.reload()  # an admin reload does try again


def test_refresh_follows_the_pin_then_takes_a_newer_good_model(models_root, tiny_model_dir, tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    worker = ModelHolder(models_root, runtime_dir=runtime)
    worker.load()
    master = ModelHolder(models_root, runtime_dir=runtime)
    master.load()  # its copy dates from before any reload
    new_version(models_root, tiny_model_dir, NEWER)
    assert worker.reload().version == NEWER
    without_field(models_root, tiny_model_dir, "20280101T000000Z-deadbeef")
    master.refresh()
    assert master.current.version == NEWER and master.follow_error is None
    newest = new_version(models_root, tiny_model_dir, "20290101T000000Z-01234567")
    master.refresh()
    assert master.current.version == newest.name
    worker.sync(wait=True)
    assert worker.current.version == newest.name
