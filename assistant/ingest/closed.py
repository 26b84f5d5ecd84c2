"""What is closed: the one place that decides whether a heading or a line closes an item.

Minutes mark a closed item in many ways: "Lukket: Title", "Title - fortroligt punkt",
"Title (ikke offentlig)", "Title, lukket", a line "Fortroligt" or "(Lukket)" of its own
between items, "Lukkede punkter:" before a run of items, "Sagen behandles for lukkede døre"
as an item's first line. Every reader's text passes through the parser, and the parser asks
only this module, so a wording added here is honoured for every format.

The rule is to withhold more rather than less: a marker word anywhere in a heading closes
the item, and a marker line inside an item's text ends the public text there.
"""

from __future__ import annotations

import re

# The words that say "not public". \b keeps "udelukkende", "lukning" and "fortrolighed"
# (public words) out; a public title that really says "lukket" is withheld, which is the
# safe side of the mistake.
_MARKER = (
    r"(?:lukket|lukkede|lukket\s+dagsordenspunkt|fortrolig[te]?"
    r"|ikke[\s-]+offentlig[te]?|unntatt\s+offentlighet"
    r"|for\s+lukkede\s+døre)"
)
CLOSED_WORD = re.compile(rf"\b{_MARKER}\b", re.IGNORECASE)

# Kept for `_normalise_title` (table-of-contents cross-check): the closed prefix or suffix
# that a title may carry in the items but not in the contents, or the other way round.
CLOSED_TITLE = re.compile(
    r"^(?:Lukket(?:\s+punkt)?|Fortroligt|Fortrolig)\b\s*[:\-–]?\s*"
    r"|[(\[](?:lukket(?:\s+(?:punkt|sag|møde|dagsordenspunkt))?|fortroligt?(?:\s+sag)?"
    r"|ikke\s+offentlig)[)\]]"
    r"|\s*(?:[-–,]|\s)\s*(?:lukket(?:\s+(?:punkt|sag|møde))?|fortroligt?(?:\s+punkt)?)\s*$"
    r"|\bfor\s+lukkede\s+døre\b",
    re.IGNORECASE,
)

# A closed item may say so in its first lines instead of its title.
CLOSED_NOTE = re.compile(
    r"^[(\[]?(?:Lukket\s+punkt|Lukket\s+sag|Lukket\s+møde|Lukket|Fortroligt|Fortrolig"
    r"|Ikke\s+offentlig"
    r"|(?:Punktet|Sagen)\s+er\s+(?:lukket|fortroligt?)"
    r"|.*\b(?:behandles|behandlet|behandledes)\s+(?:for\s+lukkede\s+døre"
    r"|(?:på|i)\s+(?:et\s+)?lukket\s+møde))\b",
    re.IGNORECASE,
)

# A line inside an item's text that opens closed text: it starts with a marker ("Fortroligt",
# "(Lukket)", "Lukket punkt", "Lukkede punkter:", "Ikke offentlig"), or it looks like an item
# heading the parser did not take for one ("74a. Lukket: ...", "Punkt 9 - Personalesag,
# fortroligt") and carries a marker anywhere.
_NUMBER_PREFIX = r"(?:(?:punkt|pkt\.?|sag|sak|dagsordenspunkt)\s*)?\d{1,4}\s?[a-zA-Z]?\s*[.:)\-–]"
_HEADING_LIKE = re.compile(rf"^{_NUMBER_PREFIX}", re.IGNORECASE)
_MARKER_START = re.compile(rf"^[(\[]?\s*{_MARKER}\b", re.IGNORECASE)

# Markers that close every item after them, not one: a closed part of the meeting. It ends
# where the minutes say the open part begins again.
_CLOSED_PART = re.compile(
    r"^[(\[]?\s*(?:lukkede\s+(?:punkter|sager|dagsordenspunkter)|lukket\s+(?:del|dagsorden)"
    r"|fortrolige\s+(?:punkter|sager))\b",
    re.IGNORECASE,
)
_OPEN_PART = re.compile(
    r"^[(\[]?\s*(?:åbne\s+(?:punkter|sager|dagsordenspunkter)|åben\s+(?:del|dagsorden))\b"
    r"[\s:)\]]*$",
    re.IGNORECASE,
)


def closed_title(title: str) -> bool:
    """Whether an item heading's title marks the item closed, wherever the marker stands."""
    return bool(CLOSED_WORD.search(title))


def closed_opening(lines: list[str]) -> bool:
    """Whether an item's first lines of text say it is closed."""
    return any(CLOSED_NOTE.match(line) for line in [line for line in lines if line][:2])


def closed_marker_line(line: str) -> bool:
    """Whether a line inside an item's text starts closed text (see above)."""
    if not line:
        return False
    return bool(_MARKER_START.match(line)) or bool(
        _HEADING_LIKE.match(line) and CLOSED_WORD.search(line)
    )


def opens_closed_part(line: str) -> bool:
    """'Lukkede punkter:': every item after it is closed (until an open part begins)."""
    return bool(_CLOSED_PART.match(line))


def opens_open_part(line: str) -> bool:
    """'Åbne punkter': the items after it are public again."""
    return bool(_OPEN_PART.match(line))
