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
from pathlib import Path

from assistant.answer.extractive import AMOUNT, FIGURE
from assistant.answer.prompts import load_prompt
from assistant.core.types import Answer, Chunk, Citation
from assistant.danish.dates import (
    DANISH_MONTHS,
    ENGLISH_MONTHS,
    format_date,
    mentions_period,
    month_span,
    years_named,
)
from assistant.danish.language import DANISH, ENGLISH, Language
from assistant.danish.text import terms

# The question asks for an amount of money: "Hvor mange penge …", "Hvad kostede …", "Hvor
# stort et tilskud …". The broader money words ("midler", "ansøgte") ask about money matters,
# not necessarily for a sum, so they are not enough.
AMOUNT_ASKED = {
    DANISH: re.compile(
        r"\bhvor\s+mange\s+(?:penge|kroner|kr\b|mio\b|millioner|milliarder|midler)"
        r"|\bhvor\s+meget\b.{0,50}\b(?:kost\w*|betal\w*|penge|bevilg\w*|afsat|afsætte\w*"
        r"|tilskud\w*|støtte\w*|spare\w*|sparet)\b"
        r"|\bhvad\s+(?:kost\w*|beløb\w*)\b"
        r"|\bhvor\s+st(?:or|ort|ore)\s+(?:et\s+|en\s+)?(?:beløb|budget\w*|tilskud\w*|bevilling\w*"
        r"|underskud\w*|overskud\w*|merforbrug\w*|mindreforbrug\w*|udgift\w*|pulje\w*)",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(
        r"\bhow\s+much\s+(?:money|funding|did\b.{0,40}\bcost)|\bhow\s+many\s+(?:kroner|dkk)"
        r"|\bwhat\s+did\b.{0,40}\bcost|\bhow\s+(?:large|big)\s+(?:a|an|the|was|is)?\s*"
        r"(?:grant|budget|amount|deficit|surplus|overspend\w*)",
        re.IGNORECASE,
    ),
}
# The question asks for a number of something: "Hvor mange borgere …", "antallet af …",
# "Hvor stor en andel …", "Hvad var ledigheden …".
COUNT_ASKED = {
    DANISH: re.compile(
        r"\bhvor\s+mange\b|\bantal(?:let)?\b|\bhvor\s+stor\s+(?:en\s+)?(?:andel|del|procent\w*)"
        r"|\bhvor\s+(?:høj|lav|stor)\s+(?:var|er|blev)\s+(?:ledighed\w*|andel\w*|procent\w*)"
        r"|\bhvad\s+(?:var|er|blev)\s+(?:den\s+)?(?:ledighed\w*|beskæftigelsesfrekvens\w*"
        r"|andelen|antallet|procent\w*)",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(
        r"\bhow\s+many\b|\bnumber\s+of\b|\bwhat\s+(?:share|proportion|percentage)\b"
        r"|\bwhat\s+(?:was|is)\s+the\s+(?:unemployment|employment)\s+rate\b",
        re.IGNORECASE,
    ),
}
# Digits in an item that are no figure of anything: case numbers ("15.00.00-G01-1111-20"),
# dates ("27. april", "7/6-2024"), ordinals ("1. behandling"), paragraphs ("§ 46"), times
# ("kl. 16.00") and references to items or cases ("punkt 4", "sag nr. 13").
NOT_A_FIGURE = re.compile(
    r"\b\d+(?:[.\-/]\w+)*-[A-ZÆØÅ]\d+(?:-\w+)*"  # case numbers
    rf"|\b\d{{1,2}}\.\s*(?:{'|'.join(DANISH_MONTHS)})\b"
    r"|\b\d{1,2}[-./]\d{1,2}(?:[-./]\d{2,4})?\b"
    r"|\b\d{1,2}\.\s+(?=[a-zæøå])"
    r"|§+\s*\d+\w*|\bkl\.\s*\d{1,2}(?:[.:]\d{2})?"
    r"|\b(?:punkt|pkt\.|sag|sagsnr\.?|sag\s+nr\.?|nr\.)\s*\d+",
    re.IGNORECASE,
)
# Counts written as words ("tre forløb", "halvdelen af de unge").
NUMBER_WORDS = re.compile(
    r"\b(?:to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten"
    r"|sytten|atten|nitten|tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|hundrede"
    r"|tusind\w*|halvdelen|tredjedel\w*|fjerdedel\w*|flertal\w*)\b",
    re.IGNORECASE,
)


# The words that ask for the amount or the number, not what it is about: an item that holds
# "afsat" and "kroner" but not "Velfærdsaftalen" is not on the topic of "Hvor mange penge har
# Aabenraa afsat til Velfærdsaftalen?".
ASKING_WORDS = re.compile(
    r"\b(?:hvor|mange|meget|stor|stort|store|høj|lav|penge|kroner|kr|mio|millioner|milliarder"
    r"|beløb\w*|afsat|afsætte\w*|bevilg\w*|kost\w*|betal\w*|antal\w*|andel\w*|procent\w*"
    r"|how|many|much|money|amount|number|share|percentage|cost\w*|spen[dt]\w*)\b",
    re.IGNORECASE,
)


def without_asking(question: str) -> str:
    """The question's topic: the question without the words that ask for a figure."""
    return re.sub(r"\s{2,}", " ", ASKING_WORDS.sub(" ", question)).strip()


def asked_kind(question: str, language: Language = DANISH) -> str | None:
    """ "amount" when the question asks for a sum of money, "count" when it asks for a
    number of something, None when it asks for neither."""
    if AMOUNT_ASKED[language].search(question):
        return "amount"
    if COUNT_ASKED[language].search(question):
        return "count"
    return None


def prints_kind(chunks: list[Chunk], kind: str, about: frozenset[str] = frozenset()) -> bool:
    """Whether the item prints a fact of the asked kind: an amount in kroner, or any figure
    that is not an amount, a year, a date, a case number or a reference. With `about` (the
    stemmed topic words), only a paragraph or table row that also holds one of them counts:
    "950.000 kr. til en fokuseret integrationsindsats" is no amount for the IPS-indsats."""
    lines = _body(chunks).split("\n")
    if about:
        lines = [line for line in lines if about & set(terms(line))]
    return any(_prints(line, kind) for line in lines)


def _prints(text: str, kind: str) -> bool:
    if kind == "amount":
        return bool(AMOUNT.search(text))
    # An amount is not a count: "1.609.500 kr." does not say how many borgere.
    plain = NOT_A_FIGURE.sub(" ", AMOUNT.sub(" ", text))
    return bool(FIGURE.search(plain) or NUMBER_WORDS.search(plain))


def kind_near_miss(
    question: str,
    nearest: Citation,
    kind: str,
    prompts_dir: Path,
    language: Language = DANISH,
) -> Answer:
    """The abstention for an item on the topic that prints no fact of the asked kind (no
    amount for a "hvor mange penge", no figure for a "hvor mange borgere")."""
    return Answer(
        question=question,
        text=load_prompt(prompts_dir, f"near_miss_{kind}", language).format(
            **_item_fields(nearest, language)
        ),
        abstained=True,
        citations=(nearest,),
    )


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


def names_period(chunks: list[Chunk], asked: tuple[dt.date, dt.date]) -> bool:
    """Whether the item (all its chunks) is about the asked period: its meeting lies in it,
    or its text names a day, month or year of it."""
    if not chunks:
        return False
    day = dt.date.fromisoformat(chunks[0].meeting_date)
    if asked[0] <= day <= asked[1]:
        return True
    return mentions_period(_body(chunks), *asked, written_on=day)


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
