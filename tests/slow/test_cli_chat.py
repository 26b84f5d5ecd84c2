"""`referat chat` as a user runs it: a conversation typed on standard input, the answer and
its sources printed after each question; without a model and with the local LLM served by
llama.cpp on loopback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import llm_support
from tests.conftest import referat

pytestmark = pytest.mark.slow

THREE_TURNS = (
    "Fortæl om IPS-projektet i Mariagerfjord",
    "Hvem er projektejer?",
    "Og hvad koster det?",
)
PROMPT = "Spørgsmål> "
# "[1] Mariagerfjord · Udvalget for ... · 2024-01-04 · Punkt 2: IPS for unge ..."
SOURCE = re.compile(r"^\[1\] (?P<municipality>[^·]+?) · .+? · (?P<date>\d{4}-\d{2}-\d{2}) · "
                    r"Punkt (?P<item>\d+):", re.MULTILINE)  # fmt: skip
IPS_ITEM = ("Mariagerfjord", "2024-01-04", 2)


def _first_source_per_turn(stdout: str) -> list[tuple[str, str, int] | None]:
    """The first source listed after each question (None for a turn that lists none)."""
    turns = stdout.split(PROMPT)[1:]  # the output after each prompt; the last is the ending
    sources = []
    for output in turns[: len(THREE_TURNS)]:
        found = SOURCE.search(output)
        sources.append(
            (found["municipality"], found["date"], int(found["item"])) if found else None
        )
    return sources


def _chat(
    index: Path,
    *options: str,
    env: dict[str, str] | None = None,
    questions: tuple[str, ...] = THREE_TURNS,
) -> str:
    typed = "\n".join(questions) + "\n\n"  # an empty line ends the chat
    result = referat(*options, "chat", index=index, typed=typed, env=env, timeout=1200)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(PROMPT) == len(questions) + 1
    return result.stdout


def test_three_turns_about_one_meeting_answer_three_questions(cli_index: Path) -> None:
    """Issue 18's conversation: the topic, who was absent, what else was decided."""
    questions = (
        "Fortæl om handicapstrategien i Mariagerfjord",
        "Hvem var fraværende på det møde?",
        "Hvad blev ellers besluttet på mødet?",
    )
    topic, absent, decided = _chat(cli_index, questions=questions).split(PROMPT)[1:4]
    assert "Handicapstrategi" in topic
    assert absent.lstrip().startswith(
        "Fraværende ved mødet i Udvalget for Arbejdsmarked og Uddannelse, Mariagerfjord Kommune"
    ), absent
    assert "Per Kragelund (V)" in absent and "Per Kragelund" not in decided
    assert all(f"- Punkt {n}:" in decided for n in range(1, 8)), decided
    answers = [turn.split("\nKilder\n")[0] for turn in (topic, absent, decided)]
    assert len(set(answers)) == 3


def test_three_turns_in_the_terminal_keep_citing_the_item(cli_index: Path) -> None:
    stdout = _chat(cli_index)
    assert _first_source_per_turn(stdout) == [IPS_ITEM] * 3, stdout
    # The second turn's answer names the project owner the item prints.
    assert "Ann Frederiksen" in stdout.split(PROMPT)[2]


def test_three_turns_in_the_terminal_with_the_local_llm(cli_index: Path, llama_server: str) -> None:
    stdout = _chat(
        cli_index,
        "--llm",
        "openai-compatible",
        env={
            "REFERAT_LLM_BASE_URL": llama_server,
            "REFERAT_LLM_MODEL": "qwen-small",
            "REFERAT_LLM_TEMPERATURE": "0",
            "REFERAT_LLM_MAX_TOKENS": str(llm_support.TEST_MAX_TOKENS),
        },
    )
    assert _first_source_per_turn(stdout) == [IPS_ITEM] * 3, stdout
