"""PDF -> text, through pdfminer.six's layout analysis.

Why pdfminer.six: it is maintained, pure Python (nothing to compile, no AGPL like PyMuPDF),
and its layout analysis groups lines into text boxes with coordinates. Minutes need both:
a PDF wraps every paragraph into hard lines and repeats a header and footer on every page,
and a flat text stream (pypdf) can tell neither apart from content. Here a wrapped line is
joined to the next when it runs to the right edge of its box, and text that repeats at the
top or bottom of most pages is dropped.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTPage, LTTextContainer, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from assistant.core.config import ReadLimits
from assistant.core.errors import ParseError
from assistant.ingest.readers.extract import ExtractedText

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
PAGE_NUMBER = re.compile(r"^(?:side\s+)?\d{1,4}(?:\s*(?:af|/)\s*\d{1,4})?$", re.IGNORECASE)
# A table-of-contents line ends in a dot leader and a page number: never a wrapped line.
# Linear: the lookahead starts only at three dots or an ellipsis and its parts cannot
# share a character, so no run of dots, spaces or digits is scanned more than twice.
TOC_LINE = re.compile(r"(?:\.{3}|…)(?=\s*+(?:\|\s*+)?\d++\s*+(?:\|\s*+)?$)")
# Page numbers inside running text ("Side 3 af 9"): short numbers that are not part of a
# case number, date or amount.
LOOSE_NUMBER = re.compile(r"(?<![\d/.\-])\d{1,3}(?![\d/.\-])")


@dataclass(frozen=True)
class _Box:
    page: int
    top: float  # share of page height from the top, 0..1
    bottom: float
    lines: tuple[tuple[str, float, float], ...]  # (text, x0, x1)

    @property
    def text(self) -> str:
        return " ".join(text for text, _, _ in self.lines)


def pdf_to_text(raw: bytes, name: str, limits: ReadLimits | None = None) -> ExtractedText:
    """The text of a PDF's text layer, paragraphs separated by blank lines."""
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
    content = _without_running_lines(boxes, page_count)
    running = {box.text for box in boxes if box not in content}
    return ExtractedText("\n\n".join(_paragraphs(content)), "\n".join(sorted(running)))


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
        lines = tuple(
            (line.get_text().strip(), line.x0, line.x1)
            for line in element
            if isinstance(line, LTTextLine) and line.get_text().strip()
        )
        if lines:
            boxes.append(_Box(number, 1 - element.y1 / height, 1 - element.y0 / height, lines))
    # Reading order: top to bottom, then left to right for boxes on the same line.
    return sorted(boxes, key=lambda b: (round(b.top, 2), b.lines[0][1]))


def _running_key(text: str) -> str:
    """Header/footer text with its page number blanked, so 'Side 3 af 9' repeats."""
    return LOOSE_NUMBER.sub("#", text.strip().lower())


def _without_running_lines(boxes: list[_Box], page_count: int) -> list[_Box]:
    """Drop page numbers, and text that repeats at the very top or bottom of most pages.

    Only the outermost boxes of a page count (a running header comes before everything
    else), so an item heading or 'Beslutning' that happens to start many pages is kept."""
    outermost: set[int] = set()
    for page in {b.page for b in boxes}:
        on_page = [i for i, b in enumerate(boxes) if b.page == page]
        outermost.update(on_page[:2] + on_page[-2:])
    candidates = [i for i in outermost if boxes[i].bottom <= MARGIN or boxes[i].top >= 1 - MARGIN]
    pages_per_key: Counter[str] = Counter()
    for _, key in {(boxes[i].page, _running_key(boxes[i].text)) for i in candidates}:
        pages_per_key[key] += 1
    repeated = {k for k, n in pages_per_key.items() if page_count >= 2 and n >= page_count / 2}
    dropped = {
        i
        for i in candidates
        if _running_key(boxes[i].text) in repeated or PAGE_NUMBER.match(boxes[i].text.strip())
    }
    return [b for i, b in enumerate(boxes) if i not in dropped]


def _paragraphs(boxes: list[_Box]) -> list[str]:
    paragraphs: list[str] = []
    for index, box in enumerate(boxes):
        text = _reflow(box)
        previous = boxes[index - 1] if index else None
        # A paragraph cut by a page break continues in lower case on the next page.
        if (
            previous is not None
            and previous.page != box.page
            and paragraphs
            and not paragraphs[-1].endswith((".", ":", "!", "?"))
            and text[:1].islower()
        ):
            paragraphs[-1] = _join(paragraphs[-1], text)
        else:
            paragraphs.append(text)
    return paragraphs


def _reflow(box: _Box) -> str:
    """Lines of one box -> text where wrapped lines are joined and short lines stay lines."""
    right = max(x1 for _, _, x1 in box.lines)
    left = min(x0 for _, x0, _ in box.lines)
    width = max(right - left, 1.0)
    out: list[str] = [box.lines[0][0]]
    for (previous, _, previous_x1), (text, _, _) in zip(box.lines, box.lines[1:], strict=False):
        wrapped = (
            right - previous_x1 <= WRAP_TOLERANCE * width
            and not previous.endswith(":")
            and not TOC_LINE.search(previous)
            and not BULLET.match(text)
        )
        if wrapped:
            out[-1] = _join(out[-1], text)
        else:
            out.append(text)
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
