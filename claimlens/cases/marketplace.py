"""The marketplace a case belongs to and its language: from the order number, else the buyer's own words.

| first group of the order number | store | marketplace language |
|---|---|---|
| 111, 112, 113, 114 | amazon.com (US) | en |
| 249, 250, 503 | amazon.co.jp (JP) | ja |
| 028, 171, 302, 303, 304, 305, 402–408 | an EU store | the buyer's language (below) |
| anything else, or no Amazon order number | unknown | the buyer's language (below) |

The buyer's language is the most common `language` the model gives the buyer's messages and
claim texts (a tie goes to the language seen first; `und` does not count).

Limits: the first group of an Amazon order number tells a region, not a country. The EU
stores (DE, FR, ES, IT, UK, NL, …) share their groups, so for them only the buyer's words can
tell German from French, and a buyer who writes English on amazon.de gives an English case. The
groups above are the ones seen in sellers' exports (and in ../shared/spec/domain.md); Amazon does
not publish them, and an order number outside the table is simply not used. A buyer writing
Spanish on amazon.com still gets an English marketplace (the US row decides first).
"""
from __future__ import annotations

import re
from collections import Counter

US, JP = {"111", "112", "113", "114"}, {"249", "250", "503"}
EU = {"028", "171", "302", "303", "304", "305", *(str(n) for n in range(402, 409))}
# Languages that get a marketplace draft of their own besides English.
DRAFT_LANGUAGES = ("de", "fr", "es", "it", "ja")
_ORDER = re.compile(r"^\s*(\d{3})-\d{7}-\d{7}\s*$")


def store_of(order_id: str) -> str | None:
    """"US", "JP", "EU" or None, from the order number's first group."""
    m = _ORDER.match(order_id)
    if not m:
        return None
    group = m.group(1)
    return "US" if group in US else "JP" if group in JP else "EU" if group in EU else None


def buyer_language(languages: list[str]) -> str | None:
    """The most common language of the buyer's texts, in the order given (ties: first seen)."""
    counts = Counter(l for l in languages if l and l != "und")
    if not counts:
        return None
    top = max(counts.values())
    return next(l for l in languages if counts.get(l) == top)


def marketplace(order_id: str, languages: list[str]) -> dict:
    """{"store", "language", "from"}: `from` says what decided the language ("order_id", "messages" or null)."""
    store = store_of(order_id)
    if store == "US":
        return {"store": store, "language": "en", "from": "order_id"}
    if store == "JP":
        return {"store": store, "language": "ja", "from": "order_id"}
    spoken = buyer_language(languages)
    return {"store": store, "language": spoken, "from": "messages" if spoken else None}
