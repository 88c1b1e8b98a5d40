import shutil

import pytest

from claimlens.service import create_app
from claimlens.service.settings import Settings


@pytest.fixture
def models_root(tiny_model_dir, tmp_path):
    root = tmp_path / "models"
    root.mkdir()
    shutil.copytree(tiny_model_dir, root / tiny_model_dir.name)
    return root


@pytest.fixture
def make_app(models_root):
    def make(**overrides):
        settings = Settings(models_root=models_root, **overrides)
        app = create_app(settings)
        app.config["TESTING"] = True
        return app
    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seed_app(seed_model, tmp_path_factory):
    from claimlens.model.persistence import save_model

    root = tmp_path_factory.mktemp("seed-models")
    save_model(seed_model, root / "20260101T000000Z-00000000", "20260101T000000Z-00000000")
    return create_app(Settings(models_root=root))
