"""Which questions are about a meeting as a whole, read from the question alone."""

from __future__ import annotations

import pytest

from assistant.answer.meeting import item_attendance, meeting_question

NAMES = ["Aabenraa", "Lejre", "Vejle", "Næstved", "Mariagerfjord", "Arbejdsmarkedsudvalget"]


@pytest.mark.parametrize(
    "question",
    [
        "Hvad blev ellers besluttet på mødet?",
        "Hvilke beslutninger traf Arbejdsmarkedsudvalget i Aabenraa i september 2024?",
        "Opsummer mødet i Lejre den 6. september 2023",
        "Hvad var på dagsordenen?",
        "Hvilke sager behandlede Arbejdsmarkedsudvalget i september?",
        "Hvad blev besluttet på mødet den 4. januar 2024?",
        "Hvilke punkter var der på mødet i Næstved?",
        "Summarise the meeting in Lejre on 6 September 2023",
        "What was decided at the meeting?",
    ],
)
def test_questions_about_a_whole_meeting(question: str) -> None:
    assert meeting_question(question, NAMES) == "overview"


@pytest.mark.parametrize(
    "question",
    [
        # A decision on one matter, even in a follow-up without a topic word of its own:
        # the conversation's item answers it.
        "Hvad besluttede udvalget?",
        "Hvad besluttede Arbejdsmarkedsudvalget om IPS?",
        "Hvilke beslutninger traf udvalget om IPS?",
        "Hvilke temaer indgår i handicapstrategien?",
        "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?",
    ],
)
def test_questions_with_a_topic_are_not_about_the_whole_meeting(question: str) -> None:
    assert meeting_question(question, NAMES) is None


@pytest.mark.parametrize(
    "question",
    [
        "Hvem var fraværende på det møde?",
        "Hvem havde meldt afbud?",
        "Hvem deltog ikke i mødet?",
        "Who was absent at the meeting?",
    ],
)
def test_absence_questions(question: str) -> None:
    assert meeting_question(question, NAMES) == "absence"


def test_an_absence_question_about_one_item() -> None:
    assert item_attendance("Hvem var fraværende under behandlingen af punkt 80?")
    assert not item_attendance("Hvem var fraværende på det møde?")
