"""Tests for assistant.chunk on the five sample minutes in eval/minutes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.core.chunk_format import CLOSED_BODY
from assistant.core.types import Chunk, Meeting
from assistant.ingest.chunk import chunk_meeting
from assistant.ingest.parse import parse_file, parse_minutes
from tests.conftest import AABENRAA, FILES, LEJRE, MARIAGERFJORD, NAESTVED, VEJLE
from tests.conftest import MINUTES_DIR as MINUTES

# As printed in each file's header; the date the way Danish readers write it.
HEADERS = {
    MARIAGERFJORD: (
        "Mariagerfjord Kommune",
        "Udvalget for Arbejdsmarked og Uddannelse",
        "4. januar 2024",
    ),
    LEJRE: ("Lejre Kommune", "Udvalget for Job, Arbejdsmarked og Integration", "6. september 2023"),
    AABENRAA: ("Aabenraa Kommune", "Arbejdsmarkedsudvalget", "2. september 2024"),
    VEJLE: ("Vejle Kommune", "Arbejdsmarkedsudvalget", "5. oktober 2023"),
    NAESTVED: ("Næstved Kommune", "Beskæftigelses- og Uddannelsesudvalget", "28. september 2021"),
}

SIZES = [(300, 150), (150, 75), (80, 40)]  # (max_words, min_words)

_cache: dict[str, Meeting] = {}


def meeting(name: str) -> Meeting:
    if name not in _cache:
        _cache[name] = parse_file(MINUTES / name)
    return _cache[name]


def words(text: str) -> int:
    return len(text.split())


def first_line(chunk: Chunk) -> str:
    return chunk.text.split("\n", 1)[0]


def by_item(chunks: list[Chunk]) -> dict[int, list[Chunk]]:
    grouped: dict[int, list[Chunk]] = {}
    for chunk in chunks:
        grouped.setdefault(chunk.item_number, []).append(chunk)
    return grouped


# --- header line ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_every_chunk_starts_with_the_meeting_and_item_header(name: str) -> None:
    municipality, committee, day = HEADERS[name]
    parsed = meeting(name)
    titles = {i.number: i for i in parsed.items}
    chunks = chunk_meeting(parsed)
    assert chunks
    for chunk in chunks:
        header = first_line(chunk)
        agenda_item = titles[chunk.item_number]
        parts = [municipality, committee, day, f"Punkt {agenda_item.number}: {agenda_item.title}"]
        if agenda_item.case_number:
            parts.append(agenda_item.case_number)
        positions = [header.find(part) for part in parts]
        assert all(p >= 0 for p in positions), (header, parts)
        assert positions == sorted(positions), header
        assert header.startswith(municipality)
        # The header is a line of its own: the body follows on the next line.
        assert chunk.text == f"{header}\n{chunk.body}"
        assert chunk.body.strip()


@pytest.mark.parametrize("name", FILES)
def test_header_is_identical_for_all_windows_of_an_item(name: str) -> None:
    for item_chunks in by_item(chunk_meeting(meeting(name), max_words=80, min_words=40)).values():
        assert len({first_line(c) for c in item_chunks}) == 1


def test_vejle_sak_items_are_headed_punkt() -> None:
    chunks = chunk_meeting(meeting(VEJLE))
    assert any("Punkt 78: Tema om udsathed" in first_line(c) for c in chunks)
    assert not any("Sak 78" in first_line(c) for c in chunks)


# --- window sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize(("max_words", "min_words"), SIZES)
@pytest.mark.parametrize("name", FILES)
def test_chunk_bodies_stay_near_max_words(name: str, max_words: int, min_words: int) -> None:
    chunks = chunk_meeting(meeting(name), max_words=max_words, min_words=min_words)
    for chunk in chunks:
        # Section labels ("Beslutning:", "Forventet sagsgang:") add a few words.
        assert words(chunk.body) <= max_words + 20, (chunk.id, words(chunk.body))


@pytest.mark.parametrize("name", FILES)
def test_long_items_are_split_into_substantial_windows(name: str) -> None:
    parsed = meeting(name)
    grouped = by_item(chunk_meeting(parsed))
    long_items = [
        i for i in parsed.items if not i.closed and sum(words(s.text) for s in i.sections) > 300
    ]
    for agenda_item in long_items:
        windows = grouped[agenda_item.number]
        assert len(windows) >= 2, agenda_item.number
        for chunk in windows:
            assert words(chunk.body) >= 40, (chunk.id, words(chunk.body))


@pytest.mark.parametrize(("max_words", "min_words"), SIZES)
def test_window_count_grows_as_windows_shrink(max_words: int, min_words: int) -> None:
    default = len(chunk_meeting(meeting(NAESTVED)))
    smaller = len(chunk_meeting(meeting(NAESTVED), max_words=max_words, min_words=min_words))
    assert smaller >= default
    if max_words < 300:
        assert smaller > default


def _label_free_words(chunks: list[Chunk], headings: set[str]) -> list[str]:
    labels = {f"{h}:" for h in headings}
    kept = [
        line for chunk in chunks for line in chunk.body.split("\n") if line.strip() not in labels
    ]
    return " ".join(kept).split()


@pytest.mark.parametrize(("max_words", "min_words"), SIZES)
@pytest.mark.parametrize("name", FILES)
def test_windows_cover_the_item_text_in_order(name: str, max_words: int, min_words: int) -> None:
    parsed = meeting(name)
    grouped = by_item(chunk_meeting(parsed, max_words=max_words, min_words=min_words))
    for agenda_item in parsed.items:
        if agenda_item.closed or not agenda_item.sections:
            continue
        windows = grouped[agenda_item.number]
        expected = " ".join(s.text for s in agenda_item.sections).split()
        got = _label_free_words(windows, {s.heading for s in agenda_item.sections})
        assert got == expected, agenda_item.number


def test_sections_are_labelled_inside_the_body() -> None:
    chunks = by_item(chunk_meeting(meeting(MARIAGERFJORD)))[1]
    assert len(chunks) == 1
    assert chunks[0].body.split("\n") == [
        "Forventet sagsgang:",
        "UAU.",
        "Indstilling:",
        "Direktøren for Børn, Uddannelse og Arbejdsmarked indstiller til Udvalget for "
        "Arbejdsmarked og Uddannelse:",
        "1. At dagsordenen godkendes.",
        "Beslutning:",
        "Godkendt.",
        "Fraværende: Per Kragelund (V)",
    ]
    assert chunks[0].sections == "Forventet sagsgang,Indstilling,Beslutning"


def test_item_without_text_is_findable_by_its_title() -> None:
    # Lejre item 6 prints only its title.
    chunks = by_item(chunk_meeting(meeting(LEJRE)))[6]
    assert len(chunks) == 1
    assert chunks[0].body == "JAI - Godkendelse af referat"
    assert chunks[0].sections == ""


# --- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_ids_unique_stable_and_derived_from_position(name: str) -> None:
    parsed = meeting(name)
    chunks = chunk_meeting(parsed)
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    # Chunking twice, or re-parsing the file, gives the same ids.
    assert [c.id for c in chunk_meeting(parsed)] == ids
    assert [c.id for c in chunk_meeting(parse_file(MINUTES / name))] == ids
    for chunk in chunks:
        assert chunk.meeting_id == parsed.meeting_id
        assert chunk.id.startswith(parsed.meeting_id)
        assert chunk.item_key == f"{parsed.meeting_id}:{chunk.item_number}"
    # Positions number each item's windows 0, 1, 2, ... in reading order.
    for item_chunks in by_item(chunks).values():
        assert [c.position for c in item_chunks] == list(range(len(item_chunks)))
    keys = {(c.meeting_id, c.item_number, c.position) for c in chunks}
    assert len(keys) == len(chunks)


def test_ids_depend_on_item_and_position_only() -> None:
    parsed = meeting(NAESTVED)
    small = {(c.item_number, c.position): c.id for c in chunk_meeting(parsed, max_words=80)}
    large = {(c.item_number, c.position): c.id for c in chunk_meeting(parsed)}
    for key in small.keys() & large.keys():
        assert small[key] == large[key]


def test_ids_survive_a_renamed_file(tmp_path: Path) -> None:
    copy = tmp_path / "renamed.txt"
    copy.write_bytes((MINUTES / AABENRAA).read_bytes())
    original = chunk_meeting(meeting(AABENRAA))
    renamed = chunk_meeting(parse_file(copy))
    assert [c.id for c in renamed] == [c.id for c in original]
    assert {c.source for c in renamed} == {"renamed.txt"}


def test_no_two_meetings_share_chunk_ids() -> None:
    seen: dict[str, str] = {}
    for name in FILES:
        for chunk in chunk_meeting(meeting(name)):
            assert chunk.id not in seen, (chunk.id, seen.get(chunk.id), name)
            seen[chunk.id] = name
    # Same municipality and committee, another date: still a different meeting.
    parsed = meeting(AABENRAA)
    later = dataclasses.replace(parsed, date=dt.date(2024, 10, 7))
    assert not {c.id for c in chunk_meeting(parsed)} & {c.id for c in chunk_meeting(later)}


# --- metadata ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_metadata_values_are_plain_str_int_or_bool(name: str) -> None:
    # Chroma metadata holds str, int, float and bool only; None is refused.
    parsed = meeting(name)
    for chunk in chunk_meeting(parsed, file_sha="abc123"):
        for field in dataclasses.fields(Chunk):
            value = getattr(chunk, field.name)
            assert value is not None, field.name
            assert type(value) in (str, int, bool), (field.name, type(value))
        assert chunk.municipality == HEADERS[name][0].removesuffix(" Kommune")
        assert chunk.committee == HEADERS[name][1]
        assert chunk.meeting_date == parsed.date.isoformat()
        assert chunk.source == name
        assert chunk.file_sha == "abc123"
        for heading in filter(None, chunk.sections.split(",")):
            assert f"{heading}:" in chunk.body.split("\n")


# --- closed items -----------------------------------------------------------------------------


def test_closed_item_is_a_title_only_record() -> None:
    raw = (MINUTES / MARIAGERFJORD).read_text(encoding="utf-8")
    assert "Punkt 7: Lukket: Underskriftsark" in raw  # the sample does have a closed item
    chunks = chunk_meeting(meeting(MARIAGERFJORD))
    assert {c.item_number for c in chunks} == {1, 2, 3, 4, 5, 6, 7}
    closed = [c for c in chunks if c.closed]
    assert [c.item_number for c in closed] == [7]
    assert closed[0].body == CLOSED_BODY
    assert closed[0].sections == "" and closed[0].decision_status == ""
    for chunk in chunks:
        if not chunk.closed:
            assert "Underskriftsark" not in chunk.text


def test_closed_item_content_never_reaches_a_chunk() -> None:
    text = """REFERAT Arbejdsmarkedsudvalget d. 04-01-2024

Mødedato Torsdag d. 04. januar 2024 kl. 10:00

Punkt 1: Godkendelse af dagsorden

Beslutning

Godkendt.

Punkt 2: Lukket: Personalesag vedrørende jobcenterchef

24/99999

Sagsfremstilling

FORTROLIGT INDHOLD om en navngiven medarbejders afskedigelse.

Beslutning

Indstillingen blev godkendt i det lukkede møde.

Punkt 3: Eventuelt

Beslutning

Intet.
"""
    parsed = parse_minutes(text, source="x.txt", municipality="Vejle")
    chunks = chunk_meeting(parsed, max_words=80, min_words=40)
    assert {c.item_number for c in chunks if not c.closed} == {1, 3}
    assert [c.body for c in chunks if c.closed] == [CLOSED_BODY]
    # The title and case number are printed in the public minutes; the content is not.
    for chunk in chunks:
        for secret in ("FORTROLIGT INDHOLD", "afskedigelse", "lukkede møde"):
            assert secret not in chunk.text


# --- content of Mariagerfjord item 2 ----------------------------------------------------------

# Printed under "Beslutning" for Mariagerfjord item 2.
ITEM_2_DECISION = ("Orienteringen blev taget til efterretning.", "Fraværende: Per Kragelund (V)")


@pytest.mark.parametrize(("max_words", "min_words"), SIZES)
def test_mariagerfjord_item_2_decision_and_figure_are_in_its_chunks(
    max_words: int, min_words: int
) -> None:
    parsed = meeting(MARIAGERFJORD)
    chunks = by_item(chunk_meeting(parsed, max_words=max_words, min_words=min_words))
    item_2 = chunks[2]
    assert len(item_2) >= 2  # a long item: the checks below span several windows
    for sentence in ITEM_2_DECISION:
        holders = [c for c in item_2 if sentence in c.text]
        assert holders, sentence
        # The decision sits under its own label, so the answerer knows it was decided.
        body = holders[0].body.split("\n")
        assert "Beslutning:" in body[: body.index(sentence)]
        assert "Beslutning" in holders[0].sections.split(",")
    assert any("1.609.500" in c.text for c in item_2)
    # ... and the figure is not attributed to another item.
    others = [c for n, cs in chunks.items() if n != 2 for c in cs]
    assert not any("1.609.500" in c.text for c in others)


def test_chunk_text_has_no_export_noise() -> None:
    for name in FILES:
        for chunk in chunk_meeting(meeting(name)):
            assert "**" not in chunk.text
            assert not re.search(r"^Å$", chunk.text, re.MULTILINE), chunk.id
            assert "\n\n" not in chunk.text


def test_decision_data_travels_with_every_chunk_of_its_item() -> None:
    naestved = chunk_meeting(meeting(NAESTVED), max_words=120, min_words=60)
    item_96 = [c for c in naestved if c.item_number == 96]
    assert len(item_96) > 1  # the data is on every window, not only the one with the decision
    for chunk in item_96:
        assert chunk.decision_status == "godkendt"
        assert chunk.dissent.startswith("Jette Leth Buhl kunne ikke støtte udvalgets beslutning")
        assert chunk.meeting_day == 20210928
    mariagerfjord = chunk_meeting(meeting(MARIAGERFJORD))
    item_2 = [c for c in mariagerfjord if c.item_number == 2]
    assert {c.absentees for c in item_2} == {"Per Kragelund (V)"}
    assert {c.decision_status for c in item_2} == {"taget til efterretning"}
    assert {c.case_key for c in item_2} == {"15.20.00-P20-1-23"}


def test_case_key_is_the_normalised_case_number() -> None:
    vejle_like = SYNTHETIC_WITH_CASE.replace("CASE", "23/005451")
    chunks = chunk_meeting(parse_minutes(vejle_like, source="x.txt", municipality="Vejle"))
    assert {c.case_number for c in chunks} == {"23/005451"}  # as printed, for display
    assert {c.case_key for c in chunks} == {"23-5451"}  # for lookup


SYNTHETIC_WITH_CASE = """REFERAT Arbejdsmarkedsudvalget d. 04-01-2024

Mødedato Torsdag d. 04. januar 2024 kl. 10:00

Punkt 1: Ressourceforløb

Sagsnr.: CASE

Sagsfremstilling

Udvalget orienteres om ressourceforløb.

Beslutning

Til efterretning.
"""
