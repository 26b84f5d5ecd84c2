"""A near miss: the item on the question's topic does not print what is asked about.

"Hvor stor var restancen ultimo 2018?" finds the restance item, whose table runs from 2019.
Quoting its 2019 figure would answer another question. The answer instead says which years
the item does give and that the asked one is not among them, and it is marked abstained.
"Hvor mange penge har Aabenraa afsat til Velfærdsaftalen?" finds the item on the aftale,
which prints no amount at all: quoting its workshop sentences would pass for an answer.
What the item says is still shown, as the nearest information and not as the answer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.answer.facts import prints, topic_words_in, value_spans
from assistant.answer.prompts import load_prompt
from assistant.core.chunk_format import SENTENCE_END
from assistant.core.types import Answer, Chunk, Citation
from assistant.danish.dates import (
    DANISH_MONTHS,
    ENGLISH_MONTHS,
    dates_in,
    format_date,
    mentions_period,
    month_span,
    years_named,
)
from assistant.danish.language import DANISH, ENGLISH, Language
from assistant.danish.text import terms


def prints_kind(
    chunks: list[Chunk],
    kind: str,
    about: frozenset[str] = frozenset(),
    measure: Sequence[str] = (),
) -> bool:
    """Whether the item prints a fact of the asked kind: an amount in kroner, or any figure
    that is not an amount, a year, a date, a case number or a reference. With `about` (the
    stemmed topic words), only a paragraph or table row that also holds one of them counts:
    "950.000 kr. til en fokuseret integrationsindsats" is no amount for the IPS-indsats.
    With `measure` (what the question counts or measures, as written: "ledighed"), only a
    paragraph or row that prints it: Vejle's counts of citizens are no unemployment rate."""
    lines = _body(chunks).split("\n")
    if about:
        lines = [line for line in lines if about & set(terms(line))]
    if measure:
        # "Hvor stor er diæten …" is answered by "diæt på 910 kr.": beside what it measures,
        # an amount is a size too.
        lines = [line for line in lines if _prints_word(line, measure)]
        return any(prints(line, kind) or prints(line, "amount") for line in lines)
    return any(prints(line, kind) for line in lines)


def _prints_word(text: str, roots: Sequence[str]) -> bool:
    """Whether `text` holds a word starting with one of `roots` (or ending a compound with
    one: "langtidsledighed")."""
    return any(re.search(rf"{re.escape(root)}", text, re.IGNORECASE) for root in roots)


def near_miss_answer(
    question: str,
    nearest: Citation,
    lacking: str,
    prompts_dir: Path,
    language: Language = DANISH,
    **fields: str,
) -> Answer:
    """The abstention for an item on the topic that lacks what is asked, with what the item
    says cited as the nearest information. `lacking` names the template `near_miss_<lacking>`:
    "amount" (no amount for a "hvor mange penge"), "count" (no figure for a "hvor mange
    borgere"), "group" (no figure for the asked group, `group=`), "role" (nobody named as the
    asked role, `role=`), "unstated_amount" and "unstated_count" (figures, but no sentence
    stating the asked one), "pending" (the outcome is still to come) and "planned" (only the
    meeting that is to deal with it, `planned=`)."""
    return Answer(
        question=question,
        text=load_prompt(prompts_dir, f"near_miss_{lacking}", language).format(
            **_item_fields(nearest, language), **fields
        ),
        abstained=True,
        citations=(nearest,),
    )


# The group a figure is asked for: an age ("unge under 30 år", "de 18-24-årige"), a sex, an
# origin ("fra Syrien"), a benefit ("dagpengemodtagerne"). An item that counts everyone does
# not answer for the group: "149 fordrevne fra Ukraine" is no count of the women among them.
AGE_GROUP = re.compile(
    r"\b(?:over|under)\s+(?P<age>\d{1,3})(?:\s*år)?\b"
    r"|\b\d{1,3}\s*[-–]\s*(?P<upper>\d{1,3})[-\s]?årige\b|\b(?P<single>\d{1,3})-årige\b",
    re.IGNORECASE,
)
NAMED_GROUP = re.compile(
    r"\b(?:kvinder(?:ne)?|mænd(?:ene)?|kvindelige|mandlige|piger(?:ne)?|drenge(?:ne)?"
    r"|[a-zæøå]+modtager(?:e|ne)|ikke-vestlige|enlige\s+forsørgere|akademikere)\b"
    r"|(?<=\bfra\s)(?-i:[A-ZÆØÅ][a-zæøå]{2,})\b",  # an origin: "fra Syrien"
    re.IGNORECASE,
)
GROUP_KINDS = ("count", "share", "amount")


def asked_groups(question: str) -> list[str]:
    """The groups `question` asks a figure for, as it writes them."""
    found = [*AGE_GROUP.finditer(question), *NAMED_GROUP.finditer(question)]
    return [m.group() for m in sorted(found, key=lambda m: m.start())]


# What the group's figure is to count them in: "Hvor mange ukrainere over 67 år er i ordinær
# beskæftigelse?" is not answered by the age table's "67 år + · Greve Kommune · 19", which
# counts all of them, while the item prints "i ordinær beskæftigelse" for another age.
STATE_NOUN = (
    r"(?:beskæftigelse|job|arbejde|uddannelse|praktik|fleksjob|flexjob|ressourceforløb"
    r"|aktivering|tilbud)\w*"
)
STATE_ASKED = re.compile(
    r"\b(?:er|var|blev|kom|kommer|står|stod)\s+(?:kommet\s+)?i\s+"
    rf"((?:[a-zæøå]+\s+){{0,2}}?{STATE_NOUN}(?:\s+eller\s+{STATE_NOUN})?)\b",
    re.IGNORECASE,
)


def asked_state(question: str) -> str:
    """The state a group's figure is asked in, as written ("ordinær beskæftigelse"), or ""."""
    match = STATE_ASKED.search(question)
    return match[1] if match else ""


def unprinted_group(question: str, chunks: list[Chunk], kind: str) -> str | None:
    """The first group the question asks a figure of `kind` for that no sentence of the item
    gives one for: the group's words (or its age) and a figure of that kind in one sentence.
    "aktivitetsparate borgere (under og over 30 år)" names the age, but no figure for it.
    When the question asks them in a state the item prints ("i ordinær beskæftigelse"), the
    sentence prints it too; the answer then names the group with it."""
    sentences = [piece for line in _body(chunks).split("\n") for piece in SENTENCE_END.split(line)]
    state = asked_state(question)
    # "i arbejde eller uddannelse": either will do.
    alternatives = [set(terms(part)) for part in re.split(r"\s+eller\s+", state) if terms(part)]

    def in_state(sentence: str) -> bool:
        found = set(terms(sentence))
        return any(topic_words_in(wanted, found) == wanted for wanted in alternatives)

    held = bool(alternatives) and any(in_state(sentence) for sentence in sentences)
    for group in asked_groups(question):
        if not any(
            _gives_figure_for(group, sentence, kind) and (not held or in_state(sentence))
            for sentence in sentences
        ):
            return f"{group} i {state}" if held else group
    return None


def _gives_figure_for(group: str, sentence: str, kind: str) -> bool:
    age = AGE_GROUP.fullmatch(group)
    if age:
        years = age["age"] or age["upper"] or age["single"]
        place = re.search(
            rf"(?:over|under)\s+{years}\b|\b{years}\s*år|\b{years}-årig|[-–]\s*{years}\b",
            sentence,
            re.IGNORECASE,
        )
        if not place:
            return False
        # The age itself is no figure of the group.
        return any(not (start <= place.start() < end or place.start() <= start < place.end())
                   for start, end in value_spans(sentence, kind))  # fmt: skip
    wanted = set(terms(group))
    return bool(wanted and topic_words_in(wanted, set(terms(sentence)))) and prints(sentence, kind)


# The roles a "Hvem …" question asks the holder of: "Hvem er de tre IPS-teamledere …",
# "Hvem er projektejer?", "Hvilken forsker har Aabenraa haft som konsulent …". The holder is
# named beside the role ("Arbejdsmarkedschef Ann Frederiksen som projektejer",
# "konsulentbistand fra Nanna Møller Mortensen").
ASKS_WHO = re.compile(r"\b(?:hvem|hvilke[nt]?)\b", re.IGNORECASE)
ROLE_WORD = re.compile(
    r"\b[\w-]*(?:leder|chef|direktør|formand|konsulent|koordinator|projektejer|oplægsholder"
    r"|borgmester|rådgiver|sekretær|forsker)(?:e|en|ne|er|erne)?\b",
    re.IGNORECASE,
)
ROLE_ENDING = re.compile(r"(?:erne|ene|en|ne|er|e)$")
# "Centerchef for Job & Socialservice, Gitte Lind": the unit may stand between them.
ROLE_BESIDE_WORDS = 6


def asked_roles(question: str) -> list[str]:
    """The roles a Danish person question asks about, as written ("IPS-teamledere")."""
    if not ASKS_WHO.search(question):
        return []
    return [m.group() for m in ROLE_WORD.finditer(question)]


def names_role_holder(chunks: list[Chunk], roles: Sequence[str]) -> bool:
    """Whether the item names a person beside one of the roles: within a few words of a
    word that holds it ("teamleder" in "IPS-teamledere", "konsulent" in "konsulentbistand")."""
    roots = [ROLE_ENDING.sub("", role.rsplit("-", 1)[-1].lower()) for role in roles]
    for line in _body(chunks).split("\n"):
        for sentence in SENTENCE_END.split(line):
            words = list(re.finditer(r"\S+", sentence))
            places = [i for i, w in enumerate(words) if any(r in w.group().lower() for r in roots)]
            if not places:
                continue
            for start, end in value_spans(sentence, "person"):
                named = [i for i, w in enumerate(words) if w.start() < end and w.end() > start]
                if any(abs(p - i) <= ROLE_BESIDE_WORDS for p in places for i in named):
                    return True
    return False


# "Hvad viste VIVEs endelige evaluering?", "Hvordan endte byretssagen?", "Hvad blev udfaldet
# af forhandlingerne?": the outcome of something the committee was told about. Minutes often
# say only that it is awaited ("Projektet afventer endelig evaluering af VIVE", "resultatet
# fremlægges for udvalget på mødet den 8. november"): quoted, that passes for the outcome.
OUTCOME_ASKED = re.compile(
    r"\bhvordan\s+endte\b|\bhvad\s+(?:blev|var)\s+(?:resultatet|udfaldet|konklusionen"
    r"|udkommet)\b|\bhvad\s+viste\b|\bhvad\s+kom\s+der\s+ud\s+af\b|\bhvad\s+fandt\b"
    r"|\bwhat\s+was\s+the\s+(?:outcome|result)\b|\bhow\s+did\b.{0,80}\bend\b"
    r"|\bwhat\s+did\b.{0,80}\b(?:show|find)\b",
    re.IGNORECASE,
)
# The committee's own handling ("Hvad blev udfaldet, da udvalget behandlede …", "Hvad kom der
# ud af drøftelsen?"): its decision is the outcome, and the decision answer quotes it.
OWN_TREATMENT = re.compile(
    r"\bda\b.{0,60}(?:udvalg|byråd|kommunalbestyrelse)\w*|\bbehandling(?:en)?\b"
    r"|\bdrøftelse(?:n)?\b|\bwhen\s+the\s+(?:committee|council)\b",
    re.IGNORECASE,
)
# The words that say a thing is still to come: awaited, to be presented, to be dealt with at
# a later meeting, expected. The Danish present passive ("fremlægges", "gennemføres") speaks
# of what is planned.
PENDING = re.compile(
    r"\bafvent\w*|\bkommende\b|\bendnu\s+ikke\b|\bforventes\b|\bsenere\b"
    r"|\bvil\s+(?:\w+\s+){0,3}(?:indgå|blive|ske|komme|foreligge)\b"
    r"|\b(?:fremlægges|forelægges|gennemføres|afholdes|sendes|behandles|udarbejdes"
    r"|evalueres|afgøres|afsluttes)\b|\bskal\s+(?:\w+\s+){0,3}(?:behandles|godkendes"
    r"|vedtages|fremlægges|forelægges|drøftes|afgøres)\b"
    # An agenda entry that only names what the committee is told about: "1. Orientering om
    # byretsdom i sag fra Kontrolgruppen" gives no verdict.
    r"|^(?:\d{1,2}[.)]\s*)?orientering\s+(?:om|fra)\b",
    re.IGNORECASE,
)
# A sentence is on the asked thing when it holds this share of the best sentence's topic
# words (rare words weigh most); only when every such sentence speaks of what is to come is
# the outcome missing, so a result printed beside "den endelige evaluering forventes i 2025"
# still answers.
ON_THING_SHARE = 0.8
MIN_ON_THING = 0.3
OUTCOME_WORDS = re.compile(
    r"\b(?:resultat\w*|udfald\w*|konklusion\w*|udkomme\w*|endte|viste|fandt|outcome"
    r"|result|show|find|end)\b",
    re.IGNORECASE,
)


def pending_outcome(
    question: str, chunks: list[Chunk], idf: Callable[[str], float], ignore: frozenset[str]
) -> str | None:
    """The sentence saying the outcome the question asks about is still to come, when every
    sentence of the item on the asked thing says so; None when the question asks no outcome
    of another body's work, or the item may give it."""
    if not OUTCOME_ASKED.search(question) or OWN_TREATMENT.search(question):
        return None
    wanted = set(terms(OUTCOME_WORDS.sub(" ", question))) - ignore
    weight = sum(idf(t) for t in wanted)
    if not weight:
        return None
    sentences = [
        piece.strip()
        for line in _body(chunks).split("\n")[1:]  # the title says what, never how it went
        for piece in SENTENCE_END.split(line)
        if piece.strip()
    ]
    share = {s: sum(idf(t) for t in wanted & set(terms(s))) / weight for s in sentences}
    top = max(share.values(), default=0.0)
    if top < MIN_ON_THING:
        return None
    on_thing = [s for s in sentences if share[s] >= ON_THING_SHARE * top]
    if all(PENDING.search(s) for s in on_thing):
        # The sentence that names the outcome itself ("resultatet fremlægges …") says most.
        return max(on_thing, key=lambda s: (bool(OUTCOME_WORDS.search(s)), share[s]))
    return None


# "Hvornår godkendte byrådet strategien?" asks when it happened. An item dated before it
# names only the meeting that is to deal with it ("På møde i udvalget den 23. november 2023
# er der 2. behandling af strategien"): a plan, not the day it was approved.
PAST_EVENT_DATE = re.compile(
    r"\bhvornår\s+(?:godkendte|vedtog|besluttede|underskrev|indgik|blev\b.{0,80}\b"
    r"(?:godkendt|vedtaget|besluttet|underskrevet))\b"
    r"|\bwhen\s+(?:did|was)\b.{0,80}\b(?:approv|adopt|decid|sign)\w*",
    re.IGNORECASE,
)


def planned_dates(question: str, opening: str, meeting_date: dt.date) -> list[dt.date]:
    """The dates of an answer's opening line when the question asks when something was done
    and each of them lies after the meeting the line is quoted from; else []."""
    if not PAST_EVENT_DATE.search(question):
        return []
    days = dates_in(opening)
    return days if days and all(day > meeting_date for day in days) else []


def _item_fields(nearest: Citation, language: Language) -> dict[str, object]:
    return {
        "item_title": nearest.item_title,
        "municipality": nearest.municipality,
        "date": format_date(dt.date.fromisoformat(nearest.meeting_date), language),
        "item_number": nearest.item_label or nearest.item_number,
        "quote": nearest.quote,
        "n": nearest.n,
    }


def _body(chunks: list[Chunk]) -> str:
    """The item's title and text without the chunks' header lines, whose meeting date is
    when the committee met, not a period the item talks about."""
    lines = [chunks[0].item_title] if chunks else []
    for chunk in chunks:
        lines.extend(chunk.text.split("\n")[1:])
    return "\n".join(lines)


def names_period(
    chunks: list[Chunk], asked: tuple[dt.date, dt.date], measure: Sequence[str] = ()
) -> bool:
    """Whether the item (all its chunks) is about the asked period: its meeting lies in it,
    or its text names a day, month or year of it. With `measure` ("ledighed"), the period
    must be named where the item prints that: "I marts 2023 var 64 % af de fordrevne …" is
    no unemployment figure for March (the item gives it for June)."""
    if not chunks:
        return False
    day = dt.date.fromisoformat(chunks[0].meeting_date)
    if asked[0] <= day <= asked[1]:
        return True
    body = _body(chunks)
    if measure:
        sentences = [
            piece for line in body.split("\n") for piece in SENTENCE_END.split(line)
            if _prints_word(piece, measure)
        ]  # fmt: skip
        if sentences:  # an item that never prints it is judged as a whole
            body = "\n".join(sentences)
    return mentions_period(body, *asked, written_on=day)


def item_years(chunks: list[Chunk]) -> list[int]:
    return years_named(_body(chunks))


def describe_period(start: dt.date, end: dt.date, language: Language = DANISH) -> str:
    """ "2018", "februar 2025", "4. februar 2025" ("from … to …" for anything else)."""
    if start == end:
        return format_date(start, language)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    if (start, end) == month_span(start.year, start.month):
        months = ENGLISH_MONTHS if language == ENGLISH else DANISH_MONTHS
        return f"{months[start.month - 1]} {start.year}"
    return f"{format_date(start, language)} - {format_date(end, language)}"


def _listed(years: list[int], language: Language) -> str:
    """ "2019-2024 og 2030": runs of consecutive years as spans, so a ten-year table is short."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    values = []
    for run in runs:
        values.extend([f"{run[0]}-{run[-1]}"] if len(run) > 2 else map(str, run))
    joiner = " and " if language == ENGLISH else " og "
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + joiner + values[-1]


def period_near_miss(
    question: str,
    nearest: Citation,
    asked: tuple[dt.date, dt.date],
    years_in_item: list[int],
    prompts_dir: Path,
    language: Language = DANISH,
) -> Answer:
    """The abstention for an item on the topic that does not name the asked period;
    `nearest` is what the item says (its best sentences), cited as [1]."""
    fields = {
        **_item_fields(nearest, language),
        "asked": describe_period(*asked, language),
        "years": _listed(years_in_item, language) if years_in_item else "",
    }
    name = "near_miss_period" if years_in_item else "near_miss_period_none"
    return Answer(
        question=question,
        text=load_prompt(prompts_dir, name, language).format(**fields),
        abstained=True,
        citations=(nearest,),
    )
