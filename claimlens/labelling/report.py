"""A self-contained HTML page (inline SVG charts, no network) from a batch labelling summary."""
from __future__ import annotations

import math
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from claimlens.files.durable import write_text

__all__ = ["render_report", "write_report"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Paul Tol's "muted" scheme: stays distinguishable under the common colour-vision deficiencies.
PALETTE = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
NEUTRAL = "#BBBBBB"  # "other" is the absence of a reason, so it gets no hue
LANGUAGE_COLOUR = "#4B6A88"
LANGUAGES = {"en": "English", "zh": "Chinese", "de": "German", "fr": "French", "es": "Spanish",
             "it": "Italian", "ja": "Japanese", "und": "undetermined"}
TOP_GROUPS = 15
WIDTH = 760
ROW_H, BAR_H = 24, 16
NAME_UNITS = 32  # longer names are cut in the chart; the tooltip and the table keep them whole
CHAR_W = 7.0  # rough width of one narrow 12 px character (a CJK one counts twice), sized without a browser

_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)


class Segment(NamedTuple):
    x: float
    y: float
    w: float
    h: float
    colour: str
    label: str
    count: int
    title: str


class Row(NamedTuple):
    """One horizontal bar, plain or stacked."""
    y: float
    name: str
    title: str
    total: str
    end: float
    segments: list[Segment]


class HBars(NamedTuple):
    width: int
    height: int
    left: float
    rows: list[Row]


class Column(NamedTuple):
    title: str
    segments: list[Segment]


class Columns(NamedTuple):
    width: int
    height: int
    left: float
    top: float
    bottom: float
    columns: list[Column]
    yticks: list[tuple[float, str]]
    xticks: list[tuple[float, str]]


def _n(value: int) -> str:
    return f"{value:,}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"


def _colours(summary: dict) -> dict[str, str]:
    """One stable colour per label: taxonomy order first, then any label only the data knows, by name."""
    order = list(summary.get("labels_order", []))
    seen = set(summary.get("labels", {}))
    for g in summary.get("groups", {}).values():
        seen.update(g.get("labels", {}))
    for w in summary.get("weeks", {}).values():
        seen.update(w.get("labels", {}))
    order += sorted(seen - set(order))
    hues = iter(PALETTE * (1 + len(order) // len(PALETTE)))
    none = summary.get("exclusive_label")
    return {label: NEUTRAL if label == none else next(hues) for label in order}


def _units(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _short(name: str) -> tuple[str, int]:
    """The name cut to NAME_UNITS character widths, and its width in those units."""
    width = sum(map(_units, name))
    if width <= NAME_UNITS:
        return name, width
    out, used = [], 1  # the ellipsis
    for ch in name:
        if used + _units(ch) > NAME_UNITS:
            break
        out.append(ch)
        used += _units(ch)
    return "".join(out) + "…", used


def _hbars(items: list[tuple[str, int, list[tuple[str, int, str]]]], tip: str) -> HBars:
    """items: (name, total, [(label, count, colour)...]); each bar is as long as its total, split by counts."""
    names = [_short(name) for name, _, _ in items]
    left = max((w for _, w in names), default=4) * CHAR_W + 16
    right = 64  # room for the total after the longest bar
    span = max((total for _, total, _ in items), default=0) or 1
    rows = []
    for i, ((name, total, parts), (short, _)) in enumerate(zip(items, names)):
        y = 8 + i * ROW_H
        length = (WIDTH - left - right) * total / span
        weight = sum(c for _, c, _ in parts) or 1
        x, segments = left, []
        for label, count, colour in parts:
            if count <= 0:
                continue
            w = length * count / weight
            segments.append(Segment(round(x, 2), y, round(w, 2), BAR_H, colour, label, count,
                                    tip.format(name=name, label=label, count=_n(count))))
            x += w
        rows.append(Row(y + BAR_H / 2, short, f"{name}: {_n(total)}", _n(total), round(left + length, 2), segments))
    return HBars(WIDTH, 16 + len(items) * ROW_H, left, rows)


def _label_chart(summary: dict, colours: dict[str, str]) -> HBars:
    counts = summary.get("labels", {})
    rank = {label: i for i, label in enumerate(colours)}
    order = sorted(colours, key=lambda label: (-counts.get(label, 0), rank[label]))
    return _hbars([(label, counts.get(label, 0), [(label, counts.get(label, 0), colours[label])])
                   for label in order], "{label}: {count}")


def _language_chart(summary: dict) -> HBars:
    langs = sorted(summary.get("languages", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return _hbars([(f"{code} · {LANGUAGES.get(code, code)}", n, [(code, n, LANGUAGE_COLOUR)]) for code, n in langs],
                  "{name}: {count} rows")


def _top_label(labels: dict[str, int], colours: dict[str, str]) -> tuple[str, int] | None:
    rank = {label: i for i, label in enumerate(colours)}
    present = [(label, n) for label, n in labels.items() if n > 0]
    return min(present, key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)))) if present else None


def _groups(summary: dict, colours: dict[str, str]) -> dict | None:
    if not summary.get("group_by"):
        return None
    groups = summary.get("groups", {})
    top = sorted(groups.items(), key=lambda kv: (-kv[1].get("rows", 0), kv[0]))[:TOP_GROUPS]
    items, table = [], []
    for name, g in top:
        labels, rows = g.get("labels", {}), g.get("rows", 0)
        parts = [(label, labels.get(label, 0), colour) for label, colour in colours.items()]
        items.append((name, rows, parts))
        best = _top_label(labels, colours)
        table.append({
            "name": name, "rows": _n(rows),
            "top": best and best[0], "top_colour": best and colours[best[0]],
            "top_share": _pct(best[1], rows) if best else "—",
            "labels": [(label, colours[label], _n(n)) for label, n in
                       sorted(((lb, n) for lb, n in labels.items() if n > 0),
                              key=lambda kv: (-kv[1], list(colours).index(kv[0])))],
        })
    used = [label for label in colours if any(g.get("labels", {}).get(label, 0) > 0 for _, g in top)]
    return {"by": summary["group_by"], "count": len(groups), "shown": len(top),
            "chart": _hbars(items, "{name} · {label}: {count}"), "table": table, "legend": used}


def _step(top: int) -> int:
    """A 1-2-5 tick step giving at most five gridlines up to top."""
    raw = max(top / 5, 1)
    base = 10 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= raw)


def _weeks(summary: dict, colours: dict[str, str]) -> dict | None:
    if not summary.get("date_column"):
        return None
    weeks = dict(summary.get("weeks", {}))
    unparsed = weeks.pop("unparsed", {}).get("rows", 0)
    try:
        dated = sorted((date.fromisoformat(k), v) for k, v in weeks.items())
    except ValueError as exc:
        raise ValueError(f"week keys must be ISO dates or 'unparsed': {sorted(weeks)}") from exc
    span = (dated[-1][0] - dated[0][0]).days // 7 + 1 if dated else 0
    # A gap-free time axis, unless a stray far-off date would squeeze every column to a hairline.
    gaps_dropped = span > 4 * len(dated)
    slots = list(dated)
    if not gaps_dropped:
        by_day = dict(dated)
        slots = [(d, by_day.get(d, {})) for d in (dated[0][0] + timedelta(weeks=i) for i in range(span))]
    left, top, bottom, height = 52.0, 12.0, 36.0, 260
    plot_w, plot_h = WIDTH - left - 12, height - top - bottom
    peak = max((v.get("rows", 0) for _, v in dated), default=0)
    step = _step(peak)
    ceiling = max(step * math.ceil(peak / step), step)
    slot = plot_w / max(len(slots), 1)
    every = max(1, math.ceil(72 / slot))  # one date label per ~72 px
    columns, xticks = [], []
    for i, (day, v) in enumerate(slots):
        if i % every == 0:
            xticks.append((round(left + (i + .5) * slot, 2), day.isoformat()))
        rows, labels = v.get("rows", 0), v.get("labels", {})
        if rows <= 0:
            continue
        weight = sum(n for n in labels.values() if n > 0) or 1
        w = min(slot * .8, 56)
        x = left + (i + .5) * slot - w / 2
        y = top + plot_h
        segments = []
        for label, colour in colours.items():
            n = labels.get(label, 0)
            if n <= 0:
                continue
            h = plot_h * rows / ceiling * n / weight
            y -= h
            segments.append(Segment(round(x, 2), round(y, 2), round(w, 2), round(h, 2), colour, label, n,
                                    f"week of {day.isoformat()} · {label}: {_n(n)}"))
        columns.append(Column(f"week of {day.isoformat()}: {_n(rows)} rows", segments))
    yticks = [(round(top + plot_h - plot_h * t / ceiling, 2), _n(t)) for t in range(0, ceiling + 1, step)]
    used = [label for label in colours if any(v.get("labels", {}).get(label, 0) > 0 for _, v in dated)]
    return {"column": summary["date_column"], "unparsed": _n(unparsed) if unparsed else None,
            "gaps_dropped": gaps_dropped,
            "chart": Columns(WIDTH, height, left, top, top + plot_h, columns, yticks, xticks), "legend": used}


CONTRADICTED = "#CC6677"  # the palette's red: codes the buyer's own words contradict


def _reasons(summary: dict) -> dict | None:
    """The return reason check (cases/reason_check.py): verdicts per code, contradictions per group and week."""
    check = summary.get("reason_check")
    if not check:
        return None
    groups = [(name, g) for name, g in check.get("by_group", {}).items() if g.get("contradicted")][:TOP_GROUPS]
    rows = lambda table: [(name, _n(c["checked"]), _n(c["contradicted"]), _pct(c["contradicted"], c["checked"]))
                          for name, c in table]  # noqa: E731
    return {"checked": _n(check["checked"]), "consistent": _n(check["consistent"]),
            "contradicted": _n(check["contradicted"]), "silent": _n(check["silent"]),
            "codes": [(code, _n(c["checked"]), _n(c["consistent"]), _n(c["contradicted"]), _n(c["silent"]))
                      for code, c in check.get("by_code", {}).items()],
            "group_column": check.get("group_column"), "groups": rows(groups),
            "chart": _hbars([(name, g["contradicted"], [("contradicted", g["contradicted"], CONTRADICTED)])
                             for name, g in groups], "{name}: {count} contradicted"),
            "date_column": check.get("date_column"),
            "weeks": rows(sorted((w, c) for w, c in check.get("by_week", {}).items() if c.get("contradicted")))}


def render_report(summary: dict) -> str:
    """The whole page as one HTML string; the same summary always gives the same bytes."""
    colours = _colours(summary)
    rows = summary.get("rows", {})
    total = rows.get("total", 0)
    errors = sorted(summary.get("errors", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return _ENV.get_template("report.html").render(
        inputs=summary.get("inputs", []), model=summary.get("model"), finished_at=summary.get("finished_at"),
        total=_n(total), labelled=_n(rows.get("labelled", 0)), failed=_n(rows.get("errors", 0)),
        labelled_share=_pct(rows.get("labelled", 0), total), colours=colours,
        labels=_label_chart(summary, colours), languages=_language_chart(summary),
        language_colour=LANGUAGE_COLOUR, groups=_groups(summary, colours), weeks=_weeks(summary, colours),
        errors=[(reason, _n(n), _pct(n, total)) for reason, n in errors], reasons=_reasons(summary))


def write_report(summary: dict, path: Path) -> None:
    """Render the page and write it whole or not at all."""
    write_text(path, render_report(summary))
