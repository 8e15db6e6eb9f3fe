"""Options the loop's commands share (scan, alerts, digest, actions, history, catalog tree), declared once."""
from __future__ import annotations

import typer

JSON_LIST = typer.Option(False, "--json", help="Print one JSON list.")
CATALOG = typer.Option(None, "--catalog", help="Catalog directory (default: the demo catalog).")
WAREHOUSE = typer.Option(None, "--warehouse",
                         help="DuckDB warehouse file or engine URL: postgresql://…, spark://local[*], sc://… "
                              "(default: the demo warehouse).")
