"""Slack's documented Block Kit limits, in one place: the block builders clip to them and the fake
Slack Web API (tests/fakes/block_limits.py) rejects what breaks them."""

MAX_BLOCKS = 50  # per message; modals and the App Home allow 100
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX, FIELDS_MAX = 2000, 10
BUTTON_TEXT_MAX, BUTTON_VALUE_MAX = 75, 2000
ACTION_ID_MAX, BLOCK_ID_MAX = 255, 255
CONTEXT_ELEMENTS_MAX, ACTIONS_ELEMENTS_MAX = 10, 25
TABLE_ROWS_MAX, TABLE_COLUMNS_MAX = 100, 20
