"""A case's timeline: every treatment of one case number across committees and meetings.

A case (sag) travels: the committee recommends, the Økonomiudvalg recommends, the Byråd
decides; months later it comes back as a status item. Staff ask "hvad er status på sag
23/7010?" and need every treatment, newest first, each with its decision as printed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from assistant.core.chunk_format import section_text
from assistant.core.types import Chunk, Treatment

# A question about a case's course rather than about its content.
STATUS_QUESTION = re.compile(
    r"\b(?:status|tidslinje|forløb(?:et)?|hvor\s+langt|hvad\s+(?:er\s+der\s+)?sket|"
    r"hvad\s+skete|hvordan\s+(?:gik|går|står)|behandl\w*|hvornår)\b",
    re.IGNORECASE,
)


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
