"""The Gradio browser chat: the app, pure HTML rendering, assets as files."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.service.assistant import Assistant


def launch(assistant: Assistant, host: str, port: int) -> None:
    """Serve the chat until stopped. Gradio reads its analytics switch when it is first
    imported, so the switch is set here, before that import, and not by importing a module."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant.app.ui.app import launch as launch_app

    launch_app(assistant, host, port)
