"""The Slack front end's sentences, as one small function per message so call sites read well. Pure.

The words themselves live in the one bilingual table, core/present/texts.py (add new ones there).
"""
from __future__ import annotations

from typing import Any

from metricloop.core.present.texts import LANGS as LANGS  # re-exported: callers read the table through here
from metricloop.core.present.texts import TEXTS, say

TEXT = TEXTS  # the one table, under the name Slack code has always used


def text(key: str, lang: str = "en", **values: Any) -> str:
    """The sentence `key` of the one text table in `lang` (English when the language is unknown)."""
    return say(key, lang, **values)


def thinking(lang: str = "en") -> str:
    return text("thinking", lang)


def show_sql_button(lang: str = "en") -> str:
    return text("show_sql", lang)


def sql_title(lang: str = "en") -> str:
    return text("sql_title", lang)


def sql_truncated(shown: int, total: int, lang: str = "en") -> str:
    return text("sql_truncated", lang, shown=shown, total=total)


def did_you_mean(lang: str = "en") -> str:
    return text("did_you_mean", lang)


def clarify_intro(lang: str = "en") -> str:
    return text("clarify_intro", lang)


def no_match(lang: str = "en") -> str:
    return text("no_match", lang)


def no_match_suggest(lang: str = "en") -> str:
    return text("no_match_suggest", lang)


def no_match_none(lang: str = "en") -> str:
    return text("no_match_none", lang)


def no_rows(lang: str = "en") -> str:
    return text("no_rows", lang)


def rows_shown(shown: int, total: int, lang: str = "en") -> str:
    return text("rows_shown", lang, shown=shown, total=total)


def rows_capped(lang: str = "en") -> str:
    return text("rows_capped", lang)


def columns_shown(shown: int, total: int, lang: str = "en") -> str:
    return text("columns_shown", lang, shown=shown, total=total)


def context_metric(metrics: str, lang: str = "en") -> str:
    return text("context_metric", lang, metrics=metrics)


def context_owner(owner: str, lang: str = "en") -> str:
    return text("context_owner", lang, owner=owner)


def context_period(period: str, lang: str = "en") -> str:
    return text("context_period", lang, period=period)


def context_elapsed(ms: float, lang: str = "en") -> str:
    return text("context_elapsed", lang, ms=f"{ms:,.0f}")


def timeout(seconds: float | None, lang: str = "en") -> str:
    return text("timeout", lang, seconds=f"{seconds:g}" if seconds else "?")


def error_generic(lang: str = "en") -> str:
    return text("error_generic", lang)


def error_id(error_id: str, lang: str = "en") -> str:
    return text("error_id", lang, error_id=error_id)


def denied(lang: str = "en") -> str:
    return text("denied", lang)


def chart_alt(title: str, lang: str = "en") -> str:
    return text("chart_alt", lang, title=title)


def help_text(lang: str = "en") -> str:
    return text("help", lang)


# -- slash commands and the App Home tab ----------------------------------------------------------
def list_title(lang: str = "en") -> str:
    return text("list_title", lang)


def list_other(lang: str = "en") -> str:
    return text("list_other", lang)


def define_label(field: str, lang: str = "en") -> str:
    """Field names of `/metrics define`: type, formula, target, none."""
    return text(f"define_{field}", lang)


def unknown_metric(name: str, hint: str | None = None, lang: str = "en") -> str:
    return text("unknown_metric", lang, name=name) + (text("unknown_metric_hint", lang, hint=hint) if hint else "")


def usage(verb: str, lang: str = "en") -> str:
    return text("usage", lang, verb=verb)


def follow_result(metric: str, *, follow: bool, changed: bool, lang: str = "en") -> str:
    """The reply to `/metrics follow|unfollow`."""
    key = ("followed" if changed else "already_following") if follow else ("unfollowed" if changed else "not_following")
    return text(key, lang, metric=metric)


def home(key: str, lang: str = "en") -> str:
    """App Home strings: title, empty, last_7_days, alerts, no_alerts, actions, no_actions, unavailable."""
    return text(f"home_{key}", lang)
