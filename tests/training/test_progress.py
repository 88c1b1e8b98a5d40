"""Training progress: a line per fit off a terminal, with counts, elapsed time and an ETA."""
import io
import re

from claimlens.training.progress import TrainingProgress, clock


def test_a_line_per_fit_with_an_eta_from_the_fits_done():
    lines = []
    progress = TrainingProgress([300, 300, 400], log=lines.append, stream=io.StringIO(), live=False)
    assert progress.eta() is None
    with progress.fit("fold 1/2", 300):
        pass
    with progress.fit("fold 2/2", 300):
        pass
    assert progress.eta() is not None and progress.eta() >= 0
    with progress.fit("final model", 400):
        pass
    assert lines[0] == "[fit 1/3: fold 1/2] elapsed 0:00"
    assert re.fullmatch(r"fold 1/2: 300 texts fitted in \d+\.\ds \(1/3 fits, elapsed 0:00, ETA 0:00\)|"
                        r"fold 1/2: 300 texts fitted in \d+\.\ds \(1/3 fits, elapsed 0:00\)", lines[1])
    assert lines[-1].startswith("final model: 400 texts fitted in ") and "(3/3 fits" in lines[-1]
    assert "ETA" not in lines[-1]  # nothing left
    assert len(lines) == 6


def test_eta_scales_with_the_texts_left():
    progress = TrainingProgress([100, 300], log=lambda m: None, live=False)
    progress.fitted_size, progress.fitted_seconds, progress.done = 100, 10.0, 1
    assert progress.eta() == 30.0


def test_live_line_is_rewritten_in_place_and_cleared():
    stream = io.StringIO()
    progress = TrainingProgress([10], log=lambda m: None, stream=stream, live=True)
    progress._fit_start = progress.start
    progress._current = "final model"
    assert progress.line(progress.start + 65) == "[fit 1/1: final model] elapsed 1:05"
    with progress.fit("final model", 10):
        pass
    assert stream.getvalue().endswith("\r\x1b[K")


def test_clock():
    assert [clock(5), clock(65), clock(3725)] == ["0:05", "1:05", "1:02:05"]


def test_training_without_cross_validation_counts_one_fit(tmp_path):
    from claimlens.model.store import ModelStore
    from claimlens.training.train import train_and_save
    from tests.conftest import TINY
    from claimlens.model.schema import bundled_schema
    from claimlens.training.datasets import Example

    schema = bundled_schema()
    examples = [Example(text=t, labels=tuple(l), language=g) for t, l, g in TINY]
    lines = []
    train_and_save(examples, schema, ModelStore(tmp_path), cv_folds=0, log=lines.append, live=False)
    assert lines[0] == "[fit 1/1: final model] elapsed 0:00"
    assert lines[1].startswith(f"final model: {len(TINY)} texts fitted in ")
