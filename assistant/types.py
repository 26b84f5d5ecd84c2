"""Domain types shared by every pipeline stage.

Plain frozen dataclasses with no framework imports: llama-index, Chroma and Gradio objects
are converted to and from these inside the module that adapts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DANISH_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


def danish_date(day: dt.date) -> str:
    """2 september 2024 -> '2. september 2024', the way minutes and staff write dates."""
    return f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Section:
    """A named part of an agenda item (Sagsfremstilling, Indstilling, Beslutning, ...)."""

    heading: str
    text: str


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: str
    case_number: str = ""
    closed: bool = False
    sections: tuple[Section, ...] = ()
    absentees: tuple[str, ...] = ()

    @property
    def decision(self) -> str:
        """The verbatim text of every decision section, joined (several committees may decide)."""
        return "\n\n".join(s.text for s in self.sections if s.heading == "Beslutning")

    def section(self, heading: str) -> str:
        return "\n\n".join(s.text for s in self.sections if s.heading == heading)


@dataclass(frozen=True)
class Meeting:
    municipality: str
    committee: str
    date: dt.date
    source: str
    start_time: str = ""
    location: str = ""
    participants: tuple[str, ...] = ()
    absentees: tuple[str, ...] = ()
    items: tuple[AgendaItem, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def meeting_id(self) -> str:
        """Stable across re-ingestion: the same meeting from a new file keeps its id."""
        from hashlib import sha1

        key = f"{self.municipality}|{self.committee}|{self.date.isoformat()}".lower()
        return sha1(key.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Chunk:
    """One retrievable window of one agenda item, with the header line in `text`."""

    id: str
    text: str
    meeting_id: str
    municipality: str
    committee: str
    meeting_date: str
    item_number: int
    item_title: str
    case_number: str
    source: str
    sections: str
    position: int
    file_sha: str = ""

    @property
    def item_key(self) -> str:
        return f"{self.meeting_id}:{self.item_number}"

    @property
    def body(self) -> str:
        """The chunk without its header line."""
        return self.text.split("\n", 1)[1] if "\n" in self.text else ""


@dataclass(frozen=True)
class ItemHit:
    """An agenda item found by retrieval, with its matching chunks best first."""

    chunks: tuple[Chunk, ...]
    score: float
    dense_similarity: float = 0.0

    @property
    def best(self) -> Chunk:
        return self.chunks[0]


@dataclass(frozen=True)
class Citation:
    n: int
    municipality: str
    committee: str
    meeting_date: str
    item_number: int
    item_title: str
    case_number: str
    source: str
    quote: str

    def reference(self) -> str:
        """'Arbejdsmarkedsudvalget, Aabenraa Kommune, 2. september 2024, punkt 71'."""
        day = danish_date(dt.date.fromisoformat(self.meeting_date))
        return f"{self.committee}, {self.municipality} Kommune, {day}, punkt {self.item_number}"


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = field(default=())

    def to_json(self) -> dict:
        from dataclasses import asdict

        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
        }


@dataclass(frozen=True)
class IngestReport:
    meetings: int = 0
    items: int = 0
    chunks: int = 0
    unchanged: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (file name, reason)
