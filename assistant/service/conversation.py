"""A conversation's turns and how a follow-up leans on them.

The history is the caller's (a browser session, a terminal chat); nothing here keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypedDict

from assistant.danish.text import terms


class Turn(TypedDict):
    role: str
    content: str


# A follow-up leans on the previous turn when it points back ("det", "projektet") or has
# almost no subject of its own ("Og hvad koster det?", "Hvem er projektejer?").
# "så" mid-question ("Hvornår får virksomhederne så mærket?") continues the conversation.
# English follow-ups point back the same way ("How much did they get?", "And what about
# it?"); "her" is left out, it is Danish for "here".
LEANING = re.compile(
    r"\b(?:det|den|denne|dette|de|dem|deres|han|hun|projektet|indsatsen|sagen|punktet|"
    r"udvalget|ordningen|puljen|forløbet|samme|så)\b|^\s*(?:og|men|hvad med)\b"
    r"|\b(?:it|its|they|them|their|this|that|these|those|he|she|him|his)\b"
    r"|^\s*(?:and|but|what about)\b",
    re.IGNORECASE,
)
MAX_HISTORY_TURNS = 12
MAX_CARRIED_QUESTIONS = 3  # a follow-up chain longer than this has changed topic


def leans(question: str) -> bool:
    """Whether a question needs the conversation to be understood."""
    return bool(LEANING.search(question)) or len(terms(question)) <= 2


def standalone_question(question: str, history: Sequence[Turn]) -> str:
    """The question to retrieve with: a leaning follow-up carries earlier questions along,
    back to the one that set the topic ("Fortæl om IPS-projektet i Mariagerfjord" ->
    "Hvem er projektejer?" -> "Og hvad koster det?" keeps Mariagerfjord and IPS).

    Only user turns are carried (the newest first) so that the assistant's own wording does
    not steer retrieval; older turns are dropped.
    """
    previous = [t["content"] for t in history[-MAX_HISTORY_TURNS:] if t["role"] == "user"]
    if not previous or not leans(question):
        return question
    # The new question first: a municipality or date it names wins over the old ones'.
    carried = [question]
    for earlier in reversed(previous[-MAX_CARRIED_QUESTIONS:]):
        carried.append(earlier)
        if not leans(earlier):
            break
    return " ".join(carried)
