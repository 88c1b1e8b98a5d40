"""Where a stray CSV quote stops (the rule in claimlens/files/csvrows.py), and quoted newlines that must stay."""
import pytest

from claimlens.files import csvrows
from claimlens.files.tables import header, open_source, read_rows
from claimlens.model.errors import BadInputError


def _read(tmp_path, text: str, name: str = "in.csv") -> list[tuple]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return [(r.row, r.line, r.fields, r.error) for r in read_rows(open_source(path))]


def test_an_unterminated_quote_costs_its_line_alone_and_the_rows_after_it_are_kept(tmp_path):
    # the file: six data rows, line 4 opens a quote that never closes
    rows = _read(tmp_path, 'id,text\n1,charger missing\n2,box damaged\n3,"never arrived\n4,wrong colour\n'
                           '5,refund please\n6,thanks\n')
    assert rows == [
        (1, 2, {"id": "1", "text": "charger missing"}, None),
        (2, 3, {"id": "2", "text": "box damaged"}, None),
        (3, 4, None, "malformed CSV line 4: unterminated quote"),
        (4, 5, {"id": "4", "text": "wrong colour"}, None),
        (5, 6, {"id": "5", "text": "refund please"}, None),
        (6, 7, {"id": "6", "text": "thanks"}, None)]


def test_a_run_on_that_meets_a_later_quoted_field_is_stopped_at_its_first_line(tmp_path):
    # the stray quote of line 2 runs on until line 5, whose opening quote reads as a closing one
    rows = _read(tmp_path, 'id,text\n1,"oops\n2,plain\n3,"quoted, fine"\n4,last\n')
    assert [(r, line, error) for r, line, _, error in rows] == [
        (1, 2, "malformed CSV line 2: unterminated quote"), (2, 3, None), (3, 4, None), (4, 5, None)]
    assert rows[2][2] == {"id": "3", "text": "quoted, fine"}


def test_a_quoted_field_with_newlines_is_one_row(tmp_path):
    rows = _read(tmp_path, 'id,text\n1,"first line\nsecond, with ""quotes""\nthird"\n2,next\n')
    assert rows == [(1, 2, {"id": "1", "text": 'first line\nsecond, with "quotes"\nthird'}, None),
                    (2, 5, {"id": "2", "text": "next"}, None)]


def test_a_multi_line_row_that_parses_with_the_wrong_field_count_is_one_bad_row(tmp_path):
    rows = _read(tmp_path, 'id,text\n1,"two\nlines",extra\n2,next\n')
    assert rows == [(1, 2, None, "malformed CSV line 2-3: 3 fields where the header has 2"),
                    (2, 4, {"id": "2", "text": "next"}, None)]


def test_a_quote_left_open_on_the_last_line(tmp_path):
    for ending in ("\n", ""):
        rows = _read(tmp_path, f'id,text\n1,fine\n2,"cut off{ending}')
        assert rows[-1] == (2, 3, None, "malformed CSV line 3: unterminated quote")


def test_a_bad_quote_on_one_line_keeps_the_csv_modules_words(tmp_path):
    rows = _read(tmp_path, 'id,text\n1,"bad"quote\n2,ok\n')
    assert rows[0] == (1, 2, None, "malformed CSV line 2: ',' expected after '\"'")
    assert rows[1] == (2, 3, {"id": "2", "text": "ok"}, None)


def test_a_run_on_past_the_field_limit_is_stopped(tmp_path, monkeypatch):
    # no later quote to stop it: the field limit does, and parsing starts again on the next line
    monkeypatch.setattr(csvrows, "FIELD_LIMIT", 64)
    body = "".join(f"{i},plain text number {i}\n" for i in range(2, 12))
    rows = _read(tmp_path, 'id,text\n1,"runs on\n' + body)
    assert rows[0] == (1, 2, None, "malformed CSV line 2: unterminated quote")
    assert [(r, fields["id"]) for r, _, fields, _ in rows[1:]] == [(i, str(i)) for i in range(2, 12)]


def test_a_broken_multi_line_field_costs_its_first_line_and_its_tail_is_judged_alone(tmp_path):
    # the stated price of the rule: a quoted field with newlines that is itself malformed
    rows = _read(tmp_path, 'id,text\n1,"two\nlines "quoted" inside"\n2,next\n')
    assert [(r, line, error) for r, line, _, error in rows] == [
        (1, 2, "malformed CSV line 2: unterminated quote"),
        (2, 3, "malformed CSV line 3: 1 fields where the header has 2"),
        (3, 4, None)]


def test_a_run_on_that_ends_in_a_clean_quote_cannot_be_told_from_a_quoted_newline(tmp_path):
    rows = _read(tmp_path, 'id,text\n1,"oops\n2,closes here"\n3,next\n')
    assert rows == [(1, 2, {"id": "1", "text": "oops\n2,closes here"}, None),
                    (2, 4, {"id": "3", "text": "next"}, None)]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends(tmp_path, newline):
    text = newline.join(['id,text', '1,"two', 'lines"', '2,"open', '3,fine']) + newline
    rows = _read(tmp_path, text)
    assert rows == [(1, 2, {"id": "1", "text": f"two{newline}lines"}, None),
                    (2, 4, None, "malformed CSV line 4: unterminated quote"),
                    (3, 5, {"id": "3", "text": "fine"}, None)]


def test_a_stray_quote_in_the_header_is_a_clear_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,"text\n1,hello\n', encoding="utf-8")
    with pytest.raises(BadInputError, match=r"in\.csv: malformed CSV header: unterminated quote"):
        header(open_source(path))
