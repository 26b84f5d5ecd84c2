"""A plain (non-editable) `pip install .` answers on the samples: templates and sample minutes
ship inside the package, and nothing reads the repository at run time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from assistant.core.config import PROJECT_ROOT
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # No PYTHONPATH: the installed package alone must do.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=cwd,
        env={**env, "COLUMNS": "200"},
    )


def test_a_plain_install_answers_from_the_installed_package(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building must not write into the repository
    shutil.copytree(
        PROJECT_ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".venv-infinity",
            "index",
            "build",
            "*.egg-info",
            "__pycache__",
            "reports",
            "bench",
        ),
    )
    venv = tmp_path / "venv"
    made = _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    # The dependencies are the test environment's (installing torch again would take
    # minutes): its site-packages joins the new venv's path as a plain path entry, so its
    # editable install of this repository (a .pth hook there) is not loaded.
    venv_site = Path(
        _run(
            venv / "bin" / "python",
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            cwd=tmp_path,
        ).stdout.strip()
    )
    (venv_site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run(
        venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--quiet", source,
        cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    where = _run(venv / "bin" / "python", "-c", "import assistant; print(assistant.__file__)",
                 cwd=tmp_path)  # fmt: skip
    assert str(venv_site) in where.stdout, where.stdout + where.stderr

    shutil.rmtree(source)  # nothing may be read from the source tree after installing
    referat = venv / "bin" / "referat"
    index = tmp_path / "index"
    sample = tmp_path / SAMPLES["Lejre"].name
    shutil.copy(SAMPLES["Lejre"], sample)
    ingested = _run(referat, "ingest", sample, "--index", index, cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    asked = _run(
        referat, "ask", "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?",
        "--index", index,
        cwd=tmp_path,
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert "149" in asked.stdout and "Lejre" in asked.stdout
    # The evaluation commands come along through their entry point.
    helped = _run(referat, "--help", cwd=tmp_path)
    assert " eval " in helped.stdout and " ingest " in helped.stdout
