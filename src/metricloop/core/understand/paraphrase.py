"""Everyday verbs said for the nouns that name metrics. Pure (reads a data file shipped inside the package, once).

People ask "how many items did we move", "how much money came in", "how many people walked into our stores",
卖了多少钱; catalogs call the same numbers Units sold, Cash collected, Footfall, Net sales.
`src/metricloop/data/paraphrases.tsv` lists such phrasings (regular expressions, English and Chinese) with the
noun words they stand for. Those words join the question's own words where metric names are weighed against it
(understand/metrics): a metric still needs to share them, and the usual thresholds decide. Language only, never
a catalog's words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from metricloop.core.text import tokens

# everyday verbs of any business, then each trade's own (取车, 退卡, 报修: what its people do with what it counts)
PARAPHRASE_FILES = ("data/paraphrases.tsv", "data/paraphrases_trades.tsv")


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    package = resources.files("metricloop")
    lines = [line for name in PARAPHRASE_FILES if package.joinpath(name).is_file()
             for line in package.joinpath(name).read_text(encoding="utf-8").splitlines()]
    return parse_table(lines)


def parse_table(lines: list[str]) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """(pattern, noun words) rows from TSV lines; `#` starts a comment line."""
    rows = []
    for line in lines:
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        pattern, nouns = line.rstrip("\n").split("\t", 1)
        words = tuple(dict.fromkeys(t for noun in nouns.split("|") for t in tokens(noun)))
        rows.append((re.compile(pattern), words))
    return tuple(rows)


def everyday_words(text: str) -> set[str]:
    """The noun words that the everyday phrasings in `text` (lower-cased) stand for."""
    return {w for _, words in everyday_spans(text) for w in words}


@lru_cache(maxsize=4096)
def _spans(text: str) -> tuple[tuple[tuple[int, int], tuple[str, ...]], ...]:
    # (~770 patterns, asked of the same few texts several times per question: read once per text)
    return tuple((m.span(), words) for pattern, words in _table() for m in pattern.finditer(text))


def everyday_spans(text: str) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    """Where `text` (lower-cased) says an everyday phrasing, with the noun words it stands for (发货: shipments)."""
    return list(_spans(text))
