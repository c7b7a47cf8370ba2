"""Stage 2a, measure, per article: actors and their mentions, tone toward each actor, quotes and
speakers, stance between actors. DataFrame in, DataFrame out.
"""
