"""The last gate before SQL reaches an engine: one read-only SELECT over governed tables. Pure.

Two checks share one walker:
- `check_expression` for a catalog fragment (a measure's or dimension's `expr`, a filter, a derived
  metric's `expr`) at load time: no statements, no subqueries, no functions that read files or reach
  the network or the engine's own settings.
- `check_query` for the compiled query just before it runs: a single SELECT (CTEs and UNIONs allowed)
  whose tables are all governed tables or its own CTEs.

User text never becomes SQL text (values are literals in sqlglot expressions); this gate is what makes
a hostile catalog `expr`, or a bug in the compiler, fail closed instead of reading `/etc/passwd`.
"""
from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from metricloop.errors import UserError

# Functions that read files or URLs, list the file system, or touch engine state. Lower-case names as
# sqlglot reports them (known functions by class, unknown ones as Anonymous with their written name).
FORBIDDEN_FUNCTIONS = frozenset({
    "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json", "read_json_auto",
    "read_json_objects", "read_ndjson", "read_ndjson_auto", "read_ndjson_objects", "read_text", "read_blob",
    "glob", "sniff_csv", "parquet_metadata", "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata",
    "iceberg_scan", "delta_scan", "sqlite_scan", "postgres_scan", "mysql_scan", "read_xlsx", "st_read",
    "current_setting", "duckdb_settings", "duckdb_extensions", "duckdb_secrets", "duckdb_databases",
    "duckdb_tables", "duckdb_columns", "pragma_database_list", "load_extension", "pg_read_file",
    "pg_read_binary_file", "pg_ls_dir", "lo_import", "lo_export", "dblink", "getenv", "query", "query_table",
})
FORBIDDEN_SCHEMAS = frozenset({"information_schema", "pg_catalog", "sys", "duckdb_catalog"})
# Statement and command nodes that never belong in a governed query.
_STATEMENTS = tuple(
    getattr(exp, name) for name in (
        "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "Command", "Pragma", "Set", "Copy",
        "Attach", "Detach", "Use", "Transaction", "Commit", "Rollback", "Grant", "Revoke", "Describe",
        "Install", "Load", "Export", "TruncateTable", "Analyze", "LoadData",
    ) if hasattr(exp, name)
)


def _function_name(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return None


def _problems(tree: exp.Expression, nodes: list[exp.Expression] | None = None) -> list[str]:
    """Every reason `tree` is unsafe, whatever its position (functions, statements, file tables); `nodes`: its
    nodes, where the caller walked it already."""
    out: list[str] = []
    for node in tree.walk() if nodes is None else nodes:
        if isinstance(node, _STATEMENTS):
            out.append(f"a {type(node).__name__.upper()} statement")
        name = _function_name(node)
        if name and (name in FORBIDDEN_FUNCTIONS or name.startswith(("read_", "pg_read", "duckdb_"))):
            out.append(f"the function {name}()")
        if isinstance(node, exp.Table):
            if node.text("db").lower() in FORBIDDEN_SCHEMAS or node.name.lower() in FORBIDDEN_SCHEMAS:
                out.append(f"the system table {node.sql()}")
            if isinstance(node.this, exp.Literal):  # FROM 'file.csv' reads a file in DuckDB
                out.append(f"the file {node.this.sql()}")
    return out


def check_expression(text: str, *, dialect: str = "duckdb") -> list[str]:
    """Why a catalog SQL fragment is not allowed ([] when it is): no statements, subqueries, files or
    system tables. Parse errors are left to the caller's own syntax check."""
    try:
        tree = sqlglot.parse_one(text, dialect=dialect)
    except ParseError:
        return []
    problems = _problems(tree)
    if any(isinstance(node, exp.Select | exp.Subquery) for node in tree.walk()):
        problems.append("a subquery (a governed expression reads only its own model's columns)")
    if ";" in text:
        problems.append("more than one statement")
    return list(dict.fromkeys(problems))


def check_query(sql: str, allowed_tables: set[str], *, dialect: str = "duckdb") -> None:
    """Raise UserError unless `sql` is one SELECT over `allowed_tables` and its own CTEs."""
    try:
        statements = [s for s in sqlglot.parse(sql, dialect=dialect) if s is not None]
    except ParseError as exc:
        raise UserError("The generated query could not be checked, so it was not run.", sql=sql) from exc
    if len(statements) != 1:
        raise UserError("Only a single SELECT may run against the warehouse; this query was refused.", sql=sql)
    check_tree(statements[0], allowed_tables, sql=sql)


def check_tree(tree: exp.Expression, allowed_tables: set[str], *, sql: str | None = None) -> None:
    """Raise UserError unless `tree` is a SELECT (CTEs, UNIONs allowed) reading only `allowed_tables`
    (lower-case, with or without their schema) and its own CTEs: the compiler's last step."""
    if not isinstance(tree, exp.Query):
        raise UserError("Only a single SELECT may run against the warehouse; this query was refused.", sql=sql)
    # one walk of the tree for every check (a scan compiles thousands of queries: three walks were a sixth of it)
    nodes = list(tree.walk())
    problems = _problems(tree, nodes)
    ctes = {node.alias_or_name.lower() for node in nodes if isinstance(node, exp.CTE)}
    for table in (node for node in nodes if isinstance(node, exp.Table)):
        if not isinstance(table.this, exp.Identifier):
            continue  # a table function (a date series); functions were checked above
        name = table.name.lower()
        qualified = ".".join(p for p in (table.text("catalog").lower(), table.text("db").lower(), name) if p)
        if name in ctes and not table.text("db"):
            continue
        if qualified not in allowed_tables and name not in allowed_tables:
            problems.append(f"the table {table.sql()}, which no governed model reads")
    if problems:
        raise UserError("This query was refused because it uses " + ", ".join(dict.fromkeys(problems)) + ".",
                        sql=sql)


def governed_tables(tables: list[str], schema: str | None = None) -> set[str]:
    """The names a compiled query may read: each model's table, bare and as qualified in the catalog
    or by the configured schema."""
    out: set[str] = set()
    for table in tables:
        name = table.lower()
        out |= {name, name.rsplit(".", 1)[-1]}
        if schema:
            out.add(f"{schema.lower()}.{name.rsplit('.', 1)[-1]}")
    return out
