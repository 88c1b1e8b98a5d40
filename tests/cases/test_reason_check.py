"""Return reason codes against the buyer's comment: each verdict, the cues in seven languages, and a
returns report labelled end to end (FBA layout, tab-separated, CR- codes) with the summary and report."""
import csv
import json

import pytest
from click.testing import CliRunner

from claimlens.cases.reason_check import AUTO, ReasonChecker, find_columns, normalise
from claimlens.cases.reason_cues import cues
from claimlens.model.schema import bundled_schema

CHECK = ReasonChecker(bundled_schema())


def span(label, start, end, text):
    return {"label": label, "start": start, "end": end, "text": text, "weight": 1.0}


@pytest.mark.parametrize("code, text, labels, evidence, expected", [
    ("DEFECTIVE", "Changed my mind.", ["other"], [],
     {"code": "DEFECTIVE", "consistent": False,
      "why": "DEFECTIVE blames the seller, but the buyer no longer wants or needs the item",
      "evidence": [{"start": 0, "end": 15, "text": "Changed my mind"}]}),
    ("cr-missing parts", "Works fine but the cable is missing.", ["missing_parts"],
     [span("missing_parts", 19, 35, "cable is missing")],
     {"code": "cr-missing parts", "consistent": True,
      "why": "the comment names the fault the code claims (Missing parts)",
      "evidence": [{"start": 19, "end": 35, "text": "cable is missing"}]}),
    ("MISSING_PARTS", "Works fine.", ["other"], [],  # "it works" says nothing about missing parts
     {"code": "MISSING_PARTS", "consistent": None, "why": "the comment says nothing either way", "evidence": []}),
    ("DEFECTIVE", "Works fine.", ["other"], [],
     {"code": "DEFECTIVE", "consistent": False, "why": "DEFECTIVE blames the seller, but the buyer says the item works",
      "evidence": [{"start": 0, "end": 10, "text": "Works fine"}]}),
    ("WRONG_ITEM", "Arrived broken.", ["damaged_defective"], [span("damaged_defective", 8, 14, "broken")],
     {"code": "WRONG_ITEM", "consistent": None, "why": "the comment names another fault (Damaged or defective), "
      "not Wrong item", "evidence": [{"start": 8, "end": 14, "text": "broken"}]}),
    ("UNWANTED_ITEM", "Changed my mind.", ["other"], [],
     {"code": "UNWANTED_ITEM", "consistent": None, "why": "UNWANTED_ITEM puts no cost on the seller", "evidence": []}),
    ("BROKEN_BOX", "Changed my mind.", ["other"], [],
     {"code": "BROKEN_BOX", "consistent": None, "why": "unknown return reason code 'BROKEN_BOX'", "evidence": []}),
    ("", "Changed my mind.", ["other"], [],
     {"code": None, "consistent": None, "why": "no return reason code", "evidence": []}),
])
def test_each_verdict(code, text, labels, evidence, expected):
    assert CHECK.check(code, text, labels, evidence) == expected


def test_codes_are_normalised():
    assert normalise(" cr-missing parts ") == ("MISSING_PARTS", True)
    assert normalise("DAMAGED_BY_CARRIER") == ("DAMAGED_BY_CARRIER", False)


@pytest.mark.parametrize("text, kinds", [
    ("Changed my mind, ordered by mistake and found it cheaper elsewhere; works perfectly.",
     ["changed_mind", "mistake", "cheaper", "works"]),
    ("不想要了，拍错了，别家更便宜，可以正常使用", ["changed_mind", "mistake", "cheaper", "works"]),
    ("Meinung geändert, versehentlich bestellt, woanders günstiger, funktioniert einwandfrei.",
     ["changed_mind", "mistake", "cheaper", "works"]),
    ("J'ai changé d'avis, commandé par erreur, trouvé moins cher, fonctionne parfaitement.",
     ["changed_mind", "mistake", "cheaper", "works"]),
    ("Cambié de opinión, lo pedí por error, encontré uno más barato, funciona perfectamente.",
     ["changed_mind", "mistake", "cheaper", "works"]),
    ("Ho cambiato idea, ordinato per errore, trovato a meno altrove, funziona perfettamente.",
     ["changed_mind", "mistake", "cheaper", "works"]),
    ("気が変わりました。間違えて注文しました。他店の方が安かった。正常に動作します。",
     ["changed_mind", "mistake", "cheaper", "works"]),
    # negations and faults are not cues
    ("It isn't working well and I don't like the colour.", []),
    ("不能正常使用，屏幕坏了", []),
    ("Funktioniert nicht gut.", []),
    ("Ne fonctionne pas bien.", []),
    ("No funciona bien.", []),
    ("Non funziona bene.", []),
    ("正常に動作しません。", []),
])
def test_cues_in_seven_languages(text, kinds):
    assert [c.kind for c in cues(text)] == kinds
    for c in cues(text):
        assert text[c.start:c.end] == c.text


def test_the_returns_report_layout_is_found():
    names = ["return-date", "order-id", "sku", "asin", "reason", "customer-comments"]
    assert find_columns(names, "customer-comments", AUTO, None, None) == ("reason", "sku", "return-date")
    assert find_columns(names, "customer-comments", AUTO, "asin", None) == ("reason", "asin", "return-date")
    assert find_columns(["text", "reason"], "text", AUTO, None, None) == (None, None, None)  # not a returns report
    assert find_columns(["text", "code"], "text", "code", None, None) == ("code", None, None)
    assert find_columns(None, "text", AUTO, None, None) == (None, None, None)  # JSONL: name the column
    assert find_columns(names, "customer-comments", None, None, None) == (None, None, None)  # --no-reason-check


# (reason code, comment, expected consistent): per language, in the FBA customer returns layout
RETURNS = {
    "en": [("DEFECTIVE", "Changed my mind, I don't need it anymore.", False),
           ("NOT_AS_DESCRIBED", "Ordered by mistake.", False),
           ("CR-WRONG_ITEM", "Found it cheaper elsewhere.", False),
           ("DAMAGED_BY_CARRIER", "The screen arrived cracked.", True),
           ("CR-MISSING_PARTS", "The charger was missing from the box.", True),
           ("DEFECTIVE", "Returned.", None),
           ("UNWANTED_ITEM", "Changed my mind.", None)],
    "zh": [("DEFECTIVE", "不想要了，买错了", False), ("CR-WRONG_ITEM", "别家更便宜", False),
           ("DEFECTIVE", "东西可以正常使用，就是用不上了", False), ("DAMAGED_BY_CARRIER", "屏幕碎了", True),
           ("CR-MISSING_PARTS", "盒子里没有充电器", True), ("DEFECTIVE", "退货", None)],
    "de": [("DEFECTIVE", "Meinung geändert, brauche es nicht mehr.", False),
           ("NOT_AS_DESCRIBED", "Versehentlich bestellt.", False),
           ("DEFECTIVE", "Funktioniert einwandfrei, wird aber nicht mehr benötigt.", False),
           ("DAMAGED_BY_CARRIER", "Das Display kam gesprungen an.", True),
           ("CR-MISSING_PARTS", "Das Ladekabel fehlte im Karton.", True)],
    "ja": [("DEFECTIVE", "気が変わりました。不要になりました。", False),
           ("NOT_AS_DESCRIBED", "間違えて注文しました。", False),
           ("CR-WRONG_ITEM", "他店の方が安かったので。", False),
           ("DAMAGED_BY_CARRIER", "画面が割れて届きました。", True),
           ("CR-MISSING_PARTS", "充電器が入っていませんでした。", True)],
    "fr": [("DEFECTIVE", "J'ai changé d'avis, je n'en ai plus besoin.", False),
           ("CR-MISSING_PARTS", "Le chargeur manquait dans la boîte.", True)],
    "es": [("NOT_AS_DESCRIBED", "Lo pedí por error.", False),
           ("DAMAGED_BY_CARRIER", "La pantalla llegó rota.", True)],
    "it": [("CR-WRONG_ITEM", "Trovato a meno altrove.", False),
           ("CR-MISSING_PARTS", "Mancava il caricabatterie nella scatola.", True)],
}
HEADER = ["return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity", "fulfillment-center-id",
          "detailed-disposition", "reason", "status", "license-plate-number", "customer-comments"]


def _report(path, rows):
    """An FBA customer returns report: tab-separated; each row's SKU is its language, weeks alternate."""
    lines = ["\t".join(HEADER)]
    for i, (lang, code, comment) in enumerate(rows):
        day = "2026-01-05" if i % 2 == 0 else "2026-01-13"
        lines.append("\t".join([f"{day}T10:00:00+00:00", f"302-0000000-{i:07d}", f"SKU-{lang}", f"B0{lang.upper()}0001",
                                "X001", "Widget", "1", "LEJ1", "SELLABLE", code, "Unit returned to inventory",
                                f"LPN{i}", comment]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows():
    return [(lang, code, comment) for lang, cases in RETURNS.items() for code, comment, _ in cases]


@pytest.fixture(scope="module")
def seed_model_dir(seed_model, tmp_path_factory):
    from claimlens.model.persistence import save_model

    directory = tmp_path_factory.mktemp("reason-models") / "20260101T000000Z-00000000"
    return save_model(seed_model, directory, directory.name)


def _label(model_dir, src, out, *extra):
    result = CliRunner().invoke(__import__("claimlens.cli", fromlist=["main"]).main, [
        "label", str(src), "-o", str(out), "--model", str(model_dir), "--summary", str(out.parent / "summary.json"),
        "--report", str(out.parent / "report.html"), *extra])
    assert result.exit_code == 0, result.output
    return result


def test_a_returns_report_in_seven_languages(seed_model_dir, tmp_path):
    src = _report(tmp_path / "fba-returns.txt", _rows())
    out = tmp_path / "labelled.jsonl"
    _label(seed_model_dir, src, out)
    records = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    expected = [(code, consistent) for cases in RETURNS.values() for code, _, consistent in cases]
    assert [(r["reason_check"]["code"], r["reason_check"]["consistent"]) for r in records] == expected
    for r, (_, _, comment) in zip(records, _rows()):
        for e in r["reason_check"]["evidence"]:
            assert comment[e["start"]:e["end"]] == e["text"]
    contradictions = sum(1 for _, c in expected if c is False)
    summary = json.loads((tmp_path / "summary.json").read_text())["reason_check"]
    assert (summary["checked"], summary["contradicted"], summary["consistent"], summary["silent"]) == (
        len(expected), contradictions, sum(1 for _, c in expected if c), sum(1 for _, c in expected if c is None))
    assert summary["group_column"] == "sku" and summary["date_column"] == "return-date"
    per_sku = {f"SKU-{lang}": sum(1 for _, _, c in cases if c is False) for lang, cases in RETURNS.items()}
    assert {k: v["contradicted"] for k, v in summary["by_group"].items()} == per_sku
    # most contradictions first, then by name
    assert list(summary["by_group"]) == ["SKU-de", "SKU-en", "SKU-ja", "SKU-zh", "SKU-es", "SKU-fr", "SKU-it"]
    weeks = {"2026-01-05": 0, "2026-01-12": 0}
    for i, (_, consistent) in enumerate(expected):
        weeks["2026-01-05" if i % 2 == 0 else "2026-01-12"] += consistent is False
    assert {k: v["contradicted"] for k, v in summary["by_week"].items()} == weeks
    assert summary["by_code"]["DEFECTIVE"]["contradicted"] == 7
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f'<b id="reason-contradicted">{contradictions}</b>' in html and "Contradictions by sku" in html


def test_csv_output_jobs_and_opting_out(seed_model_dir, tmp_path, monkeypatch):
    src = _report(tmp_path / "fba-returns.tsv", _rows()[:8])
    one, two = tmp_path / "one" / "out.csv", tmp_path / "two" / "out.csv"
    one.parent.mkdir(), two.parent.mkdir()
    _label(seed_model_dir, src, one)
    with monkeypatch.context() as m:
        # with workers labelling, this process reads the labels and schema only, never the whole model
        m.setattr("claimlens.training.current.load_model", lambda *a, **k: pytest.fail("the parent loaded the model"))
        _label(seed_model_dir, src, two, "--jobs", "2", "--chunk-rows", "3")
    assert one.read_bytes() == two.read_bytes()
    header = one.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-4:] == ["reason_code", "reason_consistent", "reason_why", "reason_evidence"]
    rows = list(csv.DictReader(one.read_text(encoding="utf-8").splitlines()))
    assert [r["reason_consistent"] for r in rows] == ["false", "false", "false", "true", "true", "", "", "false"]
    off = tmp_path / "off" / "out.jsonl"
    off.parent.mkdir()
    _label(seed_model_dir, src, off, "--no-reason-check")
    assert all("reason_check" not in json.loads(l) for l in off.read_text(encoding="utf-8").splitlines())


def test_a_named_reason_column_in_jsonl(seed_model_dir, tmp_path):
    src = tmp_path / "returns.jsonl"
    src.write_text("\n".join(json.dumps({"text": t, "code": c, "sku": "A"}, ensure_ascii=False)
                             for c, t, _ in RETURNS["de"]) + "\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    _label(seed_model_dir, src, out, "--reason-column", "code")
    import pyarrow.parquet as pq

    checks = pq.read_table(out).column("reason_check").to_pylist()
    assert [c["consistent"] for c in checks] == [False, False, False, True, True]
    assert checks[0]["evidence"][0]["text"] == "Meinung geändert"
    summary = json.loads((tmp_path / "summary.json").read_text())["reason_check"]
    assert summary["by_group"] == {"A": {"checked": 5, "consistent": 2, "contradicted": 3, "silent": 0}}


def test_an_unknown_reason_column_names_the_columns(seed_model_dir, tmp_path):
    src = _report(tmp_path / "fba-returns.txt", _rows()[:1])
    result = CliRunner().invoke(__import__("claimlens.cli", fromlist=["main"]).main, [
        "label", str(src), "-o", str(tmp_path / "o.jsonl"), "--model", str(seed_model_dir),
        "--reason-column", "return-reason"])
    assert result.exit_code == 2
    assert "--reason-column 'return-reason' is not a column; the columns are return-date, order-id" in result.stderr


def test_the_dask_engine_checks_reasons_like_the_local_engine(tiny_model_dir, tmp_path):
    pytest.importorskip("distributed")
    src = _report(tmp_path / "fba-returns.txt", _rows())
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    _label(tiny_model_dir, src, local)
    local_summary = json.loads((tmp_path / "summary.json").read_text())["reason_check"]
    _label(tiny_model_dir, src, dask, "--engine", "dask", "--jobs", "1")
    parts = sorted(dask.iterdir())
    assert "".join(p.read_text(encoding="utf-8") for p in parts) == local.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "summary.json").read_text())["reason_check"] == local_summary
