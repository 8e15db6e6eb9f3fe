"""Block Kit for `/metrics list` and `/metrics define`, built with slack_sdk models. Pure."""
from __future__ import annotations

from collections import defaultdict

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from metricloop.core.catalog.model import Catalog, Metric, MetricInput
from metricloop.core.present.formatting import format_value
from metricloop.slack import messages as msg
from metricloop.slack.limits import SECTION_MAX

MAX_GROUPS = 45  # leaves room under Slack's 50 blocks for the header and a note


def _input(ref: MetricInput | None) -> str:
    if ref is None:
        return "?"
    return ref.name + (f" (offset {ref.offset_window})" if ref.offset_window else "")


def formula(metric: Metric, catalog: Catalog) -> str:
    """A one-line formula: `sum(order_total)`, `revenue / orders`, the derived expression, a window."""
    if metric.type == "ratio":
        return f"{_input(metric.numerator)} / {_input(metric.denominator)}"
    if metric.type == "derived":
        inputs = ", ".join(f"{m.alias or m.name}={_input(m)}" for m in metric.metrics)
        return f"{metric.expr}  [{inputs}]" if inputs else str(metric.expr)
    found = catalog.find_measure(metric.measure.name) if metric.measure else None
    base = f"{found[1].agg}({found[1].expr or found[1].name})" if found else _input(metric.measure)
    if metric.type == "cumulative":
        base += f" over {metric.window}" if metric.window else \
            (f", {metric.grain_to_date} to date" if metric.grain_to_date else ", all time")
    if metric.filter:
        base += " where " + " and ".join(metric.filter)
    return base


def _section(text: str) -> dict:
    clipped = text if len(text) <= SECTION_MAX else text[: SECTION_MAX - 1] + "…"
    return SectionBlock(text=MarkdownTextObject(text=clipped)).to_dict()


def list_blocks(catalog: Catalog, lang: str = "en") -> list[dict]:
    """Metrics grouped by domain (then owner), one line each: name, label, owner."""
    groups: dict[str, list[Metric]] = defaultdict(list)
    for metric in catalog.supported_metrics():
        groups[metric.meta.domain or metric.meta.owner or msg.list_other(lang)].append(metric)
    blocks = [HeaderBlock(text=msg.list_title(lang)).to_dict()]
    for name in sorted(groups)[:MAX_GROUPS]:
        lines = [f"• `{m.name}` {m.display_name}" + (f" — {m.meta.owner}" if m.meta.owner else "")
                 for m in sorted(groups[name], key=lambda m: m.name)]
        blocks.append(_section(f"*{name}*\n" + "\n".join(lines)))
    return blocks


def define_blocks(metric: Metric, catalog: Catalog, lang: str = "en") -> list[dict]:
    """One metric's definition card: description, type, formula, owner, target, source file."""
    none = msg.define_label("none", lang)
    target = none
    if metric.meta.target:
        t = metric.meta.target
        sign = "≥" if t.direction == "higher" else "≤"
        target = f"{sign} {format_value(t.value, metric.meta.format, lang)} / {t.period}"
    fields = [
        MarkdownTextObject(text=f"*{msg.define_label('type', lang)}*\n{metric.type}"),
        MarkdownTextObject(
            text=f"*{msg.text('context_owner', lang, owner='').strip(' :：')}*\n{metric.meta.owner or none}"),
        MarkdownTextObject(text=f"*{msg.define_label('target', lang)}*\n{target}"),
        MarkdownTextObject(text=f"*{msg.define_label('formula', lang)}*\n`{formula(metric, catalog)[:1900]}`"),
    ]
    blocks = [HeaderBlock(text=f"{metric.display_name} ({metric.name})"[:150]).to_dict()]
    if metric.description:
        blocks.append(_section(metric.description))
    blocks.append(SectionBlock(fields=fields).to_dict())
    extras = [f"synonyms: {', '.join(metric.meta.synonyms)}"] if metric.meta.synonyms else []
    if metric.source.file != "<memory>":
        extras.append(f"`{metric.source}`")
    if extras:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=e[:2000]) for e in extras]).to_dict())
    return blocks
