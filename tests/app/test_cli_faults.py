"""Faults a user can meet in the CLI are messages, never tracebacks (issue 16, parts 5, 7 and
9): bytes that are not UTF-8, Rich markup in a file, an index folder that is a file, dates
that do not exist, an empty case number, a reversed date range."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, REFERAT, SAMPLES, referat

pytestmark = pytest.mark.slow

IPS_QUESTION = "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?"


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sample (Mariagerfjord) ingested through the CLI: enough to answer, quick to build."""
    folder = tmp_path_factory.mktemp("faults-index")
    result = referat("ingest", str(SAMPLES["Mariagerfjord"]), index=folder)
    assert result.returncode == 0, result.stderr
    return folder


def _run_bytes(*args: bytes, typed: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`referat` with arguments and standard input given as raw bytes, as a latin-1
    terminal or script sends them."""
    return subprocess.run(
        [os.fsencode(REFERAT), *args],
        input=typed,
        capture_output=True,
        timeout=900,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
        cwd=PROJECT_ROOT,
    )


def test_a_latin1_question_on_the_command_line_is_answered(small_index: Path) -> None:
    result = _run_bytes(
        b"--index", os.fsencode(small_index), b"ask", IPS_QUESTION.encode("latin-1")
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr
    assert "1.609.500" in result.stdout.decode("utf-8")


def test_a_latin1_line_typed_into_chat_is_answered(small_index: Path) -> None:
    typed = (IPS_QUESTION + "\n").encode("latin-1")
    result = _run_bytes(b"--index", os.fsencode(small_index), b"chat", typed=typed)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "1.609.500" in result.stdout.decode("utf-8")


def _with_markup_in_a_title(folder: Path) -> Path:
    """The Lejre sample with a table-of-contents title holding Rich markup, which the parser
    reports (and inspect and ingest print) as a title not found in the text."""
    text = SAMPLES["Lejre"].read_text(encoding="utf-8")
    text = text.replace(
        "Indholdsfortegnelse\n\n",
        "Indholdsfortegnelse\n\nJAI - Budget [/bold] og [red]2024.....\t2\n",
        1,
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lejre [red].txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_markup_in_a_title_is_printed_as_text_by_inspect(tmp_path: Path) -> None:
    path = _with_markup_in_a_title(tmp_path / "minutes")
    result = referat("inspect", str(path), index=tmp_path / "index")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "ikke fundet i teksten: JAI - Budget [/bold] og [red]2024" in result.stdout


def test_markup_in_a_file_name_and_title_is_printed_as_text_after_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    _with_markup_in_a_title(folder)
    result = referat("ingest", str(folder), index=tmp_path / "index")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Gemt: 1 referater (lejre [red].txt)" in result.stdout
    assert "Advarsel: lejre [red].txt: ikke fundet i teksten: JAI - Budget [/bold]" in result.stdout


@pytest.mark.parametrize("command", [("ask", "Hvad blev besluttet?"), ("ingest", "eval/minutes")])
def test_an_index_that_is_a_file_is_a_message(command: tuple[str, ...]) -> None:
    result = referat("--index", "/etc/passwd", *command)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Indeksmappen /etc/passwd kan ikke bruges: det er en fil, ikke en mappe" in (
        result.stderr
    )


def test_an_index_folder_that_cannot_be_made_is_a_message(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    result = referat("ask", "Hvad blev besluttet?", index=blocked / "index")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Indeksmappen {blocked / 'index'} kan ikke bruges" in result.stderr


def test_an_impossible_date_is_named_in_fra_and_in_the_question(small_index: Path) -> None:
    flag = referat("ask", "--fra", "31. februar 2024", "Hvad blev besluttet?", index=small_index)
    assert flag.returncode == 2
    assert "--fra" in flag.stderr and "«31. februar 2024» er ikke en dato" in flag.stderr
    asked = referat("ask", "Hvad blev besluttet den 31. februar 2024?", index=small_index)
    assert asked.returncode == 1
    assert "«31. februar 2024» er ikke en dato, der findes" in asked.stderr
    assert asked.stdout == ""


def test_sag_with_an_empty_number_is_an_error_not_every_item(small_index: Path) -> None:
    result = referat("sag", "", index=small_index)
    assert result.returncode == 1
    assert "Skriv et sagsnummer" in result.stderr
    assert result.stdout == ""


def test_a_reversed_date_range_says_why(small_index: Path) -> None:
    result = referat(
        "ask", "--fra", "2024-12-31", "--til", "2024-01-01", IPS_QUESTION, index=small_index
    )
    assert result.returncode == 1
    assert "Fra-datoen ligger efter til-datoen" in result.stderr
