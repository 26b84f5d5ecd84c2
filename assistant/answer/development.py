"""Answers about a development over time: the dated figures, oldest meeting first.

"Hvordan har ledigheden udviklet sig det seneste år?" is not answered by the one sentence
that best matches its words: it asks for a figure per meeting, in date order, each cited.
Within one item (a quarterly report with the months side by side) the figures stay in the
item's reading order. Every line is the item's own sentence; nothing is compared or computed.

The service finds the items (search lies beside this stage) and passes them in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.answer.extractive import split_sentences
from assistant.answer.facts import (
    FIGURE_KINDS,
    asked_fact,
    prints,
    starts_compound,
    without_asking,
)
from assistant.answer.lead import shortened
from assistant.answer.prompts import load_prompt
from assistant.core.types import Answer, Chunk, Citation
from assistant.danish.dates import format_date
from assistant.danish.language import DANISH, Language
from assistant.danish.text import terms

DEVELOPMENT = re.compile(
    r"\budvikl\w*\s+sig\b|\budviklingen\s+(?:i|af|for)\b|\bændret\s+sig\b|\bsvinget\b"
    r"|\bbedre\s+eller\s+(?:dårligere|værre)\b|\bsteget\s+eller\s+faldet\b|\btendens\w*"
    r"|\bover\s+tid\b|\bår\s+for\s+år\b|\bfra\s+(?:år|måned|kvartal)\s+til\b"
    r"|\bhow\s+(?:has|have|did)\b.{0,80}\b(?:changed|developed|evolved)\b|\btrend\w*",
    re.IGNORECASE,
)
# The words that ask for the development, not what developed: "Hvordan har antallet af
# sager ændret sig" is about "sager".
DEVELOPMENT_WORDS = re.compile(
    r"\b(?:hvordan|udvikl\w*|ændret|ændring\w*|svinget|sig|bedre|dårligere|værre|steget"
    r"|faldet|tendens\w*|over|tid|siden|seneste|sidste|år|frem|størrelse\w*|niveau\w*|how|changed"
    r"|sat|gang|begynd\w*"  # "siden den blev sat i gang"
    r"|developed|trend\w*)\b",
    re.IGNORECASE,
)
REFERS_BACK = re.compile(
    r"(?:Antallet|Andelen|Tallet|Niveauet|Heraf|Herefter|Derefter|Dette|Det|Den|De|Samtidig"
    r"|Siden|Aktuelt|Nu|Pr\.)\b"
)
MAX_FIGURES_PER_ITEM = 4
MAX_ITEMS = 6
MAX_LINE_WORDS = 60
# A sentence with less of the topic than this (share of the question's weight) is about
# something else, however many figures it prints.
MIN_TOPIC = 0.4


def development_topic(question: str) -> str:
    """What developed: the question without the words asking how it did ("Hvordan har
    antallet af sager … ændret sig, siden den blev sat i gang" is about the cases)."""
    return re.sub(r"\s{2,}", " ", DEVELOPMENT_WORDS.sub(" ", without_asking(question))).strip()


def development_question(question: str) -> bool:
    """Whether the question asks how something developed over time."""
    return bool(DEVELOPMENT.search(question))


def development_answer(
    question: str,
    items: Sequence[list[Chunk]],
    prompts_dir: Path,
    language: Language = DANISH,
    idf: Callable[[str], float] = lambda term: 1.0,
    ignore: frozenset[str] = frozenset(),
) -> Answer | None:
    """One line per item that prints figures on the topic, oldest meeting first: its date,
    committee and item, and its sentences stating those figures, cited. None when no item
    prints any (the ordinary answer then says what the items do say)."""
    # Years are the development's steps, not its topic.
    asked = terms(development_topic(question))
    topic = {t for t in asked if not t.isdigit()} - ignore
    weight = sum(idf(t) for t in topic)
    if not weight:
        return None
    # "Hvordan har antallet af sager udviklet sig" asks counts: the 950.000 kr. the effort was
    # granted is no step of it.
    asked_kind = asked_fact(question, language)
    kinds = (asked_kind,) if asked_kind in FIGURE_KINDS and asked_kind != "amount" else FIGURE_KINDS
    found: list[tuple[Chunk, list[str]]] = []
    for chunks in items[: MAX_ITEMS * 2]:
        sentences = split_sentences(chunks)
        stated = [any(prints(s.text, kind) for kind in kinds) for s in sentences]
        on_topic = {
            i
            for i, s in enumerate(sentences)
            if stated[i]
            and sum(idf(t) for t in _topic_in(topic, set(terms(s.text)))) / weight >= MIN_TOPIC
        }
        # "… omkring 1.000 samtaler hver måned i første kvartal. Antallet falder i april og
        # maj til lige under 800 …": a figure that follows in the paragraph and refers back
        # continues the development without naming its topic again.
        # A sentence without a figure in between does not end it ("… lanceret 1. juli 2023
        # med 70 sager. Borgerne … er screenet … Aktuelt er der 63 aktive sager …").
        for i in sorted(on_topic):
            after = i + 1
            while after < len(sentences) and sentences[after].paragraph == sentences[i].paragraph:
                if stated[after]:
                    if not REFERS_BACK.match(sentences[after].text):
                        break
                    on_topic.add(after)
                after += 1
        figures = [sentences[i].text for i in sorted(on_topic)]
        if figures:
            found.append((chunks[0], figures[:MAX_FIGURES_PER_ITEM]))
    if not found:
        return None
    found = found[:MAX_ITEMS]
    found.sort(key=lambda pair: (pair[0].meeting_date, pair[0].item_number))
    citations = []
    lines = [load_prompt(prompts_dir, "development_header", language)]
    for n, (first, figures) in enumerate(found, start=1):
        quote = " ".join(figures)
        citations.append(Citation.of(n, first, quote))
        lines.append(
            load_prompt(prompts_dir, "development_item", language).format(
                date=format_date(dt.date.fromisoformat(first.meeting_date), language),
                municipality=first.municipality,
                committee=first.committee,
                item_number=first.item_label or first.item_number,
                item_title=first.item_title,
                figures=shortened(quote, MAX_LINE_WORDS),
                n=n,
            )
        )
    return Answer(
        question=question, text="\n".join(lines), abstained=False, citations=tuple(citations)
    )


def _topic_in(topic: set[str], found: set[str]) -> set[str]:
    """The topic words a sentence holds, itself or as a compound's first part in the
    question ("investeringspuljen" is the sentence's "pulje til investeringer"). Not the
    other way: "flygtningeboliger" are no count of "flygtninge"."""
    return {
        word
        for word in topic
        if word in found or any(starts_compound(word, other) for other in found)
    }
