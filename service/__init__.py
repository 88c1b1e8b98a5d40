"""The claimlens HTTP service: a thin Flask skin over model/ (create_app is the factory)."""
from __future__ import annotations

from flask import Flask

from claimlens.service.settings import Settings


def create_app(settings: Settings | None = None, holder=None) -> Flask:
    """Build the app; loads the model now unless a ready `holder` is passed in."""
    from claimlens.service import api, cases, errors, feedback, metrics, ops, page, requestlog
    from claimlens.service.holder import ModelHolder

    settings = settings or Settings.from_env()
    app = Flask(__name__, static_folder=None)  # the page blueprint serves the static files
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.config["JSON_SORT_KEYS"] = False
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    if holder is None:
        holder = ModelHolder(settings.models_root, settings.model_dir, settings.runtime_dir, metrics.on_swap,
                             settings.model_key)
        holder.load()
    app.config["CLAIMLENS_SETTINGS"] = settings
    app.config["CLAIMLENS_HOLDER"] = holder
    requestlog.register(app)
    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(page.bp)
    feedback.init_app(app, settings)
    return app
