"""The rules of stretching: routines, the session plan, the hold clock, cues,
breaks and the figures of the history. Plain Python: no Textual, no files.

`model` holds the data types the store reads and writes; everything else
here is a rule, and the store may not import it.
"""
