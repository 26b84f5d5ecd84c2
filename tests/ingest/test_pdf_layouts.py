"""PDFs of any system (issue 19): the five samples and real Greve meetings, printed in three
other systems' layouts (tests/pdf_layouts.py), parse to the same items as their sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.config import PROJECT_ROOT
from assistant.core.types import Meeting
from assistant.ingest.parse import parse_file
from tests.conftest import SAMPLES
from tests.pdf_layouts import LAYOUTS

GREVE = PROJECT_ROOT / "eval" / "realworld" / "greve" / "firstagenda-json"
SOURCES = {
    **{name: path for name, path in SAMPLES.items()},
    "Greve social": GREVE / "2024-02-05_social-og-handicapudvalget.json",
    "Greve klima": GREVE / "2023-09-14_klima-teknik-og-miljoeudvalget.json",
    "Greve plan": GREVE / "2025-03-25_plan-og-tryghedsudvalget.json",
    "Greve sundhed": GREVE / "2023-05-22_sundheds-og-omsorgsudvalget.json",
}

_sources: dict[str, Meeting] = {}


def source(name: str) -> Meeting:
    if name not in _sources:
        _sources[name] = parse_file(SOURCES[name])
    return _sources[name]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("name", list(SOURCES))
def test_pdf_in_another_layout_gives_the_source_items(
    name: str, layout: str, tmp_path: Path
) -> None:
    expected = source(name)
    pdf = LAYOUTS[layout](expected, tmp_path / f"{layout}.pdf")
    parsed = parse_file(pdf)
    assert (parsed.committee, parsed.date) == (expected.committee, expected.date)
    assert [(i.printed_number, i.title, i.case_number, i.closed) for i in parsed.items] == [
        (i.printed_number, i.title, i.case_number, i.closed) for i in expected.items
    ]
    for want, got in zip(expected.items, parsed.items, strict=True):
        label = f"punkt {want.printed_number}"
        assert flat(got.decision) == flat(want.decision), label
        assert got.decision_status == want.decision_status, label
    everything = "\n".join(s.text for item in parsed.items for s in item.sections)
    assert " of " not in everything.replace("of the", "")
    assert f"{expected.committee} - Referat" not in everything
