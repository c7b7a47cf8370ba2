"""Stage 3, show: house style, figures, headlines, word clouds and widgets. Tables in, figures out;
computes nothing new.
"""
