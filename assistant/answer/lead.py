"""The answer's opening line: the asked fact, verbatim, before the quotes that support it.

"Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?" is answered first with
"149 fordrevne fra Ukraine med ophold efter særloven i Lejre Kommune [1]", and only then with
the item's sentences. The line is cut from the sentence the fact finder chose
(`answer/facts.py`): the clause holding the value, so the figure keeps its unit and what it
counts, and nothing in it is computed or reworded. A decision question opens with the
committee's decision, and with what it approved when the decision only says "Godkendt.".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from assistant.answer.facts import AskedQuantity, stated_values, topic_words_in
from assistant.danish.text import terms

# Where a sentence divides into clauses: a comma or semicolon before a space ("2,1" is a
# number), a colon not in a time or a ratio, a dash between spaces. A table row's "·" is no
# boundary: "Faktisk antal · 2.107" is one statement.
CLAUSE_BOUNDARY = re.compile(r"[,;]\s+|:\s+(?!\d)|\s[–—-]\s")
# A clause shorter than this rarely says what its value is ("og 149", "i alt 2.107"): the
# neighbouring clause on the side that names it is added.
MIN_CLAUSE_WORDS = 6
# A longer line is cut to the words around the value, with "…" where it was cut.
MAX_LEAD_WORDS = 20
WORDS_BEFORE = 8
# A line that must hold the asked duration or age as well may be this much longer.
QUANTITY_WORDS = 10
# What a value stands for is usually printed right beside it ("149 fordrevne", "Faktisk
# antal · 2.107"): of several values in one sentence, the one nearest the asked words is it.
BESIDE_WORDS = 4
MAX_DECISION_WORDS = 45
APPROVAL_WORDS = 4
APPROVAL = re.compile(
    r"godkend|tiltr[åa]d|vedt[ao]g|anbefal|indstill|bifald|til\s+efterretning", re.IGNORECASE
)
ENTRY_NUMBER = re.compile(r"\d{1,2}[.)]")
ENTRY_START = re.compile(r"^\d{1,2}[.)]\s+")
# Attendance lines stand in a decision's section ("Fraværende: Per Kragelund (V)", "Claus
# Behrends var fraværende under dette punkt"): they are no part of what was decided.
ATTENDANCE = re.compile(
    r"^\s*(?:fraværende|afbud|deltog\s+ikke|ikke\s+til\s+stede)\b|\bvar\s+fraværende\b",
    re.IGNORECASE,
)
# The decision's own heading in some systems' minutes: the body and the date it decided
# ("Beskæftigelses- og Uddannelsesudvalget, 28.09.2021 Godkendt.").
DECISION_HEADING = re.compile(
    r"^\s*[A-ZÆØÅ][^.!?]{0,80}?,\s*\d{1,2}\.\d{1,2}\.\d{2,4}\s+(?=[A-ZÆØÅ])"
)
# Where a decision's first sentence ends.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")
# "1.609.500 kr." keeps its dot: an abbreviation's, not the sentence's.
ABBREVIATION_END = re.compile(r"\b[a-zæøå]{1,4}\.$")


def fact_clause(
    sentence: str,
    kind: str,
    wanted: Collection[str] = (),
    quantities: Sequence[AskedQuantity] = (),
) -> str:
    """The clause of `sentence` that states its value of `kind`, verbatim.

    `wanted`: the question's stemmed words (its topic, what it counts); of several values the
    one printed beside most of them is the one stated. `quantities`: the durations and ages
    asked for, never the value themselves. A sentence with no such value (the fact finder
    fell back to a coarser kind) is returned whole, shortened."""
    spans = stated_values(sentence, kind, quantities)
    if not spans:
        return shortened(sentence.strip())
    clauses = _clauses(sentence)
    start, end = max(spans, key=lambda span: _beside(sentence, span, clauses, wanted))
    at = _clause_at(clauses, start)
    first = last = at
    while _words(sentence, clauses[first][0], clauses[last][1]) < MIN_CLAUSE_WORDS:
        value_at_end = len(sentence[end : clauses[last][1]].split()) <= 1
        if first > 0 and (value_at_end or last == len(clauses) - 1):
            first -= 1
        elif last < len(clauses) - 1:
            last += 1
        else:
            break
    # "Antallet af ledige, som er registreret i Jobcenteret, var i alt 2.107": a value that
    # ends its clause is the predicate, and what it counts is the sentence's subject.
    while (
        first > 0
        and len(sentence[end : clauses[last][1]].split()) <= 1
        and _words(sentence, clauses[first - 1][0], clauses[last][1]) <= MAX_LEAD_WORDS
    ):
        first -= 1
    # "Tilfredsheden ligger på 81% for borgere, der har sager med en varighed på under 26
    # uger": the duration asked for belongs to the line, or it states another group's figure.
    for quantity in quantities:
        if printed := quantity.printed.search(sentence):
            first = min(first, _clause_at(clauses, printed.start()))
            last = max(last, _clause_at(clauses, printed.end() - 1))
    lead_start, lead_end = clauses[first][0], clauses[last][1]
    text = sentence[lead_start:lead_end].strip()
    if len(text.split()) <= MAX_LEAD_WORDS + (QUANTITY_WORDS if quantities else 0):
        return _without_end_punctuation(text)
    return _window(sentence, start, lead_start, lead_end)


def decision_lead(decision: Sequence[str]) -> str:
    """The decision as its item prints it, without the attendance lines that share its
    section ("Fraværende: …"); empty when nothing else is there."""
    lines = [line for line in decision if not _attendance(line)]
    # A recommendation's entry may end on the ";" that joined it to the next one.
    text = DECISION_HEADING.sub("", " ".join(lines), count=1).strip().rstrip(";,")
    return shortened(text, MAX_DECISION_WORDS) if text else ""


def only_approves(decision: str) -> bool:
    """Whether the decision's first sentence says no more than that it approves
    ("Godkendt.", "Indstillingen tiltrådt.", "Som indstillet."): what it approved is then the
    recommendation, whatever follows ("Jette Leth Buhl kunne ikke støtte …", "Udvalget ønsker
    en opfølgning …"). "Oplæg blev drøftet." is short too, but says what happened."""
    # "1. Blev taget til efterretning. 2. Godkendt.": each entry settles the
    # recommendation's entry of its number.
    first = SENTENCE_END.split(ENTRY_START.sub("", decision.strip()), maxsplit=1)[0]
    words = [word for word in first.split() if not ENTRY_NUMBER.fullmatch(word)]
    return 0 < len(words) <= APPROVAL_WORDS and bool(APPROVAL.search(first))


def shortened(text: str, limit: int = MAX_LEAD_WORDS) -> str:
    """`text` cut after `limit` words, with "…" where it was cut."""
    words = text.split()
    if len(words) <= limit:
        return text
    return " ".join(words[:limit]).rstrip(",;:") + " …"


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """The sentence's clauses as (start, end) pairs covering all of it, boundaries included
    in the clause before them."""
    clauses = []
    start = 0
    for match in CLAUSE_BOUNDARY.finditer(sentence):
        clauses.append((start, match.start()))
        start = match.end()
    clauses.append((start, len(sentence)))
    return clauses


def _clause_at(clauses: list[tuple[int, int]], position: int) -> int:
    """The clause holding `position`; one inside a boundary belongs to the clause after."""
    return next((i for i, (_, end) in enumerate(clauses) if position < end), len(clauses) - 1)


def _words(sentence: str, start: int, end: int) -> int:
    return len(sentence[start:end].split())


def _beside(
    sentence: str, span: tuple[int, int], clauses: list[tuple[int, int]], wanted: Collection[str]
) -> float:
    """How close the asked words stand to the value, within its clause: "Aktivitetsparate
    64%; Dagpenge 82%" gives 82% for "dagpengemodtagerne", the word right before it."""
    clause_start, clause_end = clauses[_clause_at(clauses, span[0])]
    before = sentence[clause_start : span[0]].split()[-BESIDE_WORDS:]
    after = sentence[span[1] : clause_end].split()[:BESIDE_WORDS]
    near = [*enumerate(reversed(before), start=1), *enumerate(after, start=1)]
    return sum(
        1 / distance for distance, word in near if topic_words_in(set(wanted), set(terms(word)))
    )


def _window(sentence: str, value_start: int, start: int, end: int) -> str:
    """The words of sentence[start:end] around the value, "…" marking each cut."""
    before = sentence[start:value_start].split()
    after = sentence[value_start:end].split()
    kept_before = before[-WORDS_BEFORE:]
    kept_after = after[: MAX_LEAD_WORDS - len(kept_before)]
    text = " ".join([*kept_before, *kept_after])
    if len(kept_before) < len(before):
        text = "… " + text
    if len(kept_after) < len(after):
        return text.rstrip(",;:") + " …"
    return _without_end_punctuation(text)


def _without_end_punctuation(text: str) -> str:
    # The answer's own marker follows the line: "i 2023. [1]" would end the sentence early.
    text = text.rstrip(" ,;:")
    return text if ABBREVIATION_END.search(text) else text.rstrip(".")


def _attendance(line: str) -> bool:
    return bool(ATTENDANCE.search(line))
