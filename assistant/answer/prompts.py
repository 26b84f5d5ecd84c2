"""Prompt and answer templates, kept as text files in `prompts/` and loaded by name.

Danish templates lie in `prompts/` itself; the English versions of the texts users read lie
in `prompts/en/` under the same names. Only the answer's framing is translated: quotes from
the minutes stay as printed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assistant.core.errors import ConfigError
from assistant.danish.language import DANISH, Language


@cache
def load_prompt(prompts_dir: Path, name: str, language: Language = DANISH) -> str:
    """The template `name` in `language`. A missing English template is an error, not a
    silent Danish one: every text an English answer uses must exist in English."""
    folder = prompts_dir if language == DANISH else prompts_dir / language
    path = folder / f"{name}.txt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError as error:
        raise ConfigError(f"Skabelonen {path} mangler") from error
