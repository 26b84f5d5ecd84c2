"""The citation guard: a generated answer is shown only as far as the passages it cites
support it.

Small local models write fluent Danish around invented figures and names, and sometimes cite
passages that were never given to them. Every sentence of a generated answer is checked
before it is shown:
- each `[n]` must number a passage the model was given;
- a sentence stating a fact (a number, an amount, a date, a person's name) must cite a
  passage, and every such fact must be printed in the passages it cites.
A sentence that fails is dropped, with the reason recorded; when nothing with a citation is
left, the caller falls back to the extractive answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.chunk import SENTENCE_END

MARKER = re.compile(r"\[(\d+)\]")
# A number as written in Danish minutes: 1.609.500 / 3,25 / 38 / 2024. The thousands dots
# and the decimal comma are kept apart so "1.609.500" and "1609500" compare equal but
# "3,25" and "325" do not.
NUMBER = re.compile(r"\d+(?:[.\s]\d{3})*(?:,\d+)?")
# Two or more capitalised words in a row, not at the start of the sentence only:
# "Ann Frederiksen", "Sarah Gaarde", "Jette Leth Buhl".
NAME = re.compile(r"(?<![\wÆØÅæøå])[A-ZÆØÅ][a-zæøåé]+(?:[ -][A-ZÆØÅ][a-zæøåé]+)+")
# Words a sentence may start with that make a capitalised pair look like a name.
SENTENCE_STARTERS = frozenset(
    [
        "Ifølge",
        "Det",
        "Der",
        "Den",
        "De",
        "Udvalget",
        "Kommunen",
        "Referatet",
        "Punktet",
        "Sagen",
        "I",
        "På",
        "Af",
        "Som",
        "Men",
        "Og",
        "Hvis",
        "Efter",
        "Ved",
        "Til",
        "For",
        "Med",
        "Om",
        "Svaret",
        "Beslutningen",
    ]
)


@dataclass(frozen=True)
class GuardResult:
    text: str  # the sentences that passed, in order
    cited: tuple[int, ...]  # passage numbers the kept sentences cite
    removed: tuple[str, ...]  # one line per dropped sentence or marker: what and why

    @property
    def usable(self) -> bool:
        """Something with a citation survived."""
        return bool(self.cited)


def normalise_number(text: str) -> str:
    """'1.609.500' and '1 609 500' -> '1609500'; '3,25' stays '3,25'."""
    whole, _, decimals = text.partition(",")
    digits = re.sub(r"[.\s]", "", whole)
    return f"{digits},{decimals}" if decimals else digits


def numbers_in(text: str) -> set[str]:
    return {normalise_number(m.group()) for m in NUMBER.finditer(text)}


def names_in(sentence: str) -> set[str]:
    names = set()
    for match in NAME.finditer(sentence):
        words = match.group().split()
        while words and words[0] in SENTENCE_STARTERS:
            words = words[1:]
        if len(words) >= 2:
            names.add(" ".join(words))
    return names


LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+")


def facts_in(sentence: str) -> tuple[set[str], set[str]]:
    """The numbers and names a sentence states, markers and a list number ("1. ") left out."""
    bare = LIST_NUMBER.sub("", MARKER.sub(" ", sentence))
    return numbers_in(bare), names_in(bare)


def supporting_passage(numbers: set[str], names: set[str], passages: Mapping[int, str]) -> int:
    """The first passage that prints every fact, or 0."""
    for n, text in passages.items():
        if numbers <= numbers_in(text) and all(name.lower() in text.lower() for name in names):
            return n
    return 0


def split_sentences(text: str) -> list[str]:
    pieces = []
    for paragraph in text.split("\n"):
        pieces += [s.strip() for s in SENTENCE_END.split(paragraph) if s.strip()]
    return pieces


def check_sentence(sentence: str, passages: Mapping[int, str]) -> tuple[str | None, list[str]]:
    """(the sentence as it may be shown, or None to drop it; what was wrong)."""
    problems = []
    markers = [int(n) for n in MARKER.findall(sentence)]
    unknown = [n for n in markers if n not in passages]
    if unknown:
        problems.append(f"henvisning {', '.join(f'[{n}]' for n in unknown)} findes ikke")
        sentence = MARKER.sub(lambda m: "" if int(m.group(1)) in unknown else m.group(), sentence)
        sentence = re.sub(r"\s+([.,;:!?])", r"\1", sentence).strip()
    cited = [n for n in markers if n in passages]
    numbers, names = facts_in(sentence)
    if not numbers and not names:
        return sentence, problems  # no fact to check: a bridge, or "Det fremgår ikke ..."
    if not cited:
        # Small models often drop the markers. A fact one passage prints gets that passage as
        # its citation (the check is the same); a fact none prints goes.
        found = supporting_passage(numbers, names, passages)
        if not found:
            return None, [*problems, f"påstand uden kilde: {sentence!r}"]
        problems.append(f"henvisning [{found}] tilføjet: {sentence!r}")
        sentence = re.sub(r"([.!?]?)$", lambda m: f" [{found}]{m.group(1)}", sentence, count=1)
        return sentence, problems
    source = " ".join(passages[n] for n in cited)
    missing = sorted(numbers - numbers_in(source))
    missing += sorted(n for n in names if n.lower() not in source.lower())
    if missing:
        where = ", ".join(f"[{n}]" for n in cited)
        return None, [*problems, f"{', '.join(missing)} står ikke i {where}: {sentence!r}"]
    return sentence, problems


def guard(text: str, passages: Mapping[int, str]) -> GuardResult:
    """Keep the sentences of `text` that the numbered `passages` support."""
    kept: list[str] = []
    removed: list[str] = []
    cited: list[int] = []
    for sentence in split_sentences(text):
        shown, problems = check_sentence(sentence, passages)
        removed += problems
        if shown:
            kept.append(shown)
            for number in MARKER.findall(shown):
                if int(number) not in cited:
                    cited.append(int(number))
    return GuardResult(text=" ".join(kept), cited=tuple(cited), removed=tuple(removed))


def complete_sentences(buffer: str) -> tuple[list[str], str]:
    """The finished sentences in a stream buffer and the unfinished rest, so a streamed
    answer can be guarded sentence by sentence before any of it is shown."""
    pieces = SENTENCE_END.split(buffer)
    if len(pieces) == 1:
        return [], buffer
    return [p for p in pieces[:-1] if p.strip()], pieces[-1]
