"""`/metrics teach <words> = <metric>`, `/metrics forget <words>`, `/metrics words [metric]`: the words owners
teach for their metrics (core/catalog/taught.py, adapters/store_taught.py); `/metrics gaps`: the words people
asked with that no metric has yet, most asked first (core/loop/word_gaps.py, from the audit trail).

Only a metric's owner teaches or forgets its words: a taught phrase changes what everyone's questions mean, so
it is governed like the metric. Each new or forgotten word is stored with its announcement to the metric's
channel in one transaction (the outbox posts it once) and audited; the caller then rebuilds the interpreter
(`MetricService.relearn`) so the next question already knows it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from metricloop.core.catalog.access import Policy
from metricloop.core.catalog.build import suggest
from metricloop.core.catalog.model import Catalog, Metric
from metricloop.core.catalog.taught import (
    TaughtWord,
    already_said,
    clean_phrase,
    condition_problem,
    find_condition,
    teach_problem,
)
from metricloop.core.loop.routing import notice_channel
from metricloop.core.loop.word_gaps import WordGap, clean_gap, word_gaps
from metricloop.core.present.texts import say
from metricloop.core.understand.negation import CUE as NEGATION_CUE
from metricloop.slack import messages as msg
from metricloop.slack.loop_blocks import esc

TEACHING_VERBS = ("teach", "forget", "words", "gaps")
GAPS_SHOWN = 15  # the most asked phrases; the rest are counted
# "<words> = <metric>"; also → / -> / : as people type them
_SPLIT = re.compile(r"\s*(?:=|→|->|＝)\s*")


@dataclass(frozen=True)
class TeachingDesk:
    """What a teaching command needs besides its text: who owns a metric and how to mention them."""

    catalog: Catalog
    store: Any
    owns: Callable[[str, Metric], bool]  # (Slack user, metric) → whether they are its owner
    mention: Callable[[str | None], str]  # a catalog person → a Slack mention (or the name as written)
    # how the interpreter reads the phrase alone today: the metrics it answers with or offers (None: unchecked)
    reads_as: Callable[[str], list[str]] | None = None
    # the dimensions' values, (semantic model, dimension) → values as spelled in the data (None: none known)
    values: Callable[[], Mapping[tuple[str, str], Sequence[str]]] | None = None


@dataclass(frozen=True)
class TeachingReply:
    """The ephemeral reply, what to audit (None: nothing changed) and whether the interpreter must relearn."""

    text: str
    audit: dict[str, Any] | None = None
    changed: bool = False


def reader(understander: Any, today: Callable[[], Any]) -> Callable[[str], list[str]]:
    """`TeachingDesk.reads_as` over an interpreter: the metrics a phrase alone is answered with, or the several it
    is asked back among ("revenue" of three revenue metrics). None when nothing fits it (the nearest metrics a
    no-match offers are no reading of the word) or one metric is only offered (a faint likeness, e.g. 额 of
    "amount": the word was asked back, never answered, so teaching it answers no one's question otherwise)."""
    def reads_as(phrase: str) -> list[str]:
        reading = understander.interpret(phrase, today=today())
        if reading.query is not None:
            return list(reading.query.metrics)
        offered = [o.metric for o in reading.options]
        return offered if reading.kind == "clarify" and len(offered) >= 2 else []
    return reads_as


def find_metric(catalog: Catalog, name: str) -> tuple[Metric | None, str | None]:
    """The metric named (by name or label, any case), or None plus the nearest name as a hint."""
    wanted = name.strip().strip("`").lower()
    for metric in catalog.metrics:
        if wanted in (metric.name.lower(), metric.display_name.lower()):
            return metric, None
    return None, suggest(wanted, [m.name for m in catalog.metrics])


def teaching_reply(verb: str, arg: str, user: str, desk: TeachingDesk, lang: str = "en",
                   policy: Policy | None = None, source: str | None = None) -> TeachingReply:
    """Run one teaching verb for `user`; `policy` (None: the operator) hides metrics they may not see."""
    if verb == "words":
        return TeachingReply(_words(arg, desk, lang, policy))
    if verb == "gaps":
        return TeachingReply(gaps_text(current_gaps(desk.store), lang, examples=False))
    if verb == "forget":
        return _forget(arg, user, desk, lang)
    phrase, metric_text = _parts(arg)
    if not phrase or not metric_text:
        return TeachingReply(say("teach_usage", lang))
    metric, hint = find_metric(desk.catalog, metric_text)
    if metric is None:
        condition = find_condition(desk.catalog, metric_text, desk.values() if desk.values else {})
        if condition is not None:
            return _teach_condition(phrase, condition, user, desk, lang, source)
        return TeachingReply(msg.unknown_metric(metric_text, hint, lang))
    if policy is not None and not policy.can_see(metric.name):
        return TeachingReply(say("access_denied", lang, metrics=metric.name))
    if not desk.owns(user, metric):
        return TeachingReply(say("teach_not_owner", lang, metric=esc(metric.display_name),
                                 owner=desk.mention(metric.meta.owner)))
    problem = teach_problem(desk.catalog, phrase, metric)
    if problem is not None:
        return TeachingReply(say(problem.key, lang, **{**problem.args, "phrase": esc(phrase)}))
    negated = _negated(phrase, lang)
    if negated is not None:
        return negated
    if already_said(metric, phrase):
        return TeachingReply(say("teach_known", lang, phrase=esc(phrase), metric=esc(metric.display_name)))
    generic = _generic(phrase, metric.name, metric.display_name, desk, lang)
    if generic is not None:
        return generic
    announce = _announcement(metric.name, metric.display_name, notice_channel(metric, desk.catalog.loop),
                             "taught", phrase, user)
    word, outcome = desk.store.teach_word(phrase, metric.name, user, source=source, announce=announce)
    return _stored(word, outcome, metric.display_name, desk, lang)


def _generic(phrase: str, mine: str, label: str, desk: TeachingDesk, lang: str) -> TeachingReply | None:
    """The refusal of a word other metrics' questions already use: taught for one (or for a dimension or value),
    it would answer their questions with it. None when the phrase alone reads as no other metric."""
    others = [n for n in (desk.reads_as(phrase) if desk.reads_as else []) if n != mine]
    if not others:
        return None
    labels = ", ".join(esc(m.display_name) for n in others[:4] if (m := desk.catalog.metric(n)))
    return TeachingReply(say("teach_generic", lang, phrase=esc(phrase), metric=esc(label),
                             others=labels or ", ".join(others[:4])))


def _negated(phrase: str, lang: str) -> TeachingReply | None:
    """The refusal of a phrase with a negation word in it (see `without_negation`); None when it has none."""
    if without_negation(phrase) == clean_gap(phrase):
        return None
    return TeachingReply(say("teach_negated", lang, phrase=esc(phrase), word=esc(without_negation(phrase) or "")))


def _stored(word: TaughtWord, outcome: str, label: str, desk: TeachingDesk, lang: str) -> TeachingReply:
    """The reply to what the store did with a word to teach (see `teach_word`)."""
    if outcome == "taken":
        other = desk.catalog.metric(word.metric) if word.kind == "metric" else None
        return TeachingReply(say("teach_taken", lang, phrase=esc(word.phrase),
                                 metric=esc(other.display_name if other else word.target)))
    if outcome == "same":
        return TeachingReply(say("teach_known", lang, phrase=esc(word.phrase), metric=esc(label)))
    audit = {"phrase": word.phrase, "metric": word.metric} if word.kind == "metric" else {
        "phrase": word.phrase, "dimension": word.dimension, "value": word.value}
    return TeachingReply(say("teach_done", lang, phrase=esc(word.phrase), metric=esc(label)), audit=audit,
                         changed=True)


def _teach_condition(phrase: str, condition: tuple[str, str | None], user: str, desk: TeachingDesk, lang: str,
                     source: str | None) -> TeachingReply:
    """Teach a phrase for a dimension or a value: any metric's owner may (a dimension belongs to no one metric)."""
    dimension, value = condition
    label = TaughtWord(phrase, dimension=dimension, value=value).target
    if not _owns_a_metric(user, desk):
        return TeachingReply(say("teach_not_an_owner", lang, target=esc(label)))
    problem = condition_problem(desk.catalog, phrase, dimension, value)
    if problem is not None:
        return TeachingReply(say(problem.key, lang, **{**problem.args, "phrase": esc(phrase)}))
    negated = _negated(phrase, lang)
    if negated is not None:
        return negated
    generic = _generic(phrase, "", label, desk, lang)
    if generic is not None:
        return generic
    channel = notice_channel(None, desk.catalog.loop)
    announce = _announcement("", label, channel, "taught", phrase, user)
    word, outcome = desk.store.teach_word(phrase, "", user, dimension=dimension, value=value, source=source,
                                          announce=announce)
    return _stored(word, outcome, label, desk, lang)


def _owns_a_metric(user: str, desk: TeachingDesk) -> bool:
    """Whether `user` owns any metric: who may teach words for dimensions and values, which no one metric owns."""
    return any(desk.owns(user, m) for m in desk.catalog.metrics if m.meta.owner)


def _parts(arg: str) -> tuple[str, str]:
    pieces = _SPLIT.split(arg.strip(), maxsplit=1)
    if len(pieces) != 2:
        return "", ""
    return clean_phrase(pieces[0]), pieces[1].strip()


def _forget(arg: str, user: str, desk: TeachingDesk, lang: str) -> TeachingReply:
    phrase = clean_phrase(_SPLIT.split(arg.strip(), maxsplit=1)[0])
    if not phrase:
        return TeachingReply(say("teach_usage", lang))
    word = desk.store.taught_word(phrase)
    if word is None:
        return TeachingReply(say("forget_unknown", lang, phrase=esc(phrase)))
    metric = desk.catalog.metric(word.metric) if word.kind == "metric" else None
    label = metric.display_name if metric else word.target
    if metric is not None and not desk.owns(user, metric):
        return TeachingReply(say("teach_not_owner", lang, metric=esc(label), owner=desk.mention(metric.meta.owner)))
    if word.kind != "metric" and not _owns_a_metric(user, desk):
        return TeachingReply(say("teach_not_an_owner", lang, target=esc(label)))
    channel = notice_channel(metric, desk.catalog.loop)
    announce = _announcement(word.metric, label, channel, "forgotten", word.phrase, user)
    forgotten = desk.store.forget_word(phrase, user, announce=announce)
    if forgotten is None:  # forgotten by someone else meanwhile
        return TeachingReply(say("forget_unknown", lang, phrase=esc(phrase)))
    return TeachingReply(say("forget_done", lang, phrase=esc(forgotten.phrase), metric=esc(label)),
                         audit={"phrase": forgotten.phrase, "target": forgotten.target}, changed=True)


def _announcement(name: str, label: str, channel: str, kind: str, phrase: str,
                  user: str) -> list[tuple[str, dict[str, Any]]]:
    """The changelog notice to the metric's channel (a dimension's or value's: the alerts channel): its words are
    part of what questions mean."""
    payload = {"metric": name, "label": label, "kind": kind, "phrase": phrase, "by": f"<@{user}>", "changes": []}
    return [(channel, payload)]


def _words(arg: str, desk: TeachingDesk, lang: str, policy: Policy | None) -> str:
    only = None
    if arg.strip():
        only, hint = find_metric(desk.catalog, arg)
        if only is None:
            return msg.unknown_metric(arg.strip(), hint, lang)
    lines = []
    for word in desk.store.taught_words(only.name if only else None):
        metric = desk.catalog.metric(word.metric) if word.kind == "metric" else None
        if word.kind == "metric" and (metric is None or (policy is not None and not policy.can_see(metric.name))):
            continue
        lines.append(say("words_line", lang, phrase=esc(word.phrase), metric=esc(metric.display_name if metric
                                                                                  else word.target),
                         by=f"<@{word.taught_by}>", day=word.at[:10]))
    if not lines:
        return say("words_none", lang)
    return "\n".join([f"*{say('words_title', lang)}*", *lines])


def current_gaps(store: Any, since: str | None = None) -> list[WordGap]:
    """The phrases unanswered questions could not place (the audit trail, from `since`), less those taught since."""
    entries = [{"who": e.who, "at": e.created_at, "detail": e.detail}
               for e in store.audit_entries(since=since, what="question")]
    return word_gaps(entries, taught=[w.phrase for w in store.taught_words()], tidy=without_negation)


def without_negation(phrase: str) -> str | None:
    """A phrase without the negation words in it (除了酒驾 → 酒驾, "excluding walk-ins" → "walk-ins"): the
    interpreter reads those itself, and a word taught with one would read "除了酒驾" as 酒驾 — a negation turned
    into its opposite."""
    return clean_gap(NEGATION_CUE.sub(" ", phrase.lower() if phrase.isascii() else phrase))


def gaps_text(gaps: list[WordGap], lang: str = "en", *, examples: bool = True) -> str:
    """The most asked phrases no metric has, one line each (with a question that used it, when `examples`)."""
    if not gaps:
        return say("gaps_none", lang)
    lines = [f"*{say('gaps_title', lang)}*"]
    for gap in gaps[:GAPS_SHOWN]:
        line = say("gaps_line", lang, phrase=esc(gap.phrase), asked=gap.asked, people=len(gap.people),
                   day=gap.last_at[:10])
        if examples and gap.example:
            line += say("gaps_example", lang, question=esc(gap.example))
        lines.append(line)
    if len(gaps) > GAPS_SHOWN:
        lines.append(say("gaps_more", lang, count=len(gaps) - GAPS_SHOWN))
    lines.append(say("gaps_teach", lang))
    return "\n".join(lines)
