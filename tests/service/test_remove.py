"""The Assistant's remove and sync use cases on a real Chroma store with the real embedder:
which meeting a selector means, and which sources a sync may remove."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from assistant.core.config import Settings
from assistant.core.errors import AmbiguousMeeting, UnknownMeeting, UnknownSource
from assistant.core.types import MeetingSelector
from assistant.service.wiring import build_assistant
from tests.conftest import LEJRE, SAMPLES, VEJLE

LEJRE_DAY = dt.date(2023, 9, 6)


def _second_lejre_committee(folder: Path) -> Path:
    """The Lejre sample as minutes of another committee on the same day."""
    text = (
        SAMPLES["Lejre"]
        .read_text(encoding="utf-8")
        .replace(
            "REFERAT Udvalget for Job, Arbejdsmarked og Integration", "REFERAT Økonomiudvalget", 1
        )
    )
    path = folder / "lejre-oekonomi.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_selector_fitting_two_meetings_removes_nothing_until_it_fits_one(
    minutes_copy: Path, tmp_path: Path
) -> None:
    _second_lejre_committee(minutes_copy)
    assistant = build_assistant(Settings(index_dir=tmp_path / "index"))
    assert assistant.ingest([minutes_copy]).meetings == 3
    before = assistant.stored_chunks()

    with pytest.raises(AmbiguousMeeting) as raised:
        assistant.remove_meeting(MeetingSelector(municipality="Lejre", date=LEJRE_DAY))
    assert "lejre-oekonomi.txt" in str(raised.value) and LEJRE in str(raised.value)
    with pytest.raises(UnknownMeeting):
        assistant.remove_meeting(MeetingSelector(meeting_id="000000000000"))
    with pytest.raises(UnknownSource):
        assistant.remove_sources([VEJLE, "mangler.txt"])  # one unknown: none removed
    assert assistant.stored_chunks() == before

    removed = assistant.remove_meeting(
        MeetingSelector(municipality="Lejre", committee="Økonomiudvalget", date=LEJRE_DAY)
    )
    assert [s.source for s in removed] == ["lejre-oekonomi.txt"]
    assert {s.source for s in assistant.stored_sources()} == {LEJRE, VEJLE}
    assert "Økonomiudvalget" not in assistant.vocabulary().committees


def test_sync_keeps_a_moved_file_and_leaves_other_folders_alone(
    minutes_copy: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SAMPLES["Mariagerfjord"], elsewhere / "mariagerfjord.txt")
    assistant = build_assistant(Settings(index_dir=tmp_path / "index"))
    assistant.ingest([minutes_copy, elsewhere])

    (minutes_copy / "2023").mkdir()
    (minutes_copy / VEJLE).rename(minutes_copy / "2023" / VEJLE)
    report = assistant.ingest([minutes_copy], sync=True)

    # The moved file is stored under its new path before its old path is removed; the
    # other folder's file is not under the folder synced, so it stays.
    assert report.removed == (VEJLE,)
    assert {s.source for s in assistant.stored_sources()} == {
        LEJRE,
        f"2023/{VEJLE}",
        "mariagerfjord.txt",
    }
    answer = assistant.ask("Hvem var fraværende i Vejles arbejdsmarkedsudvalg?")
    assert "Claus Behrend" in answer.text
    assert {c.source for c in answer.citations} == {f"2023/{VEJLE}"}
