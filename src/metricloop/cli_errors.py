"""Every `metricloop` command ends in one clear line, and with `--json` in exactly one JSON object on stdout.

`SafeGroup` is the command group class of the `metricloop` app: whatever a command raises — a UserError (a
bad warehouse file, a bad setting, an unknown metric), click's own usage errors, or an unexpected exception —
becomes one line on stderr, or `{"status": "error", "message": ...}` on stdout when `--json` was given, and
exit code 1 (2 for usage errors, as click does). A command that already printed its JSON error and exited is
left alone.
"""
from __future__ import annotations

import json
import logging
import sys
import uuid

import typer
from typer.core import TyperGroup

from metricloop.errors import UserError

log = logging.getLogger(__name__)


def error_object(message: str) -> dict:
    """The JSON error every `--json` command prints: the answer contract's keys, status `error`."""
    from metricloop.core.answer import Answer  # local: keeps `metricloop --help` light

    return Answer(status="error", message=message).to_json_dict()


def emit_error(message: str, as_json: bool) -> None:
    """Print one error: a JSON object on stdout with --json, else one line on stderr."""
    if as_json:
        print(json.dumps(error_object(message), ensure_ascii=False))
    else:
        print(message, file=sys.stderr)


def _wants_json(ctx) -> bool:  # noqa: ANN001 - a click context (typer ships its own click)
    args = [*getattr(ctx, "protected_args", []), *ctx.args]
    return "--json" in args


def _passes_through(exc: BaseException) -> bool:
    """An exit the command chose (typer.Exit, click's Exit/Abort): not an error to report."""
    return isinstance(exc, typer.Exit) or type(exc).__name__ in ("Exit", "Abort")


class SafeGroup(TyperGroup):
    """A typer group whose commands never end in a traceback or, with --json, without a JSON object."""

    def invoke(self, ctx):  # noqa: ANN001, ANN201 - a click context; whatever the command returns
        as_json = _wants_json(ctx)
        try:
            return super().invoke(ctx)
        except UserError as exc:
            emit_error(exc.message, as_json)
            raise typer.Exit(1) from None
        except Exception as exc:
            if _passes_through(exc):
                raise
            if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # click's usage errors
                if not as_json:
                    raise
                emit_error(exc.format_message(), True)
                raise typer.Exit(exc.exit_code) from None
            # the last line of defence: one line and an id to quote; the traceback only in a debug log
            error_id = uuid.uuid4().hex[:8]
            log.debug("internal error %s", error_id, exc_info=exc)
            emit_error(f"Internal error {error_id}: {type(exc).__name__}: {exc}", as_json)
            raise typer.Exit(1) from None
