"""Reject invalid Block Kit the way Slack does.

Two layers: a round trip through slack_sdk's model classes (which knows required fields
and some lengths), then the documented limits the models do not check. Errors are
worded like Slack's ``invalid_blocks`` details: a message plus a JSON pointer.
"""
from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from metricloop.slack import limits
from metricloop.slack.limits import (
    ACTIONS_ELEMENTS_MAX,
    BUTTON_TEXT_MAX,
    BUTTON_VALUE_MAX,
    CONTEXT_ELEMENTS_MAX,
    FIELD_MAX,
    FIELDS_MAX,
    HEADER_MAX,
    MAX_VIEW_BLOCKS,
    SECTION_MAX,
    TABLE_COLUMNS_MAX,
    TABLE_ROWS_MAX,
)

MAX_BLOCKS = {"message": limits.MAX_BLOCKS, "modal": MAX_VIEW_BLOCKS, "home": MAX_VIEW_BLOCKS}
TABLE_CELL_TYPES = ("raw_text", "rich_text")
# (block type, path to a text object's string, maximum length)
TEXT_LIMITS = (
    ("section", ("text", "text"), SECTION_MAX),
    ("header", ("text", "text"), HEADER_MAX),
)


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _too_long(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) > limit


def _button_errors(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict) or element.get("type") != "button":
        return []
    errors = []
    if _too_long(_dig(element, ("text", "text")), BUTTON_TEXT_MAX):
        errors.append(f"must be less than {BUTTON_TEXT_MAX + 1} characters [json-pointer:{where}/text/text]")
    if _too_long(element.get("value"), BUTTON_VALUE_MAX):
        errors.append(f"must be less than {BUTTON_VALUE_MAX + 1} characters [json-pointer:{where}/value]")
    return errors


def _table_errors(block: dict[str, Any], where: str) -> list[str]:
    rows = block.get("rows")
    if not isinstance(rows, list) or not rows:
        return [f"must provide at least one row [json-pointer:{where}/rows]"]
    errors = []
    if len(rows) > TABLE_ROWS_MAX:
        errors.append(f"must provide no more than {TABLE_ROWS_MAX} items [json-pointer:{where}/rows]")
    for r, row in enumerate(rows):
        if not isinstance(row, list) or not row:
            errors.append(f"must provide at least one cell [json-pointer:{where}/rows/{r}]")
            continue
        if len(row) > TABLE_COLUMNS_MAX:
            errors.append(f"must provide no more than {TABLE_COLUMNS_MAX} items [json-pointer:{where}/rows/{r}]")
        for c, cell in enumerate(row):
            if not isinstance(cell, dict) or cell.get("type") not in TABLE_CELL_TYPES:
                errors.append(f"cell type must be one of {', '.join(TABLE_CELL_TYPES)} "
                              f"[json-pointer:{where}/rows/{r}/{c}]")
    if len(block.get("column_settings") or []) > TABLE_COLUMNS_MAX:
        errors.append(f"must provide no more than {TABLE_COLUMNS_MAX} items [json-pointer:{where}/column_settings]")
    return errors


def _limit_errors(block: dict[str, Any], where: str) -> list[str]:
    """The documented limits slack_sdk's models leave to the server."""
    kind = block.get("type")
    errors = [f"must be less than {limit + 1} characters [json-pointer:{where}/{'/'.join(path)}]"
              for block_type, path, limit in TEXT_LIMITS
              if kind == block_type and _too_long(_dig(block, path), limit)]
    if kind == "section":
        fields = block.get("fields") or []
        if len(fields) > FIELDS_MAX:
            errors.append(f"must provide no more than {FIELDS_MAX} items [json-pointer:{where}/fields]")
        errors += [f"must be less than {FIELD_MAX + 1} characters [json-pointer:{where}/fields/{i}/text]"
                   for i, f in enumerate(fields) if _too_long(_dig(f, ("text",)), FIELD_MAX)]
        errors += _button_errors(block.get("accessory"), f"{where}/accessory")
    elif kind == "context" and len(block.get("elements") or []) > CONTEXT_ELEMENTS_MAX:
        errors.append(f"must provide no more than {CONTEXT_ELEMENTS_MAX} items [json-pointer:{where}/elements]")
    elif kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > ACTIONS_ELEMENTS_MAX:
            errors.append(f"must provide no more than {ACTIONS_ELEMENTS_MAX} items [json-pointer:{where}/elements]")
        for i, element in enumerate(elements):
            errors += _button_errors(element, f"{where}/elements/{i}")
    elif kind == "table":
        errors += _table_errors(block, where)
    return errors


def _model_errors(block: Any, where: str) -> list[str]:
    """Round trip through slack_sdk's models: unknown types, missing fields, their own limits."""
    if not isinstance(block, dict) or "type" not in block:
        return [f"missing required field: type [json-pointer:{where}]"]
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [f"unsupported type: {block['type']} [json-pointer:{where}/type]"]
        parsed.to_dict()  # validates this object and every nested one
    except Exception as exc:  # noqa: BLE001 - any model failure is a validation error for Slack
        return [f"{exc} [json-pointer:{where}]"]
    return []


def validate_blocks(blocks: Any, surface: str = "message", pointer: str = "/blocks") -> list[str]:
    """Every problem Slack would report for ``blocks`` on ``surface`` (message, modal, home)."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    errors = []
    if len(blocks) > MAX_BLOCKS[surface]:
        errors.append(f"must provide no more than {MAX_BLOCKS[surface]} items [json-pointer:{pointer}]")
    seen_ids: set[str] = set()
    tables = 0
    for i, block in enumerate(blocks):
        where = f"{pointer}/{i}"
        model = _model_errors(block, where)
        errors += model
        if model:
            continue
        block_id = block.get("block_id")
        if block_id is not None and block_id in seen_ids:
            errors.append(f"duplicate block_id {block_id!r} [json-pointer:{where}/block_id]")
        seen_ids.add(block_id)
        tables += block.get("type") == "table"
        errors += _limit_errors(block, where)
    if tables > 1:
        errors.append(f"only one table block is allowed per message [json-pointer:{pointer}]")
    return errors


def validate_view(view: Any) -> list[str]:
    """Problems with a modal or Home tab view (views.open / publish / update)."""
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"]
    try:
        View(**view).to_dict()
    except Exception as exc:  # noqa: BLE001
        return [f"{exc} [json-pointer:/view]"]
    surface = "home" if view.get("type") == "home" else "modal"
    if surface == "modal" and not _dig(view, ("title", "text")):
        return ["missing required field: title [json-pointer:/view/title]"]
    return validate_blocks(view.get("blocks", []), surface, pointer="/view/blocks")
