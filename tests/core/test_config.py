"""One Settings, read from the environment in one place, with a section per stage."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from assistant.core.config import PROJECT_ROOT, SECTIONS, Settings

PACKAGE = PROJECT_ROOT / "assistant"


def test_every_setting_is_documented_and_belongs_to_a_stage() -> None:
    in_sections = {
        field.name for section in SECTIONS.values() for field in dataclasses.fields(section)
    }
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name} has no description"
        assert name in in_sections, f"{name} is in no section: no stage can read it"
    assert in_sections <= set(Settings.model_fields)


def test_each_section_carries_the_values_of_the_settings(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path, top_items=7, chunk_max_words=250, llm_threads=1)
    assert settings.store.index_dir == tmp_path
    assert settings.search.top_items == 7 and settings.answer.top_items == 7
    assert settings.ingest.chunk_max_words == 250
    assert settings.generation.llm_threads == 1
    assert settings.ui.feedback_db == tmp_path / "feedback.sqlite3"
    for name in SECTIONS:
        section = getattr(settings, name)
        assert dataclasses.is_dataclass(section)
        # Frozen: a stage cannot change what another stage sees.
        assert type(section).__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_the_environment_is_read_in_config_only() -> None:
    reading = re.compile(r"os\.environ\.get\(|os\.getenv\(|os\.environ\[[\"']REFERAT")
    readers = [
        path.relative_to(PROJECT_ROOT)
        for path in PACKAGE.rglob("*.py")
        if reading.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == [Path("assistant/core/config.py")]


def test_nothing_changes_the_environment_at_import_time() -> None:
    # A module-level assignment (no indentation) to os.environ.
    at_import = re.compile(r"^os\.environ(?:\[|\.setdefault|\.update)", re.MULTILINE)
    offenders = [
        path.relative_to(PROJECT_ROOT)
        for path in PACKAGE.rglob("*.py")
        if at_import.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
