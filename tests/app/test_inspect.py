"""`referat inspect FILE` shows, for every format, what was read: the format, the items, their
decisions and status, attendance, tables, the page fallback and warnings, so that a user can
see why a file answers badly. Real files, through the real command (typer's CliRunner)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.app.cli import app
from assistant.core.config import PROJECT_ROOT
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file
from tests.conftest import SAMPLES
from tests.ingest.test_agendas import AGENDA
from tests.ingest.test_page_fallback import COMMITTEE, PAGES
from tests.pdf_layouts import LAYOUTS, unknown_layout

GREVE = PROJECT_ROOT / "eval" / "realworld" / "greve" / "firstagenda-json"
# Tables in 13 items (item 5: arrears 2019-2024 and write-offs 2019-2024, six rows each);
# items 1 and 3 are closed, and their bodies hold a decision that must never be shown.
OEKONOMI = GREVE / "2025-03-10_oekonomiudvalget.json"
CLOSED_BODIES = ("Temamødet blev holdt", "Freja Ejendomme", "udnyttelsesmuligheder")
# A substitute named in the participant list, two members flagged ParticipationCancelled.
BYRAAD = GREVE / "2025-01-29_byraad.json"

runner = CliRunner()


def inspect(*args: str) -> str:
    result = runner.invoke(app, ["inspect", *args])
    assert result.exit_code == 0, result.output
    return result.output


def item_block(output: str, heading: str) -> list[str]:
    """The lines an item prints, from its heading line to the blank line after it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


@pytest.fixture(scope="module")
def oekonomi() -> str:
    return inspect(str(OEKONOMI))


def test_firstagenda_json_shows_its_format_sitting_and_summary(oekonomi: str) -> None:
    lines = oekonomi.splitlines()
    assert "Format:       FirstAgenda-JSON" in lines
    assert "Art:          referat" in lines
    # The id `referat sources` lists and `remove --meeting` takes; FirstAgenda's scheduled
    # time is part of it. Pinned: the format is no part of a meeting's identity.
    assert "Møde-id:      88e6b1faf870 (kl. 16:15)" in lines
    summary = next(line for line in lines if line.startswith("Fundet:"))
    assert summary.startswith("Fundet:       30 punkter (2 lukkede), 27 med beslutning ("), summary
    assert "anbefalet 19" in summary and re.search(r", \d+ tabelrækker$", summary), summary


def test_a_table_is_shown_by_its_row_count_and_first_rows(oekonomi: str) -> None:
    block = item_block(oekonomi, "Punkt 5: Restanceopgørelse pr. 31. december 2024")
    assert "    Tabel: 12 rækker, fx:" in block, block
    first = block[block.index("    Tabel: 12 rækker, fx:") + 1]
    # One line per cell, each with its row's year and its column's header, as indexed.
    assert first.startswith("      «2019 · Restance ultimo året i alt · 60,1 | 2019 · "), first
    # An item without a table says nothing of tables.
    assert not any("Tabel:" in line for line in item_block(oekonomi, "Punkt 2: "))


def test_a_closed_item_is_shown_by_its_title_only(oekonomi: str) -> None:
    assert item_block(oekonomi, "Punkt 1: ") == [
        "Punkt 1: Lukket: Temamøde Borgerrådgiver - Årsberetning 2024 · Sag 25-001154 [LUKKET]",
        "    Lukket: kun titlen er læst",
    ]
    assert item_block(oekonomi, "Punkt 3: ")[0].endswith("[LUKKET]")
    for body in CLOSED_BODIES:
        assert body not in oekonomi


def test_attendance_is_shown_as_recorded_with_counts() -> None:
    lines = inspect(str(BYRAAD)).splitlines()
    participants = next(line for line in lines if line.startswith("Deltagere:"))
    assert participants.startswith("Deltagere:    21 (Simon Østergaard, "), participants
    assert "Conni Bergendorff (Stedfortræder for Torben Hoffmann)" in participants
    assert "Fraværende:   2 (Dorthe Bøgh Madsen, Torben Hoffmann)" in lines


def test_json_carries_the_format_page_fallback_and_table_rows() -> None:
    data = json.loads(inspect("--json", str(OEKONOMI)))
    assert (data["format"], data["agenda"], data["page_fallback"]) == (
        "FirstAgenda-JSON",
        False,
        False,
    )
    assert (data["sitting"], data["variant"], data["meeting_id"]) == ("16:15", "", "88e6b1faf870")
    items = {item["number"]: item for item in data["items"]}
    rows = items[5]["table_rows"]
    assert len(rows) == 12
    assert rows[0].split("\n")[0] == "2019 · Restance ultimo året i alt · 60,1"
    for number in (1, 3):
        closed = items[number]
        assert closed["closed"] and closed["table_rows"] == [] and closed["sections"] == []
    for body in CLOSED_BODIES:
        assert body not in json.dumps(data, ensure_ascii=False)


def test_the_format_changes_neither_meeting_nor_chunk_ids() -> None:
    meeting = parse_file(OEKONOMI)
    unformatted = replace(meeting, format="")
    assert meeting.meeting_id == unformatted.meeting_id
    assert [c.id for c in chunk_meeting(meeting)] == [c.id for c in chunk_meeting(unformatted)]


def test_a_text_sample_shows_format_decisions_and_statuses() -> None:
    output = inspect(str(SAMPLES["Vejle"]))
    lines = output.splitlines()
    assert "Format:       tekst" in lines
    assert "Art:          referat" in lines
    assert any(
        line.startswith("Fundet:       7 punkter (0 lukkede), 7 med beslutning (")
        and line.endswith(", 0 tabelrækker")
        for line in lines
    ), output
    # No FirstAgenda sitting: the committee-and-day id.
    assert any(re.fullmatch(r"Møde-id:      [0-9a-f]{12}", line) for line in lines), output


def test_an_agenda_says_it_is_not_decided_yet(tmp_path: Path) -> None:
    path = tmp_path / "dagsorden.md"
    path.write_text(AGENDA, encoding="utf-8")
    lines = inspect(str(path)).splitlines()
    assert "Format:       Markdown" in lines
    assert "Art:          dagsorden, ikke behandlet endnu" in lines
    assert "Fundet:       2 punkter (0 lukkede), 0 med beslutning, 0 tabelrækker" in lines
    assert json.loads(inspect("--json", str(path)))["agenda"] is True


def test_a_pdf_shows_its_pages_and_where_its_headings_came_from(tmp_path: Path) -> None:
    source = parse_file(GREVE / "2023-09-14_klima-teknik-og-miljoeudvalget.json")
    pdf = LAYOUTS["bold"](source, tmp_path / "klima.pdf")
    output = inspect(str(pdf))
    # The bold layout sets item headings bold in 14 pt; all 16 were found from the layout.
    assert re.search(
        r"^Format:       PDF: \d+ sider, 16 punktoverskrifter fra layoutet \(fed 14 pt\)$",
        output,
        re.MULTILINE,
    ), output
    assert "Fundet:       16 punkter (2 lukkede)" in output
    data = json.loads(inspect("--json", str(pdf)))
    assert data["format"].startswith("PDF: ") and data["page_fallback"] is False


HTML_PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Referat - Økonomiudvalget</title></head>
<body><main>
<h1>Økonomiudvalget</h1>
<p>Referat</p>
<dl><dt>Mødedato</dt><dd>10-03-2025, kl. 16:15</dd><dt>Mødested</dt><dd>Biblioteket</dd></dl>
<h2>1. Godkendelse af dagsorden</h2>
<h3>Beslutning</h3><p>Godkendt.</p>
<h2>2. Kommunal- og regionsrådsvalg 2025</h2>
<p class="case">Sagsnr.: 25-000866</p>
<h3>Sagsfremstilling</h3>
<p>Antallet af stemmeberettigede på de fem afstemningssteder i Greve Kommune:</p>
<table>
<tr><td><strong>Afstemningssted</strong></td><td><strong>November 2021</strong></td>
<td><strong>Januar 2025</strong></td></tr>
<tr><td>Arenaskolen ved Greve Kulturbase</td><td>5.601</td><td>5.765</td></tr>
<tr><td>Mosedeskolen</td><td>5.702</td><td>5.717</td></tr>
</table>
<h3>Beslutning</h3><p>Anbefales godkendt.</p>
</main>
<footer>Greve Kommune · Rådhusholmen 10</footer>
</body></html>
"""


def test_an_html_page_shows_its_format_and_table_rows(tmp_path: Path) -> None:
    path = tmp_path / "oekonomiudvalget.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    output = inspect(str(path))
    assert "Format:       HTML" in output.splitlines()
    block = item_block(output, "Punkt 2: Kommunal- og regionsrådsvalg 2025")
    # The page reader keeps a row of three cells as one line of cells (readers/html.py).
    assert block[block.index("    Tabel: 3 rækker, fx:") + 1 :][:2] == [
        "      «| Afstemningssted | November 2021 | Januar 2025 |»",
        "      «| Arenaskolen ved Greve Kulturbase | 5.601 | 5.765 |»",
    ], block
    data = json.loads(inspect("--json", str(path)))
    assert data["format"] == "HTML"
    assert [len(item["table_rows"]) for item in data["items"]] == [0, 3]


def test_a_document_without_items_says_it_was_read_page_by_page(tmp_path: Path) -> None:
    pdf = unknown_layout(tmp_path / "referat-ukendt.pdf", PAGES, COMMITTEE, "12.03.2024")
    output = inspect(str(pdf))
    lines = output.splitlines()
    assert (
        "Format:       PDF: 3 sider, ingen punktoverskrifter i layoutet (læst efter ordlyden)"
    ) in lines
    assert (
        "Ingen dagsordenspunkter fundet: læst side for side (3 sider), svar henviser til mødet "
        "og siden"
    ) in lines
    # Each page is shown as the page it is, never as an item "Punkt 0".
    assert [line.split(":")[0] for line in lines if line.startswith(("Side ", "Punkt "))] == [
        "Side 1",
        "Side 2",
        "Side 3",
    ]
    assert "    Beslutning: godkendt" in item_block(output, "Side 2: ")
    assert "ingen dagsordenspunkter fundet; indlæst side for side" in output  # the warning
    data = json.loads(inspect("--json", str(pdf)))
    assert data["page_fallback"] is True
    assert [(item["number"], item["page"]) for item in data["items"]] == [(0, 1), (0, 2), (0, 3)]
