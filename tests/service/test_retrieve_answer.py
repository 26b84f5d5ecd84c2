"""Behaviour on the real samples: which item is found, what the answer and citations say."""

from __future__ import annotations

import re

import pytest

from assistant.core.chunk_format import CLOSED_BODY
from assistant.core.errors import InvalidQuestion
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.conversation import standalone_question
from tests.conftest import SAMPLES

IPS_QUESTION = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"


def _key(hit) -> tuple[str, int]:
    return hit.best.meeting_date, hit.best.item_number


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (IPS_QUESTION, ("2024-01-04", 2)),
        ("Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?", ("2023-09-06", 3)),
        ("Hvornår er ansøgningsperioden for CSR-mærket?", ("2024-09-02", 72)),
        ("Status på den fokuserede integrationsindsats og jobskolen", ("2023-10-05", 79)),
    ],
)
def test_hybrid_retrieval_finds_the_right_item_first(
    sample_assistant: Assistant, question: str, expected: tuple[str, int]
) -> None:
    hits = sample_assistant.retriever.search(question)
    assert _key(hits[0]) == expected


def test_a_named_municipality_keeps_other_municipalities_out(sample_assistant: Assistant) -> None:
    hits = sample_assistant.retriever.search(
        "IPS unge psykiske lidelser", where=SearchFilter(municipality="Vejle")
    )
    assert hits and {h.best.municipality for h in hits} == {"Vejle"}
    answer = sample_assistant.ask("Hvad har Vejle gjort med IPS-indsatsen?")
    assert answer.citations and {c.municipality for c in answer.citations} == {"Vejle"}


def test_a_case_number_in_the_question_finds_that_case(sample_assistant: Assistant) -> None:
    assert sample_assistant.filters_in_question("Hvad er status på sag 23/7010?") == (
        SearchFilter(case_key="23-7010")
    )
    # Written with zero padding or another separator, it is still the same case.
    assert sample_assistant.filters_in_question("Hvad skete der i sag 23-007010?") == (
        SearchFilter(case_key="23-7010")
    )
    answer = sample_assistant.ask("Hvad er status på sag 23/7010?")
    first = answer.citations[0]
    assert (first.meeting_date, first.item_number, first.case_number) == (
        "2024-09-02",
        71,
        "23/7010",
    )


def test_ips_answer_quotes_the_figure_and_cites_the_item(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(IPS_QUESTION)
    assert not answer.abstained
    assert "1.609.500" in answer.text and "[1]" in answer.text
    first = answer.citations[0]
    assert (first.meeting_date, first.item_number) == ("2024-01-04", 2)
    assert first.municipality == "Mariagerfjord"
    assert first.case_number == "15.20.00-P20-1-23"
    assert first.source == SAMPLES["Mariagerfjord"].name
    # The quote is the minutes' own words, not a paraphrase.
    minutes = re.sub(r"\s+", " ", SAMPLES["Mariagerfjord"].read_text(encoding="utf-8"))
    assert re.sub(r"\s+", " ", first.quote) in minutes
    assert "1.609.500" in first.quote


def test_decision_questions_quote_the_decision(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvad besluttede udvalget i Næstved om ansøgningen til investeringspuljen?"
    )
    first = answer.citations[0]
    assert (first.meeting_date, first.item_number) == ("2021-09-28", 96)
    assert "Godkendt." in first.quote and "Jette Leth Buhl" in first.quote


def test_absence_questions_quote_the_attendance_lines(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("Hvem var fraværende ved mødet i Mariagerfjord?")
    assert "Per Kragelund" in answer.text
    assert all(c.municipality == "Mariagerfjord" for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange penge har Vejle Kommune fået fra STAR's pulje IPS for unge?",
        "Hvor mange fordrevne fra Ukraine boede der i Mariagerfjord Kommune?",
    ],
)
def test_questions_the_minutes_do_not_answer_are_abstained(
    sample_assistant: Assistant, question: str
) -> None:
    answer = sample_assistant.ask(question)
    assert answer.abstained
    assert answer.citations == ()
    assert "kan jeg ikke finde" in answer.text


def test_a_follow_up_keeps_the_subject_of_the_conversation(sample_assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": "Fortæl om IPS-projektet for unge i Mariagerfjord"},
        {"role": "assistant", "content": "Mariagerfjord, Rebild og Vesthimmerland samarbejder."},
    ]
    assert "IPS" in standalone_question("Hvem er projektejer?", history)
    answer = sample_assistant.ask("Hvem er projektejer?", history)
    assert "Ann Frederiksen" in answer.text
    assert (answer.citations[0].meeting_date, answer.citations[0].item_number) == ("2024-01-04", 2)


def test_a_new_subject_is_not_mixed_with_the_previous_one() -> None:
    history = [{"role": "user", "content": "Fortæl om IPS-projektet i Mariagerfjord"}]
    question = "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"
    assert standalone_question(question, history) == question


MARIAGERFJORD_TURN = {
    "role": "user",
    "content": "Hvordan indgår handicapstrategien i Mariagerfjords arbejde med beskæftigelse?",
}
STRATEGY_QUESTION = "Hvornår godkendte byrådet strategien?"


def test_a_question_naming_no_municipality_stays_in_the_conversations(
    sample_assistant: Assistant,
) -> None:
    # Alone, the question finds Vejle's strategy; after a turn about Mariagerfjord it means
    # Mariagerfjord's, although it does not point back ("det", "projektet").
    alone = sample_assistant.ask(STRATEGY_QUESTION)
    assert alone.citations[0].municipality != "Mariagerfjord"
    answer = sample_assistant.ask(STRATEGY_QUESTION, [MARIAGERFJORD_TURN])
    assert {c.municipality for c in answer.citations} == {"Mariagerfjord"}
    assert (answer.citations[0].item_number, answer.scope) == (3, "Mariagerfjord Kommune")
    # A "when" question gets the day of the approval, not the committee's decision line.
    assert "22. juni" in answer.text


def test_the_conversations_municipality_yields_when_it_has_no_answer(
    sample_assistant: Assistant,
) -> None:
    # Mariagerfjord's minutes say nothing about refugees from Ukraine: the search leaves the
    # municipality the user never asked for, rather than abstain.
    question = "Hvor mange fordrevne fra Ukraine var der i august 2023?"
    answer = sample_assistant.ask(question, [MARIAGERFJORD_TURN])
    assert not answer.abstained
    assert answer.citations[0].municipality == "Lejre"
    assert "Mariagerfjord" not in answer.scope


@pytest.mark.parametrize("question", ["", "   ", "x" * 20_000])
def test_empty_and_overlong_questions_get_a_clear_error(
    sample_assistant: Assistant, question: str
) -> None:
    with pytest.raises(InvalidQuestion):
        sample_assistant.ask(question)


def test_a_closed_item_is_found_by_title_but_cited_without_content(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask("Hvad står der om underskriftsark i Mariagerfjord?")
    first = answer.citations[0]
    assert (first.municipality, first.item_number, first.closed) == ("Mariagerfjord", 7, True)
    assert first.quote == CLOSED_BODY


def test_decision_status_and_dissent_reach_the_answer(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvem kunne ikke støtte beslutningen om investeringspuljen i Næstved?"
    )
    first = answer.citations[0]
    assert (first.item_number, first.decision_status) == (96, "godkendt")
    assert "Jette Leth Buhl kunne ikke støtte udvalgets beslutning" in answer.text


def test_a_follow_up_names_a_new_municipality_and_that_one_wins(
    sample_assistant: Assistant,
) -> None:
    history = [{"role": "user", "content": "Hvad besluttede Lejre om kvartalsbogen?"}]
    question = "Og hvad besluttede de så i Vejle?"
    query = standalone_question(question, history)
    assert query.startswith(question) and "kvartalsbogen" in query
    assert sample_assistant.filters_in_question(query).municipality == "Vejle"


def test_so_in_a_question_continues_the_conversation(sample_assistant: Assistant) -> None:
    history = [{"role": "user", "content": "Hvad handlede sagen om CSR-mærket i Aabenraa om?"}]
    answer = sample_assistant.ask("Hvornår får virksomhederne så mærket overrakt?", history)
    first = answer.citations[0]
    assert (first.municipality, first.item_number) == ("Aabenraa", 72)
