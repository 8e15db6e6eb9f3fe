"""MetricQuery + catalog → one sqlglot expression → SQL for a dialect: measures (a CTE per measure at
its own model), metrics (ratio, derived, cumulative), combine (parts joined on the keys), offsets (a value
a period or an offset earlier, at every grain; moved_rows reads a measure moved in time), filters
(MetricFlow templates and structured filters) and the sqlglot helpers (sql). User text never becomes SQL
text here.

May import: catalog, query, answer, time, text, sql_guard.
"""
