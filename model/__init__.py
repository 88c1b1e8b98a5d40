"""The claimlens model: one data path from raw buyer text to labels, scores and evidence spans."""
from model.errors import BadInputError, ClaimlensError, ModelLoadError, NotReadyError
from model.estimator import ClaimClassifier
from model.persistence import load_model, save_model
from model.prediction import EvidenceSpan, Prediction

__all__ = ["ClaimClassifier", "Prediction", "EvidenceSpan", "load_model", "save_model",
           "ClaimlensError", "BadInputError", "ModelLoadError", "NotReadyError"]
