"""The adapters people use: the command line and the browser chat."""
