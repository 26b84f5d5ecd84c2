"""HTML agenda pages -> text, through BeautifulSoup.

Publishing portals (First Agenda, eDoc/Acadre, Prepare, ...) render one page per meeting: a
header table or definition list (Mødedato, Mødested), the items as headings ("71. Title" or
"Punkt 71 Title") and per-item section headings. The page's structure says what a heading is,
so a numbered heading becomes "Punkt N: Title" here rather than being guessed at in the
parser; site navigation, scripts and footers are dropped so they never end up in an item.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.builder import HTMLTreeBuilder

from assistant.core.config import ReadLimits
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


# Elements that never hold others (BeautifulSoup closes them at once: its own list, so the
# count follows the tree it builds), and the ones whose content is text to Python's
# html.parser, not tags.
VOID = frozenset(name.encode() for name in HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS)
RAW_TEXT = frozenset([b"script", b"style"])
# A comment opening, a tag, or an opening that never closes: `[^<>]*+` stops at the next
# bracket and gives nothing back, so every run between brackets is read at most twice and
# the scan stays linear.
_TAG = re.compile(
    rb"<(?:(!--)|(/?)([a-zA-Z][^\s/<>]*+)([^<>]*+)>|(?P<stray>[a-zA-Z/!?])[^<>]*+(?=<|\Z))"
)
# Where html.parser ends a comment ("-->", "-- >"; _markupbase's own pattern).
_COMMENT_END = re.compile(rb"--\s*>")
# Characters html.parser may scan again for the openings that never close: for each one it
# searches the rest of the page for the end it lacks before reading it as text, so 20 KB of
# "<a " took 5 s and 100 KB two minutes (quadratic; issue 16). A few seconds of its work:
# one such opening atop a page at the size limit still reads.
RESCAN_BUDGET = 64_000_000


def html_refusal(markup: bytes | str, max_depth: int) -> str | None:
    """Why `markup` is not parsed (a reason for ParseError), or None: it nests deeper than
    `max_depth` in the tree BeautifulSoup would build, or holds so many openings that never
    close ("<a " without ">") that html.parser would spend minutes on them.

    Found in one pass over the tags without building the tree (and without its cost:
    finding the open element an end tag closes walks the open elements, so a page of
    100,000 nested tags costs minutes). The count follows html.parser's tree: void and
    self-closed tags hold nothing, an end tag closes up to its open element and is ignored
    without one, comments and script text hold no tags. Where html.parser's reading is
    unsure the count errs high: an opening that never closes may be read as an element
    that stays open, so it counts as one level."""
    data = markup.encode("utf-8", "replace") if isinstance(markup, str) else markup
    stack: list[bytes] = []
    open_count: Counter[bytes] = Counter()
    unclosed = 0  # openings without their ">": levels html.parser may have opened
    rescan = 0  # characters html.parser searches again for the ends they lack
    no_comment_end_from = len(data) + 1  # a search for a comment's end failed from here on
    position = 0
    while match := _TAG.search(data, position):
        position = match.end()
        if match["stray"]:
            unclosed += 1
            rescan += len(data) - match.start()
        elif match[1]:  # a comment: no tag inside it counts
            end = None
            if match.start() + 4 < no_comment_end_from:
                end = _COMMENT_END.search(data, match.start() + 4)
            if end is None:
                # Never closed: html.parser reads "<!--" up to the next ">" as text and goes
                # on parsing the tags after it (stopping here let a page that opens with
                # "<!--" nest without limit). Each such comment is searched to the end.
                no_comment_end_from = min(no_comment_end_from, match.start() + 4)
                rescan += len(data) - match.start()
                closing = data.find(b">", match.start() + 1)
                position = closing + 1 if closing >= 0 else match.end()
            else:
                position = end.end()
        elif match[2]:  # an end tag
            name = match[3].lower()
            if open_count[name]:
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
        elif (name := match[3].lower()) in VOID or match[4].endswith(b"/"):
            pass
        elif name in RAW_TEXT:
            # The element is a level of its own; its text holds no tags.
            if len(stack) + unclosed + 1 > max_depth:
                return depth_reason(max_depth)
            closing = re.compile(rb"</" + re.escape(name) + rb"\s*>", re.IGNORECASE)
            found = closing.search(data, position)
            if found is None:
                break
            position = found.end()
        else:
            stack.append(name)
            open_count[name] += 1
        if len(stack) + unclosed > max_depth:
            return depth_reason(max_depth)
        if rescan > RESCAN_BUDGET:
            return unclosed_reason()
    return None


def depth_reason(limit: int) -> str:
    return (
        f"HTML'en er indlejret mere end {limit} niveauer dybt, grænsen for én side "
        "(REFERAT_MAX_HTML_DEPTH hæver den)"
    )


def unclosed_reason() -> str:
    return (
        "HTML'en har for mange tags, der aldrig lukkes ('<' uden '>'), til at kunne læses "
        "inden for grænsen for én side; den er nok ikke en rigtig dagsordensside"
    )


def html_to_text(raw: bytes, name: str, limits: ReadLimits | None = None) -> ExtractedText:
    """Text of an HTML page: one line per block, headings set apart by blank lines.

    A page nested deeper than the limit is refused before it is parsed, not flattened:
    no agenda page nests more than a few dozen levels, so such a page is generated junk
    or an attack, and flattening it would mean guessing its structure."""
    limits = limits or ReadLimits()
    if reason := html_refusal(raw, limits.max_html_depth):
        raise ParseError(name, reason)
    # BeautifulSoup sniffs the charset from the bytes and the page's <meta charset>.
    soup = BeautifulSoup(raw, "html.parser")
    # The title and footer often are the only places that name the municipality.
    context = " \n".join(
        tag.get_text(" ", strip=True)
        for tag in soup.find_all(["title", "footer"]) + soup.find_all(role="contentinfo")
    )
    body = soup.body or soup
    # Agenda pages that fold their items (FirstAgenda's pages, "Fold alle punkter") put each
    # item's number and title in the button that opens it: that one is a heading, not chrome.
    headers = [(header, _numbered_header(header)) for header in body.find_all(ITEM_HEADERS)]
    contents = _contents_tables(body, {id(header) for header, text in headers if text})
    for header, text in headers:
        if text and not (header.name == "tr" and id(header.find_parent("table")) in contents):
            header.replace_with(f"{BREAK}{BREAK}{text}{BREAK}{BREAK}")
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
    return ExtractedText(_collapse_blank_runs(lines), context, "HTML")


# Elements an agenda page opens an item with besides h1-h6: an accordion's button or
# summary, and a table row whose two cells are the item's number and title.
ITEM_HEADERS = ("button", "summary", "tr")
# "38", "5a", "12." alone in an element of its own: an item number, the title beside it. Not
# a year ("2024 | Budget" is a row of figures).
NUMBER_CELL = re.compile(
    r"^(?:(?:Punkt|Pkt\.?|Sag)\s*)?(?!(?:19|20)\d\d\b)(\d{1,4}[a-z]?)\s*[.:)]?$", re.IGNORECASE
)
TITLE_WORD = re.compile(r"[A-Za-zÆØÅæøå]{3}")
MAX_TITLE = 250


def _numbered_header(header: Tag) -> str:
    """ "Punkt 38: Godkendelse af dagsorden" when `header` holds an item number and its
    title: the number in an element of its own ("<span>38</span><span>Godkendelse …</span>",
    "<td>38</td><td>Godkendelse …</td>"), or in a button or summary written before the
    title ("38. Godkendelse …"). Empty for anything else: a "Fold alle punkter" button, a
    row of figures, a contents row ending in its page, a numbered sentence in a table."""
    if header.name == "tr":
        parts = [c.get_text(" ", strip=True) for c in header.find_all(["td", "th"])]
        parts = [c for c in parts if c]
        if len(parts) != 2:
            return ""
    else:
        strings = (re.sub(r"\s+", " ", str(s)).strip() for s in header.find_all(string=True))
        parts = [text for text in strings if text]
    if not parts:
        return ""
    if (cell := NUMBER_CELL.match(parts[0])) and len(parts) > 1:
        number, title = cell.group(1), " ".join(parts[1:])
    elif header.name != "tr" and (match := NUMBERED.match(" ".join(parts))):
        number, title = match["number"], match["title"]
    else:
        return ""
    # An item's title is words and starts as a title does: "3 kommentarer" on a button is
    # chrome, "Budget 2025 | 1.234" a row of figures.
    starts = title[:1].isupper() or title[:1].isdigit()
    if not starts or not TITLE_WORD.search(title) or title.endswith(".") or len(title) > MAX_TITLE:
        return ""
    return f"Punkt {number}: {title}"


def _contents_tables(body: Tag, numbered: set[int]) -> set[int]:
    """The tables whose rows are all numbers and titles (`numbered`: the ids of such rows):
    a page's table of contents, which names the items and is not where they begin. Once per
    page, so a table of thousands of rows is read once, not once per row."""
    contents = set()
    for table in body.find_all("table"):
        rows = table.find_all("tr")
        if len(rows) >= 2 and all(id(row) in numbered for row in rows):
            contents.add(id(table))
    return contents


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


# --- fragments: one agenda item's HTML body (FirstAgenda's `Felter[].Html`) -------------------


@dataclass(frozen=True)
class Block:
    """One block of an item body in reading order. `kind` is "heading" (a heading element, or
    a short paragraph that is all bold), "text", "list" (one line per entry) or "row" (a table
    row as lines that keep their column headers). `first` marks FirstAgenda's
    `xsltFirstParagraph`, which opens the decision in templates without a Beslutning heading."""

    kind: str
    text: str
    first: bool = False


def fragment_blocks(html: str) -> list[Block]:
    """The blocks of an HTML fragment. Unlike html_to_text (whole pages), the structure is
    kept: headings are marked as headings, so no line of case text can pass for one."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    _normalise_whitespace(soup)
    blocks: list[Block] = []
    inline: list[str] = []
    first = [False]

    def flush() -> None:
        text = join_hard_breaks("".join(inline))
        inline.clear()
        if text:
            blocks.append(Block("text", text, first[0]))
        first[0] = False

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                inline.append(str(child))
            elif not isinstance(child, Tag):
                continue
            elif child.name == "br":
                inline.append(BREAK)
            elif child.name == "u" and _DATED.match(child.get_text()):
                # FirstAgenda's history heads each earlier treatment "<u>13-11-2023 Udvalg</u>",
                # sometimes straight after the previous one's last words.
                inline.append(BREAK)
                walk(child)
                inline.append(BREAK)
            elif child.name in HEADINGS:
                flush()
                if text := _inline_text(child):
                    blocks.append(Block("heading", text))
            elif child.name == "table":
                flush()
                blocks.extend(Block("row", row) for row in table_rows(child))
            elif child.name in ("ul", "ol"):
                flush()
                if entries := list_lines(child):
                    blocks.append(Block("list", "\n".join(entries)))
            elif child.name in BLOCKS:
                flush()
                if _is_bold_heading(child):
                    blocks.append(Block("heading", _inline_text(child)))
                    continue
                first[0] = "xsltFirstParagraph" in (child.get("class") or [])
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup)
    flush()
    return blocks


# A line that starts a new entry, not the rest of a sentence: "2. Godkendt", "- ", "a) ",
# "Ad 2", or a label such as "Afbud:" / "Fraværende:".
_NEW_LINE = re.compile(
    r"^(?:\d{1,3}\s*[.)]|[a-zæøå][.)]\s|[-•–*▪]\s|Ad\s+\d|[A-ZÆØÅ][\w ]{0,30}:"
    r"|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b)",  # "21-03-2022 Klima-, ...": a dated entry
    re.IGNORECASE,
)
_DATED = re.compile(r"^\s*\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b")


def join_hard_breaks(text: str) -> str:
    """Text with BREAK marks -> lines. A break inside a sentence (Word's hard wrap, '... kl.
    8:00 til 20.<br>januar 2025') is joined with a space, so a quote is not cut in half; a
    break after a full stop, before a list entry or a label, or under a short heading-like
    line stays. Two breaks in a row are a paragraph break."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split(BREAK)]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        if out and not blank and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        blank = False
    return "\n".join(out)


def _continues(previous: str, line: str) -> bool:
    if line[0].islower():
        return True
    if previous[-1] in ".!?:;" or _NEW_LINE.match(line):
        return False
    return len(previous.split()) > 5


def list_lines(node: Tag) -> list[str]:
    """'- entry' per <li> of a <ul>, '1. entry' (from the list's start) of an <ol>; a nested
    list's entries follow their parent entry, indented."""
    ordered = node.name == "ol"
    try:
        number = int(node.get("start") or 1)
    except ValueError:
        number = 1
    lines: list[str] = []
    for entry in node.find_all("li", recursive=False):
        nested = entry.find_all(["ul", "ol"], recursive=False)
        for sub in nested:
            sub.extract()
        text = join_hard_breaks(_inline_text(entry, breaks=True)).replace("\n", " ")
        if text:
            lines.append(f"{number}. {text}" if ordered else f"- {text}")
            number += 1
        for sub in nested:
            lines.extend(f"  {line}" for line in list_lines(sub))
    return lines


def table_rows(table: Tag) -> list[str]:
    """A table as one string per body row, one line per cell that keeps its row's label and
    its column's header: 'Antal ledige · marts 2024 · 1.234'. A figure is then found, quoted
    and checked with what it counts. Exports rarely use <th>: the header is the first row
    when it is bold, or when it holds no figures but later rows do. colspan/rowspan cells
    are spread over the grid they cover."""
    grid = _grid(table)
    if not grid:
        return []
    width = max(len(row) for row in grid)
    grid = [row + [None] * (width - len(row)) for row in grid]
    if width == 1 or len(grid) == 1:
        rows = [" · ".join(_unique_texts(row)) for row in grid]
        return [row for row in rows if row]
    header_count = _header_rows(table, grid)
    headers = [
        " ".join(_unique_texts([grid[r][c] for r in range(header_count)])) for c in range(width)
    ]
    spanned = bool(table.find(lambda t: t.name in ("td", "th") and _spans(t)))
    header_texts = [h for h in _unique_texts(grid[0]) if h] if header_count == 1 else []
    out: list[str] = []
    for row in grid[header_count:]:
        values = _unique_texts(row)
        if spanned and header_texts and len(values) in (len(header_texts), len(header_texts) + 1):
            # Word's merged cells rarely line up with the header's ("Dato" spans columns 1-2,
            # "22. januar" columns 0-1): the n-th value then belongs to the n-th heading.
            heads = header_texts[1:] if len(values) == len(header_texts) else header_texts
            out.append(
                "\n".join(
                    " · ".join([values[0], head, value])
                    for head, value in zip(heads, values[1:], strict=True)
                )
                or values[0]
            )
            continue
        label = row[0].text if row[0] else ""
        lines: list[str] = []
        previous = row[0]
        for column in range(1, width):
            cell = row[column]
            if cell is None or cell is previous or not cell.text:
                previous = cell
                continue
            previous = cell
            lines.append(" · ".join(part for part in (label, headers[column], cell.text) if part))
        if not lines and label:
            lines.append(label)  # a row that only names a group of the rows below
        if lines:
            out.append("\n".join(lines))
    return out


@dataclass(eq=False)
class _Cell:
    text: str
    bold: bool
    header: bool


def _grid(table: Tag) -> list[list[_Cell | None]]:
    grid: list[list[_Cell | None]] = []
    pending: dict[int, tuple[_Cell, int]] = {}  # column -> (cell, rows still covered)
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a nested table's rows belong to the cell that holds it
        row: list[_Cell | None] = []
        cells = tr.find_all(["td", "th"], recursive=False)
        column = 0
        queue = list(cells)
        while queue or column in pending:
            if column in pending:
                cell, left = pending.pop(column)
                row.append(cell)
                if left > 1:
                    pending[column] = (cell, left - 1)
                column += 1
                continue
            element = queue.pop(0)
            text = join_hard_breaks(_inline_text(element, breaks=True)).replace("\n", " ")
            cell = _Cell(text, bool(text) and _all_bold(element), element.name == "th")
            span, down = _span(element, "colspan"), _span(element, "rowspan")
            for _ in range(span):
                row.append(cell)
                if down > 1:
                    pending[column] = (cell, down - 1)
                column += 1
        if any(cell and cell.text for cell in row):
            grid.append(row)
    return grid


def _spans(element: Tag) -> bool:
    return _span(element, "colspan") > 1 or _span(element, "rowspan") > 1


def _span(element: Tag, name: str) -> int:
    try:
        return max(1, min(int(element.get(name) or 1), 50))
    except ValueError:
        return 1


_FIGURE = re.compile(r"\d")


def _header_rows(table: Tag, grid: list[list[_Cell | None]]) -> int:
    def is_header(row: list[_Cell | None]) -> bool:
        filled = [cell for cell in row if cell and cell.text]
        return bool(filled) and all(cell.header or cell.bold for cell in filled)

    count = 0
    while count < min(2, len(grid) - 1) and is_header(grid[count]):
        count += 1
    if count:
        return count
    # No bold: the first row is still the header when it names columns the rows fill with
    # figures ("Projekt | 2024 | 2025" over "Skole | 1.200 | 800" is a header too, so only
    # the label column's text counts).
    first_values = [cell.text for cell in grid[0][1:] if cell]
    later_values = [cell.text for row in grid[1:] for cell in row[1:] if cell]
    first_words = all(not _FIGURE.search(v) or re.fullmatch(r"\d{4}", v) for v in first_values)
    if first_words and any(_FIGURE.search(v) for v in later_values):
        return 1
    return 0


def _unique_texts(cells: list[_Cell | None]) -> list[str]:
    texts: list[str] = []
    for cell in cells:
        if cell and cell.text and cell.text not in texts:
            texts.append(cell.text)
    return texts


def _inline_text(tag: Tag, breaks: bool = False) -> str:
    """A tag's text on one line; with `breaks`, <br> and inner blocks become BREAK marks."""
    if not breaks:
        return re.sub(r"\s+", " ", tag.get_text(" ")).strip()
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and (node.name == "br" or node.name in BLOCKS):
            parts.append(BREAK)
    return "".join(parts)


def _is_bold_heading(block: Tag) -> bool:
    """'<p><strong>Økonomiske konsekvenser</strong></p>': a short all-bold paragraph without
    a full stop is how Word-pasted case texts head their sections."""
    text = _inline_text(block)
    if not text or len(text.split()) > 8 or text.endswith((".", ",")):
        return False
    if block.find([*BLOCKS, *HEADINGS]):
        return False
    return _all_bold(block)


def _all_bold(tag: Tag) -> bool:
    """Every visible word of `tag` sits inside <strong> or <b> (nested ones count once)."""
    for node in tag.find_all(string=True):
        if isinstance(node, Comment) or not node.strip():
            continue
        parent = node.parent
        while parent is not None and parent is not tag and parent.name not in ("strong", "b"):
            parent = parent.parent
        if parent is None or (parent is tag and tag.name not in ("strong", "b")):
            return False
    return True
