"""The stemmed words search and the answerer count: a verbal noun and its verb share a stem,
since questions name the matter ("repatriering") and minutes what was done ("repatrieret")."""

from __future__ import annotations

import pytest

from assistant.danish.text import terms


@pytest.mark.parametrize(
    ("noun", "verb"),
    [
        ("repatriering", "repatrieret"),
        ("evaluering", "evalueres"),
        ("finansiering", "finansieret"),
        ("implementering", "implementere"),
        ("visitering", "visiteret"),
    ],
)
def test_a_verbal_noun_shares_its_verbs_stem(noun: str, verb: str) -> None:
    assert terms(noun) == terms(verb)


@pytest.mark.parametrize("word", ["sikring", "ændring", "forandring", "ring"])
def test_words_that_only_end_in_ring_keep_it(word: str) -> None:
    assert terms(word)[0].endswith("ring")
