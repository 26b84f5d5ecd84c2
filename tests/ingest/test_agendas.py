"""Agendas (dagsordener) without decisions (issue 19): ingested and marked as agendas, and an
answer about one says that the decision was not yet made."""

from __future__ import annotations

import json

import pytest

from assistant.core.config import PROJECT_ROOT, Settings
from assistant.ingest.parse import parse_file, parse_minutes
from assistant.ingest.readers.firstagenda import read_firstagenda
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import SAMPLES

AGENDA = """Dagsorden

Teknik- og Miljøudvalget

Mødedato: 14.05.2024 kl. 16:00

Mødested: Rådhuset, mødelokale 2

Punkt 1: Ny cykelsti langs Ringvejen i Skælskør

Sagsnr.: 24/1234

Sagsfremstilling

Slagelse Kommune har fået tilsagn om statslige midler til en ny cykelsti langs Ringvejen. \
Anlægget koster i alt 4,5 mio. kr., hvoraf kommunen selv skal betale 1,1 mio. kr.

Indstilling

Forvaltningen indstiller, at udvalget godkender medfinansieringen af cykelstien.

Punkt 2: Vintertjeneste 2024-2025

Sagsnr.: 24/2345

Sagsfremstilling

Forvaltningen fremlægger regulativet for vintertjenesten i Slagelse Kommune for den kommende \
sæson med uændret serviceniveau på skoleveje og cykelstier.

Indstilling

Forvaltningen indstiller, at udvalget godkender regulativet.
"""


def test_an_agenda_is_marked_as_one_and_its_items_kept() -> None:
    meeting = parse_minutes(AGENDA, source="dagsorden.txt")
    assert meeting.agenda
    assert [(i.number, i.case_number, i.decision) for i in meeting.items] == [
        (1, "24/1234", ""),
        (2, "24/2345", ""),
    ]
    assert any("dagsorden" in w for w in meeting.warnings)


def test_minutes_are_not_agendas() -> None:
    # The samples' contents headings and "Godkendelse af dagsorden" do not make them agendas.
    assert not any(parse_file(path).agenda for path in SAMPLES.values())
    # A document titled "Dagsorden" whose items carry decisions is minutes all the same.
    decided = AGENDA.replace("Punkt 2:", "Beslutning\n\nGodkendt.\n\nPunkt 2:")
    assert not parse_minutes(decided, source="d.txt").agenda


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("agenda")
    (folder / "dagsorden.txt").write_text(AGENDA, encoding="utf-8")
    assistant = build_assistant(Settings(index_dir=folder / "index"))
    report = assistant.ingest([folder / "dagsorden.txt"])
    assert report.meetings == 1, report
    return assistant


def test_the_agenda_flag_is_stored_with_the_chunks(assistant: Assistant) -> None:
    answer = assistant.ask("Hvad koster cykelstien langs Ringvejen?")
    assert answer.citations and all(c.agenda for c in answer.citations)


def test_an_answer_about_an_agenda_says_the_decision_is_not_made(assistant: Assistant) -> None:
    answer = assistant.ask("Hvad besluttede udvalget om cykelstien langs Ringvejen?")
    assert not answer.abstained
    first = answer.citations[0]
    assert (first.committee, first.meeting_date, first.item_number) == (
        "Teknik- og Miljøudvalget",
        "2024-05-14",
        1,
    )
    assert "beslutningen var endnu ikke truffet" in answer.text
    assert "dagsordenen til Teknik- og Miljøudvalget" in answer.text


def test_a_firstagenda_agenda_not_yet_closed_is_marked_as_one() -> None:
    path = (
        PROJECT_ROOT
        / "eval/realworld/greve/firstagenda-json/2024-02-05_social-og-handicapudvalget.json"
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    assert not read_firstagenda(path.read_bytes(), path.name).agenda
    data["Moede"]["Afsluttet"] = False  # published before the meeting
    assert read_firstagenda(json.dumps(data).encode(), path.name).agenda
