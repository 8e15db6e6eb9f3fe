"""Time: the one calendar (all date arithmetic, at the ground), the English and Chinese phrase rules
(english, chinese, words), recognising a period in a question (phrases) and comparison windows (ranges).
The clock is always passed in: nothing here asks the system for today's date.

May import: query.
"""
