"""Operations routes: liveness, readiness, Prometheus metrics, the OpenAPI description."""
from __future__ import annotations

import os

from flask import Blueprint, Response, current_app, jsonify

from claimlens.service import metrics
from claimlens.service.errors import error_response
from claimlens.service.openapi import openapi_document
from claimlens.service.page import current_schema

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    holder = current_app.config["CLAIMLENS_HOLDER"]
    if not holder.ready:
        return error_response(503, "not_ready", "no model is loaded yet")
    holder.sync()
    loaded = holder.current
    loaded.estimator.predict_explained(["ready?"], explain=False)  # loaded *and* answering
    # which process answered and with what, so a caller can check every worker
    return jsonify({"status": "ready", "model": loaded.version, "worker": os.getpid(),
                    "follow_error": holder.follow_error})


@bp.get("/metrics")
def prometheus():
    return Response(metrics.exposition(), mimetype="text/plain; version=0.0.4")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app.config["CLAIMLENS_SETTINGS"], current_schema()))
