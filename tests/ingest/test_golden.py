"""Golden per-item tests for the five sample minutes in eval/minutes.

Every expected value below was copied by hand from the printed text of the minutes
(eval/minutes/*.txt), never from the parser's output: a failure means the parser disagrees
with the document. Texts are compared whitespace-normalised (" ".join(text.split())).

The decision text is everything printed under an item's decision heading(s) ("Beslutning",
"Beslutning Arbejdsmarkedsudvalget den 02-09-2024", ...) up to the next heading, without the
heading line itself. That includes attendance lines printed there ("Fraværende: ...", "... var
fraværende under dette punkt.") and, in Næstved, the committee and date line that opens each
committee's decision block ("Beskæftigelses- og Uddannelsesudvalget, 28.09.2021"), as
tests/test_parse.py already treats it.
"""

from __future__ import annotations

from functools import cache

import pytest

from assistant.core.types import AgendaItem, Meeting
from assistant.ingest.parse import parse_file
from tests.conftest import SAMPLES

MF_ABSENT = ("Per Kragelund (V)",)  # Mariagerfjord: "Fraværende: Per Kragelund (V)"
VEJLE_ABSENT = ("Claus Behrendsen",)  # Vejle: "Claus Behrendsen var fraværende under dette punkt."
MF_NOTED = "Orienteringen blev taget til efterretning. Fraværende: Per Kragelund (V)"
NV = "Beskæftigelses- og Uddannelsesudvalget, 28.09.2021"  # Næstved's decision block opener

# municipality -> every agenda item in printed order, as
# (number, title, case number, decision text, absentees, decision status, dissent sentences)
GOLDEN: dict[str, tuple[tuple[int, str, str, str, tuple[str, ...], str, tuple[str, ...]], ...]] = {
    "Mariagerfjord": (
        (
            1,
            "Godkendelse af dagsorden",
            "85.02.02-G01-2-17",
            "Godkendt. Fraværende: Per Kragelund (V)",
            MF_ABSENT,
            "godkendt",
            (),
        ),
        (
            2,
            'Puljen "IPS for unge" - Tilsagn om midler',
            "15.20.00-P20-1-23",
            MF_NOTED,
            MF_ABSENT,
            "taget til efterretning",
            (),
        ),
        (
            3,
            "Handicapstrategi 2023 – udmøntning",
            "00.01.00-P22-2-23",
            MF_NOTED,
            MF_ABSENT,
            "taget til efterretning",
            (),
        ),
        (
            4,
            "Tværkommunal borgerundersøgelse på beskæftigelsesområdet",
            "15.00.00-A00-3-23",
            MF_NOTED,
            MF_ABSENT,
            "taget til efterretning",
            (),
        ),
        (5, "Orientering", "00.01.10-G01-4-14", MF_NOTED, MF_ABSENT, "taget til efterretning", ()),
        (
            6,
            "Eventuelt",
            "00.01.00-G01-101-22",
            "Intet at bemærke. Fraværende: Per Kragelund (V)",
            MF_ABSENT,
            "",
            (),
        ),
        (7, "Lukket: Underskriftsark", "00.22.00-P35-3-23", "", (), "", ()),
    ),
    "Lejre": (
        (1, "JAI - Godkendelse af dagsorden", "", "Godkendt", (), "godkendt", ()),
        (
            2,
            "JAI - Implementering af Beskæftigelsespolitik for Lejre kommune",
            "23-005451",
            "Taget til efterretning. Præsentationen på mødet vedlægges som bilag til referatet.",
            (),
            "taget til efterretning",
            (),
        ),
        (
            3,
            "JAI - Kvartalsbog september 2023",
            "23-003578",
            "Indstillingerne tiltrådt med den bemærkning, at det undersøges, om "
            "afslutningsårsager kan differentieres yderligere. "
            "Oplæg om sygedagpenge er vedlagt som bilag til referatet.",
            (),
            "godkendt",
            (),
        ),
        (
            4,
            "JAI - Orientering om status på området for Særlig Tilrettelagt Ungdomsuddannelse",
            "23-005652",
            "Taget til efterretning.",
            (),
            "taget til efterretning",
            (),
        ),
        (5, "JAI - Eventuelt", "", "Intet under dette punkt.", (), "", ()),
        (6, "JAI - Godkendelse af referat", "", "", (), "", ()),
    ),
    "Aabenraa": (
        (69, "Godkendelse af dagsorden", "21/37995", "Godkendt.", (), "godkendt", ()),
        (
            70,
            "Temadrøftelse om Fremtidens Beskæftigelsesindsats",
            "24/18490",
            "Drøftet.",
            (),
            "drøftet",
            (),
        ),
        (
            71,
            "Godkendelse af evaluering af udmøntning af indsats for udsatte unge",
            "23/7010",
            "Godkendt. Arbejdsmarkedsudvalget ønsker en opfølgning på projektet i 1. kvartal 2025.",
            (),
            "godkendt",
            (),
        ),
        (
            72,
            "Godkendelse af tids- og handleplan for CSR-mærke Aabenraa 2025",
            "24/21420",
            "Godkendt.",
            (),
            "godkendt",
            (),
        ),
        (
            73,
            "Godkendelse af Aabenraa Kommunes rådgivning og information om repatriering",
            "23/24934",
            "Godkendt.",
            (),
            "godkendt",
            (),
        ),
        (
            74,
            "Orientering om status på Velfærdsaftalen",
            "23/9455",
            "Taget til orientering.",
            (),
            "taget til efterretning",
            (),
        ),
        (
            75,
            "Orientering fra formanden og forvaltningen",
            "21/37995",
            "Taget til orientering.",
            (),
            "taget til efterretning",
            (),
        ),
        # Only a Sagsfremstilling ('... underskrive ved at trykke på "Godkend".'), no decision.
        (76, "Underskriftsside", "21/37995", "", (), "", ()),
    ),
    "Vejle": (
        (
            78,
            "Tema om udsathed",
            "15.00.00-G01-517-23",
            "Oplæg blev drøftet. Claus Behrends var fraværende under dette punkt.",
            ("Claus Behrends",),  # printed so here; "Claus Behrendsen" everywhere else
            "drøftet",
            (),
        ),
        (
            79,
            "Status på fokuseret integrationsindsats",
            "15.40.00-G01-19-23",
            "Taget til efterretning. Claus Behrendsen var fraværende under dette punkt.",
            VEJLE_ABSENT,
            "taget til efterretning",
            (),
        ),
        (
            80,
            "Budget 2024 og status på Ret til tidlig pension",
            "15.00.00-G01-1111-20",
            "Taget til efterretning. Claus Behrendsen var fraværende under dette punkt.",
            VEJLE_ABSENT,
            "taget til efterretning",
            (),
        ),
        (
            81,
            "1. behandling af Strategi for beskæftigelsesindsatsen i Vejle Kommune 2024-2027",
            "15.00.00-P22-1-23",
            "Arbejdsmarkedsudvalget sender Strategi for beskæftigelsesindsatsen i Vejle Kommune "
            "2024-2027 til høring i Vejle Kommunes Arbejdsmarkedsforum. "
            "Claus Behrendsen var fraværende under dette punkt.",
            VEJLE_ABSENT,
            # The committee sends the strategy on to another body (Arbejdsmarkedsforum).
            "oversendt",
            (),
        ),
        (
            82,
            "Deltagelse i aktiviteter",
            "81.14.00-G01-2-18",
            "Ingen punkter. Claus Behrendsen var fraværende under dette punkt.",
            VEJLE_ABSENT,
            "",
            (),
        ),
        (
            83,
            "Meddelelser",
            "00.22.04-A00-5-18",
            "Ingen punkter. Claus Behrendsen var fraværende under dette punkt.",
            VEJLE_ABSENT,
            "",
            (),
        ),
        (
            84,
            "Beslutningsprotokol til digital godkendelse af Arbejdsmarkedsudvalget",
            "00.22.04-P35-4-18",
            "Beslutningsprotokol godkendt. Claus Behrendsen var fraværende under dette punkt.",
            VEJLE_ABSENT,
            "godkendt",
            (),
        ),
    ),
    "Næstved": (
        (
            93,
            "Godkendelse af dagsorden",
            "00.22.00-P35-34-17",
            f"{NV} Godkendt.",
            (),
            "godkendt",
            (),
        ),
        (
            94,
            "Meddelelser fra formanden, medlemmer m.fl.",
            "00.22.00-P35-34-17",
            f"{NV} 1. Til efterretning. 2. Orientering om møde med vikarbureauet Anzet "
            "3. Orientering fra Jobmessen 4. Orientering fra møde med Bilka",
            (),
            "taget til efterretning",
            (),
        ),
        (
            95,
            "Drøftelse om fremtidens digitale beskæftigelsesindsats i Næstved Kommune",
            "15.00.10-A00-1-21",
            f"{NV} Drøftet. Udvalget ønsker at blive forelagt kommende muligheder for at indgå i "
            "udvikling af digitale selvbetjeningsløsninger som supplement til de allerede "
            "igangsatte initiativer i Næstved Kommunes jobcenter.",
            (),
            "drøftet",
            (),
        ),
        (
            96,
            "Beslutning om ansøgning til investeringspulje",
            "85.00.00-A00-4-17",
            f"{NV} Godkendt. Jette Leth Buhl kunne ikke støtte udvalgets beslutning, idet hun "
            "ønsker at udfordre rammen og den tværfaglige regnemodel, da vi har fat i den "
            "allervigtigste målgruppe.",
            (),
            "godkendt",
            (
                "Jette Leth Buhl kunne ikke støtte udvalgets beslutning, idet hun ønsker at "
                "udfordre rammen og den tværfaglige regnemodel, da vi har fat i den "
                "allervigtigste målgruppe.",
            ),
        ),
        (
            97,
            "Godkendelse af endelig dagsorden til møde med det Beskæftigelsespolitiske dialogforum",
            "15.00.00-G01-19-17",
            f"{NV} Godkendt.",
            (),
            "godkendt",
            (),
        ),
        (
            98,
            'Orientering om status på projekt "På vej til arbejde"',
            "85.00.00-A00-4-17",
            # Two committees' decisions in one block, in printed order.
            f"Omsorgs- og Forebyggelsesudvalget, 20.09.2021 Til efterretning. {NV} "
            "Til efterretning.",
            (),
            "taget til efterretning",
            (),
        ),
        # Only a Bilag ("Underskriftsark 28-9-2021"), no decision.
        (99, "Underskriftsark", "00.22.00-P35-34-17", "", (), "", ()),
    ),
}

# Closed items ("Lukket: ..."): title and case number only, never content.
CLOSED = {("Mariagerfjord", 7)}

CASES = [(sample, row) for sample, rows in GOLDEN.items() for row in rows]
IDS = [f"{sample}-{row[0]}" for sample, row in CASES]


def norm(text: str) -> str:
    return " ".join(text.split())


@cache
def meeting(sample: str) -> Meeting:
    return parse_file(SAMPLES[sample])


def item(sample: str, number: int) -> AgendaItem:
    matches = [i for i in meeting(sample).items if i.number == number]
    assert len(matches) == 1, f"{sample}: expected exactly one item {number}, got {len(matches)}"
    return matches[0]


def test_golden_covers_every_sample() -> None:
    assert set(GOLDEN) == set(SAMPLES)


@pytest.mark.parametrize("sample", list(GOLDEN))
def test_item_numbers(sample: str) -> None:
    assert [i.number for i in meeting(sample).items] == [row[0] for row in GOLDEN[sample]]


@pytest.mark.parametrize(("sample", "row"), CASES, ids=IDS)
def test_title(sample: str, row: tuple) -> None:
    number, title = row[0], row[1]
    assert item(sample, number).title == title


@pytest.mark.parametrize(("sample", "row"), CASES, ids=IDS)
def test_case_number(sample: str, row: tuple) -> None:
    number, case_number = row[0], row[2]
    assert item(sample, number).case_number == case_number


@pytest.mark.parametrize(("sample", "row"), CASES, ids=IDS)
def test_decision_text(sample: str, row: tuple) -> None:
    number, decision = row[0], row[3]
    assert norm(item(sample, number).decision) == norm(decision)


@pytest.mark.parametrize(("sample", "row"), CASES, ids=IDS)
def test_absentees(sample: str, row: tuple) -> None:
    number, absentees = row[0], row[4]
    assert item(sample, number).absentees == absentees


@pytest.mark.parametrize(("sample", "row"), CASES, ids=IDS)
def test_decision_status(sample: str, row: tuple) -> None:
    number, status = row[0], row[5]
    assert item(sample, number).decision_status == status


@pytest.mark.parametrize(("sample", "row"), CASES, ids=IDS)
def test_dissent(sample: str, row: tuple) -> None:
    number, dissent = row[0], row[6]
    assert tuple(norm(s) for s in item(sample, number).dissent) == tuple(norm(s) for s in dissent)


@pytest.mark.parametrize(("sample", "row"), CASES, ids=IDS)
def test_closed(sample: str, row: tuple) -> None:
    agenda_item = item(sample, row[0])
    if (sample, row[0]) in CLOSED:
        assert agenda_item.closed is True
        assert agenda_item.sections == ()
        assert agenda_item.decision == ""
    else:
        assert agenda_item.closed is False
