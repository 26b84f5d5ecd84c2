"""A case's timeline as an answer: the decision that stands first, every treatment cited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from assistant.answer.prompts import load_prompt
from assistant.core.chunk_format import CLOSED_BODY
from assistant.core.types import Answer, Citation, Treatment
from assistant.danish.dates import danish_date


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
