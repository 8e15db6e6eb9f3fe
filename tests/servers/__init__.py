"""Real engines started by the tests themselves (a throwaway PostgreSQL, Spark in local mode) and the copy of a
DuckDB warehouse into them, so the same data answers on every engine. Test tooling, importable as `servers`."""
