"""Seed quote resolution reads with the shared reader and rewrites the file whole or not at all."""
import json

from claimlens.training.resolve_quotes import main


def _rec(text, labels, quote=None, genre="buyer_message"):
    ev = [{"label": labels[0], "quote": quote}] if quote else []
    return {"text": text, "lang": "en", "labels": labels, "evidence": ev, "genre": genre}


def test_quotes_become_offsets_and_the_file_is_replaced_whole(tmp_path, capsys):
    path = tmp_path / "en-9.jsonl"
    path.write_text(json.dumps(_rec("the charger was not in the box", ["missing_parts"], "charger was not")) + "\n\n"
                    + json.dumps(_rec("thanks, all good", ["other"])) + "\n", encoding="utf-8")
    assert main([str(path)]) == 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["evidence"] == [{"label": "missing_parts", "start": 4, "end": 19}]
    assert rows[1]["evidence"] == []
    assert [p.name for p in tmp_path.iterdir()] == ["en-9.jsonl"]  # no temporary file left behind
    assert "rewritten with offsets" in capsys.readouterr().out


def test_a_malformed_line_is_named_and_nothing_is_rewritten(tmp_path, capsys):
    path = tmp_path / "en-9.jsonl"
    original = json.dumps(_rec("the charger was not in the box", ["missing_parts"], "charger")) + "\n" + '{"text": \n'
    path.write_text(original, encoding="utf-8")
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM line 2: malformed JSON line: Expecting value: line 1 column 10 (char 9)" in out
    assert path.read_text(encoding="utf-8") == original


def test_undecodable_bytes_are_a_problem_not_a_crash(tmp_path, capsys):
    path = tmp_path / "zh-9.jsonl"
    good = "".join(json.dumps(_rec(f"第{i}个包裹没有收到，请退款", ["not_received"], "没有收到"), ensure_ascii=False) + "\n"
                   for i in range(20)).encode("utf-8")
    path.write_bytes(good + b'{"text": "\xc3\x28 broken", "lang": "zh", "labels": ["other"], "genre": "chat"}\n')
    assert main([str(path), "--check-only"]) == 1
    assert "PROBLEM line 21: undecodable bytes or a lone surrogate in 'text'" in capsys.readouterr().out
