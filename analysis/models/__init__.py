"""The shipped models behind the measures: features, training and evaluation of the light
target-tone model, and the optional fine-tuned transformer. Used by ``measure`` only.
"""
