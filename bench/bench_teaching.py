"""How far an owner's taught words take a catalog nobody tuned for: the teaching loop, measured on blind sets.

For each blind set (an English-only catalog, its warehouse, questions written without reading the interpreter):

1. "Week 1": the even-numbered questions are asked. Those asked back or refused for their words give the word
   gaps, counted as `/metrics gaps` counts them (core/loop/word_gaps.py, from the replies).
2. The owner teaches the K most asked gaps. The owner is simulated: a phrase is taught for what the people who
   used it meant — for a metric gap the one metric of those questions' gold, for a condition gap its one filter
   value (else its one breakdown); a phrase whose questions had no governed answer, or whose gold does not say
   which part it was, is not taught, nor one the catalog or `/metrics teach` refuses (core/catalog/taught.py; a
   phrase the interpreter already reads as another metric, or as one of several), nor a piece of a sentence (more
   than three English words or six Chinese characters): an owner teaches a term.
3. "Week 2": the odd-numbered questions, never used to choose the words, are scored before (the baseline, in the
   same run) and after teaching, as `metricloop eval` scores (the same rows count as right).

Prints right and wrong answers of week 2 before and after, per language, for K = 5, 10 and 20 words per catalog.
The simulated owner knows what each phrase meant, as a real owner reading the questions would; what it measures
is how much of the gap on a new catalog is vocabulary a few taught words close — and whether they add wrong
answers.

    python bench/bench_teaching.py [--sets blind_auction blind_payroll ...]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.embeddings import SentenceEmbedder
from metricloop.adapters.same_rows import WarehouseSameRows
from metricloop.adapters.segmenter import install_slim_segmenter
from metricloop.adapters.value_index import build_value_index
from metricloop.adapters.warehouse import DuckDBWarehouse
from metricloop.core import text
from metricloop.core.catalog.taught import TaughtWord, condition_problem, teach_problem, with_taught_words
from metricloop.core.loop.word_gaps import gap_of, word_gaps
from metricloop.core.understand.evaluate import evaluate, language_of, parse_cases, to_date_twins
from metricloop.core.understand.interpreter import Understander
from metricloop.eval_runner import same_rows
from metricloop.runtime import build_service
from metricloop.settings import Settings
from metricloop.slack.teaching import reader, without_negation
from test_generality import FIXTURES, build_warehouse

# the newest tuning sets (sessions 36 and 39): never held out, each first run recorded in its FIRST_RUN.md
SETS = ("blind_towing", "blind_collections", "blind_landscaping", "blind_customs", "blind_sawmill", "blind_security",
        "blind_inspection", "blind_escaperooms", "blind_coldstorage", "blind_colocation", "blind_winery",
        "blind_court", "blind_auction", "blind_payroll", "blind_tollroad", "blind_hvac", "blind_bookstore",
        "blind_rail")
WORDS = (5, 10, 20)


class Set:
    """One blind set's catalog, warehouse and questions, with an interpreter built as the runtime builds it."""

    def __init__(self, folder: str, work: Path) -> None:
        self.folder = folder
        self.data = YAML(typ="safe").load((FIXTURES / folder / "questions.yaml").read_text(encoding="utf-8"))
        self.cases = parse_cases(self.data)
        self.catalog = load_catalog(FIXTURES / folder / "catalog")
        self.warehouse = build_warehouse(folder, work / f"{folder}.duckdb")
        self.values = build_value_index(self.catalog, DuckDBWarehouse(str(self.warehouse), read_only=True))
        self.cache = work / f"{folder}-cache"
        self.engine = build_service(Settings(catalog_dir=str(FIXTURES / folder / "catalog"),
                                             warehouse=str(self.warehouse), cache_dir=str(self.cache)))
        self.jieba = work / "jieba"

    def interpreter(self, catalog):
        install_slim_segmenter(catalog, self.jieba)  # a taught Chinese phrase is one word of the segmenter
        return Understander(catalog, SentenceEmbedder(cache_dir=self.cache), self.values,
                            same_rows=WarehouseSameRows(catalog, DuckDBWarehouse(str(self.warehouse), read_only=True)))

    def score(self, understander, cases):
        today = self.data["today"]
        return evaluate(cases, lambda q, ctx: understander.interpret(q, today=today, context=ctx),
                        to_date_twins(self.catalog), same_rows(self.engine, today))


def owners_words(s: Set, report, k: int, reads_as) -> list[TaughtWord]:
    """The K most asked gaps of week 1, each taught for what its askers meant (see the module docstring)."""
    asked, meant = [], {}
    for o in report.outcomes:
        if o.ok or o.got is None:
            continue
        asked.append({"who": o.case.id, "at": "", "detail": {"status": o.got.kind, "message": o.got.reason}})
        phrase, kind = gap_of(o.got.reason)
        phrase = without_negation(phrase) if phrase else None  # as `/metrics gaps` shows it
        target = _meant(o.case.expect, kind) if phrase else None
        if target is not None:
            meant.setdefault(phrase.casefold(), Counter())[target] += 1
    taught: list[TaughtWord] = []
    for gap in word_gaps(asked, tidy=without_negation):
        votes = meant.get(gap.phrase.casefold())
        if not votes or len(taught) == k:
            continue
        if len(gap.phrase.split()) > 3 or len(re.sub(r"[^\u4e00-\u9fff]", "", gap.phrase)) > 6:
            continue  # an owner teaches a term, not the rest of a sentence the reply quoted
        metric, dimension, value = votes.most_common(1)[0][0]
        word = TaughtWord(gap.phrase, metric, dimension=dimension, value=value)
        if metric:
            found = s.catalog.metric(metric)
            problem = found is None or teach_problem(s.catalog, gap.phrase, found) is not None
        else:
            problem = condition_problem(s.catalog, gap.phrase, dimension, value) is not None
        # refused as /metrics teach refuses it: a word the interpreter reads as another metric (or several)
        if problem or any(n != metric for n in reads_as(gap.phrase)):
            continue
        taught.append(word)
    return taught


def _meant(expect: dict, kind: str) -> tuple[str, str | None, str | None] | None:
    """What the askers of a question meant by the words it lacked: its one metric (a metric gap), or its one
    condition value or else its one breakdown (a condition gap); None when the gold does not say which."""
    if kind == "metric":
        metrics = expect.get("metrics") or []
        return (metrics[0], None, None) if len(metrics) == 1 else None
    where = [w for w in expect.get("where") or [] if len(w) == 3 and len(_values(w[2])) == 1]
    if len(where) == 1:
        return "", where[0][0].split("__")[-1], _values(where[0][2])[0]
    breakdowns = expect.get("group_by") or []
    return ("", breakdowns[0].split("__")[-1], None) if len(breakdowns) == 1 else None


def _values(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def tally(report) -> dict[str, tuple[int, int, int]]:
    """language → (right, wrong, questions)."""
    out: dict[str, list[int]] = {}
    for o in report.outcomes:
        row = out.setdefault(language_of(o.case), [0, 0, 0])
        row[0] += o.ok
        row[1] += o.false_answer
        row[2] += 1
    return {lang: tuple(v) for lang, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    parser.add_argument("--show", action="store_true", help="Print the words taught.")
    args = parser.parse_args()
    started = time.perf_counter()
    totals: dict[object, Counter] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.sets:
            s = Set(folder, Path(tmp))
            week1 = [c for i, c in enumerate(s.cases) if i % 2 == 0]
            week2 = [c for i, c in enumerate(s.cases) if i % 2 == 1]
            plain = s.interpreter(s.catalog)
            first = s.score(plain, week1)
            rows = {"before": tally(s.score(plain, week2))}
            taught_counts = []
            reads_as = reader(plain, lambda today=s.data["today"]: today)
            for k in WORDS:
                words = owners_words(s, first, k, reads_as)
                taught_counts.append(len(words))
                if k == WORDS[-1] and args.show:
                    print("   taught:", [(w.phrase, w.target) for w in words])
                rows[k] = tally(s.score(s.interpreter(with_taught_words(s.catalog, words)), week2))
            text.use_segmenter(None)
            for key, by_lang in rows.items():
                for lang, (right, wrong, n) in by_lang.items():
                    totals.setdefault(key, Counter()).update({f"{lang} right": right, f"{lang} wrong": wrong,
                                                              f"{lang} n": n})
            print(f"{folder}: words taught {taught_counts}; week 2 right before {_line(rows['before'])}; after "
                  + "; ".join(f"{k} words {_line(rows[k])}" for k in WORDS), flush=True)
    print(f"\n{len(args.sets)} sets, {time.perf_counter() - started:.0f} s")
    base = totals["before"]
    for key in ("before", *WORDS):
        t = totals[key]
        label = "before teaching (baseline)" if key == "before" else f"after {key} words per catalog"
        parts = []
        for lang in ("en", "zh"):
            n = t[f"{lang} n"]
            parts.append(f"{lang} {t[f'{lang} right']}/{n} = {t[f'{lang} right'] / n:.1%} right, "
                         f"{t[f'{lang} wrong']} wrong ({t[f'{lang} wrong'] / n:.2%})")
        right = t["en right"] + t["zh right"]
        n = t["en n"] + t["zh n"]
        ratio = right / (base["en right"] + base["zh right"])
        print(f"{label}: all {right}/{n} = {right / n:.1%} right, {t['en wrong'] + t['zh wrong']} wrong; "
              + "; ".join(parts) + f"; right answers {ratio:.2f}x the baseline")


def _line(by_lang: dict[str, tuple[int, int, int]]) -> str:
    return ", ".join(f"{lang} {r}/{n} ({w} wrong)" for lang, (r, w, n) in sorted(by_lang.items()))


if __name__ == "__main__":
    main()
