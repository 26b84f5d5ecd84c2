"""PDFs of any system (issue 19): the five samples and real Greve meetings, printed in three
other systems' layouts (tests/pdf_layouts.py), parse to the same items as their sources."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.core.config import PROJECT_ROOT
from assistant.core.errors import ParseError
from assistant.core.types import AgendaItem, Meeting, Section
from assistant.ingest.decisions import read_decision
from assistant.ingest.parse import parse_file, parse_minutes, section_heading
from tests.conftest import SAMPLES
from tests.pdf_layouts import LAYOUTS, headings_pdf

GREVE = PROJECT_ROOT / "eval" / "realworld" / "greve" / "firstagenda-json"
SOURCES = {
    **{name: path for name, path in SAMPLES.items()},
    "Greve social": GREVE / "2024-02-05_social-og-handicapudvalget.json",
    "Greve klima": GREVE / "2023-09-14_klima-teknik-og-miljoeudvalget.json",
    "Greve plan": GREVE / "2025-03-25_plan-og-tryghedsudvalget.json",
    "Greve sundhed": GREVE / "2023-05-22_sundheds-og-omsorgsudvalget.json",
    # Closed items listed "5. Lukket: …" in the contents, a decision "Punkt 2-6 tages til
    # efterretning.", and a title that wraps early before "informationssikkerhedsforan…".
    "Greve økonomi": GREVE / "2024-05-08_oekonomiudvalget.json",
    # A title whose second line is only its period ("Vækst- og erhvervspolitik" / "2023-2026").
    "Greve beskæftigelse": GREVE / "2024-11-18_beskaeftigelses-og-erhvervsudvalget.json",
}

_sources: dict[str, Meeting] = {}


def source(name: str) -> Meeting:
    if name not in _sources:
        _sources[name] = parse_file(SOURCES[name])
    return _sources[name]


def _people(names: tuple[str, ...]) -> set[str]:
    """The names without the party the text formats print after them ("Simon Østergaard
    (V)"), which FirstAgenda's participant list keeps apart."""
    return {re.sub(r"\s*\([^)]*\)$", "", name) for name in names}


def _rows(item: AgendaItem) -> list[str]:
    """The item's table rows as the readers write them ("Faktisk antal · 2.107")."""
    return [line for s in item.sections for line in s.text.split("\n") if " · " in line]


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
        # Attendance too, where the source printed it under the decision or in its own
        # "Fremmøde" section (FirstAgenda's participant list).
        assert _people(got.absentees) == _people(want.absentees), label
        # A table's rows stay one row to a line, however wide the page sets them.
        assert _rows(got) == _rows(want), label
    # A contents table that cuts long titles to its column, and lists closed items with
    # their number, warns of nothing: every listed item is found.
    assert parsed.warnings == (), parsed.warnings
    everything = "\n".join(s.text for item in parsed.items for s in item.sections)
    assert " of " not in everything.replace("of the", "")
    assert f"{expected.committee} - Referat" not in everything


BODY = (
    "Forvaltningen har udarbejdet et forslag til en ny affaldsordning for sommerhuse.\n\n"
    "Beslutning\n\nGodkendt."
)


@pytest.mark.parametrize(
    ("headings", "items"),
    [
        (["5 Affaldsordning", "6 Vejbelysning"], [("5", "Affaldsordning"), ("6", "Vejbelysning")]),
        (
            ["Pkt. 5 Affaldsordning", "Pkt. 6 Vejbelysning"],
            [("5", "Affaldsordning"), ("6", "Vejbelysning")],
        ),
        (
            ["Sag 12 Affaldsordning", "Sag 13 Vejbelysning"],
            [("12", "Affaldsordning"), ("13", "Vejbelysning")],
        ),
        (
            ["Punkt 1204 - Affaldsordning", "Punkt 1205 - Vejbelysning"],
            [("1204", "Affaldsordning"), ("1205", "Vejbelysning")],
        ),
        (
            ["5 Affaldsordning", "5a Tillæg til affaldsordningen", "75 b Vejbelysning"],
            [
                ("5", "Affaldsordning"),
                ("5a", "Tillæg til affaldsordningen"),
                ("75b", "Vejbelysning"),
            ],
        ),
    ],
)
def test_layout_heading_wordings(
    headings: list[str], items: list[tuple[str, str]], tmp_path: Path
) -> None:
    parsed = parse_file(headings_pdf(tmp_path / "m.pdf", headings, BODY))
    assert [(i.printed_number, i.title) for i in parsed.items] == items
    assert all(i.decision_status == "godkendt" for i in parsed.items)


def test_a_bold_numbered_line_out_of_sequence_stays_text(tmp_path: Path) -> None:
    # "2024 Budgetønsker" is set like the headings but breaks their rising numbers.
    headings = ["5 Affaldsordning", "2024 Budgetønsker", "6 Vejbelysning", "7 Eventuelt"]
    parsed = parse_file(headings_pdf(tmp_path / "m.pdf", headings, BODY))
    assert [i.printed_number for i in parsed.items] == ["5", "6", "7"]
    assert "2024 Budgetønsker" in parsed.items[0].decision


@pytest.mark.parametrize(
    ("line", "committee", "day"),
    [
        ("Beslutning", "", None),
        ("Beslutninger", "", None),
        ("Udvalgets beslutning", "Udvalget", None),
        ("Økonomiudvalgets beslutning den 04.12.2012", "Økonomiudvalget", dt.date(2012, 12, 4)),
        (
            "Klima-, Teknik- og Miljøudvalgets beslutning den 04.12.2012",
            "Klima-, Teknik- og Miljøudvalget",
            dt.date(2012, 12, 4),
        ),
        ("Beslutning i Byrådet den 4. december 2012", "Byrådet", dt.date(2012, 12, 4)),
        ("Beslutning i Økonomiudvalget den 04-06-2020", "Økonomiudvalget", dt.date(2020, 6, 4)),
    ],
)
def test_decision_heading_forms(line: str, committee: str, day: dt.date | None) -> None:
    assert section_heading(line) == "Beslutning"
    decision = read_decision("Godkendt.", line)
    assert (decision.committee, decision.date, decision.status) == (committee, day, "godkendt")


@pytest.mark.parametrize(
    "line", ["Sagen afventer Byrådets beslutning", "Beslutningen blev udsat til næste møde"]
)
def test_sentences_about_a_decision_are_not_headings(line: str) -> None:
    assert section_heading(line) is None


def test_a_closed_heading_only_in_the_running_header_refuses_the_file() -> None:
    # The reader set it apart as page furniture, yet the items do not hold it: which text
    # is closed cannot be told, so nothing is indexed.
    text = SAMPLES["Vejle"].read_text(encoding="utf-8")
    with pytest.raises(ParseError, match="Sak 81: Lukket"):
        parse_minutes(text, source="v.pdf", context="Sak 81: Lukket: Personalesag")


def test_the_issue_heading_with_a_case_number_line(tmp_path: Path) -> None:
    # Issue 19: "715. Kulturkommune 2017. Politiske fokusområder" / "Sagsnr.: 12/27845".
    decided = (Section("Beslutning", "Godkendt.", "Beslutning"),)
    meeting = Meeting(
        municipality="Aarhus",
        committee="Kulturudvalget",
        date=dt.date(2012, 12, 4),
        source="k.pdf",
        start_time="15:00",
        items=(
            AgendaItem(
                715, "Kulturkommune 2017. Politiske fokusområder", "12/27845", sections=decided
            ),
            AgendaItem(716, "Eventuelt", "", sections=decided),
        ),
    )
    for layout, build in LAYOUTS.items():
        parsed = parse_file(build(meeting, tmp_path / f"{layout}.pdf"))
        assert [(i.number, i.title, i.case_number, i.decision_status) for i in parsed.items] == [
            (715, "Kulturkommune 2017. Politiske fokusområder", "12/27845", "godkendt"),
            (716, "Eventuelt", "", "godkendt"),
        ], layout
