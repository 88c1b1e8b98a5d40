"""Where the bundled data lives, and where models go unless the user says otherwise."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

# pip installs packages unpacked, so the package data is a real folder.
DATA = Path(str(resources.files("claimlens.data")))
SEED_DIR = DATA / "seed"
SCHEMA = DATA / "labels.json"
USER_DICT = DATA / "zh_user_dict.txt"
REPO = Path(__file__).resolve().parent.parent


def models_root() -> Path:
    """CLAIMLENS_MODELS, else models/ in the checkout."""
    return Path(os.environ.get("CLAIMLENS_MODELS") or REPO / "models")


def user_words() -> tuple[str, ...]:
    lines = USER_DICT.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))
