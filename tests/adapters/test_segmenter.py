"""The slim jieba segments the dev set's Chinese questions like the full dictionary does."""
from pathlib import Path

import jieba
from ruamel.yaml import YAML

from metricloop.adapters import segmenter
from metricloop.adapters.catalog_files import load_catalog
from metricloop.adapters.segmenter import SLIM_WORDS, install_slim_segmenter
from metricloop.core import text
from metricloop.core.text import has_cjk

ROOT = Path(__file__).resolve().parents[2]


def _chinese_questions() -> list[str]:
    data = YAML(typ="safe").load((ROOT / "tests/fixtures/questions/dev.yaml").read_text(encoding="utf-8"))
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "q" and isinstance(value, str) and has_cjk(value):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def test_slim_segmenter_agrees_with_full_jieba(tmp_path):
    questions = _chinese_questions()
    assert len(questions) >= 50
    jieba.setLogLevel(40)
    full = [tuple(w for w in jieba.lcut(q) if w.strip()) for q in questions]
    try:
        install_slim_segmenter(load_catalog(ROOT / "catalog"), tmp_path)
        slim = [tuple(w for w in text._SEGMENTER(q) if w.strip()) for q in questions]
        # (written when the process's first Chinese text was cut, in that load's cache)
        assert Path(segmenter._SLIM_BASE[0].dictionary).name == f"jieba-top{SLIM_WORDS}.txt"
    finally:
        text.use_segmenter(None)
    same = sum(a == b for a, b in zip(full, slim, strict=False))
    differing = [(q, a, b) for q, a, b in zip(questions, full, slim, strict=False) if a != b]
    assert same / len(questions) >= 0.9, differing[:10]


def test_a_second_catalog_in_the_same_process_cuts_as_if_loaded_alone(tmp_path, monkeypatch):
    """The slice is loaded once per process and copied per catalog: one catalog's words never reach another."""
    shop = load_catalog(ROOT / "catalog")
    other = load_catalog(ROOT / "tests/fixtures/generality/catalog")
    only_shop = segmenter.catalog_words(shop) - segmenter.catalog_words(other)
    assert only_shop
    monkeypatch.setattr(segmenter, "_SLIM_BASE", [])
    alone = segmenter._slim_tokenizer(other, tmp_path / "alone")
    after_shop = (segmenter._slim_tokenizer(shop, tmp_path / "shared"),
                  segmenter._slim_tokenizer(other, tmp_path / "shared"))[1]
    assert after_shop.FREQ == alone.FREQ and after_shop.total == alone.total
    questions = _chinese_questions()
    assert [after_shop.lcut(q) for q in questions] == [alone.lcut(q) for q in questions]
