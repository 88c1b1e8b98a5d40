"""The OpenAPI 3.1 description of the service (tests keep it in step with the routes)."""
from __future__ import annotations

from claimlens.service.cases import case_schemas
from claimlens.service.validation import NOT_BLANK
from claimlens.service.feedback import openapi_paths, openapi_schemas

def _json(schema_ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": schema_ref}}}}


ERRORS = {"400": _json("#/components/schemas/Error", "malformed JSON (not UTF-8, not JSON, nested too deeply)"),
          "401": _json("#/components/schemas/Error", "missing or wrong API key"),
          "413": _json("#/components/schemas/Error", "body too large"),
          "415": _json("#/components/schemas/Error", "not a JSON body"),
          "422": _json("#/components/schemas/Error", "a field is missing, empty, too long or of the wrong type"),
          "503": _json("#/components/schemas/Error", "no model loaded")}


def openapi_document(settings, schema) -> dict:
    """The document for these settings (limits) and the loaded model's label schema."""
    labels = list(schema.labels)
    max_chars = settings.max_text_chars
    item_id = {"type": ["string", "integer", "null"], "maxLength": 200}  # null: none given
    text = {"type": "string", "minLength": 1, "maxLength": max_chars, "pattern": NOT_BLANK}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "claimlens", "version": "1",
                 "description": "Labels buyer claims and messages with reasons and the buyer's words as evidence."},
        "paths": {
            "/v1/predict": {"post": {
                "summary": "Label one text",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": False, "required": ["text"],
                    "properties": {"text": text, "id": item_id, "explain": {"type": "boolean", "default": True}}}}}},
                "responses": {"200": _json("#/components/schemas/Record", "the labelled text"), **ERRORS}}},
            "/v1/predict/batch": {"post": {
                "summary": f"Label up to {settings.max_batch} texts, results in input order",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": False, "required": ["items"],
                    "properties": {
                        "items": {"type": "array", "minItems": 1, "maxItems": settings.max_batch, "items": {
                            "type": "object", "additionalProperties": False, "required": ["text"],
                            "properties": {"text": text, "id": item_id}}},
                        "explain": {"type": "boolean", "default": True}}}}}},
                "responses": {"200": {"description": "one record per item", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"results": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Record"}}}}}}}, **ERRORS}}},
            "/v1/cases/analyze": {"post": {
                "summary": "Analyse one case: timeline, findings, response drafts",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Case"}}}},
                "responses": {"200": _json("#/components/schemas/CaseAnalysis", "the analysis"), **ERRORS}}},
            "/v1/labels": {"get": {"summary": "The label taxonomy", "responses": {
                "200": {"description": "labels with descriptions", "content": {"application/json": {"schema": {
                    "type": "object"}}}}, "503": ERRORS["503"]}}},
            "/v1/model": {"get": {"summary": "Manifest and metrics of the loaded model", "responses": {
                "200": {"description": "the manifest", "content": {"application/json": {"schema": {"type": "object"}}}},
                "503": ERRORS["503"]}}},
            "/v1/admin/reload": {"post": {
                "summary": "Load and verify the store's current model version (promoted, else newest), then swap it in",
                "responses": {"200": {"description": "swapped", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"previous": {"type": ["string", "null"]},
                                                     "model": {"type": "string"}}}}}},
                              "401": ERRORS["401"], "403": _json("#/components/schemas/Error", "admin API disabled"),
                              "409": _json("#/components/schemas/Error", "the new model failed to load or verify")}}},
            "/healthz": {"get": {"summary": "Process alive", "responses": {"200": {"description": "alive"}}}},
            "/readyz": {"get": {"summary": "Model loaded and answering", "responses": {
                "200": {"description": "ready: the model and the worker process that answered", "content": {
                    "application/json": {"schema": {
                        "type": "object", "required": ["status", "model", "worker", "follow_error"],
                        "properties": {"status": {"const": "ready"}, "model": {"type": "string"},
                                       "worker": {"type": "integer"},
                                       "follow_error": {"type": ["string", "null"],
                                                        "description": "why this worker could not follow the "
                                                                       "last reload (it keeps its model)"}}}}}},
                "503": ERRORS["503"]}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {
                "200": {"description": "text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
            "/cases": {"get": {"summary": "The case page: timeline, findings, drafts", "responses": {
                "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
            "/": {"get": {"summary": "The main page: predict, see the evidence, correct it", "responses": {
                "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
            **openapi_paths(settings, ERRORS),  # /v1/feedback, /v1/review, /review
        },
        "components": {
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "request_id"], "properties": {
                    "error": {"type": "object", "required": ["code", "message", "details"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}},
                    "request_id": {"type": ["string", "null"]}}},
                **case_schemas(settings),  # Case, Finding, Assessment, CaseAnalysis
                **openapi_schemas(settings, schema),  # FeedbackIn, Feedback, Review*
                "Evidence": {"type": "object", "properties": {
                    "label": {"enum": labels}, "start": {"type": "integer"}, "end": {"type": "integer"},
                    "text": {"type": "string"}, "weight": {"type": "number"}}},
                "Record": {"type": "object", "required": ["id", "labels", "scores", "confidence", "language", "model"],
                           "properties": {
                               "id": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
                               "labels": {"type": "array", "items": {"enum": labels}},
                               "scores": {"type": "object", "additionalProperties": {"type": "number"}},
                               "confidence": {"enum": ["high", "medium", "low"]},
                               "language": {"enum": ["en", "zh", "de", "fr", "es", "it", "ja", "und"]},
                               "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                               "unlocated": {"type": "object", "additionalProperties": {"type": "number"}},
                               "model": {"type": "string"}}},
            },
        },
    }
    for path, operations in doc["paths"].items():  # which routes need X-API-Key under these settings
        if path.startswith("/v1/admin/") or (settings.api_keys and path.startswith("/v1/")):
            for operation in operations.values():
                operation["security"] = [{"apiKey": []}]
    return doc
