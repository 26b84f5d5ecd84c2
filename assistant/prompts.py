"""Prompt and answer templates, kept as text files in `prompts/` and loaded by name."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assistant.errors import ConfigError


@cache
def load_prompt(prompts_dir: Path, name: str) -> str:
    path = prompts_dir / f"{name}.txt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError as error:
        raise ConfigError(f"Skabelonen {path} mangler") from error
