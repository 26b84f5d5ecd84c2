"""Questions about a meeting as a whole, and about a scope with no meetings, on the samples.

The answers come from the meeting's items in agenda order, every name and decision quoted
from the item it cites (issue: "Answers that answer")."""

from __future__ import annotations

import re

from assistant.core.chunk_format import CLOSED_BODY
from assistant.service.assistant import Assistant

THREE_TURNS = (
    "Fortæl om handicapstrategien i Mariagerfjord",
    "Hvem var fraværende på det møde?",
    "Hvad blev ellers besluttet på mødet?",
)


def _conversation(assistant: Assistant, questions: tuple[str, ...]) -> list:
    history: list[dict] = []
    answers = []
    for question in questions:
        answer = assistant.ask(question, history)
        answers.append(answer)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]
    return answers


def _cited_items(answer) -> list[int]:
    return [c.item_number for c in answer.citations]


def _quotes_are_printed(assistant: Assistant, answer) -> None:
    """Every quote stands in the cited item's text (whitespace aside); an item without a
    decision is cited by its title."""
    for citation in answer.citations:
        if citation.quote == citation.item_title:
            continue
        item = " ".join(line for _, line in assistant.item_sections(citation))
        assert " ".join(citation.quote.split()) in " ".join(item.split()), citation


def test_three_turns_answer_three_questions(sample_assistant: Assistant) -> None:
    topic, absent, decided = _conversation(sample_assistant, THREE_TURNS)
    assert len({topic.text, absent.text, decided.text}) == 3
    assert topic.citations[0].item_title.startswith("Handicapstrategi")
    # Who was absent: the names first, for the meeting the conversation is about, quoted
    # from the item it came from.
    assert absent.text.startswith("Fraværende ved mødet i Udvalget for Arbejdsmarked og")
    assert "Per Kragelund (V) [1]" in absent.text and "4. januar 2024" in absent.text
    assert absent.citations[0].item_title.startswith("Handicapstrategi")
    assert absent.citations[0].quote == "Fraværende: Per Kragelund (V)"
    assert "Orienteringen" not in absent.text  # not the previous answer again
    # What else was decided: every item of that meeting, in agenda order, each cited;
    # the closed item by its title only.
    assert _cited_items(decided) == [1, 2, 3, 4, 5, 6]
    lines = decided.text.splitlines()
    assert lines[0].startswith("Mødet i Udvalget for Arbejdsmarked og Uddannelse")
    assert lines[-1] == "- Punkt 7: Lukket: Underskriftsark (lukket punkt)"
    assert CLOSED_BODY not in decided.text
    # Attendance printed under a decision is not part of the decision.
    assert "Fraværende" not in decided.text
    for answer in (absent, decided):
        assert not answer.abstained
        _quotes_are_printed(sample_assistant, answer)


def test_a_committees_decisions_in_a_month_are_all_listed_in_order(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask(
        "Hvilke beslutninger traf Arbejdsmarkedsudvalget i Aabenraa i september 2024?"
    )
    assert _cited_items(answer) == list(range(69, 77))
    assert {c.municipality for c in answer.citations} == {"Aabenraa"}
    assert "(godkendt): Godkendt. Arbejdsmarkedsudvalget ønsker en opfølgning" in answer.text
    _quotes_are_printed(sample_assistant, answer)


def test_a_summary_of_a_meeting_has_one_line_per_item(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("Opsummer mødet i Lejre den 6. september 2023")
    assert _cited_items(answer) == [1, 2, 3, 4, 5, 6]
    item_lines = [line for line in answer.text.splitlines() if line.startswith("- Punkt")]
    assert len(item_lines) == 6
    assert all(re.search(r"\[\d+\]$", line) for line in item_lines)


def test_absence_recorded_item_by_item_is_grouped_by_name(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvem var fraværende på Arbejdsmarkedsudvalgets møde i Vejle i oktober 2023?"
    )
    # Vejle records absence under each item, with the name spelled two ways; each spelling
    # is quoted as printed, the items it applies to in one line.
    assert "punkt 79, 80, 81, 82, 83, 84" in answer.text
    assert "Claus Behrendsen [2][3][4][5][6][7]" in answer.text
    assert "punkt 78" in answer.text and "Claus Behrends [1]" in answer.text
    _quotes_are_printed(sample_assistant, answer)


def test_absence_during_one_item(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("Hvem var fraværende under behandlingen af punkt 80 i Vejle?")
    assert _cited_items(answer) == [80]
    assert answer.text.startswith("Fraværende under punkt 80 på mødet i Arbejdsmarkedsudvalget")


def test_whether_one_person_took_part_is_answered_by_their_absence(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask(
        "Var Claus Behrendsen med, da Sarah Gaarde gav Vejles arbejdsmarkedsudvalg status på "
        "Ret til tidlig pension?"
    )
    # The item asked about (80, Ret til tidlig pension) answers with its attendance line.
    assert not answer.abstained
    assert _cited_items(answer)[0] == 80
    assert answer.text.startswith("Kort svar: Claus Behrendsen var fraværende under dette punkt")
    _quotes_are_printed(sample_assistant, answer)


def test_whether_one_person_took_part_in_a_meeting(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("Deltog Per Kragelund i mødet i Mariagerfjord 4. januar 2024?")
    assert answer.text.startswith("Per Kragelund (V) er registreret som fraværende ved:")
    assert "4. januar 2024" in answer.text
    _quotes_are_printed(sample_assistant, answer)


def test_who_took_part_in_an_item_is_its_participant_list(sample_assistant: Assistant) -> None:
    # Næstved punkt 95 prints its guests only as lines under "I mødet deltager:".
    answer = sample_assistant.ask(
        "Hvem deltog udefra under punktet om fremtidens digitale beskæftigelsesindsats i Næstved?"
    )
    assert _cited_items(answer)[0] == 95
    opening = answer.text.partition("\n\n")[0]
    for name in ("Andreas Nikolajsen", "Kristina Bendixen", "Brith Manhart Purup",
                 "Flemming Larsen"):  # fmt: skip
        assert name in opening and name in answer.citations[0].quote, name
    assert "Økonomi" not in opening  # the heading after the list is no participant


def test_minutes_that_record_no_absence_say_so(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("Hvem var fraværende på mødet i Næstved?")
    assert answer.abstained
    assert "Næstved Kommune" in answer.text and "nævner ingen fraværende" in answer.text


def test_an_english_absence_question_is_answered_in_english(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Who was absent at the meeting in Mariagerfjord on 4 January 2024?"
    )
    assert answer.text.startswith("Absent from the meeting of Udvalget for Arbejdsmarked")
    assert "Per Kragelund (V) [1]" in answer.text


def test_a_scope_without_meetings_is_an_abstention(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask("Hvad besluttede Arbejdsmarkedsudvalget i Vejle i 2019?")
    assert answer.abstained and not answer.citations
    first, suggestion = answer.text.split("\n\n")
    assert first.startswith("Referaterne har ingen møder for Vejle Kommune")
    assert "2019" in first
    # The nearest meetings are offered apart from the answer, not quoted as one.
    assert (
        suggestion
        == "Nærmeste møder i referaterne: Vejle, Arbejdsmarkedsudvalget, 5. oktober 2023."
    )


def test_a_follow_up_on_one_matter_gets_that_matters_decision(sample_assistant: Assistant) -> None:
    _topic, decided = _conversation(
        sample_assistant, ("Fortæl om IPS-projektet i Mariagerfjord", "Hvad besluttede udvalget?")
    )
    assert _cited_items(decided) == [2]
    assert "Orienteringen blev taget til efterretning" in decided.text
