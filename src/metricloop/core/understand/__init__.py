"""Plain words (+ the thread's previous query) → a governed MetricQuery, a clarification, or an honest
no-match: the catalog as a phrase lexicon, dense similarity, the question's frame (time, grain,
comparison, ranking), metrics, dimensions and values, validation of an outside interpreter's proposal,
and scoring an interpreter on a question set (evaluate).

May import: catalog, query, answer, time, present, text.
"""
