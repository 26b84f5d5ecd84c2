"""Referat: ask Danish committee minutes questions, get answers with checkable citations."""
