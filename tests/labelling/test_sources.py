"""Reading exports: formats, encodings, delimiters, malformed rows and their row numbers."""
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimlens.files.encodings import detect
from claimlens.labelling.rows import Columns, LabelRow, RowError
from claimlens.files.tables import header, open_source, read_rows
from claimlens.model.errors import BadInputError

ZH = "订单号 123-4567890-1234567，少了充电器，要求退款。"
JA = "注文した商品が届きません。返金してください。"
FR = "Reçu cassé, très déçu. Où est le chargeur ?"


def _rows(path, **columns):
    source = open_source(path)
    cols = Columns(**columns).settle(header(source), str(path))
    return [cols.to_row(r.row, r.fields) if r.error is None else RowError(r.row, r.error)
            for r in read_rows(source, list(cols.wanted))]


@pytest.mark.parametrize("text, encoding", [(ZH, "gb18030"), (ZH, "gbk"), (JA, "shift_jis"), (FR, "cp1252"),
                                            (ZH + JA + FR, "utf-8"), (ZH + FR, "utf-8-sig")])
def test_csv_in_each_encoding_reads_back_the_same_text(tmp_path, text, encoding):
    path = tmp_path / "in.csv"
    path.write_bytes(f'id,text\n7,"{text}"\n8,plain ascii\n'.encode(encoding))
    rows = _rows(path)
    assert [(r.id, r.text) for r in rows] == [("7", text), ("8", "plain ascii")]


@pytest.mark.parametrize("encoding, expected", [("gb18030", "gb18030"), ("shift_jis", "shift_jis"),
                                                ("cp1252", "cp1252"), ("utf-8", "utf-8")])
def test_detect_names_the_encoding(encoding, expected):
    text = {"gb18030": ZH, "shift_jis": JA, "cp1252": FR, "utf-8": ZH + FR}[encoding]
    assert detect(("text\n" + text + "\n").encode(encoding)) == expected


def test_forced_encoding_overrides_detection(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(("text\n" + FR + "\n").encode("cp1252"))
    source = open_source(path, encoding="latin-1")
    assert source.encoding == "cp1252"
    with pytest.raises(BadInputError, match="unknown encoding 'klingon'"):
        open_source(path, encoding="klingon")


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    path = tmp_path / "in.txt"
    path.write_text(f"id{delimiter}text{delimiter}sku\n1{delimiter}my parcel, never arrived{delimiter}A-1\n"
                    f"2{delimiter}broken{delimiter}B-2\n".replace(f"{delimiter}my parcel, never arrived",
                                                                 f'{delimiter}"my parcel, never arrived"'),
                    encoding="utf-8")
    rows = _rows(path, keep=("sku",))
    assert [(r.id, r.text, r.kept) for r in rows] == [("1", "my parcel, never arrived", {"sku": "A-1"}),
                                                        ("2", "broken", {"sku": "B-2"})]


def test_malformed_csv_rows_are_numbered_and_the_rest_survive(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,text\n1,ok one\n2,"bad"quote\n3,too,many,fields\n4,"multi\nline text"\n\n'
                    '6,"  "\n7,last\n', encoding="utf-8")
    rows = _rows(path)
    assert [(type(r).__name__, r.row) for r in rows] == [
        ("LabelRow", 1), ("RowError", 2), ("RowError", 3), ("LabelRow", 4), ("RowError", 5), ("RowError", 6),
        ("LabelRow", 7)]
    reasons = {r.row: r.reason for r in rows if isinstance(r, RowError)}
    assert reasons[2] == "malformed CSV line 3: ',' expected after '\"'"
    assert reasons[3] == "malformed CSV line 4: 4 fields where the header has 2"
    assert reasons[5] == "empty line (line 7)"
    assert reasons[6] == "empty text"
    assert rows[3].text == "multi\nline text"


def test_undecodable_bytes_cost_only_their_row(tmp_path):
    path = tmp_path / "in.csv"
    utf8 = "".join(f"{i},\"{ZH} {FR}\"\n" for i in (1, 3, 4, 5)).encode("utf-8")
    path.write_bytes(b"id,text\n" + utf8[:utf8.index(b"3,")] + b"2," + "坏了".encode("gbk") + b"\n"
                     + utf8[utf8.index(b"3,"):])
    rows = _rows(path)
    assert [r.row for r in rows if isinstance(r, LabelRow)] == [1, 3, 4, 5]
    assert rows[1] == RowError(2, "undecodable bytes in 'text'")


def test_over_long_field_is_an_error_with_the_limit(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "x" * 50}) + "\n" + json.dumps({"text": "short"}) + "\n")
    rows = _rows(path, max_text=40)
    assert rows[0] == RowError(1, "over-long field 'text' (50 characters, limit 40)")
    assert rows[1].text == "short"


def test_jsonl_rows_carry_their_ids_and_types(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('\ufeff{"id": "a", "text": "hi", "n": 3}\n{"text": "no id"}\n[1]\n{"text": 5}\n',
                    encoding="utf-8")
    rows = _rows(path, keep=("n",))
    assert rows[0] == LabelRow(1, "a", "hi", {"n": 3}, None, None)
    assert rows[1].id == 2
    assert rows[2] == RowError(3, "malformed JSON line: expected an object")
    assert rows[3] == RowError(4, "text is int, not a string")


def test_parquet_rows(tmp_path):
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"order-id": ["o1", "o2", "o3"], "customer-comments": ["broken", None, "lost"],
                             "sku": ["A", "B", "C"]}), path)
    rows = _rows(path, id="order-id", keep=("sku",))
    assert rows[0] == LabelRow(1, "o1", "broken", {"sku": "A"}, None, None)
    assert rows[1] == RowError(2, "empty text")
    assert rows[2].id == "o3"


def test_fba_returns_report_columns_are_found(tmp_path):
    path = tmp_path / "returns.txt"
    path.write_text("return-date\torder-id\tsku\tasin\treason\tcustomer-comments\n"
                    "2026-01-05T10:00:00+00:00\t111-2223334-4445556\tSKU-1\tB000TEST01\tDEFECTIVE\tstopped working\n",
                    encoding="utf-8")
    rows = _rows(path, id="order-id", keep=("sku", "asin", "reason"), group_by="sku", date="return-date")
    assert rows == [LabelRow(1, "111-2223334-4445556", "stopped working",
                             {"sku": "SKU-1", "asin": "B000TEST01", "reason": "DEFECTIVE"}, "SKU-1",
                             "2026-01-05T10:00:00+00:00")]


def test_a_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(BadInputError, match=r"photo.csv is not a text file \(NUL byte at offset 8\)"):
        open_source(path)


def test_a_csv_named_parquet_is_a_clear_error(tmp_path):
    path = tmp_path / "in.parquet"
    path.write_text("text\nhello\n")
    with pytest.raises(BadInputError, match="is not a Parquet file"):
        open_source(path)


def test_unknown_column_names_the_columns_there_are(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,hello\n")
    with pytest.raises(BadInputError, match=r"--id-column 'order' is not a column; the columns are id, body"):
        _rows(path, id="order")
    with pytest.raises(BadInputError, match="clashes with an output field"):
        _rows(path, keep=("labels",))


def test_empty_file_has_no_rows(tmp_path):
    for name in ("e.csv", "e.jsonl"):
        path = tmp_path / name
        path.write_bytes(b"")
        assert _rows(path) == []


@pytest.mark.parametrize("encoding", ["gb18030", "shift_jis", "utf-8-sig"])
def test_jsonl_in_legacy_encodings(tmp_path, encoding):
    text = JA if encoding == "shift_jis" else ZH
    path = tmp_path / "in.jsonl"
    path.write_bytes((json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n").encode(encoding))
    assert _rows(path) == [LabelRow(1, 1, text, {}, None, None)]


def test_a_lone_surrogate_costs_only_its_row(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "broken \\ud83d screen"}\n{"text": "fine 😀"}\n', encoding="utf-8")
    rows = _rows(path)
    assert rows[0] == RowError(1, "invalid Unicode (lone surrogate) in 'text'")
    assert rows[1].text == "fine 😀"
