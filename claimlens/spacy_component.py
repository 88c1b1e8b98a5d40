"""A spaCy pipeline component: `nlp.add_pipe("claimlens", config={"model": ...})`.

It sets `doc.cats` to the calibrated score of every label and `doc.spans["claimlens"]` to the
evidence spans, labelled with their label, so `displacy.render(doc, style="span",
options={"spans_key": "claimlens"})` draws the buyer's words that justify each label. It works on
any pipeline of the seven languages, blank or trained: the classifier reads `doc.text` with its own
tokeniser, and spans are aligned to the pipeline's tokens (widened to whole tokens where the two
tokenisers cut differently). Registered through the `spacy_factories` entry point, so spaCy finds
it without an import.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch


@Language.factory("claimlens", default_config={"model": None, "spans_key": "claimlens", "batch_size": 256})
def make_claimlens(nlp: Language, name: str, model: str | None, spans_key: str, batch_size: int):
    """model: a model directory, or None for the current model (see claimlens.load)."""
    return ClaimlensComponent(name, model, spans_key, batch_size)


class ClaimlensComponent:
    def __init__(self, name: str, model: str | None, spans_key: str = "claimlens", batch_size: int = 256) -> None:
        from claimlens.classifier import load

        self.name = name
        self.spans_key = spans_key
        self.batch_size = batch_size
        self.classifier = load(model)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc], batch_size=1)))

    def pipe(self, stream: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Label the docs a batch at a time: one classifier call per batch."""
        for docs in minibatch(stream, size=batch_size or self.batch_size):
            preds = self.classifier.estimator.predict_explained([doc.text for doc in docs], explain=True)
            for doc, pred in zip(docs, preds):
                yield self._annotate(doc, pred)

    def _annotate(self, doc: Doc, pred) -> Doc:
        doc.cats = dict(pred.scores)
        spans = []
        for ev in pred.evidence:
            span = doc.char_span(ev.start, ev.end, label=ev.label, alignment_mode="expand")
            if span is not None:  # None only for a span of whitespace between tokens
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc
