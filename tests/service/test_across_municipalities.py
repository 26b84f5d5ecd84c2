"""Questions across municipalities, on the real samples: a question listing municipalities
is answered from each, and "Hvilke kommuner ...?" with the best item of every municipality
that has one, grouped per municipality."""

from __future__ import annotations

from assistant.service.assistant import Assistant


def test_a_question_naming_two_municipalities_is_answered_from_both(
    sample_assistant: Assistant,
) -> None:
    question = "Hvad har Aabenraa og Næstved drøftet om fremtidens beskæftigelsesindsats?"
    answer = sample_assistant.ask(question)
    assert not answer.abstained, answer.text
    cited = [(c.municipality, c.item_number) for c in answer.citations]
    # Both quoted, grouped per municipality in the order the question names them, although
    # Næstved's item holds more of the question's words.
    assert cited[:2] == [("Aabenraa", 70), ("Næstved", 95)], cited
    quotes = answer.text.split("\n\n")
    assert "Aabenraa Kommune" in quotes[0] and quotes[0].endswith("[1]"), answer.text
    assert "Næstved Kommune" in quotes[1] and quotes[1].endswith("[2]"), answer.text
    # A follow-up that names no municipality stays with both.
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    follow_up = sample_assistant.ask("Hvad blev besluttet?", history)
    assert {c.municipality for c in follow_up.citations} == {"Aabenraa", "Næstved"}, follow_up.text


def test_which_municipalities_is_answered_with_each_one_that_has_it(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask(
        "Hvilke kommuner spørger borgerne om deres oplevelse af jobcentret gennem "
        "spørgeskemaundersøgelser?"
    )
    quoted = answer.text.split("Se også")[0]
    # Lejre's quarterly report and Mariagerfjord's survey are both quoted, not one of them
    # with the other's item among "see also".
    assert "Lejre Kommune" in quoted and "Mariagerfjord Kommune" in quoted, answer.text
    places = [c.municipality for c in answer.citations if c.quote and f"[{c.n}]" in quoted]
    assert places == sorted(places, key=places.index), places  # each one's quotes together
    # The municipalities are the answer, so the answer opens with them, each with its
    # citations, in the order they are quoted.
    opening = answer.text.partition("\n\n")[0]
    assert opening.startswith("Kort svar: ") and answer.opening in opening
    named = {c.municipality: c.n for c in answer.citations if f"[{c.n}]" in quoted}
    assert len(named) > 1 and all(f"{place} [" in opening for place in named), opening
    assert all(f"[{n}]" in opening for n in named.values()), opening
    # A question that names the municipalities itself opens with no such list.
    both = sample_assistant.ask(
        "Hvad har Aabenraa og Næstved drøftet om fremtidens beskæftigelsesindsats?"
    )
    assert not both.opening and both.text.startswith("Ifølge ")


def test_which_municipalities_counts_each_ones_own_committee(sample_assistant: Assistant) -> None:
    # Mariagerfjord's labour-market committee is "Udvalget for Arbejdsmarked og Uddannelse",
    # and its IPS item never says "IPS-indsatsen" or "dagsordenen": it is one of them.
    answer = sample_assistant.ask(
        "Hvilke kommuner har haft IPS-indsatsen på dagsordenen i deres arbejdsmarkedsudvalg?"
    )
    opening = answer.text.partition("\n\n")[0]
    assert all(place in opening for place in ("Mariagerfjord", "Vejle", "Aabenraa")), opening


def test_a_follow_up_about_one_committee_keeps_its_name_as_topic(
    sample_assistant: Assistant,
) -> None:
    # The load test's Vejle conversation: the committee named in the turn before is what
    # "udvalget" is, and its name counts for the topic (only "Hvilke kommuner …" drops it).
    turns = [
        "Hvornår skal Vejles strategi for beskæftigelsesindsatsen 2024-2027 til 2. behandling "
        "i udvalget?",
        "Hvilket medlem af Arbejdsmarkedsudvalget deltog ikke, da strategien var til behandling?",
    ]
    history = []
    for question in turns:
        answer = sample_assistant.ask(question, history)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]
    answer = sample_assistant.ask("Hvad gjorde udvalget med udkastet til strategien?", history)
    assert not answer.abstained, answer.text
    assert (answer.citations[0].municipality, answer.citations[0].item_number) == ("Vejle", 81)
