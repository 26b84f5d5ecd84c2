"""PDF -> text, through pdfminer.six's layout analysis.

Why pdfminer.six: it is maintained, pure Python (nothing to compile, no AGPL like PyMuPDF),
and its layout analysis groups lines into text boxes with coordinates and keeps each
character's font. Minutes need all three: a PDF wraps every paragraph into hard lines and
repeats a header and footer on every page, which a flat text stream (pypdf) cannot tell
apart from content; and systems differ in how they word item headings ("Punkt 5:", "715.",
"5 Title") but all set them apart by size or weight.

Here a wrapped line is joined to the next when it runs to the right edge of its box, text
that repeats at the top or bottom of most pages is dropped, and numbered lines set in the
document's heading style (larger or bold, in rising numbers) are written out as
"Punkt N: Title", the one form the parser reads without guessing, as the HTML reader does
for a page's headings. Pages are separated by a form feed line, so a reader further on can
tell which page a passage is on.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextContainer, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from assistant.core.chunk_format import SECTION_HEADINGS
from assistant.core.config import ReadLimits
from assistant.core.errors import ParseError
from assistant.danish.case_numbers import CASE_LABEL, is_case_number
from assistant.ingest.readers.extract import PAGE_BREAK, ExtractedText

# Page margins (share of the page height) where running headers and footers sit.
MARGIN = 0.1
# A line is wrapped (continues on the next) when it ends this close to its box's right edge.
WRAP_TOLERANCE = 0.12
# Justified text stretches the gaps between words; at pdfminer's default char_margin (2.0)
# a stretched line falls apart into several boxes and paragraphs come out of order.
LAYOUT = LAParams(char_margin=4.0)
# A list entry opens a new line: "- text", "2. Orientering". A number before a lower-case word
# is not one: "til den / 15. december" is a sentence wrapped before a date.
BULLET = re.compile(r"^(?:[-–•·▪*]\s|\d{1,3}[.)]\s+[^a-zæøå\s]|[a-zæøå][.)]\s)")
PAGE_NUMBER = re.compile(
    r"^(?:(?:side|page)\s+)?\d{1,4}(?:\s*(?:af|of|/)\s*\d{1,4})?$", re.IGNORECASE
)
# A table-of-contents line ends in a dot leader and a page number: never a wrapped line.
# Linear: the lookahead starts only at three dots or an ellipsis and its parts cannot
# share a character, so no run of dots, spaces or digits is scanned more than twice.
TOC_LINE = re.compile(r"(?:\.{3}|…)(?=\s*+(?:\|\s*+)?\d++\s*+(?:\|\s*+)?$)")
# Page numbers inside running text ("Side 3 af 9"): short numbers that are not part of a
# case number, date or amount.
LOOSE_NUMBER = re.compile(r"(?<![\d/.\-])\d{1,3}(?![\d/.\-])")
# A numbered heading as systems print it: "715. Title", "5 Title", "5a Title", "75 b: Title",
# "Punkt 3: Title", "Pkt. 4 Title", "Sag 12 - Title". The layout decides whether it is one.
NUMBERED_LINE = re.compile(
    r"^(?:(?i:Punkt|Pkt\.?|Sag|Sak|Dagsordenspunkt)\s*)?(?P<number>\d{1,4})"
    r"(?:\s?(?P<suffix>[a-z]))?(?:\s*[.:)\-–])?\s+(?P<title>[^\s.:\-–].*)$"
)
# A table-of-contents row ends in its page number: "3 Budget 2025 7", "Budget ..... 7".
TOC_PAGE = re.compile(r"^(?P<entry>.+?)\s+(?:\.{2,}\s*|…\s*)?(?P<page>\d{1,3})$")
TOC_HEADING = re.compile(r"^(?:Indholdsfortegnelse|Indhold|Dagsorden)\s*:?$", re.IGNORECASE)
BOLD_FONT = re.compile(r"bold|black|heavy|demi|,b$|-b$", re.IGNORECASE)
# A heading is this much larger than the body text, or bold.
LARGER = 1.1


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    size: float = 0.0  # the font size most of its characters have
    bold: bool = False  # most of its characters are set in a bold face


@dataclass(frozen=True)
class _Box:
    page: int
    top: float  # share of page height from the top, 0..1
    bottom: float
    lines: tuple[_Line, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def style(self) -> tuple[float, bool]:
        return self.lines[0].size, self.lines[0].bold


def pdf_to_text(raw: bytes, name: str, limits: ReadLimits | None = None) -> ExtractedText:
    """The text of a PDF's text layer, paragraphs separated by blank lines and pages by a
    PAGE_BREAK line."""
    limits = limits or ReadLimits()
    if not raw.lstrip().startswith(b"%PDF"):
        raise ParseError(name, "filen er ikke en PDF (mangler %PDF i starten)")
    if b"%%EOF" not in raw[-2048:]:
        # Writers end every PDF with %%EOF; without it the download or copy was cut short.
        raise ParseError(name, "PDF-filen er afkortet (slutningen mangler) – hent den igen")
    try:
        _refuse_too_many_pages(raw, name, limits.max_pdf_pages)
        # Page by page: a page's layout objects are dropped once its boxes are taken, so
        # memory follows the text, not the layout of every page at once.
        boxes: list[_Box] = []
        page_count = 0
        for page in extract_pages(io.BytesIO(raw), laparams=LAYOUT, maxpages=limits.max_pdf_pages):
            boxes.extend(_boxes(page, page_count))
            page_count += 1
    except ParseError:
        raise
    except PDFException as error:
        if "encrypt" in type(error).__name__.lower() or "password" in str(error).lower():
            raise ParseError(name, "PDF-filen er krypteret eller kodeordsbeskyttet") from error
        raise ParseError(name, f"PDF-filen er beskadiget ({error})") from error
    except (PSException, ValueError, KeyError, TypeError, AssertionError) as error:
        raise ParseError(name, f"PDF-filen er beskadiget ({type(error).__name__})") from error
    if sum(len(box.text.strip()) for box in boxes) < 20:
        raise ParseError(
            name,
            f"PDF'en har intet tekstlag ({page_count} sider, ingen tekst) – den er nok scannet; "
            "kør tekstgenkendelse (OCR) først",
        )
    headings = _layout_headings(boxes)
    content = _without_running_lines(boxes, page_count, keep=set(headings))
    running = {box.text for box in boxes if box not in content}
    return ExtractedText(
        _page_text(content, headings),
        "\n".join(sorted(running)),
        _format(page_count, headings),
    )


def _format(page_count: int, headings: dict[_Box, str]) -> str:
    """What `referat inspect` says of the PDF: its pages, and whether the item headings came
    from the layout (one style, numbers rising) or are left to the parser's wording rules."""
    pages = f"{page_count} side{'r' if page_count != 1 else ''}"
    if not headings:
        return f"PDF: {pages}, ingen punktoverskrifter i layoutet (læst efter ordlyden)"
    size, bold = next(iter(headings)).style
    style = f"{'fed ' if bold else ''}{size:.3g} pt"
    return f"PDF: {pages}, {len(headings)} punktoverskrifter fra layoutet ({style})"


def _refuse_too_many_pages(raw: bytes, name: str, max_pages: int) -> None:
    """Count the pages from the page tree, before any page is laid out: walking the tree
    reads one small dictionary per page (milliseconds for thousands), where layout
    analysis costs tens of milliseconds and a megabyte per page. The tree is walked rather
    than its /Count trusted, since a damaged or crafted file can state any count."""
    document = PDFDocument(PDFParser(io.BytesIO(raw)))
    pages = sum(1 for _ in itertools.islice(PDFPage.create_pages(document), max_pages + 1))
    if pages > max_pages:
        raise ParseError(
            name,
            f"PDF'en har mere end {max_pages} sider, grænsen for én fil "
            "(REFERAT_MAX_PDF_PAGES hæver den); del den op, eller hæv grænsen",
        )


def _boxes(page: LTPage, number: int) -> list[_Box]:
    height = page.height or 1.0
    boxes = []
    for element in page:
        if not isinstance(element, LTTextContainer):
            continue
        lines = [
            (_line(line), 1 - line.y1 / height, 1 - line.y0 / height)
            for line in element
            if isinstance(line, LTTextLine) and line.get_text().strip()
        ]
        # A heading and the text under it may share one box: a change of style opens a box
        # of its own, so that the heading stays a line the parser can see.
        start = 0
        for end in range(1, len(lines) + 1):
            if end == len(lines) or _style(lines[end][0]) != _style(lines[start][0]):
                group = lines[start:end]
                boxes.append(
                    _Box(number, group[0][1], group[-1][2], tuple(line for line, _, _ in group))
                )
                start = end
    # Reading order: top to bottom, then left to right for boxes on the same line.
    return _table_rows(sorted(boxes, key=lambda b: (round(b.top, 2), b.lines[0].x0)))


def _line(line: LTTextLine) -> _Line:
    chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
    sizes = Counter(round(c.size, 1) for c in chars)
    bold = sum(1 for c in chars if BOLD_FONT.search(c.fontname or ""))
    return _Line(
        line.get_text().strip(),
        line.x0,
        line.x1,
        sizes.most_common(1)[0][0] if sizes else 0.0,
        bool(chars) and bold >= 0.6 * len(chars),
    )


def _style(line: _Line) -> tuple[float, bool]:
    return line.size, line.bold


def _table_rows(boxes: list[_Box]) -> list[_Box]:
    """A header table's row ('Mødedato' | '04.12.2012 kl. 16.00') comes out as two boxes
    side by side; written as 'Mødedato: 04.12.2012 kl. 16.00' it reads as the label line it
    is. Only two one-line cells whose first is a short label are joined."""
    out: list[_Box] = []
    for box in boxes:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.page == box.page
            and abs(previous.top - box.top) < 0.004
            and len(previous.lines) == 1
            and len(box.lines) == 1
            and len(previous.text.split()) <= 3
            and not box.text.isdigit()  # a page number in a contents row
            and not re.search(r"[.,;!?]$|\d$", previous.text)
            and not previous.text.rstrip(":").isdigit()
        ):
            label = previous.lines[0]
            joined = replace(
                label, text=f"{label.text.rstrip(': ')}: {box.text}", x1=box.lines[0].x1
            )
            out[-1] = replace(previous, lines=(joined,))
            continue
        out.append(box)
    return out


def _layout_headings(boxes: list[_Box]) -> dict[_Box, str]:
    """Boxes that are item headings, with their heading written as 'Punkt N: Title'.

    A heading is a numbered box set apart from the body text (larger or bold) in the style
    most numbered boxes share, and the numbers rise through the document: a bold "2024
    Budget" or a numbered bold sub-heading inside an item breaks the sequence and stays
    text. Rows of a table of contents are set like body text, so they are never items."""
    weights: Counter[float] = Counter()
    for box in boxes:
        for line in box.lines:
            weights[line.size] += len(line.text)
    if not weights:
        return {}
    body = weights.most_common(1)[0][0]
    candidates = [
        (box, match)
        for box in boxes
        if (box.style[0] >= body * LARGER or box.style[1])
        and (first := _heading_and_rest(box)[0])
        and not PAGE_NUMBER.match(first)
        and not TOC_LINE.search(first)
        and (match := NUMBERED_LINE.match(first))
    ]
    # The largest style that numbers at least two lines in rising order: bold numbered list
    # entries in the body text may outnumber the headings, but are not set larger.
    for style in sorted({box.style for box, _ in candidates}, reverse=True):
        styled = [(box, m) for box, m in candidates if box.style == style]
        chosen = _rising([(int(m["number"]), m["suffix"] or "") for _, m in styled])
        if len(chosen) >= 2:
            return {
                styled[i][0]: f"Punkt {int(m['number'])}{m['suffix'] or ''}: {m['title'].strip()}"
                for i in chosen
                for m in [styled[i][1]]
            }
    return {}


def _rising(keys: list[tuple[int, str]]) -> list[int]:
    """Positions of the longest subsequence of keys that never falls (a repeated number is
    two items, as minutes sometimes print it), by patience sorting: n log n, so a table
    full of bold numbers costs little."""
    tails: list[tuple[int, str]] = []  # the smallest last key of a chain of each length
    tail_at: list[int] = []  # its position
    parent: list[int] = []
    for i, key in enumerate(keys):
        length = bisect.bisect_right(tails, key)
        parent.append(tail_at[length - 1] if length else -1)
        if length == len(tails):
            tails.append(key)
            tail_at.append(i)
        else:
            tails[length], tail_at[length] = key, i
    chain: list[int] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        chain.append(i)
        i = parent[i]
    return chain[::-1]


def _running_key(text: str) -> str:
    """Header/footer text with its page number blanked, so 'Side 3 af 9' repeats."""
    return LOOSE_NUMBER.sub("#", text.strip().lower())


def _without_running_lines(boxes: list[_Box], page_count: int, keep: set[_Box]) -> list[_Box]:
    """Drop page numbers, and text that repeats at the very top or bottom of most pages.

    Only the outermost boxes of a page count (a running header comes before everything
    else), so an item heading or 'Beslutning' that happens to start many pages is kept.
    Text repeats when it stands on at least two pages and on half of them: in a two-page
    file an item heading at the top of page 2 is not a header. An item heading found from
    the layout is never dropped."""
    outermost: set[int] = set()
    for page in {b.page for b in boxes}:
        on_page = [i for i, b in enumerate(boxes) if b.page == page]
        outermost.update(on_page[:2] + on_page[-2:])
    candidates = [
        i
        for i in outermost
        if (boxes[i].bottom <= MARGIN or boxes[i].top >= 1 - MARGIN) and boxes[i] not in keep
    ]
    pages_per_key: Counter[str] = Counter()
    for _, key in {(boxes[i].page, _running_key(boxes[i].text)) for i in candidates}:
        pages_per_key[key] += 1
    repeated = {k for k, n in pages_per_key.items() if n >= 2 and n >= page_count / 2}
    dropped = {
        i
        for i in candidates
        if _running_key(boxes[i].text) in repeated or PAGE_NUMBER.match(boxes[i].text.strip())
    }
    return [b for i, b in enumerate(boxes) if i not in dropped]


def _page_text(boxes: list[_Box], headings: dict[_Box, str]) -> str:
    """Paragraphs joined by blank lines, each page after a PAGE_BREAK line."""
    parts: list[str] = []
    page = boxes[0].page if boxes else 0
    for box_page, text in _paragraphs(boxes, headings):
        if box_page != page:
            parts.append(PAGE_BREAK * (box_page - page))
            page = box_page
        parts.append(text)
    return "\n\n".join(parts)


def _paragraphs(boxes: list[_Box], headings: dict[_Box, str]) -> list[tuple[int, str]]:
    paragraphs: list[tuple[int, str]] = []
    first_heading = min((i for i, b in enumerate(boxes) if b in headings), default=len(boxes))
    in_toc = False
    page_cells: set[int] = set()
    for index, box in enumerate(boxes):
        if index in page_cells:
            continue
        text = _reflow(box)
        if box in headings:
            paragraphs.append((box.page, headings[box]))
            if rest := _heading_and_rest(box)[1]:  # what the heading's box holds under it
                paragraphs.append((box.page, rest))
            continue
        if index < first_heading and headings:
            in_toc = in_toc or bool(TOC_HEADING.match(text))
            following = boxes[index + 1] if index + 1 < len(boxes) else None
            if (
                in_toc
                and following is not None
                and len(box.lines) == 1
                and following.page == box.page
                and abs(following.top - box.top) < 0.004
                and following.text.strip().isdigit()
            ):
                # A contents row set as a table: the title, and its page in the next cell.
                text = f"{text} ..... {following.text.strip()}"
                page_cells.add(index + 1)
            text = _toc_row(text) if in_toc else text
        previous = boxes[index - 1] if index else None
        # A paragraph cut by a page break continues in lower case on the next page.
        if (
            previous is not None
            and previous.page != box.page
            and previous not in headings
            and paragraphs
            and not paragraphs[-1][1].endswith((".", ":", "!", "?"))
            and text[:1].islower()
        ):
            paragraphs[-1] = (paragraphs[-1][0], _join(paragraphs[-1][1], text))
        else:
            paragraphs.append((box.page, text))
    return paragraphs


def _toc_row(text: str) -> str:
    """A contents row as the parser knows one, 'Title ..... 7', when the items were found
    from the layout: a row printed '3 Budget 2025 7' or 'Punkt 3: Budget 2025 7' is then
    neither an item heading nor item text."""
    rows = []
    for line in text.split("\n"):
        match = TOC_PAGE.match(line)
        if match and not TOC_LINE.search(line) and NUMBERED_LINE.match(match["entry"]):
            line = f"{match['entry']} ..... {match['page']}"
        rows.append(line)
    return "\n".join(rows)


ROW_SEPARATOR = " · "
# A title wraps onto two or three lines at most; more lines in its style are something else.
MAX_TITLE_LINES = 3


def _heading_and_rest(box: _Box) -> tuple[str, str]:
    """A heading box's title and the text under it. The title goes on in the lines set in
    the heading's own style: a long title breaks early where a long word does not fit
    ("… om Greve Kommunes" / "informationssikkerhedsforanstaltninger mod …"), so the line
    lengths do not tell. A case number or a section heading under it is not part of the
    title, whatever its style."""
    title = [box.lines[0]]
    for line in box.lines[1:MAX_TITLE_LINES]:
        text = line.text.strip()
        if (
            (line.size, line.bold) != box.style
            or CASE_LABEL.match(text)
            or is_case_number(text)
            or text.endswith(":")
            or text.lower() in SECTION_HEADINGS
        ):
            break
        title.append(line)
    heading = title[0].text.strip()
    for line in title[1:]:
        heading = _join(heading, line.text.strip())
    rest = box.lines[len(title) :]
    return heading, _reflow(replace(box, lines=rest)) if rest else ""


def _reflow(box: _Box) -> str:
    """Lines of one box -> text where wrapped lines are joined and short lines stay lines."""
    right = max(line.x1 for line in box.lines)
    left = min(line.x0 for line in box.lines)
    width = max(right - left, 1.0)
    out: list[str] = [box.lines[0].text]
    for previous, line in zip(box.lines, box.lines[1:], strict=False):
        wrapped = (
            right - previous.x1 <= WRAP_TOLERANCE * width
            and not previous.text.endswith(":")
            and not TOC_LINE.search(previous.text)
            and not BULLET.match(line.text)
            # Two table rows as the readers write them ("Faktisk antal · 2.107"): each its
            # own line, however wide.
            and not (ROW_SEPARATOR in previous.text and ROW_SEPARATOR in line.text)
        )
        # A row's next cell put on a line of its own ("· 2.543.537 kr.") goes on with the row:
        # no line of text starts with the readers' cell separator.
        continues_row = line.text.startswith(ROW_SEPARATOR.lstrip())
        if wrapped or continues_row:
            out[-1] = _join(out[-1], line.text)
        else:
            out.append(line.text)
    return "\n".join(out)


def _join(first: str, second: str) -> str:
    """Join a wrapped line to the next: 'beskæf-' + 'tigelse' is one word, 'IPS-' + 'team'
    keeps its hyphen, and 'Social-' + 'og ...' keeps hyphen and space."""
    if first.endswith("-") and not re.match(r"(?:og|eller|samt|til)\b", second):
        if re.search(r"[a-zæøå]-$", first) and second[:1].islower():
            return first[:-1] + second
        if re.search(r"[A-ZÆØÅ0-9]-$", first):
            return first + second
    return f"{first} {second}"
