"""The /v1 JSON API: predict, batch predict, labels, model, admin reload."""
from __future__ import annotations

import hmac

from flask import Blueprint, current_app, g, jsonify, request

from claimlens.service import metrics
from claimlens.service.errors import ServiceError
from claimlens.service.validation import parse_batch, parse_predict

bp = Blueprint("api", __name__, url_prefix="/v1")


def _settings():
    return current_app.config["CLAIMLENS_SETTINGS"]


def _holder():
    return current_app.config["CLAIMLENS_HOLDER"]


def _key_ok(given: str | None, keys) -> bool:
    # compare against every key so the time taken does not say which one nearly matched
    ok = False
    for key in keys:
        ok |= hmac.compare_digest((given or "").encode(), key.encode())
    return ok


# Routes that read no body: a POST to them needs no Content-Type (curl -X POST with no data works).
NO_BODY = {"api.reload"}


@bp.before_app_request
def _guard():
    if not request.path.startswith("/v1/") or request.routing_exception is not None:
        return None  # 404 and 405 come before keys: they say nothing a key would protect
    settings = _settings()
    if request.path.startswith("/v1/admin/"):
        if not settings.admin_key:
            raise ServiceError(403, "the admin API is disabled: set CLAIMLENS_ADMIN_KEY to enable it")
        if not _key_ok(request.headers.get("X-API-Key"), [settings.admin_key]):
            raise ServiceError(401, "missing or wrong admin key in X-API-Key")
    elif settings.api_keys and not _key_ok(request.headers.get("X-API-Key"), settings.api_keys):
        raise ServiceError(401, "missing or wrong API key in X-API-Key")
    if request.method == "POST" and request.endpoint not in NO_BODY:
        g.body = _json_body()
    _holder().sync()


def _json_body():
    if not request.is_json:
        raise ServiceError(415, "send a JSON body with Content-Type: application/json",
                           {"content_type": request.content_type})
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # Python's parser recurses once per level; the limit is about 1,000
        raise ServiceError(400, "the body nests JSON arrays or objects too deeply to be read") from None
    if body is None and request.get_data(cache=True) != b"null":
        raise ServiceError(400, "the body is not valid JSON (UTF-8)")
    return body


def _records(items, explain: bool):
    loaded = _holder().current  # one model for the whole request, whatever a reload does meanwhile
    preds = loaded.estimator.predict_explained([it.text for it in items], explain=explain)
    version = loaded.version
    for p in preds:
        for label in p.labels:
            metrics.PREDICTIONS.labels(label).inc()
    return [p.to_record(it.id, version, explain) for it, p in zip(items, preds)]


@bp.post("/predict")
def predict():
    item, explain = parse_predict(g.body, _settings().max_text_chars)
    return jsonify(_records([item], explain)[0])


@bp.post("/predict/batch")
def predict_batch():
    items, explain = parse_batch(g.body, _settings().max_text_chars, _settings().max_batch)
    return jsonify({"results": _records(items, explain)})


@bp.get("/labels")
def labels():
    return jsonify(_holder().current.estimator.schema_.to_dict())


@bp.get("/model")
def model_info():
    return jsonify(_holder().current.manifest)


@bp.post("/admin/reload")
def reload():
    old = _holder().current.version if _holder().ready else None
    loaded = _holder().reload()  # ModelLoadError → 409; this and every other worker keep the old model
    return jsonify({"previous": old, "model": loaded.version})
