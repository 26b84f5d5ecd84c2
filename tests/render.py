"""Render minutes to the formats municipalities publish, for the format tests.

PDFs are laid out like a portal's export: justified paragraphs wrapped into hard lines, a
running header with the committee and date on every page, "Side N af M" in the footer, and
the table of contents with dot leaders. HTML pages follow two publishing layouts: a modern
portal page (numbered item headings, definition-list header, one <section> per item) and an
older table-based page ("Punkt N" in bold, <br> line breaks, header in a table).
"""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib
from fpdf import FPDF

from assistant.core.types import Meeting, Section
from assistant.ingest.parse import clean_lines, item_headings, section_heading

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _MinutesPdf(FPDF):
    def __init__(self, running_header: str) -> None:
        super().__init__(format="A4")
        self.running_header = running_header
        self.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, self.running_header, new_x="LMARGIN", new_y="NEXT", align="R")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 8, f"Side {self.page_no()} af {{nb}}", align="C")


def text_to_pdf(text: str, path: Path, running_header: str) -> Path:
    """Lay out minutes text as a PDF: headings bold, paragraphs wrapped and justified."""
    pdf = _MinutesPdf(running_header)
    pdf.add_page()
    lines = clean_lines(text)
    headings = {h.position for h in item_headings(lines)}
    for position, line in enumerate(lines):
        if not line:
            pdf.ln(2)
            continue
        is_heading = position in headings or section_heading(line) is not None
        pdf.set_font("DejaVu", "B" if is_heading else "", 12 if position in headings else 10)
        if position in headings and pdf.get_y() > 60:
            pdf.add_page()  # portals start every item on a new page
        pdf.multi_cell(0, 5, line, align="L" if is_heading else "J", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF with pages but no text layer, like a scan that was never OCR'ed."""
    pdf = FPDF(format="A4")
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        for row in range(20):
            pdf.rect(20, 20 + row * 12, 170, 6, style="F")  # grey bars where text was
    pdf.output(str(path))
    return path


def _label_opens_text(section: Section) -> bool:
    """Vejle's 'Direktøren indstiller' is both the heading and the first words of the text."""
    return section.label.endswith("indstiller") and section.text.startswith(section.label)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def portal_page(meeting: Meeting) -> str:
    """A modern agenda portal's meeting page (First Agenda style)."""
    header = (
        f"<dl class='meeting-info'><dt>Mødedato</dt><dd>{meeting.date:%d-%m-%Y}, "
        f"kl. {meeting.start_time}</dd><dt>Mødested</dt><dd>{_esc(meeting.location)}</dd>"
    )
    if meeting.participants:
        header += f"<dt>Deltagere</dt><dd>{_esc(', '.join(meeting.participants))}</dd>"
    header += "</dl>"
    items = []
    for item in meeting.items:
        parts = [f"<h2><span class='number'>{item.number}.</span> {_esc(item.title)}</h2>"]
        if item.case_number:
            parts.append(f"<p class='case'>Sagsnr.: {_esc(item.case_number)}</p>")
        for section in item.sections:
            if not _label_opens_text(section):
                parts.append(f"<h3>{_esc(section.label or section.heading)}</h3>")
            for paragraph in section.text.split("\n\n"):
                lines = "<br>\n".join(_esc(line) for line in paragraph.split("\n"))
                parts.append(f"<p>\n  {lines}\n</p>")
        items.append("<section class='agenda-item'>" + "\n".join(parts) + "</section>")
    toc = "".join(f"<li><a href='#p{i.number}'>{_esc(i.title)}</a></li>" for i in meeting.items)
    return f"""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Referat - {_esc(meeting.committee)}</title>
<style>body {{ font-family: sans-serif }}</style><script>var tracking = "Punkt 1: nej";</script>
</head><body>
<nav class="site-nav"><a href="/">Forside</a> <a href="/politik">Politik</a></nav>
<div class="cookie-banner">Vi bruger cookies. <button>OK</button></div>
<main>
<h1>{_esc(meeting.committee)}</h1>
<p>Referat</p>
{header}
<nav aria-label="Dagsorden"><ol>{toc}</ol></nav>
{"".join(items)}
</main>
<footer>{_esc(meeting.municipality)} Kommune · Rådhuset · Tlf. 12 34 56 78</footer>
</body></html>"""


def table_page(meeting: Meeting) -> str:
    """An older table-based publishing system's page, served as windows-1252."""
    rows = [
        f"<tr><td><b>Udvalg:</b></td><td>{_esc(meeting.committee)}</td></tr>",
        f"<tr><td><b>Mødedato:</b></td><td>{meeting.date:%d.%m.%Y} kl. "
        f"{meeting.start_time.replace(':', '.')}</td></tr>",
        f"<tr><td><b>Mødested:</b></td><td>{_esc(meeting.location)}</td></tr>",
    ]
    body = []
    for item in meeting.items:
        body.append(f"<p><b>Punkt {item.number}: {_esc(item.title)}</b><br>")
        if item.case_number:
            body.append(f"Sag nr. {_esc(item.case_number)}<br>")
        body.append("</p>")
        for section in item.sections:
            if not _label_opens_text(section):
                body.append(f"<p><u><b>{_esc(section.label or section.heading)}</b></u><br>")
            else:
                body.append("<p>")
            body.append("<br>".join(_esc(line) for line in section.text.split("\n")))
            body.append("</p>")
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Beslutningsprotokol</title></head>
<body><table class="header">{"".join(rows)}</table>
<hr>{"".join(body)}<hr>
<div role="contentinfo">Udskrevet fra {_esc(meeting.municipality)} Kommunes dagsordenssystem</div>
</body></html>"""
