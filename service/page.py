"""The pages: the main page (predict, see the evidence, correct it), the review queue and case analysis."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("page", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _render(template: str):
    schema = current_schema()
    return render_template(template, labels=list(schema.labels), exclusive=schema.exclusive)


def current_schema():
    """The loaded model's label schema, else (no model yet) the bundled taxonomy."""
    holder = current_app.config["CLAIMLENS_HOLDER"]
    if holder.ready:
        return holder.current.estimator.schema_
    from claimlens.model.schema import bundled_schema

    return bundled_schema()


@bp.get("/")
def index():
    return _render("index.html")


@bp.get("/cases")
def cases():
    return _render("cases.html")


@bp.get("/review")
def review():
    """The review queue page (it asks /v1/review for the items); label names in English and Chinese."""
    schema = current_schema()
    names = {l: {"en": schema.name(l, "en"), "zh": schema.name(l, "zh")} for l in schema.labels}
    return render_template("review.html", labels=list(schema.labels), exclusive=schema.exclusive, names=names)


@bp.after_app_request
def security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
    return response
