"""Which questions ask for the committee's decision: the wordings staff use beyond
"besluttede" (found by the real-world dev set, where every one of them quoted case text)."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import question_intents

ASKS_FOR_THE_DECISION = (
    "Hvad besluttede udvalget om IPS?",
    "Hvad blev udfaldet, da udvalget behandlede evalueringen?",
    "Hvad gjorde Byrådet med initiativretsforslaget fra (Ø) om affaldsudfordringer?",
    "Hvad kom der ud af drøftelsen om den digitale beskæftigelsesindsats?",
    "Hvordan endte Økonomiudvalgets behandling af restanceopgørelsen?",
    "Hvad skete der med sagen om KL's forum i Social- og Handicapudvalget?",
    "Hvordan stillede Skole-, Børne- og Ungeudvalget sig til frigivelse af anlægsmidler?",
    "Anbefalede Økonomiudvalget administrationens forslag til genopretningspuljen?",
    "Hvilken model anbefalede Sundheds- og Omsorgsudvalget for plejeboligerne?",
    "Hvordan faldt afstemningen, da Byrådet behandlede budgettet?",
    "Hvad lagde udvalget vægt på, da det drøftede udkastet?",
    "Tiltrådte udvalget indstillingen om kvartalsbogen?",
    # what the committee asked for is in its decision ("Udvalget ønsker, at der fremlægges …")
    "Hvilke sager bad Beskæftigelses- og Erhvervsudvalget om at få fremlagt?",
    "Hvad ønskede udvalget skulle stå tydeligere i handlingsplanen?",
)

ASKS_FOR_SOMETHING_ELSE = (
    # the recommendations of an expert group are case text, not the committee's decision
    "Hvad anbefaler ekspertgruppen?",
    # a polling station is no vote of the council
    "Hvor mange stemmeberettigede var der på afstemningsstedet i Greve Idrætscenter?",
    # the day of an approval is printed in the background, not in the decision line
    "Hvornår godkendte byrådet strategien?",
    # what citizens asked for is no committee's decision
    "Hvad bad borgerne om på mødet?",
    # the day the committee wished for is printed where the visit is planned
    "Hvilken dato ønskede udvalget virksomhedsbesøget planlagt til?",
)


@pytest.mark.parametrize("question", ASKS_FOR_THE_DECISION)
def test_asks_for_the_decision(question: str) -> None:
    assert "decision" in question_intents(question)


@pytest.mark.parametrize("question", ASKS_FOR_SOMETHING_ELSE)
def test_does_not_ask_for_the_decision(question: str) -> None:
    assert "decision" not in question_intents(question)
