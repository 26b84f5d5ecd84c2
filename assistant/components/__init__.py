"""Adapters for external engines (embedders, LLMs, Chroma, file lock, model fetch): the only place
llama_index, chromadb and Hugging Face are imported.
"""
