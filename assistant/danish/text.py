"""Danish text analysis shared by BM25 and the extractive answerer."""

from __future__ import annotations

import re
from functools import cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DANISH

# Figures and case numbers stay whole ("1.609.500", "23/7010", "15.20.00-P20-1-23") so the
# same figure or case in a question matches the minutes exactly; words need two characters.
TOKEN = re.compile(r"\d+(?:[.,/\-]\w+)+|\w\w+", re.UNICODE)

# Words that say what kind of question it is, not what it is about.
QUESTION_WORDS = frozenset(
    [
        "hvad",
        "hvem",
        "hvor",
        "hvornår",
        "hvordan",
        "hvorfor",
        "hvilke",
        "hvilken",
        "hvilket",
        "mange",
        "meget",
        "fortæl",
        "beskriv",
        "sige",
        "siger",
        "står",
        "nævnt",
        "nævnes",
        "oplyses",
        "fremgår",
    ]
)
STOPWORDS = frozenset(STOPWORDS_DANISH) | QUESTION_WORDS


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("danish")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def terms(text: str) -> list[str]:
    """Stemmed content words, in order, with repeats: the unit BM25 and the answerer count."""
    words = [w for w in tokens(text) if w not in STOPWORDS]
    return [_verbal_noun_stem(stem) for stem in _stemmer().stemWords(words)]


# Danish Snowball keeps the "-ering" of a verbal noun but cuts the verb's ending: without this
# "repatriering" (the question's word) and "repatrieret" (the minutes') share no stem, nor do
# "evaluering" and "evalueres", "finansiering" and "finansieret".
VERBAL_NOUN = re.compile(r"(?<=\w{4})ering$")


def _verbal_noun_stem(stem: str) -> str:
    return VERBAL_NOUN.sub("", stem)
