"""Files -> plain text the parser reads: one line per heading, label or paragraph.

Each format has its own adapter (pdf_text, html_text); this module picks one by suffix and
decodes plain text. Structured exports (FirstAgenda JSON) say what the parser would have to
guess, so their reader returns a Meeting directly (read_structured). Every failure is a
ParseError naming the file and a reason a user can act on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.core.config import ReadLimits
from assistant.core.errors import ParseError
from assistant.core.types import Meeting


@dataclass(frozen=True)
class ExtractedText:
    """A file's content text, plus text around it that is not content but says whose minutes
    these are: a page's <title> and footer, a PDF's running headers and footers."""

    text: str
    context: str = ""
    # The form it was read in, as `Meeting.format` names it (set by the reader, which knows
    # what it found: a PDF's page count and where its item headings came from).
    format: str = ""


# Between two pages of a paged format: a form feed on a line of its own, as pdftotext writes
# it. Cleaning reads it as a blank line; the page fallback counts it to number pages.
PAGE_BREAK = "\f"

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
STRUCTURED_SUFFIXES = (".json",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + STRUCTURED_SUFFIXES


def read_structured(
    path: Path, municipality: str | None = None, limits: ReadLimits | None = None
) -> Meeting | None:
    """The Meeting of a structured export (FirstAgenda publication JSON), or None when the
    file is a text format for the parser. Raises ParseError with a reason."""
    if path.suffix.lower() not in STRUCTURED_SUFFIXES:
        return None
    limits = limits or ReadLimits()
    raw = _read(path, limits)
    from assistant.ingest.readers.firstagenda import read_firstagenda

    return read_firstagenda(raw, path.name, municipality, limits)


def check_size(path: Path, limits: ReadLimits, name: str | None = None) -> None:
    """Refuse a file over the size limit from its directory entry, before a byte is read:
    hashing or decoding 30 MB would hold the only ingest lane long before any reader could
    say no."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ParseError(name or path.name, f"filen kan ikke læses ({error.strerror})") from error
    if size > limits.max_file_bytes:
        raise ParseError(
            name or path.name,
            f"filen er {size / 1024 / 1024:.1f} MB, mere end grænsen på {limits.max_file_mb:g} MB "
            "(REFERAT_MAX_FILE_MB hæver den)",
        )


def _read(path: Path, limits: ReadLimits) -> bytes:
    check_size(path, limits)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ParseError(path.name, f"filen kan ikke læses ({error.strerror})") from error
    if not raw.strip():
        raise ParseError(path.name, "filen er tom")
    return raw


def extract_text(path: Path, limits: ReadLimits | None = None) -> ExtractedText:
    """The text of a minutes file, whatever its format, without control characters and with
    no line longer than the limit. Raises ParseError with a reason."""
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES or suffix in STRUCTURED_SUFFIXES:
        raise ParseError(path.name, f"filtypen {suffix or '(ingen)'} understøttes ikke")
    raw = _read(path, limits)
    if suffix in PDF_SUFFIXES:
        from assistant.ingest.readers.pdf import pdf_to_text

        extracted = pdf_to_text(raw, path.name, limits)
    elif suffix in HTML_SUFFIXES:
        from assistant.ingest.readers.html import html_to_text

        extracted = html_to_text(raw, path.name, limits)
    else:
        extracted = ExtractedText(
            decode_text(raw), format="Markdown" if suffix == ".md" else "tekst"
        )
    # Every reader's text passes here, so no reader can hand the parser a NUL or a line that
    # makes a pattern's work unbounded.
    return ExtractedText(
        bounded_lines(without_controls(extracted.text), limits.max_line_chars),
        bounded_lines(without_controls(extracted.context), limits.max_line_chars),
        extracted.format,
    )


# C0 control characters except tab, newline and form feed (carriage returns become newlines
# first), and DEL: a NUL in a title is invisible on screen and breaks quotes, search and the
# store's strings. The form feed stays: it is the page break (PAGE_BREAK) the PDF reader
# writes and text exports of PDFs carry, which the page fallback cites pages by.
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


def without_controls(text: str) -> str:
    """Text with CRLF/CR as newlines and other control characters removed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)


# Each byte as cp1252 reads it, latin-1 for the five bytes cp1252 leaves undefined.
_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]


def _cp1252_for_invalid_utf8(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as cp1252: a file pasted together from a UTF-8 and a
    Windows export reads right in both parts, even within one line."""
    assert isinstance(error, UnicodeDecodeError)
    return "".join(_CP1252[b] for b in error.object[error.start : error.end]), error.end


codecs.register_error("referat-cp1252", _cp1252_for_invalid_utf8)


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes look like UTF-16 without a byte-order mark:
    Danish text is nearly all below U+0100, so every other byte is NUL, and only on one side."""
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even_nul = sample[0 : pairs * 2 : 2].count(0)
    odd_nul = sample[1 : pairs * 2 : 2].count(0)
    if odd_nul >= 0.6 * pairs and even_nul <= 0.05 * pairs:
        return "utf-16-le"
    if even_nul >= 0.6 * pairs and odd_nul <= 0.05 * pairs:
        return "utf-16-be"
    return None


def decode_text(raw: bytes) -> str:
    """Bytes of a text export -> str with æ, ø, å intact.

    Word's "Unicode" export is UTF-16, with a byte-order mark or (some converters) without
    one; most files are UTF-8; older Windows exports are cp1252, which covers latin-1's
    letters. A file is read as UTF-8 and any byte run that is not UTF-8 as cp1252, so a
    cp1252 file, a UTF-8 file and one pasted together from both all read right.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if encoding := _utf16_without_bom(raw):
        return raw.decode(encoding, errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", errors="referat-cp1252")


_SENTENCE_END = re.compile(r"[.!?:;](?=\s)")


def bounded_lines(text: str, max_chars: int) -> str:
    """Text in which no line is longer than `max_chars`: a longer line is split after the
    last sentence end that fits, else at the last space, else hard at the limit. A readable
    document is never refused for a long line, and every pattern after this sees bounded
    input."""
    lines = text.split("\n")
    if all(len(line) <= max_chars for line in lines):
        return text
    out: list[str] = []
    for line in lines:
        start = 0  # an offset, not slices: a slice per piece would copy the rest each time
        while len(line) - start > max_chars:
            window = line[start : start + max_chars + 1]
            cut = 0
            for match in _SENTENCE_END.finditer(window):
                cut = match.end()
            if cut < max_chars // 4:
                space = window.rfind(" ")
                cut = space if space > 0 else max_chars
            out.append(window[:cut].rstrip())
            start += cut
            while start < len(line) and line[start] == " ":
                start += 1
        out.append(line[start:])
    return "\n".join(out)
