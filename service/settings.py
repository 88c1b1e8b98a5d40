"""Service settings: where models live, limits and keys; read from CLAIMLENS_* variables."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from claimlens.cases.case import MAX_EVENTS
from claimlens.model.errors import ConfigurationError


@dataclass(frozen=True)
class Settings:
    models_root: Path
    model_dir: Path | None = None          # a pinned model; else the newest in models_root
    api_keys: tuple[str, ...] = ()         # empty: no key needed for /v1
    key_names: dict = field(default_factory=dict)  # key → name, recorded with feedback (never the key)
    admin_key: str | None = None           # None: /v1/admin/* is disabled
    max_batch: int = 100
    max_text_chars: int = 20_000
    max_body_bytes: int = 2_000_000
    max_case_events: int = MAX_EVENTS      # messages + claims in one POST /v1/cases/analyze
    runtime_dir: Path | None = None        # where workers tell each other about reloads
    model_key: bytes | None = None         # models must carry an HMAC signature under this key
    db_url: str | None = None              # the feedback store; None: sqlite:///<models_root>/feedback.db
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        from claimlens.training.paths import models_root

        def number(name: str, default: int) -> int:
            raw = env.get(name)
            if raw is None or raw == "":
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None
            if value < 1:
                raise ConfigurationError(f"{name} must be at least 1, got {value}")
            return value

        keys, names = api_keys(env.get("CLAIMLENS_API_KEYS", ""))
        values = dict(
            models_root=Path(env.get("CLAIMLENS_MODELS") or models_root()),
            model_dir=Path(env["CLAIMLENS_MODEL_DIR"]) if env.get("CLAIMLENS_MODEL_DIR") else None,
            api_keys=keys,
            key_names=names,
            admin_key=env.get("CLAIMLENS_ADMIN_KEY") or None,
            max_batch=number("CLAIMLENS_MAX_BATCH", 100),
            max_text_chars=number("CLAIMLENS_MAX_TEXT_CHARS", 20_000),
            max_body_bytes=number("CLAIMLENS_MAX_BODY_BYTES", 2_000_000),
            max_case_events=number("CLAIMLENS_MAX_CASE_EVENTS", MAX_EVENTS),
            runtime_dir=Path(env["CLAIMLENS_RUNTIME_DIR"]) if env.get("CLAIMLENS_RUNTIME_DIR") else None,
            model_key=env["CLAIMLENS_MODEL_KEY"].encode("utf-8") if env.get("CLAIMLENS_MODEL_KEY") else None,
            db_url=env.get("CLAIMLENS_DB") or None,
        )
        values.update(overrides)
        return cls(**values)


def api_keys(raw: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """CLAIMLENS_API_KEYS: comma-separated `name:key` (or a bare `key`, named key-1, key-2, ... by position)."""
    keys, names = [], {}
    for n, entry in enumerate((e.strip() for e in raw.split(",") if e.strip()), 1):
        name, sep, key = entry.partition(":")
        if not sep:
            name, key = f"key-{n}", entry
        name, key = name.strip(), key.strip()
        if not name or not key:
            raise ConfigurationError(f"CLAIMLENS_API_KEYS entry {n} must be name:key or key, with neither part empty")
        if name in names.values():
            raise ConfigurationError(f"CLAIMLENS_API_KEYS names {name!r} twice")
        keys.append(key)
        names[key] = name
    return tuple(keys), names
