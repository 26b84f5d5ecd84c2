"""Answers about a meeting as a whole: who was absent, and what it treated and decided.

"Hvem var fraværende på det møde?" asks for names, and "Opsummer mødet den 6. september"
or "Hvad blev ellers besluttet på mødet?" ask for every item: quoting the sentences that
best match such a question answers neither. These answers are built from the meeting's
items themselves, in agenda order, every name and decision verbatim from the item it cites.

The service finds the meetings (search lies beside this stage, not below it) and passes each
one's chunks in; nothing here searches.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answer.extractive import (
    ABSENCE_TEXT,
    ENGLISH_FUNCTION_TERMS,
    NAMED_PERSON,
    presence_question,
    split_sentences,
)
from assistant.answer.prompts import load_prompt
from assistant.core.types import Answer, Chunk, Citation
from assistant.danish.dates import DANISH_MONTHS, ENGLISH_MONTHS, format_date
from assistant.danish.language import DANISH, Language
from assistant.danish.text import terms

# Questions about a whole meeting. Each pattern is the meeting-wide wording; what is left of
# the question once it, the names and the dates are taken out must be empty, or the question
# has a topic of its own ("Hvilke beslutninger traf udvalget om IPS?") and is answered by
# the items that match that topic instead.
OVERVIEW = re.compile(
    r"\bopsummer\w*|\bresum[eé]\w*|\bsammenfat\w*|\boverblik\b|\bdagsorden\w*"
    r"|\bhvilke\s+(?:andre\s+)?(?:sager|punkter|beslutninger|emner)\b"
    r"|\bsummari[sz]e\w*|\bsummary\b|\bagenda\b"
    r"|\bwhich\s+(?:other\s+)?(?:cases|items|decisions|topics)\b",
    re.IGNORECASE,
)
# Asking what was decided or treated is about the whole meeting only when it names the
# meeting ("Hvad blev ellers besluttet på mødet?"); "Hvad besluttede udvalget?" after a
# question about one matter asks for that matter's decision.
TREATED = re.compile(
    r"\bbeslut\w*|\bvedt[ao]g\w*|\bbehandl\w*|\bdrøft\w*|\btraf\b|\bskete\b"
    r"|\bdecided\b|\bdiscussed\b|\btreated\b|\bhappened\b",
    re.IGNORECASE,
)
MEETING = re.compile(r"\bmøde[t]?\b|\bmøder(?:ne)?\b|\bmeetings?\b", re.IGNORECASE)
# Words that point at a meeting rather than a topic.
MEETING_WORDS = re.compile(
    r"\b(?:på\s+|ved\s+|fra\s+|i\s+)?(?:det|dette|den|samme|seneste|sidste|næste)?\s*"
    r"(?:møde[t]?|møder(?:ne)?|mødets|udvalgsmøde[t]?|byrådsmøde[t]?|meeting|meetings)\b"
    r"|\bden\s+\d{1,2}\.|\b\d{1,2}\.\s*\w+\s+\d{4}\b|\b\d{4}\b|\bellers\b|\bogså\b|\bder\b"
    r"|\bhvad\b|\bhvilke\b|\bblev\b|\bwhat\b|\bwhich\b|\bthe\b|\bat\b|\bin\b|\bon\b|\bof\b"
    r"|\bkommune\w*|\budvalg\w*|\bbyråd\w*|\bcommittee\b|\bmunicipality\b",
    re.IGNORECASE,
)
# The rest of how staff ask for a meeting's contents: "Hvad stod der på dagsordenen, da
# udvalget holdt møde", "Hvilke sager tog udvalget op", "Giv mig et overblik … under de
# enkelte punkter", "dagsordenen hos Udvalget for …". A committee's short name before
# "-udvalget" ("JAI-udvalget") names the committee.
MEETING_FILLER = re.compile(
    r"\b(?:stod|står|holdt|holder|afholdt|tog|tager|op|giv|vis|fortæl|mig|os|hos|under|over"
    r"|enkelte|hvert|hver|alle|punkter(?:ne)?|sager(?:ne)?|emner(?:ne)?|punkt(?:et)?)\b"
    r"|(?-i:\b[A-ZÆØÅ]{2,6})-(?=udvalg)",
    re.IGNORECASE,
)
MONTH_WORDS = re.compile(
    r"\b(?:" + "|".join(dict.fromkeys((*DANISH_MONTHS, *ENGLISH_MONTHS))) + r")\b",
    re.IGNORECASE,
)
ABSENCE_QUESTION = re.compile(
    r"\bfravær\w*|\bafbud\b|\bdeltog\s+ikke\b|\bikke\s+til\s+stede\b|\bforhindret\b"
    # "Var der nogen, der ikke deltog …", "Hvilke møder har X ikke deltaget i?"
    # A substitute alone is a topic ("Hvem blev godkendt som ny stedfortræder?"): the
    # substitutes are named with the absence they stand in for.
    r"|\bikke\s+(?:deltog|deltaget|deltage|mødt|mødte|var\s+med)\b"
    r"|\babsen\w*|\bapologi\w*|\bdid\s+not\s+attend\b|\bnot\s+present\b",
    re.IGNORECASE,
)
# A substitute as the minutes print one: "Afbud: Torben Hoffmann (Stedfortræder: Conni
# Bergendorff)", "Suppleant: Anne Hansen", "Conni Bergendorff (stedfortræder for Torben
# Hoffmann)", "Anne Hansen deltog som suppleant".
# Case matters for the names (IGNORECASE would make "[A-ZÆØÅ]" take any word), not for the
# words around them.
SUBSTITUTE = re.compile(
    r"\b(?i:stedfortræder|suppleant)(?i:e|en|er|ne)?(?:\s+(?i:for)\s+[^:()]+?)?\s*:"
    r"\s*(?P<after>[^()\n;]+)"
    rf"|(?P<before>{NAMED_PERSON})\s*\(\s*(?i:stedfortræder|suppleant)\s+(?i:for)\b"
    rf"|(?P<as>{NAMED_PERSON})\s+(?i:deltog|mødte)\s+(?i:som)\s+(?i:stedfortræder|suppleant)"
    # "Afbud fra Benthe Viola Holm stedfortræder Anders Liltorp" (Hvidovre's pages)
    rf"|\b(?i:stedfortræder|suppleant)\s+(?P<plain>{NAMED_PERSON})"
)
# Sections that record an earlier body's treatment ("Tidligere beslutninger"): their
# "Afbud:" lines are that meeting's attendance, not this one's.
EARLIER_TREATMENT = re.compile(r"tidligere|sagens\s+forløb|behandling\s+i", re.IGNORECASE)
# "under punktet", "ved behandlingen af sagen": the question is about one item's attendance.
ITEM_ATTENDANCE = re.compile(r"\bpunkt\w*|\bbehandl\w*|\bsag(?:en)?\b|\bitem\b", re.IGNORECASE)
MAX_DECISION_WORDS = 40
MAX_MEETINGS = 4


@dataclass(frozen=True)
class MeetingItems:
    """One meeting's items as the index holds them: each item's chunks in window order, the
    items in agenda order."""

    items: tuple[tuple[Chunk, ...], ...]

    @property
    def first(self) -> Chunk:
        return self.items[0][0]

    @classmethod
    def of(cls, chunks: Sequence[Chunk]) -> MeetingItems:
        """Group one meeting's chunks into items. Agenda order is the printed number, the
        letter suffix after it ("75", "75a", "76"), then the place in the file."""
        by_item: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            by_item.setdefault(chunk.item_key, []).append(chunk)
        items = [tuple(sorted(group, key=lambda c: c.position)) for group in by_item.values()]
        items.sort(key=lambda group: (group[0].item_number, group[0].printed_number, group[0].id))
        return cls(tuple(items))


def meeting_question(question: str, topic_names: Sequence[str] = ()) -> str | None:
    """ "absence", "overview" or None: whether the question asks about a meeting as a whole.

    `topic_names` are the municipality and committee names the index holds: naming them is
    choosing the meeting, not a topic."""
    if ABSENCE_QUESTION.search(question):
        return "absence"
    if presence := presence_question(question):
        # "Deltog Per Kragelund i mødet den 4. januar?" is the meeting's attendance; "Var
        # Per Kragelund med, da udvalget blev orienteret om borgerundersøgelsen?" one item's,
        # which the item answerer quotes with its attendance line.
        rest = question[: presence.start()] + " " + question[presence.end() :]
        return "absence" if not _topic_words(rest, topic_names) else None
    if not (OVERVIEW.search(question) or (TREATED.search(question) and MEETING.search(question))):
        return None
    rest = TREATED.sub(" ", OVERVIEW.sub(" ", question))
    return "overview" if not _topic_words(rest, topic_names) else None


def _topic_words(text: str, topic_names: Sequence[str]) -> list[str]:
    """The words of `text` that name a topic, not a meeting: what is left without the
    meeting words, months, days and the municipality and committee names."""
    rest = MEETING_FILLER.sub(" ", text)
    rest = MEETING_WORDS.sub(" ", rest)
    rest = MONTH_WORDS.sub(" ", rest)
    named = set(terms(" ".join(topic_names))) | ENGLISH_FUNCTION_TERMS
    return [t for t in terms(rest) if t not in named and not t.isdigit()]


def item_attendance(question: str) -> bool:
    """Whether an absence question asks about one item rather than the whole meeting."""
    return bool(ITEM_ATTENDANCE.search(question))


def absence_answer(
    question: str,
    meeting: MeetingItems,
    prompts_dir: Path,
    language: Language = DANISH,
    only_item: Chunk | None = None,
    focus: Chunk | None = None,
) -> Answer:
    """Who the meeting's minutes record as absent, with the items that record it.

    Names absent at every item that records attendance are the meeting's absentees; the
    others are named with the items they missed. Each citation quotes the printed line
    ("Fraværende: Per Kragelund (V)", "Claus Behrendsen var fraværende under dette punkt").
    `only_item`: the question is about that item's attendance; `focus`: the item the
    question came from, cited first when it records the absence."""
    items = [
        chunks
        for chunks in meeting.items
        if not chunks[0].closed and (only_item is None or chunks[0].item_key == only_item.item_key)
    ]
    recorded = [(chunks, _absence_line(chunks)) for chunks in items]
    recorded = [(chunks, line) for chunks, line in recorded if line and chunks[0].absentees]
    header = _meeting_fields(meeting.first, language)
    if not recorded:
        name = "absence_none_item" if only_item is not None else "absence_none"
        fields = {**header, **_item_fields(only_item)} if only_item is not None else header
        text = load_prompt(prompts_dir, name, language).format(**fields)
        return Answer(question=question, text=text, abstained=True)
    names_of = {chunks[0].item_key: recorded_absentees(chunks[0]) for chunks, _ in recorded}
    everywhere = set.intersection(*(set(n) for n in names_of.values()))
    attended_items = [chunks for chunks in items if not _is_formality(chunks)]
    if only_item is not None or len(recorded) < len(attended_items):
        everywhere = set()  # one item asked about, or some items record no absence
    citations: list[Citation] = []
    paragraphs: list[str] = []
    if everywhere:
        # Cite the item the conversation is about when it records the absence too.
        chunks, line = next(
            (r for r in recorded if focus is not None and r[0][0].item_key == focus.item_key),
            recorded[0],
        )
        citations.append(Citation.of(1, chunks[0], line))
        ordered = [n for n in recorded_absentees(chunks[0]) if n in everywhere]
        paragraphs.append(
            load_prompt(prompts_dir, "absence_meeting", language).format(
                names=", ".join(ordered), refs="[1]", **header
            )
        )
    # The rest by who was absent: items that record the same names share one line, each
    # item cited, so "Claus Behrendsen" absent from six items is one line, not six.
    groups: dict[tuple[str, ...], list[tuple[Chunk, str]]] = {}
    for chunks, line in recorded:
        names = tuple(n for n in recorded_absentees(chunks[0]) if n not in everywhere)
        if names:
            groups.setdefault(names, []).append((chunks[0], line))
    for names, group in groups.items():
        refs = []
        for chunk, line in group:
            citations.append(Citation.of(len(citations) + 1, chunk, line))
            refs.append(f"[{len(citations)}]")
        paragraphs.append(
            load_prompt(prompts_dir, "absence_items", language).format(
                names=", ".join(names),
                items=", ".join(chunk.printed_number for chunk, _ in group),
                refs="".join(refs),
                **header,
            )
        )
    # A substitute is printed on the attendance line ("Afbud: Torben Hoffmann (Stedfortræder:
    # Conni Bergendorff)"): named with the absentees, cited by the line that names them.
    substitutes: dict[str, list[str]] = {}
    for citation in citations:
        for name in substitutes_in(citation.quote):
            substitutes.setdefault(name, []).append(f"[{citation.n}]")
    if substitutes:
        refs = "".join(dict.fromkeys(ref for refs in substitutes.values() for ref in refs))
        paragraphs.append(
            load_prompt(prompts_dir, "absence_substitutes", language).format(
                names=", ".join(substitutes), refs=refs
            )
        )
    return Answer(
        question=question, text="\n\n".join(paragraphs), abstained=False, citations=tuple(citations)
    )


def overview_answer(
    question: str,
    meetings: Sequence[MeetingItems],
    prompts_dir: Path,
    language: Language = DANISH,
) -> Answer:
    """One line per item of each meeting in agenda order: title, decision and status, each
    cited. Closed items are named by title only; their content is never in the index."""
    citations: list[Citation] = []
    blocks: list[str] = []
    shown = sorted(meetings, key=lambda m: (m.first.meeting_date, m.first.committee))
    for meeting in shown[:MAX_MEETINGS]:
        lines = [
            load_prompt(prompts_dir, "meeting_header", language).format(
                count=len(meeting.items), **_meeting_fields(meeting.first, language)
            )
        ]
        for chunks in meeting.items:
            first = chunks[0]
            fields = _item_fields(first)
            if first.closed:
                lines.append(
                    load_prompt(prompts_dir, "meeting_item_closed", language).format(**fields)
                )
                continue
            decision = _decision(chunks)
            n = len(citations) + 1
            citations.append(Citation.of(n, first, decision or first.item_title))
            if decision:
                status = f" ({first.decision_status})" if first.decision_status else ""
                lines.append(
                    load_prompt(prompts_dir, "meeting_item", language).format(
                        decision=_shortened(decision), status=status, n=n, **fields
                    )
                )
            else:
                lines.append(
                    load_prompt(prompts_dir, "meeting_item_undecided", language).format(
                        n=n, **fields
                    )
                )
        blocks.append("\n".join(lines))
    if len(shown) > MAX_MEETINGS:
        rest = ", ".join(
            "{committee} {date}".format(**_meeting_fields(m.first, language))
            for m in shown[MAX_MEETINGS:]
        )
        blocks.append(
            load_prompt(prompts_dir, "meeting_more", language).format(
                count=len(shown) - MAX_MEETINGS, meetings=rest
            )
        )
    return Answer(
        question=question, text="\n\n".join(blocks), abstained=False, citations=tuple(citations)
    )


# --- the pieces ---------------------------------------------------------------------------


def _meeting_fields(chunk: Chunk, language: Language) -> dict[str, str]:
    return {
        "committee": chunk.committee,
        "municipality": chunk.municipality,
        "date": format_date(dt.date.fromisoformat(chunk.meeting_date), language),
    }


def _item_fields(chunk: Chunk) -> dict[str, str]:
    return {"item_number": chunk.printed_number, "item_title": chunk.item_title}


def recorded_absentees(chunk: Chunk) -> list[str]:
    """The names the chunk's item records as absent, in printed order."""
    return [name.strip() for name in chunk.absentees.split(";") if name.strip()]


def _absence_line(chunks: Sequence[Chunk]) -> str:
    """The item's printed sentence recording an absence, verbatim: the one under its own
    decision before one quoted from an earlier body's treatment."""
    lines = [s for s in split_sentences(chunks) if ABSENCE_TEXT.search(s.text)]
    own = [s for s in lines if not EARLIER_TREATMENT.search(s.section)]
    return (own or lines)[0].text if lines else ""


def substitutes_in(line: str) -> list[str]:
    """The substitutes an attendance line names, as printed, in order."""
    names = []
    for match in SUBSTITUTE.finditer(line):
        found = match["after"] or match["before"] or match["as"] or match["plain"]
        found = re.split(r"(?<!\b[A-ZÆØÅ])\.\s", found)[0]  # the sentence ends; "T." does not
        for name in re.split(r",|\bog\b", found):
            name = name.strip(" .")
            if name and name not in names:
                names.append(name)
    return names


def absent_person(question: str, names: Sequence[str]) -> str | None:
    """The recorded absentee the question names ("Hvilke møder har Brigitte Klintskov Jerkel
    ikke deltaget i?"), by the whole name or its first and last word; None when it names
    none of them."""
    asked = set(re.findall(r"\w+", question.casefold()))
    for name in sorted(set(names), key=len, reverse=True):
        # "Per Kragelund (V)": the party or the role in brackets is not asked for.
        plain = re.sub(r"\s*\([^)]*\)", "", name).casefold()
        words = re.findall(r"\w+", plain)
        if len(words) >= 2 and (plain in question.casefold() or {words[0], words[-1]} <= asked):
            return name
    return None


def person_absence_answer(
    question: str,
    person: str,
    meetings: Sequence[MeetingItems],
    prompts_dir: Path,
    language: Language = DANISH,
) -> Answer:
    """Every meeting whose minutes record `person` absent, oldest first, each with the item
    that records it cited: "Hvilke udvalg har Maria Witthøft meldt afbud til?" is answered
    by the committees and days, not by one meeting's list of names."""
    citations: list[Citation] = []
    lines: list[str] = []
    for meeting in sorted(meetings, key=lambda m: (m.first.meeting_date, m.first.committee)):
        decided = [c for c in meeting.items if not c[0].closed and not _is_formality(c)]
        open_items = [c for c in meeting.items if not c[0].closed]
        missed = [
            (c, line)
            for c in open_items
            if person in recorded_absentees(c[0]) and (line := _absence_line(c))
        ]
        if not missed:
            continue
        chunks, line = missed[0]
        citations.append(Citation.of(len(citations) + 1, chunks[0], line))
        fields = {**_meeting_fields(meeting.first, language), "refs": f"[{len(citations)}]"}
        if len(missed) >= len(decided):
            template = load_prompt(prompts_dir, "absence_person_meeting", language)
            lines.append(template.format(**fields))
        else:
            items = ", ".join(c[0].printed_number for c, _ in missed)
            lines.append(
                load_prompt(prompts_dir, "absence_person_items", language).format(
                    items=items, **fields
                )
            )
    if not lines:
        return Answer(
            question=question,
            text=load_prompt(prompts_dir, "absence_person_none", language).format(person=person),
            abstained=True,
        )
    head = load_prompt(prompts_dir, "absence_person", language).format(person=person)
    return Answer(
        question=question,
        text=head + "\n" + "\n".join(f"- {line}" for line in lines),
        abstained=False,
        citations=tuple(citations),
    )


def _decision(chunks: Sequence[Chunk]) -> str:
    """The item's decision as printed: every sentence of its decision sections, in order.
    Attendance lines printed under the decision ("Fraværende: …") are not the decision."""
    return " ".join(
        s.text
        for s in split_sentences(chunks)
        if s.section == "Beslutning" and not ABSENCE_TEXT.search(s.text)
    )


def _is_formality(chunks: Sequence[Chunk]) -> bool:
    """Items that record no attendance in many minutes without saying anything about it: an
    item with no decision at all (a note, "Eventuelt" left empty)."""
    return not _decision(chunks)


def _shortened(text: str) -> str:
    words = text.split()
    if len(words) <= MAX_DECISION_WORDS:
        return text
    return " ".join(words[:MAX_DECISION_WORDS]) + " …"
