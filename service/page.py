"""The review page: paste a buyer message, see labels, scores and highlighted evidence."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("page", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


@bp.get("/")
def index():
    return render_template("index.html")


@bp.get("/cases")
def cases():
    return render_template("cases.html")


@bp.after_app_request
def security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
    return response
