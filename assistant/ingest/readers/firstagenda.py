"""FirstAgenda publication JSON -> Meeting, read from its fields, with no text round-trip.

FirstAgenda Publication serves every meeting of `dagsordener.<kommune>.dk` as one JSON object
(`GET /api/agenda/dagsorden/{id}`): the meeting under `Moede` with a participant list and
absence flags, the committee under `Udvalg`, and the items under `Dagsordenpunkter`, each
with its number, title, case number, attachment names and one HTML body. The fields say what
the text parser has to guess, so they are used as they are; only the HTML body goes through
the shared block reader (readers/html.py) and the shared section names and decision reading
(parse.py, decisions.py).

What the bodies hold and how it is read:
- the decision comes first, under a "Beslutning" heading, or in older templates as the first
  paragraph (`xsltFirstParagraph`) before any section heading;
- "Sagens forløb" quotes earlier treatments by other bodies, with their decisions and absence
  notes: it is kept as its own section and never read as this meeting's decision or status;
- a closed item ("Lukket: ..." title) keeps its title and case number only: its body (often
  the decision) never reaches the Meeting.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from assistant.core.config import ReadLimits
from assistant.core.errors import ParseError
from assistant.core.types import AgendaItem, Meeting, Section
from assistant.danish.municipalities import NAMES, ascii_fold
from assistant.ingest.closed import closed_opening, closed_title
from assistant.ingest.decisions import (
    absentee_names,
    dissent_sentences,
    read_decisions,
)
from assistant.ingest.parse import (
    PERIOD,
    infer_municipality,
    section_heading,
)
from assistant.ingest.readers.extract import decode_text
from assistant.ingest.readers.html import (
    Block,
    fragment_blocks,
    html_refusal,
)

# The body's own structure: "Fremstilling" wraps the case text, "Sagens forløb" the history.
CONTAINER_HEADINGS = frozenset(["fremstilling"])
HISTORY_HEADINGS = frozenset(["sagens forløb", "sagsforløb", "tidligere behandling"])
WRITTEN = re.compile(r"\bskriftlig", re.IGNORECASE)
# "dagsordener.greve.dk" in the item links names the municipality the JSON never states.
PORTAL_HOST = re.compile(r"\bdagsordener?\.([a-zæøå\-]+)\.dk\b", re.IGNORECASE)
# "Simon Østergaard (V)", "Torben Hoffmann (Stedfortræder: Conni Bergendorff)" -> the name.
TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def is_firstagenda(data: object) -> bool:
    """A FirstAgenda meeting document: a meeting record and a list of agenda items."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("Moede"), dict)
        and isinstance(data.get("Dagsordenpunkter"), list)
    )


def read_firstagenda(
    raw: bytes, name: str, municipality: str | None = None, limits: ReadLimits | None = None
) -> Meeting:
    """The Meeting in a FirstAgenda publication JSON file. Raises ParseError with a reason
    that says what the file looks like when it is not one meeting's agenda or minutes."""
    limits = limits or ReadLimits()
    try:
        data = json.loads(decode_text(raw))
    except ValueError as error:
        raise ParseError(name, f"filen er ikke gyldig JSON ({error})") from error
    if not is_firstagenda(data):
        keys = ", ".join(list(data)[:6]) if isinstance(data, dict) else type(data).__name__
        raise ParseError(
            name,
            "JSON-filen er ikke et FirstAgenda-møde: den har ikke 'Moede' og "
            f"'Dagsordenpunkter' (den indeholder: {keys or 'intet'})",
        )
    meeting_data: dict[str, Any] = data["Moede"]
    raw_items = [item for item in data["Dagsordenpunkter"] if isinstance(item, dict)]
    committee_name = _text((data.get("Udvalg") or {}).get("Navn"))
    participants = [p for p in meeting_data.get("Moededeltagere") or [] if isinstance(p, dict)]

    bodies = [_body_html(item) for item in raw_items]
    # The item bodies are HTML read by a recursive walk: bounded as a page is.
    for body in bodies:
        if reason := html_refusal(body, limits.max_html_depth):
            raise ParseError(name, reason)
    if not any(_has_text(body) for body in bodies):
        raise ParseError(name, _not_a_meeting(raw_items, participants, meeting_data))

    start = _start(meeting_data)
    if start is None:
        raise ParseError(name, "FirstAgenda-mødet har ingen mødedato (Moede.Dato)")
    written = bool(WRITTEN.search(_text(meeting_data.get("Sted"))))
    cancelled = [_text(p.get("Name")) for p in participants if p.get("ParticipationCancelled")]
    absent = [
        _text(p.get("Name"))
        for p in participants
        if p.get("Absent") and not p.get("ParticipationCancelled")
    ]
    flagged = {*cancelled, *absent}
    warnings: list[str] = []
    items: list[AgendaItem] = []
    per_item_absent: list[list[str]] = []
    for position, (raw_item, body) in enumerate(zip(raw_items, bodies, strict=True), start=1):
        item, structured = _read_item(raw_item, body, position, cancelled, absent, warnings)
        items.append(item)
        if not item.closed:
            per_item_absent.append(structured)

    period = PERIOD.search(committee_name)
    committee = re.sub(r"^[\s.]+|[\s,\-–]+$", "", PERIOD.sub("", committee_name)) or "Ukendt udvalg"
    text_for_names = "\n".join(s.text for item in items for s in item.sections)
    if meeting_data.get("Afsluttet") is False:
        # An agenda published before the meeting: no decision is made yet.
        warnings.append("dagsorden: referatet er ikke frigivet endnu (Afsluttet er false)")
    end = _parse_time(meeting_data.get("MeetingEndUtc"))
    return Meeting(
        municipality=municipality
        or _portal_municipality(raw_items)
        or infer_municipality(text_for_names)
        or "Ukendt",
        committee=committee,
        date=start.date(),
        source=name,
        # A written procedure ("Skriftligt møde") has a date but no sitting: its 08:00 is a
        # placeholder, not a time anyone met.
        start_time="" if written else f"{start:%H:%M}",
        end_time="" if written or end is None else f"{end:%H:%M}",
        period=period.group(0).replace(" ", "") if period else "",
        location=_text(meeting_data.get("Sted")),
        participants=tuple(
            _text(p.get("Name")) for p in participants if _text(p.get("Name")) not in flagged
        ),
        absentees=_meeting_absentees([*cancelled, *absent], per_item_absent),
        items=tuple(items),
        warnings=tuple(warnings),
        sitting=f"{start:%H:%M}",
        agenda=meeting_data.get("Afsluttet") is False,
        format="FirstAgenda-JSON",
    )


# --- items ------------------------------------------------------------------------------------


def _read_item(
    raw: dict[str, Any],
    body: str,
    position: int,
    cancelled: list[str],
    absent: list[str],
    warnings: list[str],
) -> tuple[AgendaItem, list[str]]:
    """One item, and the names its `ExternalAgendaItemAttendees` records as absent."""
    printed = _text(raw.get("Punktnummer") or raw.get("Number"))
    if match := re.match(r"\d{1,4}", printed):
        number = int(match.group(0))
        if printed != match.group(0):
            warnings.append(f"punkt '{printed}' er læst som punkt {number}")
    else:
        number = position  # no number printed: its place on the agenda
    title = _text(raw.get("Navn") or raw.get("Caption"))
    case_number = _text(raw.get("SagsNummer") or raw.get("CaseNumber"))
    blocks = fragment_blocks(body) if body else []
    opening = [block.text for block in blocks if block.kind == "text"][:2]
    # The one place that decides what is closed (ingest/closed.py), as for every format.
    if closed_title(title) or closed_opening(opening):
        # Security boundary: a closed item is its public title only. Nothing from its body
        # (decision, absence notes, attachment names) goes into the Meeting.
        return AgendaItem(number=number, title=title, case_number=case_number, closed=True), []

    structured = [
        _text(a.get("Name"))
        for a in raw.get("ExternalAgendaItemAttendees") or []
        if isinstance(a, dict) and _text(a.get("Name"))
    ]
    sections = _sections(blocks, title)
    decision_text = "\n".join(s.text for s in sections if s.heading == "Beslutning")
    decisions = tuple(
        decision
        for section in sections
        if section.heading == "Beslutning" and _decides(section.text)
        for decision in read_decisions(section.text, section.label)
    )
    absentees = _unique(
        [*cancelled, *absent, *structured, *map(_person, absentee_names(decision_text))]
    )
    # Absence that only the participant list or the item's attendee list records is written
    # out, so "Hvem var fraværende?" can be answered and quoted from the item's text.
    unstated = [
        (label, [n for n in names if _person(n).lower() not in decision_text.lower()])
        for label, names in (("Afbud", cancelled), ("Fraværende", _unique([*absent, *structured])))
    ]
    attendance = "\n".join(f"{label}: {', '.join(names)}" for label, names in unstated if names)
    if attendance:
        sections.append(Section("Fremmøde", attendance, "Fremmøde (mødets deltagerliste)"))
    attachments = [_text(a.get("Navn")) for a in raw.get("Bilag") or [] if isinstance(a, dict)]
    if attachments := [a for a in attachments if a]:
        sections.append(Section("Bilag", "\n".join(attachments), "Bilag"))
    return (
        AgendaItem(
            number=number,
            title=title,
            case_number=case_number,
            sections=tuple(sections),
            absentees=absentees,
            decisions=decisions,
            dissent=dissent_sentences(decision_text),
            # Every block reaches a section, so these rows are all in the item's text.
            table_rows=tuple(block.text for block in blocks if block.kind == "row"),
        ),
        structured,
    )


def _sections(blocks: list[Block], title: str) -> list[Section]:
    """Blocks -> sections. Only heading blocks can open a section, and only under a name the
    parser knows (section_heading); other headings ("Kommunikation") stay lines of text. The
    history ("Sagens forløb") runs to the end, whatever headings it quotes."""
    sections: list[Section] = []
    heading, label, paragraphs = "Tekst", "", []
    state = "opening"  # before the first heading: the decision in older templates
    opening: list[Block] = []

    def flush() -> None:
        text = "\n\n".join(p for p in paragraphs if p).strip()
        if text:
            sections.append(Section(heading, text, label))
        paragraphs.clear()

    def close_opening() -> None:
        nonlocal state
        if state == "opening":
            sections.extend(_opening_sections(opening, title))
        state = "body"

    for block in blocks:
        if block.kind == "text" and len(block.text.split()) <= 4 and section_heading(block.text):
            # "<div><span>Lovgrundlag</span></div>": a section name on its own is a heading.
            block = Block("heading", block.text)
        if block.kind != "heading" or state == "history":
            if state == "opening":
                opening.append(block)
            else:
                paragraphs.append(block.text)
            continue
        name = block.text.rstrip(":").strip()
        lowered = name.lower()
        canonical = section_heading(name)
        if lowered in CONTAINER_HEADINGS:
            flush()
            close_opening()
            heading, label = "Tekst", ""
        elif lowered in HISTORY_HEADINGS or canonical == "Tidligere beslutninger":
            flush()
            close_opening()
            heading, label, state = "Tidligere beslutninger", name, "history"
        elif canonical:
            flush()
            close_opening()
            heading, label = canonical, name
        else:
            close_opening()
            paragraphs.append(name)  # a sub-heading of the current section
    if state == "opening":
        sections.extend(_opening_sections(opening, title))
    flush()
    return sections


def _opening_sections(blocks: list[Block], title: str) -> list[Section]:
    """What stands before the first heading. A template without a Beslutning heading prints
    the title as bare text and then the decision as `xsltFirstParagraph`; without that mark
    the opening is plain text, never a guessed decision."""
    texts = [b for b in blocks if _normal(b.text) != _normal(title)]
    first = next((i for i, b in enumerate(texts) if b.first), None)
    sections: list[Section] = []
    before = texts if first is None else texts[:first]
    if text := "\n\n".join(b.text for b in before).strip():
        sections.append(Section("Tekst", text))
    if first is not None:
        decision = "\n\n".join(b.text for b in texts[first:]).strip()
        sections.append(Section("Beslutning", decision, "Beslutning"))
    return sections


def _decides(text: str) -> bool:
    """A decision block that only records who was absent ("Afbud fra Tina Rottbøll (A)" on an
    Underskriftsark) holds no decision."""
    return any(line.strip() and not absentee_names(line) for line in text.split("\n"))


# --- meeting ----------------------------------------------------------------------------------


def _not_a_meeting(
    items: list[dict[str, Any]], participants: list[dict[str, Any]], meeting: dict[str, Any]
) -> str:
    attachments = [
        _text(a.get("Navn"))
        for item in items
        for a in item.get("Bilag") or []
        if isinstance(a, dict)
    ]
    parts = [f"{len(items)} punkt(er) uden sagstekst"]
    parts.append("ingen mødedeltagere" if not participants else f"{len(participants)} deltagere")
    if meeting.get("Afsluttet") is False:
        parts.append("ikke afsluttet")
    if attachments:
        parts.append(f"{len(attachments)} bilag (fx '{attachments[0]}')")
    return (
        "FirstAgenda-filen ligner en samlemappe for dokumenter (fx spørgsmål og svar), ikke et "
        f"møde: {', '.join(parts)}. Indholdet ligger kun i bilagene"
    )


def _meeting_absentees(flagged: list[str], per_item: list[list[str]]) -> tuple[str, ...]:
    """The participant list's flags, plus anyone the items record as absent from every open
    item (2023-01-09: two members are absent on all nine items, present in the list)."""
    names = list(flagged)
    if len(per_item) >= 2:
        common = set(per_item[0]).intersection(*map(set, per_item[1:]))
        names.extend(n for n in per_item[0] if n in common)
    return _unique(names)


def _start(meeting: dict[str, Any]) -> dt.datetime | None:
    return _parse_time(meeting.get("Dato")) or _parse_time(meeting.get("MeetingBeginUtc"))


def _parse_time(value: object) -> dt.datetime | None:
    """'2025-01-29T17:30:00+01:00': local time with its offset, whatever the field's name."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _portal_municipality(items: Iterable[dict[str, Any]]) -> str | None:
    for item in items:
        for field in item.get("Felter") or []:
            link = _text(field.get("Link")) if isinstance(field, dict) else ""
            if match := PORTAL_HOST.search(link):
                host = match.group(1).lower()
                for name in NAMES:
                    if host in (name.lower(), ascii_fold(name).lower()):
                        return name
    return None


# --- small helpers ----------------------------------------------------------------------------


def _body_html(item: dict[str, Any]) -> str:
    """The item's HTML; a field with its own name (other municipalities split the body into
    named fields) starts with that name as a heading."""
    parts: list[str] = []
    for field in item.get("Felter") or []:
        if not isinstance(field, dict):
            continue
        html = _text(field.get("Html")) or _escape(_text(field.get("Tekst")))
        if not html:
            continue
        if field_name := _text(field.get("Navn")):
            parts.append(f"<h3>{_escape(field_name)}</h3>")
        parts.append(html)
    return "\n".join(parts)


def _has_text(html: str) -> bool:
    return bool(html) and bool(re.sub(r"<[^<>]*>|&nbsp;|\s", "", html))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: object) -> str:
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else ""


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _person(name: str) -> str:
    return TRAILING_NOTE.sub("", name).strip()


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = _person(name).lower()
        if key and key not in seen:
            seen.add(key)
            out.append(_person(name))
    return tuple(out)
