"""Governed definitions: the frozen models (model), building them from MetricFlow mappings (build),
cross-reference checks (validate), dbt's semantic manifest (manifest), the entity join graph (graph)
and who may see what (access).

May import: time.calendar, query, text, sql_guard.
"""
