"""Files the product reads at run time, found the same way in a checkout and an install.

The templates (`prompts/`) and the sample minutes (`eval/minutes/`) live at the top of the
repository, where people edit them. pyproject.toml maps them into this package for a wheel
(`assistant/resources/prompts`, `assistant/resources/samples`), so `pip install .` carries
them too.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
# Where each resource lives in the repository, relative to its top.
IN_REPOSITORY = {"prompts": Path("prompts"), "samples": Path("eval") / "minutes"}


def resource_dir(name: str) -> Path:
    """The folder of resource `name` ("prompts" or "samples"): the installed copy beside
    this module when there is one, else the repository's own folder (editable install)."""
    installed = HERE / name
    if installed.is_dir():
        return installed
    return HERE.parents[1] / IN_REPOSITORY[name]
