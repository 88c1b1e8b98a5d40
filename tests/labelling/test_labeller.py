import gc

import pytest

from claimlens.labelling.labeller import ChunkLabeller, _collector_paused
from claimlens.labelling.rows import LabelRow
from claimlens.labelling.summary import Tally


def test_the_collector_is_paused_inside_and_restored_after_even_on_an_error():
    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), _collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_a_chunk_is_labelled_with_the_collector_paused(tiny_model, tmp_path, monkeypatch):
    seen = []
    predict = tiny_model.predict_explained

    def spy(texts, explain=True):
        seen.append(gc.isenabled())
        return predict(texts, explain=explain)

    monkeypatch.setattr(tiny_model, "predict_explained", spy)
    from claimlens.labelling.sinks import Sink
    from claimlens.labelling.workdir import WorkDir

    workdir = WorkDir(tmp_path / "out.jsonl")
    workdir.start({"test": 1}, False)
    sink = Sink("jsonl", list(tiny_model.classes_), (), False, False)
    rows = [LabelRow(i + 1, str(i), t, {}, None, None) for i, t in enumerate(["never arrived", "thanks"])]
    assert ChunkLabeller(tiny_model, "v1", False).run_chunk(workdir, sink, (0, 0), rows, None) == 2
    assert seen == [False] and gc.isenabled()
