"""A case's timeline: every treatment of one case number across committees and meetings.

A case (sag) travels: the committee recommends, the Økonomiudvalg recommends, the Byråd
decides; months later it comes back as a status item. Staff ask "hvad er status på sag
23/7010?" and need every treatment, newest first, each with its decision as printed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answer.prompts import load_prompt
from assistant.core.types import Answer, Chunk, Citation, danish_date
from assistant.ingest.chunk import CLOSED_BODY, section_text

# A question about a case's course rather than about its content.
STATUS_QUESTION = re.compile(
    r"\b(?:status|tidslinje|forløb(?:et)?|hvor\s+langt|hvad\s+(?:er\s+der\s+)?sket|"
    r"hvad\s+skete|hvordan\s+(?:gik|går|står)|behandl\w*|hvornår)\b",
    re.IGNORECASE,
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


def case_timeline(chunks: Sequence[Chunk]) -> list[Treatment]:
    """The treatments in `chunks` (all chunks carrying one case key), newest first."""
    by_item: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_item[chunk.item_key].append(chunk)
    treatments = []
    for item_chunks in by_item.values():
        item_chunks.sort(key=lambda c: c.position)
        first = item_chunks[0]
        decision = "" if first.closed else section_text(item_chunks, "Beslutning")
        treatments.append(Treatment(first, decision))
    # Newest first; on one day, the later item number was treated later in the meeting.
    return sorted(
        treatments, key=lambda t: (t.chunk.meeting_date, t.chunk.item_number), reverse=True
    )


def timeline_answer(question: str, treatments: Sequence[Treatment], prompts_dir: Path) -> Answer:
    """The latest decision first, then every other treatment newest first, each cited.

    A newer item without a decision (a signature page, a status note) does not hide the
    decision that stands."""
    lead = next((t for t in treatments if t.decision and not t.chunk.closed), treatments[0])
    treatments = [lead, *(t for t in treatments if t is not lead)]
    citations = tuple(Citation.of(n, t.chunk, _quote(t)) for n, t in enumerate(treatments, start=1))
    meetings = len({t.chunk.meeting_id for t in treatments})
    latest, earlier = (
        load_prompt(prompts_dir, "case_latest"),
        load_prompt(prompts_dir, "case_earlier"),
    )
    paragraphs = []
    for citation in citations:
        fields = {
            "committee": citation.committee,
            "municipality": citation.municipality,
            "date": danish_date(dt.date.fromisoformat(citation.meeting_date)),
            "item_number": citation.item_number,
            "item_title": citation.item_title,
            "status": f" – {citation.decision_status}" if citation.decision_status else "",
            "decision": citation.quote,
            "n": citation.n,
        }
        if citation.n == 1:
            count = len(treatments)
            paragraphs.append(
                latest.format(
                    case_number=citation.case_number,
                    count="én gang" if count == 1 else f"{count} gange",
                    meetings="ét møde" if meetings == 1 else f"{meetings} møder",
                    **fields,
                )
            )
        else:
            paragraphs.append(earlier.format(**fields))
    return Answer(
        question=question, text="\n\n".join(paragraphs), abstained=False, citations=citations
    )


def _quote(treatment: Treatment) -> str:
    if treatment.chunk.closed:
        return CLOSED_BODY
    if treatment.decision:
        return " ".join(treatment.decision.split())
    return "Ingen beslutning er ført til referat under punktet."
