"""One JSON error body for every failure: {"error": {"code", "message", "details"}, "request_id"}."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify
from werkzeug.exceptions import HTTPException

from claimlens.model.errors import (BadInputError, ClaimlensError, ConfigurationError, LabelSchemaError,
                          ModelLoadError, NotReadyError)

log = logging.getLogger("claimlens.service")

STATUS = {BadInputError: 422, LabelSchemaError: 422, NotReadyError: 503, ModelLoadError: 409,
          ConfigurationError: 500}
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
              422: "bad_input", 429: "too_many_requests"}


class ServiceError(ClaimlensError):
    """An HTTP-level refusal with its own status (401, 403, 413, 415)."""

    def __init__(self, status: int, message: str, details: dict | None = None) -> None:
        super().__init__(message, details)
        self.status = status
        self.code = HTTP_CODES.get(status, "error")


def error_response(status: int, code: str, message: str, details: dict | None = None):
    body = {"error": {"code": code, "message": message, "details": details or {}},
            "request_id": g.get("request_id")}
    return jsonify(body), status


def register(app: Flask) -> None:
    @app.errorhandler(ClaimlensError)
    def _claimlens(exc: ClaimlensError):
        status = getattr(exc, "status", None) or next(
            (s for cls, s in STATUS.items() if isinstance(exc, cls)), 500)
        if status >= 500 and not isinstance(exc, NotReadyError):
            log.error("request failed: %s", exc.message)
        return error_response(status, exc.code, exc.message, exc.details)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        message = {404: "no such route", 405: "method not allowed on this route",
                   413: "request body too large"}.get(exc.code, exc.description)
        allowed = sorted(getattr(exc, "valid_methods", None) or ()) if exc.code == 405 else []
        response, status = error_response(exc.code or 500, HTTP_CODES.get(exc.code, "http_error"), message,
                                          {"allowed": allowed} if allowed else None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)  # RFC 9110 §15.5.6: a 405 must carry Allow
        return response, status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unexpected error")  # the traceback goes to the log, never to the client
        return error_response(500, "internal_error", "internal error; quote the request id when reporting it")
