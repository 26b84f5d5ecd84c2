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
from pathlib import Path

from assistant.errors import ParseError
from assistant.municipalities import find_municipality_mentions
from assistant.text import STOPWORDS
from assistant.types import DANISH_MONTHS, AgendaItem, Meeting, Section

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

# "Punkt 2: Title", "Sak 78: Title", "Pkt. 3 Title". A colon or dash is required after
# Punkt/Sak so that a sentence such as "Punkt 3 blev behandlet før punkt 2." is not a heading.
ITEM_HEADING = re.compile(
    r"^(?:(?:Punkt|Sak|Dagsordenspunkt)\s*(?P<number>\d{1,4})\s*[:\-–]"
    r"|Pkt\.?\s*(?P<pkt_number>\d{1,4})\s*[:.\-–]?)"
    r"\s*(?P<title>[^\s.].{0,250})$",
)

CASE_NUMBER = re.compile(
    r"^(?:"
    r"\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}"  # KLE journal number 15.20.00-P20-1-23
    r"|\d{2}[-/]\d{3,7}"  # 23-005451, 24/18490
    r"|SAG-\d{4}-\d+"  # SAG-2024-12345
    r"|[A-ZÆØÅ]{2,6}[-/]\d{2,4}[-/]\d+"  # other systems' prefixed numbers
    r")$"
)
CASE_LABEL = re.compile(r"^(?:Sagsnr\.?|Sags?nummer|Sag nr\.?|J\.?\s?nr\.?)\s*:?\s*", re.IGNORECASE)

CLOSED_TITLE = re.compile(
    r"^(?:Lukket(?:\s+punkt)?|Fortroligt|Fortrolig)\b\s*[:\-–]?\s*|\((?:lukket|fortroligt)\)",
    re.IGNORECASE,
)

# --- sections ----------------------------------------------------------------------------------

# Printed heading (lower case) -> canonical section name. Only headings that structure a whole
# item are listed; sub-headings inside a Sagsfremstilling ("Målgrupper", "Historik") stay text.
SECTION_HEADINGS = {
    "resume": "Resume",
    "resumé": "Resume",
    "sammenfatning": "Resume",
    "anledning": "Anledning",
    "baggrund": "Baggrund",
    "sagsfremstilling": "Sagsfremstilling",
    "sagsbeskrivelse": "Sagsfremstilling",
    "sagens indhold": "Sagsfremstilling",
    "indstilling": "Indstilling",
    "forslag til beslutning": "Indstilling",
    "beslutning": "Beslutning",
    "afgørelse": "Beslutning",
    "økonomi": "Økonomi",
    "økonomi og afledt drift": "Økonomi",
    "økonomiske konsekvenser": "Økonomi",
    "økonomi og finansiering": "Økonomi",
    "bevillingsmæssige konsekvenser": "Økonomi",
    "bilag": "Bilag",
    "vedlegg": "Bilag",
    "bilagsfortegnelse": "Bilag",
    "forventet sagsgang": "Forventet sagsgang",
    "sagsgang": "Forventet sagsgang",
    "beslutningskompetence": "Beslutningskompetence",
    "sagen afgøres i": "Beslutningskompetence",
    "kompetence": "Beslutningskompetence",
    "inddragelse": "Inddragelse",
    "høring": "Inddragelse",
    "klima og resiliensvurdering": "Klima",
    "klimavurdering": "Klima",
    "administrationens vurdering": "Vurdering",
    "forvaltningens vurdering": "Vurdering",
    "vurdering": "Vurdering",
    "lovgrundlag": "Lovgrundlag",
    "retsgrundlag": "Lovgrundlag",
    "supplerende bemærkninger": "Supplerende bemærkninger",
    "sagens videre forløb": "Videre forløb",
    "tidligere beslutninger": "Tidligere beslutninger",
}

# "Beslutning Arbejdsmarkedsudvalget den 02-09-2024", "Beslutning i Økonomiudvalget den 04-06-2020"
DECISION_HEADING = re.compile(
    r"^Beslutning(?:\s+i)?\s+[A-ZÆØÅ][\w\s,&\-–]{2,100}?(?:\s+den\s+\d{1,2}[-./]\d{1,2}[-./]\d{2,4})?$"
)
# Vejle (First Agenda) heads the recommendation "Økonomi- og arbejdsmarkedsdirektøren indstiller".
RECOMMENDS_HEADING = re.compile(r"^[A-ZÆØÅ][^.:;]{2,90}\sindstiller$")
# "Direktøren ... indstiller til Udvalget ...:" opens a recommendation where no heading does.
RECOMMENDS_LINE = re.compile(r"^[A-ZÆØÅ][^.]{2,200}\sindstiller\b[^.]*[:,]$")

# --- attendance --------------------------------------------------------------------------------

ABSENT_PATTERNS = (
    re.compile(r"^(?:Fraværende|Afbud(?:\s+fra)?|Forfald)\s*:\s*(?P<names>.+?)\.?$", re.IGNORECASE),
    re.compile(
        r"^(?P<names>[A-ZÆØÅ][\w.\-\s,()]{2,120}?)\s+(?:var|er|blev)\s+fraværende\b.*$",
    ),
    re.compile(
        r"^(?P<names>[A-ZÆØÅ][\w.\-\s,()]{2,120}?)\s+deltog\s+ikke\s+(?:i|under)\s+"
        r"(?:behandlingen|mødet|dette punkt|punktet|sagens behandling).*$",
    ),
    re.compile(r"^(?P<names>[A-ZÆØÅ][\w.\-\s,()]{2,120}?)\s+havde\s+(?:meldt\s+)?afbud\b.*$"),
)

# --- header labels ----------------------------------------------------------------------------

HEADER_LABELS = {
    "date": ("mødedato", "møtedato", "dato", "mødetidspunkt", "tidspunkt"),
    "location": ("mødested", "møtested", "sted", "mødelokale"),
    "participants": ("mødedeltagere", "deltagere", "til stede", "medlemmer"),
    "absentees": ("afbud fra", "afbud", "fraværende", "forfald"),
    "committee": ("udvalg", "udvalget", "organ"),
}

NOISE_LINE = re.compile(
    r"^(?:\d{1,3}|side\s+\d+(?:\s*(?:af|/)\s*\d+)?|-\s*\d+\s*-|page\s+\d+(?:\s+of\s+\d+)?)$",
    re.IGNORECASE,
)
HTML_FRAGMENT = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,200}>|\b[a-z]{1,5}\s*/>|&nbsp;")
DOT_LEADER = re.compile(r"\s*\.{3,}\s*\|?\s*\d*\s*\|?\s*$")
TOC_HEADING = re.compile(r"^(?:Indholdsfortegnelse|Indhold|Dagsorden)\s*:?$", re.IGNORECASE)

PERIOD = re.compile(r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b")


def read_text(path: Path) -> str:
    """Decode a text file: UTF-8 first, then cp1252 (a superset of latin-1's letters)."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_file(path: Path, municipality: str | None = None) -> Meeting:
    text = read_text(path)
    return parse_minutes(text, source=path.name, municipality=municipality)


def parse_minutes(text: str, source: str, municipality: str | None = None) -> Meeting:
    """Parse the text of one meeting's minutes. Raises ParseError when it is not minutes."""
    if not text.strip():
        raise ParseError(source, "filen er tom")
    lines = clean_lines(text)
    heading_positions = [i for i, line in enumerate(lines) if ITEM_HEADING.match(line)]
    if not heading_positions:
        raise ParseError(source, "ingen dagsordenspunkter fundet (fx 'Punkt 1:' eller 'Sak 1:')")

    header = lines[: heading_positions[0]]
    header_fields = _header_fields(header)
    date = _meeting_date(header, header_fields)
    if date is None:
        raise ParseError(source, "ingen mødedato fundet")

    items = tuple(
        _parse_item(lines[start:end])
        for start, end in zip(heading_positions, [*heading_positions[1:], len(lines)], strict=True)
    )
    warnings = _cross_check_toc(_toc_titles(header), items)

    return Meeting(
        municipality=municipality or infer_municipality(text) or "Ukendt",
        committee=_committee(header, header_fields) or "Ukendt udvalg",
        date=date,
        source=source,
        start_time=_start_time(header_fields.get("date", "") or " ".join(header[:3])),
        location=header_fields.get("location", ""),
        participants=_split_names(header_fields.get("participants", "")),
        absentees=_meeting_absentees(header_fields, items),
        items=items,
        warnings=warnings,
    )


# --- cleaning ---------------------------------------------------------------------------------


def clean_lines(text: str) -> list[str]:
    """Lines without export noise; blank lines are kept as paragraph breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\u200b", "").replace("**", "")
    cleaned: list[str] = []
    for raw in text.split("\n"):
        line = HTML_FRAGMENT.sub(" ", raw)
        line = re.sub(r"[ \t]+", " ", line).strip()
        # A lone character is a layout artefact ("Å" separators, bullet glyphs), never content.
        if len(line) == 1 or NOISE_LINE.match(line):
            line = ""
        cleaned.append(line)
    return cleaned


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
                elif lowered.startswith(label + " ") or lowered.startswith(label + ":"):
                    value = line[len(label) :].lstrip(" :")
                else:
                    continue
                fields[field_name] = value.strip()
                break
    return fields


def parse_danish_date(text: str) -> dt.date | None:
    """First date in `text`: 04-01-2024, 28.09.2021, 2024-01-04 or '4. januar 2024'."""
    if match := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        year, month, day = map(int, match.groups())
        return _safe_date(year, month, day)
    if match := re.search(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})\b", text):
        day, month, year = map(int, match.groups())
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    month_names = "|".join(m[:3] + r"[a-z]*\.?" for m in DANISH_MONTHS)
    if match := re.search(rf"\b(\d{{1,2}})\.?\s+({month_names})\s+(\d{{4}})\b", text, re.I):
        day, month_word, year = match.groups()
        month = next(i for i, m in enumerate(DANISH_MONTHS, 1) if month_word.lower()[:3] == m[:3])
        return _safe_date(int(year), month, int(day))
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _meeting_date(header: list[str], fields: dict[str, str]) -> dt.date | None:
    if fields.get("date") and (date := parse_danish_date(fields["date"])):
        return date
    for line in header:
        if line and not DOT_LEADER.search(line) and (date := parse_danish_date(line)):
            return date
    return None


def _start_time(text: str) -> str:
    if match := re.search(r"\bkl\.?\s*(\d{1,2})[:.](\d{2})", text):
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    return ""


def _committee(header: list[str], fields: dict[str, str]) -> str:
    title_line = next((line for line in header if line), "")
    if re.match(r"^(?:REFERAT|Referat|Beslutningsprotokol|Protokol)\b", title_line):
        name = re.sub(
            r"^(?:REFERAT|Referat|Beslutningsprotokol|Protokol)\s*(?:fra|for)?\s*", "", title_line
        )
        name = re.sub(r"\s*(?:d\.|den)?\s*\d{1,2}[-./]\d{1,2}[-./]\d{2,4}.*$", "", name)
        name = PERIOD.sub("", name)
        name = re.sub(r"[\s\-–,]+$", "", name).strip()
        if name:
            return name
    return fields.get("committee", "")


def _split_names(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    parts = re.split(r",\s*|\s+og\s+|;\s*", text.strip().rstrip("."))
    return tuple(p.strip() for p in parts if p.strip())


def _meeting_absentees(fields: dict[str, str], items: tuple[AgendaItem, ...]) -> tuple[str, ...]:
    if fields.get("absentees"):
        return _split_names(fields["absentees"])
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


def _toc_titles(header: list[str]) -> list[str]:
    titles: list[str] = []
    in_toc = False
    for line in header:
        if TOC_HEADING.match(line):
            in_toc = True
            continue
        if not in_toc or not line or re.fullmatch(r"[|\-\s:]+", line):
            continue
        if DOT_LEADER.search(line) or line.startswith("|"):
            title = DOT_LEADER.sub("", line).strip(" |")
            if title:
                titles.append(title)
    return titles


def _normalise_title(title: str) -> str:
    title = CLOSED_TITLE.sub("", title)
    return re.sub(r"\W+", " ", title).strip().lower()


def _cross_check_toc(toc: list[str], items: tuple[AgendaItem, ...]) -> tuple[str, ...]:
    if not toc:
        return ()
    warnings: list[str] = []
    if len(toc) != len(items):
        warnings.append(
            f"indholdsfortegnelsen har {len(toc)} punkter, men {len(items)} blev fundet i teksten"
        )
    item_titles = {_normalise_title(item.title) for item in items}
    missing = [t for t in toc if _normalise_title(t) not in item_titles]
    if missing:
        warnings.append("ikke fundet i teksten: " + "; ".join(missing))
    return tuple(warnings)


# --- items ------------------------------------------------------------------------------------


def _parse_item(lines: list[str]) -> AgendaItem:
    match = ITEM_HEADING.match(lines[0])
    assert match  # the caller split on this pattern
    number = int(match["number"] or match["pkt_number"])
    title = match["title"].strip()
    body = lines[1:]

    case_number = ""
    first = next((i for i, line in enumerate(body) if line), None)
    if first is not None:
        candidate = CASE_LABEL.sub("", body[first]).strip()
        if CASE_NUMBER.match(candidate):
            case_number = candidate
            body = body[first + 1 :]

    closed = bool(CLOSED_TITLE.search(title))
    if closed:
        # Closed items are kept as title-only records: their content must never be indexed.
        return AgendaItem(number=number, title=title, case_number=case_number, closed=True)

    sections = _sections(body)
    return AgendaItem(
        number=number,
        title=title,
        case_number=case_number,
        sections=sections,
        absentees=_item_absentees(sections),
    )


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
    heading, buffer = "Tekst", []

    def flush() -> None:
        text = _join_paragraphs(buffer)
        if text:
            sections.append(Section(heading, text))

    for line in body:
        canonical = section_heading(line) if line else None
        if canonical:
            flush()
            heading, buffer = canonical, []
            if RECOMMENDS_HEADING.match(line):
                buffer.append(line)  # "X indstiller" is also the first words of the text
            continue
        if line and heading != "Indstilling" and RECOMMENDS_LINE.match(line):
            flush()
            heading, buffer = "Indstilling", []
        buffer.append(line)
    flush()
    return tuple(sections)


def _join_paragraphs(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{2,}", "\n\n", text).strip()


def _item_absentees(sections: tuple[Section, ...]) -> tuple[str, ...]:
    """Who was absent, from the decision record only: case text about citizens who "deltog
    ikke i mødet med jobcentret" is not attendance."""
    names: list[str] = []
    for section in (s for s in sections if s.heading == "Beslutning"):
        for line in section.text.split("\n"):
            for pattern in ABSENT_PATTERNS:
                if match := pattern.match(line.strip()):
                    names.extend(n for n in _split_names(match["names"]) if n not in names)
                    break
    return tuple(names)


# --- municipality -----------------------------------------------------------------------------


def infer_municipality(text: str) -> str | None:
    """The municipality the minutes belong to, from how often it is named.

    Minutes rarely print their own municipality in the header, but they name it in the
    text ("Mariagerfjord Kommune", "Jobcenter Vejle", a postal address). Mentions in the
    first lines (title, meeting place) weigh more than mentions of neighbours in the body.
    """
    counts: Counter[str] = Counter()
    head = "\n".join(text.split("\n")[:15])
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
