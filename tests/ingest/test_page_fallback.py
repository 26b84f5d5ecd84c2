"""Nothing readable is refused (issue 19): a document that reads as minutes but whose items
cannot be found is indexed page by page, with the meeting's metadata and a warning naming the
file, and answers cite the meeting and the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.core.config import Settings
from assistant.core.errors import ParseError
from assistant.ingest.parse import parse_file, parse_minutes
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.pdf_layouts import unknown_layout

COMMITTEE = "Teknik- og Miljøudvalget"
PAGES = [
    "Slagelse Kommune har i foråret gennemgået kommunens vejnet og prioriteret de strækninger, "
    "hvor trafiksikkerheden er ringest. Gennemgangen omfatter både skoleveje og landeveje, og "
    "forvaltningen har talt trafik på 41 strækninger i løbet af april og maj.\n\n"
    "Udvalget drøftede resultaterne og bad forvaltningen om at vende tilbage med en plan for "
    "de ti mest belastede strækninger, herunder en vurdering af udgifterne.",
    "Vejdirektoratet har bevilget 3,4 mio. kr. til en ny cykelsti langs Ringvejen i Skælskør. "
    "Kommunen skal selv finansiere 1,1 mio. kr., som afholdes af anlægspuljen for "
    "trafiksikkerhed. Anlægget forventes at begynde i september og være færdigt inden jul.\n\n"
    "Beslutning\n\nUdvalget godkendte medfinansieringen af cykelstien.",
    "Forvaltningen orienterede om vintertjenesten, der i den forgangne sæson saltede veje på "
    "38 dage. Udgifterne lå inden for budgettet, og der er indkøbt to nye saltspredere.",
]


@pytest.fixture(scope="module")
def unknown_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fallback")
    return unknown_layout(folder / "referat-ukendt.pdf", PAGES, COMMITTEE, "12.03.2024")


def test_a_document_without_items_is_read_page_by_page(unknown_pdf: Path) -> None:
    meeting = parse_file(unknown_pdf)
    assert (meeting.municipality, meeting.committee, meeting.date) == (
        "Slagelse",
        COMMITTEE,
        dt.date(2024, 3, 12),
    )
    assert [(item.number, item.page) for item in meeting.items] == [(0, 1), (0, 2), (0, 3)]
    assert "3,4 mio. kr." in meeting.items[1].sections[0].text
    assert meeting.items[1].decision_status == "godkendt"
    assert any("referat-ukendt.pdf" in w and "side for side" in w for w in meeting.warnings)


@pytest.fixture(scope="module")
def assistant(unknown_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    assistant = build_assistant(Settings(index_dir=tmp_path_factory.mktemp("index")))
    report = assistant.ingest([unknown_pdf])
    assert report.meetings == 1 and report.skipped == (), report
    assert any(
        source == "referat-ukendt.pdf" and "side for side" in warning
        for source, warning in report.warnings
    ), report.warnings
    return assistant


def test_an_answer_from_a_page_cites_the_meeting_and_the_page(assistant: Assistant) -> None:
    answer = assistant.ask("Hvor meget har Vejdirektoratet bevilget til cykelstien i Skælskør?")
    assert not answer.abstained
    first = answer.citations[0]
    assert (first.committee, first.meeting_date, first.page, first.item_number) == (
        COMMITTEE,
        "2024-03-12",
        2,
        0,
    )
    assert "3,4 mio. kr." in answer.text
    assert "side 2" in answer.text and "punkt 0" not in answer.text
    # The whole-item view of the cited page shows that page, not the others.
    shown = " ".join(line for _, line in assistant.item_sections(first))
    assert "cykelsti" in shown and "saltede" not in shown


def test_closed_text_without_items_is_withheld_from_its_marker_on() -> None:
    text = (
        f"Referat\n\n{COMMITTEE}\n\nMødedato: 12.03.2024\n\n{PAGES[0]}\n\f\n"
        f"Lukket punkt\n\nMedarbejderen Herluf Hjortshøj fratræder med godtgørelse.\n\n{PAGES[2]}"
    )
    meeting = parse_minutes(text, source="m.txt")
    everything = "\n".join(s.text for item in meeting.items for s in item.sections)
    assert "Hjortshøj" not in everything and "saltede" not in everything
    assert [item.page for item in meeting.items] == [1]
    assert any("Lukket punkt" in w and "ikke indlæst" in w for w in meeting.warnings)


def test_a_short_dated_note_is_still_refused() -> None:
    text = (
        f"REFERAT {COMMITTEE} d. 04-01-2024\n\n"
        "Mødedato Torsdag d. 04. januar 2024 kl. 10:00\n\n"
        "Dette er et nyhedsbrev uden dagsordenspunkter.\n"
    )
    with pytest.raises(ParseError, match="ingen dagsordenspunkter"):
        parse_minutes(text, source="n.txt")
