"""Build cases from flat exports: messages, claims and (optionally) orders, grouped by order id."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from claimlens.model.errors import BadInputError

ORDER_NUMBER = re.compile(r"(?<!\d)\d{3}-\d{7}-\d{7}(?!\d)")
ORDER_COLUMNS = ("order_id", "order-id", "amazon-order-id", "AmazonOrderId")


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path}: not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror}") from None
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    return list(reader.fieldnames or []), list(reader)


def _order_of(row: dict, column: str | None, text_keys: tuple[str, ...]) -> str | None:
    if column and (row.get(column) or "").strip():
        return row[column].strip()
    for key in text_keys:
        m = ORDER_NUMBER.search(row.get(key) or "")
        if m:
            return m.group()
    return None


def _column(fields: list[str], name: str | None) -> str | None:
    if name:
        return name if name in fields else None
    return next((c for c in ORDER_COLUMNS if c in fields), None)


FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": False}


def _flag(value: str | None) -> bool | str:
    """true/false, yes/no, 1/0 in any case (empty: false); anything else is passed on for
    parse_case to report as a bad case naming the field."""
    return FLAGS.get((value or "").strip().lower(), value)


def build_cases(messages: Path | None, claims: Path | None, orders: Path | None = None,
                order_column: str | None = None) -> tuple[list[dict], list[dict]]:
    """(cases as raw dicts in first-seen order, rows that belong to no order)."""
    cases: dict[str, dict] = {}
    orphans: list[dict] = []

    def case(order_id: str) -> dict:
        return cases.setdefault(order_id, {"order_id": order_id, "order": {}, "messages": [], "claims": []})

    for path, kind in ((orders, "orders"), (messages, "messages"), (claims, "claims")):
        if path is None:
            continue
        fields, rows = _rows(path)
        column = _column(fields, order_column)
        for n, row in enumerate(rows, 1):
            order_id = _order_of(row, column, ("text", "reason") if kind != "orders" else ())
            if order_id is None:
                orphans.append({"file": str(path), "row": n, "reason": "no order id: no order-id column value "
                                "and no Amazon order number (3-7-7 digits) in the text"})
                continue
            c = case(order_id)
            if kind == "orders":
                c["order"] = {k: row.get(k) or None for k in ("purchased_at", "shipped_at", "delivered_at",
                                                               "tracking_id")}
                c["order"]["buyer_requested_cancel"] = _flag(row.get("buyer_requested_cancel"))
                c["order"]["buyer_cancel_reason"] = row.get("buyer_cancel_reason") or None
            elif kind == "messages":
                c["messages"].append({"id": row.get("id") or f"{Path(path).name}:{n}", "from": row.get("from"),
                                      "sent_at": row.get("sent_at"), "text": row.get("text")})
            else:
                c["claims"].append({"id": row.get("id") or f"{Path(path).name}:{n}", "type": row.get("type"),
                                    "filed_at": row.get("filed_at"), "reason": row.get("reason") or None,
                                    "text": row.get("text")})
    return list(cases.values()), orphans
