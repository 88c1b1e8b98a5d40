"""Where the bundled data lives, and where models go unless the user says otherwise."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

# pip installs packages unpacked, so the package data is a real folder.
DATA = Path(str(resources.files("claimlens.data")))
SEED_DIR = DATA / "seed"
SCHEMA = DATA / "labels.json"
USER_DICT = DATA / "zh_user_dict.txt"


def default_models_root() -> Path:
    """Where models go when CLAIMLENS_MODELS is not set: the user's data folder, never the package."""
    return platformdirs.user_data_path("claimlens") / "models"


def models_root() -> Path:
    """CLAIMLENS_MODELS, else the user's data folder (~/.local/share/claimlens/models on Linux)."""
    env = os.environ.get("CLAIMLENS_MODELS")
    return Path(env) if env else default_models_root()


def user_words() -> tuple[str, ...]:
    lines = USER_DICT.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))
