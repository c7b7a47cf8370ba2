"""Stage 2b, count, across articles: terms, TF-IDF, keyness, frames, naming choices, and the
intervals (``stats``) every aggregate carries.
"""
