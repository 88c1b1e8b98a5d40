"""Evaluation figures from gold examples and predictions: F1s, calibration, evidence hits, errors."""
from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from claimlens.model.prediction import Prediction
from claimlens.model.schema import LabelSchema
from claimlens.training.datasets import Example


def indicator(label_sets, classes: list[str]) -> np.ndarray:
    out = np.zeros((len(label_sets), len(classes)), dtype=int)
    for i, labels in enumerate(label_sets):
        for l in labels:
            out[i, classes.index(l)] = 1
    return out


def prf(Y: np.ndarray, P: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp = (Y & P).sum(0)
    precision = np.divide(tp, P.sum(0), out=np.zeros(Y.shape[1]), where=P.sum(0) > 0)
    recall = np.divide(tp, Y.sum(0), out=np.zeros(Y.shape[1]), where=Y.sum(0) > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(Y.shape[1]),
                   where=(precision + recall) > 0)
    return precision, recall, f1


def macro_f1(Y: np.ndarray, P: np.ndarray) -> float:
    """Mean F1 over the labels that occur in the gold or the predictions."""
    present = (Y.sum(0) + P.sum(0)) > 0
    return float(prf(Y, P)[2][present].mean()) if present.any() else 0.0


def calibration_error(Y: np.ndarray, S: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over every (text, reason label) score, equal-width bins."""
    y, s = Y.ravel(), S.ravel()
    idx = np.minimum((s * bins).astype(int), bins - 1)
    err = 0.0
    for b in range(bins):
        sel = idx == b
        if sel.any():
            err += sel.sum() / len(s) * abs(y[sel].mean() - s[sel].mean())
    return float(err)


def evidence_hit(top: tuple[int, int], gold: list[tuple[int, int]]) -> bool:
    """The top span overlaps a gold span and is at most twice its length (or 10 chars) longer."""
    s, e = top
    for gs, ge in gold:
        glen = ge - gs
        if s < ge and gs < e and (e - s) <= max(2 * glen, glen + 10):
            return True
    return False


def evaluate_predictions(examples: list[Example], preds: list[Prediction], schema: LabelSchema,
                         worst: int = 10) -> dict:
    """Figures of predictions against gold examples, over the labels of the model's schema."""
    classes = list(schema.labels)
    reasons = list(schema.reason_labels)
    Y = indicator([ex.labels for ex in examples], classes)
    P = indicator([p.labels for p in preds], classes)
    S = np.array([[p.scores[c] for c in reasons] for p in preds])
    precision, recall, f1 = prf(Y, P)
    tp_all = int((Y & P).sum())
    micro = 2 * tp_all / max(1, int(Y.sum() + P.sum()))
    by_lang = defaultdict(list)
    for i, ex in enumerate(examples):
        by_lang[ex.language or "?"].append(i)
    hits = tries = 0
    for ex, p in zip(examples, preds):
        for label in set(ex.labels) & set(p.labels):
            gold = [(s, e) for l, s, e in ex.evidence if l == label]
            spans = [(e.start, e.end) for e in p.evidence if e.label == label]
            if gold and spans:
                tries += 1
                hits += evidence_hit(spans[0], gold)
            elif gold:
                tries += 1
    confused: Counter = Counter()
    for y, pr in zip(Y, P):
        for g in np.flatnonzero(y & ~pr):
            for q in np.flatnonzero(pr & ~y):
                confused[(classes[g], classes[q])] += 1
    loss = np.abs(Y[:, :len(classes)] - np.array([[p.scores[c] for c in classes] for p in preds])).sum(1)
    worst_rows = [
        {"source": examples[i].source, "id": examples[i].id, "text": examples[i].text[:300],
         "gold": list(examples[i].labels), "predicted": list(preds[i].labels),
         "scores": {k: round(v, 3) for k, v in preds[i].scores.items()}}
        for i in np.argsort(-loss)[:worst] if set(examples[i].labels) != set(preds[i].labels)]
    return {
        "n": len(examples),
        "per_label": {c: {"precision": round(float(precision[k]), 4), "recall": round(float(recall[k]), 4),
                          "f1": round(float(f1[k]), 4), "support": int(Y[:, k].sum())}
                      for k, c in enumerate(classes)},
        "micro_f1": round(micro, 4),
        "macro_f1": round(macro_f1(Y, P), 4),
        "macro_f1_by_language": {lang: {"n": len(ix), "macro_f1": round(macro_f1(Y[ix], P[ix]), 4)}
                                 for lang, ix in sorted(by_lang.items())},
        "exact_match": round(float((Y == P).all(1).mean()), 4),
        "confidence_bands": _bands(preds, (Y == P).all(1)),
        "calibration_error": round(calibration_error(Y[:, [classes.index(c) for c in reasons]], S), 4),
        "evidence_hit_rate": round(hits / tries, 4) if tries else None,
        "evidence_checked": tries,
        "confused_pairs": [{"gold": g, "predicted": q, "count": n} for (g, q), n in confused.most_common(10)],
        "worst_errors": worst_rows,
    }


def _bands(preds: list[Prediction], right: np.ndarray) -> dict:
    """Per confidence band: how many texts got it and how many of those had the whole label set right."""
    out = {}
    for band in ("high", "medium", "low"):
        ix = [i for i, p in enumerate(preds) if p.confidence == band]
        out[band] = {"n": len(ix), "exact_match": round(float(right[ix].mean()), 4) if ix else None}
    return out


def markdown(report: dict, title: str) -> str:
    lines = [f"# {title}", "", f"{report['n']} texts. Macro F1 **{report['macro_f1']}**, micro F1 "
             f"{report['micro_f1']}, exact match {report['exact_match']}, calibration error (ECE) "
             f"{report['calibration_error']}, evidence hit rate {report['evidence_hit_rate']} "
             f"({report['evidence_checked']} label spans checked).", "",
             "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, m in report["per_label"].items():
        lines.append(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    lines += ["", "| confidence band | texts | whole label set right |", "|---|---|---|"]
    for band, m in report["confidence_bands"].items():
        lines.append(f"| {band} | {m['n']} | {'-' if m['exact_match'] is None else m['exact_match']} |")
    lines += ["", "| language | texts | macro F1 |", "|---|---|---|"]
    for lang, m in report["macro_f1_by_language"].items():
        lines.append(f"| {lang} | {m['n']} | {m['macro_f1']:.3f} |")
    lines += ["", "Most confused (gold → predicted instead):", ""]
    lines += [f"- {c['gold']} → {c['predicted']}: {c['count']}" for c in report["confused_pairs"]] or ["- none"]
    lines += ["", "Worst errors:", ""]
    for w in report["worst_errors"]:
        text = w["text"].replace("\n", " ")[:160]
        lines.append(f"- `{w['source']}` gold {w['gold']} predicted {w['predicted']}: {text}")
    return "\n".join(lines) + "\n"
