"""The claimlens exception tree.

    ClaimlensError
    ├── ConfigurationError   a parameter or setting has a bad value
    ├── LabelSchemaError     labels that the schema does not allow
    ├── ModelLoadError       a model directory that is missing, tampered with or incompatible
    ├── BadInputError        input text or training data that cannot be used
    └── NotReadyError        the model is used before it was fitted or loaded
                             (also scikit-learn's NotFittedError)
"""
from __future__ import annotations

from sklearn.exceptions import NotFittedError

__all__ = [
    "ClaimlensError", "ConfigurationError", "LabelSchemaError", "ModelLoadError",
    "BadInputError", "NotReadyError",
]


class ClaimlensError(Exception):
    """Base class of every error claimlens raises on purpose."""

    code = "claimlens_error"

    def __init__(self, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class ConfigurationError(ClaimlensError):
    """A parameter or setting has a value claimlens cannot use."""

    code = "configuration_error"


class LabelSchemaError(ClaimlensError):
    """Labels that the label schema does not allow."""

    code = "label_schema_error"


class ModelLoadError(ClaimlensError):
    """A model directory that is missing, tampered with or incompatible."""

    code = "model_load_error"


class BadInputError(ClaimlensError):
    """Input text or training data that cannot be used."""

    code = "bad_input"


class NotReadyError(ClaimlensError, NotFittedError):
    """The model was used before it was fitted or loaded."""

    code = "not_ready"
