"""Questions about a development over time, on the real samples: the dated figures of the
items on the topic, oldest meeting first, each line the item's own sentences, cited
(issue 18 part 5)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.development import development_answer, development_question
from assistant.core.chunk_format import SENTENCE_END
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant

HEADER = "Udviklingen ifølge referaterne, ældste møde først:"


def _lines_are_printed(assistant: Assistant, answer) -> None:
    """Every sentence a line quotes stands in the cited item as printed."""
    for citation in answer.citations:
        item = " ".join(" ".join(line for _, line in assistant.item_sections(citation)).split())
        for sentence in SENTENCE_END.split(citation.quote):
            assert " ".join(sentence.split()) in item, sentence


def test_figures_within_one_item_are_listed_with_their_dates(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvordan har beskæftigelsen blandt de fordrevne ukrainere i Lejre udviklet sig i løbet "
        "af 2023?"
    )
    lines = answer.text.splitlines()
    assert lines[0] == HEADER and not answer.abstained
    assert lines[1].startswith("- 6. september 2023, Udvalget for Job, Arbejdsmarked og")
    assert "I marts 2023 var 64 % af de fordrevne" in lines[1]
    assert "en stigning på 5 % siden januar 2023" in lines[1] and lines[1].endswith("[1]")
    _lines_are_printed(sample_assistant, answer)


def test_a_budget_over_the_years_is_one_dated_line(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvordan har størrelsen af Næstved Kommunes tværgående investeringspulje udviklet sig "
        "fra 2021 og frem?"
    )
    assert answer.text.startswith(HEADER)
    assert "2 mio. kr. i 2021, 6 mio. kr. i 2022 og 8 mio. kr. årligt fra 2023" in answer.text
    assert answer.citations[0].item_number == 96
    _lines_are_printed(sample_assistant, answer)


def test_meetings_are_listed_oldest_first(sample_assistant: Assistant, tmp_path) -> None:
    # The same quarterly item as two meetings a year apart, given newest first.
    lejre = sample_assistant.retriever.chunks_matching(SearchFilter(municipality="Lejre"))
    item = sorted((c for c in lejre if c.item_number == 3), key=lambda c: c.position)
    later = [replace(c, meeting_date="2024-09-04", id=c.id + "-later") for c in item]
    answer = development_answer(
        "Hvordan har antallet af fordrevne fra Ukraine udviklet sig?",
        [later, item],
        sample_assistant.settings.prompts_dir,
    )
    assert answer is not None
    dates = [c.meeting_date for c in answer.citations]
    assert dates == ["2023-09-06", "2024-09-04"]
    assert [line[:20] for line in answer.text.splitlines()[1:]] == [
        "- 6. september 2023,",
        "- 4. september 2024,",
    ]


def test_no_figure_on_the_topic_is_no_development_answer(sample_assistant: Assistant) -> None:
    lejre = sample_assistant.retriever.chunks_matching(SearchFilter(municipality="Lejre"))
    item = [c for c in lejre if c.item_number == 3]
    question = "Hvordan har samarbejdet med psykiatrien om IPS udviklet sig?"
    assert development_answer(question, [item], sample_assistant.settings.prompts_dir) is None


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hvordan har ledigheden udviklet sig det seneste år?", True),
        ("Hvordan har antallet af sager ændret sig?", True),
        ("Er resultaterne blevet bedre eller dårligere fra årgang til årgang?", True),
        ("How has unemployment changed over the last year?", True),
        ("Hvad er udviklingen i antallet af fordrevne?", True),
        ("Har Vejle udviklet en model for integrationsindsatsen?", False),
        ("Hvor mange fordrevne var der i august 2023?", False),
    ],
)
def test_questions_about_a_development(question: str, asks: bool) -> None:
    assert development_question(question) == asks


def test_a_development_within_one_paragraph_keeps_the_figures_that_refer_back(
    sample_assistant: Assistant,
) -> None:
    # Lejre's quarterly report: "… omkring 1.000 samtaler hver måned i første kvartal af
    # 2023. Antallet falder i april og maj til lige under 800 …": the second figure names
    # no "samtaler", but "Antallet" continues the first.
    answer = sample_assistant.ask(
        "Hvordan har antallet af gennemførte samtaler i jobcentret i Lejre svinget hen over "
        "første halvår 2023?"
    )
    quote = answer.citations[0].quote
    assert "1.000 samtaler hver måned" in quote
    assert "Antallet falder i april og maj til lige under 800" in quote
    assert "1.000" in answer.text and "under 800" in answer.text


def test_a_count_since_the_start_is_followed_through_its_paragraph(
    sample_assistant: Assistant,
) -> None:
    # Vejle's integration effort: "lanceret 1. juli 2023 med 70 sager", a sentence without
    # a figure, then "Aktuelt er der 63 aktive sager"; the 950.000 kr. it was granted is no
    # count of cases.
    answer = sample_assistant.ask(
        "Hvordan har antallet af sager i Vejles fokuserede integrationsindsats ændret sig, "
        "siden den blev sat i gang i sommeren 2023?"
    )
    assert not answer.abstained
    quote = answer.citations[0].quote
    assert "med 70 sager" in quote and "Aktuelt er der 63 aktive sager" in quote
    assert "950.000 kr." not in quote
