"""List questions on real Greve minutes (FirstAgenda JSON): the entries are quoted with the
sentence that announces them, when they are table rows and when the announcing sentence has
no colon ("… består af fire pejlemærker." followed by the sentence that names them)."""

from __future__ import annotations

import pytest

from assistant.core.config import PROJECT_ROOT, Settings
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant

GREVE = PROJECT_ROOT / "eval" / "realworld" / "greve" / "firstagenda-json"


@pytest.fixture(scope="module")
def greve(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    assistant = build_assistant(Settings(index_dir=tmp_path_factory.mktemp("greve-lists")))
    files = [
        GREVE / "2025-03-25_plan-og-tryghedsudvalget.json",
        GREVE / "2023-01-09_beskaeftigelses-og-erhvervsudvalget.json",
    ]
    assert assistant.ingest(files).meetings == 2
    return assistant


def test_table_rows_after_an_announcing_sentence_are_the_list(greve: Assistant) -> None:
    answer = greve.ask("Inden for hvilke brancher arbejder de beskæftigede ukrainere i Greve?")
    quote = answer.citations[0].quote
    assert "følgende brancher" in quote
    for row in ("Bygge og anlæg · Antal · 31", "Hoteller og restauranter · Antal · 18",
                "Transport · Antal · 16"):  # fmt: skip
        assert row in quote, row


def test_a_list_announced_without_a_colon_brings_the_sentence_naming_it(greve: Assistant) -> None:
    answer = greve.ask("Hvilke fire pejlemærker bygger Vækst- og Erhvervspolitikken 2023-2026 på?")
    quote = answer.citations[0].quote
    assert "består af fire pejlemærker" in quote
    assert "rammevilkår, arbejdskraft, grøn vækst og iværksætteri" in quote


def test_days_and_hours_open_the_answer(greve: Assistant) -> None:
    # eval/realworld r081, asked on its own: the weekdays and the hours, not a date.
    answer = greve.ask("På hvilke dage og tidspunkter skal tryghedsvagterne i Greve være på gaden?")
    opening = answer.text.partition("\n\n")[0]
    assert opening.startswith("Kort svar: ") and opening.endswith("[1]"), answer.text
    assert "torsdag, fredag og lørdag" in opening and "15.00-24.00" in opening
    assert "15.00-24.00" in answer.citations[0].quote


def test_what_someone_may_do_is_the_list_under_the_line_that_opens_it(greve: Assistant) -> None:
    # Greve, 25 March 2025, "Tryghedsvagter i Greve Kommune": the powers are the entries under
    # "Tryghedsvagterne kan:", whose own words are few.
    answer = greve.ask("Hvad må de kommunale tryghedsvagter i Greve gøre?")
    assert not answer.abstained
    quote = answer.citations[0].quote
    assert answer.citations[0].item_title == "Tryghedsvagter i Greve Kommune"
    assert "Tryghedsvagterne kan: - Henstille til personer" in quote
    assert "- Foretage foto- og videooptagelser" in quote and "til politiet" in quote
