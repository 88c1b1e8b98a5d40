"""The one reader: formats, encodings, row and line numbers, positions, and parts that read like the whole file."""
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimlens.files.tables import Part, header, open_source, parts, read_rows, rows_total
from claimlens.model.errors import BadInputError

ZH = "订单号 123-4567890-1234567，少了充电器，要求退款。"
JA = "注文した商品が届きません。返金してください。"


def _csv_file(path):
    lines = ["id,text,sku"]
    for i in range(1, 61):
        if i % 7 == 0:
            lines.append(f'r{i},"{ZH}\nsecond line, quoted",S{i % 3}')
        elif i % 11 == 0:
            lines.append(f'r{i},"stray quote {i}')
        elif i % 13 == 0:
            lines.append("")
        else:
            lines.append(f"r{i},{JA} {i},S{i % 3}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _jsonl_file(path):
    lines = [json.dumps({"id": i, "text": f"{ZH} {i}"}, ensure_ascii=False) for i in range(1, 51)]
    lines[4], lines[9], lines[14] = "", '{"text": ', "[1]"
    path.write_bytes(("\ufeff" + "\n".join(lines)).encode("utf-8"))  # a BOM, no newline after the last line
    return path


def _parquet_file(path):
    pq.write_table(pa.table({"id": list(range(1, 41)), "text": [f"{JA} {i}" for i in range(40)]}), path,
                   row_group_size=7)
    return path


@pytest.mark.parametrize("make, name", [(_csv_file, "in.csv"), (_jsonl_file, "in.jsonl"),
                                        (_parquet_file, "in.parquet")])
@pytest.mark.parametrize("size", [1, 200, 1000, None])
def test_parts_read_exactly_like_the_whole_file(tmp_path, make, name, size):
    source = open_source(make(tmp_path / name))
    whole = list(read_rows(source))
    cut = parts(source, size)
    assert [r for p in cut for r in read_rows(source, part=p)] == whole
    assert sum(p.rows for p in cut) == len(whole) == rows_total(source)
    assert [p.row for p in cut] == sorted({p.row for p in cut})
    if size is None:
        assert len(cut) == 1
    elif size == 1:  # every row its own part; Parquet parts are whole row groups
        assert len(cut) == (6 if name == "in.parquet" else len(whole))


def test_csv_rows_know_their_lines_and_positions(tmp_path):
    path = _csv_file(tmp_path / "in.csv")
    rows = list(read_rows(open_source(path)))
    assert len(rows) == 60
    assert [(r.row, r.line) for r in rows[5:8]] == [(6, 7), (7, 8), (8, 10)]  # row 7 spans lines 8-9
    assert rows[10].error == "malformed CSV line 13: unterminated quote"
    assert rows[12].error == "empty line (line 15)"
    assert [r.position for r in rows] == sorted(r.position for r in rows)
    assert rows[-1].position == path.stat().st_size


def test_jsonl_rows_are_lines_and_the_bom_goes_with_the_first(tmp_path):
    source = open_source(_jsonl_file(tmp_path / "in.jsonl"))
    assert source.encoding == "utf-8-sig"
    rows = list(read_rows(source))
    assert rows[0].fields == {"id": 1, "text": f"{ZH} 1"}
    assert [(r.row, r.error) for r in rows if r.error] == [
        (5, "empty line"), (10, "malformed JSON line: Expecting value: line 1 column 10 (char 9)"),
        (15, "malformed JSON line: expected an object")]
    assert rows[-1].fields["id"] == 50 and rows[-1].position == source.size


@pytest.mark.parametrize("encoding", ["gb18030", "shift_jis", "cp1252", "utf-8-sig"])
def test_every_format_reads_every_encoding(tmp_path, encoding):
    text = {"gb18030": ZH, "shift_jis": JA, "cp1252": "Reçu cassé, très déçu", "utf-8-sig": ZH + JA}[encoding]
    (tmp_path / "a.csv").write_bytes(f'id,text\n1,"{text}"\n'.encode(encoding))
    (tmp_path / "a.tsv").write_bytes(f"id\ttext\n1\t{text}\n".encode(encoding))
    (tmp_path / "a.jsonl").write_bytes((json.dumps({"id": "1", "text": text}, ensure_ascii=False) + "\n")
                                       .encode(encoding))
    for name in ("a.csv", "a.tsv", "a.jsonl"):
        source = open_source(tmp_path / name)
        assert source.encoding == encoding
        assert [r.fields for r in read_rows(source)] == [{"id": "1", "text": text}]


def test_a_header_is_read_with_the_rows_rules(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,"the\ntext"\n1,hi\n', encoding="utf-8")
    source = open_source(path)
    assert header(source) == ["id", "the\ntext"]
    assert [(r.row, r.line, r.fields) for r in read_rows(source)] == [(1, 3, {"id": "1", "the\ntext": "hi"})]


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfei\x00d\x00\n\x00", r"is not a text file \(NUL byte at offset 3\)"),
    (b"id,text\n1,ok\x00\n", r"is not a text file \(NUL byte at offset 12\)")])
def test_not_text_is_refused(tmp_path, data, message):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    with pytest.raises(BadInputError, match=message):
        open_source(path)


def test_no_such_file_and_unknown_extension(tmp_path):
    with pytest.raises(BadInputError, match="no such file"):
        open_source(tmp_path / "missing.csv")
    (tmp_path / "a.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(BadInputError, match=r"cannot tell the format from the extension '\.xlsx'"):
        open_source(tmp_path / "a.xlsx")


def test_a_part_reads_only_its_rows(tmp_path):
    source = open_source(_csv_file(tmp_path / "in.csv"))
    third = parts(source, 1)[2]
    assert third == Part(third.start, 3, 4, 1)
    assert [(r.row, r.fields["id"]) for r in read_rows(source, part=third)] == [(3, "r3")]
