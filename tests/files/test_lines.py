"""Physical lines split as Python's text files split them, with exact byte offsets, from any line start."""
import io
import random

import pytest

from claimlens.files import lines


@pytest.mark.parametrize("seed", range(400))
def test_lines_and_offsets_match_pythons_own_split(seed, monkeypatch):
    rnd = random.Random(seed)
    data = bytes(rnd.choice(b"ab\r\n") for _ in range(rnd.randint(0, 60)))
    monkeypatch.setattr(lines, "BLOCK", rnd.randint(1, 8))  # blocks cut \r\n pairs and lines everywhere
    got = list(lines.physical_lines(io.BytesIO(data), 0, universal=True))
    expected = [line.encode() for line in io.TextIOWrapper(io.BytesIO(data), encoding="ascii", newline="")]
    assert [line for line, _ in got] == expected
    assert [line for line, _ in lines.physical_lines(io.BytesIO(data), 0)] == list(io.BytesIO(data))
    assert [end for _, end in got] == [sum(map(len, expected[:i + 1])) for i in range(len(expected))]
    if got:
        k = rnd.randrange(len(got))
        start = got[k - 1][1] if k else 0
        assert [line for line, _ in lines.physical_lines(io.BytesIO(data), start, universal=True)] == expected[k:]


def test_without_universal_only_newline_ends_a_line():
    got = list(lines.physical_lines(io.BytesIO(b'{"a": 1}\r\n{"b": "x\ry"}\nlast'), 0))
    assert got == [(b'{"a": 1}\r\n', 10), (b'{"b": "x\ry"}\n', 23), (b"last", 27)]


def test_a_line_longer_than_many_blocks(monkeypatch):
    monkeypatch.setattr(lines, "BLOCK", 4)
    data = b"x" * 50 + b"\r\n" + b"y" * 9
    assert list(lines.physical_lines(io.BytesIO(data), 0, universal=True)) == [(b"x" * 50 + b"\r\n", 52),
                                                                                (b"y" * 9, 61)]
