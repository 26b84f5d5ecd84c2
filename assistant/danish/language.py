"""Which language to answer in: English for a question written in English, else Danish.

Only Danish and English are told apart, and Danish wins whenever the question does not
clearly say otherwise: the minutes, the staff and most questions are Danish. No language
identification library is installed (langid, lingua, fastText would each be a new dependency
with a model file, to tell two languages apart), so the question's function words decide:
the English and Danish stop-word lists bm25s ships (NLTK's and Snowball's), without the
words both languages spell alike ("for", "i", "over") and English words that are everyday
Danish too ("to" is two, "by" a town). Names, figures and Danish words quoted in an
English question ("How many fordrevne ...") are neither, so they do not tip the balance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from bm25s.stopwords import STOPWORDS_DANISH, STOPWORDS_EN_PLUS

Language = Literal["da", "en"]
DANISH: Language = "da"
ENGLISH: Language = "en"

# The language named in Danish, for the LLM prompt ("Svar på {language}").
LANGUAGE_NAMES: dict[Language, str] = {DANISH: "dansk", ENGLISH: "engelsk"}

_SHARED = frozenset(STOPWORDS_EN_PLUS) & frozenset(STOPWORDS_DANISH)
# Contraction pieces ("didn't" -> "didn", "t") are no evidence on their own; "to" and "by"
# are Danish words as well ("de to projekter", "i byen").
_NOT_ENGLISH_EVIDENCE = frozenset(
    {"d", "ll", "m", "o", "re", "s", "t", "ve", "y", "ma", "ain", "to", "by"}
)
# Question words NLTK's list leaves out; English questions lean on them.
ENGLISH_WORDS = (frozenset(STOPWORDS_EN_PLUS) | {"many", "much", "please", "tell"}) - (
    _SHARED | _NOT_ENGLISH_EVIDENCE
)
DANISH_WORDS = frozenset(STOPWORDS_DANISH) - _SHARED
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# English needs at least this many of its function words, and twice as many as Danish's:
# "What?" or "Hvad er the budget?" stay Danish.
MIN_ENGLISH_WORDS = 2


def text_language(text: str) -> Language | None:
    """The language `text` is clearly written in, or None when its words do not say."""
    words = WORD.findall(text.lower())
    english = sum(word in ENGLISH_WORDS for word in words)
    danish = sum(word in DANISH_WORDS for word in words)
    if english >= MIN_ENGLISH_WORDS and english >= 2 * danish:
        return ENGLISH
    if danish:
        return DANISH
    return None


def answer_language(question: str, history: Sequence[Mapping[str, str]] = ()) -> Language:
    """The language to answer `question` in. A question whose words do not say ("IPS?",
    "Cost?") keeps the language of the conversation's latest user question that does;
    otherwise, and with no conversation, Danish."""
    found = text_language(question)
    if found is not None:
        return found
    for turn in reversed(history):
        if turn.get("role") == "user" and (earlier := text_language(turn.get("content", ""))):
            return earlier
    return DANISH
