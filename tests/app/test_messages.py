"""Errors are worded at the edge, in the language of the question, from the templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app.ui.app import ChatApp
from assistant.core.config import PROJECT_ROOT
from assistant.core.errors import ReferatError, UnknownName
from assistant.search.filters import SearchFilter
from assistant.service.assistant import Assistant
from assistant.service.feedback import FeedbackStore
from tests.conftest import referat

PROMPTS = PROJECT_ROOT / "prompts"
ENGLISH_QUESTION = "How many refugees from Ukraine were there in August 2023?"


def test_every_error_template_has_an_english_twin_with_the_same_fields() -> None:
    import string

    danish = sorted((PROMPTS / "errors").glob("*.txt"))
    assert len(danish) >= 10
    for path in danish:
        english = PROMPTS / "en" / "errors" / path.name
        assert english.is_file(), path.name

        def fields(p: Path) -> set[str]:
            text = p.read_text(encoding="utf-8")
            return {name for _, name, _, _ in string.Formatter().parse(text) if name}

        assert fields(english) == fields(path), path.name


def test_an_unknown_municipality_is_worded_in_the_questions_language(
    sample_assistant: Assistant, tmp_path: Path
) -> None:
    app = ChatApp(sample_assistant, feedback=FeedbackStore(tmp_path / "feedback.sqlite3"))
    english = list(app.respond(ENGLISH_QUESTION, [], [], "Odense", "Alle", "", ""))[-1]
    danish = list(app.respond("Hvor mange fordrevne?", [], [], "Odense", "Alle", "", ""))[-1]
    english_chat, _, _, box = english
    assert english_chat[-1]["content"].startswith(
        "⚠️ The municipality 'Odense' is not in the minutes loaded. Known: Aabenraa, Lejre"
    )
    assert box == ENGLISH_QUESTION  # the question stays in the box
    assert danish[0][-1]["content"].startswith("⚠️ Kommunen 'Odense' findes ikke")


def test_errors_are_data_and_str_is_danish(sample_assistant: Assistant) -> None:
    with pytest.raises(UnknownName) as raised:
        sample_assistant.ask("Hvor mange fordrevne?", filters=SearchFilter(municipality="Odense"))
    error: ReferatError = raised.value
    assert error.fields["name"] == "Odense" and error.fields["kind"] == "municipality"
    assert str(error).startswith("Kommunen 'Odense' findes ikke i de indlæste referater.")


@pytest.mark.slow
def test_the_cli_words_errors_in_the_questions_language(cli_index: Path) -> None:
    english = referat("ask", ENGLISH_QUESTION, "--kommune", "Odense", index=cli_index)
    assert english.returncode == 1
    assert "The municipality 'Odense' is not in the minutes loaded" in english.stderr
    danish = referat("ask", "Hvor mange fordrevne?", "--kommune", "Odense", index=cli_index)
    assert "Kommunen 'Odense' findes ikke" in danish.stderr
    assert "Traceback" not in english.stderr + danish.stderr
