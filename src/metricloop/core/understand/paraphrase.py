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
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from metricloop.core.text import tokens

# everyday verbs of any business, then each trade's own (取车, 退卡, 报修: what its people do with what it counts)
PARAPHRASE_FILES = ("data/paraphrases.tsv", "data/paraphrases_trades.tsv")


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, tuple[str, ...]], ...]:
    package = resources.files("metricloop")
    lines = [line for name in PARAPHRASE_FILES if package.joinpath(name).is_file()
             for line in package.joinpath(name).read_text(encoding="utf-8").splitlines()]
    return parse_rows(lines)


def parse_rows(lines: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(pattern text, noun words) rows from TSV lines; `#` starts a comment line."""
    rows = []
    for line in lines:
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        pattern, nouns = line.rstrip("\n").split("\t", 1)
        words = tuple(dict.fromkeys(t for noun in nouns.split("|") for t in tokens(noun)))
        rows.append((pattern, words))
    return tuple(rows)


def parse_table(lines: list[str]) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """(compiled pattern, noun words) rows from TSV lines; `#` starts a comment line."""
    return tuple((re.compile(pattern), words) for pattern, words in parse_rows(lines))


def _table() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Every shipped row, compiled (the questions themselves compile only the rows their text may match)."""
    return tuple((_compiled(i), words) for i, (_, words) in enumerate(_rows()))


@cache
def _compiled(row: int) -> re.Pattern[str]:
    # compiled when a text first holds one of the row's literals: compiling all ~770 rows took a fifth of a
    # second of every cold `metricloop ask`, and a question needs a handful of them (issue 9: a 2-second CLI)
    return re.compile(_rows()[row][0])


def must_contain(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literal strings one of which every match of `pattern` contains (None: none known, always try it).

    ~770 patterns are tried per text; most cannot match it, and a substring test says so far quicker than the
    regular expression engine (`\\b(?:sell|sold)\\b` needs "sell" or "sold" in the text)."""
    return _literals(pattern.pattern, pattern.flags)


def _literals(text: str, flags: int = 0) -> tuple[str, ...] | None:
    parsed = sre_parse.parse(text, flags)
    if (flags | parsed.state.flags) & re.IGNORECASE:
        return None
    found = _required(parsed)
    if not found:
        return None
    # (a text containing "elling" contains "ell": the longer one need not be tried)
    return tuple(sorted(s for s in found if not any(o != s and o in s for o in found)))


def _required(items: Iterable[tuple]) -> frozenset[str] | None:
    """The most selective set of literals one of which a match of the parsed sequence `items` contains."""
    options: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            options.append(frozenset([run]))
            run = ""
        if op is sre.SUBPATTERN:
            options.append(_required(arg[-1]) or frozenset())
        elif op is sre.BRANCH:
            each = [_required(branch) for branch in arg[1]]
            options.append(frozenset().union(*each) if all(each) else frozenset())
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            options.append(_required(arg[2]) or frozenset())
    if run:
        options.append(frozenset([run]))
    options = [o for o in options if o]
    # the set whose shortest literal is longest, then the smallest such set
    return max(options, key=lambda o: (min(len(s.encode()) for s in o), -len(o))) if options else None


@lru_cache(maxsize=1)
def _triggers() -> tuple[tuple[str, ...] | None, ...]:
    return tuple(_literals(pattern) for pattern, _ in _rows())


def everyday_words(text: str) -> set[str]:
    """The noun words that the everyday phrasings in `text` (lower-cased) stand for."""
    return {w for _, words in everyday_spans(text) for w in words}


LiteralIndex = tuple[dict[int, dict[str, tuple[int, ...]]], tuple[int, ...]]
_installed: list[LiteralIndex] = []  # an index read from the runtime's cache (`use_literal_index`)


def use_literal_index(index: LiteralIndex) -> None:
    """Use `index` (what `literal_index` returns, kept on disk by the runtime between processes) instead of
    parsing the ~770 patterns again: a third of a second of every cold `metricloop ask` (issue 9: a 2-second CLI)."""
    _installed[:] = [index]


def _rows_by_literal() -> LiteralIndex:
    return _installed[0] if _installed else literal_index()


@lru_cache(maxsize=1)
def literal_index() -> LiteralIndex:
    """The rows each trigger literal opens, by the literal's length; and the rows with no literal (always tried)."""
    by_length: dict[int, dict[str, list[int]]] = {}
    always = []
    for row, needs in enumerate(_triggers()):
        if needs is None:
            always.append(row)
        for literal in needs or ():
            by_length.setdefault(len(literal), {}).setdefault(literal, []).append(row)
    return ({n: {k: tuple(v) for k, v in rows.items()} for n, rows in by_length.items()}, tuple(always))


def _candidate_rows(text: str) -> list[int]:
    """The rows whose trigger literals `text` contains, in table order: the text's substrings of each literal
    length looked up among ~2,600 literals (testing every row's literals one by one was a fifth of a question's
    time in the accuracy suites)."""
    by_length, rows = _rows_by_literal()
    found = set(rows)
    for n, literals in by_length.items():
        for literal in {text[i:i + n] for i in range(len(text) - n + 1)}.intersection(literals):
            found.update(literals[literal])
    return sorted(found)


@lru_cache(maxsize=4096)
def _spans(text: str) -> tuple[tuple[tuple[int, int], tuple[str, ...]], ...]:
    # (~770 patterns, asked of the same few texts several times per question: read once per text)
    rows = _rows()
    return tuple((m.span(), rows[row][1]) for row in _candidate_rows(text) for m in _compiled(row).finditer(text))


def everyday_spans(text: str) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    """Where `text` (lower-cased) says an everyday phrasing, with the noun words it stands for (发货: shipments)."""
    return list(_spans(text))
