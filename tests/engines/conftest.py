"""Session fixtures: one throwaway PostgreSQL and one Spark local session for every engine test, and two data
worlds (the compiler's generated warehouse, the demo warehouse) copied from DuckDB into both engines.

Engine tests carry `xdist_group` marks (servers.params.engine_params), so with `pytest -n 2 --dist loadgroup` all
Spark tests share one worker and one JVM, and PostgreSQL's tests share one server.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
import pytest
from _pytest.nodeid import coerce_node_id

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core.catalog.model import Catalog
from metricloop.demo.build import build_demo
from metricloop.ports import Warehouse
from servers.copy_tables import copy_to_postgres, copy_to_spark, export_parquet
from servers.params import DEMO_END, DEMO_SCALE
from servers.postgres import start_postgres

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))  # the compiler tests' generated world
from compile_world import TABLES, make_catalog

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class World:
    """A catalog and the same rows on DuckDB (the reference) and on each engine asked for."""

    catalog: Catalog
    duckdb: DuckDBWarehouse
    duck_path: Path


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On xdist workers under --dist loadgroup, suffix each grouped test's id with its group, as xdist means to.

    xdist 3.8 writes the suffix to `item._nodeid`, which pytest 9 no longer reads (a node's id lives in
    `_id`), so groups were silently ignored and both workers started Spark and PostgreSQL.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is not None and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{mark.args[0]}")


@pytest.fixture(scope="session")
def postgres_server():
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def spark_session():
    """One Spark local session (2 cores) for every test; each world gets its own session over the same JVM."""
    from metricloop.adapters.warehouse_spark import SparkWarehouse

    warehouse = SparkWarehouse("spark://local[2]?spark.driver.memory=1g", timeout_s=120)
    yield warehouse.spark
    warehouse.spark.stop()


@dataclass
class WorldFiles:
    """A world's catalog, its DuckDB file and the same tables as Parquet (what the engines load)."""

    catalog: Catalog
    path: Path
    parquet: Path


@pytest.fixture(scope="session")
def world_files(tmp_path_factory) -> dict[str, WorldFiles]:
    """The two DuckDB warehouses, their catalogs and Parquet exports (written before any read-only open)."""
    root = tmp_path_factory.mktemp("engine_worlds")
    compile_path, demo_path = root / "compile.duckdb", root / "demo.duckdb"
    with duckdb.connect(str(compile_path)) as con:
        con.execute(TABLES)
    build_demo(demo_path, end=DEMO_END, scale=DEMO_SCALE)
    out = {"compile": WorldFiles(make_catalog(), compile_path, root / "compile_parquet"),
           "demo": WorldFiles(load_catalog(ROOT / "catalog"), demo_path, root / "demo_parquet")}
    for files in out.values():
        with duckdb.connect(str(files.path)) as con:
            export_parquet(con, files.parquet)
    return out


@pytest.fixture(scope="session")
def duckdb_worlds(world_files) -> dict[str, World]:
    return {name: World(catalog=f.catalog, duckdb=DuckDBWarehouse(f.path, read_only=True, timeout_s=120),
                        duck_path=f.path) for name, f in world_files.items()}


@pytest.fixture(scope="session")
def postgres_worlds(postgres_server, world_files) -> dict[str, Warehouse]:
    """Each world in its own PostgreSQL database, read through PostgresWarehouse."""
    from metricloop.adapters.warehouse_postgres import PostgresWarehouse

    out = {}
    with psycopg.connect(postgres_server.url, autocommit=True) as admin:
        for name, files in world_files.items():
            admin.execute(f"CREATE DATABASE {name}")
            url = postgres_server.url.rsplit("/", 1)[0] + f"/{name}"
            copy_to_postgres(files.parquet, url)
            out[name] = PostgresWarehouse(url, timeout_s=120)
    yield out
    for warehouse in out.values():
        warehouse.close()


@pytest.fixture(scope="session")
def spark_worlds(spark_session, world_files) -> dict[str, Warehouse]:
    """Each world in its own Spark session (its own views) over the one JVM."""
    from metricloop.adapters.warehouse_spark import SparkWarehouse

    out = {}
    for name, files in world_files.items():
        session = spark_session.newSession()
        copy_to_spark(files.parquet, session)
        out[name] = SparkWarehouse(session=session, timeout_s=120)
    return out


@pytest.fixture
def engine_worlds(request):
    """`engine_worlds(engine)` -> {world name: Warehouse} on that engine, started on first use."""
    return lambda engine: request.getfixturevalue(f"{engine}_worlds")
