"""The Gradio browser chat: the app, pure HTML rendering, assets as files."""
