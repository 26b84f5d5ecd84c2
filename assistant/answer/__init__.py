"""Writing answers from retrieved items: extractive quotes, generated answers, the citation guard,
prompts.
"""
