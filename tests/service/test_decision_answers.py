"""Decision questions are answered with the committee's own decision, on the real samples:
asked in other words than "besluttede", and with the recommendation a bare "Godkendt."
settles, so the answer says what was approved."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.lead import decision_lead, only_approves
from assistant.core.config import PROJECT_ROOT, Settings
from assistant.core.types import ItemHit
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant
from tests.conftest import GREVE_JSON, real_item

GREVE = PROJECT_ROOT / "eval" / "realworld" / "greve" / "firstagenda-json"


def test_a_bare_approval_is_quoted_with_the_recommendation_it_approves(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask(
        "Hvad blev udfaldet, da Aabenraas arbejdsmarkedsudvalg behandlede evalueringen af "
        "indsatsen for udsatte unge?"
    )
    first = answer.citations[0]
    assert (first.municipality, first.item_number) == ("Aabenraa", 71)
    # "Godkendt." and what it approves, both verbatim from Punkt 71.
    assert "Godkendt." in first.quote
    assert "mindre motiverede unge også inkluderes som målgruppe" in first.quote
    assert "overkapacitet" not in first.quote  # the case text stays out


def test_what_a_committee_did_with_a_draft_is_its_decision(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvad gjorde Vejles arbejdsmarkedsudvalg med udkastet til beskæftigelsesstrategien "
        "på mødet i oktober 2023?"
    )
    first = answer.citations[0]
    assert first.municipality == "Vejle"
    assert "høring" in first.quote and "Arbejdsmarkedsforum" in first.quote


def test_a_decision_question_opens_with_the_decision(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvad besluttede Arbejdsmarkedsudvalget i Aabenraa om evalueringen af indsatsen for "
        "udsatte unge?"
    )
    opening = answer.text.partition("\n\n")[0]
    # What "Godkendt." approved comes with it, before what the committee added; the line
    # announcing the recommendation ("Jobcenter og Borgerservice indstiller,") is left out.
    assert opening == (
        "Beslutning: Godkendt. Arbejdsmarkedsudvalget ønsker en opfølgning på projektet i "
        "1. kvartal 2025. (indstillingen: at evalueringen og justeringen af aftalen godkendes, "
        "således at mindre motiverede unge også inkluderes som målgruppe for projektet.) [1]"
    )
    assert "Godkendt. Arbejdsmarkedsudvalget ønsker en opfølgning" in answer.citations[0].quote


def test_the_opening_decision_leaves_out_the_attendance_it_is_printed_with(
    sample_assistant: Assistant,
) -> None:
    # Vejle punkt 78's decision section: "Oplæg blev drøftet. Claus Behrends var fraværende
    # under dette punkt." The absence is no part of what was decided.
    answer = sample_assistant.ask(
        "Hvad besluttede Vejles arbejdsmarkedsudvalg om temaet om udsathed?"
    )
    opening = answer.text.partition("\n\n")[0]
    assert opening == "Beslutning: Oplæg blev drøftet. [1]", answer.text
    assert "Claus Behrends" in answer.citations[0].quote


def test_a_bare_approval_opens_with_what_it_approved(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvad besluttede Aabenraa om beskrivelsen af arbejdet med repatriering?"
    )
    assert answer.text.partition("\n\n")[0] == (
        "Beslutning: Godkendt. (indstillingen: at beskrivelsen af Aabenraa Kommunes arbejde med "
        "rådgivning og repatriering godkendes.) [1]"
    )
    assert only_approves(decision_lead(["Godkendt.", "Fraværende: Per Kragelund (V)"]))
    assert not only_approves("Oplæg blev drøftet.")
    assert not only_approves("Udvalget godkendte planen med en tilføjelse om en årlig status.")


def test_a_decision_under_its_own_heading_opens_without_it(sample_assistant: Assistant) -> None:
    # Næstved's minutes head each decision with the body and the date ("Beskæftigelses- og
    # Uddannelsesudvalget, 28.09.2021"), and a dissent follows the approval.
    answer = sample_assistant.ask(
        "Hvad besluttede udvalget i Næstved om ansøgningen til investeringspuljen?"
    )
    opening = answer.text.partition("\n\n")[0]
    assert opening.startswith("Beslutning: Godkendt. Jette Leth Buhl kunne ikke støtte")
    assert "(indstillingen: Administrationen indstiller, at udvalget godkender" in opening
    assert "driftsmidler" in opening
    assert decision_lead(["Beskæftigelses- og Uddannelsesudvalget, 28.09.2021 Drøftet."]) == (
        "Drøftet."
    )
    assert only_approves("Godkendt. Jette Leth Buhl kunne ikke støtte udvalgets beslutning.")


def test_a_numbered_decision_settles_the_numbered_recommendation(tmp_path: Path) -> None:
    """Greve's "1. Blev taget til efterretning. 2. Godkendt." (with "Afbud: …" under it)
    settles the recommendation's entries 1 and 2: the answer opens with them and quotes the
    ambitions entry 2 approves (eval/realworld r062)."""
    assert only_approves("1. Blev taget til efterretning. 2. Godkendt.")
    assert decision_lead(["2. at udvalget godkender ambitionerne;"]) == (
        "2. at udvalget godkender ambitionerne"
    )
    assistant = build_assistant(Settings(index_dir=tmp_path / "index"))
    assistant.ingest([GREVE / "2024-11-18_beskaeftigelses-og-erhvervsudvalget.json"])
    answer = assistant.ask(
        "Hvilke ambitioner for de kommende benchmarkingperioder godkendte udvalget på "
        "a-dagpenge-, sygedagpenge- og kontanthjælpsområdet?"
    )
    opening = answer.text.partition("\n\n")[0]
    assert opening.startswith("Beslutning: 1. Blev taget til efterretning. 2. Godkendt.")
    assert "2. at udvalget godkender de opstillede ambitioner" in opening
    assert "Administrationen indstiller" not in opening  # the entries, not their announcement
    for ambition in ("40-50", "15-25", "11-18"):
        assert ambition in answer.citations[0].quote, ambition


def test_what_the_committee_asked_for_is_its_decision_with_its_list() -> None:
    # Greve, 18 November 2024, item 4: the decision asks for two cases, listed under a line
    # that ends in ";".
    chunks = real_item(
        GREVE_JSON / "2024-11-18_beskaeftigelses-og-erhvervsudvalget.json",
        "Midtvejsstatus på politikker 2024, Beskæftigelsespolitikken 2023-2026",
    )
    answerer = ExtractiveAnswerer(Settings().answer, lambda hit: list(hit.chunks))
    answer = answerer.answer(
        "Hvilke sager bad Beskæftigelses- og Erhvervsudvalget om at få fremlagt efter "
        "midtvejsstatus på beskæftigelsespolitikken?",
        [ItemHit(tuple(chunks), 1.0, 0.9)],
    )
    opening = answer.text.partition("\n\n")[0]
    assert "Udvalget ønsker, at der fremlægges sager om" in opening
    assert "unge der står uden for arbejdsmarkedet" in opening and "KLAP-job" in opening
