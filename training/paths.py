"""Where the bundled data lives, and where models go unless the user says otherwise."""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SEED_DIR = DATA / "seed"
SCHEMA = DATA / "labels.json"
USER_DICT = DATA / "zh_user_dict.txt"


def models_root() -> Path:
    """CLAIMLENS_MODELS, else models/ in the checkout."""
    return Path(os.environ.get("CLAIMLENS_MODELS") or REPO / "models")


def user_words() -> tuple[str, ...]:
    lines = USER_DICT.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))
