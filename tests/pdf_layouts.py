"""Minutes laid out as PDFs the way other agenda systems export them, for the PDF tests.

Each builder takes a parsed Meeting (from a sample's text or a FirstAgenda JSON file) and
prints it in one system's layout, so a test can parse the PDF and compare it with its source:
- NUMBERED: "715. Title" in bold, a "Sagsnr.: 12/27845" line, "Beslutning" headings, no
  running header, every item on a new page (its heading is the first text on the page);
- BOLD: headings set bold and larger, only the number before the title ("5 Title"), a
  "Sagsnummer:" line, decisions headed "<Udvalg>s beslutning den 04.12.2012";
- TABLE: a header table (Udvalg | Mødedato | Mødested), a table of contents without dot
  leaders, the committee and date repeated at the top of every page and "N of M" at the
  bottom, "Sag nr." lines, decisions headed "Beslutning i <Udvalg> den 4. december 2012".
An unknown layout (UNKNOWN) has a dated, titled title page and case text with no item
headings at all, for the page fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF

from assistant.core.chunk_format import SECTION_HEADINGS
from assistant.core.types import AgendaItem, Meeting, Section
from assistant.danish.dates import DANISH_MONTHS
from tests.render import FONT_DIR

BODY = 10


class _Pdf(FPDF):
    def __init__(self, header_text: str = "", footer_of: bool = False) -> None:
        super().__init__(format="A4")
        self.header_text = header_text
        self.footer_of = footer_of
        self.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.header_text:
            self.set_font("DejaVu", "", 8)
            self.cell(0, 6, self.header_text, new_x="LMARGIN", new_y="NEXT", align="L")
            self.ln(4)

    def footer(self) -> None:
        if self.footer_of:
            self.set_y(-15)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 8, f"{self.page_no()} of {{nb}}", align="R")

    def text_line(self, text: str, size: float = BODY, bold: bool = False) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.multi_cell(0, size / 2, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def paragraphs(self, text: str) -> None:
        self.set_font("DejaVu", "", BODY)
        for paragraph in text.split("\n\n"):
            for line in paragraph.split("\n"):
                if line.strip():
                    self.multi_cell(0, 5, line, align="J", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)


def _printed_heading(section: Section) -> str:
    """The section's heading as printed, in a wording the section names know."""
    if section.label and section.label.lower().rstrip(":") in SECTION_HEADINGS:
        return section.label
    for printed, canonical in SECTION_HEADINGS.items():
        if canonical == section.heading:
            return printed.capitalize()
    return section.heading


def _dotted(meeting: Meeting) -> str:
    return f"{meeting.date:%d.%m.%Y}"


def _spelled(meeting: Meeting) -> str:
    return f"{meeting.date.day}. {DANISH_MONTHS[meeting.date.month - 1]} {meeting.date.year}"


def _sections(pdf: _Pdf, item: AgendaItem, decision_heading: str) -> None:
    for section in item.sections:
        if section.heading == "Beslutning":
            pdf.text_line(decision_heading, bold=True)
        elif section.heading != "Tekst":
            pdf.text_line(_printed_heading(section), bold=True)
        pdf.paragraphs(section.text)


def _title_page(pdf: _Pdf, meeting: Meeting, kind: str = "Referat") -> None:
    pdf.text_line(f"{meeting.municipality} Kommune", size=9)
    pdf.text_line(f"{kind}", size=16, bold=True)
    pdf.text_line(meeting.committee, size=14, bold=True)
    pdf.ln(3)


def _when(meeting: Meeting) -> str:
    if not meeting.start_time:
        return _dotted(meeting)
    return f"{_dotted(meeting)} kl. {meeting.start_time}"


def numbered(meeting: Meeting, path: Path) -> Path:
    """'715. Title' headings, 'Sagsnr.:' lines, no running header; items start a page."""
    pdf = _Pdf()
    pdf.add_page()
    _title_page(pdf, meeting)
    pdf.text_line(f"Mødedato: {_when(meeting)}")
    if meeting.location:
        pdf.text_line(f"Mødested: {meeting.location}")
    for index, item in enumerate(meeting.items):
        if index:
            pdf.add_page()
        pdf.text_line(f"{item.printed_number}. {item.title}", size=BODY + 1, bold=True)
        if item.case_number:
            pdf.text_line(f"Sagsnr.: {item.case_number}")
        pdf.ln(2)
        _sections(pdf, item, "Beslutning")
    pdf.output(str(path))
    return path


def bold(meeting: Meeting, path: Path) -> Path:
    """Bold, larger '5 Title' headings with only the number; genitive decision headings."""
    pdf = _Pdf()
    pdf.add_page()
    _title_page(pdf, meeting)
    pdf.text_line(f"Dato: {_when(meeting)}")
    if meeting.location:
        pdf.text_line(f"Sted: {meeting.location}")
    pdf.ln(4)
    for item in meeting.items:
        pdf.ln(4)
        pdf.text_line(f"{item.printed_number} {item.title}", size=14, bold=True)
        if item.case_number:
            pdf.text_line(f"Sagsnummer: {item.case_number}")
        pdf.ln(2)
        _sections(pdf, item, f"{meeting.committee}s beslutning den {_dotted(meeting)}")
    pdf.output(str(path))
    return path


def table(meeting: Meeting, path: Path) -> Path:
    """A header table, a contents table, the committee and date atop every page, 'N of M'."""
    pdf = _Pdf(f"{meeting.committee} - Referat - {_dotted(meeting)}", footer_of=True)
    pdf.add_page()
    _title_page(pdf, meeting)
    pdf.set_font("DejaVu", "", BODY)
    rows = [("Udvalg", meeting.committee), ("Mødedato", _when(meeting))]
    if meeting.location:
        rows.append(("Mødested", meeting.location))
    for label, value in rows:
        pdf.set_font("DejaVu", "B", BODY)
        pdf.cell(45, 7, label, border=1)
        pdf.set_font("DejaVu", "", BODY)
        pdf.cell(0, 7, value, border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.text_line("Indholdsfortegnelse", size=12, bold=True)
    pdf.set_font("DejaVu", "", BODY)
    for page, item in enumerate(meeting.items, start=2):
        entry = f"{item.printed_number}. {item.title}"
        pdf.cell(160, 6, entry[:70])
        pdf.cell(0, 6, str(page), align="R", new_x="LMARGIN", new_y="NEXT")
    for item in meeting.items:
        pdf.add_page()
        pdf.text_line(f"{item.printed_number}. {item.title}", size=12, bold=True)
        if item.case_number:
            pdf.text_line(f"Sag nr. {item.case_number}")
        pdf.ln(2)
        _sections(pdf, item, f"Beslutning i {meeting.committee} den {_spelled(meeting)}")
    pdf.output(str(path))
    return path


LAYOUTS: dict[str, Callable[[Meeting, Path], Path]] = {
    "numbered": numbered,
    "bold": bold,
    "table": table,
}


def unknown_layout(path: Path, pages: list[str], committee: str, date: str) -> Path:
    """A readable document with no item headings: a title page with the committee and the
    date, then case text page by page (plain paragraphs, nothing numbered or set apart)."""
    pdf = _Pdf()
    pdf.add_page()
    pdf.text_line("Referat", size=BODY, bold=False)
    pdf.text_line(committee)
    pdf.text_line(f"Mødedato: {date}")
    for index, text in enumerate(pages):
        if index:
            pdf.add_page()
        pdf.paragraphs(text)
    pdf.output(str(path))
    return path


def headings_pdf(path: Path, headings: list[str], body: str, size: float = 14) -> Path:
    """A short meeting whose item headings are printed as given, bold and larger, each with
    `body` under it: for heading wordings one system or another uses."""
    pdf = _Pdf()
    pdf.add_page()
    pdf.text_line("Referat", size=16, bold=True)
    pdf.text_line("Teknik- og Miljøudvalget", size=14, bold=True)
    pdf.text_line("Mødedato: 12.03.2024 kl. 16:00")
    pdf.text_line("Mødested: Rådhuset, mødelokale 2")
    for heading in headings:
        pdf.ln(4)
        pdf.text_line(heading, size=size, bold=True)
        pdf.paragraphs(body)
    pdf.output(str(path))
    return path
