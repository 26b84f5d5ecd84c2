"""PDF, HTML and text encodings give the same meetings as the sample text; layouts beyond the
samples (numbered lists, committee codes, Markdown, closed-item wordings) parse to the model.

PDFs and pages are built here from the samples (tests/render.py), as portals publish them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.core.errors import ParseError
from assistant.core.types import Meeting
from assistant.danish.case_numbers import case_numbers_in, is_case_number, normalise_case_number
from assistant.ingest.decisions import decision_status
from assistant.ingest.parse import item_headings, parse_file, parse_minutes
from assistant.ingest.pipeline import find_minutes_files
from assistant.ingest.readers.extract import extract_text
from tests.conftest import SAMPLES
from tests.render import portal_page, scanned_pdf, table_page, text_to_pdf

NAMES = list(SAMPLES)


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_same_meeting(expected: Meeting, parsed: Meeting) -> None:
    assert (parsed.municipality, parsed.committee, parsed.date) == (
        expected.municipality,
        expected.committee,
        expected.date,
    )
    assert (parsed.start_time, parsed.location) == (expected.start_time, expected.location)
    assert [(i.number, i.title, i.case_number, i.closed) for i in parsed.items] == [
        (i.number, i.title, i.case_number, i.closed) for i in expected.items
    ]
    for want, got in zip(expected.items, parsed.items, strict=True):
        label = f"punkt {want.number}"
        assert [s.heading for s in got.sections] == [s.heading for s in want.sections], label
        for want_section, got_section in zip(want.sections, got.sections, strict=True):
            assert flat(got_section.text) == flat(want_section.text), (label, want_section)
        assert flat(got.decision) == flat(want.decision), label
        assert got.decision_status == want.decision_status, label
        assert got.absentees == want.absentees, label
        assert [flat(s) for s in got.dissent] == [flat(s) for s in want.dissent], label


_from_text: dict[str, Meeting] = {}


def from_text(name: str) -> Meeting:
    if name not in _from_text:
        _from_text[name] = parse_file(SAMPLES[name])
    return _from_text[name]


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    for name, path in SAMPLES.items():
        meeting = from_text(name)
        running = f"{meeting.committee} · Referat · {meeting.date:%d-%m-%Y}"
        text_to_pdf(path.read_text(encoding="utf-8"), folder / f"{path.stem}.pdf", running)
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_pdf_gives_the_same_meeting_as_the_text(name: str, pdf_dir: Path) -> None:
    parsed = parse_file(pdf_dir / f"{SAMPLES[name].stem}.pdf")
    assert_same_meeting(from_text(name), parsed)
    assert parsed.warnings == ()  # the table of contents still matches the items


@pytest.mark.parametrize("name", NAMES)
def test_pdf_page_headers_and_footers_stay_out_of_the_items(name: str, pdf_dir: Path) -> None:
    parsed = parse_file(pdf_dir / f"{SAMPLES[name].stem}.pdf")
    text = "\n".join(s.text for item in parsed.items for s in item.sections)
    assert re.search(r"Side \d+ af \d+", text) is None
    assert "· Referat ·" not in text


def test_pdf_without_text_layer_is_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="intet tekstlag"):
        parse_file(scanned_pdf(tmp_path / "scan.pdf"))


def test_truncated_pdf_is_refused(tmp_path: Path, pdf_dir: Path) -> None:
    whole = (pdf_dir / f"{SAMPLES['Vejle'].stem}.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ParseError, match="afkortet"):
        parse_file(cut)


def test_a_file_named_pdf_that_is_not_one_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "referat.pdf"
    fake.write_text("Dette er ikke en PDF", encoding="utf-8")
    with pytest.raises(ParseError, match="ikke en PDF"):
        parse_file(fake)


# --- HTML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_portal_page_gives_the_same_meeting(name: str, tmp_path: Path) -> None:
    page = tmp_path / "referat.html"
    page.write_text(portal_page(from_text(name)), encoding="utf-8")
    parsed = parse_file(page)
    assert_same_meeting(from_text(name), parsed)
    everything = "\n".join(s.text for item in parsed.items for s in item.sections)
    for site_chrome in ("cookies", "Forside", "Tlf. 12 34 56 78", "tracking"):
        assert site_chrome not in everything


@pytest.mark.parametrize("name", NAMES)
def test_table_page_in_windows_1252_gives_the_same_meeting(name: str, tmp_path: Path) -> None:
    page = tmp_path / "referat.htm"
    page.write_bytes(table_page(from_text(name)).encode("cp1252"))
    parsed = parse_file(page)
    assert_same_meeting(from_text(name), parsed)
    last = parsed.items[-1]
    assert "Udskrevet fra" not in "\n".join(s.text for s in last.sections)


def test_html_page_without_text_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "tom.html"
    page.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(ParseError):
        parse_file(page)


# --- text encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_text_encodings_keep_danish_letters(encoding: str, tmp_path: Path) -> None:
    text = SAMPLES["Næstved"].read_text(encoding="utf-8")
    # latin-1 has no en dash or curly quotes; the letters æ, ø, å are what must survive.
    text = text.replace("–", "-").replace("“", '"').replace("”", '"').replace("…", "...")
    path = tmp_path / "referat.txt"
    path.write_bytes(text.encode(encoding))
    parsed = parse_file(path)
    assert parsed.committee == "Beskæftigelses- og Uddannelsesudvalget"
    assert parsed.municipality == "Næstved"
    assert parsed.items[2].title == (
        "Drøftelse om fremtidens digitale beskæftigelsesindsats i Næstved Kommune"
    )


# --- layouts beyond the samples -----------------------------------------------------------------


def test_numbered_list_headings(tmp_path: Path) -> None:
    """'71. Title' instead of 'Punkt 71:'; the numbered lists inside items stay text."""
    text = SAMPLES["Aabenraa"].read_text(encoding="utf-8")
    numbered = parse_minutes(re.sub(r"(?m)^Punkt (\d+): ", r"\1. ", text), source="a.txt")
    assert_same_meeting(from_text("Aabenraa"), numbered)
    item_70 = next(i for i in numbered.items if i.number == 70)
    assert "1. Fælles mødegrupper og sætregler" in item_70.section("Sagsfremstilling")


def test_numbered_headings_without_table_of_contents_need_a_case_or_section() -> None:
    text = """Referat
Økonomiudvalget
Mødedato: 4. juni 2020, kl. 15.00-17.30

1. Godkendelse af dagsorden
Sagsnr.: 20/1234
Beslutning
Godkendt.

2. Budget 2021
Sagsnr.: 20/2345
Sagsfremstilling
Der er tre spor:
1. Besparelser på administration
2. Nye indtægter
3. Anlæg udskydes
Beslutning i Økonomiudvalget den 04-06-2020
Anbefales godkendt.
"""
    parsed = parse_minutes(text, source="x.txt", municipality="Lejre")
    assert [(i.number, i.title) for i in parsed.items] == [
        (1, "Godkendelse af dagsorden"),
        (2, "Budget 2021"),
    ]
    assert parsed.committee == "Økonomiudvalget"
    assert (parsed.start_time, parsed.end_time) == ("15:00", "17:30")
    budget = parsed.items[1]
    assert "3. Anlæg udskydes" in budget.section("Sagsfremstilling")
    assert budget.decision_status == "anbefalet"
    assert budget.decisions[0].committee == "Økonomiudvalget"
    assert budget.decisions[0].date == dt.date(2020, 6, 4)


def test_committee_code_headings_without_item_numbers() -> None:
    text = SAMPLES["Lejre"].read_text(encoding="utf-8")
    coded = parse_minutes(re.sub(r"(?m)^Punkt \d+: ", "", text), source="l.txt")
    assert [(i.number, i.title) for i in coded.items] == [
        (i.number, i.title) for i in from_text("Lejre").items
    ]
    assert coded.items[2].title == "JAI - Kvartalsbog september 2023"


def test_markdown_export_with_bold_and_heading_marks() -> None:
    text = """# REFERAT Arbejdsmarkedsudvalget 2022-2025 d. 02-09-2024

**Mødedato** Mandag d. 02. september 2024 kl. 14:30

**Afbud fra:** Egon Madsen

## Punkt 1: Godkendelse af dagsorden

**Sagsnr.:** 21/37995

### Beslutning

Godkendt.
"""
    parsed = parse_minutes(text, source="x.md", municipality="Aabenraa")
    assert parsed.committee == "Arbejdsmarkedsudvalget"
    assert parsed.period == "2022-2025"
    assert parsed.absentees == ("Egon Madsen",)
    item = parsed.items[0]
    assert (item.number, item.title, item.case_number) == (
        1,
        "Godkendelse af dagsorden",
        "21/37995",
    )
    assert item.decision == "Godkendt." and item.decision_status == "godkendt"


HEADER = "REFERAT Arbejdsmarkedsudvalget d. 04-01-2024\n\nMødedato 04-01-2024 kl. 10:00\n\n"


@pytest.mark.parametrize(
    ("heading", "first_line"),
    [
        ("Punkt 2: Lukket: Personalesag", "Sagsfremstilling"),
        ("Punkt 2: Lukket punkt: Køb af ejendom", "Sagsfremstilling"),
        ("Punkt 2: Personalesag (Lukket)", "Sagsfremstilling"),
        ("Punkt 2: Fortroligt: Klagesag", "Sagsfremstilling"),
        ("Punkt 2: Salg af grund", "Lukket punkt"),
        ("Punkt 2: Salg af grund", "Sagen behandles for lukkede døre."),
    ],
)
def test_closed_items_keep_no_content(heading: str, first_line: str) -> None:
    text = (
        HEADER + "Punkt 1: Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n\n"
        f"{heading}\n\n{first_line}\n\nHEMMELIGT indhold om en borger.\n\n"
        "Beslutning\n\nGodkendt.\n"
    )
    closed = parse_minutes(text, source="x.txt", municipality="Vejle").items[1]
    assert closed.closed and closed.number == 2
    assert closed.sections == () and closed.decision == "" and closed.decisions == ()


def test_several_committees_decide_one_item() -> None:
    text = (
        HEADER + "Punkt 1: Budgetopfølgning\n\nSagsfremstilling\n\nTal.\n\n"
        "Beslutning i Arbejdsmarkedsudvalget den 02-09-2024\n\nAnbefales godkendt.\n\n"
        "Beslutning i Økonomiudvalget den 10-09-2024\n\nAnbefales.\n\n"
        "Beslutning i Byrådet den 25-09-2024\n\nGodkendt.\n\n"
        "Mette Frederiksen (A) kunne ikke støtte indstillingen.\n"
        "Lars Løkke (V) ønskede sin stemme ført til protokol.\n"
        "Fraværende: Pia Kjærsgaard (O)\n"
    )
    item = parse_minutes(text, source="x.txt", municipality="Vejle").items[0]
    assert [(d.committee, d.date, d.status) for d in item.decisions] == [
        ("Arbejdsmarkedsudvalget", dt.date(2024, 9, 2), "anbefalet"),
        ("Økonomiudvalget", dt.date(2024, 9, 10), "anbefalet"),
        ("Byrådet", dt.date(2024, 9, 25), "godkendt"),
    ]
    assert item.decision_status == "godkendt"  # the last decision is the one that stands
    assert item.dissent == (
        "Mette Frederiksen (A) kunne ikke støtte indstillingen.",
        "Lars Løkke (V) ønskede sin stemme ført til protokol.",
    )
    assert item.absentees == ("Pia Kjærsgaard (O)",)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Godkendt.", "godkendt"),
        ("Indstillingen blev godkendt.", "godkendt"),
        ("Indstillingen tiltrådt.", "godkendt"),
        ("Indstillingen blev ikke godkendt.", "ikke godkendt"),
        ("Forslaget blev forkastet med 5 stemmer mod 4.", "ikke godkendt"),
        ("Taget til efterretning.", "taget til efterretning"),
        ("Orienteringen blev taget til efterretning.", "taget til efterretning"),
        ("Taget til orientering.", "taget til efterretning"),
        ("Drøftet.", "drøftet"),
        ("Udvalget drøftede sagen.", "drøftet"),
        ("Sagen blev udsat til næste møde.", "udsat"),
        ("Oversendes til Byrådet.", "oversendt"),
        ("Anbefales godkendt.", "anbefalet"),
        ("Udvalget anbefaler indstillingen over for Byrådet.", "anbefalet"),
        ("Ingen punkter.", ""),
        # "udsatte unge" are vulnerable young people; the case was not postponed.
        ("Godkendt. Indsatsen for udsatte unge fortsætter i 2025.", "godkendt"),
        # One member's dissent is not the committee's decision.
        ("Godkendt.\n\nAnne Holm (A) kunne ikke godkende indstillingen.", "godkendt"),
        # The negation after the verb (Greve, Økonomiudvalget 10 March 2025, item 23).
        ("Anbefales ikke.\n\nUdvalget anbefaler, at gulvet godkendes.", "ikke godkendt"),
        ("Godkendes ikke.", "ikke godkendt"),
        # What may happen is not the verdict (Greve, Plan- og Tryghedsudvalget, item 3).
        (
            "Orienteringen blev taget til efterretning.\n\nAdministrationen orienterede om, at "
            "igangsætningen kan risikere at blive udskudt til den 10. april 2025.",
            "taget til efterretning",
        ),
        ("Godkendt, så projektet kan gå i gang.", "godkendt"),
        # A later sentence decides only about the case: this one is a fact in it.
        (
            "Taget til efterretning. ID-kort er godkendt og bestilt via Politiet.",
            "taget til efterretning",
        ),
        ("Drøftet. Indstillingen blev herefter godkendt.", "godkendt"),
        ("Sagen udsættes, hvis materialet ikke foreligger.", "udsat"),
    ],
)
def test_decision_status(text: str, status: str) -> None:
    assert decision_status(text) == status


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Fraværende: Per Kragelund (V)", ("Per Kragelund (V)",)),
        ("Claus Behrendsen var fraværende under dette punkt.", ("Claus Behrendsen",)),
        ("Anne Hansen og Bo Jensen deltog ikke under behandlingen.", ("Anne Hansen", "Bo Jensen")),
        ("Afbud: Egon Madsen, Kjeld Hansen", ("Egon Madsen", "Kjeld Hansen")),
    ],
)
def test_item_absence_wordings(sentence: str, names: tuple[str, ...]) -> None:
    text = (
        HEADER
        + f"Punkt 1: Sag\n\nSagsfremstilling\n\nTekst.\n\nBeslutning\n\nGodkendt.\n\n{sentence}\n"
    )
    assert parse_minutes(text, source="x.txt", municipality="Vejle").items[0].absentees == names


def test_header_with_absentees_end_time_and_period() -> None:
    text = (
        "Beslutningsprotokol\nSocialudvalget 2022-2025\nMødedato: 12.03.2024\n"
        "Mødetidspunkt: kl. 16.00 - 18.30\nMødested: Rådhuset, mødelokale 3\n"
        "Fraværende: Hans Hansen (C) og Grete Jensen (F)\n\n"
        "Punkt 1: Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n"
    )
    parsed = parse_minutes(text, source="x.txt", municipality="Vejle")
    assert parsed.committee == "Socialudvalget"
    assert (parsed.start_time, parsed.end_time) == ("16:00", "18:30")
    assert parsed.location == "Rådhuset, mødelokale 3"
    assert parsed.absentees == ("Hans Hansen (C)", "Grete Jensen (F)")


def test_truncated_text_is_refused_rather_than_half_indexed() -> None:
    text = SAMPLES["Mariagerfjord"].read_text(encoding="utf-8")
    cut = text[: text.index("Punkt 3:") + 900]  # stops mid-way through item 3
    with pytest.raises(ParseError, match="afkortet"):
        parse_minutes(cut, source="m.txt")


def test_table_of_contents_is_never_an_item() -> None:
    for name in NAMES:
        for item in from_text(name).items:
            assert "....." not in item.title
            assert all("....." not in s.text for s in item.sections), (name, item.number)


# --- case numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("15.20.00-P20-1-23", "15.20.00-P20-1-23"),
        ("23-005451", "23-5451"),
        ("23/5451", "23-5451"),
        ("24/18490", "24-18490"),
        ("SAG-2024-12345", "SAG-2024-12345"),
        ("sag-2024-012345", "SAG-2024-12345"),
    ],
)
def test_case_numbers_normalise_to_one_key(written: str, key: str) -> None:
    assert normalise_case_number(written) == key


def test_case_numbers_in_a_question_but_not_periods_or_dates() -> None:
    question = (
        "Hvad skete der med sag 23/7010 og 15.20.00-P20-1-23 i perioden 2022-2025 (04-01-2024)?"
    )
    assert case_numbers_in(question) == ["23/7010", "15.20.00-P20-1-23"]
    # Greve's numbers carry a letter ("20-072352K").
    assert case_numbers_in("Sag 20-072352K blev genoptaget.") == ["20-072352K"]


@pytest.mark.parametrize(
    ("line", "case"),
    [("20-072352K", True), ("2024/18490", True), ("23-005451", True),
     ("2023-2026", False), ("1999 - 2004", False)],
)  # fmt: skip
def test_a_line_under_a_heading_is_a_case_number_or_a_period(line: str, case: bool) -> None:
    # A long title wrapped onto a second line that holds only its period ("Vækst- og
    # erhvervspolitik" / "2023-2026") must not lose the period to the case number.
    assert is_case_number(line) is case


def test_running_headers_copied_out_of_a_pdf_are_dropped() -> None:
    running = "Referat Arbejdsmarkedsudvalget 02-09-2024"
    text = SAMPLES["Aabenraa"].read_text(encoding="utf-8")
    with_headers = re.sub(r"(?m)^(Punkt \d+: .*)$", rf"{running}\n\n\1", text)
    assert with_headers.count(running) >= 8
    parsed = parse_minutes(with_headers, source="a.txt")
    assert_same_meeting(from_text("Aabenraa"), parsed)


def test_pdf_line_wrapped_before_a_date_stays_one_sentence(tmp_path: Path) -> None:
    # "... til den" / "15. december ..." is a wrapped sentence, not a numbered list entry.
    text = SAMPLES["Aabenraa"].read_text(encoding="utf-8")
    pdf = text_to_pdf(text, tmp_path / "a.pdf", "Arbejdsmarkedsudvalget")
    extracted = extract_text(pdf).text
    assert "til den 15. december i indeværende år." in " ".join(extracted.split())
    assert "til den\n15." not in extracted


def test_folders_skip_hidden_files_and_folders_and_say_so(tmp_path: Path) -> None:
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub").mkdir()
    for relative in (".ipynb_checkpoints/a-checkpoint.txt", ".git/HEAD", ".DS_Store"):
        (tmp_path / relative).write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "referat.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "referat.txt").write_text("x", encoding="utf-8")
    (tmp_path / "referat.docx").write_bytes(b"PK")
    files, skipped = find_minutes_files([tmp_path, tmp_path / "mangler.txt"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["referat.txt", "sub/referat.pdf"]
    # Each hidden entry is reported once: a hidden folder is one line, not one per file.
    assert skipped == [
        (".git", "skjult mappe (navnet starter med '.')"),
        (".ipynb_checkpoints", "skjult mappe (navnet starter med '.')"),
        (".DS_Store", "skjult fil (navnet starter med '.')"),
        ("referat.docx", "filtypen .docx understøttes ikke"),
        ("mangler.txt", "findes ikke"),
    ]


def test_municipality_named_only_in_the_page_title_and_footer(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Referat - Socialudvalget - Holbæk Kommune</title></head><body>"
        "<h1>Socialudvalget</h1><p>Mødedato: 12-03-2024 kl. 16:00</p>"
        "<h2>1. Godkendelse af dagsorden</h2><h3>Beslutning</h3><p>Godkendt.</p>"
        "<footer>Holbæk Kommune, Kanalstræde 2</footer></body></html>"
    )
    path = tmp_path / "side.html"
    path.write_text(page, encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.municipality == "Holbæk"
    assert parsed.committee == "Socialudvalget"
    assert "Kanalstræde" not in parsed.items[0].decision


# A meeting page saved from the browser, as agenda systems that fold their items publish
# them (Frederikssund's "Fold alle punkter"): each item's number and title in the button
# that opens it, in elements of their own.
FOLDED_PAGE = """<html><head><title>Referat - Social og sundhed - Frederikssund Kommune</title>
</head><body><nav>Forside · Politik</nav>
<h1>Social og sundheds møde den 17. april 2023</h1><p>Mødelokale F7 kl. 12.00</p>
<button class="fold-all">Fold alle punkter</button><button>3 kommentarer</button>
<div class="item"><button aria-expanded="false"><span class="nr">38</span>
<span class="title">Godkendelse af dagsorden</span></button>
<div class="panel"><h3>Beslutning</h3><p>Godkendt</p></div></div>
<div class="item"><button><span class="nr">39</span>
<span class="title">Flytning af tandklinikken til Frederikssund Hospital</span></button>
<div class="panel"><h3>Resume</h3><p>Tandplejen skal udvide kapaciteten fra primo 2024.</p>
<table><tr><td>2024</td><td>12,581 mio. kr.</td></tr><tr><td>1</td><td>Godkende flytningen.</td>
</tr></table><h3>Beslutning</h3><p>Anbefales.</p></div></div>
<details><summary>40. Eventuelt</summary><h3>Beslutning</h3><p>Intet.</p></details>
<footer>Frederikssund Kommune · Torvet 2</footer></body></html>"""
# An older publication page: each item's number and title in the two cells of a table row,
# the decisions under "Beslutninger".
TABLED_PAGE = """<html><head><title>Teknisk Udvalg - Aarhus Kommune</title></head><body>
<h1>Referat</h1><h2>Teknisk Udvalg</h2><table><tr><td>Mødedato</td><td>08.04.2014 kl. 15:00</td>
</tr><tr><td>Mødested</td><td>Rådhuset</td></tr></table>
<h3>Indhold</h3><table><tr><td>1.</td><td>Godkendelse af dagsorden</td></tr>
<tr><td>2.</td><td>Cykelstrategi 2014</td></tr></table>
<table><tr><td class="nummer">1.</td><td class="overskrift">Godkendelse af dagsorden</td></tr>
</table><h4>Beslutninger</h4><p>Godkendt.</p>
<table><tr><td class="nummer">2.</td><td class="overskrift">Cykelstrategi 2014</td></tr></table>
<h4>Sagsfremstilling</h4><p>Strategien er udarbejdet i dialog med borgerne.</p>
<table><tr><th>År</th><th>Beløb</th></tr><tr><td>2014</td><td>3,2 mio. kr.</td></tr></table>
<h4>Beslutninger</h4><p>Indstillingen blev godkendt.</p></body></html>"""


@pytest.mark.parametrize(
    ("page", "committee", "items"),
    [
        (FOLDED_PAGE, "Social og sundhed", [
            ("38", "Godkendelse af dagsorden", "godkendt"),
            ("39", "Flytning af tandklinikken til Frederikssund Hospital", "anbefalet"),
            ("40", "Eventuelt", "")]),
        (TABLED_PAGE, "Teknisk Udvalg", [
            ("1", "Godkendelse af dagsorden", "godkendt"),
            ("2", "Cykelstrategi 2014", "godkendt")]),
    ],
)  # fmt: skip
def test_a_saved_meeting_page_with_items_in_buttons_or_table_cells(
    tmp_path: Path, page: str, committee: str, items: list[tuple[str, str, str]]
) -> None:
    path = tmp_path / "side.html"
    path.write_text(page, encoding="utf-8")
    parsed = parse_file(path)
    assert (parsed.committee, parsed.warnings) == (committee, ())
    assert [(i.printed_number, i.title, i.decision_status) for i in parsed.items] == items
    text = "\n".join(s.text for item in parsed.items for s in item.sections)
    # The page's chrome is not in the items; a row of figures or a numbered sentence in a
    # table stays a table row, no item.
    assert "Fold alle punkter" not in text and "Forside" not in text
    assert "kommentarer" not in text
    assert "| 2014 | 3,2 mio. kr. |" in text or "| 2024 | 12,581 mio. kr. |" in text


def test_municipality_named_only_in_the_pdf_running_header(tmp_path: Path) -> None:
    text = SAMPLES["Næstved"].read_text(encoding="utf-8").replace("Næstved", "Xby")
    pdf = text_to_pdf(text, tmp_path / "n.pdf", "Næstved Kommune · Beskæftigelsesudvalget")
    assert parse_file(pdf).municipality == "Næstved"


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("Punkt 3: Budget", 3, "Budget"),
        ("Punkt 3. Budget 2025", 3, "Budget 2025"),
        ("Punkt 3 - Budget", 3, "Budget"),
        ("Sag 12: Budget", 12, "Budget"),
        ("Sak 78: Tema om udsathed", 78, "Tema om udsathed"),
        ("Pkt. 4 Eventuelt", 4, "Eventuelt"),
        ("Dagsordenspunkt 2: Orientering", 2, "Orientering"),
        ("Punkt 3. blev behandlet før punkt 2.", None, None),
        ("Sag 23/7010 blev behandlet.", None, None),
    ],
)
def test_item_heading_wordings(line: str, number: int | None, title: str | None) -> None:
    headings = item_headings([line])
    assert [(h.number, h.title) for h in headings] == ([(number, title)] if number else [])
