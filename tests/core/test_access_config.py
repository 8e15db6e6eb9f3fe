"""A mistyped `access:` section fails the catalog check with file, line and a did-you-mean — it must never
silently open or close metrics."""
import shutil
from pathlib import Path

import pytest

from metricloop.adapters.catalog_files import check_catalog, load_catalog

GOVERNED = Path(__file__).parents[1] / "fixtures" / "catalogs" / "governed"
HEAD = "# access for a test\naccess:\n"  # the snippet's first line is line 3


@pytest.mark.parametrize("snippet, field, line, suggestion", [
    ("  defualt: open\n", "access.defualt", 3, "default"),
    ("  default: opne\n", "access.default", 3, "open"),
    ("  groups:\n    fin: [U0CFO]\n  domains:\n    finance: [finanse]\n", "access.domains.finance.0", 6, "fin"),
    ("  groups:\n    finance: [U0CFO]\n  domains:\n    finace: [finance]\n", "access.domains.finace", 6, "finance"),
    ("  groups:\n    finance: [U0CFO]\n  metrics:\n    big_revenu: [finance]\n", "access.metrics.big_revenu", 6,
     "big_revenue"),
    ("  groups:\n    east:\n      members: ['@bo']\n      rows: {customer__regoin: East}\n",
     "access.groups.east.rows.customer__regoin", 6, "customer__region"),
    ("  groups:\n    east:\n      memebrs: ['@bo']\n", "access.groups.east.memebrs", 5, "members"),
    ("  groups:\n    east: [bo]\n", "access.groups.east.0", 4, None),            # not an id, e-mail or @handle
    ("  groups:\n    east:\n      members: ['@bo']\n      rows: {metric_time: '2025-01-01'}\n",
     "access.groups.east.rows.metric_time", 6, None),
])
def test_mistyped_access_is_located(tmp_path, snippet, field, line, suggestion):
    catalog = tmp_path / "catalog"
    shutil.copytree(GOVERNED, catalog)
    (catalog / "loop.yml").write_text(HEAD + snippet)
    problems = check_catalog(catalog)
    assert [(p.file, p.field, p.line, p.suggestion) for p in problems] == [
        ("catalog/loop.yml", field, line, suggestion)], [str(p) for p in problems]


def test_every_problem_at_once(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(GOVERNED, catalog)
    (catalog / "loop.yml").write_text(HEAD + "  default: shut\n  groups:\n    a: [nobody]\n"
                                      "  metrics:\n    revenue: [b]\n")
    assert len(check_catalog(catalog)) == 3


def test_the_fixture_itself_is_valid():
    assert load_catalog(GOVERNED).loop["access"]["default"] == "open"
