"""Which questions are about a meeting as a whole, read from the question alone."""

from __future__ import annotations

import pytest

from assistant.answer.meeting import (
    absent_person,
    item_attendance,
    meeting_question,
    substitutes_in,
)

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
        # As staff ask it (eval/answer-questions.jsonl).
        "Hvilke beslutninger traf JAI-udvalget i Lejre på mødet den 6. september 2023?",
        "Hvad stod der på dagsordenen, da Arbejdsmarkedsudvalget i Aabenraa holdt møde i "
        "september 2024?",
        "Hvilke sager tog Arbejdsmarkedsudvalget i Næstved op på mødet i september 2021?",
        "Giv mig et overblik over mødet i Næstved den 28. september 2021 – hvad blev der "
        "besluttet under de enkelte punkter?",
        "Hvilke punkter var på dagsordenen hos Arbejdsmarkedsudvalget i september 2023?",
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
        "Hvilke sager om IPS tog udvalget op på mødet?",
        "Hvad stod der i sagen om handicapstrategien?",
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
        "Var der nogen fra Økonomiudvalget, der ikke deltog i mødet den 8. maj 2024?",
        "Hvilke udvalgsmøder har Brigitte Klintskov Jerkel ikke deltaget i?",
        "Who was absent at the meeting?",
        # Whether one person took part in a meeting is asked by who was absent.
        "Deltog Per Kragelund i mødet den 4. januar 2024?",
        "Was Per Kragelund present at the meeting?",
    ],
)
def test_absence_questions(question: str) -> None:
    assert meeting_question(question, NAMES) == "absence"


@pytest.mark.parametrize(
    "question",
    [
        "Var der et oplæg om IPS på mødet?",  # no person named
        "Var budgettet med i drøftelsen?",
        "Deltog udvalget i inspirationsturen til Hjørring?",
        "Deltog Vejle Kommune i mødet?",  # a body, not a person
        # One item's attendance: the item answerer quotes its attendance line.
        "Var Claus Behrendsen med, da udvalget fik status på Ret til tidlig pension?",
        "Deltog Per Kragelund i mødet om handicapstrategien?",
    ],
)
def test_no_meeting_absence_question(question: str) -> None:
    assert meeting_question(question, NAMES) is None


def test_a_substitute_as_a_topic_is_no_absence_question() -> None:
    # eval/realworld r033: the council's decision on a new substitute, not an attendance list.
    question = "Hvem blev i januar 2025 godkendt som ny stedfortræder for Torben Hoffmann?"
    assert meeting_question(question, NAMES) is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Afbud: Dorthe Bøgh Madsen, Torben Hoffmann (Stedfortræder: Conni Bergendorff)",
         ["Conni Bergendorff"]),
        ("Conni Bergendorff (Stedfortræder for Torben Hoffmann)", ["Conni Bergendorff"]),
        ("Fraværende: Per Hansen. Anne Marie Lyduch deltog som suppleant.", ["Anne Marie Lyduch"]),
        ("Suppleanter: Jens Jensen og John T. Olsen. Sagen blev godkendt.",
         ["Jens Jensen", "John T. Olsen"]),
        ("Afbud fra Benthe Viola Holm stedfortræder Anders Liltorp", ["Anders Liltorp"]),
        ("Afbud: Per Lund Sørensen, Conni Bergendorff", []),
        ("Fraværende: Per Hansen, der er stedfortræder for borgmesteren i udvalget", []),
    ],
)  # fmt: skip
def test_the_substitutes_an_attendance_line_names(line: str, names: list[str]) -> None:
    assert substitutes_in(line) == names


def test_the_absentee_a_question_names() -> None:
    recorded = ["Kenneth Jerkel", "Brigitte Klintskov Jerkel", "Maria Witthøft"]
    question = "Hvilke møder har Brigitte Klintskov Jerkel ikke deltaget i?"
    assert absent_person(question, recorded) == "Brigitte Klintskov Jerkel"
    # First and last name are enough; the longer name wins over a shared surname.
    assert absent_person("Hvornår havde Brigitte Jerkel afbud?", recorded) == (
        "Brigitte Klintskov Jerkel"
    )
    assert absent_person("Hvornår havde Kenneth Jerkel afbud?", recorded) == "Kenneth Jerkel"
    assert absent_person("Hvem var fraværende den 8. maj 2024?", recorded) is None
    # Minutes that print the party after the name: the question does not.
    assert absent_person("Hvornår var Per Kragelund fraværende?", ["Per Kragelund (V)"]) == (
        "Per Kragelund (V)"
    )


def test_an_absence_question_about_one_item() -> None:
    assert item_attendance("Hvem var fraværende under behandlingen af punkt 80?")
    assert not item_attendance("Hvem var fraværende på det møde?")
