"""A warehouse file DuckDB cannot open is one clear line; a file replaced atomically is reopened (issue 10)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.errors import UserError

BAD_FILES = {
    "text": (lambda p: p.write_text("id,revenue\n1,10\n"), "is not a DuckDB database"),
    "random bytes": (lambda p: p.write_bytes(bytes(range(256)) * 20), "is not a DuckDB database"),
    "empty": (lambda p: p.write_bytes(b""), "is not a DuckDB database"),
    "directory": (lambda p: p.mkdir(), "is a directory"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_is_not_duckdb_is_one_clear_line(kind, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    make, expected = BAD_FILES[kind]
    make(path)
    with pytest.raises(UserError) as err:
        DuckDBWarehouse(str(path))
    assert str(path) in err.value.message and expected in err.value.message and "\n" not in err.value.message


def _write(path: Path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT ? AS v", [value])
    con.close()


def test_a_file_replaced_atomically_is_reopened(tmp_path):
    path = tmp_path / "w.duckdb"
    _write(path, 1)
    warehouse = DuckDBWarehouse(str(path))
    assert warehouse.run_sql("SELECT v FROM t").rows == ((1,),)
    fresh = tmp_path / "w.duckdb.new"
    _write(fresh, 2)
    os.replace(fresh, path)  # what `metricloop demo` does
    assert warehouse.run_sql("SELECT v FROM t").rows == ((2,),)
    assert warehouse.table_columns("t") == {"v": "INTEGER"}
    warehouse.close()


def test_a_writer_in_place_gets_the_lock_error_and_a_reader_is_told_what_to_do(tmp_path):
    path = tmp_path / "w.duckdb"
    _write(path, 1)
    reader = DuckDBWarehouse(str(path))
    writer = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r})"],
                            capture_output=True, text=True)
    assert writer.returncode != 0 and "lock" in writer.stderr.lower()  # documented: write a new file and rename
    reader.close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(UserError) as err:
            DuckDBWarehouse(str(path))
        assert str(path) in err.value.message and "locked by another process" in err.value.message
    finally:
        holder.kill()
        holder.wait()
