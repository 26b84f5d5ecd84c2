"""The `referat` console script as a user runs it: real subprocesses, a real index on disk."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import MINUTES_DIR, referat

pytestmark = pytest.mark.slow


def _total(output: str) -> int:
    return int(re.search(r"i alt i indekset: (\d+)", output).group(1))


def test_ingesting_the_samples_twice_leaves_the_chunk_count_unchanged(cli_index: Path) -> None:
    again = referat("ingest", str(MINUTES_DIR), index=cli_index)
    assert again.returncode == 0
    assert "Møder: 0" in again.stdout and "uændrede filer: 5" in again.stdout
    first = referat("ingest", str(MINUTES_DIR / "000_680523cb48f2d67a.txt"), index=cli_index)
    assert _total(again.stdout) == _total(first.stdout) > 0


def test_ask_json_follows_the_contract(cli_index: Path) -> None:
    result = referat(
        "ask",
        "--json",
        "Hvor mange penge har Mariagerfjord Kommune fået tilsagn om fra puljen IPS for unge?",
        index=cli_index,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"answer", "abstained", "opening", "citations"}
    assert "1.609.500" in payload["answer"] and payload["abstained"] is False
    assert "1.609.500 kr." in payload["opening"] and payload["opening"] in payload["answer"]
    first = payload["citations"][0]
    assert set(first) == {
        "n",
        "municipality",
        "committee",
        "meeting_date",
        "item_number",
        "item_title",
        "case_number",
        "source",
        "quote",
        "decision_status",
        "closed",
        "item_label",
        "page",
        "agenda",
    }
    assert (first["meeting_date"], first["item_number"], first["n"]) == ("2024-01-04", 2, 1)
    assert (first["decision_status"], first["closed"]) == ("taget til efterretning", False)
    assert first["source"] == "000_680523cb48f2d67a.txt"


def test_ask_on_an_empty_index_says_what_to_do(tmp_path: Path) -> None:
    result = referat("ask", "Hvad besluttede udvalget?", index=tmp_path / "empty")
    assert result.returncode == 1
    assert "referat ingest" in result.stderr


def test_ingest_of_nothing_usable_fails_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "tom.txt").write_text("", encoding="utf-8")
    result = referat("ingest", str(tmp_path / "tom.txt"), index=tmp_path / "index")
    assert result.returncode == 1
    assert "tom.txt" in result.stdout and "tom" in result.stdout
