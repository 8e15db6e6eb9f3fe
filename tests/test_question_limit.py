"""The question-length cap lives in the service, so Slack, the CLI and the terminal chat share it: a question
over the limit is answered at once, in its language, and never reaches the interpreter."""
from __future__ import annotations

import pytest
from tests.slack.conftest import FIXTURES

from metricloop.adapters.catalog_files import load_catalog
from metricloop.service import MetricService
from metricloop.thread_state import ThreadState


class NeverCalled:
    value_index = None

    def interpret(self, text, **kwargs):
        raise AssertionError(f"interpreted a {len(text)}-character question")


@pytest.fixture(scope="module")
def service():
    return MetricService(catalog=load_catalog(FIXTURES / "catalogs" / "shop"), warehouse=None,
                         understander=NeverCalled(), max_question_chars=500)


@pytest.mark.parametrize(("question", "lang", "says"), [
    ("revenue " * 63, "en", "504 characters long"),
    ("x" * 40_000, "en", "40,000 characters long; I read questions of up to 500"),
    ("上个月的收入" * 7_000, "zh", "42,000 个字符"),
])
def test_a_question_over_the_limit_is_answered_at_once(service, question, lang, says):
    answer = service.ask(question)
    assert (answer.status, answer.language) == ("error", lang)
    assert says in answer.message
    answer, state = service.ask_in_thread(ThreadState(), question)  # the conversation path (Slack, chat) too
    assert says in answer.message


def test_the_limit_is_a_setting(monkeypatch):
    from metricloop.settings import Settings

    monkeypatch.setenv("METRICLOOP_MAX_QUESTION_CHARS", "2000")
    monkeypatch.setenv("METRICLOOP_SHUTDOWN_GRACE_S", "5")
    settings = Settings(_env_file=None)
    assert (settings.max_question_chars, settings.shutdown_grace_s) == (2000, 5.0)
    assert Settings(_env_file=None, max_question_chars=1).max_question_chars == 1
