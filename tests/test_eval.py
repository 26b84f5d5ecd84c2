"""The dev question set through the real pipeline, against floors kept in the repo."""

from __future__ import annotations

import json

from assistant.chat import Assistant
from assistant.evaluate import load_questions, metrics, run_eval
from tests.conftest import PROJECT_ROOT, QUESTIONS

FLOORS = json.loads((PROJECT_ROOT / "eval" / "floors.json").read_text(encoding="utf-8"))


def test_question_set_is_well_formed() -> None:
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 60
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.sources for q in questions if q.answerable)
    assert any(not q.answerable for q in questions)


def test_dev_set_figures_stay_above_the_floors(sample_assistant: Assistant) -> None:
    questions = load_questions(QUESTIONS)
    overall = metrics(questions, run_eval(sample_assistant, questions))["overall"]
    for name, floor in FLOORS.items():
        assert overall[name] >= floor, f"{name} = {overall[name]} < floor {floor}"
