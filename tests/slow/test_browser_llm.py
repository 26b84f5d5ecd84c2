"""The browser chat with a real local LLM: `referat serve` answering through a llama.cpp
server on 127.0.0.1 (Qwen2.5-Coder-0.5B from its PyPI parts), driven by headless chromium.

A three-turn conversation about one agenda item must keep citing that item, and every number
the page shows in a generated answer must be printed in the item it cites.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.guard import numbers_in, stated_numbers
from tests.llm_support import TEST_MAX_TOKENS
from tests.slow.test_browser import (
    Session,
    _expect_ips_card,
    _serving,
    artifacts,  # noqa: F401
    chromium,  # noqa: F401
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llm_url(llama_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser_llm")
    settings = {
        "REFERAT_LLM": "openai-compatible",
        "REFERAT_LLM_BASE_URL": llama_server,
        "REFERAT_LLM_MODEL": "qwen-small",
        "REFERAT_LLM_TEMPERATURE": "0",
        "REFERAT_LLM_MAX_TOKENS": str(TEST_MAX_TOKENS),
        "REFERAT_FEEDBACK_DB": str(root / "feedback.sqlite3"),
    }
    with _serving(root / "index", root / "server.log", settings) as url:
        yield url


def test_three_turns_with_the_local_llm_keep_citing_the_item(
    chromium,  # noqa: F811
    llm_url: str,
    artifacts: Path,  # noqa: F811
) -> None:
    chat = Session(chromium, llm_url, answer_timeout_ms=600_000)
    try:
        questions = ["Fortæl om IPS-projektet i Mariagerfjord", "Hvem er projektejer?",
                     "Og hvad koster det?"]  # fmt: skip
        for turn, question in enumerate(questions):
            answer = chat.ask(question)
            # The marker links to this turn's first card, and that card is the IPS item.
            assert answer.locator(f"a[href='#kilde-{turn}-1']").count() >= 1, answer.inner_text()
            card = chat.card(turn, 1)
            _expect_ips_card(card)
            # No number on the page that the cited item does not print (dates in the card
            # header count: an answer may repeat them).
            # Every card of this turn, whole items ("Vis hele punktet") included, folded or not.
            cards = chat.page.locator(f"#kilder [id^='kilde-{turn}-']")
            printed = numbers_in(" ".join(cards.all_text_contents()))
            # Facts as the guard reads them: a list number ("1. At ...") states nothing.
            shown = stated_numbers(answer.inner_text())
            assert shown <= printed, (question, shown - printed, answer.inner_text())
        chat.shot(artifacts / "follow-up-llm.png")
        chat.assert_no_page_errors()
    finally:
        chat.close()
