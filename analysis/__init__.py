"""Research notebooks for news-media analysts: load articles, then measure how outlets cover actors.

The public API, in the order of the data flow:

- ``load_corpus(folder) -> Corpus``: articles, paragraphs, sentences and problems.
- ``load_actors``, ``find_mentions``: who is mentioned where (``analysis.actors``).
- ``find_quotes``: direct quotations, their speakers and verbs (``analysis.quotes``).
- ``mention_tone``, ``summarize_tone``: tone toward each actor (``analysis.tone``).
- ``find_stance``: who supports or opposes whom (``analysis.stance``).
- ``term_table``, ``keyness``: what each outlet talks about, and what sets it apart (``analysis.terms``).
- ``frame_hits``, ``frame_shares``: which frames carry each outlet's story (``analysis.frames``).
- ``naming_table``: alternative names per outlet (``analysis.naming``).
- ``analyze``: all of the above in one cached pass (``analysis.pipeline``).
"""

__version__ = "0.1.0"

from .corpus import Corpus, CorpusError, load_corpus  # noqa: E402
from .actors import count_mentions, find_mentions, kwic, load_actors, roll_up  # noqa: E402
from .quotes import find_quotes, quoted_speakers  # noqa: E402
from .tone import compare_lexicons, mention_tone, score_sentences, summarize_tone  # noqa: E402
from .stance import cue_table, find_stance, summarize_stance  # noqa: E402
from .terms import context_keyness, keyness, term_table, top_terms  # noqa: E402
from .frames import frame_hits, frame_shares, load_frames  # noqa: E402
from .naming import naming_table  # noqa: E402
from .pipeline import analyze  # noqa: E402

__all__ = [
    "Corpus", "CorpusError", "load_corpus",
    "load_actors", "find_mentions", "count_mentions", "kwic", "roll_up",
    "find_quotes", "quoted_speakers",
    "mention_tone", "summarize_tone", "compare_lexicons", "score_sentences",
    "find_stance", "summarize_stance", "cue_table",
    "term_table", "top_terms", "keyness", "context_keyness",
    "load_frames", "frame_hits", "frame_shares",
    "naming_table",
    "analyze",
    "__version__",
]
