"""Decision questions are answered with the committee's own decision, on the real samples:
asked in other words than "besluttede", and with the recommendation a bare "Godkendt."
settles, so the answer says what was approved."""

from __future__ import annotations

from assistant.service.assistant import Assistant


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
