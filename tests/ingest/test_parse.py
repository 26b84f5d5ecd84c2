"""Golden tests for assistant.parse on the five sample minutes in eval/minutes.

Every expected value below was copied from the printed text of the minutes, not from the
parser's output, so a test failure means the parser disagrees with the document.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.core.errors import ParseError
from assistant.core.types import AgendaItem, Meeting
from assistant.ingest.parse import infer_municipality, parse_file, parse_minutes
from assistant.ingest.readers.extract import decode_text
from tests.conftest import AABENRAA, FILES, LEJRE, MARIAGERFJORD, NAESTVED, VEJLE
from tests.conftest import MINUTES_DIR as MINUTES

_cache: dict[str, Meeting] = {}


def meeting(name: str) -> Meeting:
    if name not in _cache:
        _cache[name] = parse_file(MINUTES / name)
    return _cache[name]


def item(name: str, number: int) -> AgendaItem:
    matches = [i for i in meeting(name).items if i.number == number]
    assert len(matches) == 1, f"{name}: expected exactly one item {number}, got {len(matches)}"
    return matches[0]


# --- meeting header ---------------------------------------------------------------------------

HEADERS = {
    # file: (municipality, committee, date, start time, location)
    MARIAGERFJORD: (
        "Mariagerfjord",
        "Udvalget for Arbejdsmarked og Uddannelse",
        dt.date(2024, 1, 4),
        "16:15",
        "Mødelokale 1, 1. sal, Korsgade 2, Hobro",
    ),
    LEJRE: (
        "Lejre",
        "Udvalget for Job, Arbejdsmarked og Integration",
        dt.date(2023, 9, 6),
        "16:30",
        "Mødelokale 2, Allerslev",
    ),
    AABENRAA: (
        "Aabenraa",
        "Arbejdsmarkedsudvalget",
        dt.date(2024, 9, 2),
        "14:30",
        "Loungen v/byrådssalen, Skelbækvej",
    ),
    VEJLE: (
        "Vejle",
        "Arbejdsmarkedsudvalget",
        dt.date(2023, 10, 5),
        "08:30",
        "Kvickly Bryggen, Søndertorv 2, 7100 Vejle",
    ),
    NAESTVED: (
        "Næstved",
        "Beskæftigelses- og Uddannelsesudvalget",
        dt.date(2021, 9, 28),
        "14:30",
        "Rådmandshaven 20, mødelokale 2",
    ),
}


@pytest.mark.parametrize("name", FILES)
def test_meeting_header(name: str) -> None:
    municipality, committee, date, start_time, location = HEADERS[name]
    parsed = meeting(name)
    assert parsed.municipality == municipality
    assert parsed.committee == committee
    assert parsed.date == date
    assert parsed.start_time == start_time
    assert parsed.location == location
    assert parsed.source == name


@pytest.mark.parametrize("name", FILES)
def test_infer_municipality_on_samples(name: str) -> None:
    assert infer_municipality(decode_text((MINUTES / name).read_bytes())) == HEADERS[name][0]


@pytest.mark.parametrize("name", FILES)
def test_table_of_contents_matches_items(name: str) -> None:
    # Every sample's Indholdsfortegnelse lists exactly the items printed in the body.
    assert meeting(name).warnings == ()


# --- items: numbers, titles, case numbers -----------------------------------------------------

ITEMS = {
    MARIAGERFJORD: [
        (1, "Godkendelse af dagsorden", "85.02.02-G01-2-17"),
        (2, 'Puljen "IPS for unge" - Tilsagn om midler', "15.20.00-P20-1-23"),
        (3, "Handicapstrategi 2023 – udmøntning", "00.01.00-P22-2-23"),
        (4, "Tværkommunal borgerundersøgelse på beskæftigelsesområdet", "15.00.00-A00-3-23"),
        (5, "Orientering", "00.01.10-G01-4-14"),
        (6, "Eventuelt", "00.01.00-G01-101-22"),
        (7, "Lukket: Underskriftsark", "00.22.00-P35-3-23"),
    ],
    LEJRE: [
        (1, "JAI - Godkendelse af dagsorden", ""),
        (2, "JAI - Implementering af Beskæftigelsespolitik for Lejre kommune", "23-005451"),
        (3, "JAI - Kvartalsbog september 2023", "23-003578"),
        (
            4,
            "JAI - Orientering om status på området for Særlig Tilrettelagt Ungdomsuddannelse",
            "23-005652",
        ),
        (5, "JAI - Eventuelt", ""),
        (6, "JAI - Godkendelse af referat", ""),
    ],
    AABENRAA: [
        (69, "Godkendelse af dagsorden", "21/37995"),
        (70, "Temadrøftelse om Fremtidens Beskæftigelsesindsats", "24/18490"),
        (71, "Godkendelse af evaluering af udmøntning af indsats for udsatte unge", "23/7010"),
        (72, "Godkendelse af tids- og handleplan for CSR-mærke Aabenraa 2025", "24/21420"),
        (
            73,
            "Godkendelse af Aabenraa Kommunes rådgivning og information om repatriering",
            "23/24934",
        ),
        (74, "Orientering om status på Velfærdsaftalen", "23/9455"),
        (75, "Orientering fra formanden og forvaltningen", "21/37995"),
        (76, "Underskriftsside", "21/37995"),
    ],
    VEJLE: [
        (78, "Tema om udsathed", "15.00.00-G01-517-23"),
        (79, "Status på fokuseret integrationsindsats", "15.40.00-G01-19-23"),
        (80, "Budget 2024 og status på Ret til tidlig pension", "15.00.00-G01-1111-20"),
        (
            81,
            "1. behandling af Strategi for beskæftigelsesindsatsen i Vejle Kommune 2024-2027",
            "15.00.00-P22-1-23",
        ),
        (82, "Deltagelse i aktiviteter", "81.14.00-G01-2-18"),
        (83, "Meddelelser", "00.22.04-A00-5-18"),
        (
            84,
            "Beslutningsprotokol til digital godkendelse af Arbejdsmarkedsudvalget",
            "00.22.04-P35-4-18",
        ),
    ],
    NAESTVED: [
        (93, "Godkendelse af dagsorden", "00.22.00-P35-34-17"),
        (94, "Meddelelser fra formanden, medlemmer m.fl.", "00.22.00-P35-34-17"),
        (
            95,
            "Drøftelse om fremtidens digitale beskæftigelsesindsats i Næstved Kommune",
            "15.00.10-A00-1-21",
        ),
        (96, "Beslutning om ansøgning til investeringspulje", "85.00.00-A00-4-17"),
        (
            97,
            "Godkendelse af endelig dagsorden til møde med det Beskæftigelsespolitiske dialogforum",
            "15.00.00-G01-19-17",
        ),
        (98, 'Orientering om status på projekt "På vej til arbejde"', "85.00.00-A00-4-17"),
        (99, "Underskriftsark", "00.22.00-P35-34-17"),
    ],
}


@pytest.mark.parametrize("name", FILES)
def test_item_numbers_and_titles(name: str) -> None:
    expected = [(number, title) for number, title, _ in ITEMS[name]]
    assert [(i.number, i.title) for i in meeting(name).items] == expected


@pytest.mark.parametrize("name", FILES)
def test_case_numbers(name: str) -> None:
    expected = [(number, case) for number, _, case in ITEMS[name]]
    assert [(i.number, i.case_number) for i in meeting(name).items] == expected


@pytest.mark.parametrize("name", FILES)
def test_case_number_is_not_left_in_the_item_text(name: str) -> None:
    for agenda_item in meeting(name).items:
        if not agenda_item.case_number:
            continue
        for section in agenda_item.sections:
            assert agenda_item.case_number not in section.text.split("\n"), (
                f"item {agenda_item.number}: case number also kept as text in {section.heading}"
            )


@pytest.mark.parametrize("name", FILES)
def test_only_mariagerfjord_item_7_is_closed(name: str) -> None:
    closed = [i.number for i in meeting(name).items if i.closed]
    assert closed == ([7] if name == MARIAGERFJORD else [])


def test_closed_item_keeps_title_and_case_but_no_content() -> None:
    closed = item(MARIAGERFJORD, 7)
    assert closed.closed
    assert closed.title == "Lukket: Underskriftsark"
    assert closed.case_number == "00.22.00-P35-3-23"
    assert closed.sections == ()
    assert closed.decision == ""
    assert closed.absentees == ()


# --- decisions --------------------------------------------------------------------------------

DECISIONS = [
    # (file, item, must contain, must not contain)
    (MARIAGERFJORD, 1, ["Godkendt."], ["At dagsordenen godkendes"]),
    (
        MARIAGERFJORD,
        2,
        ["Orienteringen blev taget til efterretning."],
        ["1.609.500", "I november 2023"],
    ),
    (MARIAGERFJORD, 6, ["Intet at bemærke."], ["UAU"]),
    (
        LEJRE,
        2,
        ["Taget til efterretning.", "Præsentationen på mødet vedlægges som bilag til referatet."],
        ["I forlængelse af Kommunalbestyrelsens vedtagelse"],
    ),
    (
        LEJRE,
        3,
        [
            "Indstillingerne tiltrådt med den bemærkning, at det undersøges, om "
            "afslutningsårsager kan differentieres yderligere.",
            "Oplæg om sygedagpenge er vedlagt som bilag til referatet.",
        ],
        ["I denne sag præsenteres status"],
    ),
    (LEJRE, 5, ["Intet under dette punkt."], []),
    (
        AABENRAA,
        71,
        ["Godkendt.", "Arbejdsmarkedsudvalget ønsker en opfølgning på projektet i 1. kvartal 2025"],
        ["Beslutning Arbejdsmarkedsudvalget den 02-09-2024", "IPS UNG Aabenraa status"],
    ),
    (AABENRAA, 70, ["Drøftet."], ["Sammenfatning Ekspertgruppe"]),
    (AABENRAA, 74, ["Taget til orientering."], ["Notat om evalueringsdesignet"]),
    (VEJLE, 78, ["Oplæg blev drøftet."], ["drøfter dagens oplæg"]),
    (
        VEJLE,
        81,
        [
            "Arbejdsmarkedsudvalget sender Strategi for beskæftigelsesindsatsen i Vejle Kommune "
            "2024-2027 til høring i Vejle Kommunes Arbejdsmarkedsforum."
        ],
        ["Bilag - Strategi"],
    ),
    (VEJLE, 84, ["Beslutningsprotokol godkendt."], ["Sagen skal alene behandles"]),
    (
        NAESTVED,
        95,
        [
            "Drøftet. Udvalget ønsker at blive forelagt kommende muligheder for at indgå i "
            "udvikling af digitale selvbetjeningsløsninger"
        ],
        ["Erfaringerne med digitale samtaler"],
    ),
    (
        NAESTVED,
        96,
        ["Godkendt.", "Jette Leth Buhl kunne ikke støtte udvalgets beslutning"],
        ["Administrationen har udarbejdet forslag", "Administrationen indstiller"],
    ),
    (
        NAESTVED,
        98,
        [
            "Omsorgs- og Forebyggelsesudvalget, 20.09.2021",
            "Beskæftigelses- og Uddannelsesudvalget, 28.09.2021",
            "Til efterretning.",
        ],
        ["Baggrunden for projektet", "Administrationen indstiller"],
    ),
]


@pytest.mark.parametrize(
    ("name", "number", "present", "absent"),
    DECISIONS,
    ids=[f"{name[:3]}-{number}" for name, number, _, _ in DECISIONS],
)
def test_decision_text(name: str, number: int, present: list[str], absent: list[str]) -> None:
    decision = item(name, number).decision
    for text in present:
        assert text in decision
    for text in absent:
        assert text not in decision


def test_aabenraa_decision_heading_is_not_part_of_the_text() -> None:
    assert item(AABENRAA, 69).decision == "Godkendt."


def test_naestved_item_98_keeps_both_committees_decisions() -> None:
    decision = item(NAESTVED, 98).decision
    assert decision.count("Til efterretning.") == 2
    assert decision.index("Omsorgs- og Forebyggelsesudvalget") < decision.index(
        "Beskæftigelses- og Uddannelsesudvalget"
    )


@pytest.mark.parametrize(("name", "number"), [(LEJRE, 6), (AABENRAA, 76), (NAESTVED, 99)])
def test_items_without_printed_decision_have_none(name: str, number: int) -> None:
    assert item(name, number).decision == ""


# --- attendance -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6])
def test_mariagerfjord_item_absentees(number: int) -> None:
    assert item(MARIAGERFJORD, number).absentees == ("Per Kragelund (V)",)


def test_mariagerfjord_meeting_absentees() -> None:
    assert meeting(MARIAGERFJORD).absentees == ("Per Kragelund (V)",)


def test_vejle_item_absentees_as_printed() -> None:
    assert item(VEJLE, 78).absentees == ("Claus Behrends",)
    for number in range(79, 85):
        assert item(VEJLE, number).absentees == ("Claus Behrendsen",), number


@pytest.mark.parametrize("name", [LEJRE, AABENRAA, NAESTVED])
def test_no_absentees_where_none_are_printed(name: str) -> None:
    parsed = meeting(name)
    assert parsed.absentees == ()
    assert all(i.absentees == () for i in parsed.items)


def test_dissent_is_not_absence() -> None:
    # "Jette Leth Buhl kunne ikke støtte ..." records a vote, not an absence.
    assert item(NAESTVED, 96).absentees == ()


@pytest.mark.parametrize(
    ("name", "participants"),
    [
        (
            LEJRE,
            (
                "Ole Blickfeldt",
                "Connie B. Jensen",
                "Klaus Kristiansen",
                "Bjørn Lykke Sørensen",
                "Peter Olsen",
                "Claus Jørgensen",
            ),
        ),
        (
            AABENRAA,
            (
                "Dorrit Knudsen",
                "Hans-Christian Gjerlevsen",
                "Egon Madsen",
                "Kjeld Hansen",
                "Eivind Underbjerg Hansen",
                "Claus Bruun Jørgensen",
                "Susanne Provstgaard",
            ),
        ),
        (MARIAGERFJORD, ()),
        (VEJLE, ()),
        (NAESTVED, ()),
    ],
)
def test_participants_as_printed(name: str, participants: tuple[str, ...]) -> None:
    assert meeting(name).participants == participants


# --- sections ---------------------------------------------------------------------------------


def test_mariagerfjord_item_2_sections() -> None:
    agenda_item = item(MARIAGERFJORD, 2)
    assert [s.heading for s in agenda_item.sections] == [
        "Forventet sagsgang",
        "Anledning",
        "Indstilling",
        "Sagsfremstilling",
        "Økonomi",
        "Beslutning",
    ]
    assert agenda_item.section("Forventet sagsgang") == "UAU."
    assert agenda_item.section("Anledning").startswith("I november 2023 ansøgte kommunerne")
    assert "1. At orienteringen tages til efterretning." in agenda_item.section("Indstilling")
    economy = agenda_item.section("Økonomi")
    assert "ca. 1.609.500 kr." in economy
    assert "640.000 kr." in economy
    # Sub-headings inside the Sagsfremstilling stay text, not sections of their own.
    case_text = agenda_item.section("Sagsfremstilling")
    for subheading in ("Tværkommunalt IPS-team", "Målgrupper", "Projektorganisering"):
        assert subheading in case_text.split("\n")
    assert "- Jobsøgning starter hurtigt" in case_text
    assert "1.609.500" not in case_text


def test_unheaded_recommendation_opens_indstilling() -> None:
    # Mariagerfjord item 5 prints the recommendation without an "Indstilling" heading.
    agenda_item = item(MARIAGERFJORD, 5)
    assert agenda_item.section("Forventet sagsgang") == "UAU."
    recommendation = agenda_item.section("Indstilling")
    assert recommendation.startswith("Direktøren for Børn, Arbejdsmarked og Uddannelse indstiller")
    assert "At orienteringspunkterne tages til efterretning." in recommendation
    assert agenda_item.section("Sagsfremstilling") == "Årsrulleplanen"


@pytest.mark.parametrize("number", [78, 79, 80, 81])
def test_vejle_recommendation_heading(number: int) -> None:
    agenda_item = item(VEJLE, number)
    recommendation = agenda_item.section("Indstilling")
    assert recommendation.startswith("Økonomi- og arbejdsmarkedsdirektøren indstiller")
    # "Økonomi- og ..." opens the recommendation, not an economy section.
    assert agenda_item.section("Økonomi") == ""
    assert agenda_item.section("Klima") == "Ingen bemærkninger."


def test_vejle_item_78_recommendation_without_html_residue() -> None:
    recommendation = item(VEJLE, 78).section("Indstilling")
    assert "Arbejdsmarkedsudvalget drøfter dagens oplæg." in recommendation
    assert "/>" not in recommendation


def test_aabenraa_stray_letter_lines_are_dropped() -> None:
    raw = decode_text((MINUTES / AABENRAA).read_bytes())
    raw_lines = [line.strip() for line in raw.splitlines()]
    assert raw_lines.count("Å") >= 5  # the sample really has them
    for agenda_item in meeting(AABENRAA).items:
        for section in agenda_item.sections:
            assert "Å" not in [line.strip() for line in section.text.split("\n")], (
                agenda_item.number,
                section.heading,
            )
    text = item(AABENRAA, 70).section("Sagsfremstilling")
    assert text.startswith("På sidste udvalgsmøde blev Arbejdsmarkedsudvalget orienteret")
    assert "Vibeke Jensen, ekspertmedlem" in text


def test_aabenraa_sections() -> None:
    agenda_item = item(AABENRAA, 70)
    assert [s.heading for s in agenda_item.sections][:2] == ["Sagsfremstilling", "Økonomi"]
    assert "30 mio. kr. i Aabenraa Kommune" in agenda_item.section("Økonomi")
    assert agenda_item.section("Indstilling").startswith("Jobcenter og Borgerservice indstiller,")


def test_lejre_decision_printed_before_case_text() -> None:
    agenda_item = item(LEJRE, 2)
    assert agenda_item.sections[0].heading == "Beslutning"
    assert "Resumé" not in agenda_item.decision
    assert agenda_item.section("Indstilling").startswith("Direktionen indstiller:")
    # The markdown emphasis of the export ("**afsluttet**") is not kept.
    assert "**" not in item(LEJRE, 3).section("Sagsfremstilling")
    assert "der afsluttet 61 ressourceforløb" in item(LEJRE, 3).section("Sagsfremstilling")


def test_section_text_has_no_heading_lines() -> None:
    for name in FILES:
        for agenda_item in meeting(name).items:
            for section in agenda_item.sections:
                assert section.text == section.text.strip()
                assert section.text, (name, agenda_item.number, section.heading)
                assert section.text.split("\n")[0] != section.heading


# --- synthetic robustness ---------------------------------------------------------------------

SYNTHETIC = """REFERAT Børne- og Ældreudvalget d. 04-01-2024

Mødedato Torsdag d. 04. januar 2024 kl. 10:00

Mødested Rådhuset, Vejle

Punkt 1: Godkendelse af årsrapport for ældreområdet

24/12345

Sagsfremstilling

Ældrerådet har gennemgået rapporten om sårbare borgere i Vejle Kommune.

Vejle Kommune samarbejder med Horsens Kommune om opgaven.

Beslutning

Godkendt på mødet.
"""


def test_municipality_override() -> None:
    assert parse_minutes(SYNTHETIC, source="x.txt").municipality == "Vejle"
    parsed = parse_minutes(SYNTHETIC, source="x.txt", municipality="Odense")
    assert parsed.municipality == "Odense"
    assert parsed.source == "x.txt"


def test_parse_file_municipality_override(tmp_path: Path) -> None:
    path = tmp_path / "minutes.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    assert parse_file(path, municipality="Odense").municipality == "Odense"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_parse_file_decodes_danish_letters(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "minutes.txt"
    path.write_bytes(SYNTHETIC.encode(encoding))
    if encoding == "cp1252":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")  # the test really exercises the fallback
    parsed = parse_file(path)
    assert parsed.source == "minutes.txt"
    assert parsed.committee == "Børne- og Ældreudvalget"
    assert parsed.location == "Rådhuset, Vejle"
    assert parsed.date == dt.date(2024, 1, 4)
    (agenda_item,) = parsed.items
    assert agenda_item.title == "Godkendelse af årsrapport for ældreområdet"
    assert agenda_item.case_number == "24/12345"
    assert agenda_item.section("Sagsfremstilling").startswith(
        "Ældrerådet har gennemgået rapporten om sårbare borgere"
    )
    assert agenda_item.decision == "Godkendt på mødet."
    everything = "\n".join(
        [parsed.committee, parsed.location, agenda_item.title]
        + [s.text for s in agenda_item.sections]
    )
    assert "\ufffd" not in everything
    assert "\ufeff" not in everything


@pytest.mark.parametrize("content", [b"", b"   \n\n  \r\n"])
def test_empty_file_raises_parse_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tom.txt"
    path.write_bytes(content)
    with pytest.raises(ParseError) as excinfo:
        parse_file(path)
    assert excinfo.value.reason.strip()
    assert excinfo.value.path.name == "tom.txt"
    assert "tom.txt" in str(excinfo.value)


def test_text_without_agenda_items_raises_parse_error() -> None:
    text = (
        "REFERAT Arbejdsmarkedsudvalget d. 04-01-2024\n\n"
        "Mødedato Torsdag d. 04. januar 2024 kl. 10:00\n\n"
        "Dette er et nyhedsbrev fra Vejle Kommune uden dagsordenspunkter.\n"
    )
    with pytest.raises(ParseError) as excinfo:
        parse_minutes(text, source="nyhedsbrev.txt")
    assert excinfo.value.reason.strip()
    assert "nyhedsbrev.txt" in str(excinfo.value)
    with pytest.raises(ParseError) as empty:
        parse_minutes("", source="nyhedsbrev.txt")
    assert empty.value.reason != excinfo.value.reason  # each failure says what is wrong


def test_page_lines_are_dropped() -> None:
    text = SYNTHETIC.replace(
        "Vejle Kommune samarbejder",
        "Side 3 af 14\n\nSe side 3 af 14 i bilaget for detaljer.\n\nVejle Kommune samarbejder",
    ).replace("Beslutning\n", "Side 4 af 14\n\nBeslutning\n")
    (agenda_item,) = parse_minutes(text, source="x.txt").items
    all_lines = [line for s in agenda_item.sections for line in s.text.split("\n")]
    assert "Side 3 af 14" not in all_lines
    assert "Side 4 af 14" not in all_lines
    # A sentence that mentions a page is content, not a page line.
    assert "Se side 3 af 14 i bilaget for detaljer." in all_lines
    assert agenda_item.decision == "Godkendt på mødet."
    assert "Vejle Kommune samarbejder med Horsens Kommune" in agenda_item.section(
        "Sagsfremstilling"
    )


def test_date_label_and_value_on_separate_lines() -> None:
    text = (
        "REFERAT Arbejdsmarkedsudvalget\n\n"
        "Dagsorden udsendt 28. december 2023\n\n"
        "Mødedato:\n"
        "4. januar 2024 kl. 10.00\n\n"
        "Mødested:\n"
        "Rådhuset, lokale 2\n\n"
        "Punkt 1: Godkendelse af dagsorden\n\n"
        "Beslutning\n\n"
        "Godkendt.\n"
    )
    parsed = parse_minutes(text, source="x.txt", municipality="Vejle")
    assert parsed.date == dt.date(2024, 1, 4)
    assert parsed.start_time == "10:00"
    assert parsed.location == "Rådhuset, lokale 2"
    assert parsed.committee == "Arbejdsmarkedsudvalget"
    assert [(i.number, i.title, i.decision) for i in parsed.items] == [
        (1, "Godkendelse af dagsorden", "Godkendt.")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Samarbejde med Horsens Kommune og Fredericia Kommune om en fælles indsats.\n"
            "Vejle Kommune står for sekretariatet.\n"
            "Vejle Kommune har bevilget midlerne, og Vejle Kommune følger op.\n"
            "Hedensted Kommune deltager også.\n",
            "Vejle",
        ),
        (
            "Sønderborg Kommune og Haderslev Kommune er nabokommuner.\n"
            "Tønder Kommune deltager i netværket.\n"
            "Aabenraa Kommune har ansvaret. Aabenraa Kommune betaler.\n",
            "Aabenraa",
        ),
    ],
)
def test_infer_municipality_picks_the_most_named(text: str, expected: str) -> None:
    assert infer_municipality(text) == expected


def test_infer_municipality_without_any_municipality() -> None:
    text = "Referat af mødet i bestyrelsen.\nGodkendt uden bemærkninger."
    assert infer_municipality(text) is None


def test_infer_municipality_ignores_sentence_initial_words_before_kommune() -> None:
    text = "Referat af mødet.\nHver kommune skal udarbejde en beskæftigelsesplan.\n"
    assert infer_municipality(text) is None


def test_toc_mismatch_gives_warning() -> None:
    text = SYNTHETIC.replace(
        "Punkt 1:",
        "Indholdsfortegnelse\n\n"
        "Godkendelse af årsrapport for ældreområdet.....\t3\n"
        "Budgetopfølgning.....\t5\n\n"
        "Punkt 1:",
    )
    warnings = parse_minutes(text, source="x.txt").warnings
    assert warnings
    assert any("Budgetopfølgning" in w for w in warnings)
    assert not any("årsrapport" in w for w in warnings)


# --- regressions: text that looks like a heading or an absence but is not -----------------------

ABSENCE_IN_CASE_TEXT = """REFERAT Arbejdsmarkedsudvalget d. 04-01-2024

Mødedato Torsdag d. 04. januar 2024 kl. 10:00

Punkt 1: Sygedagpenge

Sagsfremstilling

Unge, der er fraværende fra undervisningen, indkaldes til en samtale.

Borgeren deltog ikke i mødet med jobcentret og blev sanktioneret.

Beslutning

Godkendt.

Anne Hansen (A) var fraværende.
"""


def test_absence_sentences_in_case_text_are_not_absentees() -> None:
    parsed = parse_minutes(ABSENCE_IN_CASE_TEXT, source="x.txt", municipality="Vejle")
    assert parsed.items[0].absentees == ("Anne Hansen (A)",)


def test_sentence_starting_with_punkt_is_not_an_item_heading() -> None:
    text = ABSENCE_IN_CASE_TEXT.replace(
        "Punkt 1: Sygedagpenge",
        "Punkt 1: Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n\n"
        "Punkt 3 blev behandlet før punkt 2.\n\nPunkt 2: Sygedagpenge",
    )
    parsed = parse_minutes(text, source="x.txt", municipality="Vejle")
    assert [(i.number, i.title) for i in parsed.items] == [
        (1, "Godkendelse af dagsorden"),
        (2, "Sygedagpenge"),
    ]
    assert "Punkt 3 blev behandlet før punkt 2." in parsed.items[0].decision
