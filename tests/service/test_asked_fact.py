"""The asked fact is quoted (issue 18 part 1), on the real sample minutes: for a question
asking a count, an amount, a share, a person or a date, the first cited item's quote holds the
sentence that states it, word for word, even where the sentences that best match the
question's words only say what it is about; and the answer opens with that fact, cut from
that sentence, before the quotes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answer.extractive import question_intents
from assistant.answer.facts import (
    Fact,
    asked_fact,
    asked_parts,
    counted,
    find_fact,
    find_facts,
    participant_lines,
    value_spans,
)
from assistant.answer.lead import fact_clause
from assistant.danish.text import terms
from assistant.service.assistant import Assistant

# question, the item it is answered from, the value its quote must state.
ANSWERS = (
    ("Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?", ("Lejre", 3), "149"),
    ("Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?",
     ("Mariagerfjord", 2), "1.609.500 kr"),
    ("Hvor stor en andel af de unge i Aabenraas IPS Ung-forløb er kommet ud af offentlig "
     "forsørgelse?", ("Aabenraa", 71), "38 %"),
    # These three quoted sentences about the topic without the name or the day before.
    ("Hvilken forsker har Aabenraa haft som konsulent på evalueringsdesignet til "
     "Velfærdsaftalen?", ("Aabenraa", 74), "Nanna Møller Mortensen"),
    ("Hvem fremlagde implementeringsplanen for beskæftigelsespolitikken på JAI-mødet i Lejre "
     "i september 2023?", ("Lejre", 2), "Heidi Teichert"),
    ("Hvornår skal Vejles strategi for beskæftigelsesindsatsen 2024-2027 til 2. behandling i "
     "udvalget?", ("Vejle", 81), "23. november 2023"),
    ("Hvornår godkendte byrådet i Mariagerfjord handicapstrategien?", ("Mariagerfjord", 3),
     "22. juni 2023"),
    # How often: the frequency, not the "5 års ophold" or the "31. december hvert år" of
    # the description that is approved.
    ("Hvor ofte skal borgere vejledes om repatriering i Aabenraa?", ("Aabenraa", 73),
     "hvert andet år"),
    # A period: from when to when, not one of its dates.
    ("Over hvilken periode løber det tværkommunale IPS-projekt for unge?", ("Mariagerfjord", 2),
     "fra ultimo 2023 til ultimo 2026"),
    ("Over hvilken periode foreslår ekspertgruppen, at besparelserne i fremtidens "
     "beskæftigelsesindsats indfases?", ("Aabenraa", 70), "fra 2026 frem mod 2030"),
)  # fmt: skip


@pytest.mark.parametrize(("question", "item", "value"), ANSWERS)
def test_the_quote_states_the_asked_fact(
    sample_assistant: Assistant, question: str, item: tuple[str, int], value: str
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.abstained
    first = answer.citations[0]
    assert (first.municipality, first.item_number) == item, answer.text
    assert value in first.quote and first.quote in answer.text, first.quote


def opening_line(answer) -> str:
    """The answer's first paragraph: its opening line."""
    return answer.text.partition("\n\n")[0]


def assert_cut_from(line: str, quote: str) -> None:
    """Every piece of `line` between "…" cuts stands word for word in `quote`."""
    flat = " ".join(quote.split())
    for piece in line.split("…"):
        assert " ".join(piece.split()) in flat, (piece, quote)


@pytest.mark.parametrize(("question", "item", "value"), ANSWERS)
def test_the_answer_opens_with_the_asked_fact(
    sample_assistant: Assistant, question: str, item: tuple[str, int], value: str
) -> None:
    answer = sample_assistant.ask(question)
    opening = opening_line(answer)
    assert opening.startswith("Kort svar: ") and opening.endswith(" [1]"), answer.text
    assert value in opening, opening
    # Verbatim from the first cited item, and the quotes that support it follow.
    assert_cut_from(
        opening.removeprefix("Kort svar: ").removesuffix(" [1]"), answer.citations[0].quote
    )
    assert answer.text.count("[1]") >= 2


def test_the_opening_line_answers_in_english(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "How many refugees from Ukraine were there in Lejre (fordrevne fra Ukraine) in August 2023?"
    )
    assert opening_line(answer).startswith("In short: ") and "149" in opening_line(answer)


def test_each_part_of_a_two_part_question_opens_the_answer(sample_assistant: Assistant) -> None:
    answer = sample_assistant.ask(
        "Hvor mange ressourceforløb blev afsluttet i Lejre fra august 2022 til august 2023, og "
        "hvor mange nye blev startet i samme periode?"
    )
    opening = opening_line(answer)
    assert opening.count(";") == 1, opening  # one clause per part
    assert_cut_from(opening.removeprefix("Kort svar: ").removesuffix(" [1]").replace(";", "…"),
                    answer.citations[0].quote)  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "kind", "wanted", "clause"),
    [
        # What the figure counts comes with it, and the dates around it do not matter.
        ("8. august 2023 er her 149 fordrevne fra Ukraine med ophold efter særloven i Lejre "
         "Kommune.", "count", "fordrevne Ukraine",
         "8. august 2023 er her 149 fordrevne fra Ukraine med ophold efter særloven i Lejre "
         "Kommune"),
        # A value ending its clause is the predicate: the subject says what it counts.
        ("Antallet af ledige, som er registreret i Jobcenteret, var i alt 2.107.", "count",
         "ledige", "Antallet af ledige, som er registreret i Jobcenteret, var i alt 2.107"),
        # Of two values, the one beside the asked words; its clause only.
        ("I marts 2023 var 64 % af de fordrevne i beskæftigelse, en stigning på 5 % siden "
         "januar 2023.", "share", "stigning", "en stigning på 5 % siden januar 2023"),
        # An amount keeps its "kr.", and a long clause is cut around the value.
        ("Mariagerfjord Kommune har fået tilsagn om ca. 1.609.500 kr. over den 3-årige "
         "projektperiode til delvis finansiering af teamleder og IPS-konsulenter og forpligter "
         "sig til at matche dette beløb i medfinansiering.", "amount", "tilsagn",
         "Mariagerfjord Kommune har fået tilsagn om ca. 1.609.500 kr. over den 3-årige "
         "projektperiode til delvis finansiering af teamleder og IPS-konsulenter …"),
        ("Tabellen viser det samlede tilskud på 640.000 kr.", "amount", "tilskud",
         "Tabellen viser det samlede tilskud på 640.000 kr."),
        # A table row is one statement.
        ("Faktisk antal · 2.107", "count", "faktisk", "Faktisk antal · 2.107"),
    ],
)  # fmt: skip
def test_the_clause_that_states_the_value(
    sentence: str, kind: str, wanted: str, clause: str
) -> None:
    assert fact_clause(sentence, kind, set(terms(wanted))) == clause


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvor tit mødes styregruppen?", "frequency"),
        ("Hvor ofte skal borgerne vejledes?", "frequency"),
        ("How often are the refugees advised?", "frequency"),
        ("På hvilke dage og tidspunkter skal vagterne være på gaden?", "time"),
        ("Hvornår på dagen er borgerservice åben?", "time"),
        ("Hvornår åbner borgerservice igen?", "date"),
        ("Hvad er åbningstiden på hovedbiblioteket?", "time"),
        ("I hvilken periode kan virksomhederne søge om CSR-mærket?", "period"),
        # eval/realworld r093: a reason is asked, the opening hours only named.
        ("Hvorfor har man skåret ned på den ubemandede åbningstid på hovedbiblioteket?", None),
        ("Hvor mange gange om året mødes styregruppen?", "count"),
    ],
)
def test_how_often_and_at_what_time(question: str, kind: str | None) -> None:
    language = "en" if question.startswith(("How", "What")) else "da"
    assert asked_fact(question, language) == kind


@pytest.mark.parametrize(
    ("sentence", "times"),
    [
        ("Det vil sige torsdag, fredag og lørdag indenfor tidsrummet 15.00-24.00.",
         ["torsdag", "fredag", "lørdag", "15.00-24.00"]),
        ("at der lukkes for selvbetjening mandag til fredag kl. 17-21", ["mandag", "fredag",
         "kl. 17-21"]),
    ],
)  # fmt: skip
def test_stated_days_and_hours(sentence: str, times: list[str]) -> None:
    assert [sentence[a:b] for a, b in value_spans(sentence, "time")] == times


@pytest.mark.parametrize(
    ("sentence", "frequency"),
    [
        ("skal de vejledes hvert andet år ved en samtale", "hvert andet år"),
        ("Styregruppen mødes hver 14. dag.", "hver 14. dag"),
        ("Der afholdes møder to gange om året.", "gange om året"),
        ("Status gives kvartalsvis til udvalget.", "kvartalsvis"),
    ],
)
def test_a_stated_frequency(sentence: str, frequency: str) -> None:
    spans = value_spans(sentence, "frequency")
    assert [sentence[start:end] for start, end in spans] == [frequency]
    assert value_spans("Udvalget godkendte planen den 4. marts.", "frequency") == []


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # eval/realworld r091: a political agreement's parties are no person who answers.
        ("Regeringen og SF, Radikale Venstre, Liberal Alliance, Det Konservative Folkeparti og "
         "Dansk Folkeparti har indgået en aftale.", []),
        ("Ligeledes deltager Maja Kolstrup, som er ansat som IPS-ambassadør.", ["Maja Kolstrup"]),
    ],
)  # fmt: skip
def test_a_person_is_named(sentence: str, names: list[str]) -> None:
    assert [sentence[a:b] for a, b in value_spans(sentence, "person")] == names


def test_a_stated_period() -> None:
    sentence = "Ansøgningsperioden løber fra den 15. oktober til den 15. december i år."
    spans = value_spans(sentence, "period")
    assert [sentence[a:b] for a, b in spans] == ["fra den 15. oktober til den 15. december"]
    assert value_spans("Strategien for 2024-2027 er vedtaget.", "period") != []
    assert value_spans("vejen fra ledighed til job", "period") == []  # no date in it


def test_participant_lines() -> None:
    sentences = [
        "På mødet vil udvalget blive præsenteret for følgende oplæg:",
        "- Det virtuelle jobunivers.",
        "I mødet deltager:",
        "Partner Andreas Nikolajsen, Deloitte",
        "Flemming Larsen, chefkonsulent i CAM",
        "Økonomi",
        "Deltagere:",
        "Anne Hansen (A)",
    ]
    # "følgende oplæg:" announces no participants; a heading ends the run.
    assert participant_lines(sentences) == [3, 4, 7]
    question = "Hvem deltog under punktet om den digitale beskæftigelsesindsats?"
    assert [f.index for f in find_facts(sentences, question)] == [3, 4, 7]
    # Who presented is not who took part: the list is not the answer to it.
    assert [f.index for f in find_facts(sentences, "Hvem holdt oplæg?")] != [3, 4, 7]


def test_the_sentence_going_on_from_a_named_presenter_names_the_others() -> None:
    # Vejle's theme item: the second presenter is named in the sentence after the first.
    sentences = [
        "På mødet vil der være oplæg fra Lasse Buchwald Mortensen fra Kvickly Vejle, som vil "
        "fortælle om IPS-indsatsen fra et virksomhedsperspektiv.",
        "Derudover vil Maja Kolstrup som er ansat som IPS-ambassadør ved Region Syddanmark "
        "fortælle mere om IPS-indsatsen generelt.",
        "Mødet holdes på rådhuset, hvor Per Hansen byder velkommen.",
    ]
    question = "Hvem holdt oplæg om IPS-indsatsen fra et virksomhedsperspektiv?"
    assert [f.index for f in find_facts(sentences, question)] == [0, 1]
    # A sentence that does not go on from it is another matter.
    assert [f.index for f in find_facts([sentences[0], sentences[2]], question)] == [0]


def test_the_price_of_one_is_no_yearly_or_overall_sum() -> None:
    # Real Greve minutes (18 November 2024, item 5), in their order.
    sentences = [
        "Der bruges årligt op mod 1,5 millioner kr. til afholdelse af rehabiliteringsmøder "
        "samt indhentning af lægeerklæringer.",
        "For 2025 og frem forventer administrationen, at der vil være en mindreudgift på ca. "
        "0,5 mio. kr. til lægeerklæringer og rehabiliteringsteamet.",
        "Priserne for de indhentede lægeerklæringer ligger mellem 498 og 1.938 kr., mens "
        "journaloplysninger fra sygehusene er gratis.",
    ]
    (fact,) = find_facts(
        sentences, "Hvad koster en enkelt lægeerklæring, som jobcentret indhenter?"
    )
    assert fact.index == 2
    # Asked what they cost in all, the yearly sum is an answer.
    (fact,) = find_facts(sentences, "Hvor mange penge bruges der på lægeerklæringer?")
    assert fact.index in (0, 1)


def test_the_whole_sum_asked_is_the_one_said_to_be_the_whole() -> None:
    # Næstved, 28 September 2021, item 96: the yearly amounts, then the pool's new total.
    sentences = [
        "Det kan bekræftes, at der i budgetforliget for 2021 og 2022 er afsat en pulje til "
        "investeringer på tværs af kommunen på 2 mio. kr. i 2021, 6 mio. kr. i 2022 og 8 mio. "
        "kr. årligt fra 2023.",
        "Økonomiudvalget har den 23. august 2021 besluttet at forøge beløbet i puljen "
        "yderligere til i alt 10 mio. kr. fra 2022.",
    ]
    (fact,) = find_facts(sentences, "Hvor mange penge er der i alt i puljen fra 2022?")
    assert fact.index == 1


def test_a_years_sum_asked_is_the_one_said_to_be_yearly() -> None:
    # Greve, 18 November 2024, item 5 (real-world r084), asked after a question about the
    # reductions: the yearly spending, and the reduction of the same budget.
    sentences = [
        "Der bruges årligt op mod 1,5 millioner kr. til afholdelse af rehabiliteringsmøder samt "
        "indhentning af speciallægeerklæringer fra regionen.",
        "Derudover forventes budgettet til indhentelse af lægeerklæringer og afholdelse af "
        "rehabiliteringsmøder at blive reduceret med godt 0,2 mio. kr. fra 2025 og frem.",
    ]
    question = (
        "Og hvor meget bruges der om året på rehabiliteringsmøderne? Hvorfor skal Greve "
        "reducere udgifterne til lægeerklæringer?"
    )
    # The earlier question's rare words weigh as they do in Greve's index.
    rare = {"lægeerklæring": 3.0, "reduc": 3.0, "udgift": 2.0}
    facts = find_facts(sentences, question, idf=lambda term: rare.get(term, 1.0))
    assert [f.index for f in facts] == [0]


def test_the_row_for_the_asked_year_answers_for_that_year() -> None:
    # Greve, 25 March 2025: the total since 2022, then a row per year under it.
    sentences = [
        "Siden marts 2022 har Greve Kommune modtaget 305 ukrainske flygtninge.",
        "I dette tal indgår ikke udrejste som er rejst tilbage til Ukraine.",
        "Marts – december 2022 · Antal · 174",
        "Januar – december 2023 · Antal · 53",
        "Januar – december 2024 · Antal · 69",
        "Januar 2025 · Antal · 9",
        "Den 4. februar 2025 meddelte Udlændingestyrelsen, at de har visiteret cirka 50.000 "
        "ukrainere til kommunerne under særloven.",
    ]
    ignore = set(terms("Greve Kommune"))
    asked = "Hvor mange ukrainske flygtninge tog Greve Kommune imod i løbet af 2024?"
    assert [f.index for f in find_facts(sentences, asked, ignore=ignore)] == [4]
    # Another month of the asked year is no answer for the month asked.
    february = "Hvor mange ukrainske flygtninge modtog Greve Kommune i februar 2025?"
    assert [f.index for f in find_facts(sentences, february, ignore=ignore)] != [5]
    # Without a year, the total answers.
    plain = "Hvor mange ukrainske flygtninge har Greve Kommune modtaget?"
    assert [f.index for f in find_facts(sentences, plain, ignore=ignore)] == [0]


def test_when_something_is_planned_is_a_date_after_the_meeting() -> None:
    # Greve, 9 January 2023, item 2 (real-world r018): the policy the new one replaces, then
    # the schedule under "Tidsplan", as the item's sentences.
    sentences = [
        "Beskæftigelsespolitikken 2023-2026 erstatter den nuværende Beskæftigelsespolitik "
        "2019-2022 som byrådet vedtog den 12. november 2018.",
        "Når byrådet har godkendt Beskæftigelsespolitikken offentliggøres den på Greve "
        "Kommunes hjemmeside.",
        "Tidsplan",
        "9. januar - 16. januar 2023 · Handling · 1.Behandling.",
        "Godkendelse af udkast til politikker i fagudvalg",
        "24. april – 27. april 2023 · Handling · 3.Behandling.",
        "Endelig godkendelse af politikker 2023-2026",
        "15. Maj 2023 · Handling · Godkendelse af politikker i byrådet",
    ]
    meeting = dt.date(2023, 1, 9)
    planned = "Hvornår var det planlagt, at byrådet skulle godkende beskæftigelsespolitikken?"
    assert [f.index for f in find_facts(sentences, planned, written_on=meeting)] == [7]
    # When the earlier policy was adopted is the day before the meeting.
    adopted = "Hvornår vedtog byrådet den beskæftigelsespolitik, som den nye erstatter?"
    assert [f.index for f in find_facts(sentences, adopted, written_on=meeting)] == [0]


def test_a_follow_up_asks_its_own_kind_of_fact(sample_assistant: Assistant) -> None:
    """ "Og hvor mange aktive sager …?" after a question about an amount asks for a count,
    so the amount the earlier question asked for is not brought in as its fact."""
    question = "Og hvor mange aktive sager er der i indsatsen nu?"
    carried = f"{question} Hvor mange penge bevilgede Arbejdsmarkedsudvalget i Vejle?"
    assert asked_fact(carried) == "count"


# --- the patterns, on sentences as the minutes print them ---------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvor mange borgere svarede på undersøgelsen?", "count"),
        ("Hvor mange penge har Mariagerfjord fået?", "amount"),
        ("Hvad kostede forløbene?", "amount"),
        ("Hvor stor en andel kom i job?", "share"),
        ("Hvilken forsker var konsulent?", "person"),
        ("Hvilket udvalgsmedlem stemte imod?", "person"),
        ("Hvem er projektejer?", "person"),
        ("Hvornår udløber planen?", "date"),
        ("Fra hvilken dato er der ansat en ungevejleder?", "date"),
        ("Hvad besluttede udvalget om IPS?", None),
        ("How many refugees were employed?", "count"),
        ("Who presented the plan?", "person"),
        # A follow-up searched with the earlier question after it: the new one's kind.
        ("Og hvor mange aktive sager er der? Hvor mange penge bevilgede udvalget?", "count"),
        # A magnitude, whatever it is of.
        ("Hvor stor var borgernes samlede restance ultimo 2024?", "count"),
        ("Hvor meget af den lå til inddrivelse hos Gældsstyrelsen?", "count"),
        ("Hvor meget kostede projektet?", "amount"),
        ("Og hvor meget bruges der om året på rehabiliteringsmøderne?", "amount"),
        # A role asked as a compound.
        ("Hvilken centerchef deltog under punktet?", "person"),
        ("Hvilken projektleder deltog under punktet om tryghedsvagter?", "person"),
    ],
)
def test_the_kind_of_fact_asked(question: str, kind: str | None) -> None:
    language = "en" if question.startswith(("How", "Who")) else "da"
    assert asked_fact(question, language) == kind


def test_values_are_found_verbatim() -> None:
    text = (
        "Som Lasse Buchwald Mortensen fra IPS Center Danmark fortalte, kom 149 borgere "
        "(38 %) i job den 23. november 2023, og 1.609.500 kr. blev givet, jf. § 46, sag nr. 13 "
        "og COVID-19, kl. 17.00-18.30."
    )

    def found(kind: str) -> list[str]:
        return [text[start:end] for start, end in value_spans(text, kind)]

    # A sentence's first word, a body and a place are no name; a title before one is not in it.
    assert found("person") == ["Lasse Buchwald Mortensen"]
    assert [s for s in found("count")] == ["149", "38 %"]  # no §, case, date, time or COVID-19
    assert found("amount") == ["1.609.500 kr"]
    assert found("share") == ["38 %"]
    assert found("day") == ["23. november 2023"]
    title = "Arbejdsmarkedschef Ann Frederiksen er projektejer."
    assert [title[a:b] for a, b in value_spans(title, "person")] == ["Ann Frederiksen"]
    assert value_spans("Forløbsstatus Varighed (gennemsnitligt antal måneder)", "person") == []
    assert counted("Hvor mange af de unge kom i job?") == frozenset(terms("unge"))


def test_the_fact_about_the_topic_wins_and_a_fact_about_nothing_is_no_opening() -> None:
    sentences = [
        "Spørgeskemaet blev sendt med to påmindelser.",
        "I alt 800 borgere svarede på tilfredshedsundersøgelsen.",
        "Byrådet mødes 4. marts 2025.",
    ]
    fact = find_fact(sentences, "count", {"borg", "svared", "tilfredshedsundersøg"})
    assert fact == Fact("count", 1)
    # A date is asked, but the only date stands in a sentence that shares no topic word.
    assert find_fact(sentences, "date", {"ungevejled", "ansat"}) is None


def test_a_table_row_answers_in_its_own_words() -> None:
    # Real Greve minutes (Klima-, Teknik- og Miljøudvalget, 14 September 2023, punkt 10): the
    # question's compound "administrationsbygninger" is the row's "Administration", its
    # "kvadratmeter" the row's "m2"; the caption's "10-årig" is no count.
    question = (
        "Hvor mange kvadratmeter administrationsbygninger har Greve Kommune ifølge "
        "porteføljeoverblikket over kommunens bygninger?"
    )
    sentences = [
        "Tabel 1. Kvadratmeterfordeling på bygningskategorier for kommunens bygninger - udgift "
        "er anlægsmidler over en 10-årig periode",
        "Administration · m2 · 25.689",
        "Dagtilbud · m2 · 17.436",
    ]
    topic = set(terms(question)) - set(terms("greve kommune hvor mange"))
    fact = find_fact(sentences, asked_fact(question), topic, counts=counted(question))
    assert fact == Fact("count", 1)
    assert value_spans(sentences[0], "count") == []


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Hvornår skulle ordningen starte, og hvilken dato kunne opstarten blive udskudt til?",
         ["Hvornår skulle ordningen starte", "hvilken dato kunne opstarten blive udskudt til"]),
        ("Hvilken placering fik Greve og ud af hvor mange kommuner?",
         ["Hvilken placering fik Greve", "ud af hvor mange kommuner"]),
        ("How many refugees came, and how many found work?",
         ["How many refugees came", "how many found work"]),
        # "og" between two words of one question, and "og" in the earlier question a
        # follow-up is searched with, split nothing.
        ("Hvad var det forventede og det faktiske antal?", ["Hvad var det forventede og det "
                                                             "faktiske antal?"]),
        ("Hvor mange fik job? Hvem og hvad gjorde det?", ["Hvor mange fik job? Hvem og hvad "
                                                          "gjorde det?"]),
    ],
)  # fmt: skip
def test_the_parts_a_question_asks(question: str, parts: list[str]) -> None:
    language = "en" if question.startswith(("How", "What")) else "da"
    assert asked_parts(question, language) == parts


# Real Greve minutes: the sentences of one item each, and a question asking two things of it
# (eval/realworld r011, r021, r008). Each part is answered by its own sentence; the best
# sentence for the whole question states only one of the two.
TWO_PART_QUESTIONS = (
    ("Hvad koster de lægeerklæringer, jobcentret indhenter, og hvad koster den lovpligtige "
     "erklæring til sager i rehabiliteringsteamet?",
     ["Administrationen indstiller, at budgettet til lægeerklæringer og rehabiliteringsteam "
      "reduceres med 0,5 mio. kr. årligt i 2025-28",
      "Priserne for de indhentede lægeerklæringer ligger mellem 498 og 1.938 kr., mens "
      "journaloplysninger fra sygehusene er gratis.",
      "Når en sag skal behandles i rehabiliteringsteamet, skal der indhentes en lovpligtig "
      "lægeerklæring.",
      "Udgiften for disse lovpligtige lægeerklæringer er 2.216 kr."],
     ["498 og 1.938 kr", "2.216 kr"]),
    ("Hvornår skulle ordningen med tryghedsvagter starte, og hvilken dato kunne opstarten "
     "blive udskudt til?",
     ["Administrationen orienterede om, at igangsætningen af ordningen med Tryghedsvagter kan "
      "risikere at blive udskudt til den 10. april 2025.",
      "Plan- og Tryghedsudvalget besluttede den 8. oktober 2024 (pkt. 5) at etablere en "
      "ordning med tryghedsvagter.",
      "Opstarten er planlagt til den 1.april 2025 og ordningen løber i (resten af) 2025 og "
      "2026."],
     ["1.april 2025", "10. april 2025"]),
    ("Hvor stor var borgernes samlede restance til Greve Kommune ultimo 2024, og hvor meget "
     "af den lå til inddrivelse hos Gældsstyrelsen?",
     ["Heraf er 41,4 mio. kr. oversendt til inddrivelse hos Gældsstyrelsen.",
      "2024 · Restance ultimo året i alt · 58,9",
      "2024 · Heraf ligger til inddrivelse hos Gældsstyrelsen · 41,4"],
     ["58,9", "41,4"]),
)  # fmt: skip


@pytest.mark.parametrize(("question", "sentences", "values"), TWO_PART_QUESTIONS)
def test_each_part_of_a_two_part_question_gets_its_sentence(
    question: str, sentences: list[str], values: list[str]
) -> None:
    facts = find_facts(sentences, question, ignore=set(terms("Greve Kommune")))
    stated = " ".join(sentences[f.index] for f in facts)
    assert len({f.index for f in facts}) == len(facts) == 2, facts
    assert all(value in stated for value in values), stated
    # Asked as one question each, the first part alone finds one sentence.
    first = asked_parts(question)[0]
    assert len(find_facts(sentences, first, ignore=set(terms("Greve Kommune")))) == 1


def test_a_count_beside_what_is_asked_wins_over_a_count_in_passing() -> None:
    # Real Greve minutes (eval/realworld r002): "og hvor mange var der faktisk?" is the row
    # "Faktisk antal · 2.107", not "fire forudgående målinger" in a sentence that holds more
    # of the question's words.
    sentences = [
        "Udviklingen i forventet og faktisk antal helårspersoner på alle ydelseskategorier fra "
        "de fire forudgående målinger frem til den aktuelle måling fremgår af vedlagte bilag 2.",
        "Antal helårspersoner, alle ydelser · Faktisk antal · 2.107",
    ]
    question = "Hvor mange helårspersoner forventede ministeriet, og hvor mange var der faktisk?"
    last = asked_parts(question)[-1]
    topic = set(terms(question)) - set(terms("hvor mange"))
    fact = find_fact(sentences, "count", topic, counts=counted(last), focus=set(terms("faktisk")))
    assert fact == Fact("count", 1)


def test_the_name_after_the_asked_role_wins_over_a_place() -> None:
    # Real Greve minutes (eval/realworld r030): "Tune Bibliotek" is capitalised like a name,
    # but the name the question asks for stands after its role.
    sentences = [
        "Tryghedsvagterne går under punktets ordning ruter ved Greve og Tune Bibliotek.",
        "Projektleder Camilla Kjærager deltager under punktet.",
    ]
    question = "Hvilken projektleder deltog under punktet om tryghedsvagter?"
    topic = set(terms(question)) - set(terms("hvilken"))
    assert find_fact(sentences, asked_fact(question), topic) == Fact("person", 1)


def test_money_matters_asked_in_other_words() -> None:
    assert "money" in question_intents("Hvad betyder den økonomisk for Greve Kommune?")
