"""The claimlens model: one data path from raw buyer text to labels, scores and evidence spans."""
from claimlens.model.errors import BadInputError, ClaimlensError, ModelLoadError, NotReadyError
from claimlens.model.estimator import ClaimClassifier
from claimlens.model.persistence import load_model, save_model
from claimlens.model.prediction import EvidenceSpan, Prediction

__all__ = ["ClaimClassifier", "Prediction", "EvidenceSpan", "load_model", "save_model",
           "ClaimlensError", "BadInputError", "ModelLoadError", "NotReadyError"]
