"""A slim jieba for Chinese questions: the 60,000 most frequent words plus the catalog's own words.

jieba's full dictionary (349k words) costs about a second and ~60 MB to load; questions about metrics
need everyday words and the catalog's vocabulary, which a frequency-ranked slice plus `add_word`
covers (segmentation only adds recall to synonym matching; it never decides a metric alone).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
from functools import lru_cache
from pathlib import Path

import jieba

from metricloop.adapters.cache_files import prune, write_atomically
from metricloop.core.catalog.model import Catalog
from metricloop.core.text import has_cjk, use_segmenter

SLIM_WORDS = 60_000


def _slim_dictionary(cache_dir: Path) -> Path:
    """Write (once, atomically) the slice of jieba's dictionary with the most frequent words."""
    target = cache_dir / f"jieba-top{SLIM_WORDS}.txt"
    if target.exists():
        return target
    source = Path(jieba.__file__).with_name("dict.txt")
    rows = [line.split() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: -int(r[1]))
    write_atomically(target, "".join(" ".join(r) + "\n" for r in rows[:SLIM_WORDS]).encode("utf-8"))
    return target


def catalog_words(catalog: Catalog) -> set[str]:
    """Chinese words the catalog itself uses: metric and dimension synonyms, value synonyms."""
    words: set[str] = set()
    for metric in catalog.metrics:
        words.update(metric.meta.synonyms)
    for model in catalog.semantic_models:
        for dim in model.dimensions:
            words.update(dim.synonyms)
            for values in dim.value_synonyms.values():
                words.update(values)
    return {w for w in words if has_cjk(w) and " " not in w}


def install_slim_segmenter(catalog: Catalog, cache_dir: Path) -> None:
    """Make core.text use the slim tokenizer, built when the first Chinese text is cut.

    Building it takes a fifth of a second or more, and an English question on a cached lexicon never cuts Chinese
    (issue 9: a 2-second CLI); the first Chinese question (or lexicon build) pays for it once, in any thread."""
    lock = threading.Lock()
    built: list[jieba.Tokenizer] = []

    def tokenizer() -> jieba.Tokenizer:
        with lock:
            if not built:
                built.append(_slim_tokenizer(catalog, Path(cache_dir)))
            return built[0]

    use_segmenter(lambda text: tokenizer().lcut(text),
                  lambda word: bool(tokenizer().FREQ.get(word)) or word in _full_dictionary())


_SLIM_BASE: list[jieba.Tokenizer] = []  # the slice, loaded once per process (it never depends on the catalog)
_SLIM_BASE_LOCK = threading.Lock()


def _slim_base(cache_dir: Path) -> jieba.Tokenizer:
    """The slim slice of jieba's dictionary, initialized once per process: sorting 349k words and building the
    prefix dictionary took a second or more, paid again by every catalog a process loads (each blind set's test)."""
    with _SLIM_BASE_LOCK:
        if not _SLIM_BASE:
            jieba.setLogLevel(logging.WARNING)
            base = jieba.Tokenizer(dictionary=str(_slim_dictionary(cache_dir)))
            base.tmp_dir = str(cache_dir)  # jieba caches its prefix dict there, not in /tmp
            base.initialize()
            _SLIM_BASE.append(base)
        return _SLIM_BASE[0]


def _slim_tokenizer(catalog: Catalog, cache_dir: Path) -> jieba.Tokenizer:
    base = _slim_base(cache_dir)
    tokenizer = jieba.Tokenizer(dictionary=base.dictionary)  # a copy of the base: add_word below changes it
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base.FREQ), base.total, True
    # catalog words that fell out of the slice are added back at their full-dictionary frequency only:
    # forcing whole synonyms into single tokens would hide their parts ("总客户数" must still share
    # "客户" with "客户数")
    for word, freq in _cached_frequencies(catalog_words(catalog), cache_dir).items():
        tokenizer.add_word(word, freq=freq)
    return tokenizer


def _cached_frequencies(words: set[str], cache_dir: Path) -> dict[str, int]:
    """`_full_frequencies`, kept in `cache_dir` per set of words (reading jieba's 349k-line dictionary for a
    catalog's few words took a tenth of a second of every start)."""
    key = hashlib.blake2b("\n".join(sorted(words)).encode(), digest_size=12).hexdigest()
    file = cache_dir / f"jieba-freq-{key}.json"
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    found = _full_frequencies(words)
    with contextlib.suppress(OSError):  # a read-only cache: only slower
        write_atomically(file, json.dumps(found, ensure_ascii=False).encode("utf-8"))
        prune(cache_dir, "jieba-freq-*.json")
    return found


@lru_cache(maxsize=1)
def _full_dictionary() -> frozenset[str]:
    """Every word of jieba's full dictionary (read on the first Chinese typo check: 扣款 is a word, never a typo)."""
    with Path(jieba.__file__).with_name("dict.txt").open(encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle)


def _full_frequencies(words: set[str]) -> dict[str, int]:
    """Frequencies of `words` in jieba's full dictionary (absent words are left out)."""
    wanted = set(words)
    found: dict[str, int] = {}
    with Path(jieba.__file__).with_name("dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if parts and parts[0] in wanted:
                found[parts[0]] = int(parts[1])
    return found
