"""Use cases over the stages: the Assistant facade, conversation, feedback, and the one composition
root (wiring).
"""
