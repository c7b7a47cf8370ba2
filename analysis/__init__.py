"""Research notebooks for news-media analysts: load articles, then measure how outlets cover actors.

The public API, in the order of the data flow:

- ``load_corpus(folder) -> Corpus``: articles, paragraphs, sentences and problems.
"""

from .corpus import Corpus, CorpusError, load_corpus

__version__ = "0.1.0"

__all__ = ["Corpus", "CorpusError", "load_corpus", "__version__"]
