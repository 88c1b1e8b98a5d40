"""The spaCy component on blank pipelines: doc.cats, doc.spans and displacy."""
import subprocess
import sys

import pytest
import spacy
from spacy import displacy

TEXTS = {
    "en": "I asked to cancel but you shipped it anyway",
    "zh": "买家说少了充电器，要求退款",
    "ja": "荷物がまだ届いていません",
}


@pytest.fixture(scope="module")
def pipelines(tiny_model_dir):
    out = {}
    for lang in TEXTS:
        nlp = spacy.blank(lang)
        nlp.add_pipe("claimlens", config={"model": str(tiny_model_dir)})
        out[lang] = nlp
    return out


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_cats_spans_and_displacy(pipelines, tiny_model_dir, lang):
    import claimlens

    nlp, text = pipelines[lang], TEXTS[lang]
    doc = nlp(text)
    record = claimlens.load(tiny_model_dir).explain(text)
    assert set(doc.cats) == set(record["scores"])
    assert {k for k, v in doc.cats.items() if v >= 0.5} <= set(record["labels"]) | {"other"}
    spans = doc.spans["claimlens"]
    assert {s.label_ for s in spans} == {e["label"] for e in record["evidence"]} and len(spans) > 0
    for span, ev in zip(spans, record["evidence"]):  # token-aligned, covering the character span
        assert span.start_char <= ev["start"] and ev["end"] <= span.end_char
    html = displacy.render(doc, style="span", options={"spans_key": "claimlens"})
    for span in spans:
        assert span.label_ in html and span[0].text in html


def test_pipe_labels_a_batch_in_one_call(pipelines, monkeypatch):
    component = pipelines["en"].get_pipe("claimlens")
    calls = []
    real = component.classifier.estimator.predict_explained
    monkeypatch.setattr(component.classifier.estimator, "predict_explained",
                        lambda texts, explain=True: calls.append(len(texts)) or real(texts, explain))
    docs = list(pipelines["en"].pipe(["my parcel never arrived"] * 5 + ["great product, thank you"]))
    assert calls == [6]
    assert [d.cats["not_received"] > d.cats["other"] for d in docs] == [True] * 5 + [False]


def test_found_through_the_entry_point_without_an_import(tiny_model_dir):
    code = ("import sys, spacy; nlp = spacy.blank('de'); "
            f"nlp.add_pipe('claimlens', config={{'model': {str(tiny_model_dir)!r}}}); "
            "doc = nlp('Das Paket ist nicht angekommen'); print(max(doc.cats, key=doc.cats.get))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "not_received"
