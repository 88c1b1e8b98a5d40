"""POST /v1/cases/analyze: one case in, timeline + findings + drafts out."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from claimlens.cases import analyze_case, parse_case

bp = Blueprint("cases", __name__, url_prefix="/v1")


@bp.post("/cases/analyze")
def analyze():
    holder = current_app.config["CLAIMLENS_HOLDER"]
    case = parse_case(g.body)  # BadInputError → 422 naming the field
    loaded = holder.current
    return jsonify(analyze_case(loaded.estimator, loaded.manifest["model_version"], case))
