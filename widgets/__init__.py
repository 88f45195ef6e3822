"""Python helpers for the *Terres rares* book: data loading, charts, scenario model, widgets.

Chapters import from here; no chapter reads a CSV or builds a chart from scratch.
"""
