"""Which fields of a row are the text, the id and the kept columns; why a row cannot be labelled."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from claimlens.cases.reason_check import AUTO, ReasonCell, find_columns
from claimlens.files.encodings import INVALID_UNICODE, UNDECODABLE, text_problem, undecodable
from claimlens.files.tables import EMPTY_LINE, MALFORMED_CSV, MALFORMED_JSON, RawRow
from claimlens.model.errors import BadInputError

MAX_TEXT = 20_000
# Names the output record uses itself; a kept column may not shadow them.
RECORD_FIELDS = ("id", "labels", "scores", "confidence", "language", "evidence", "unlocated", "model", "reason_check")
TEXT_COLUMNS = ("text", "customer-comments", "customer_comments", "message", "body", "comment")
EMPTY_TEXT = "empty text"
OVER_LONG = "over-long field"
# reasons that carry details after these words (a line number, a column, a length)
KINDS = (EMPTY_TEXT, EMPTY_LINE, UNDECODABLE, INVALID_UNICODE, OVER_LONG, MALFORMED_CSV, MALFORMED_JSON)


class LabelRow(NamedTuple):
    """A row ready for the classifier."""

    row: int
    id: object
    text: str
    kept: dict
    group: str | None
    date: str | None
    reason: ReasonCell | None = None  # with the return reason check on (see cases/reason_check.py)


class RowError(NamedTuple):
    row: int
    reason: str


@dataclass(frozen=True)
class Columns:
    """The columns a run reads: chosen by the user or found in the header."""

    text: str | None = None
    id: str | None = None
    keep: tuple[str, ...] = ()
    group_by: str | None = None
    date: str | None = None
    max_text: int = MAX_TEXT
    id_prefix: str = ""  # set when several files share a run, so default ids stay unique
    wanted: tuple[str, ...] = field(default=(), compare=False)
    reason: str | None = None  # the return reason column, AUTO to find it; settled: the column or None
    reason_group: str | None = None  # settled: where the reason check counts contradictions
    reason_date: str | None = None

    def settle(self, names: list[str] | None, source: str) -> "Columns":
        """Check the named columns against a header; pick the text column if none was named."""
        clash = [c for c in self.keep if c in RECORD_FIELDS]
        if clash:
            raise BadInputError(f"--keep-columns {clash[0]!r} clashes with an output field "
                                f"({', '.join(RECORD_FIELDS)})")
        text = self.text
        if names:  # None for JSONL; [] for an empty file, which simply has no rows
            if text is None:
                text = next((c for c in TEXT_COLUMNS if c in names), None)
                if text is None:
                    raise BadInputError(f"{source}: no text column (looked for {', '.join(TEXT_COLUMNS)}); "
                                        f"the columns are {', '.join(names)}; pass --text-column")
            for what, col in (("--text-column", text), ("--id-column", self.id), ("--group-by", self.group_by),
                              ("--date-column", self.date), *(("--keep-columns", c) for c in self.keep),
                              ("--reason-column", None if self.reason == AUTO else self.reason)):
                if col is not None and col not in names:
                    raise BadInputError(f"{source}: {what} {col!r} is not a column; "
                                        f"the columns are {', '.join(names)}")
        text = text or "text"
        # JSONL rows carry their own keys: an "id" key is used where a row has one
        ident = self.id if self.id is not None or (names is not None and "id" not in names) else "id"
        reason = find_columns(names, text, self.reason, self.group_by, self.date)
        wanted = tuple(dict.fromkeys(c for c in (text, ident, self.group_by, self.date, *self.keep, *reason) if c))
        return Columns(text, ident, self.keep, self.group_by, self.date, self.max_text, self.id_prefix, wanted,
                       *reason)

    def judge(self, raw: RawRow) -> LabelRow | RowError:
        """A row read from a file, ready for the classifier or with the reason it cannot be labelled."""
        return self.to_row(raw.row, raw.fields) if raw.error is None else RowError(raw.row, raw.error)

    def to_row(self, row: int, fields: dict) -> LabelRow | RowError:
        text = fields.get(self.text)
        if text is None:
            return RowError(row, EMPTY_TEXT if self.text in fields else f"no {self.text!r} field")
        if not isinstance(text, str):
            return RowError(row, f"text is {type(text).__name__}, not a string")
        problem = text_problem(text, self.text)  # a lone surrogate ("\ud83d" in JSON) is one spaCy cannot encode
        if problem:
            return RowError(row, problem)
        if not text.strip():
            return RowError(row, EMPTY_TEXT)
        if len(text) > self.max_text:
            return RowError(row, f"{OVER_LONG} {self.text!r} ({len(text)} characters, limit {self.max_text})")
        ident = fields.get(self.id) if self.id else None
        if ident is None or ident == "":
            ident = f"{self.id_prefix}{row}" if self.id_prefix else row
        kept = {}
        for c in self.keep:
            value = fields.get(c)
            if isinstance(value, str) and undecodable(value):
                return RowError(row, f"{UNDECODABLE} in {c!r}")
            kept[c] = value
        if isinstance(ident, str) and undecodable(ident):
            return RowError(row, f"{UNDECODABLE} in {self.id!r}")
        cell = ReasonCell(_text_or_none(fields.get(self.reason)) or "", _text_or_none(fields.get(self.reason_group)),
                          _text_or_none(fields.get(self.reason_date))) if self.reason else None
        return LabelRow(row, ident, text, kept, _text_or_none(fields.get(self.group_by)) if self.group_by else None,
                        _text_or_none(fields.get(self.date)) if self.date else None, cell)


def _text_or_none(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def reason_kind(reason: str) -> str:
    """The summary bucket of an error reason: its words before any detail.

    "malformed CSV line 12: ..." -> "malformed CSV line", "undecodable bytes in 'sku'" -> "undecodable
    bytes"; a reason without detail ("no 'text' field", "empty text") is its own bucket, so the
    summary and the error report say the same words.
    """
    for kind in KINDS:
        if reason.startswith(kind):
            return kind
    return reason.split(":", 1)[0]
