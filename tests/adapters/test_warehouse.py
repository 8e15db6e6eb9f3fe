"""DuckDBWarehouse: typed rows, row cap, time limit, table columns; FakeWarehouse records calls."""
from __future__ import annotations

import time

import duckdb
import pytest

from metricloop.adapters.warehouse import DuckDBWarehouse, FakeWarehouse
from metricloop.core.answer import Column, CompiledQuery, ResultTable
from metricloop.core.query import MetricQuery
from metricloop.errors import QueryTimeout, UserError


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = tmp_path_factory.mktemp("wh") / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE t AS SELECT i AS id, DATE '2024-01-01' + CAST(i AS INTEGER) AS d,"
        " TIMESTAMP '2024-01-01 10:30:00' AS ts, CAST(i / 4 AS DECIMAL(10, 2)) AS amount, 'x' || i AS name"
        " FROM range(0, 50) r(i)"
    )
    con.close()
    warehouse = DuckDBWarehouse(str(path), timeout_s=30, max_rows=10)
    yield warehouse
    warehouse.close()


def test_typed_rows_and_row_cap(wh):
    table = wh.run_sql("SELECT d, ts, amount, name, id FROM t ORDER BY id")
    assert table.truncated and len(table.rows) == 10
    assert table.rows[1] == ("2024-01-02", "2024-01-01 10:30:00", 0.25, "x1", 1)
    assert [c.type for c in table.columns] == ["date", "date", "number", "string", "number"]
    assert table.elapsed_ms > 0
    small = wh.run_sql("SELECT id FROM t WHERE id < 3 ORDER BY id", max_rows=5)
    assert not small.truncated and small.rows == ((0,), (1,), (2,))


def test_read_only(wh):
    with pytest.raises(UserError):
        wh.run_sql("CREATE TABLE u AS SELECT 1")


def test_timeout_interrupts_quickly(wh):
    slow = "SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range * b.range % 7 = 3"
    started = time.perf_counter()
    with pytest.raises(QueryTimeout) as err:
        wh.run_sql(slow, timeout_s=0.5)
    assert time.perf_counter() - started < 5
    assert "0.5 s" in err.value.message and err.value.sql == slow
    assert wh.run_sql("SELECT 1 AS one").rows == ((1,),)  # the connection still works


def test_run_keeps_compiled_columns_and_table_columns(wh):
    cols = (Column(name="n", label="Orders", role="metric", metric="orders", type="number"),)
    compiled = CompiledQuery(query=MetricQuery(metrics=("orders",)), dialect="duckdb",
                             sql="SELECT count(*) AS n FROM t", columns=cols)
    table = wh.run(compiled)
    assert table.columns == cols and table.rows == ((50,),)
    assert wh.table_columns("t") == {"id": "BIGINT", "d": "DATE", "ts": "TIMESTAMP", "amount": "DECIMAL(10,2)",
                                     "name": "VARCHAR"}
    assert wh.table_columns("missing") == {}


def test_threads_share_one_warehouse(wh):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        sums = list(pool.map(lambda i: wh.run_sql(f"SELECT sum(id) FROM t WHERE id < {i}").rows[0][0], range(1, 9)))
    assert sums == [sum(range(i)) for i in range(1, 9)]


def test_fake_warehouse_records_and_caps():
    rows = ResultTable(columns=(Column(name="a", label="A", role="metric"),), rows=((1,), (2,), (3,)))
    fake = FakeWarehouse({"SELECT a": rows})
    assert fake.run_sql("SELECT a", max_rows=2).truncated
    assert fake.calls == ["SELECT a"]
    with pytest.raises(UserError):
        fake.run_sql("SELECT b")


def test_a_read_only_warehouse_cannot_read_files_even_with_raw_sql(tmp_path):
    """Defence in depth behind the SQL guard: external access is off on read-only connections."""
    import duckdb

    from metricloop.adapters.warehouse import DuckDBWarehouse
    from metricloop.errors import UserError

    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS a")
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    wh = DuckDBWarehouse(str(path), read_only=True)
    assert wh.run_sql("SELECT a FROM t").rows == ((1,),)
    with pytest.raises(UserError):
        wh.run_sql(f"SELECT content FROM read_text('{secret}')")
    # a second read-only connection to the same file in the same process still opens
    assert DuckDBWarehouse(str(path), read_only=True).run_sql("SELECT count(*) FROM t").rows == ((1,),)
