"""The citation guard on the kinds of answers small local models write: right, invented,
mis-cited and uncited. The passages are the real sample items' text."""

from __future__ import annotations

from assistant.answer.guard import (
    complete_sentences,
    guard,
    names_in,
    normalise_number,
    sentence_key,
    stated_numbers,
)
from assistant.ingest.parse import parse_file
from tests.conftest import SAMPLES


def _item_text(municipality: str, number: int) -> str:
    meeting = parse_file(SAMPLES[municipality])
    item = next(i for i in meeting.items if i.number == number)
    return " ".join([item.title, *(section.text for section in item.sections)])


PASSAGES = {1: _item_text("Mariagerfjord", 2), 2: _item_text("Lejre", 3)}


def test_a_supported_answer_passes_unchanged() -> None:
    text = (
        "Mariagerfjord Kommune har fået tilsagn om ca. 1.609.500 kr. [1]. "
        "Projektejer er Ann Frederiksen [1]."
    )
    result = guard(text, PASSAGES)
    assert result.text == text and result.cited == (1,) and result.removed == ()


def test_an_invented_figure_is_removed_with_the_reason() -> None:
    text = "Tilsagnet er på 1.609.500 kr. [1]. Projektet koster i alt 4.250.000 kr. [1]."
    result = guard(text, PASSAGES)
    assert result.text == "Tilsagnet er på 1.609.500 kr. [1]."
    assert len(result.removed) == 1 and "4250000 står ikke i [1]" in result.removed[0]


def test_a_figure_cited_to_the_wrong_passage_is_removed() -> None:
    result = guard("Tilsagnet er på 1.609.500 kr. [2].", PASSAGES)
    assert result.text == "" and not result.usable


def test_a_citation_to_a_passage_never_given_is_stripped() -> None:
    result = guard("Projektejer er Ann Frederiksen [1][7].", PASSAGES)
    assert result.text == "Projektejer er Ann Frederiksen [1]."
    assert result.removed == ("henvisning [7] findes ikke",)


def test_an_uncited_fact_gets_the_passage_that_prints_it_or_goes() -> None:
    """Small models drop markers: a fact a passage prints is cited to it (and recorded); a
    fact no passage prints is removed. Plain sentences without facts stay."""
    text = "Her er svaret. Der var 149 fordrevne i Lejre. Tilsagnet er på 2.000.000 kr."
    result = guard(text, PASSAGES)
    assert result.text == "Her er svaret. Der var 149 fordrevne i Lejre [2]."
    assert result.cited == (2,)
    assert result.removed[0].startswith("henvisning [2] tilføjet")
    assert result.removed[1].startswith("påstand uden kilde")


def test_a_list_number_is_not_a_fact() -> None:
    assert guard("1. Projektejer er Ann Frederiksen [1].", PASSAGES).removed == ()


def test_a_passages_own_label_is_no_source_for_a_number() -> None:
    # The 0.5B model answered "1" to a question about CSR-mærket; the only "1" in the passage
    # it was given was the passage's own label "[1]".
    passage = (
        "[1] Aabenraa Kommune, Arbejdsmarkedsudvalget, 2. september 2024, punkt 72: "
        "Godkendelse af tids- og handleplan for CSR-mærke Aabenraa 2025\n"
        "Antallet af CSR-virksomheder har været stigende siden mærkets etablering i 2016, og "
        "sidste år fik 117 virksomheder mærket."
    )
    assert not guard("1 [1]", {1: passage}).usable
    assert guard("Sidste år fik 117 virksomheder mærket [1].", {1: passage}).removed == ()


def test_a_numbered_list_keeps_its_lines_and_its_numbers_state_nothing() -> None:
    # Joined on one line, "… [1] 12. Der var …" would read as the figure 12.
    text = "1. Projektejer er Ann Frederiksen [1].\n12. Der var 149 fordrevne i Lejre [2]."
    result = guard(text, PASSAGES)
    assert (result.text, result.removed) == (text, ())
    assert stated_numbers(result.text) == {"149"}


def test_a_repeated_line_is_said_once() -> None:
    # The 0.5B model listed "11 sager [1]" for 25 entries of a list.
    text = "1. Projektejer er Ann Frederiksen [1].\n2. Projektejer er Ann Frederiksen [1]."
    result = guard(text, PASSAGES)
    assert result.text == "1. Projektejer er Ann Frederiksen [1]."
    assert result.removed == ("gentaget: '2. Projektejer er Ann Frederiksen [1].'",)
    # Streamed answers are guarded a sentence at a time: what was said before counts too.
    said = {sentence_key("Projektejer er Ann Frederiksen [1].")}
    assert guard("Projektejer er Ann Frederiksen.", PASSAGES, said=said).text == ""
    # The same words about another item are another statement.
    both = "1. Der var 149 fordrevne [2].\n2. Der var 149 fordrevne [1][2]."
    assert guard(both, PASSAGES).text == both


def test_the_prompts_placeholder_is_not_shown() -> None:
    result = guard("2. [n] Projektejer er Ann Frederiksen [1].", PASSAGES)
    assert result.text == "2. Projektejer er Ann Frederiksen [1]."


def test_an_invented_person_is_removed() -> None:
    result = guard("Projektet ledes af Per Kristian Holm [1].", PASSAGES)
    assert result.text == "" and "Per Kristian Holm står ikke i [1]" in result.removed[0]


def test_numbers_compare_as_written_in_danish() -> None:
    assert normalise_number("1.609.500") == normalise_number("1609500") == "1609500"
    assert normalise_number("3,25") == "3,25" != normalise_number("325")
    # "1.609.500" in the passage does not make "1.609" or "609" supported.
    assert not guard("Beløbet er 609 kr. [1].", PASSAGES).usable


def test_sentence_starters_are_not_names() -> None:
    assert names_in("Ifølge Udvalget er det godt.") == set()
    assert names_in("Ifølge Ann Frederiksen er det godt.") == {"Ann Frederiksen"}


def test_streamed_text_is_released_one_finished_sentence_at_a_time() -> None:
    done, rest = complete_sentences("Tilsagnet er på 1.609.500 kr. [1]. Projektejer er Ann")
    assert done == ["Tilsagnet er på 1.609.500 kr. [1]."] and rest == "Projektejer er Ann"
    assert complete_sentences("Ingen ende endnu") == ([], "Ingen ende endnu")
