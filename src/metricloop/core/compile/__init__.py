"""MetricQuery + catalog → one sqlglot expression → SQL for a dialect: measures (a CTE per measure at
its own model), metrics (ratio, derived, cumulative), filters (MetricFlow templates and structured
filters) and the sqlglot helpers (sql). User text never becomes SQL text here.

May import: catalog, query, answer, time, text, sql_guard.
"""
