"""Files -> plain text the parser reads: one line per heading, label or paragraph.

Each format has its own adapter (pdf_text, html_text); this module picks one by suffix and
decodes plain text. Structured exports (FirstAgenda JSON) say what the parser would have to
guess, so their reader returns a Meeting directly (read_structured). Every failure is a
ParseError naming the file and a reason a user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import ParseError
from assistant.core.types import Meeting


@dataclass(frozen=True)
class ExtractedText:
    """A file's content text, plus text around it that is not content but says whose minutes
    these are: a page's <title> and footer, a PDF's running headers and footers."""

    text: str
    context: str = ""


# Between two pages of a paged format: a form feed on a line of its own, as pdftotext writes
# it. Cleaning reads it as a blank line; the page fallback counts it to number pages.
PAGE_BREAK = "\f"

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
STRUCTURED_SUFFIXES = (".json",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + STRUCTURED_SUFFIXES


def read_structured(path: Path, municipality: str | None = None) -> Meeting | None:
    """The Meeting of a structured export (FirstAgenda publication JSON), or None when the
    file is a text format for the parser. Raises ParseError with a reason."""
    if path.suffix.lower() not in STRUCTURED_SUFFIXES:
        return None
    raw = _read(path)
    from assistant.ingest.readers.firstagenda import read_firstagenda

    return read_firstagenda(raw, path.name, municipality)


def _read(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ParseError(path.name, f"filen kan ikke læses ({error.strerror})") from error
    if not raw.strip():
        raise ParseError(path.name, "filen er tom")
    return raw


def extract_text(path: Path) -> ExtractedText:
    """The text of a minutes file, whatever its format. Raises ParseError with a reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES or suffix in STRUCTURED_SUFFIXES:
        raise ParseError(path.name, f"filtypen {suffix or '(ingen)'} understøttes ikke")
    raw = _read(path)
    if suffix in PDF_SUFFIXES:
        from assistant.ingest.readers.pdf import pdf_to_text

        return pdf_to_text(raw, path.name)
    if suffix in HTML_SUFFIXES:
        from assistant.ingest.readers.html import html_to_text

        return html_to_text(raw, path.name)
    return ExtractedText(decode_text(raw))


def decode_text(raw: bytes) -> str:
    """Bytes of a text export -> str with æ, ø, å intact.

    Word's "Unicode" export is UTF-16 with a byte-order mark; most files are UTF-8; older
    Windows exports are cp1252, which covers latin-1's letters. The five bytes cp1252 leaves
    undefined only occur in latin-1 text, which then decodes as latin-1.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")
