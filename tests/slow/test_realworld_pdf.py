"""The real-world dev set in another format: the 16 real Greve meetings of `eval/realworld/`
printed as PDFs in the table layout of tests/pdf_layouts.py (a header table, a table of
contents cut to its column, the committee and date atop every page, "N of M" at the foot),
ingested as a user would ingest the PDFs, and the same 105 questions answered from them.
`.ci/run` fails when a headline figure falls under its floor in
`eval/realworld-pdf-floors.json`, for the full answer and for retrieval alone.

The other two layouts (numbered headings with "Sagsnr.:", bold headings without "Punkt") are
measured the same way by hand (README, "Per format"); item by item, all three are checked
against their sources in tests/ingest/test_pdf_layouts.py.

Slow: rendering is seconds, ingesting the 16 PDFs about two and a half minutes."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.parse import parse_file
from tests.conftest import PROJECT_ROOT, eval_above_floors, referat
from tests.pdf_layouts import LAYOUTS

GREVE = PROJECT_ROOT / "eval" / "realworld" / "greve" / "firstagenda-json"
QUESTIONS = PROJECT_ROOT / "eval" / "realworld-questions.jsonl"
FLOORS = PROJECT_ROOT / "eval" / "realworld-pdf-floors.json"
LAYOUT = "table"


def render_meetings(layout: str, folder: Path) -> list[Path]:
    """Every Greve meeting file as a PDF in `layout`, under the meeting file's own name (the
    question-and-answer container is no meeting and is not printed)."""
    folder.mkdir(parents=True, exist_ok=True)
    printed = []
    for path in sorted(GREVE.glob("*.json")):
        if "NOT-A-MEETING" in path.name:
            continue
        printed.append(LAYOUTS[layout](parse_file(path), folder / f"{path.stem}.pdf"))
    return printed


@pytest.fixture(scope="module")
def pdf_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    printed = render_meetings(LAYOUT, tmp_path_factory.mktemp("realworld-pdf") / "greve")
    assert len(printed) == 16
    index = tmp_path_factory.mktemp("realworld-pdf-index")
    result = referat("ingest", str(printed[0].parent), index=index, timeout=3600)
    assert result.returncode == 0, result.stderr
    assert "Møder: 16" in result.stdout, result.stdout
    # Every listed item is found: no warning about the contents or a missing item.
    assert "Advarsel" not in result.stdout, result.stdout
    return index


@pytest.mark.slow
@pytest.mark.parametrize("run", ["answer", "retrieval"])
def test_the_real_world_dev_set_as_pdfs_stays_above_its_floors(
    pdf_index: Path, tmp_path: Path, run: str
) -> None:
    overall = eval_above_floors(pdf_index, QUESTIONS, FLOORS, run, tmp_path)
    assert overall["questions"] == 105
