"""The built wheel: one top-level package with its data, working from any folder.

It is installed into a fresh virtual environment (dependencies from this environment's site
packages, so nothing is downloaded but the build backend) and run from a folder that holds a
`model.py` and a `service.py` of the user's own, which must not shadow anything of claimlens.
"""
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import claimlens

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools keeps a build/ folder in the source tree, whose stale files
    # (modules deleted since) would end up in the wheel
    source = out / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "models",
                                                                "test-artifacts", "bench-results", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True)
    return next(out.glob("claimlens-*.whl"))


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(env_dir)], check=True)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    return env_dir


@pytest.fixture
def elsewhere(tmp_path, tiny_model_dir):
    work = tmp_path / "somewhere else"
    work.mkdir()
    (work / "model.py").write_text("raise SystemExit('the user model.py was imported')\n")
    (work / "service.py").write_text("raise SystemExit('the user service.py was imported')\n")
    store = tmp_path / "store"
    shutil.copytree(tiny_model_dir, store / tiny_model_dir.name)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "CLAIMLENS_MODELS": str(store)}
    return work, env


def test_wheel_holds_one_package_with_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"claimlens", f"claimlens-{claimlens.__version__}.dist-info"}
    for needed in ("claimlens/data/labels.json", "claimlens/data/zh_user_dict.txt", "claimlens/py.typed",
                   "claimlens/model/estimator.py", "claimlens/service/templates/index.html",
                   "claimlens/service/static/app.js", "claimlens/labelling/templates/report.html"):
        assert needed in names
    assert len([n for n in names if n.startswith("claimlens/data/seed/") and n.endswith(".jsonl")]) >= 30
    meta = zipfile.ZipFile(wheel).read(f"claimlens-{claimlens.__version__}.dist-info/entry_points.txt").decode()
    assert "[spacy_factories]" in meta and "claimlens = claimlens.spacy_component:make_claimlens" in meta
    assert "License-Expression: Apache-2.0" in zipfile.ZipFile(wheel).read(
        f"claimlens-{claimlens.__version__}.dist-info/METADATA").decode()


def _run(venv: Path, work: Path, env: dict, *args: str) -> str:
    done = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_command_line_from_another_folder(venv, elsewhere):
    work, env = elsewhere
    out = _run(venv, work, env, str(venv / "bin" / "claimlens"), "predict", "my parcel never arrived")
    assert json.loads(out)["labels"] == ["not_received"]
    out = _run(venv, work, env, str(venv / "bin" / "python"), "-m", "claimlens", "predict", "请取消订单")
    assert json.loads(out)["labels"] == ["cancellation_request"]


def test_python_api_from_another_folder(venv, elsewhere):
    work, env = elsewhere
    code = ("import claimlens; clf = claimlens.load(); print(clf.predict(['my parcel never arrived'])); "
            "print(claimlens.__file__); print(clf.explain('请取消订单')['labels'])")
    lines = _run(venv, work, env, str(venv / "bin" / "python"), "-c", code).splitlines()
    assert lines[0] == "[['not_received']]"
    assert lines[1].startswith(str(venv))  # the wheel's copy, not the checkout
    assert lines[2] == "['cancellation_request']"


def test_spacy_component_from_another_folder(venv, elsewhere):
    work, env = elsewhere
    code = ("import spacy; nlp = spacy.blank('en'); nlp.add_pipe('claimlens'); "
            "doc = nlp('my parcel never arrived'); print(max(doc.cats, key=doc.cats.get)); "
            "print(sorted({s.label_ for s in doc.spans['claimlens']}))")
    assert _run(venv, work, env, str(venv / "bin" / "python"), "-c", code).splitlines() == [
        "not_received", "['not_received']"]


def test_models_go_to_the_user_data_folder(venv, elsewhere):
    work, env = elsewhere
    env = {k: v for k, v in env.items() if k != "CLAIMLENS_MODELS"}
    code = "from claimlens.training.paths import models_root; print(models_root())"
    root = _run(venv, work, env, str(venv / "bin" / "python"), "-c", code).strip()
    assert root == f"{env['HOME']}/.local/share/claimlens/models"
