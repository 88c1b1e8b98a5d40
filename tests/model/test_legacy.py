"""Format-1 (pickle) models: refused by load_model, converted on request with identical outputs."""
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimlens.cli import main
from claimlens.model.errors import ModelLoadError
from claimlens.model.legacy import load_legacy
from claimlens.model.persistence import load_model

FORMAT1 = Path(__file__).resolve().parents[1] / "fixtures" / "format1-model"  # saved by the code of 45df84d


@pytest.fixture
def old_model(tmp_path):
    target = tmp_path / FORMAT1.name
    shutil.copytree(FORMAT1, target)
    return target


def test_converted_model_predicts_exactly_as_the_pickle_on_all_seed_texts(old_model):
    from claimlens.model.schema import bundled_schema
    from claimlens.training.datasets import load_seed
    from claimlens.training.paths import SEED_DIR

    texts = [e.text for e in load_seed(SEED_DIR, bundled_schema())]
    pickled, _ = load_legacy(old_model)
    before = pickled.predict_explained(texts)
    result = CliRunner().invoke(main, ["models", "convert", str(old_model)])
    assert result.exit_code == 0, result.output
    converted, manifest = load_model(old_model)
    after = converted.predict_explained(texts)
    assert [p.labels for p in after] == [p.labels for p in before]
    assert [p.evidence for p in after] == [p.evidence for p in before]
    assert [p.confidence for p in after] == [p.confidence for p in before]
    worst = max(abs(a.scores[k] - b.scores[k]) for a, b in zip(after, before) for k in a.scores)
    assert worst <= 1e-9
    assert manifest["converted_from"]["format_version"] == 1
    assert (old_model.parent / f"{old_model.name}.format1" / "model.joblib").is_file()


def test_changed_pickle_is_not_converted(old_model):
    data = bytearray((old_model / "model.joblib").read_bytes())
    data[100] ^= 0xFF
    (old_model / "model.joblib").write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="refusing to unpickle a changed file"):
        load_legacy(old_model)


def test_predict_on_an_old_model_says_retrain_or_convert(old_model):
    result = CliRunner().invoke(main, ["predict", "--model", str(old_model), "hello"])
    assert result.exit_code == 2
    assert "old pickle format" in result.stderr and "claimlens models convert" in result.stderr
    assert "Traceback" not in result.output
