"""The fact a question asks for, and where an item prints it.

"Hvor mange fordrevne fra Ukraine var der i Lejre?" asks for a count, "Hvor mange penge har
Mariagerfjord fået?" for an amount, "Hvilken forsker …" for a person and "Hvornår …" for a
date. The answer quotes the item's sentence that states that fact, word for word, so what it
counts stays with it; the near-miss check asks the same patterns whether the item prints
such a fact at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from assistant.danish.dates import DANISH_MONTHS, dates_in
from assistant.danish.language import DANISH, ENGLISH, Language
from assistant.danish.text import STOPWORDS, terms

_MONTHS = "|".join(DANISH_MONTHS)
# A figure, not a year: "149", "1.609.500", "38 %", "2,1%".
FIGURE = re.compile(r"\b(?!(?:19|20)\d{2}\b)\d+(?:[.,]\d+)*\b")
AMOUNT = re.compile(
    r"\d[\d.,]*\s*(?:kr\b|kroner|mio\b|mia\b|millioner|milliarder)|\d[\d.,]*\s*mio\.\s*kr",
    re.IGNORECASE,
)
PERSON_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ]\.?)?(?:\s+[A-ZÆØÅ][a-zæøåé\-]+)+")
DATE_TEXT = re.compile(
    rf"\b\d{{1,2}}\.\s*(?:{_MONTHS})\b|\b\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}\b|\b(?:19|20)\d{{2}}\b",
    re.IGNORECASE,
)
# A day or a month, not only a year: "23. november 2023", "7/6-2024", "i februar". "Hvornår …"
# is answered by one when the item gives one; a year alone ("2024-2027" in a title) answers
# it only when none does.
DAY_TEXT = re.compile(
    rf"\b\d{{1,2}}\.\s*(?:{_MONTHS})(?:\s+(?:19|20)\d{{2}})?\b"
    r"|(?<![\d.])(?<!kl\.)(?<!kl\.\s)\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b",  # not "kl. 17.00-18.30"
    re.IGNORECASE,
)
MONTH_TEXT = re.compile(rf"\b(?:{_MONTHS})(?:\s+(?:19|20)\d{{2}})?\b", re.IGNORECASE)
MONTH_NAMED = re.compile(rf"\b(?:{_MONTHS})\b", re.IGNORECASE)
DATE_PATTERNS = {"day": DAY_TEXT, "month": MONTH_TEXT, "date": DATE_TEXT}
# A share: "38 %", "94,2 procent", "halvdelen".
SHARE_TEXT = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:%|procent\b|pct\b\.?)|\b(?:halvdelen|tredjedel\w*|fjerdedel\w*)\b",
    re.IGNORECASE,
)
SHARE_ASKED = {
    DANISH: re.compile(
        r"\bhvor\s+stor\s+(?:en\s+)?(?:andel|del|procent\w*)|\bhvor\s+mange\s+procent"
        r"|\bandelen\b"
        # "Hvor tilfredse er dagpengemodtagerne …": satisfaction is reported as a share.
        r"|\bhvor\s+tilfredse?\b",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(r"\bwhat\s+(?:share|proportion|percentage)\b", re.IGNORECASE),
}
# "Hvor mange borgere …", "hvor mange af de unge …": the word after says what is counted.
COUNTED = {
    DANISH: re.compile(
        r"\bhvor\s+mange\s+(?:af\s+)?(?:de\s+|dem\s+)?([\w-]+)(?:\s+(\w+))?", re.IGNORECASE
    ),
    ENGLISH: re.compile(r"\bhow\s+many\s+(?:of\s+)?(?:the\s+)?(\w+)(?:\s+(\w+))?", re.IGNORECASE),
}
# An adjective in that place goes with the noun after it: "Hvor mange ukrainske flygtninge".
# ("stemmeberettigede" is one used as the noun: the word after it is a verb.)
COUNTED_ADJECTIVE = re.compile(r"(?:ske|ede|ige)$", re.IGNORECASE)
# Words in that place that count nothing themselves: "Hvor mange nye blev startet", "og hvor
# mange burde det være?".
NOT_COUNTED = frozenset(
    {
        *("nye", "flere", "færre", "andre", "øvrige", "yderligere", "ekstra", "samlede"),
        *("burde", "bør", "kunne", "skulle", "ville", "blev", "bliver", "fik", "får", "kom"),
        *("more", "other", "new"),
    }
)
# Capitalised runs that are bodies and places, not people: "Vejle Kommune", "IPS Center
# Danmark", "Region Sjælland", "Arbejdsmarkedsudvalget Vejle".
NOT_A_PERSON = re.compile(
    r"kommune|udvalg|center|centret|region|styrelse|danmark|universitet|ministeri|forvaltning"
    r"|byråd|fond\b|forening|sekretariat|afdeling|jobcenter|gruppe|netværk|skole|akademi"
    r"|projekt|plan\b|aftale|strategi|politik|indsats|pulje"
    # The government and the parties: "Regeringen og SF, Radikale Venstre, Liberal Alliance"
    r"|regering|venstre\b|folkeparti|alliance\b|enhedslist|socialdemokrat|moderatern"
    r"|danmarksdemokrat|alternativet|borgerlige\b|konservative\b"
    # Nouns capitalised in a heading or a table ("Forløbsstatus Varighed"): names do not end so.
    r"|\w(?:hed|heder|else|ning|tion|skab|status|ende)\b",
    re.IGNORECASE,
)
# A title before a name ("Arbejdsmarkedschef Ann Frederiksen", "Afdelingsledere i Jobcentret
# Janika Wiene"): not part of it.
TITLE = re.compile(
    r"(?:chef|direktør|leder|ledere|formand|næstformand|konsulent|borgmester|rådmand|forsker"
    r"|adjunkt|professor|lektor|medarbejder|koordinator|rådgiver|specialist|sekretær)$",
    re.IGNORECASE,
)
# The question asks for an amount of money: "Hvor mange penge …", "Hvad kostede …", "Hvor
# stort et tilskud …". The broader money words ("midler", "ansøgte") ask about money matters,
# not necessarily for a sum, so they are not enough.
AMOUNT_ASKED = {
    DANISH: re.compile(
        r"\bhvor\s+mange\s+(?:penge|kroner|kr\b|mio\b|millioner|milliarder|midler)"
        # A grant as a compound too: "Hvor meget fik Greve i resultattilskud …".
        r"|\bhvor\s+meget\b.{0,50}(?:\b(?:kost\w*|betal\w*|penge|bevilg\w*|afsat|afsætte\w*"
        r"|spare\w*|sparet|bruge[st]?|brugt|anvend\w*|udgø\w*|udgjorde)|\w*(?:tilskud|støtte)"
        r"\w*)\b"
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
        r"|andelen|antallet|procent\w*)"
        # A magnitude of anything: "Hvor stor var restancen …", "hvor meget af den lå …".
        r"|\bhvor\s+st(?:or|ort|ore)\s+(?:var|er|blev|bliver)\b|\bhvor\s+meget\b"
        # "Hvad er status på ledigheden i Vejle?" asks for the rate.
        r"|\bstatus\s+på\s+(?:ledighed\w*|beskæftigelsesfrekvens\w*|sygefravær\w*)",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(
        r"\bhow\s+many\b|\bnumber\s+of\b|\bwhat\s+(?:share|proportion|percentage)\b"
        r"|\bwhat\s+(?:was|is)\s+the\s+(?:unemployment|employment)\s+rate\b",
        re.IGNORECASE,
    ),
}
# The question asks for a person: "Hvem fremlagde …", "Hvilken forsker …", "Hvilket
# udvalgsmedlem …", "oplægsholderen".
PERSON_ASKED = {
    DANISH: re.compile(
        # A role as a compound too: "Hvilken centerchef …", "Hvilken projektleder …".
        r"\bhvem\b|\bhvilke[nt]?\s+(?:\w+\s+)?\w*(?:person|forsker|medarbejder"
        r"|konsulent|udvalgsmedlem|medlem|politiker|borgmester|formand"
        r"|leder|chef|direktør|oplægsholder|gæst|borgerrådgiver)\w*\b"
        r"|\bprojektejer\w*|\boplægsholder\w*|\bnavn(?:et|ene|e)?\b",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(
        r"\bwho\b|\bwhom\b|\bnames?\b|\bwhich\s+(?:person|researcher|member|speaker|employee"
        r"|consultant|politician)s?\b",
        re.IGNORECASE,
    ),
}
# How often, stated: "hvert andet år", "hver 14. dag", "to gange om året", "månedligt".
FREQUENCY_TEXT = re.compile(
    r"\bhver(?:t|e)?\s+(?:\w+\.?\s+)?(?:dag|uge|måned|år|kvartal|halvår)\w*"
    r"|\b(?:dagligt|ugentligt|månedligt|årligt|kvartalsvis|halvårligt)\b"
    r"|\bgange?\s+(?:om|pr\.?|per|i)\s+(?:dagen|ugen|måneden|året|kvartalet|halvåret|\w+et)\b"
    r"|\bløbende\b",
    re.IGNORECASE,
)
FREQUENCY_ASKED = {
    DANISH: re.compile(r"\bhvor\s+(?:tit|ofte|hyppigt)\b", re.IGNORECASE),
    ENGLISH: re.compile(r"\bhow\s+(?:often|frequently)\b", re.IGNORECASE),
}
# The days of the week and the hours something happens: "På hvilke dage og tidspunkter …",
# "Hvad er åbningstiden …", "Hvornår på dagen …".
TIME_ASKED = {
    DANISH: re.compile(
        # Asked, not only named: "Hvorfor blev åbningstiden skåret ned?" asks a reason.
        r"\bhvilke[nt]?\s+(?:dage|ugedage?|tidspunkt\w*)\b|\bklokken\s+hvad\b|\bhvad\s+tid\b"
        r"|\bhvornår\s+på\s+dagen\b|\bhvad\s+er\s+(?:åbningstid\w*|tidspunkt\w*)",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(r"\bwhat\s+time\b|\bwhich\s+days\b|\bopening\s+hours\b", re.IGNORECASE),
}
TIME_TEXT = re.compile(
    r"\b(?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)(?:e|en|ene)?\b"
    r"|\bkl\.\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?"
    r"|\b\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}\b",
    re.IGNORECASE,
)
# A period: "Over hvilken periode …", "I hvilken periode kan man søge …", "I hvilket tidsrum".
PERIOD_ASKED = {
    DANISH: re.compile(
        r"\bhvilke[nt]?\s+(?:periode|tidsrum|tidsperiode)\b|\bhvor\s+længe\s+løber\b",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(r"\bwhat\s+period\b|\bwhich\s+period\b", re.IGNORECASE),
}
# "fra 2026 frem mod 2030", "fra den 15. oktober til den 15. december", "2024-2027", "i
# perioden 2023-2025": held to a date or a year inside it (`value_spans`), so "fra ledighed
# til job" is no period.
PERIOD_TEXT = re.compile(
    r"\bfra\s+(?:den\s+)?[\w.]+(?:\s+[\w.]+){0,3}?\s+(?:til|frem\s+mod|og\s+frem\s+til)"
    rf"\s+(?:den\s+)?[\w.]+(?:\s+(?:19|20)\d{{2}}|\s+(?:{_MONTHS}))?"
    r"|\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)?\d{2}\b",
    re.IGNORECASE,
)
DATE_ASKED = {
    DANISH: re.compile(
        r"\bhvornår\b|\bhvilken\s+(?:dato|dag)\b|\bdatoen\b|\bpå\s+hvilken\s+dato\b",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(r"\bwhen\b|\bwhat\s+date\b|\bwhich\s+day\b", re.IGNORECASE),
}
# Digits in an item that are no figure of anything: case numbers ("15.00.00-G01-1111-20"),
# dates ("27. april", "7/6-2024"), ordinals ("1. behandling"), paragraphs ("§ 46"), times
# ("kl. 16.00") and references to items or cases ("punkt 4", "sag nr. 13").
NOT_A_FIGURE = re.compile(
    r"\b\d+(?:[.\-/]\w+)*-[A-ZÆØÅ]\d+(?:-\w+)*"  # case numbers
    rf"|\b\d{{1,2}}\.\s*(?:{_MONTHS})\b"
    r"|\b\d{1,2}[-./]\d{1,2}(?:[-./]\d{2,4})?\b"
    r"|\b\d{1,2}\.\s+(?=[a-zæøå])"
    r"|§+\s*\d+\w*|\bkl\.\s*\d{1,2}(?:[.:]\d{2})?"
    r"|\b(?:\w*punkt|pkt\.|sag|sagsnr\.?|sag\s+nr\.?|nr\.|kapitel|bilag|afsnit|side|fase|trin"
    r"|niveau)\s*\d+"
    r"|\b[A-Za-zÆØÅæøå]+-\d+"  # names with a number in them: "COVID-19", "Pulje-2"
    # Addresses: "Lillevangsvej 88", "Gersager Allé 1", "2670 Greve".
    r"|\b[A-ZÆØÅ][a-zæøå]*(?:vej|gade|allé|alle|vænge|plads|torv|stræde|park|have)\s+\d+\w?"
    r"|\b[A-ZÆØÅ][a-zæøå]+\s+(?:Allé|Alle|Vej|Gade|Plads|Torv)\s+\d+\w?"
    r"|\b\d{4}(?=\s+[A-ZÆØÅ][a-zæøå]+\b(?!\s+Kommune))"
    # A duration as an adjective, no count: "en 10-årig periode", "3-årige projektperiode".
    r"|\b\d+-(?:årig|dages|timers|ugers|måneders|sidet|mands)\w*",
    re.IGNORECASE,
)
# Counts written as words ("tre forløb", "halvdelen af de unge"). Not "flertal": "Et flertal
# i Folketinget besluttede" is a majority, no count of anything.
NUMBER_WORDS = re.compile(
    r"\b(?:to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten"
    r"|sytten|atten|nitten|tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|hundrede"
    r"|tusind\w*|halvdelen|tredjedel\w*|fjerdedel\w*)\b",
    re.IGNORECASE,
)
# A figure asked for a duration or an age, in numbers ("efter 24 måneder", "ukrainere over 67
# år", "de 18-24-årige"): the sentence stating it prints the same number with its unit.
# "efter 52 uger, hvor 41,7 %" is the share after another time, "i alderen 16-66 år" another
# group. A year or a date is a period, checked with the item's periods instead.
ASKED_QUANTITY = re.compile(
    r"(?:\b(?:over|under|efter|mindst|højst|cirka|ca\.|op\s+til|inden\s+for)\s+)?"
    r"(?:\b\d{1,3}\s*[-–]\s*)?\b(?P<number>\d{1,3})\s*\+?\s*-?\s*(?P<unit>år(?:ige)?|måned\w*|mdr\.?|uge\w*|dage?|døgn|timer?)"
    r"(?!\w)",
    re.IGNORECASE,
)
# The first number of an age or a duration range: "0-15 år".
AGE_RANGE_START = re.compile(r"\s*[-–]\s*\d{1,3}\s*(?:år|måned|uge|dag)", re.IGNORECASE)
# What stands between the numbers of a list: "6, 12 og 24".
LISTED_BEFORE = re.compile(r"(?:[,\s]+\d+)*(?:,\s*|\s+(?:og|eller)\s+)")
# How each unit is also printed: "24 mdr.", "67+ år", "67 år +", "30-årige".
UNIT_PRINTED = {
    "år": "år",
    "mån": "(?:måned|mdr)",
    "mdr": "(?:måned|mdr)",
    "uge": "uge",
    "dag": "dag",
    "døg": "døgn",
    "tim": "time",
}


@dataclass(frozen=True)
class AskedQuantity:
    """A duration or an age the figure is asked for: as the question writes it, and as a
    sentence may print it."""

    text: str
    printed: re.Pattern[str]


def asked_quantities(question: str) -> tuple[AskedQuantity, ...]:
    """The durations and ages the question's own sentence asks a figure for (not those of
    the earlier questions a follow-up is searched with)."""
    own = question.partition("?")[0]
    found = []
    for match in ASKED_QUANTITY.finditer(own):
        unit = UNIT_PRINTED[match.group("unit").lower()[:3]]
        printed = re.compile(
            rf"(?<![\d.,]){match.group('number')}\s*\+?\s*-?\s*{unit}", re.IGNORECASE
        )
        found.append(AskedQuantity(match.group(), printed))
    return tuple(found)


def stated_values(
    sentence: str, kind: str, quantities: Sequence[AskedQuantity] = ()
) -> list[tuple[int, int]]:
    """The values of `kind` that `sentence` states for the asked durations and ages: none
    when it does not print each of them, and never the duration or age itself ("efter 6, 12
    og 24 måneder" states no figure after 24 months)."""
    spans = value_spans(sentence, kind)
    if not quantities:
        return spans
    if not all(q.printed.search(sentence) for q in quantities):
        return []
    printed = [m.span() for q in quantities for m in q.printed.finditer(sentence)]
    durations = [m.span() for m in ASKED_QUANTITY.finditer(sentence)]
    return [
        (start, end)
        for start, end in spans
        if not any(start < q_end and q_start < end for q_start, q_end in printed)
        # "6, 12 og 24 måneder", "børn (0-15 år)": durations and ages too, not the figure.
        and not _listed_with(sentence, end, printed)
        and not any(start < d_end and d_start < end for d_start, d_end in durations)
        and not AGE_RANGE_START.match(sentence, end)
    ]


def _listed_with(sentence: str, end: int, printed: Sequence[tuple[int, int]]) -> bool:
    """Whether the value ending at `end` is one of a list ("6, 12 og 24") that an asked
    duration or age closes."""
    return any(
        q_start >= end and LISTED_BEFORE.fullmatch(sentence[end:q_start]) for q_start, _ in printed
    )


# A question asking two things at once: "…, og hvor mange var der faktisk?", "… og ud af
# hvor mange kommuner?", "…, og hvilken dato kunne opstarten blive udskudt til?". Each part is
# answered by a sentence of its own: the best sentence for the whole rarely states both.
NEXT_QUESTION = {
    DANISH: re.compile(
        r",?\s+og\s+(?=(?:ud\s+af\s+|til\s+|på\s+|i\s+|fra\s+)?"
        r"(?:hvor|hvad|hvilke[nt]?|hvem|hvornår)\b)",
        re.IGNORECASE,
    ),
    ENGLISH: re.compile(
        r",?\s+and\s+(?=(?:out\s+of\s+|to\s+|in\s+)?(?:how|what|which|who|when)\b)",
        re.IGNORECASE,
    ),
}
# The words that ask for the amount or the number, not what it is about: an item that holds
# "afsat" and "kroner" but not "Velfærdsaftalen" is not on the topic of "Hvor mange penge har
# Aabenraa afsat til Velfærdsaftalen?".
ASKING_WORDS = re.compile(
    r"\b(?:hvor|mange|meget|stor|stort|store|høj|lav|penge|kroner|kr|mio|millioner|milliarder"
    r"|beløb\w*|afsat|afsætte\w*|bevilg\w*|kost\w*|betal\w*|antal\w*|andel\w*|procent\w*"
    r"|how|many|much|money|amount|number|share|percentage|cost\w*|spen[dt]\w*)\b",
    re.IGNORECASE,
)
# A neighbouring sentence on the topic counts half: "Projektet evalueres af VIVE." followed
# by "Konsulent er Nanna Møller Mortensen." names the person in the sentence after.
NEIGHBOUR_WEIGHT = 0.5


def without_asking(question: str) -> str:
    """The question's topic: the question without the words that ask for a figure."""
    return re.sub(r"\s{2,}", " ", ASKING_WORDS.sub(" ", question)).strip()


def asked_parts(question: str, language: Language = DANISH) -> list[str]:
    """The questions `question` asks, in order: one, or the parts of "Hvad var det forventede
    antal, og hvor mange var der faktisk?". Only the first sentence is split: a follow-up is
    searched with the earlier questions after it, and those are not asked again."""
    first = question.partition("?")[0]
    parts = [part for part in NEXT_QUESTION[language].split(first) if part.strip()]
    if len(parts) < 2:
        return [question]
    return parts


def asked_kind(question: str, language: Language = DANISH) -> str | None:
    """ "amount" when the question asks for a sum of money, "count" when it asks for a
    number of something, None when it asks for neither."""
    return _first_asked(question, {"amount": AMOUNT_ASKED, "count": COUNT_ASKED}, language)


def asked_fact(question: str, language: Language = DANISH) -> str | None:
    """The kind of fact the question asks for: "amount", "share", "count", "person", "time"
    (weekdays and hours), "period", "date", "frequency" or None (a decision, a list, a
    description)."""
    kinds = {
        "amount": AMOUNT_ASKED,
        "share": SHARE_ASKED,
        "count": COUNT_ASKED,
        "person": PERSON_ASKED,
        # Before the date: "Hvornår på dagen …" asks the hour, not the day.
        "time": TIME_ASKED,
        "period": PERIOD_ASKED,
        "date": DATE_ASKED,
        "frequency": FREQUENCY_ASKED,
    }
    return _first_asked(question, kinds, language)


def _first_asked(
    question: str, kinds: dict[str, dict[Language, re.Pattern[str]]], language: Language
) -> str | None:
    """The kind asked first. A follow-up is searched with the earlier questions after it
    ("Og hvor mange aktive sager er der? Hvor mange penge bevilgede …"): the new question's
    own asking words come first. At one place the order of `kinds` decides ("Hvor mange
    penge" is an amount before it is a count)."""
    found = [
        (match.start(), order, kind)
        for order, (kind, patterns) in enumerate(kinds.items())
        if (match := patterns[language].search(question))
    ]
    return min(found)[2] if found else None


# What a figure question measures, where it counts nothing: "Hvad var ledigheden …", "Hvor
# stor var den samlede restance …", "status på ledigheden". Its figure is printed with it.
STATUS_MEASURE = re.compile(
    r"\bstatus\s+på\s+(ledighed\w*|beskæftigelsesfrekvens\w*|sygefravær\w*)", re.IGNORECASE
)
MEASURE = re.compile(
    r"\b(?:hvad\s+(?:var|er|blev)|hvor\s+st(?:or|ort|ore)\s+(?:var|er|blev))\s+"
    r"(?:den\s+|det\s+)?(?:(?:samlede|gennemsnitlige|forventede|faktiske|aktuelle)\s+)?(\w+)",
    re.IGNORECASE,
)
# Words in that place that name no measure: "Hvad var der …", "Hvor stor var andelen …" (the
# share is the kind asked, not what it is a share of).
NOT_A_MEASURE = frozenset(
    terms(
        "der det de den han hun man andelen antallet beløbet tallet udgiften prisen status"
        # A unit is how the figure is printed, not what it is of ("Hvor mange penge …").
        " penge kroner kr mio millioner milliarder midler procent gange år måneder uger dage"
        " timer"
    )
)


# A definite or plural ending, taken off so "ledigheden" finds "ledighed" and "borgere"
# finds "borger".
WORD_ENDING = re.compile(r"(?:erne|ene|en|et|er|e)$")
MIN_ROOT = 4


# A possessive before what it owns: "borgernes samlede …", "Beskæftigelses- og …".
GENITIVE = re.compile(r"(?<=s)(?:\s+(?!(?:i|på|for|til|af|ved|med|om|blandt|er|var)\b)\w|-)")


def measured(question: str, language: Language = DANISH) -> tuple[str, ...]:
    """What a Danish figure question measures, as the start of the word the minutes print
    with its figure: "Hvad var ledigheden …" -> "ledighed". The stemmer makes one stem
    of "ledighed", "ledige" and "ledelse", so the written word is kept. Empty when the
    question names neither, and for a question in English, whose words the Danish minutes do
    not print."""
    if language != DANISH:
        return ()
    # What a count counts is often not printed with it ("Hvor mange stemmeberettigede …" is
    # answered by a table row "Greve Idrætscenter · 4.012"), so only a measure named as the
    # subject ("Hvad var ledigheden …") must stand with its figure.
    match = STATUS_MEASURE.search(question) or MEASURE.search(question)
    words = [match[1]] if match else []
    if match and GENITIVE.match(question, match.end(1)):
        # "Hvor stor var borgernes samlede restance", "… Beskæftigelses- og
        # Erhvervsudvalgets budget": whose it is, not what is measured.
        words = []
    return tuple(
        _root(word.lower())
        for word in words
        if terms(word) and not set(terms(word)) <= NOT_A_MEASURE
    )


def _root(word: str) -> str:
    """The word without a definite or plural ending, when enough of it is left."""
    bare = WORD_ENDING.sub("", word)
    return bare if len(bare) >= MIN_ROOT else word


def counted(question: str, language: Language = DANISH) -> frozenset[str]:
    """What a count question counts, stemmed: "Hvor mange borgere …" -> {"borg"}."""
    match = COUNTED[language].search(question)
    if not match:
        return frozenset()
    first, after = match.group(1), match.group(2)
    # A compound's head is what it counts: "IPS-konsulenter" are konsulenter, not IPS.
    first = first.rsplit("-", 1)[-1] if "-" in first else first
    words = [first]
    if after and COUNTED_ADJECTIVE.search(first) and after.lower() not in STOPWORDS:
        words.append(after)
    return frozenset(terms(" ".join(w for w in words if w.lower() not in NOT_COUNTED)))


def prints(text: str, kind: str) -> bool:
    """Whether `text` states a value of the asked kind."""
    return bool(value_spans(text, kind))


def value_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Where `text` states values of the asked kind, as (start, end) pairs in order. "day"
    and "month" are dates finer than a year; "share" a percentage or a fraction."""
    if kind == "amount":
        return [m.span() for m in AMOUNT.finditer(text)]
    if kind == "share":
        return [m.span() for m in SHARE_TEXT.finditer(text)]
    if kind == "frequency":
        return [m.span() for m in FREQUENCY_TEXT.finditer(text)]
    if kind == "time":
        return [m.span() for m in TIME_TEXT.finditer(text)]
    if kind == "period":
        return [m.span() for m in PERIOD_TEXT.finditer(text) if DATE_TEXT.search(m.group())]
    if kind == "person":
        return [span for span in map(_person_span, PERSON_NAME.finditer(text)) if span]
    if kind in DATE_PATTERNS:
        return [m.span() for m in DATE_PATTERNS[kind].finditer(text)]
    # A count. An amount is not one: "1.609.500 kr." does not say how many borgere.
    blocked = [m.span() for m in (*AMOUNT.finditer(text), *NOT_A_FIGURE.finditer(text))]
    spans = [
        _with_percent(text, m.span())
        for pattern in (FIGURE, NUMBER_WORDS)
        for m in pattern.finditer(text)
        if not any(start <= m.start() < end for start, end in blocked)
    ]
    return sorted(spans)


def _person_span(match: re.Match[str]) -> tuple[int, int] | None:
    """A capitalised run as a person's name: without the words before the name (a sentence's
    first word, a title, a body: "Som", "Arbejdsmarkedschef", "Jobcentret"), and not a body
    or a place itself."""
    words = list(re.finditer(r"\S+", match.group()))
    while words and (
        words[0].group().lower() in STOPWORDS
        or TITLE.search(words[0].group())
        or NOT_A_PERSON.search(words[0].group())
    ):
        words = words[1:]
    name = " ".join(word.group() for word in words)
    if len(words) < 2 or NOT_A_PERSON.search(name):
        return None
    return match.start() + words[0].start(), match.end()


def _with_percent(text: str, span: tuple[int, int]) -> tuple[int, int]:
    percent = re.match(r"\s?(?:%|procent\b)", text[span[1] :])
    return (span[0], span[1] + percent.end()) if percent else span


@dataclass(frozen=True)
class Fact:
    """The sentence of an item that states the asked fact."""

    kind: str  # the kind found, the finer one where it fell back ("day" for "date")
    index: int  # the sentence's place in the item's reading order
    # The durations and ages asked for: printed in the sentence, and no value of the fact.
    quantities: tuple[AskedQuantity, ...] = ()


# The sentences the answerer already quotes, best first, weigh a little more: when they
# state the fact as well as another sentence does, the quote needs no other sentence.
QUOTED_BONUS = (0.3, 0.2, 0.1)
# A sentence that adds to the one before: "Derudover vil Maja Kolstrup …".
MORE_PEOPLE = re.compile(r"(?:derudover|desuden|endvidere|ligeledes|herudover|også)\b", re.I)
# What a count question counts ("borgere") in the sentence weighs as much as its topic.
COUNTED_BONUS = 1.0
# Less of the topic than this around a sentence (own words plus its neighbours', as shares
# of the question's weight) and its value belongs to another matter: on the real-world set
# such sentences were mostly wrong, a date or count from a sentence that shares one word.
MIN_TOPIC = 0.1
# A table row as the readers write it ("Bygge og anlæg · Antal · 31").
TABLE_ROW = re.compile(r"\S\s·\s\S")
# A short list entry ("- Fleksjob (13)"), which names what it counts in the line before the
# list. The bullet is followed by a space: "-5 %" is a figure, no entry.
MAX_ENTRY_WORDS = 8
ENTRY_START = re.compile(r"\s*(?:[-•*–]|\d{1,2}[.)])\s")
# Finer kinds first: a day answers "hvornår" better than a year, a percentage "hvor stor en
# andel" better than any number.
# A sum in a table is often printed without "kr." ("Restance ultimo året i alt · 58,9"): a
# figure on the topic in a table row answers "Hvor stor var restancen" when no amount does.
FALLBACK = {
    "date": ("day", "month", "date"),
    "time": ("time", "day"),
    "period": ("period", "day", "month", "date"),
    "share": ("share", "count"),
    "amount": ("amount", "count"),
}
# A count printed right beside what the question counts or asks about ("98 kommuner",
# "Faktisk antal · 2.107", "69 ukrainske flygtninge") states it; one elsewhere in a long
# sentence ("fra de fire forudgående målinger") is often the figure of something else.
# Amounts are not weighed so: "budgettet til lægeerklæringer … 0,5 mio. kr." names the
# budget, not the price of one.
BESIDE_BONUS = 0.5
BESIDE_WORDS = 3
MIN_SHARED_STEM = 5
# How a figure's unit follows it: "2,1 procent", "3 mio. kr.", "5 pct.".
UNITS = frozenset({"procent", "pct", "kr", "mio", "mia", "millioner", "milliarder", "tusind"})
# What one part of a two-part question asks about ("og hvor mange var der faktisk?":
# "faktisk") weighs as much as the topic: it tells that part's sentence from the other's.
FOCUS_BONUS = 1.0


# What a count counts, as tables and sentences also write it (stemmed): "Hvor mange
# kvadratmeter" is answered by the row "Administration · m2 · 25.689".
UNIT_SPELLINGS = {
    "kvadratmet": frozenset({"m2", "m²", "kvm"}),
    "procent": frozenset({"pct", "%"}),
    "kilomet": frozenset({"km"}),
    "tim": frozenset({"t"}),
}
# A Danish compound names its head's matter: "administrationsbygninger" in a question is
# "Administration" in a table row, "kvadratmeterfordeling" in a caption is "kvadratmeter".
# Parts shorter than this are too common to count ("skole" would match every "skolebus").
MIN_COMPOUND_PART = 7
MIN_VERBAL_STEM = 4


def topic_words_in(wanted: set[str], found: set[str]) -> set[str]:
    """The wanted (stemmed) words that `found` holds, itself or as the first part of a
    compound on either side."""
    matched = wanted & found
    for word in wanted - matched:
        if len(word) < MIN_COMPOUND_PART:
            continue
        if any(starts_compound(word, other) or other.startswith(word) for other in found):
            matched.add(word)
    return matched


def starts_compound(word: str, part: str) -> bool:
    """Whether the stem `part` is the first part of the compound `word`: a long stem, or a
    verbal noun's stem with its "-ering" ("invest" of "investeringer" in
    "investeringspulj"), which `terms` cuts off the noun but not from the compound."""
    return (len(part) >= MIN_COMPOUND_PART and word.startswith(part)) or (
        len(part) >= MIN_VERBAL_STEM and word.startswith(f"{part}ering")
    )


def find_fact(
    sentences: Sequence[str],
    kind: str,
    topic: Collection[str],
    idf: Callable[[str], float] = lambda term: 1.0,
    quoted: Sequence[int] = (),
    counts: Collection[str] = (),
    focus: Collection[str] = (),
    taken: Collection[int] = (),
    quantities: Sequence[AskedQuantity] = (),
    counts_named: bool = True,
    months: Sequence[str] = (),
    measure: Sequence[str] = (),
    per_unit: bool = False,
    sum_asked: re.Pattern[str] | None = None,
    years: Sequence[str] = (),
    planned_after: dt.date | None = None,
) -> Fact | None:
    """The sentence stating a value of `kind` that is most about the topic (`topic`: the
    question's stemmed content words; `counts`: what a count question counts; `focus`: the
    words of the part of the question this fact answers; `taken`: sentences that already
    answer another part; `quantities`: the durations and ages the figure is asked for, which
    the sentence must print; `counts_named`: whether prose must name what a count counts,
    which a question in another language than the minutes' cannot be held to; `months` and
    `measure`: the months the question names and what its figure measures, which the
    sentence must print when the item prints them at all; `per_unit`: the price of one is
    asked, which a yearly or overall sum is not; `sum_asked`: the words asking the whole or a
    year's sum ("i alt", "om året"), which a sentence saying so beside its amount states;
    `years`: the years the question names, whose sentences or table rows are tried first;
    `planned_after`: the meeting's day when the question asks when something is planned,
    whose later dates are tried first).

    Each sentence stating such a value is scored by the topic words in it and, at half
    weight, in the sentences around it, plus a little when the answerer already quotes it.
    A sentence with little of the topic near it states some other matter's fact: none is
    better than one answering another question."""
    wanted = set(topic)
    weight = sum(idf(t) for t in wanted)
    if not weight:
        return None
    stems = [set(terms(s)) for s in sentences]
    overlap = [sum(idf(t) for t in topic_words_in(wanted, found)) / weight for found in stems]
    # Whether a sentence holds the topic beside the years and months it names (a table row:
    # the prose before its table does), so that the year alone does not make it the answer.
    undated_topic = {t for t in wanted if not re.fullmatch(rf"\d+|{_MONTHS}", t)}
    on_topic_undated = [bool(topic_words_in(undated_topic, found)) for found in stems]
    for index, sentence in enumerate(sentences):
        if TABLE_ROW.search(sentence) and not on_topic_undated[index]:
            on_topic_undated[index] = any(on_topic_undated[_intro(index, sentences)])
    bonus = dict(zip(quoted, QUOTED_BONUS, strict=False))
    counted_as = set(counts).union(*(UNIT_SPELLINGS.get(c, ()) for c in counts))
    focus_weight = sum(idf(t) for t in focus)
    # "Hvad var ledigheden i marts 2023?" is not answered by "I marts 2023 var 64 % af de
    # fordrevne i beskæftigelse" nor by "I juni er ledigheden på 2,1%": where the item prints
    # the measure (and the month), the sentence stating the figure prints them too. (A month
    # the item names nowhere is the meeting's own, or the item's period check abstains.)
    lowered = [sentence.lower() for sentence in sentences]
    required = [word for word in measure if any(word in sentence for sentence in lowered)]
    if required:
        # A period is often stated once for a section ("fra 28. august 2022 til 28. august
        # 2023"): only a measured figure is held to the month in its own sentence.
        required += [m for m in months if any(m in sentence for sentence in lowered)]
    for finer in FALLBACK.get(kind, (kind,)):
        candidates: list[tuple[float, int]] = []
        for index, sentence in enumerate(sentences):
            if index in taken or not stated_values(sentence, finer, quantities):
                continue
            if required and not all(word in lowered[index] for word in required):
                continue
            if kind == "amount" and finer == "count" and not TABLE_ROW.search(sentence):
                continue  # in prose a sum of money says "kr."; a bare figure counts something
            if per_unit and _only_totals(sentence):
                continue  # "Der bruges årligt op mod 1,5 millioner kr." is no price of one
            if (
                finer == "count"
                and counts_named
                and counted_as
                and not _row_or_entry(sentence)
                and not _counts_asked(sentence, counted_as, set(focus))
            ):
                # "Hvor mange medarbejdere …" is not answered by "de andre to mål". A table
                # row or a short list entry ("- Førtidspension (22)") may name what it counts
                # only in its header or the line before the list.
                continue
            near = max(overlap[max(0, index - 1) : index + 2])
            if TABLE_ROW.search(sentence):
                # A table's rows are about what the prose before the table says: "Siden marts
                # 2022 har Greve Kommune modtaget 305 ukrainske flygtninge." heads the rows
                # "Januar – december 2024 · Antal · 69".
                intro = max(overlap[_intro(index, sentences)], default=0.0)
                near = max(near, INTRO_WEIGHT * intro)
            if overlap[index] + near < MIN_TOPIC:
                continue
            score = overlap[index] + NEIGHBOUR_WEIGHT * near + bonus.get(index, 0.0)
            if topic_words_in(counted_as, stems[index]):
                score += COUNTED_BONUS
            if focus_weight:
                found = topic_words_in(set(focus), stems[index])
                score += FOCUS_BONUS * sum(idf(t) for t in found) / focus_weight
            if finer == "count" and _value_beside(sentence, finer, counted_as | set(focus)):
                score += BESIDE_BONUS
            if sum_asked and _amount_said(sentence, sum_asked):
                score += BESIDE_BONUS
            # "Projektleder Camilla Kjærager deltager under punktet": the asked role (a
            # topic word) stands right before the name.
            if finer == "person" and _value_beside(sentence, finer, wanted):
                score += BESIDE_BONUS
            candidates.append((score, index))
        # "i løbet af 2024" is told by the row for 2024 where one prints it, not by
        # "Siden marts 2022 … 305" beside it; "Hvornår var det planlagt …" by a date after
        # the meeting, not by one before it: those sentences go first.
        preferred = [
            (score, index)
            for score, index in candidates
            if (
                not years
                or (_names_year(lowered[index], years, months) and on_topic_undated[index])
            )
            and (not planned_after or _names_later(sentences[index], planned_after))
        ]
        if candidates:
            # The first of equal scores, in reading order.
            _, index = max(preferred or candidates, key=lambda pair: pair[0])
            return Fact(finer, index, tuple(quantities))
    return None


# "Hvem deltog under punktet …?", "Hvilke medarbejdere var med …?": who took part, which
# minutes often print only as a list of names under a line such as "I mødet deltager:",
# "Deltagere:" or "Til stede under punktet:".
PARTICIPATION_ASKED = re.compile(
    r"\bdelt(?:og|ager|aget|agere)\b|\bvar\s+med\b|\btil\s+stede\b|\bgæst\w*|\binviteret\b"
    r"|\b(?:attended|took\s+part|participated|present)\b",
    re.IGNORECASE,
)
PARTICIPANTS_INTRO = re.compile(
    r"(?:\bdeltag\w*|\bdeltog\b|\btil\s+stede\b|\bgæst\w*|\binviteret\b|\bfremmødt\w*)"
    r"[^:.]{0,60}:$",
    re.IGNORECASE,
)
MAX_PARTICIPANT_WORDS = 10


def participant_lines(sentences: Sequence[str]) -> list[int]:
    """The lines naming one participant each under a line announcing them ("I mødet
    deltager:" then "Partner Andreas Nikolajsen, Deloitte", "Flemming Larsen, chefkonsulent
    i CAM"), in order; the run ends at the first line that names no one."""
    found: list[int] = []
    for index, sentence in enumerate(sentences):
        if not PARTICIPANTS_INTRO.search(sentence.strip()):
            continue
        for line in range(index + 1, len(sentences)):
            text = sentences[line]
            if len(text.split()) > MAX_PARTICIPANT_WORDS or not value_spans(text, "person"):
                break
            found.append(line)
    return found


def find_facts(
    sentences: Sequence[str],
    question: str,
    language: Language = DANISH,
    ignore: Collection[str] = (),
    idf: Callable[[str], float] = lambda term: 1.0,
    quoted: Sequence[int] = (),
    written_on: dt.date | None = None,
) -> list[Fact]:
    """The sentences stating what `question` asks for: one per part of a question that asks
    two things ("…, og hvor mange var der faktisk?"), each a different sentence. `ignore`:
    words every item's header holds (the municipality), no topic of the question;
    `written_on`: the day of the meeting the sentences are from."""
    whole = asked_fact(question, language)
    # All who took part are the answer, not the one name nearest the topic's words.
    participation = whole == "person" and PARTICIPATION_ASKED.search(without_asking(question))
    if participation and (lines := participant_lines(sentences)):
        return [Fact("person", line) for line in lines]
    parts = asked_parts(question, language)
    topic = set(terms(without_asking(question))) - set(ignore)
    # A follow-up comes with the earlier questions after it ("Og hvor meget bruges der på
    # rehabiliteringsmøderne? Hvorfor skal Greve reducere udgifterne til lægeerklæringer?"):
    # its own words are what is asked now, the earlier ones only the topic.
    carried = bool(question.partition("?")[2].strip())
    facts: list[Fact] = []
    for part in parts:
        kind = asked_fact(part, language) or whole
        if kind is None:
            continue
        # A part's own words tell its sentence from the other part's (or from the earlier
        # questions'); a question asking one thing has no part to tell apart.
        own = part.partition("?")[0]
        focus = (
            set(terms(without_asking(own))) - set(ignore) if len(parts) > 1 or carried else set()
        )
        fact = find_fact(
            sentences,
            kind,
            topic,
            idf,
            quoted,
            counted(part, language),
            focus=focus,
            taken={f.index for f in facts},
            quantities=asked_quantities(own),
            counts_named=language == DANISH,
            months=tuple(m.lower() for m in MONTH_NAMED.findall(own)),
            measure=measured(own, language) if kind in ("count", "share") else (),
            per_unit=kind == "amount" and bool(UNIT_PRICE_ASKED.search(own)),
            sum_asked=_sum_asked(own) if kind == "amount" else None,
            years=tuple(YEAR_NAMED.findall(own)) if kind in FIGURE_KINDS else (),
            planned_after=written_on if kind in DATE_KINDS and PLANNED_ASKED.search(own) else None,
        )
        if fact is not None:
            facts.append(fact)
    if whole == "person" and len(facts) == 1:
        # "På mødet vil der være oplæg fra Lasse Buchwald Mortensen … Derudover vil Maja
        # Kolstrup fortælle …": the sentence going on from the one found names the others.
        after = facts[0].index + 1
        following = sentences[after] if after < len(sentences) else ""
        if MORE_PEOPLE.match(following) and value_spans(following, "person"):
            facts.append(Fact("person", after))
    return facts


# "Hvad koster en enkelt speciallægeerklæring?" asks the price of one; "Der bruges årligt op
# mod 1,5 millioner kr. til … speciallægeerklæringer" is what all of them cost in a year.
UNIT_PRICE_ASKED = re.compile(
    r"\b(?:en|et)\s+enkelt\b|\bstykpris\w*|\benhedspris\w*|\bpr\.?\s+(?:stk|styk)\w*"
    r"|\b(?:a\s+single|per\s+unit|unit\s+(?:price|cost))\b",
    re.IGNORECASE,
)
OVERALL = r"i\s+alt|samlet|samlede|total\w*"
YEARLY = r"årligt|årlige|om\s+året|hvert\s+år|pr\.?\s+år|per\s+år"
TOTAL_TEXT = re.compile(rf"\b(?:{YEARLY}|{OVERALL})\b", re.IGNORECASE)
# "Hvor mange penge er der i alt i puljen?" is answered by "… til i alt 10 mio. kr.", not by
# the amounts per year in the sentence before it; "Hvor meget bruges der om året …?" by
# "Der bruges årligt op mod 1,5 millioner kr.", not by one year's extra grant.
OVERALL_ASKED = re.compile(rf"\b(?:{OVERALL})\b", re.IGNORECASE)
YEARLY_ASKED = re.compile(rf"\b(?:{YEARLY})\b", re.IGNORECASE)
TOTAL_BESIDE_WORDS = 6
MILLIONS = re.compile(r"\b(?:mio|mia|mill|million|milliard)\w*", re.IGNORECASE)


def _only_totals(sentence: str) -> bool:
    """Whether every amount in `sentence` is a yearly or overall sum: counted in millions (no
    price of one thing an agenda item deals with), or a word saying so stands within a few
    words of it."""
    spans = value_spans(sentence, "amount")
    return bool(spans) and all(
        MILLIONS.search(sentence[start:end]) or _said_beside(sentence, start, end, TOTAL_TEXT)
        for start, end in spans
    )


def _sum_asked(question: str) -> re.Pattern[str] | None:
    """The words saying which sum an amount question asks: the whole or a year's."""
    return next((p for p in (OVERALL_ASKED, YEARLY_ASKED) if p.search(question)), None)


def _amount_said(sentence: str, sum_asked: re.Pattern[str]) -> bool:
    """Whether an amount in `sentence` is said to be the sum asked for: the whole ("i alt
    10 mio. kr.") or a year's ("årligt op mod 1,5 millioner kr.")."""
    return any(
        _said_beside(sentence, start, end, sum_asked)
        for start, end in value_spans(sentence, "amount")
    )


def _said_beside(sentence: str, start: int, end: int, words: re.Pattern[str]) -> bool:
    before = " ".join(sentence[:start].split()[-TOTAL_BESIDE_WORDS:])
    after = " ".join(sentence[end:].split()[:TOTAL_BESIDE_WORDS])
    return bool(words.search(before) or words.search(after))


YEAR_NAMED = re.compile(r"\b(?:19|20)\d{2}\b")
FIGURE_KINDS = frozenset({"count", "amount", "share"})
DATE_KINDS = frozenset({"date", "day", "month", "period", "time"})
# "Hvornår var det planlagt, at byrådet skulle godkende …?", "Hvornår skal …?": a date to
# come when the minutes were written, which a schedule prints ("15. Maj 2023 · Handling ·
# Godkendelse af politikker i byrådet"), not the day an earlier policy was adopted.
PLANNED_ASKED = re.compile(
    r"\bplanlagt\w*|\bhvornår\s+(?:skal|skulle|forventes|ventes|vil)\b", re.IGNORECASE
)


def _names_later(sentence: str, day: dt.date) -> bool:
    """Whether `sentence` writes a date after `day`."""
    return any(later > day for later in dates_in(sentence))


def _names_year(lowered: str, years: Sequence[str], months: Sequence[str]) -> bool:
    """Whether the (lower-case) sentence names an asked year, and not only another month of
    it: "januar 2025 · antal · 9" tells nothing of February 2025."""
    if not any(year in lowered for year in years):
        return False
    named = MONTH_NAMED.findall(lowered)
    return not (months and named and not any(month in named for month in months))


# How far back from a table row its heading prose may stand: the sentences just before the
# run of rows.
INTRO_SENTENCES = 2
# The prose heads every row alike, so it counts for less than the row's own words: "15. Maj
# 2023 · Handling · Godkendelse af politikker i byrådet" answers for the approval, not the
# schedule's first row under "Når byrådet har godkendt Beskæftigelsespolitikken …".
INTRO_WEIGHT = 0.5


def _intro(index: int, sentences: Sequence[str]) -> slice:
    """Where the prose just before the run of table rows `index` is in stands."""
    start = index
    while start > 0 and TABLE_ROW.search(sentences[start - 1]):
        start -= 1
    return slice(max(0, start - INTRO_SENTENCES), start)


def _counts_asked(sentence: str, counted_as: set[str], focus: set[str]) -> bool:
    """Whether a figure in the prose `sentence` counts what is asked: what the question
    counts, or the words of its part, stands beside it ("61 ressourceforløb", "renovering af
    105 almene boliger" for "lejligheder skal renoveres"), or it ends its clause in a
    sentence naming what is counted ("Antallet af ledige … var i alt 2.107"). "de tre
    kommuners sårbarhed …, at der er IPS-konsulenter" counts municipalities."""
    if _value_beside(sentence, "count", counted_as | focus, loosely=True):
        return True
    if not topic_words_in(counted_as, set(terms(sentence))):
        return False
    return any(not _content_word_after(sentence, end) for _, end in value_spans(sentence, "count"))


def _content_word_after(sentence: str, end: int) -> bool:
    """Whether a word that could be counted follows the value ending at `end` in its
    clause ("tre kommuners"; not "i alt 2.107.", "2.107, og …", "64 % af")."""
    rest = re.match(r"\s*([A-Za-zÆØÅæøå][\wæøå-]*)", sentence[end:])
    return bool(rest) and rest.group(1).lower() not in STOPWORDS and rest.group(1) not in UNITS


def _row_or_entry(sentence: str) -> bool:
    """Whether the sentence is a table row or a short list entry ("- Fleksjob (13)"; a
    numbered recommendation "16. at sidste frist …" is prose)."""
    if TABLE_ROW.search(sentence):
        return True
    return bool(ENTRY_START.match(sentence)) and len(sentence.split()) <= MAX_ENTRY_WORDS


def _value_beside(sentence: str, kind: str, wanted: Collection[str], loosely: bool = False) -> bool:
    """Whether a value of `kind` stands within BESIDE_WORDS words of a wanted (stemmed)
    word in `sentence`. `loosely`: a stem that begins the other counts as well (the stemmer
    gives "renoveres" "renov" and "renovering" "renover")."""
    if not wanted:
        return False
    for start, end in value_spans(sentence, kind):
        before = terms(" ".join(sentence[:start].split()[-BESIDE_WORDS:]))
        after = terms(" ".join(sentence[end:].split()[:BESIDE_WORDS]))
        near = {*before, *after}
        if topic_words_in(set(wanted), near):
            return True
        if loosely and any(_one_begins_other(w, n) for w in wanted for n in near):
            return True
    return False


def _one_begins_other(stem: str, other: str) -> bool:
    shorter, longer = sorted((stem, other), key=len)
    return len(shorter) >= MIN_SHARED_STEM and longer.startswith(shorter)
