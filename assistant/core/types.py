"""Domain types shared by every pipeline stage.

Plain frozen dataclasses with no framework imports: llama-index, Chroma and Gradio objects
are converted to and from these inside the module that adapts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# What a committee can do with an item, as staff name it. Order is precedence when a decision
# text says several things ("anbefales godkendt" is a recommendation, not an approval).
DECISION_STATUSES = (
    "ikke godkendt",
    "udsat",
    "anbefalet",
    "godkendt",
    "oversendt",
    "taget til efterretning",
    "drøftet",
)


@dataclass(frozen=True)
class Section:
    """A named part of an agenda item (Sagsfremstilling, Indstilling, Beslutning, ...).

    `heading` is the canonical name; `label` the heading as printed, which for a decision
    names the committee and date ("Beslutning i Økonomiudvalget den 04-06-2020").
    """

    heading: str
    text: str
    label: str = ""


@dataclass(frozen=True)
class Decision:
    """One committee's decision on an item, as printed, with its status read from the text."""

    text: str
    status: str  # one of DECISION_STATUSES, or "" when the text states none
    committee: str = ""  # from the heading, when it names one
    date: dt.date | None = None  # from the heading, when it gives one
    forwarded_to: str = ""  # "Byrådet" in "oversendes til Byrådet"


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: str
    case_number: str = ""
    closed: bool = False
    sections: tuple[Section, ...] = ()
    absentees: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    dissent: tuple[str, ...] = ()  # verbatim sentences recording a vote against or a protest
    # The number as printed when it is more than digits ("75a", an item added late); `number`
    # stays an int so that filters and sorting ("punkt 75") keep working.
    label: str = ""
    # The page a document read page by page holds this text on (the page fallback, for a
    # readable file whose items cannot be found): `number` is then 0, and citations name the
    # page instead of an item.
    page: int = 0
    # The item's table rows as the reader kept them, one string per row ("2019 · Restance
    # ultimo året i alt · 60,1", a line per cell). The same text is in `sections`; this only
    # lets `referat inspect` show that a table was read, and how. Empty for a closed item.
    table_rows: tuple[str, ...] = ()

    @property
    def printed_number(self) -> str:
        return self.label or str(self.number)

    @property
    def decision(self) -> str:
        """The verbatim text of every decision section, joined (several committees may decide)."""
        return "\n\n".join(s.text for s in self.sections if s.heading == "Beslutning")

    @property
    def decision_status(self) -> str:
        """The status of the last decision: the one that stands when several committees decide."""
        return self.decisions[-1].status if self.decisions else ""

    def section(self, heading: str) -> str:
        return "\n\n".join(s.text for s in self.sections if s.heading == heading)


@dataclass(frozen=True)
class Meeting:
    municipality: str
    committee: str
    date: dt.date
    source: str
    start_time: str = ""  # HH:MM
    end_time: str = ""  # HH:MM, when printed
    period: str = ""  # the committee's election period, "2022-2025"
    location: str = ""
    participants: tuple[str, ...] = ()
    absentees: tuple[str, ...] = ()
    items: tuple[AgendaItem, ...] = ()
    warnings: tuple[str, ...] = ()
    # What tells this meeting apart from another of the same body on the same day (Greve's
    # Byråd met at 17:15 and 17:30 on 8 September 2025). Readers that know it set it (the
    # FirstAgenda reader: the scheduled time); empty keeps the committee-and-day id that
    # earlier indexes hold, so the text formats' ids do not change.
    sitting: str = ""
    # Set by ingest when another source already holds a meeting of this committee on this
    # day (an extraordinary meeting and the ordinary one): "start time|source" tells them
    # apart. Empty for every meeting that collides with none, whose id stays what it was.
    variant: str = ""
    # An agenda (dagsorden) published before the meeting: its items hold no decision yet,
    # and answers from it must say that the decision was not made.
    agenda: bool = False
    # The form the file was read in, so that `referat inspect` can say it: "FirstAgenda-JSON",
    # "HTML", "tekst", "Markdown", or "PDF: " and what the PDF reader found of the layout
    # ("PDF: 4 sider, 9 punktoverskrifter fra layoutet (fed 14 pt)"). Not part of the
    # meeting's identity: a meeting republished in another format keeps its id and chunk ids.
    format: str = ""

    @property
    def meeting_id(self) -> str:
        """Stable across re-ingestion: a new version of the same source keeps its id."""
        from hashlib import sha1

        key = f"{self.municipality}|{self.committee}|{self.date.isoformat()}"
        if self.sitting:
            key += f"|{self.sitting}"
        if self.variant:
            key += f"|{self.variant}"
        return sha1(key.lower().encode()).hexdigest()[:12]

    @property
    def by_pages(self) -> bool:
        """Whether no item was found and the document was read page by page instead (the
        page fallback): every record is then a page, numbered 0."""
        return bool(self.items) and all(item.page and not item.number for item in self.items)


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
    # Flat data for filters and answers; Chroma metadata holds only str/int/float/bool.
    case_key: str = ""  # normalised case number, for exact lookup
    meeting_day: int = 0  # 20240902: Chroma compares numbers only, so dates filter as ints
    closed: bool = False
    decision_status: str = ""
    absentees: str = ""  # "; "-joined names
    dissent: str = ""  # "\n"-joined verbatim sentences
    item_label: str = ""  # the item number as printed when it is more than digits ("75a")
    # The folder `source` is relative to, absolute, as ingest found it: root/source is the
    # file, so `referat ingest --sync` can tell which stored sources a folder no longer holds.
    # Empty for chunks stored before it was recorded (they are never removed by a sync).
    source_root: str = ""
    page: int = 0  # the page, for a document read page by page (item_number is then 0)
    agenda: bool = False  # from an agenda published before the meeting: no decision yet

    @property
    def item_key(self) -> str:
        """One key per agenda item: the id without its window position. Ids name the item
        by its printed number, and by its place in the meeting where a number repeats, so
        two items printed with one number stay two items."""
        prefix, _, _position = self.id.rpartition("-")
        if prefix.startswith(f"{self.meeting_id}-"):
            return f"{self.meeting_id}:{prefix[len(self.meeting_id) + 1 :]}"
        return f"{self.meeting_id}:{self.item_number}"

    @property
    def printed_number(self) -> str:
        return self.item_label or str(self.item_number)

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
    decision_status: str = ""  # the item's decision status, when it has one
    closed: bool = False  # a closed item: the quote is its title note, never its content
    item_label: str = ""  # the item number as printed when it is more than digits ("75a")
    page: int = 0  # the page cited where no item could be found (item_number is then 0)
    agenda: bool = False  # cites an agenda published before the meeting: nothing decided yet

    @property
    def by_page(self) -> bool:
        """Whether this cites a page of a document read page by page, not an agenda item."""
        return self.page > 0 and not self.item_number

    @classmethod
    def of(cls, n: int, chunk: Chunk, quote: str) -> Citation:
        """Citation number `n` of the item `chunk` belongs to, quoting `quote`."""
        return cls(
            n=n,
            municipality=chunk.municipality,
            committee=chunk.committee,
            meeting_date=chunk.meeting_date,
            item_number=chunk.item_number,
            item_title=chunk.item_title,
            case_number=chunk.case_number,
            source=chunk.source,
            quote=quote,
            decision_status=chunk.decision_status,
            closed=chunk.closed,
            item_label=chunk.item_label,
            page=chunk.page,
            agenda=chunk.agenda,
        )


@dataclass(frozen=True)
class Treatment:
    """One agenda item at one meeting that treated the case: its first chunk carries the
    meeting and item fields, `decision` the decision as printed ("" when none is)."""

    chunk: Chunk
    decision: str

    def to_json(self) -> dict:
        chunk = self.chunk
        return {
            "municipality": chunk.municipality,
            "committee": chunk.committee,
            "meeting_date": chunk.meeting_date,
            "item_number": chunk.item_number,
            "item_title": chunk.item_title,
            "case_number": chunk.case_number,
            "source": chunk.source,
            "decision_status": chunk.decision_status,
            "decision": self.decision,
            "closed": chunk.closed,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = field(default=())
    scope: str = ""  # the filters the search ran under, in Danish ("Lejre Kommune, august 2023")
    # What the citation guard removed from a generated answer, one line each; `fallback`
    # when nothing supported was left and the extractive quotes are shown instead.
    corrections: tuple[str, ...] = ()
    fallback: bool = False
    # The asked fact (or the decision) as the answer opens with it, in the first cited
    # item's words without the framing ("149 fordrevne fra Ukraine …"); "" when it has none.
    opening: str = ""

    def to_json(self) -> dict:
        from dataclasses import asdict

        return {
            "answer": self.text,
            "abstained": self.abstained,
            "opening": self.opening,
            "citations": [asdict(c) for c in self.citations],
        }


@dataclass(frozen=True)
class IngestReport:
    meetings: int = 0
    items: int = 0
    chunks: int = 0
    unchanged: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (file name, reason)
    warnings: tuple[tuple[str, str], ...] = ()  # (file name, warning) for files ingested
    # Sources removed because their file is gone from a folder ingested with sync.
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredSource:
    """One source in the index as `referat sources` lists it and `referat remove` removes
    it: the file (its path under `root`), the meeting it holds and how many chunks."""

    source: str
    root: str
    meeting_id: str
    municipality: str
    committee: str
    meeting_date: str
    chunks: int

    @property
    def path(self) -> str:
        """The file as it was ingested ("" when the index has no folder recorded for it)."""
        return f"{self.root.rstrip('/')}/{self.source}" if self.root else ""

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "path": self.path,
            "meeting_id": self.meeting_id,
            "municipality": self.municipality,
            "committee": self.committee,
            "meeting_date": self.meeting_date,
            "chunks": self.chunks,
        }


@dataclass(frozen=True)
class MeetingSelector:
    """A meeting as a user names it on the command line: the meeting id `referat sources`
    shows, or the municipality and the date (and the committee, when several of the
    municipality's committees met that day)."""

    meeting_id: str | None = None
    municipality: str | None = None
    committee: str | None = None
    date: dt.date | None = None


def meeting_json(meeting: Meeting) -> dict:
    """A Meeting as JSON-ready data (dates as ISO strings), for `referat inspect --json`."""
    from dataclasses import asdict

    def plain(value: object) -> object:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    data = plain(asdict(meeting))
    assert isinstance(data, dict)
    data["meeting_id"] = meeting.meeting_id
    data["page_fallback"] = meeting.by_pages
    for item, item_data in zip(meeting.items, data["items"], strict=True):
        item_data["decision_status"] = item.decision_status
    return data
