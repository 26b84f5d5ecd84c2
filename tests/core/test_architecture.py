"""The import rules of the rooms (pyproject.toml's import-linter contracts) hold, and an
import that breaks one fails `lint-imports`, which `make test` runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.config import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package and its contracts, to break on purpose."""
    shutil.copytree(
        PROJECT_ROOT / "assistant",
        tmp_path / "assistant",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # A lower stage importing a higher one.
        ("core/types.py", "import assistant.service.assistant", "Stages are layered"),
        # Two middle stages importing each other.
        ("search/hybrid.py", "import assistant.answer.extractive", "Stages are layered"),
        # The product importing the evaluation tooling.
        ("app/cli.py", "import assistant.evaluation.report", "evaluation tooling"),
        # A framework outside the components.
        ("answer/guard.py", "import chromadb", "only inside components"),
        ("service/assistant.py", "import gradio", "gradio only in the browser chat"),
    ],
)
def test_an_import_that_breaks_a_rule_fails(
    tree: Path, module: str, line: str, contract: str
) -> None:
    path = tree / "assistant" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert len(broken) == 1 and contract in broken[0], result.stdout
