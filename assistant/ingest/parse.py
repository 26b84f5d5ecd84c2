"""Minutes text -> Meeting with AgendaItems.

Pure functions over text. Danish minutes come from several publishing systems (First Agenda,
Prometheus, eDoc, ...) whose exports differ in labels ("Mødedato"/"Møtedato", "Punkt 2:"/"Sak 78:"),
in how decisions are headed ("Beslutning", "Beslutning Arbejdsmarkedsudvalget den 02-09-2024")
and in the noise they leave (stray single characters, HTML fragments, page numbers). Everything
here is written against those variations, not against one sample.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.core.chunk_format import SECTION_HEADINGS
from assistant.core.config import ReadLimits
from assistant.core.errors import ParseError
from assistant.core.types import AgendaItem, Meeting, Section
from assistant.danish.case_numbers import CASE_LABEL, CASE_NUMBER_IN_TEXT, is_case_number
from assistant.danish.dates import DANISH_MONTHS, parse_danish_date
from assistant.danish.municipalities import find_municipality_mentions
from assistant.danish.text import STOPWORDS
from assistant.ingest.closed import (
    CLOSED_TITLE,
    closed_marker_line,
    closed_opening,
    closed_title,
    opens_closed_part,
    opens_open_part,
)
from assistant.ingest.decisions import (
    absentee_names,
    dissent_sentences,
    read_decisions,
    split_names,
)
from assistant.ingest.readers.extract import PAGE_BREAK

# Capitalised words that stand before "kommune" at the start of a sentence without naming one.
NOT_NAMES = frozenset(
    [
        "hver",
        "enhver",
        "anden",
        "samme",
        "egen",
        "ny",
        "nye",
        "hele",
        "vores",
        "jeres",
        "hvilken",
        "hvilke",
        "nabo",
        "bopæls",
        "handle",
        "opholds",
        "betalings",
    ]
)

# --- item headings -----------------------------------------------------------------------------

# "Punkt 2: Title", "Sak 78: Title", "Pkt. 3 Title", in any case ("punkt 75:", "PUNKT 75:")
# and with a letter after the number ("Punkt 75a:", "Punkt 75 a:", an item added late). A
# colon or dash is required after Punkt/Sak so that a sentence such as "Punkt 3 blev behandlet
# før punkt 2." is not a heading. "Punkt 3. Title" too, but only before a capital: "Punkt 3.
# blev ..." is a sentence.
# "Punkt 2-6 tages til efterretning." in a decision is a range of items, not a heading: a
# dash straight before a digit does not end the number.
ITEM_HEADING = re.compile(
    r"^(?:(?i:Punkt|Sak|Sag|Dagsordenspunkt)\s*(?P<number>\d{1,4})(?:\s?(?P<suffix>[a-zA-Z]))?"
    r"\s*(?:[:\-–](?!\d)|\.(?=\s*[A-ZÆØÅ\d\"“]))"
    r"|(?i:Pkt)\.?\s*(?P<pkt_number>\d{1,4})(?P<pkt_suffix>[a-z])?\s*[:.\-–]?)"
    r"\s*(?P<title>[^\s.].{0,250})$",
)
# "12. Title" in a numbered list: only a heading when the document confirms it (see
# _numbered_headings), since item texts are full of numbered lists of their own.
NUMBERED_HEADING = re.compile(
    r"^(?P<number>\d{1,3})(?P<suffix>[a-z])?\s*[.)]\s+(?P<title>[A-ZÆØÅ\"“'0-9].{2,200})$"
)
# "JAI - Kvartalsbog september 2023": a committee code before every item's title.
CODED_HEADING = re.compile(r"^(?P<code>[A-ZÆØÅ]{2,6})\s+[-–]\s+(?P<title>\S.{2,200})$")
# Any numbered line that says it is closed ("74a. Lukket: ...", "9 - Personalesag, fortroligt")
# opens an item once the items have begun: better a closed record too many than a closed
# item read as the text of the public one before it.
LOOSE_HEADING = re.compile(
    r"^(?:(?i:Punkt|Pkt\.?|Sag|Sak|Dagsordenspunkt)\s*)?(?P<number>\d{1,4})"
    r"(?:\s?(?P<suffix>[a-zA-Z]))?\s*[.:)\-–]\s*(?P<title>\S.{0,250})$"
)

# --- sections ----------------------------------------------------------------------------------

# The date a decision heading may end in: "den 02-09-2024", "d. 04.12.2012", "den 4. december 2012".
_HEADING_DATE = (
    r"(?:\s+(?:den|d\.)\s*(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
    rf"|\d{{1,2}}\.?\s+(?:{'|'.join(DANISH_MONTHS)})\s+\d{{4}}))?"
)
# "Beslutning Arbejdsmarkedsudvalget den 02-09-2024", "Beslutning i Økonomiudvalget den 4.
# december 2012", and the genitive form "Udvalgets beslutning", "Klima-, Teknik- og
# Miljøudvalgets beslutning den 04.12.2012", "Byrådets beslutninger". The words before the
# genitive are a name (capitalised, or og/for/i), so "Sagen afventer Byrådets beslutning" is a
# sentence.
DECISION_HEADING = re.compile(
    r"^(?:Beslutning(?:er)?(?:\s+i)?\s+[A-ZÆØÅ][\w\s,&\-–]{2,100}?"
    r"|(?:[A-ZÆØÅ][\w\-–,]*\s+|(?:og|for|i)\s+){0,6}[A-ZÆØÅ][\w\-–]*s\s+(?i:beslutning(?:er)?))"
    rf"{_HEADING_DATE}\s*:?$"
)
# Vejle (First Agenda) heads the recommendation "Økonomi- og arbejdsmarkedsdirektøren indstiller".
RECOMMENDS_HEADING = re.compile(r"^[A-ZÆØÅ][^.:;]{2,90}\sindstiller$")
# "Direktøren ... indstiller til Udvalget ...:" opens a recommendation where no heading does.
RECOMMENDS_LINE = re.compile(r"^[A-ZÆØÅ][^.]{2,200}\sindstiller\b[^.]*[:,]$")

# --- header labels ----------------------------------------------------------------------------

HEADER_LABELS = {
    "date": ("mødedato", "møtedato", "dato"),
    "time": ("mødetidspunkt", "møtetidspunkt", "tidspunkt"),
    "location": ("mødested", "møtested", "sted", "mødelokale"),
    "participants": ("mødedeltagere", "deltagere", "til stede", "medlemmer", "tilstede"),
    "absentees": ("afbud fra", "afbud", "fraværende", "forfald"),
    "committee": ("udvalg", "udvalget", "organ"),
    "start": ("starttidspunkt", "start", "mødestart"),
    "end": ("sluttidspunkt", "slut", "mødeslut", "afsluttet", "mødet hævet", "mødet sluttede"),
}

# Common words that are only a label when followed by a colon ("Udvalg: Økonomiudvalget"),
# never in "Udvalget for Arbejdsmarked" or "Sted og tid fremgår af ...".
COLON_ONLY_LABELS = frozenset(
    ["udvalg", "udvalget", "organ", "dato", "sted", "start", "slut", "medlemmer", "tidspunkt",
     "afsluttet", "afbud", "forfald", "deltagere"]
)  # fmt: skip

NOISE_LINE = re.compile(
    r"^(?:\d{1,3}|side\s+\d+(?:\s*(?:af|/)\s*\d+)?|-\s*\d+\s*-|page\s+\d+(?:\s+of\s+\d+)?)$",
    re.IGNORECASE,
)
HTML_FRAGMENT = re.compile(r"<\s*+/?\s*+[a-zA-Z][^<>]{0,200}>|\b[a-z]{1,5}\s*+/>|&nbsp;")
# A dot leader ends a line: "Title ........ 3", "Title … | 3 |". Written to be linear in the
# line (issue 16: the old form, with a leading \s* and a run of dots searched from every
# position, took 56 s on a 41 KB line of dots): a match can only start at three dots or an
# ellipsis, and in the possessive tail after it no two parts can take the same character.
DOT_LEADER = re.compile(r"(?:\.{3}|…)(?=\s*+(?:\|\s*+)?\d*+\s*+(?:\|\s*+)?$)")


def without_dot_leader(line: str) -> str:
    """The line without its dot leader and the page number after it."""
    if match := DOT_LEADER.search(line):
        return line[: match.start()].rstrip(".…").rstrip()
    return line


TOC_HEADING = re.compile(r"^(?:Indholdsfortegnelse|Indhold|Dagsorden)\s*:?$", re.IGNORECASE)
# Markdown headings, list bullets and emphasis that exports leave around the words.
MARKDOWN_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s+)")

PERIOD = re.compile(r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b")
TIME = r"(\d{1,2})[:.](\d{2})"
TIME_RANGE = re.compile(rf"\b(?:kl\.?\s*)?{TIME}\s*(?:[-–]|til)\s*(?:kl\.?\s*)?{TIME}\b")
START_TIME = re.compile(rf"\bkl\.?\s*{TIME}")


def parse_file(
    path: Path,
    municipality: str | None = None,
    source: str | None = None,
    limits: ReadLimits | None = None,
) -> Meeting:
    """Parse a minutes file of any supported format (.txt, .md, .html, .pdf, .json). `source`
    names it in the index (its path under the folder ingested); the file name by default.
    `limits` bounds the work one file may cost (the settings' defaults when not given)."""
    from assistant.ingest.readers.extract import (  # parse stays importable without PDF/HTML libs
        extract_text,
        read_structured,
    )

    if (meeting := read_structured(path, municipality, limits)) is not None:
        return meeting if source is None else replace(meeting, source=source)
    extracted = extract_text(path, limits)
    meeting = parse_minutes(
        extracted.text,
        source=source or path.name,
        municipality=municipality,
        context=extracted.context,
    )
    return replace(meeting, format=extracted.format)


def parse_minutes(
    text: str, source: str, municipality: str | None = None, context: str = ""
) -> Meeting:
    """Parse the text of one meeting's minutes. Raises ParseError when it is not minutes.

    `context` is text around the content (a page title, running headers) that may name the
    municipality but is never part of an item."""
    if not text.strip():
        raise ParseError(source, "filen er tom")
    lines = clean_lines(text)
    _refuse_misplaced_closed_marker(lines, context, source)
    headings = item_headings(lines)
    if not headings:
        # The raw lines: cleaning keeps one of each repeated "Referat" (a running header).
        reason = not_minutes_reason([line.strip() for line in text.splitlines()])
        if reason is None and (meeting := _by_pages(text, lines, source, municipality, context)):
            return meeting
        raise ParseError(
            source,
            reason
            or "ingen dagsordenspunkter fundet (fx 'Punkt 1:', 'Sak 1:' eller '1. Titel' fulgt af "
            "sagsnummer eller Sagsfremstilling) – er det et referat?",
        )

    header = lines[: headings[0].position]
    header_fields = _header_fields(header)
    date = _meeting_date(header, header_fields)
    if date is None:
        raise ParseError(source, "ingen mødedato fundet i referatets hoved")

    ends = [h.position for h in headings[1:]] + [len(lines)]
    items = _parse_items(
        headings,
        [lines[heading.position + 1 : end] for heading, end in zip(headings, ends, strict=True)],
        before_first=header,
    )
    toc = _toc_titles(header)
    if reason := _truncation(toc, items):
        raise ParseError(source, reason)
    start_time, end_time = _times(header, header_fields)
    title_line = next((line for line in header if line), "")
    agenda = _is_agenda(header, context) and not any(
        item.decisions or item.decision for item in items if not item.closed
    )
    return Meeting(
        municipality=municipality or infer_municipality(text, context) or "Ukendt",
        committee=_committee(header, header_fields) or "Ukendt udvalg",
        date=date,
        source=source,
        start_time=start_time,
        end_time=end_time,
        period=period.group(0).replace(" ", "") if (period := PERIOD.search(title_line)) else "",
        location=header_fields.get("location", ""),
        participants=split_names(header_fields.get("participants", "")),
        absentees=_meeting_absentees(header_fields, items),
        items=items,
        warnings=_cross_check_toc(toc, items)
        + (
            ("dagsorden: ingen beslutninger endnu (mødet er ikke holdt, da den blev udsendt)",)
            if agenda
            else ()
        ),
        agenda=agenda,
    )


AGENDA_KIND = re.compile(r"^(?:dagsorden|dagsordenen|indkaldelse)\b", re.IGNORECASE)
MINUTES_KIND = re.compile(r"\b(?:referat|beslutningsprotokol|protokol)\b", re.IGNORECASE)


def _is_agenda(header: list[str], context: str) -> bool:
    """Whether the document calls itself an agenda ("Dagsorden", "Dagsorden til mødet i ...")
    in its first lines or its running header, and nowhere minutes."""
    first = [line for line in header if line][:5] + clean_lines(context)[:5]
    return any(AGENDA_KIND.match(line) for line in first) and not any(
        MINUTES_KIND.search(line) for line in first
    )


# --- documents that are not minutes -----------------------------------------------------------

LIST_DATE = re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b")
DOCUMENT_KINDS = re.compile(r"^(?:referat|dagsorden|beslutningsprotokol)$", re.IGNORECASE)


def not_minutes_reason(lines: list[str]) -> str | None:
    """What a document without items looks like, when it is plainly not minutes: a portal's
    list of meetings, or an attachment with no meeting in its header. None when it reads as
    minutes whose items were not found; the caller then says so."""
    content = [line for line in lines if line]
    dated = sorted(
        (int(m[3]), int(m[2]), int(m[1]))
        for line in content
        if len(line.split()) <= 8 and (m := LIST_DATE.search(line))
    )
    kinds = sum(1 for line in content if DOCUMENT_KINDS.match(line))
    if len(dated) >= 5 and kinds >= 5:
        first, last = (f"{d:02d}-{m:02d}-{y}" for y, m, d in (dated[0], dated[-1]))
        return (
            f"ligner en mødeoversigt (en liste med {kinds} dagsordener/referater fra {first} til "
            f"{last}), ikke et referat: indlæs de enkelte møders referater"
        )
    head = content[:60]
    fields = _header_fields(head)
    if not ({"date", "location", "participants"} & set(fields)) and not any(
        DOCUMENT_KIND.match(line) for line in head[:5]
    ):
        title = " ".join(head[0].split())[:80] if head else ""
        return (
            "ligner et bilag eller et andet dokument, ikke et referat: ingen dagsordenspunkter, "
            f"ingen mødedato og intet mødested i hovedet (første linje: '{title}')"
        )
    return None


# --- page fallback ----------------------------------------------------------------------------

# Case text enough to be worth reading page by page: a dated title page alone is not minutes.
FALLBACK_MIN_WORDS = 80


def _by_pages(
    text: str, lines: list[str], source: str, municipality: str | None, context: str
) -> Meeting | None:
    """A document that reads as minutes (a committee, a date, case text) but whose items
    cannot be found, as one record per page (a text without pages is one page), with the
    meeting's metadata and a warning naming the file. None when it does not read as minutes.

    Closed text cannot be told from the public text around it without items, so everything
    from the first closed marker on is withheld."""
    head = lines[:40]
    fields = _header_fields(head)
    date = _meeting_date(head, fields)
    committee = _committee(head, fields)
    if (
        date is None
        or not committee
        or sum(len(line.split()) for line in lines) < FALLBACK_MIN_WORDS
    ):
        return None
    # Cleaning keeps one line per line of the text, so the page breaks count pages.
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pages: list[int] = []
    page = 1
    for line in raw:
        page += line.count(PAGE_BREAK)
        pages.append(page)
    warnings = [
        f"{source}: ingen dagsordenspunkter fundet; indlæst side for side, så svar henviser "
        "til mødet og siden"
    ]
    cut = next(
        (i for i, line in enumerate(lines) if closed_marker_line(line) or opens_closed_part(line)),
        len(lines),
    )
    if cut < len(lines):
        warnings.append(
            f"'{lines[cut]}' (side {pages[cut]}) kan ikke knyttes til et punkt: teksten fra "
            "den og frem er ikke indlæst"
        )
    by_page: dict[int, list[str]] = {}
    for line, number in zip(lines[:cut], pages, strict=False):
        by_page.setdefault(number, []).append(line)
    items = []
    for number, page_lines in by_page.items():
        if not any(page_lines):
            continue
        sections = _sections(page_lines)
        decision_text = "\n".join(s.text for s in sections if s.heading == "Beslutning")
        title = next(line for line in page_lines if line)
        items.append(
            AgendaItem(
                number=0,
                title=title if len(title) <= 80 else title[:77].rsplit(" ", 1)[0] + " …",
                page=number,
                sections=sections,
                decisions=tuple(
                    decision
                    for section in sections
                    if section.heading == "Beslutning"
                    for decision in read_decisions(section.text, section.label)
                ),
                absentees=absentee_names(_attendance_text(sections, decision_text)),
                dissent=dissent_sentences(decision_text),
                table_rows=table_rows(page_lines),
            )
        )
    start_time, end_time = _times(head, fields)
    return Meeting(
        municipality=municipality or infer_municipality(text, context) or "Ukendt",
        committee=committee,
        date=date,
        source=source,
        start_time=start_time,
        end_time=end_time,
        location=fields.get("location", ""),
        participants=split_names(fields.get("participants", "")),
        absentees=split_names(fields.get("absentees", "")),
        items=tuple(items),
        warnings=tuple(warnings),
    )


def _refuse_misplaced_closed_marker(lines: list[str], context: str, source: str) -> None:
    """A reader sets apart text it takes for page furniture (a PDF's running header, a page
    title). If that text is a closed heading or marker ("Punkt 75a: Lukket: ...") that the
    content does not hold, the closed item's text is somewhere in the content without
    the line that closes it, and no one can tell where. Refuse the file rather than index
    a closed item as part of the public one before it."""
    held = set(lines)
    for line in clean_lines(context):
        if line and line not in held and closed_marker_line(line):
            raise ParseError(
                source,
                f"'{line}' står kun i sidehoved, sidefod eller titel, så det kan ikke afgøres, "
                "hvilken tekst der er lukket; filen er ikke indlæst",
            )


# --- cleaning ---------------------------------------------------------------------------------


def clean_lines(text: str) -> list[str]:
    """Lines without export noise; blank lines are kept as paragraph breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("**", "").replace("__", "")
    cleaned: list[str] = []
    for raw in text.split("\n"):
        line = HTML_FRAGMENT.sub(" ", raw)
        # Every kind of space (em spaces, ideographic ones) as one: no later pattern meets a
        # run of white space.
        line = re.sub(r"\s+", " ", line).strip()
        line = MARKDOWN_PREFIX.sub("", line)
        # A lone character is a layout artefact ("Å" separators, bullet glyphs), never content.
        if len(line) == 1 or NOISE_LINE.match(line):
            line = ""
        cleaned.append(line)
    return _without_running_headers(cleaned)


RUNNING_HEADER = re.compile(r"\b(?:referat|dagsorden|beslutningsprotokol|side\s+\d+)\b", re.I)


def _without_running_headers(lines: list[str]) -> list[str]:
    """Text copied out of a PDF repeats the page header ('Referat Arbejdsmarkedsudvalget
    02-09-2024 Side 3') on every page, in the middle of items. A line that names the document
    kind or a page and recurs three times is such a header: only its first use is kept."""
    counts = Counter(line for line in lines if line and RUNNING_HEADER.search(line))
    repeated = {line for line, n in counts.items() if n >= 3 and not section_heading(line)}
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        if line in repeated:
            if line in seen:
                line = ""
            seen.add(line)
        kept.append(line)
    return kept


# --- item headings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemHeading:
    position: int  # index into the cleaned lines
    number: int
    title: str
    label: str = ""  # the number as printed when it is not just digits ("75a")


def _label(number: str, suffix: str | None) -> str:
    return f"{int(number)}{suffix.lower()}" if suffix else ""


def item_headings(lines: list[str]) -> list[ItemHeading]:
    """Where the items start, trying the layouts from the most to the least explicit."""
    explicit = [
        ItemHeading(
            i,
            int(m["number"] or m["pkt_number"]),
            m["title"].strip(),
            _label(m["number"] or m["pkt_number"], m["suffix"] or m["pkt_suffix"]),
        )
        for i, line in enumerate(lines)
        if not DOT_LEADER.search(line) and (m := ITEM_HEADING.match(line))
    ]
    headings = explicit or _numbered_headings(lines) or _coded_headings(lines)
    return _with_closed_headings(lines, headings)


def _with_closed_headings(lines: list[str], headings: list[ItemHeading]) -> list[ItemHeading]:
    """Add the numbered lines after the first heading that say they are closed, in forms the
    layouts above do not take for headings ("74a. Lukket: ..." on an HTML page whose other
    items read "Punkt 74: ..."). Lines before the first item are the header and contents."""
    if not headings:
        return headings
    known = {h.position for h in headings}
    extra = [
        ItemHeading(i, int(m["number"]), m["title"].strip(), _label(m["number"], m["suffix"]))
        for i, line in enumerate(lines)
        if i > headings[0].position
        and i not in known
        and not DOT_LEADER.search(line)
        and (m := LOOSE_HEADING.match(line))
        and closed_title(m["title"])
    ]
    return sorted([*headings, *extra], key=lambda h: h.position) if extra else headings


def _numbered_headings(lines: list[str]) -> list[ItemHeading]:
    """'12. Title' lines that the document confirms as items: the title is in the table of
    contents, or a case number or a section heading follows within a few lines. Numbered
    lists inside an item's text have neither."""
    toc = {form for title in _toc_titles(lines) for form in _listed_titles(title)}
    headings: list[ItemHeading] = []
    for i, line in enumerate(lines):
        match = NUMBERED_HEADING.match(line)
        if not match or DOT_LEADER.search(line) or line.endswith((".", ",", ";")):
            continue
        number, title = int(match["number"]), match["title"].strip()
        suffix = match["suffix"] or ""
        previous = next((line for line in reversed(lines[max(0, i - 3) : i]) if line), "")
        in_list = bool(
            (before := NUMBERED_HEADING.match(previous)) and int(before["number"]) == number - 1
        )
        confirmed = _normalise_title(title) in toc or (
            not in_list and _opens_item(lines[i + 1 : i + 12])
        )
        # "74a" follows "74": the order is (number, letter).
        last = headings[-1] if headings else None
        if confirmed and (
            last is None or (number, suffix) > (last.number, last.label.lstrip("0123456789"))
        ):
            headings.append(ItemHeading(i, number, title, _label(match["number"], suffix)))
    return headings if len(headings) >= 2 else []


def _opens_item(following: list[str]) -> bool:
    content = [line for line in following if line][:4]
    for line in content:
        if NUMBERED_HEADING.match(line) and not line.endswith("."):
            return False  # the next numbered line comes first: a list, or a plain agenda
        candidate = CASE_LABEL.sub("", line).strip()
        if is_case_number(candidate) or CASE_LABEL.match(line) or section_heading(line):
            return True
    return False


def _coded_headings(lines: list[str]) -> list[ItemHeading]:
    """'JAI - Title' lines, numbered in order, when one committee code opens several items."""
    matches = [
        (i, m)
        for i, line in enumerate(lines)
        if not DOT_LEADER.search(line) and (m := CODED_HEADING.match(line))
    ]
    codes = Counter(m["code"] for _, m in matches)
    if not codes:
        return []
    code, count = codes.most_common(1)[0]
    if count < 2:
        return []
    positions = [(i, m) for i, m in matches if m["code"] == code]
    return [ItemHeading(i, n, m.group(0)) for n, (i, m) in enumerate(positions, start=1)]


# --- header -----------------------------------------------------------------------------------


def _header_fields(header: list[str]) -> dict[str, str]:
    """Label/value pairs: 'Mødedato Torsdag ...', 'Mødedato: ...' or on two lines."""
    fields: dict[str, str] = {}
    content = [line for line in header if line]
    for index, line in enumerate(content):
        lowered = line.lower()
        for field_name, labels in HEADER_LABELS.items():
            if field_name in fields:
                continue
            for label in sorted(labels, key=len, reverse=True):
                if lowered == label or lowered == label + ":":
                    value = content[index + 1] if index + 1 < len(content) else ""
                elif lowered.startswith(label + ":") or (
                    lowered.startswith(label + " ") and label not in COLON_ONLY_LABELS
                ):
                    value = line[len(label) :].lstrip(" :")
                else:
                    continue
                fields[field_name] = value.strip()
                break
    return fields


def _meeting_date(header: list[str], fields: dict[str, str]) -> dt.date | None:
    if fields.get("date") and (date := parse_danish_date(fields["date"])):
        return date
    for line in header:
        if line and not DOT_LEADER.search(line) and (date := parse_danish_date(line)):
            return date
    return None


def _times(header: list[str], fields: dict[str, str]) -> tuple[str, str]:
    """(start, end) as HH:MM: 'kl. 16:15', 'kl. 16.15 - 18.00', 'Slut: 18:00'."""

    def hhmm(hour: str, minute: str) -> str:
        return f"{int(hour):02d}:{minute}"

    text = f"{fields.get('date', '')} {fields.get('time', '')}".strip()
    if not text:
        text = " ".join(line for line in header[:8] if line)
    start = end = ""
    if match := TIME_RANGE.search(text):
        start, end = hhmm(*match.group(1, 2)), hhmm(*match.group(3, 4))
    elif match := START_TIME.search(text):
        start = hhmm(*match.groups())
    if not start and (match := re.search(TIME, fields.get("start", ""))):
        start = hhmm(*match.groups())
    if not end and (match := re.search(TIME, fields.get("end", ""))):
        end = hhmm(*match.groups())
    return start, end


COMMITTEE_WORD = re.compile(
    r"(?:udvalg|udvalget|byråd|byrådet|kommunalbestyrelse|kommunalbestyrelsen|råd|rådet|"
    r"bestyrelse|bestyrelsen|forum|nævn|nævnet)\b",
    re.IGNORECASE,
)
DOCUMENT_KIND = re.compile(
    r"^(?:REFERAT|Referat|Beslutningsprotokol|Protokol|Dagsorden|DAGSORDEN)\b"
    r"(?:\s*[-–:]\s*|\s+)(?:(?:fra|for|til)\s+)?(?:mødet\s+i\s+)?",
)


def _committee(header: list[str], fields: dict[str, str]) -> str:
    """From the title line ('REFERAT Arbejdsmarkedsudvalget 2022-2025 d. 05-10-2023',
    'Arbejdsmarkedsudvalget - Referat - 2. september 2024') or an 'Udvalg:' field."""
    content = [line for line in header if line]
    title_line = content[0] if content else ""
    if DOCUMENT_KIND.match(title_line):
        name = _strip_title_decoration(DOCUMENT_KIND.sub("", title_line))
        if name:
            return name
    if fields.get("committee"):
        return fields["committee"]
    # A page whose first lines are the committee's name, then the kind of document.
    for line in content[:4]:
        name = _strip_title_decoration(
            re.sub(r"\b(?:Referat|Dagsorden|Beslutningsprotokol)\b", "", line)
        )
        if name and COMMITTEE_WORD.search(name) and len(name.split()) <= 10 and ":" not in line:
            return name
    # A committee named without "udvalg" in a meeting's heading: "Social og sundheds møde den
    # 17. april 2023" (Frederikssund), "Møde i Plan og teknik den 3. maj 2024".
    for line in content[:4]:
        match = MEETING_OF.match(line)
        name = (match["name"] or match["inside"] or "").strip() if match else ""
        if name and len(name.split()) <= 8:
            return name
    return ""


MEETING_OF = re.compile(
    r"^(?:(?:Referat|Dagsorden)\s+(?:fra|af|for)\s+)?"
    r"(?:(?P<name>[A-ZÆØÅ][^:]{2,80}?)s\s+(?:ekstraordinære\s+)?møde"
    r"|(?:Møde|Mødet)\s+i\s+(?P<inside>[A-ZÆØÅ][^:]{2,80}?))\s+(?:den|d\.)\s+\d"
)


# A title line's date and everything after it ("Byrådet d. 05-10-2023 kl. 16", "... den 2.
# september 2024"). The date's digits start the match; the space and "d."/"den" before it
# are taken off afterwards, so no run of spaces is scanned from each of its positions.
NUMERIC_DATE_TAIL = re.compile(r"(?:(?<=\s)(?:d\.|den)\s*+)?\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}.*$")
WRITTEN_DATE_TAIL = re.compile(
    r"(?:(?<=\s)(?:d\.|den)\s*+)?\b\d{1,2}\.?\s+(?:" + "|".join(DANISH_MONTHS) + r")\s+\d{4}.*$",
    re.IGNORECASE,
)


def _strip_title_decoration(name: str) -> str:
    name = NUMERIC_DATE_TAIL.sub("", name)
    name = WRITTEN_DATE_TAIL.sub("", name)
    name = PERIOD.sub("", name)
    # str.strip, not a pattern anchored at the end: that would scan a run of dashes and
    # commas from each of its positions.
    return name.strip(" \t-–,").strip()


def _attendance_text(sections: Sequence[Section], decision_text: str) -> str:
    """Where an item records who was absent: its decision ("Godkendt. Fraværende: …") and an
    attendance section of its own ("Fremmøde"), as FirstAgenda's exports print the
    participant list's absence flags. An earlier body's treatment is not this meeting's."""
    attendance = [s.text for s in sections if s.heading == "Fremmøde"]
    return "\n".join([decision_text, *attendance])


def _meeting_absentees(fields: dict[str, str], items: tuple[AgendaItem, ...]) -> tuple[str, ...]:
    if fields.get("absentees"):
        return split_names(fields["absentees"])
    # Many systems only record absence per item; someone absent from every decided item
    # was absent from the meeting.
    decided = [item for item in items if item.decision]
    if len(decided) < 2:
        return ()
    common = set(decided[0].absentees)
    for item in decided[1:]:
        common &= set(item.absentees)
    return tuple(name for name in decided[0].absentees if name in common)


# --- table of contents ------------------------------------------------------------------------


def _toc_titles(lines: list[str]) -> list[str]:
    """Titles in the table of contents: dot-leader lines, Markdown table rows, or a numbered
    list under an 'Indholdsfortegnelse'/'Dagsorden' heading."""
    titles: list[str] = []
    in_toc = False
    for line in lines:
        if TOC_HEADING.match(line):
            in_toc = True
            continue
        if not in_toc or not line or re.fullmatch(r"[|\-\s:]+", line):
            continue
        if ITEM_HEADING.match(line) and not DOT_LEADER.search(line):
            break  # the first item: the contents are over
        if DOT_LEADER.search(line) or line.startswith("|"):
            title = without_dot_leader(line).strip(" |")
            # "| Title | 3 |" without leaders
            title = re.sub(r"(?<!\s)\s*+\|\s*+\d++\s*+\|?$", "", title)
            if title:
                titles.append(title)
    return titles


def _normalise_title(title: str) -> str:
    """A title to compare: lower case, words only, no closed marker."""
    title = CLOSED_TITLE.sub("", title)
    return re.sub(r"\W+", " ", title).strip().lower()


def _listed_titles(line: str) -> tuple[str, ...]:
    """A contents line as the title it may name: with its item number taken off ("31.
    Lukket: Orientering" is the closed item "Orientering") and as printed, since a contents
    line need not print the number and a title may begin with one ("1. behandling af …")."""
    unnumbered = re.sub(r"^(?:(?:Punkt|Sak|Pkt\.?)\s*)?\d{1,4}\s*[:.)\-–]?\s+", "", line)
    return tuple(dict.fromkeys((_normalise_title(unnumbered), _normalise_title(line))))


# A contents line cut to the column's width ("… Anvendelse af res", "… på grund af…") names
# the item whose title it begins, when it is this long.
MIN_TRUNCATED_TITLE = 20


def _names_item(listed: str, item_title: str) -> bool:
    """Whether a contents line's title (normalised) names the item's: the same, or the
    start of it cut to the column."""
    return listed == item_title or (
        len(listed) >= MIN_TRUNCATED_TITLE and item_title.startswith(listed)
    )


def _cross_check_toc(toc: list[str], items: tuple[AgendaItem, ...]) -> tuple[str, ...]:
    """Warnings when the table of contents lists items the text does not hold. More items
    in the text than in the contents is no warning on its own: contents often end on a page
    the reader does not take for them, and every listed item being found is what counts."""
    if not toc:
        return ()
    warnings: list[str] = []
    item_titles = {_normalise_title(item.title) for item in items}
    missing = [
        t
        for t in toc
        if not any(_names_item(form, i) for form in _listed_titles(t) for i in item_titles)
    ]
    if len(toc) > len(items) or (missing and len(toc) != len(items)):
        warnings.append(
            f"indholdsfortegnelsen har {len(toc)} punkter, men {len(items)} blev fundet i teksten"
        )
    if missing:
        warnings.append("ikke fundet i teksten: " + "; ".join(missing))
    return tuple(warnings)


def _truncation(toc: list[str], items: tuple[AgendaItem, ...]) -> str:
    """A reason when the text stops in the middle of an item its table of contents promises
    more after: the items found are the first ones listed, and the last one breaks off
    mid-sentence or, unlike the others, has no decision. A missing tail alone (an
    'Underskriftsark' listed but not printed as an item) only gives a warning."""
    if not toc or not items or len(items) >= len(toc):
        return ""
    found = [_normalise_title(item.title) for item in items]
    listed = [_listed_titles(title) for title in toc[: len(items)]]
    if not all(
        any(_names_item(form, i) for form in forms) for forms, i in zip(listed, found, strict=True)
    ):
        return ""
    last = items[-1]
    text = last.sections[-1].text.rstrip() if last.sections else ""
    breaks_off = bool(text) and not re.search(r"[.!?:)\"”»]$", text)
    others_decided = any(item.decision for item in items[:-1])
    if not (breaks_off or (others_decided and not last.decision and not last.closed)):
        return ""
    return (
        f"filen ser afkortet ud: teksten holder op i punkt {last.number}, men "
        f"indholdsfortegnelsen har {len(toc)} punkter (næste: '{toc[len(items)]}')"
    )


# --- items ------------------------------------------------------------------------------------


def _parse_items(
    headings: list[ItemHeading], bodies: list[list[str]], before_first: list[str]
) -> tuple[AgendaItem, ...]:
    """Items in order, with closed markers between and inside them applied (closed.py).

    A marker line ends the public text of the item it stands in; what follows it up to the
    next heading is withheld. A marker with nothing after it stands between two items and
    cannot be tied to either with certainty, so the next item is closed as well. After
    "Lukkede punkter:" every item is closed until "Åbne punkter" opens the minutes again."""
    items: list[AgendaItem] = []
    in_closed_part = False
    # A marker on the lines just before the first heading belongs to the first item.
    tail = [line for line in before_first if line][-1:]
    close_next = bool(tail) and closed_marker_line(tail[0]) and not DOT_LEADER.search(tail[0])
    for heading, body in zip(headings, bodies, strict=True):
        # Read before the cut below: a marker as the first line closes this item itself.
        forced = in_closed_part or close_next or closed_opening(body)
        close_next = False
        cut: int | None = None
        for index, line in enumerate(body):
            if not line:
                continue
            if opens_open_part(line):
                in_closed_part = False
            elif opens_closed_part(line):
                in_closed_part = True
                cut = index if cut is None else cut
            elif cut is None and closed_marker_line(line):
                cut = index
        if cut is not None:
            after = [
                line
                for line in body[cut + 1 :]
                if line and not (closed_marker_line(line) or opens_open_part(line))
            ]
            close_next = not after and not in_closed_part
            body = body[:cut]
        items.append(_parse_item(heading, body, closed=forced))
    return tuple(items)


def _parse_item(heading: ItemHeading, body: list[str], *, closed: bool = False) -> AgendaItem:
    title = heading.title
    case_number, body = _case_number(title, body)
    title = (
        re.sub(
            r"\s*\((?:Sagsnr\.?|J\.?\s?nr\.?)?\s*:?\s*" + re.escape(case_number) + r"\)$", "", title
        )
        if case_number
        else title
    )

    if closed or closed_title(title) or closed_opening(body):
        # Closed items are kept as title-only records: their content must never be indexed.
        return AgendaItem(
            number=heading.number,
            title=title,
            case_number=case_number,
            closed=True,
            label=heading.label,
        )

    sections = _sections(body)
    decisions = tuple(
        decision
        for section in sections
        if section.heading == "Beslutning"
        for decision in read_decisions(section.text, section.label)
    )
    decision_text = "\n".join(d.text for d in decisions)
    return AgendaItem(
        number=heading.number,
        label=heading.label,
        title=title,
        case_number=case_number,
        sections=sections,
        absentees=absentee_names(_attendance_text(sections, decision_text)),
        decisions=decisions,
        dissent=dissent_sentences(decision_text),
        table_rows=table_rows(body),
    )


# A table row in text: "| Arenaskolen | 5.765 | 5.801 |", as Markdown writes one and as the
# HTML page reader writes a row wider than label and value (readers/html.py). A row of
# dashes under the header row is the table's rule, not a row.
TABLE_ROW = re.compile(r"^\|.*\|$")
TABLE_RULE = re.compile(r"[|\-\s:]+")


def table_rows(lines: list[str]) -> tuple[str, ...]:
    """The table rows among an item's lines, as printed (they stay in its section text)."""
    return tuple(line for line in lines if TABLE_ROW.match(line) and not TABLE_RULE.fullmatch(line))


def _case_number(title: str, body: list[str]) -> tuple[str, list[str]]:
    """The case number printed under the heading (maybe labelled 'Sagsnr.:') or at the end of
    the title in brackets; the line that only holds it is removed from the body."""
    content = [i for i, line in enumerate(body) if line][:3]
    for index in content:
        line = body[index]
        candidate = CASE_LABEL.sub("", line).strip()
        if is_case_number(candidate):
            return candidate, body[:index] + body[index + 1 :]
        if section_heading(line):
            break  # the text has begun
    bracketed = re.search(r"\((?:Sagsnr\.?|J\.?\s?nr\.?)?\s*:?\s*([^()]+)\)$", title)
    if bracketed and (found := CASE_NUMBER_IN_TEXT.fullmatch(bracketed.group(1).strip())):
        return found.group(0), body
    return "", body


def section_heading(line: str) -> str | None:
    """The canonical section a line opens, or None when it is ordinary text."""
    lowered = line.lower().rstrip(":").strip()
    if lowered in SECTION_HEADINGS:
        return SECTION_HEADINGS[lowered]
    if DECISION_HEADING.match(line):
        return "Beslutning"
    if RECOMMENDS_HEADING.match(line):
        return "Indstilling"
    return None


def _sections(body: list[str]) -> tuple[Section, ...]:
    sections: list[Section] = []
    heading, label, buffer = "Tekst", "", []

    def flush() -> None:
        text = _join_paragraphs(buffer)
        if text:
            sections.append(Section(heading, text, label))

    for line in body:
        canonical = section_heading(line) if line else None
        if canonical:
            flush()
            heading, label, buffer = canonical, line.rstrip(":"), []
            if RECOMMENDS_HEADING.match(line):
                buffer.append(line)  # "X indstiller" is also the first words of the text
            continue
        if line and heading != "Indstilling" and RECOMMENDS_LINE.match(line):
            flush()
            heading, label, buffer = "Indstilling", "", []
        buffer.append(line)
    flush()
    return tuple(sections)


def _join_paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{2,}", "\n\n", text).strip()


# --- municipality -----------------------------------------------------------------------------


def infer_municipality(text: str, context: str = "") -> str | None:
    """The municipality the minutes belong to, from how often it is named.

    Minutes rarely print their own municipality in the header, but they name it in the
    text ("Mariagerfjord Kommune", "Jobcenter Vejle", a postal address). Mentions in the
    first lines (title, meeting place) weigh more than mentions of neighbours in the body.
    """
    counts: Counter[str] = Counter()
    head = "\n".join([*text.split("\n")[:15], context])
    for name, weight in find_municipality_mentions(text):
        counts[name] += weight
    for name, weight in find_municipality_mentions(head):
        counts[name] += 2 * weight
    if counts:
        return counts.most_common(1)[0][0]
    # Outside the known list (a merged municipality, a Norwegian or Faroese one), take the
    # capitalised word most often written before "Kommune", if it is a name and recurs.
    fallback = Counter(
        name
        for name in re.findall(r"\b([A-ZÆØÅ][a-zæøå\-]{2,}?)s?\s+[Kk]ommune\b", text)
        if name.lower() not in STOPWORDS and name.lower() not in NOT_NAMES
    )
    if fallback and (best := fallback.most_common(1)[0])[1] >= 2:
        return best[0]
    return None
