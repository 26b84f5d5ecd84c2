"""HTML agenda pages -> text, through BeautifulSoup.

Publishing portals (First Agenda, eDoc/Acadre, Prepare, ...) render one page per meeting: a
header table or definition list (Mødedato, Mødested), the items as headings ("71. Title" or
"Punkt 71 Title") and per-item section headings. The page's structure says what a heading is,
so a numbered heading becomes "Punkt N: Title" here rather than being guessed at in the
parser; site navigation, scripts and footers are dropped so they never end up in an item.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from assistant.core.errors import ParseError
from assistant.ingest.readers.extract import ExtractedText

DROPPED = ("script", "style", "noscript", "nav", "footer", "form", "button", "svg", "iframe",
           "template", "select", "input", "head")  # fmt: skip
BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "aside",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "caption",
        "address",
        "details",
        "summary",
        "hr",
    ]
)
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
HIDDEN = re.compile(r"\b(?:cookie|skip-link|visually-hidden|sr-only|breadcrumb)", re.IGNORECASE)
NUMBERED = re.compile(
    r"^(?:(?:Punkt|Pkt\.?|Sag|Dagsordenspunkt)\s*)?(?P<number>\d{1,4})\s*[.:)\-–]?\s+(?P<title>\S.*)$"
)
BREAK = "\x00"  # a line break the page's structure asks for; source newlines are just spaces


def html_to_text(raw: bytes, name: str) -> ExtractedText:
    """Text of an HTML page: one line per block, headings set apart by blank lines."""
    # BeautifulSoup sniffs the charset from the bytes and the page's <meta charset>.
    soup = BeautifulSoup(raw, "html.parser")
    # The title and footer often are the only places that name the municipality.
    context = " \n".join(
        tag.get_text(" ", strip=True)
        for tag in soup.find_all(["title", "footer"]) + soup.find_all(role="contentinfo")
    )
    body = soup.body or soup
    for tag in body.find_all(DROPPED):
        tag.decompose()
    for tag in body.find_all(_is_hidden):
        tag.decompose()
    _normalise_whitespace(body)
    for br in body.find_all("br"):
        br.replace_with(BREAK)
    for row in body.find_all("tr"):
        _flatten_row(row)
    for term in body.find_all("dt"):
        term.append(":" if not term.get_text().strip().endswith(":") else "")
    for heading in body.find_all(HEADINGS):
        text = heading.get_text(" ", strip=True)
        if match := NUMBERED.match(text):
            text = f"Punkt {match['number']}: {match['title']}"
        heading.replace_with(f"{BREAK}{BREAK}{text}{BREAK}{BREAK}")
    for block in body.find_all(BLOCKS):
        block.insert_before(BREAK)
        block.insert_after(BREAK)
    text = body.get_text()
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split(BREAK)]
    if not any(lines):
        raise ParseError(name, "HTML-siden indeholder ingen tekst")
    return ExtractedText(_collapse_blank_runs(lines), context)


def _is_hidden(tag: Tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None:
        return False
    if tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    if tag.get("role") in ("navigation", "contentinfo", "banner", "search"):
        return True
    classes = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return bool(HIDDEN.search(classes))


def _normalise_whitespace(root: Tag) -> None:
    for string in list(root.find_all(string=True)):
        if isinstance(string, NavigableString) and string.parent.name != "pre":
            string.replace_with(re.sub(r"\s+", " ", str(string)))


def _flatten_row(row: Tag) -> None:
    """'Mødedato | Torsdag ...' -> 'Mødedato: Torsdag ...'; wider rows -> '| a | b | c |'."""
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
    cells = [cell for cell in cells if cell]
    if len(cells) == 2 and len(cells[0].split()) <= 4 and not cells[0][-1:].isdigit():
        text = f"{cells[0].rstrip(':')}: {cells[1]}"
    elif cells:
        text = "| " + " | ".join(cells) + " |"
    else:
        text = ""
    row.replace_with(f"{BREAK}{text}{BREAK}")


def _collapse_blank_runs(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
