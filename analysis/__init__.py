"""Research notebooks for news-media analysts: load articles, then measure how outlets cover actors.

The public API, in the order of the data flow:

- ``load_corpus(folder) -> Corpus``: articles, paragraphs, sentences and problems.
- ``load_actors``, ``find_mentions``: who is mentioned where (``analysis.measure.actors``).
- ``find_quotes``: direct quotations, their speakers and verbs (``analysis.measure.quotes``).
- ``mention_tone``, ``summarize_tone``: tone toward each actor (``analysis.measure.tone``).
- ``find_stance``: who supports or opposes whom (``analysis.measure.stance``).
- ``term_table``, ``keyness``: what each outlet talks about, and what sets it apart (``analysis.count.terms``).
- ``frame_hits``, ``frame_shares``: which frames carry each outlet's story (``analysis.count.frames``).
- ``naming_table``: alternative names per outlet (``analysis.count.naming``).
- ``analyze``: all of the above in one cached pass (``analysis.run.pipeline``).
"""

from analysis.config import VERSION as __version__  # noqa: E402  (from the package metadata)
from analysis.count.frames import frame_hits, frame_shares, load_frames  # noqa: E402
from analysis.count.keyness import context_keyness, keyness  # noqa: E402
from analysis.count.naming import naming_table  # noqa: E402
from analysis.count.terms import term_table, top_terms  # noqa: E402
from analysis.load.corpus import Corpus, CorpusError, load_corpus  # noqa: E402
from analysis.measure.actors import (  # noqa: E402
    count_mentions,
    find_mentions,
    kwic,
    load_actors,
    roll_up,
)
from analysis.measure.quotes import find_quotes, quoted_speakers  # noqa: E402
from analysis.measure.stance import cue_table, find_stance, summarize_stance  # noqa: E402
from analysis.measure.tone import (  # noqa: E402
    compare_lexicons,
    mention_tone,
    score_sentences,
    summarize_tone,
)
from analysis.run.pipeline import analyze, load_corpus_cached, validation  # noqa: E402

__all__ = [
    "Corpus", "CorpusError", "load_corpus",
    "load_actors", "find_mentions", "count_mentions", "kwic", "roll_up",
    "find_quotes", "quoted_speakers",
    "mention_tone", "summarize_tone", "compare_lexicons", "score_sentences",
    "find_stance", "summarize_stance", "cue_table",
    "term_table", "top_terms", "keyness", "context_keyness",
    "load_frames", "frame_hits", "frame_shares",
    "naming_table",
    "analyze", "load_corpus_cached", "validation",
    "__version__",
]
