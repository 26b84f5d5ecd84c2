"""What users really drop into `referat ingest`: mixed formats, odd encodings and broken files.

Real components only: the `referat` console script as a subprocess, a Chroma index in a
temporary folder, the real e5 embedder and the five sample minutes, rendered to the formats
municipalities publish (tests/render.py). Each bad file must be named with a reason that says
what is wrong, the good files next to it must still be ingested and answer questions, and a
broken new version of a file must never cost the index what it already holds.

The CLI's console hard-wraps long lines when its output is not a terminal, so the output is
read with whitespace collapsed (`_flat`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from assistant.core.types import meeting_json
from assistant.ingest.parse import parse_file
from tests.conftest import QUESTIONS, SAMPLES, referat
from tests.render import portal_page, scanned_pdf, text_to_pdf

pytestmark = pytest.mark.slow

QUESTION_SET = {
    row["id"]: row
    for row in map(json.loads, QUESTIONS.read_text(encoding="utf-8").splitlines())
    if row
}

# The good files of the mixed folder: municipality -> (file name, question id whose answer
# is in that file, per eval/questions.jsonl).
GOOD = {
    "Vejle": (SAMPLES["Vejle"].name, "q007"),  # UTF-8 .txt, as published
    "Lejre": ("lejre_cp1252.txt", "q002"),  # re-encoded as cp1252 (an old Windows export)
    "Aabenraa": ("aabenraa.pdf", "q011"),  # rendered to PDF
    "Mariagerfjord": ("mariagerfjord.html", "q001"),  # a portal's HTML page
}
# The bad files: name -> a word the reason must contain to say what is wrong.
BAD = {
    "indkoebsliste.txt": "dagsordenspunkter",  # not minutes: a shopping list
    "nyhedsbrev.md": "dagsordenspunkter",  # not minutes: a newsletter with a date in it
    "tom.txt": "tom",  # empty
    "scannet.pdf": "tekstlag",  # a scan without a text layer
    "afkortet.pdf": "afkortet",  # the first half of a good PDF
    "referat.docx": "understøttes ikke",  # an unsupported format
}
SHOPPING_LIST = "Indkøbsliste til weekenden\n\nMælk\nRugbrød\nÆbler og pærer\nKaffe\nSmør\n"
NEWSLETTER = (
    "# Nyhedsbrev fra Jobcentret, 6. september 2023\n\n"
    "Kære borgere. Efter sommerferien åbner jobcafeen igen på Rådhuset hver tirsdag kl. 10, "
    "og vi glæder os til at se både nye og kendte ansigter. Læs mere om vores kurser i "
    "ansøgningsskrivning på kommunens hjemmeside, eller ring til os på 12 34 56 78.\n"
)


def _flat(output: str) -> str:
    return " ".join(output.split())


def _reports(output: str, label: str) -> dict[str, str]:
    """{file name: reason} from the 'Sprunget over: name: reason' (or 'Advarsel') lines."""
    pattern = rf"{label}: (\S+?): (.*?)(?= Sprunget over: | Advarsel: |$)"
    return dict(re.findall(pattern, _flat(output)))


def _total(output: str) -> int:
    match = re.search(r"i alt i indekset: (\d+)", _flat(output))
    assert match, output
    return int(match.group(1))


def _says(reason: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", reason, re.IGNORECASE) is not None


def _render_pdf(sample: Path, path: Path) -> Path:
    meeting = parse_file(sample)
    header = f"{meeting.committee} · {meeting.date:%d.%m.%Y}"
    return text_to_pdf(sample.read_text(encoding="utf-8"), path, running_header=header)


def _write_bad_files(folder: Path, good_pdf: Path) -> None:
    (folder / "indkoebsliste.txt").write_text(SHOPPING_LIST, encoding="utf-8")
    (folder / "nyhedsbrev.md").write_text(NEWSLETTER, encoding="utf-8")
    (folder / "tom.txt").write_bytes(b"")
    scanned_pdf(folder / "scannet.pdf")
    raw = good_pdf.read_bytes()
    (folder / "afkortet.pdf").write_bytes(raw[: len(raw) // 2])
    (folder / "referat.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)


def _ask(question: str, index: Path) -> dict:
    result = referat("ask", "--json", question, index=index)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- 1. a folder mixing good and bad files ---------------------------------------------------


class Run(NamedTuple):
    folder: Path
    index: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One ingest of a folder with four good minutes in four forms and every kind of bad file."""
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(SAMPLES["Vejle"], folder / GOOD["Vejle"][0])
    lejre = SAMPLES["Lejre"].read_text(encoding="utf-8")
    (folder / GOOD["Lejre"][0]).write_bytes(lejre.encode("cp1252"))
    good_pdf = _render_pdf(SAMPLES["Aabenraa"], folder / GOOD["Aabenraa"][0])
    page = portal_page(parse_file(SAMPLES["Mariagerfjord"]))
    (folder / GOOD["Mariagerfjord"][0]).write_text(page, encoding="utf-8")
    _write_bad_files(folder, good_pdf)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 64)
    index = tmp_path_factory.mktemp("mixed-index")
    return Run(folder, index, referat("ingest", str(folder), index=index))


def test_mixed_folder_ingests_the_good_files_and_exits_0(mixed: Run) -> None:
    assert mixed.result.returncode == 0, mixed.result.stdout + mixed.result.stderr
    flat = _flat(mixed.result.stdout)
    assert "Møder: 4 " in flat
    chunks = int(re.search(r"tekststykker: (\d+)", flat).group(1))
    assert _total(mixed.result.stdout) == chunks > 0


@pytest.mark.parametrize("name", sorted(BAD))
def test_every_bad_file_is_named_with_what_is_wrong(mixed: Run, name: str) -> None:
    skipped = _reports(mixed.result.stdout, "Sprunget over")
    assert name in skipped, mixed.result.stdout
    assert _says(skipped[name], BAD[name]), f"{name}: {skipped[name]!r}"


def test_only_the_bad_files_are_skipped_and_the_good_ones_get_no_warnings(mixed: Run) -> None:
    assert set(_reports(mixed.result.stdout, "Sprunget over")) == set(BAD) | {".DS_Store"}
    assert _reports(mixed.result.stdout, "Advarsel") == {}


def test_hidden_files_are_skipped_with_a_reason(mixed: Run) -> None:
    # Issue 16: a skipped file is never silent, a hidden one included.
    reports = _reports(mixed.result.stdout, "Sprunget over")
    assert reports[".DS_Store"].startswith("skjult fil")


@pytest.mark.parametrize("municipality", sorted(GOOD))
def test_each_good_file_answers_a_question_about_its_municipality(
    mixed: Run, municipality: str
) -> None:
    source, question_id = GOOD[municipality]
    question = QUESTION_SET[question_id]
    payload = _ask(question["question"], mixed.index)
    assert payload["abstained"] is False and payload["citations"], payload
    first = payload["citations"][0]
    assert (first["municipality"], first["source"]) == (municipality, source)
    expected = question["sources"][0]
    assert (first["meeting_date"], first["item_number"]) == (
        expected["meeting_date"],
        expected["item"],
    )
    for alternatives in question["must_contain"]:
        assert any(a in payload["answer"] for a in alternatives), (
            f"{source}: none of {alternatives} in {payload['answer']!r}"
        )


def test_cp1252_file_keeps_its_danish_letters(mixed: Run) -> None:
    original = parse_file(SAMPLES["Lejre"])
    title = next(i.title for i in original.items if i.number == 4)
    assert {"å", "æ"} <= set(title)  # "... status på området for Særlig Tilrettelagt ..."
    payload = _ask(
        "Hvad gør Lejre for at få bremset overforbruget på de særligt tilrettelagte "
        "ungdomsuddannelser?",
        mixed.index,
    )
    first = payload["citations"][0]
    assert (first["source"], first["item_number"], first["item_title"]) == (
        GOOD["Lejre"][0],
        4,
        title,
    )
    assert "særlige" in first["quote"]
    assert not re.search("[\ufffdÃ]", payload["answer"] + first["quote"]), payload

    inspected = referat("inspect", "--json", str(mixed.folder / GOOD["Lejre"][0]))
    assert inspected.returncode == 0, inspected.stderr
    data = json.loads(inspected.stdout)
    assert "Bjørn Lykke Sørensen" in data["participants"]
    expected = meeting_json(original)
    assert {k: v for k, v in data.items() if k != "source"} == {
        k: v for k, v in expected.items() if k != "source"
    }


# --- 2. a folder with nothing usable ---------------------------------------------------------


def test_folder_of_only_bad_files_exits_1_and_reports_every_file(tmp_path: Path) -> None:
    good_pdf = _render_pdf(SAMPLES["Vejle"], tmp_path / "vejle.pdf")
    folder = tmp_path / "bad"
    folder.mkdir()
    _write_bad_files(folder, good_pdf)
    result = referat("ingest", str(folder), index=tmp_path / "index")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Møder: 0 " in _flat(result.stdout)
    skipped = _reports(result.stdout, "Sprunget over")
    assert set(skipped) == set(BAD), result.stdout
    for name, word in BAD.items():
        assert _says(skipped[name], word), f"{name}: {skipped[name]!r}"


# --- 3. a broken new version never costs what is indexed -------------------------------------


def test_truncated_new_version_is_skipped_and_the_indexed_one_kept(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    path = folder / SAMPLES["Vejle"].name
    full = SAMPLES["Vejle"].read_text(encoding="utf-8")
    path.write_text(full, encoding="utf-8")
    index = tmp_path / "index"
    first = referat("ingest", str(path), index=index)
    assert first.returncode == 0, first.stdout + first.stderr
    before = _total(first.stdout)
    assert before > 0

    # The same file cut off in Sak 80, mid-sentence; its table of contents lists 7 items.
    cut = full[: full.index(" og dennes betydning for den fremadrettede")]
    assert cut.endswith("det nye regeringsgrundlag") and "Sak 81:" not in cut
    path.write_text(cut, encoding="utf-8")
    again = referat("ingest", str(path), index=index)
    assert again.returncode == 1, again.stdout + again.stderr  # nothing new could be ingested
    skipped = _reports(again.stdout, "Sprunget over")
    assert _says(skipped.get(path.name, ""), "afkortet"), again.stdout
    assert _total(again.stdout) == before

    # Sak 81 is only in the old version: the index still answers from it.
    question = QUESTION_SET["q012"]
    payload = _ask(question["question"], index)
    first_citation = payload["citations"][0]
    assert (first_citation["source"], first_citation["item_number"]) == (path.name, 81)
    assert "23. november" in payload["answer"]

    # The stored fingerprint is still the old file's: putting it back costs nothing.
    path.write_text(full, encoding="utf-8")
    restored = referat("ingest", str(path), index=index)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "uændrede filer: 1" in _flat(restored.stdout)
    assert _total(restored.stdout) == before


# --- 4. referat inspect ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def naestved_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render_pdf(SAMPLES["Næstved"], tmp_path_factory.mktemp("pdf") / "naestved.pdf")


def test_inspect_shows_what_the_parser_read_from_a_pdf(naestved_pdf: Path) -> None:
    result = referat("inspect", str(naestved_pdf))
    assert result.returncode == 0, result.stderr
    flat = _flat(result.stdout)
    assert "Kommune: Næstved" in flat
    assert "Udvalg: Beskæftigelses- og Uddannelsesudvalget" in flat
    assert "Dato: 28. september 2021" in flat
    positions = [flat.find(f"Punkt {n}: ") for n in range(93, 100)]
    assert -1 not in positions and positions == sorted(positions), flat
    item_96 = flat[positions[3] : positions[4]]
    assert re.search(r"Beslutning \([^)]*\): godkendt\b", item_96), item_96
    dissent = next(
        line
        for line in SAMPLES["Næstved"].read_text(encoding="utf-8").splitlines()
        if line.startswith("Jette Leth Buhl kunne ikke støtte")
    )
    assert f"Mindretal/protokol: {dissent}" in item_96


def test_inspect_json_of_a_pdf_matches_the_text_version(naestved_pdf: Path) -> None:
    result = referat("inspect", "--json", str(naestved_pdf))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = parse_file(SAMPLES["Næstved"])
    assert (data["municipality"], data["committee"], data["date"]) == (
        "Næstved",
        expected.committee,
        "2021-09-28",
    )
    fields = ("number", "title", "case_number", "closed", "decision_status")
    assert [{f: i[f] for f in fields} for i in data["items"]] == [
        {f: getattr(i, f) for f in fields} for i in expected.items
    ]
    assert [(i["absentees"], i["dissent"]) for i in data["items"]] == [
        (list(i.absentees), list(i.dissent)) for i in expected.items
    ]


def test_inspect_of_an_empty_file_exits_1_with_the_reason(tmp_path: Path) -> None:
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    result = referat("inspect", str(empty))
    assert result.returncode == 1
    message = _flat(result.stdout + result.stderr)
    assert "tom.txt" in message and _says(message, "tom"), message
    assert "Traceback" not in result.stderr
