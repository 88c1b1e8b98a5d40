"""Find the buyer's own words in a message: drop quoted replies, marketplace templates, signatures."""
from __future__ import annotations

import re

# A line that starts the quoted earlier mail: everything from it on is not the buyer's new text.
_QUOTE_START = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|message d’origine|"
    r"mensaje original|messaggio originale|原始邮件|原始郵件|元のメッセージ|forwarded message)\s*-{2,}"
    r"|_{8,}"
    r"|on\b.{3,120}\bwrote\s*:"
    r"|am\b.{3,120}\bschrieb\b.{0,80}:"
    r"|le\b.{3,120}\ba écrit\s*:"
    r"|el\b.{3,120}\bescribió\s*:"
    r"|il\b.{3,120}\bha scritto\s*:"
    r"|在.{2,80}写道\s*[:：]"
    r"|於.{2,80}寫道\s*[:：]"
    r"|.{2,80}(?:さんは書きました|のメッセージ)\s*[:：]"
    r")\s*$",
    re.IGNORECASE,
)
# Mail headers of a quoted message ("From: ..."): only a cut when new text stands above them.
_QUOTED_HEADER = re.compile(r"^\s*(?:from|von|de|da|差出人|发件人|寄件者)\s*[:：]\s*\S", re.IGNORECASE)
_SIGNATURE_START = re.compile(r"^\s*--\s*$")
# Lines that carry no buyer words: marketplace relay templates and mobile signatures.
_DROP_LINE = re.compile(
    r"^\s*(?:"
    r"we(?:'|’)ve been contacted by a customer.*"
    r"|wir wurden von einem kunden.*kontaktiert.*"
    r"|nous avons été contactés par un client.*"
    r"|(?:hemos sido contactados por|nos ha contactado) un cliente.*"
    r"|siamo stati contattati da un cliente.*"
    r"|お客様から.*(?:お問い合わせ|連絡).*"
    r"|sent from my \w+.*|von meinem \w+ gesendet.*|envoyé de mon \w+.*|enviado desde mi \w+.*"
    r"|inviato da(?:l mio)? \w+.*"
    r"|>.*"
    r")$",
    re.IGNORECASE,
)


def buyer_segments(raw: str) -> list[tuple[int, int]]:
    """Raw [start, end) ranges that hold the buyer's own words; the whole text if nothing is left."""
    kept: list[tuple[int, int]] = []
    seen_words = False
    for m in re.finditer(r"[^\n]*\n?", raw):
        line = m.group().rstrip("\r\n")
        if not m.group():
            break
        if _QUOTE_START.match(line) or _SIGNATURE_START.match(line):
            break
        if seen_words and _QUOTED_HEADER.match(line):
            break
        if _DROP_LINE.match(line):
            continue
        if line.strip():
            seen_words = True
        if kept and kept[-1][1] == m.start():
            kept[-1] = (kept[-1][0], m.end())
        else:
            kept.append((m.start(), m.end()))
    if not any(raw[s:e].strip() for s, e in kept):
        return [(0, len(raw))]
    return kept
