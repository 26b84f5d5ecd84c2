"""The synthetic benchmark corpus: it parses back to what was generated, is deterministic, is
spread like a real archive, and never gives the real sample answers a synthetic twin."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

from assistant.danish.case_numbers import normalise_case_number
from assistant.evaluation.synthetic import (
    MIRRORS,
    NEVER_DRAWN,
    SAMPLE_PEOPLE,
    SyntheticMeeting,
    build_corpus,
    generate_corpus,
)
from assistant.ingest.parse import parse_file
from tests.conftest import MINUTES_DIR, SAMPLES


@cache
def corpus(meetings: int, with_samples: bool = True) -> tuple[SyntheticMeeting, ...]:
    return tuple(build_corpus(meetings, samples_dir=MINUTES_DIR if with_samples else None))


def test_generated_files_parse_back_to_what_was_generated(tmp_path: Path) -> None:
    # 12 meetings of each of the five layouts, so every export style meets the real parser.
    by_layout: dict[str, list[SyntheticMeeting]] = defaultdict(list)
    for meeting in corpus(300):
        if len(by_layout[meeting.layout]) < 12:
            by_layout[meeting.layout].append(meeting)
    chosen = [m for group in by_layout.values() for m in group]
    assert len(by_layout) == 5 and len(chosen) == 60
    for expected in chosen:
        path = tmp_path / expected.filename
        path.write_text(expected.text, encoding="utf-8")
        parsed = parse_file(path)
        where = expected.filename
        assert parsed.warnings == (), where
        assert parsed.municipality == expected.municipality, where
        assert parsed.committee == expected.committee, where
        assert parsed.date == expected.date, where
        assert parsed.start_time == expected.start_time, where
        got = [
            (i.number, i.title, i.case_number, i.decision_status, i.absentees, i.dissent, i.closed)
            for i in parsed.items
        ]
        want = [
            (i.number, i.title, i.case_number, i.status, i.absentees, i.dissent, i.closed)
            for i in expected.items
        ]
        assert got == want, where


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    first = generate_corpus(tmp_path / "a", 40, seed=3, samples_dir=MINUTES_DIR)
    second = generate_corpus(tmp_path / "b", 40, seed=3, samples_dir=MINUTES_DIR)
    other = generate_corpus(tmp_path / "c", 40, seed=4, samples_dir=MINUTES_DIR)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert len({p.name for p in first}) == 40
    assert all(re.fullmatch(r"syn_\d{5}_[a-z0-9-]+\.txt", p.name) for p in first)
    # What generate_corpus writes is what build_corpus describes.
    described = build_corpus(40, seed=3, samples_dir=MINUTES_DIR)
    assert [m.text for m in described] == [p.read_text(encoding="utf-8") for p in first]


def test_corpus_is_spread_like_an_archive() -> None:
    meetings = corpus(200)
    assert len({m.municipality for m in meetings}) >= 40
    assert len({m.committee for m in meetings}) >= 10
    assert {m.date.year for m in meetings} == set(range(2019, 2026))
    assert all(m.date.weekday() < 4 and m.date.month != 7 for m in meetings)
    assert all(5 <= len(m.items) <= 9 for m in meetings)
    assert len({(m.municipality, m.committee, m.date) for m in meetings}) == 200
    items = [i for m in meetings for i in m.items]
    statuses = Counter(i.status for i in items)
    assert {"godkendt", "taget til efterretning", "drøftet", "anbefalet", "udsat"} <= set(statuses)
    assert any(i.dissent for i in items) and any(i.absentees for i in items)
    assert any(i.closed for i in items)
    # Every meeting opens with its agenda: the archetypal duplicate title.
    assert all(m.items[0].title.endswith("Godkendelse af dagsorden") for m in meetings)
    # Case items are 80-220 words, so most are one 150-300 word chunk.
    case_words = [i.words for i in items if i.topic]
    assert sum(80 <= w <= 220 for w in case_words) >= 0.95 * len(case_words)
    # Items are not copies of each other: few case-item texts repeat.
    bodies = [block for m in meetings for block in m.text.split("\n\nPunkt ")[1:]]
    assert len(set(bodies)) >= 0.9 * len(bodies)


def test_item_numbers_run_on_through_a_committees_year() -> None:
    groups: dict[tuple[str, str, int], list[SyntheticMeeting]] = defaultdict(list)
    for meeting in corpus(1000):
        groups[(meeting.municipality, meeting.committee, meeting.date.year)].append(meeting)
    running = 0
    for meetings in groups.values():
        meetings.sort(key=lambda m: m.date)
        for meeting in meetings:
            numbers = [i.number for i in meeting.items]
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        firsts = [m.items[0].number for m in meetings]
        if set(firsts) != {1}:  # systems that number per meeting start at 1 every time
            lasts = [m.items[-1].number for m in meetings]
            assert all(f > last for f, last in zip(firsts[1:], lasts, strict=False))
            running += len(meetings) > 1
    assert running >= 5


# (municipality, pattern): facts the evaluation questions ask about, stated in the sample files.
SAMPLE_FACTS = (
    ("Mariagerfjord", r"1\.609\.500"),
    ("Mariagerfjord", r"640\.000"),
    ("Mariagerfjord", r"\b800 borgere"),
    ("Mariagerfjord", r"\b149 telefoninterviews"),
    ("Lejre", r"\b149 fordrevne"),
    ("Lejre", r"afsluttet 61 ressourceforløb"),
    ("Vejle", r"950\.000"),
    ("Vejle", r"\b63 aktive sager"),
    ("Aabenraa", r"\b30 mio\. kr\."),
)


def test_near_duplicates_never_repeat_the_real_answers() -> None:
    meetings = corpus(1000)
    sample_keys = {(m.municipality, m.date) for m in map(parse_file, SAMPLES.values())}
    sample_cases = {
        normalise_case_number(i.case_number)
        for m in map(parse_file, SAMPLES.values())
        for i in m.items
        if i.case_number
    }
    for meeting in meetings:
        for municipality, fact in SAMPLE_FACTS:
            if meeting.municipality == municipality:
                assert not re.search(fact, meeting.text), (meeting.filename, fact)
        assert not any(amount in meeting.text for amount in NEVER_DRAWN), meeting.filename
        assert not any(person in meeting.text for person in SAMPLE_PEOPLE), meeting.filename
        assert (meeting.municipality, meeting.date) not in sample_keys
        assert not {normalise_case_number(i.case_number) for i in meeting.items} & sample_cases
    # The mirrored topics do recur elsewhere: the near-duplicates the benchmark is about.
    items = [(m, i) for m in meetings for i in m.items]
    mirrored = Counter(i.topic for _, i in items if i.mirror)
    assert set(mirrored) == {t.key for t in MIRRORS}
    assert 0.12 <= sum(mirrored.values()) / len(items) <= 0.18
    avoid = {t.key: t.avoid for t in MIRRORS}
    assert all(m.municipality != avoid[i.topic] for m, i in items if i.mirror)
    ips = [m for m, i in items if i.title.endswith('Puljen "IPS for unge" - Tilsagn om midler')]
    assert len({m.municipality for m in ips}) >= 20
    granted = {a for m in ips for a in re.findall(r"tilsagn om ca\. ([\d.]+) kr\.", m.text)}
    assert len(granted) >= 10  # other municipalities, other amounts


def test_without_samples_there_are_no_mirrors() -> None:
    meetings = corpus(200, with_samples=False)
    assert not any(i.mirror for m in meetings for i in m.items)
    assert len({m.municipality for m in meetings}) >= 40
