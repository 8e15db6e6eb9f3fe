"""Progress for long work in a terminal (`demo`, `scan` over a range, `eval`, value-index builds).

The work itself only calls a `Tick` — `tick(advance=1, total=None, what=None)` — and knows nothing of
terminals; `progress_bar` gives a rich bar when output goes to a terminal, and a tick that does nothing with
`--json` or when output is piped or captured, so scripts and JSON readers never see a bar.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class Tick(Protocol):
    """Report progress: `advance` steps done; `total` (re)sets how many there are; `what` names the step."""

    def __call__(self, advance: int = 1, *, total: int | None = None, what: str | None = None) -> None: ...


def no_progress(advance: int = 1, *, total: int | None = None, what: str | None = None) -> None:
    """The tick of work nobody watches."""


@contextmanager
def progress_bar(label: str, *, console: Console | None = None, quiet: bool = False,
                 total: int | None = None) -> Iterator[Tick]:
    """A bar named `label` on `console` (default: stdout) while the block runs, cleared when it ends.

    Quiet (a tick that does nothing) with `quiet` (e.g. --json) or when the console is not a terminal.
    """
    console = console or Console()
    if quiet or not console.is_terminal:
        yield no_progress
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)

        def tick(advance: int = 1, *, total: int | None = None, what: str | None = None) -> None:
            description = f"{label} · {what}" if what else None
            # refreshed on every step: steps are coarse (a table, a query, a question), and a bar that only
            # redraws on a timer shows nothing of a burst of quick steps
            progress.update(task, advance=advance, total=total, description=description, refresh=True)

        yield tick
