"""Near misses on the real samples: the item on the question's topic does not print the
period the question asks about, or no fact of the asked kind (no amount, no figure). The
answer says what the item lacks (which years it does give), is marked abstained, and shows
what the item says as the nearest information, cited."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answer.facts import (
    asked_kind,
    asked_quantities,
    counted,
    measured,
    prints,
    stated_values,
    without_asking,
)
from assistant.answer.near_miss import (
    asked_groups,
    asked_roles,
    asked_state,
    describe_period,
    planned_dates,
    unprinted_group,
)
from assistant.danish.language import answer_language
from assistant.service.assistant import Assistant
from tests.conftest import GREVE_JSON, real_item

# "ultimo 2021", "ved udgangen af 2019": the time a figure counts, no meeting filter, so the
# item on the topic is found and checked. (A period in which the municipality held no
# meeting, "i Lejre i 2021", is an empty scope and says so: tests/service/test_hostile.py.)
ANOTHER_YEAR = (
    ("Hvor mange fordrevne fra Ukraine var der i Lejre ultimo 2021?", "Lejre", 3,
     "nævner 2022 og 2023, men ikke 2021"),
    ("Hvor mange penge havde Mariagerfjord fået i tilsagn fra puljen IPS for unge ved "
     "udgangen af 2019?", "Mariagerfjord", 2, "men ikke 2019"),
)  # fmt: skip


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
    assert describe_period(dt.date(2018, 1, 1), dt.date(2018, 12, 31)) == "2018"
    assert describe_period(dt.date(2025, 2, 1), dt.date(2025, 2, 28)) == "februar 2025"
    assert describe_period(dt.date(2025, 2, 4), dt.date(2025, 2, 4)) == "4. februar 2025"


# The item on the topic prints figures, but none of the asked kind: counts of people where
# kroner are asked for.
ANOTHER_KIND = (
    ("Hvor mange kroner har Lejre brugt på fordrevne fra Ukraine?", "Lejre", 3,
     "nævner ikke noget beløb"),
    ("Hvor mange kroner koster STU-forløbene i Lejre?", "Lejre", 4, "nævner ikke noget beløb"),
)  # fmt: skip
# The item on the topic prints no figure of the asked kind at all.
NOT_PRINTED = (
    ("Hvor mange har Vejle Kommune tilkendt Ret til tidlig pension indtil nu?", "Vejle", 80,
     "nævner ikke noget tal for det"),
    ("Hvor meget koster Velfærdsaftalen i Aabenraa?", "Aabenraa", 74, "nævner ikke noget beløb"),
    ("How much money has Aabenraa set aside for the Velfærdsaftale?", "Aabenraa", 74,
     "do not mention any amount"),
    # Vejle's item prints counts of citizens, none with "ledighed": no unemployment rate.
    ("Hvad er status på ledigheden i Vejle?", "Vejle", 79, "nævner ikke noget tal for det"),
)  # fmt: skip


# The item on the topic counts everyone, or names the group without a figure for it.
ANOTHER_GROUP = (
    ("Hvor mange af de fordrevne fra Ukraine i Lejre er kvinder?", "Lejre", 3,
     "nævner ikke noget tal for «kvinder»"),
    ("Hvor tilfredse er borgere over 50 år med jobcentret i Mariagerfjord ifølge KL's "
     "undersøgelse?", "Mariagerfjord", 4, "nævner ikke noget tal for «over 50 år»"),
    ("Hvor mange af borgerne i Vejles fokuserede integrationsindsats kommer fra Syrien?",
     "Vejle", 79, "nævner ikke noget tal for «Syrien»"),
    # "aktivitetsparate borgere (under og over 30 år)" names the age, with no figure for it.
    ("Hvor mange af de unge under 30 år i Næstveds projekt 'På vej til arbejde' kom i arbejde "
     "eller uddannelse?", "Næstved", 98,
     "nævner ikke noget tal for «under 30 år i arbejde eller uddannelse»"),
    ("How many of the displaced people from Ukraine in Lejre are women (kvinder)?", "Lejre", 3,
     "give no figure for “kvinder”"),
)  # fmt: skip


# A figure asked for a duration or an age the item gives other figures for: the share of
# "mindst 12 måneders" is no share of "mindst 6 måneders".
ANOTHER_DURATION = (
    ("Hvor stor en andel af ydelsesmodtagerne i Lejre med mindst 6 måneders anciennitet har "
     "modtaget mindst 4 samtaler?", "Lejre", 3,
     "nævner ikke noget tal for «mindst 6 måneders»"),
    ("Hvor mange borgere deltog i Aabenraas Velfærdsaftale efter 26 uger?", "Aabenraa", 71,
     "nævner ikke noget tal for «efter 26 uger»"),
)  # fmt: skip
# The item on the topic prints figures, but no sentence states the asked one: "de andre to
# mål" counts no employees, and the STU item's "2 årlige statusmøder" no pupils.
NOT_STATED = (
    ("Hvor mange medarbejdere er ansat i Aabenraas jobcenter?", "Aabenraa", 74,
     "nævner ikke det tal, der spørges om"),
    ("Hvor mange elever går på STU i Lejre?", "Lejre", 4, "nævner ikke det tal, der spørges om"),
    # "de tre kommuners sårbarhed …, at der er IPS-konsulenter": the figure counts the
    # municipalities, in a sentence that names the consultants.
    ("Hvor mange IPS-konsulenter ansætter Mariagerfjord for midlerne fra puljen IPS for unge?",
     "Mariagerfjord", 2, "nævner ikke det tal, der spørges om"),
    # The item prints March 2023 (for the refugees in work) and the unemployment (for June),
    # never together: no unemployment rate for March.
    ("Hvad var ledigheden i Lejre Kommune i marts 2023?", "Lejre", 3,
     "nævner ikke det tal, der spørges om"),
)  # fmt: skip


# A person asked by role, and the item on the topic names nobody as it.
NOBODY_NAMED = (
    ("Hvem er de tre IPS-teamledere i det tværkommunale IPS-projekt for unge i Mariagerfjord, "
     "Rebild og Vesthimmerland?", "Mariagerfjord", 2, "nævner ikke, hvem der er «IPS-teamledere»"),
    ("Hvem er projektleder på Velfærdsaftalen i Aabenraa?", "Aabenraa", 74,
     "nævner ikke, hvem der er «projektleder»"),
)  # fmt: skip

# The outcome asked for is still to come when the minutes were written: awaited, to be
# presented at a later meeting, or only reported to the committee as a heading.
NOT_YET = (
    ("Hvad viste VIVEs endelige evaluering af projektet 'På vej til arbejde' i Næstved?",
     "Næstved", 98, "nævner ikke udfaldet"),
    ("Hvad blev resultatet af Lejres spørgeskemaundersøgelse blandt borgerne i jobcentret i "
     "2023?", "Lejre", 3, "nævner ikke udfaldet"),
    ("Hvordan endte byretssagen fra Kontrolgruppen, som Næstveds udvalg blev orienteret om i "
     "september 2021?", "Næstved", 94, "nævner ikke udfaldet"),
    ("Hvad blev udfaldet af de centralpolitiske forhandlinger om ekspertgruppens anbefalinger, "
     "som Aabenraas arbejdsmarkedsudvalg drøftede?", "Aabenraa", 70, "nævner ikke udfaldet"),
    # Asked when it was approved; the item names only the meeting that is to approve it.
    ("Hvornår godkendte byrådet i Vejle den endelige strategi for beskæftigelsesindsatsen "
     "2024-2027?", "Vejle", 81, "nævner kun, at sagen skal behandles 23. november 2023"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("question", "municipality", "item", "says"),
    NOT_YET
    + ANOTHER_YEAR
    + ANOTHER_KIND
    + NOT_PRINTED
    + ANOTHER_GROUP
    + ANOTHER_DURATION
    + NOT_STATED
    + NOBODY_NAMED,
)
def test_a_fact_the_item_on_the_topic_does_not_print_is_a_near_miss(
    sample_assistant: Assistant, question: str, municipality: str, item: int, says: str
) -> None:
    answer = sample_assistant.ask(question)
    assert answer.abstained
    assert says in answer.text
    # the nearest information, cited: the item on the topic, quoted as printed
    (nearest,) = answer.citations
    assert (nearest.municipality, nearest.item_number) == (municipality, item)
    english = question.startswith("How")
    assert english or answer.text.startswith("Referatet om «")
    shown_as = "The nearest they say: " if english else "Det nærmeste, referatet siger: "
    assert nearest.quote and shown_as + nearest.quote in answer.text


@pytest.mark.parametrize(
    ("question", "printed"),
    [
        # What the measurements showed is printed beside the final evaluation to come.
        ("Hvad viste VIVEs målinger i projektet 'På vej til arbejde' i Næstved?",
         "metoden virker bedst"),
        # The day of an approval before the meeting is the answer.
        ("Hvornår godkendte byrådet i Mariagerfjord handicapstrategien?", "22. juni 2023"),
        # The outcome of the committee's own handling is its decision.
        ("Hvad blev udfaldet, da Aabenraas arbejdsmarkedsudvalg behandlede evalueringen af "
         "indsatsen for udsatte unge?", "Godkendt."),
    ],
)  # fmt: skip
def test_an_outcome_the_item_prints_is_answered(
    sample_assistant: Assistant, question: str, printed: str
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.abstained
    assert printed in answer.text


GREVE_UKRAINE = GREVE_JSON / "2025-03-25_plan-og-tryghedsudvalget.json"


def test_a_group_asked_in_a_state_needs_a_figure_for_both() -> None:
    # Greve's status on Ukrainian refugees: the age table counts everyone over 67 ("67 år + ·
    # Greve Kommune · 19"), and employment is printed for the 16-66-year-olds only.
    item = real_item(GREVE_UKRAINE, "Ukrainske flygtninge i Greve Kommune, status")
    asked = "Hvor mange ukrainere over 67 år er i ordinær beskæftigelse i Greve Kommune?"
    assert asked_state(asked) == "ordinær beskæftigelse"
    assert unprinted_group(asked, item, "count") == "over 67 år i ordinær beskæftigelse"
    employed = "Hvor mange ukrainere i alderen 16-66 år er i ordinær beskæftigelse i Greve?"
    assert unprinted_group(employed, item, "count") is None
    # Asked without the state, the age table answers.
    assert (
        unprinted_group("Hvor mange ukrainere over 67 år har Greve modtaget?", item, "count")
        is None
    )


def test_only_dates_after_the_meeting_are_a_plan() -> None:
    meeting = dt.date(2023, 10, 5)
    asked = "Hvornår vedtog byrådet strategien?"
    assert planned_dates(asked, "Den 23. november 2023 er der 2. behandling.", meeting) == [
        dt.date(2023, 11, 23)
    ]
    assert planned_dates(asked, "Byrådet vedtog den 12. november 2018 planen.", meeting) == []
    # Asked when it is planned: the plan is the answer.
    assert planned_dates("Hvornår skal strategien godkendes?", "23. november 2023", meeting) == []


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        # The group has its own figure in the item: "Dagpenge 82%".
        ("Hvor tilfredse er dagpengemodtagerne med jobcentret i Mariagerfjord?", "82%"),
        (
            "Hvor mange af de fordrevne fra Ukraine i Lejre var i beskæftigelse i marts 2023?",
            "64 %",
        ),
        # The duration or age asked for is in the opening line with its figure, even where
        # it ends the sentence.
        (
            "Hvor tilfredse er borgere med sager på over 2 år med jobcentret i Mariagerfjord?",
            "Kort svar: Tilfredsheden for borgere med sager, der har en varighed på over 2 år, "
            "ligger på 64% [1]",
        ),
        (
            "Hvor tilfredse er borgere med sager på under 26 uger med jobcentret i Mariagerfjord?",
            "Kort svar: Tilfredsheden ligger på 81% for borgere, der har sager med en varighed "
            "på under 26 uger [1]",
        ),
        (
            "Hvor stor en andel af ydelsesmodtagerne i Lejre med mindst 12 måneders anciennitet "
            "har modtaget mindst 4 samtaler?",
            "94,2 % af de ydelsesmodtagere, der har mindst 12 måneders anciennitet [1]",
        ),
    ],
)
def test_a_figure_the_item_gives_for_the_asked_group_is_answered(
    sample_assistant: Assistant, question: str, figure: str
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.abstained, answer.text
    assert figure in answer.text.partition("\n\n")[0], answer.text


def test_the_durations_and_ages_a_figure_is_asked_for() -> None:
    asked = asked_quantities("Hvor stor en andel var i job efter 24 måneder, og over 67 år?")
    assert [q.text for q in asked] == ["efter 24 måneder", "over 67 år"]
    assert [q.text for q in asked_quantities("Hvor mange i alderen 16-66 år?")] == ["16-66 år"]
    # A year is a period, not a duration; an earlier question after the "?" is not asked now.
    assert asked_quantities("Hvor mange var der i 2023? Hvad med efter 6 måneder?") == ()


def test_a_figure_for_a_duration_is_stated_beside_it_and_is_not_the_duration() -> None:
    (months,) = asked_quantities("Hvor stor en andel var i arbejde efter 24 måneder?")
    listed = "Evalueringen undersøgte andelen i arbejde efter 6, 12 og 24 måneder."
    assert stated_values(listed, "count", [months]) == []  # the durations themselves
    other = "Især efter 52 uger, hvor 41,7 % af deltagerne var i arbejde."
    assert stated_values(other, "share", [months]) == []  # another time
    stated = "Efter 24 mdr. var 30 % i arbejde."
    assert [stated[a:b] for a, b in stated_values(stated, "share", [months])] == ["30 %"]
    (age,) = asked_quantities("Hvor mange ukrainere over 67 år er i beskæftigelse?")
    ages = "Færre børn (0-15 år) og ældre (67+ år) end i landet."
    assert stated_values(ages, "count", [age]) == []
    row = "67 år + · Greve Kommune · 19"
    assert [row[a:b] for a, b in stated_values(row, "count", [age])] == ["19"]


def test_digits_that_count_nothing_are_no_figure() -> None:
    assert not prints("Til indstillingspunkt 11 præciseres det, at kommunen deltager.", "count")
    assert not prints("Et flertal i Folketinget besluttede det.", "count")
    assert not prints("- Greve Idrætscenter (GIC), Lillevangsvej 88", "count")
    assert not prints("Tunehallen, 4030 Tune", "count")
    assert prints("I alt 305 ukrainske flygtninge i Greve Kommune", "count")


def test_what_a_count_question_counts() -> None:
    assert counted("Hvor mange ukrainske flygtninge modtog Greve?") == {"ukrainsk", "flygtning"}
    assert counted("Hvor mange IPS-konsulenter ansætter de?") == {"konsulent"}  # the head
    assert counted("Hvor mange stemmeberettigede var der?") == {"stemmeberettiged"}
    # Words in that place that count nothing: the part's own words tell its sentence.
    assert counted("og hvor mange nye blev startet?") == set()
    assert counted("og hvor mange burde det være?") == set()


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Hvem er projektejer på IPS-projektet i Mariagerfjord?", "Ann Frederiksen"),
        # The role beside the name as a compound: "konsulentbistand fra Nanna Møller Mortensen".
        ("Hvilken forsker har Aabenraa haft som konsulent på evalueringsdesignet til "
         "Velfærdsaftalen?", "Nanna Møller Mortensen"),
    ],
)  # fmt: skip
def test_a_role_holder_the_item_names_is_answered(
    sample_assistant: Assistant, question: str, name: str
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.abstained and name in answer.text.partition("\n\n")[0], answer.text


def test_the_roles_a_person_question_asks_about() -> None:
    assert asked_roles("Hvem er de tre IPS-teamledere?") == ["IPS-teamledere"]
    assert asked_roles("Hvilken forsker har de haft som konsulent?") == ["forsker", "konsulent"]
    assert asked_roles("Hvem fremlagde planen?") == []
    assert asked_roles("Hvor mange konsulenter er ansat?") == []  # no person asked


def test_what_a_figure_question_measures() -> None:
    assert measured("Hvad var ledigheden i Lejre i marts 2023?") == ("ledighed",)
    assert measured("Hvad er status på ledigheden i Vejle?") == ("ledighed",)
    assert measured("Hvor stor er diæten for møder under fire timer?") == ("diæt",)
    assert measured("Hvor stor var den samlede restance ultimo 2024?") == ("restanc",)
    # Whose it is, not what is measured.
    assert measured("Hvor stor var borgernes samlede restance ultimo 2024?") == ()
    # A count's noun is often not printed with it (a table row), and a unit is no measure.
    assert measured("Hvor mange stemmeberettigede var der?") == ()
    assert measured("Hvor mange penge har Mariagerfjord fået?") == ()
    assert measured("Hvad er status på IPS-projektet?") == ()
    assert measured("What was the unemployment rate?", "en") == ()


def test_the_groups_a_question_asks_a_figure_for() -> None:
    assert asked_groups("Hvor mange unge under 30 år og kvinder fra Syrien?") == [
        "under 30 år", "kvinder", "Syrien",
    ]  # fmt: skip
    assert asked_groups("Hvor mange dagpengemodtagere var der?") == ["dagpengemodtagere"]
    assert asked_groups("Hvor mange fordrevne var der i Lejre fra august?") == []  # a month
    assert asked_groups("Hvor mange penge kom fra staten?") == []  # not capitalised: no origin


def test_an_amount_printed_about_another_topic_is_not_taken_for_the_asked_one(
    sample_assistant: Assistant,
) -> None:
    # Vejle's item 79 prints 950.000 kr. for the integration effort and mentions IPS in
    # passing; the IPS theme item prints no amount, so there is none to give.
    answer = sample_assistant.ask("Hvor mange penge bruger Vejle på IPS-indsatsen?")
    assert answer.abstained
    assert "950.000" not in answer.text.split("Det nærmeste")[0]
    assert [c.item_number for c in answer.citations] == [78]


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("Hvor mange unge forventes i målgruppen for IPS i Mariagerfjord?", "30"),
        ("Hvor mange borgere måtte hver ressourcekonsulent i Næstved have ad gangen?", "25"),
        ("Hvor stort et beløb har Næstveds projekt På vej til arbejde fået fra A. P. Møllerske "
         "Støttefond?", "9,4 mio. kr."),
        # What is measured stands with its figure: "I juni er ledigheden på 2,1%".
        ("Hvad var ledigheden i Lejre Kommune i juni 2023?", "2,1%"),
    ],
)  # fmt: skip
def test_a_figure_of_the_asked_kind_the_item_prints_is_answered(
    sample_assistant: Assistant, question: str, figure: str
) -> None:
    answer = sample_assistant.ask(question)
    assert not answer.abstained
    assert figure in answer.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvor mange penge har Aabenraa afsat til Velfærdsaftalen?", "amount"),
        ("Hvad kostede projektet?", "amount"),
        ("Hvor stort et tilskud fik kommunen?", "amount"),
        ("How much money did Vejle spend on IPS?", "amount"),
        ("Hvor mange borgere har fået tilkendt Ret til tidlig pension?", "count"),
        ("Hvor stor en andel af de ledige er unge?", "count"),
        ("Hvad var ledigheden i Aabenraa i sommeren 2024?", "count"),
        ("How many refugees lived in Lejre?", "count"),
        ("Hvem var fraværende?", None),
        ("Hvad besluttede udvalget om IPS?", None),
    ],
)
def test_the_asked_kind_of_figure_is_read_from_the_question(question: str, kind: str) -> None:
    assert asked_kind(question, answer_language(question)) == kind


def test_the_topic_is_the_question_without_the_words_asking_for_a_figure() -> None:
    assert (
        without_asking("Hvor mange penge har Aabenraa afsat til Velfærdsaftalen?")
        == "har Aabenraa til Velfærdsaftalen?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Hvem skrev under på underskriftsarket i Mariagerfjord i januar 2024?",
        "Hvad stod der på underskriftsarket i Mariagerfjord?",
    ],
)
def test_a_question_only_a_closed_item_is_about_says_the_item_is_closed(
    sample_assistant: Assistant, question: str
) -> None:
    answer = sample_assistant.ask(question)
    assert answer.abstained
    assert answer.text.startswith("Punktet om «Lukket: Underskriftsark» (Mariagerfjord Kommune")
    assert "er lukket: referatet offentliggør hverken sagens indhold eller beslutningen" in (
        answer.text
    )
    (cited,) = answer.citations
    assert cited.closed and cited.item_number == 7


def test_a_question_about_the_closed_items_is_answered_with_their_titles(
    sample_assistant: Assistant,
) -> None:
    answer = sample_assistant.ask(
        "Hvilke lukkede punkter var der på mødet i Mariagerfjord den 4. januar 2024?"
    )
    assert not answer.abstained
    assert answer.citations[0].closed and "Lukket: Underskriftsark" in answer.text
