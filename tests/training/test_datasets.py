import pytest

from claimlens.model.errors import BadInputError
from claimlens.model.schema import load_schema
from claimlens.training.datasets import load_examples
from claimlens.training.paths import SCHEMA


@pytest.fixture(scope="module")
def schema():
    return load_schema(SCHEMA)


def test_jsonl_and_csv_load(tmp_path, schema):
    j = tmp_path / "a.jsonl"
    j.write_text('{"text": "where is my parcel", "labels": ["not_received"], "id": 7}\n\n'
                 '{"text": "thanks", "labels": ["other"], "lang": "en"}\n', encoding="utf-8")
    c = tmp_path / "b.csv"
    c.write_text('text,labels\n"cable missing, refund please",missing_parts|refund_return_issue\n', encoding="utf-8")
    got = load_examples(j, schema) + load_examples(c, schema)
    assert [(e.text, e.labels, e.id) for e in got] == [
        ("where is my parcel", ("not_received",), "7"), ("thanks", ("other",), None),
        ("cable missing, refund please", ("missing_parts", "refund_return_issue"), None)]
    assert got[2].source == "b.csv row 1"


def test_missing_column(tmp_path, schema):
    c = tmp_path / "h.csv"
    c.write_text("message,labels\nhi,other\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"h.csv: missing column\(s\) text"):
        load_examples(c, schema)


def test_unknown_label_and_empty_text_are_row_numbered(tmp_path, schema):
    c = tmp_path / "h.csv"
    c.write_text("text,labels\nfine,other\nlost it,lost_parcel\n   ,other\nok,other|not_received\n", encoding="utf-8")
    with pytest.raises(BadInputError) as info:
        load_examples(c, schema)
    errors = info.value.details["errors"]
    assert errors == [
        "h.csv row 2: unknown label(s) 'lost_parcel'; known: cancellation_request, cancellation_refused, "
        "missing_parts, not_as_described, wrong_item, damaged_defective, not_received, refund_return_issue, other",
        "h.csv row 3: empty or missing text",
        "h.csv row 4: 'other' cannot be combined with other labels: ['other', 'not_received']",
    ]


def test_legacy_encodings_are_read_as_the_batch_labeller_reads_them(tmp_path, schema):
    # training used to take UTF-8 only; it now shares the labeller's detection
    j = tmp_path / "gbk.jsonl"
    j.write_bytes('{"text": "ok", "labels": ["other"]}\n'.encode()
                  + '{"text": "没收到", "labels": ["not_received"]}\n'.encode("gbk"))
    c = tmp_path / "sjis.tsv"
    c.write_bytes("text\tlabels\n荷物がまだ届いていません\tnot_received\n".encode("shift_jis"))
    assert [e.text for e in load_examples(j, schema) + load_examples(c, schema)] == [
        "ok", "没收到", "荷物がまだ届いていません"]
    forced = tmp_path / "forced.jsonl"
    forced.write_bytes('{"text": "Reçu cassé", "labels": ["damaged_defective"]}\n'.encode("cp1252"))
    assert load_examples(forced, schema, encoding="latin-1")[0].text == "Reçu cassé"


def test_undecodable_bytes_name_the_row(tmp_path, schema):
    j = tmp_path / "mixed.jsonl"
    utf8 = "".join(f'{{"text": "第{i}个包裹没有收到", "labels": ["not_received"]}}\n' for i in range(20)).encode()
    j.write_bytes(utf8 + '{"text": "没收到", "labels": ["not_received"]}\n'.encode("gbk"))
    with pytest.raises(BadInputError) as info:
        load_examples(j, schema)
    assert info.value.details["errors"] == [
        "mixed.jsonl row 21: undecodable bytes in 'text' (the file reads as utf-8); save it as UTF-8 or pass --encoding"]


def test_an_unterminated_quote_costs_its_row_alone(tmp_path, schema):
    c = tmp_path / "q.csv"
    c.write_text('text,labels\nfine,other\n"never closed,other\nlost it,not_received\nbroken,damaged_defective\n',
                 encoding="utf-8")
    with pytest.raises(BadInputError) as info:
        load_examples(c, schema)
    assert info.value.details["errors"] == ["q.csv row 2: malformed CSV line 3: unterminated quote"]


def test_malformed_json_and_bad_span(tmp_path, schema):
    j = tmp_path / "x.jsonl"
    j.write_text('{"text": "hi", "labels": ["other"]\n'
                 '{"text": "never came", "labels": ["not_received"], '
                 '"evidence": [{"label": "not_received", "start": 0, "end": 99}]}\n', encoding="utf-8")
    with pytest.raises(BadInputError) as info:
        load_examples(j, schema)
    errs = info.value.details["errors"]
    assert errs[0] == "x.jsonl row 1: malformed JSON line: Expecting ',' delimiter: line 1 column 35 (char 34)"
    assert errs[1].startswith("x.jsonl row 2: evidence")


def test_utf8_bom_is_accepted(tmp_path, schema):
    c = tmp_path / "bom.csv"
    c.write_bytes("\ufefftext,labels\nhi,other\n".encode("utf-8"))
    assert load_examples(c, schema)[0].text == "hi"


def test_unknown_format(tmp_path, schema):
    x = tmp_path / "a.xlsx"
    x.write_bytes(b"PK")
    with pytest.raises(BadInputError, match="unknown format '.xlsx'"):
        load_examples(x, schema)


def test_not_text_and_no_such_file(tmp_path, schema):
    x = tmp_path / "photo.csv"
    x.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(BadInputError, match=r"photo\.csv is not a text file"):
        load_examples(x, schema)
    with pytest.raises(BadInputError, match="no such file"):
        load_examples(tmp_path / "missing.jsonl", schema)
