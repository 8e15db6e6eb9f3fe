"""The pure core: both paths through metricloop, with no I/O.

    ASK   understand/ → query.MetricQuery → compile/ → (engine, outside core) → answer.Answer → present/
    LOOP  (scan series through compile/) → loop/ detect → contributors → digest / review content

Nothing here imports Slack, DuckDB, SQLite, the scheduler, torch or the network (tests/test_architecture.py
enforces it, and each subpackage's "May import" line below).
"""
