"""The chunk text format: how a chunk's body is written and read back.

Ingestion writes item bodies with a section's name on a line of its own ("Beslutning:"); the
answerer, the guard and the case timeline read them back with `section_lines`. Both sides live
here, on the floor every stage stands on, so the query side never imports the ingest stage.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from assistant.core.types import Chunk

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
    "beslutninger": "Beslutning",
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
    # FirstAgenda: earlier treatments by other bodies, quoted with their decisions.
    "sagens forløb": "Tidligere beslutninger",
    # FirstAgenda: which bodies handle the case ("Økonomiudvalget og Byrådet").
    "sagsprocedure": "Forventet sagsgang",
    # Attendance a structured export records outside the decision (readers/firstagenda.py).
    "fremmøde": "Fremmøde",
}

# A sentence ends at . ! ? before a capital or digit, but not after the abbreviations Danish
# minutes use before figures and names ("ca. 1.609.500 kr.", "bl.a. Aarhus", "jf. § 6").
_ABBREVIATIONS = (
    "ca",
    "fx",
    "nr",
    "jf",
    "bl.a",
    "f.eks",
    "mv",
    "m.v",
    "kl",
    "d",
    "pkt",
    "inkl",
    "ekskl",
    "evt",
    "mht",
    "ift",
    "vedr",
    "dvs",
    "pga",
    "St",
)
# A list number ("1. Til efterretning.", "... følgende: 2. At ...") is not a sentence.
SENTENCE_END = re.compile(
    "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
    + r"(?<!^\d\.)(?<!^\d\d\.)(?<!\s\d\.)(?<!\s\d\d\.)(?<=[.!?])\s+(?=[A-ZÆØÅ0-9\"«“])",
    re.MULTILINE,
)


def section_label(heading: str) -> str:
    return f"{heading}:"


SECTION_LABELS = {section_label(name) for name in SECTION_HEADINGS.values()} | {"Tekst:"}


def section_lines(chunks: Sequence[Chunk]) -> Iterator[tuple[str, str]]:
    """(section, line) for the non-empty body lines of an item's chunks in reading order."""
    for chunk in chunks:
        section = "Tekst"
        for line in chunk.body.split("\n"):
            line = line.strip()
            if not line:
                continue
            if line in SECTION_LABELS:
                section = line[:-1]
                continue
            yield section, line


def section_text(chunks: Sequence[Chunk], heading: str) -> str:
    """One section's text rebuilt from an item's chunks (a section may span windows)."""
    return "\n".join(line for section, line in section_lines(chunks) if section == heading)


# The whole body of a closed item's record: its title is public, its content never indexed.
CLOSED_BODY = "Lukket punkt – indholdet er ikke offentligt."
