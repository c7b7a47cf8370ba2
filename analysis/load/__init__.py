"""Stage 1, load: a corpus folder -> ``Corpus`` (articles, paragraphs, sentences) and the problems table.

Reading and decoding files, the manifest, dates, HTML and page furniture, duplicates.
Knows nothing of caches, measures, figures or notebooks.
"""
