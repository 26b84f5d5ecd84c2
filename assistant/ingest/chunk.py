"""AgendaItem -> Chunks: one unit per item, long items in windows on section/paragraph bounds.

Every chunk starts with a header line naming municipality, committee, date and item, so BM25
and the embedding both see which meeting a passage comes from; near-identical text from two
municipalities is then still told apart. Inside the body a section starts with its name on a
line of its own ("Beslutning:"), which the answerer uses to know where a sentence stands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from assistant.core.chunk_format import CLOSED_BODY, SENTENCE_END, section_label
from assistant.core.types import AgendaItem, Chunk, Meeting
from assistant.danish.case_numbers import normalise_case_number
from assistant.danish.dates import danish_date, day_number


def header_line(meeting: Meeting, item: AgendaItem) -> str:
    parts = [
        f"{meeting.municipality} Kommune",
        meeting.committee,
        danish_date(meeting.date),
        # A page of a document read page by page has no item number to print.
        f"Side {item.page}: {item.title}"
        if item.page and not item.number
        else f"Punkt {item.printed_number}: {item.title}",
    ]
    if item.case_number:
        parts.append(f"Sag {item.case_number}")
    return " · ".join(parts)


def word_count(text: str) -> int:
    return len(text.split())


def chunk_meeting(
    meeting: Meeting,
    *,
    min_words: int = 150,
    max_words: int = 300,
    file_sha: str = "",
    source_root: str = "",
) -> list[Chunk]:
    chunks: list[Chunk] = []
    for item, ref in zip(meeting.items, item_refs(meeting), strict=True):
        header = header_line(meeting, item)
        windows = [([], CLOSED_BODY)] if item.closed else _windows(item, min_words, max_words)
        for position, (headings, body) in enumerate(windows):
            chunks.append(
                Chunk(
                    id=f"{meeting.meeting_id}-{ref}-{position}",
                    text=f"{header}\n{body}",
                    meeting_id=meeting.meeting_id,
                    municipality=meeting.municipality,
                    committee=meeting.committee,
                    meeting_date=meeting.date.isoformat(),
                    item_number=item.number,
                    item_title=item.title,
                    case_number=item.case_number,
                    source=meeting.source,
                    sections=",".join(headings),
                    position=position,
                    file_sha=file_sha,
                    case_key=normalise_case_number(item.case_number) if item.case_number else "",
                    meeting_day=day_number(meeting.date),
                    closed=item.closed,
                    decision_status=item.decision_status,
                    absentees="; ".join(item.absentees),
                    dissent="\n".join(item.dissent),
                    item_label=item.label,
                    source_root=source_root,
                    page=item.page,
                    agenda=meeting.agenda,
                )
            )
    return chunks


def item_refs(meeting: Meeting) -> list[str]:
    """The item part of each item's chunk ids: its printed number ("71", "75a"), and where
    minutes print one number twice (a typo, an item added late) also its place in the
    meeting ("3@2"), so that ids stay unique. Minutes without repeats keep the ids they
    always had."""
    printed = Counter(item.printed_number for item in meeting.items)
    return [
        f"side{item.page}"
        if item.page and not item.number
        else item.printed_number
        if printed[item.printed_number] == 1
        else f"{item.printed_number}@{index}"
        for index, item in enumerate(meeting.items)
    ]


def _units(item: AgendaItem, max_words: int) -> Iterator[tuple[str, str, bool]]:
    """(section, paragraph, opens_section); paragraphs longer than a window split on sentences."""
    for section in item.sections:
        first = True
        for paragraph in section.text.split("\n\n"):
            for piece in _split_long(paragraph.strip(), max_words):
                yield section.heading, piece, first
                first = False


def _split_long(paragraph: str, max_words: int) -> Iterator[str]:
    if word_count(paragraph) <= max_words:
        if paragraph:
            yield paragraph
        return
    piece: list[str] = []
    for sentence in SENTENCE_END.split(paragraph):
        if piece and word_count(" ".join([*piece, sentence])) > max_words:
            yield " ".join(piece)
            piece = []
        piece.append(sentence)
    if piece:
        yield " ".join(piece)


def _windows(item: AgendaItem, min_words: int, max_words: int) -> list[tuple[list[str], str]]:
    windows: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    count = 0
    for heading, text, opens_section in _units(item, max_words):
        words = word_count(text)
        # Close the window at a section boundary once it is long enough, or before it overflows.
        if current and (count + words > max_words or (opens_section and count >= min_words)):
            windows.append(current)
            current, count = [], 0
        current.append((heading, text))
        count += words
    if current:
        # A short tail (often the decision) reads better with the text it concludes.
        tail_words = sum(word_count(t) for _, t in current)
        if windows and tail_words < min_words // 3:
            previous_words = sum(word_count(t) for _, t in windows[-1])
            if previous_words + tail_words <= max_words + min_words // 3:
                windows[-1].extend(current)
                current = []
        if current:
            windows.append(current)
    if not windows:
        # An item with a title only still deserves to be findable.
        return [([], item.title)]
    return [_render(window) for window in windows]


def _render(window: list[tuple[str, str]]) -> tuple[list[str], str]:
    lines: list[str] = []
    headings: list[str] = []
    previous = None
    for heading, text in window:
        if heading != previous:
            lines.append(section_label(heading))
            if heading not in headings:
                headings.append(heading)
            previous = heading
        lines.append(text)
    return headings, "\n".join(lines)
