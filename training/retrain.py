"""Champion/challenger retraining on the seller's corrections: promote only what is measurably better.

1. The champion is the registry's current model.
2. The corrections (the newest of each text) are ordered by time; the most recent HOLDOUT_SHARE
   (20 %) are held out, and the challenger trains on the seed texts plus the older ones
   (training/adapt.py says how).
3. Champion and challenger label the held-out corrections: one evaluation report each.
4. Seed guard: the challenger's training procedure is cross-validated on the seed texts (each
   seed fold predicted by a model trained on the other folds plus the corrections), against the
   champion's figure for the same folds (recorded in its manifest when it was a challenger;
   otherwise the seed-only procedure that builds the default model stands in).
5. `auto` promotes when the challenger's held-out macro F1 beats the champion's by at least
   MIN_GAIN, its seed cross-validation macro F1 is at most MAX_SEED_DROP below the champion's,
   and at least MIN_HELDOUT texts were held out; `never` and `force` decide without asking.

The challenger is saved as a new version whatever the decision (`claimlens models promote` can
still take it); what is promoted is exactly the model that was measured.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from claimlens.files.durable import write_text
from claimlens.model.folds import stratified_folds
from claimlens.model.errors import BadInputError
from claimlens.model.persistence import load_model, save_model
from claimlens.model.schema import LabelSchema
from claimlens.model.store import ModelStore
from claimlens.training.adapt import feedback_weight, train_challenger
from claimlens.training.datasets import Example, data_hash
from claimlens.training.metrics import evaluate_predictions, indicator, markdown

PROMOTE_MODES = ("auto", "never", "force")


@dataclass(frozen=True)
class Policy:
    holdout_share: float = 0.2    # the most recent corrections held out for the comparison
    min_gain: float = 0.02        # held-out macro F1 the challenger must gain
    max_seed_drop: float = 0.01   # seed cross-validation macro F1 it may lose
    min_heldout: int = 10         # fewer held-out texts than this decide nothing
    seed_cv_folds: int = 3        # 0 skips the seed guard (auto then never promotes)


@dataclass(frozen=True)
class Outcome:
    version: str
    directory: Path
    promoted: bool
    decision: dict
    report_dir: Path


def split_by_time(examples: list[Example], share: float) -> tuple[list[Example], list[Example]]:
    """(older, most recent `share`) of examples ordered oldest first; at least one held out."""
    n_held = min(len(examples) - 1, max(1, math.ceil(share * len(examples))))
    return examples[:len(examples) - n_held], examples[len(examples) - n_held:]


def seed_cross_validation(seed_examples: list[Example], feedback: list[Example], schema: LabelSchema,
                          folds: int, seed: int) -> dict:
    """Each seed fold labelled by a challenger trained on the other folds plus `feedback`."""
    reasons = [k for k, c in enumerate(schema.labels) if c != schema.exclusive]
    Y = indicator([e.labels for e in seed_examples], list(schema.labels))
    preds = [None] * len(seed_examples)
    for train, test in stratified_folds(Y[:, reasons], [e.language or "?" for e in seed_examples], folds, seed):
        model = train_challenger([seed_examples[i] for i in train], feedback, schema, seed)
        for i, p in zip(test, model.predict_explained([seed_examples[i].text for i in test], explain=False)):
            preds[i] = p
    report = evaluate_predictions(seed_examples, preds, schema)
    return {"folds": folds, "seed": seed, "seed_sha256": data_hash(seed_examples), "macro_f1": report["macro_f1"],
            "micro_f1": report["micro_f1"]}


def decide(mode: str, champion: dict, challenger: dict, champion_seed: dict | None,
           challenger_seed: dict | None, policy: Policy) -> dict:
    """The promotion decision and every reason for it (figures are held-out and seed-CV macro F1)."""
    if mode not in PROMOTE_MODES:
        raise BadInputError(f"--promote must be one of {', '.join(PROMOTE_MODES)}, got {mode!r}")
    gain = round(challenger["macro_f1"] - champion["macro_f1"], 4)
    checks = {"heldout_texts": challenger["n"] >= policy.min_heldout,
              "heldout_gain": gain >= policy.min_gain}
    reasons = []
    if not checks["heldout_texts"]:
        reasons.append(f"only {challenger['n']} held-out texts (at least {policy.min_heldout} decide)")
    reasons.append(f"held-out macro F1 {champion['macro_f1']:.4f} → {challenger['macro_f1']:.4f} "
                   f"({gain:+.4f}; needs {policy.min_gain:+.4f})")
    drop = None
    if champion_seed is None or challenger_seed is None:
        checks["seed_guard"] = False
        reasons.append("seed cross-validation skipped, so the seed guard cannot pass")
    else:
        drop = round(champion_seed["macro_f1"] - challenger_seed["macro_f1"], 4)
        checks["seed_guard"] = drop <= policy.max_seed_drop
        reasons.append(f"seed cross-validation macro F1 {champion_seed['macro_f1']:.4f} → "
                       f"{challenger_seed['macro_f1']:.4f} ({-drop:+.4f}; may fall at most {policy.max_seed_drop:.4f})")
    passed = all(checks.values())
    promote = mode == "force" or (mode == "auto" and passed)
    return {"mode": mode, "promote": promote, "checks_passed": passed, "checks": checks,
            "heldout_gain": gain, "seed_drop": drop, "reasons": reasons, "policy": asdict(policy)}


def comparison_markdown(champion: tuple[str, dict], challenger: tuple[str, dict], decision: dict,
                        seeds: tuple[dict | None, dict | None]) -> str:
    """Both held-out reports side by side, the seed guard and the decision."""
    (a_name, a), (b_name, b) = champion, challenger
    lines = [f"# Retrain: champion {a_name} vs challenger {b_name}", "",
             f"Held out: the {b['n']} most recent corrections. Decision (`--promote {decision['mode']}`): "
             f"**{'promoted' if decision['promote'] else 'not promoted'}**.", ""]
    lines += [f"- {r}" for r in decision["reasons"]]
    lines += ["", "| figure | champion | challenger |", "|---|---|---|"]
    for key in ("macro_f1", "micro_f1", "exact_match", "calibration_error"):
        lines.append(f"| held-out {key.replace('_', ' ')} | {a[key]} | {b[key]} |")
    for label in b["per_label"]:
        lines.append(f"| {label} F1 (support {b['per_label'][label]['support']}) | "
                     f"{a['per_label'][label]['f1']:.3f} | {b['per_label'][label]['f1']:.3f} |")
    if all(seeds):
        lines.append(f"| seed cross-validation macro F1 ({seeds[1]['folds']} folds) | {seeds[0]['macro_f1']} | "
                     f"{seeds[1]['macro_f1']} |")
    return "\n".join(lines) + "\n"


def retrain(store: ModelStore, feedback: list[Example], seed_examples: list[Example], schema: LabelSchema,
            mode: str = "auto", policy: Policy = Policy(), seed: int = 0, key: bytes | None = None,
            report_dir: Path | None = None, log=print) -> Outcome:
    """Train, compare, save the challenger and promote it if the policy (or `mode`) says so.

    feedback: the corrections, oldest first (FeedbackStore.training_examples).
    """
    if mode not in PROMOTE_MODES:
        raise BadInputError(f"--promote must be one of {', '.join(PROMOTE_MODES)}, got {mode!r}")
    if len(feedback) < 2:
        raise BadInputError(f"retraining needs at least 2 corrections in the feedback store; it has {len(feedback)}")
    champion_dir = store.current()
    if champion_dir is None:
        raise BadInputError(f"no model in {store.root} to compare with: run any command once to build the default")
    champion, champion_manifest = load_model(champion_dir, key)
    train_fb, held = split_by_time(feedback, policy.holdout_share)
    log(f"champion {champion_dir.name}; {len(train_fb)} corrections to train on, {len(held)} most recent held out")

    t0 = time.perf_counter()
    challenger = train_challenger(seed_examples, train_fb, schema, seed)
    fit_seconds = time.perf_counter() - t0
    log(f"challenger trained in {fit_seconds:.1f}s")
    texts = [e.text for e in held]
    reports = {"champion": evaluate_predictions(held, champion.predict_explained(texts), champion.schema_),
               "challenger": evaluate_predictions(held, challenger.predict_explained(texts), challenger.schema_)}

    champion_seed = challenger_seed = None
    if policy.seed_cv_folds >= 2:
        t0 = time.perf_counter()
        challenger_seed = seed_cross_validation(seed_examples, train_fb, schema, policy.seed_cv_folds, seed)
        recorded = champion_manifest.get("metrics", {}).get("seed_cv")
        same = {k: challenger_seed[k] for k in ("folds", "seed", "seed_sha256")}
        if isinstance(recorded, dict) and all(recorded.get(k) == v for k, v in same.items()):
            champion_seed = recorded
        else:  # a champion that never was a challenger: the seed-only procedure (the default model's)
            champion_seed = seed_cross_validation(seed_examples, [], schema, policy.seed_cv_folds, seed)
        log(f"seed cross-validation ({policy.seed_cv_folds} folds) in {time.perf_counter() - t0:.1f}s")

    decision = decide(mode, reports["champion"], reports["challenger"], champion_seed, challenger_seed, policy)
    digest = data_hash(list(seed_examples) + train_fb)
    if not store.history():  # until a first promotion the newest version is current: pin the champion,
        store.promote(champion_dir.name, action="retrain: champion pinned")  # or a refused challenger takes over
    version, directory = store.new_version(digest)
    comparison = comparison_markdown((champion_manifest["model_version"], reports["champion"]),
                                     (version, reports["challenger"]), decision, (champion_seed, challenger_seed))
    decision = {**decision, "champion": champion_manifest["model_version"], "challenger": version}
    save_model(challenger, directory, version, key=key, files={
        "evaluation.json": json.dumps(reports["challenger"], indent=2, ensure_ascii=False) + "\n",
        "evaluation.md": markdown(reports["challenger"], f"Challenger {version} on {len(held)} held-out corrections"),
        "retrain.md": comparison,
    }, extra={
        "training_data_sha256": digest,
        "training": {"examples": len(seed_examples) + len(train_fb), "sources": ["seed", "feedback"],
                     "seed": seed, "fit_seconds": round(fit_seconds, 2), "feedback": len(train_fb),
                     "feedback_weight": round(feedback_weight(len(seed_examples), len(train_fb)), 4)},
        "metrics": {"heldout": {"n": len(held), "macro_f1": reports["challenger"]["macro_f1"],
                                "champion_macro_f1": reports["champion"]["macro_f1"]},
                    "seed_cv": challenger_seed},
        "retrain": {k: decision[k] for k in ("mode", "promote", "checks", "reasons", "champion")},
    })
    report_dir = Path(report_dir) if report_dir else store.root / "reports" / version
    for name, report in reports.items():
        title = f"{name.capitalize()} {decision[name]} on {len(held)} held-out corrections"
        write_text(report_dir / name / "evaluation.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        write_text(report_dir / name / "evaluation.md", markdown(report, title))
    write_text(report_dir / "comparison.md", comparison)
    write_text(report_dir / "decision.json", json.dumps(decision, indent=2) + "\n")
    if decision["promote"]:
        store.promote(version, action=f"retrain --promote {mode}")
    return Outcome(version, directory, decision["promote"], decision, report_dir)
