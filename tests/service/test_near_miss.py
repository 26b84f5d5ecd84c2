"""Near misses on the real samples: the item on the question's topic does not print the
period the question asks about. The answer says which years it does give, is marked
abstained, and shows what the item says as the nearest information, cited."""

from __future__ import annotations

import pytest

from assistant.answer.near_miss import describe_period
from assistant.service.assistant import Assistant

# "ultimo 2021", "ved udgangen af 2019": the time a figure counts, no meeting filter, so the
# item on the topic is found and checked. (A period in which the municipality held no
# meeting, "i Lejre i 2021", is an empty scope and says so: tests/service/test_hostile.py.)
ANOTHER_YEAR = (
    ("Hvor mange fordrevne fra Ukraine var der i Lejre ultimo 2021?", "Lejre", 3,
     "nævner 2022 og 2023, men ikke 2021"),
    ("Hvor mange penge havde Mariagerfjord fået i tilsagn fra puljen IPS for unge ved "
     "udgangen af 2019?", "Mariagerfjord", 2, "men ikke 2019"),
)  # fmt: skip


@pytest.mark.parametrize(("question", "municipality", "item", "says"), ANOTHER_YEAR)
def test_a_figure_for_a_year_the_item_does_not_print_is_a_near_miss(
    sample_assistant: Assistant, question: str, municipality: str, item: int, says: str
) -> None:
    answer = sample_assistant.ask(question)
    assert answer.abstained
    assert says in answer.text
    # the nearest information, cited: the item on the topic, quoted as printed
    (nearest,) = answer.citations
    assert (nearest.municipality, nearest.item_number) == (municipality, item)
    assert nearest.quote and "Det nærmeste, referatet siger: " + nearest.quote in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?",
        "Hvor mange fordrevne fra Ukraine var der i Lejre ultimo 2023?",
        "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?",
    ],
)
def test_a_figure_for_a_period_the_item_prints_is_answered(
    sample_assistant: Assistant, question: str
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.abstained
    assert "149" in answer.text or "1.609.500" in answer.text


def test_the_period_is_named_as_asked() -> None:
    import datetime as dt

    assert describe_period(dt.date(2018, 1, 1), dt.date(2018, 12, 31)) == "2018"
    assert describe_period(dt.date(2025, 2, 1), dt.date(2025, 2, 28)) == "februar 2025"
    assert describe_period(dt.date(2025, 2, 4), dt.date(2025, 2, 4)) == "4. februar 2025"
