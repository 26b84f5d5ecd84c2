"""Denmark's 98 municipalities and the ways minutes and users write their names."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

NAMES = (
    "Albertslund", "Allerød", "Assens", "Ballerup", "Billund", "Bornholm", "Brøndby",
    "Brønderslev", "Dragør", "Egedal", "Esbjerg", "Fanø", "Favrskov", "Faxe", "Fredensborg",
    "Fredericia", "Frederiksberg", "Frederikshavn", "Frederikssund", "Furesø", "Faaborg-Midtfyn",
    "Gentofte", "Gladsaxe", "Glostrup", "Greve", "Gribskov", "Guldborgsund", "Haderslev",
    "Halsnæs", "Hedensted", "Helsingør", "Herlev", "Herning", "Hillerød", "Hjørring", "Holbæk",
    "Holstebro", "Horsens", "Hvidovre", "Høje-Taastrup", "Hørsholm", "Ikast-Brande", "Ishøj",
    "Jammerbugt", "Kalundborg", "Kerteminde", "Kolding", "København", "Køge", "Langeland",
    "Lejre", "Lemvig", "Lolland", "Lyngby-Taarbæk", "Læsø", "Mariagerfjord", "Middelfart",
    "Morsø", "Norddjurs", "Nordfyn", "Nyborg", "Næstved", "Odder", "Odense", "Odsherred",
    "Randers", "Rebild", "Ringkøbing-Skjern", "Ringsted", "Roskilde", "Rudersdal", "Rødovre",
    "Samsø", "Silkeborg", "Skanderborg", "Skive", "Slagelse", "Solrød", "Sorø", "Stevns",
    "Struer", "Svendborg", "Syddjurs", "Sønderborg", "Thisted", "Tønder", "Tårnby",
    "Vallensbæk", "Varde", "Vejen", "Vejle", "Vesthimmerland", "Viborg", "Vordingborg", "Ærø",
    "Aabenraa", "Aalborg", "Aarhus",
)  # fmt: skip

# Spellings users and older documents use besides the official one.
EXTRA_SPELLINGS = {
    "Aabenraa": ("Åbenrå", "Aabenraa"),
    "Aalborg": ("Ålborg",),
    "Aarhus": ("Århus",),
    "København": ("Københavns",),
    "Faaborg-Midtfyn": ("Fåborg-Midtfyn",),
    "Høje-Taastrup": ("Høje Taastrup",),
    "Lyngby-Taarbæk": ("Lyngby Taarbæk",),
}


def ascii_fold(text: str) -> str:
    """Næstved -> Naestved, Åbenrå -> Aabenraa: how names are typed without Danish letters."""
    return (
        text.replace("æ", "ae").replace("Æ", "Ae").replace("ø", "oe").replace("Ø", "Oe")
        .replace("å", "aa").replace("Å", "Aa")
    )  # fmt: skip


def spellings(name: str) -> tuple[str, ...]:
    variants = {name, ascii_fold(name), *EXTRA_SPELLINGS.get(name, ())}
    return tuple(sorted(variants, key=len, reverse=True))


@cache
def _patterns() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """One regex over every spelling of every name: a text is scanned twice, not 196 times."""
    by_spelling = {v: name for name in NAMES for v in spellings(name)}
    alternatives = "|".join(re.escape(v) for v in sorted(by_spelling, key=len, reverse=True))
    # "X Kommune", "Xs Kommune", "Jobcenter X", "Byrådet i X", "7100 X": the text names the
    # municipality as an organisation or an address.
    strong = re.compile(
        rf"\b(?P<a>{alternatives})s?\s+(?:[Kk]ommune|Byråd|[Rr]egionskommune)\b"
        rf"|\b(?:Jobcenter|Jobcentret|Byrådet i|Kommunalbestyrelsen i)\s+(?P<b>{alternatives})\b"
        rf"|\b\d{{4}}\s+(?P<c>{alternatives})\b"
    )
    plain = re.compile(rf"\b(?:{alternatives})\b")
    return by_spelling, strong, plain


def find_municipality_mentions(text: str) -> list[tuple[str, int]]:
    """(municipality, weight) per mention; organisational mentions weigh three times a plain one."""
    by_spelling, strong, plain = _patterns()
    strong_counts: Counter[str] = Counter(
        by_spelling[match["a"] or match["b"] or match["c"]] for match in strong.finditer(text)
    )
    plain_counts: Counter[str] = Counter(by_spelling[m.group(0)] for m in plain.finditer(text))
    mentions: list[tuple[str, int]] = []
    for name in NAMES:
        strong_count = strong_counts[name]
        plain_count = plain_counts[name] - strong_count
        if strong_count:
            mentions.append((name, 3 * strong_count))
        if plain_count > 0:
            mentions.append((name, plain_count))
    return mentions


# "Aalborg Universitet", "Vejle Sygehus": a place name that names an institution, not the
# municipality whose minutes the question is about.
INSTITUTIONS = (
    r"(?:universitet\w*|sygehus\w*|hospital\w*|lufthavn\w*|havn\b|stift\w*|zoo\b|"
    r"kaserne\w*|erhvervsakademi\w*|handelsskole\w*|gymnasium\w*|professionshøjskole\w*|"
    r"politi\w*|byret\w*|stadion\w*)"
)


def municipality_in_question(question: str, known: set[str] | frozenset[str]) -> str | None:
    """The indexed municipality a question names ("i Vejle", "Aabenraas", "naestved"), if any.

    With several named, the first one is the subject ("Ud over Mariagerfjords egen andel
    ... samarbejdet med Rebild og Vesthimmerland"); at one position the longest name wins."""
    named = _named_in(question, known)
    return named[0][2] if named else None


# What joins two names of one list: "Vejle og Lejre", "Vejle, Lejre", "Vejle Kommune eller
# Lejre Kommune", "Vejles og Lejres".
LIST_JOINT = re.compile(
    r"\s*(?:kommunes?\s*)?(?:,\s*(?:og\s+|samt\s+|eller\s+)?|og|eller|samt|&|/|\+)\s*"
    r"(?:i\s+|for\s+)?",
    re.IGNORECASE,
)


def municipalities_in_question(question: str, known: set[str] | frozenset[str]) -> tuple[str, ...]:
    """The indexed municipalities a question asks about, in the order it names them: the
    first one named and those listed with it ("Hvad har Vejle og Lejre besluttet ...",
    "i Vejle, Lejre eller Aabenraa"). A municipality named elsewhere in the question is
    context, not the subject ("Ud over Mariagerfjords egen andel ... med Rebild")."""
    named = _named_in(question, known)
    if not named:
        return ()
    listed = [named[0]]
    for mention in named[1:]:
        between = question[listed[-1][1] : mention[0]]
        if mention[0] < listed[-1][1] or not LIST_JOINT.fullmatch(between):
            break
        if mention[2] not in {name for _, _, name in listed}:
            listed.append(mention)
    return tuple(name for _, _, name in listed)


# A municipality named as the one a question is about: "i Kolding", "Kolding Kommune",
# "Koldings arbejdsmarkedsudvalg", "Byrådet i Kolding". A name in passing ("samarbejdet med
# Rebild") does not say so. The name is capitalised ("i vejen" is no Vejen Kommune) unless
# "kommune" follows it.
AS_SUBJECT = (
    r"(?:(?<=\bi\s)|(?<=\bfra\s)|(?<=\bhos\s)|(?<=\bin\s))(?P<after>{names})\b"
    r"|\b(?P<before>{names})(?:s\b|\s+(?:[Kk]ommune|[Mm]unicipality)\b)"
)
AS_MUNICIPALITY = r"\b(?P<before>{names})s?\s+(?:kommune|municipality)\b"


def unindexed_municipality(question: str, known: set[str] | frozenset[str]) -> str | None:
    """A Danish municipality the question is about ("Hvad har Kolding Kommune besluttet …")
    that the index holds no minutes from, if it names no indexed one. The answer is then
    that the minutes hold no meetings there, not another municipality's item."""
    if _named_in(question, known):
        return None
    patterns = _unindexed_patterns(frozenset(known))
    if patterns is None:
        return None
    as_subject, as_municipality, lowered = patterns
    matches = [*as_subject.finditer(question), *as_municipality.finditer(question)]
    for match in sorted(matches, key=lambda m: m.start()):
        if re.match(rf"\s+{INSTITUTIONS}", question[match.end() :], re.IGNORECASE):
            continue  # "Kolding Sygehus" is no municipality
        found = match.groupdict()
        return lowered[(found.get("after") or found["before"]).lower()]
    return None


@cache
def _unindexed_patterns(
    known: frozenset[str],
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]] | None:
    """The two patterns over every spelling of the municipalities the index does not hold,
    and each spelling (lower case) to its name; built once per index vocabulary, since every
    question is read with them. None when the index holds every municipality."""
    by_spelling = {v: name for name in NAMES if name not in known for v in spellings(name)}
    if not by_spelling:
        return None
    names = "|".join(re.escape(v) for v in sorted(by_spelling, key=len, reverse=True))
    return (
        re.compile(AS_SUBJECT.format(names=names)),
        re.compile(AS_MUNICIPALITY.format(names=names), re.IGNORECASE),
        {v.lower(): name for v, name in by_spelling.items()},
    )


def _named_in(question: str, known: set[str] | frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, municipality) of every indexed municipality the question names, in
    order; at one position the longest name wins ("Vesthimmerland" over "Himmerland")."""
    found: list[tuple[int, int, str]] = []
    for name in known:
        for match in re.finditer(
            rf"\b(?:{_alternatives(name)})s?\b(?!\s+{INSTITUTIONS})", question, re.IGNORECASE
        ):
            found.append((match.start(), match.end(), name))
    found.sort(key=lambda mention: (mention[0], -(mention[1] - mention[0])))
    kept: list[tuple[int, int, str]] = []
    for mention in found:
        if not kept or mention[0] >= kept[-1][1]:
            kept.append(mention)
    return kept


def without_municipalities(text: str, names: tuple[str, ...] | frozenset[str]) -> str:
    """`text` with these municipalities' names taken out ("Vejles", "naestved" included)."""
    for name in names:
        text = re.sub(rf"\b(?:{_alternatives(name)})s?\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


@cache
def _alternatives(name: str) -> str:
    """Every spelling of one municipality as a regex alternation, longest first."""
    return "|".join(re.escape(v) for v in spellings(name))
