"""Denmark's 98 municipalities and the ways minutes and users write their names."""

from __future__ import annotations

import re
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
def _patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    compiled = []
    for name in NAMES:
        alternatives = "|".join(re.escape(v) for v in spellings(name))
        # "X Kommune", "Xs Kommune", "Jobcenter X", "Byrådet i X", "7100 X": the text names the
        # municipality as an organisation or an address.
        strong = re.compile(
            rf"\b(?:{alternatives})s?\s+(?:[Kk]ommune|Byråd|[Rr]egionskommune)\b"
            rf"|\b(?:Jobcenter|Jobcentret|Byrådet i|Kommunalbestyrelsen i)\s+(?:{alternatives})\b"
            rf"|\b\d{{4}}\s+(?:{alternatives})\b"
        )
        plain = re.compile(rf"\b(?:{alternatives})\b")
        compiled.append((name, strong, plain))
    return tuple(compiled)


def find_municipality_mentions(text: str) -> list[tuple[str, int]]:
    """(municipality, weight) per mention; organisational mentions weigh three times a plain one."""
    mentions: list[tuple[str, int]] = []
    for name, strong, plain in _patterns():
        strong_count = len(strong.findall(text))
        plain_count = len(plain.findall(text)) - strong_count
        if strong_count:
            mentions.append((name, 3 * strong_count))
        if plain_count > 0:
            mentions.append((name, plain_count))
    return mentions


def municipality_in_question(question: str, known: set[str] | frozenset[str]) -> str | None:
    """The indexed municipality a question names ("i Vejle", "Aabenraas", "naestved"), if any."""
    for name in sorted(known, key=len, reverse=True):
        alternatives = "|".join(re.escape(v) for v in spellings(name))
        if re.search(rf"\b(?:{alternatives})s?\b", question, re.IGNORECASE):
            return name
    return None
