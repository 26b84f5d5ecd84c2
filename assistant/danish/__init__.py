"""Danish language knowledge: text normalisation, answer language, dates, case numbers,
municipalities.
"""
