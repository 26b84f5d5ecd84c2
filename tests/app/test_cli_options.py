"""The index and answerer options work where users type them: before or after the command."""

from __future__ import annotations

from pathlib import Path

from assistant.app.cli import settings_options_first
from tests.conftest import SAMPLES, referat


def test_settings_options_are_moved_before_the_command() -> None:
    assert settings_options_first(["ingest", "eval/minutes", "--index", "/tmp/x"]) == [
        "--index",
        "/tmp/x",
        "ingest",
        "eval/minutes",
    ]
    assert settings_options_first(["ask", "Hvem?", "--llm=extractive", "--chroma-port", "9"]) == [
        "--llm=extractive",
        "--chroma-port",
        "9",
        "ask",
        "Hvem?",
    ]
    # Options of the command itself stay, and nothing after `--` is read as an option.
    assert settings_options_first(["ask", "--kommune", "Lejre", "--", "--index"]) == [
        "ask",
        "--kommune",
        "Lejre",
        "--",
        "--index",
    ]


def test_index_after_the_command_is_the_index_used(tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingested = referat("ingest", str(SAMPLES["Lejre"]), "--index", str(index))
    assert ingested.returncode == 0, ingested.stderr
    assert "Møder: 1" in ingested.stdout
    assert any(index.iterdir())  # the store is in the folder given after the command
    asked = referat(
        "ask", "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?", f"--index={index}"
    )
    assert asked.returncode == 0, asked.stderr
    assert "149" in asked.stdout
    assert "Lejre" in asked.stdout
