"""How answers read: number and period formatting, one-sentence summaries, one-line restatements of a
query, and Vega-Lite chart specs — English and Chinese.

May import: catalog, query, answer, time, text.
"""
