"""Chinese typos of sound and shape in short words: 评份 for 评分, 就珍 for 就诊, 处方两 for 处方量. Pure.

A pinyin input method puts a character of the same sound in place of the one meant, and handwriting one of the
same shape. The lexicon finds such typos in phrases of three characters or more (core/understand/homophones); the
short words a question is built of (a catalog word said word by word in Chinese) are corrected here, before anything
reads the question: a run of two to four characters that is not a word, one character away from exactly one of the
catalog's Chinese words, where that character sounds (or looks) like the one in the word, is read as the word, and
the reply says so. A run the segmenter keeps as a word of its own (期间, 旗舰 sound alike) is never corrected.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence

from metricloop.core.text import CJK_RUN
from metricloop.core.understand.glossary import load_glossary
from metricloop.core.understand.homophones import heard_table
from metricloop.core.understand.lexicon import Lexicon
from metricloop.core.understand.zh_aliases import ONE, ONE_VALUE

# the little words a sentence is joined with are typed as meant, whatever other reading they have (和 is also read
# huo: 套餐和会员收入 is never 套餐活会员收入)
_NEVER_TYPED = frozenset("和与及或的了在是不也都就把被对从向给")
_LENGTHS = (4, 3, 2)  # longest first: 处方两 is 处方量 before 方两 is anything
# A two-character typo stands as a word of its own: after a period or a particle (上周就珍量, 这个月的评份) and before
# what is asked of it (…量, …是多少, …率). Inside longer words two characters too often are a word the dictionary
# lacks (个月 of 12个月, 食材, 取车量) that merely sounds like a catalog word.
_BEFORE_SHORT = re.compile(r"(?:^|[的了是月周天年期日\s，,。？?！!：:])$")
_AFTER_SHORT = re.compile(r"^(?:$|是|多少|率|量|金额|额|数|怎么样|呢|吗|有|[\s，,。？?！!])")
# 率 makes a count a rate; a typo of it (拒付绿, 退货律) left alone answers the count, a different number. One
# character of its sound right after a catalog word, alone in the segmenter's cut and before what is asked, is 率.
_RATE = "率"
# ... and a two-character word of the kind of number glued to a catalog word (仿制药比列 is 仿制药比例): other short
# words glued to one are too often a word the dictionary lacks
_KIND_WORDS = frozenset({"比例", "占比", "比率", "均值", "时长", "金额", "人数", "次数", "单价"})


class ChineseSpeller:
    """The catalog's Chinese words (own, rendered, and rendered word by word), indexed by all but one character."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if len(w) in _LENGTHS and CJK_RUN.fullmatch(w))
        self._index: dict[tuple[int, str, str], list[tuple[str, str]]] = {}
        for word in self.words:
            for k in range(len(word)):
                self._index.setdefault((k, word[:k], word[k + 1 :]), []).append((word, word[k]))

    def correct(self, text: str, segment: Callable[[str], Sequence[str]],
                is_word: Callable[[str], bool]) -> tuple[str, dict[str, str]]:
        """`text` with each typo of a catalog word replaced, and typed → word. `segment` cuts a Chinese run into
        words: a typo is a whole piece of it (少人 of 多少人 is never one); `is_word`: a word of the dictionary."""
        if not self.words:
            return text, {}
        table = heard_table()
        out, corrections = list(text), {}
        for run in CJK_RUN.finditer(text):
            start, end = run.span()
            kept: list[tuple[int, int]] | None = None  # read on the first candidate only (the dictionary is large)
            i = start
            while i < end:
                fixed = None
                for length in _LENGTHS:
                    piece = text[i : i + length]
                    if len(piece) < length or piece in self.words \
                            or (length == 2 and not _AFTER_SHORT.match(text[i + 2 :])):
                        continue
                    found = {word for k in range(length)
                             for word, meant in self._index.get((k, piece[:k], piece[k + 1 :]), ())
                             if piece[k] not in _NEVER_TYPED
                             and set(table.get(meant, ())) & set(table.get(piece[k], ()))}
                    if len(found) != 1 or (length == 2 and not _BEFORE_SHORT.search(text[:i]) and not (
                            next(iter(found)) in _KIND_WORDS and self._word_ends(text, i))):
                        continue
                    kept = self._kept(text, run, segment, is_word) if kept is None else kept
                    if is_word(piece) or any(a < i + length and i < b and not i <= a < b <= i + length
                                             for a, b in kept):
                        continue
                    fixed = (piece, found.pop())
                    break
                if fixed is None and (meant := _count_typo(text, i, table)):
                    kept = self._kept(text, run, segment, is_word) if kept is None else kept
                    if not any(a <= i < b and b - a > 1 and text[a:b] != text[i - 1 : i + 1] for a, b in kept):
                        fixed = (text[i], meant)
                if fixed is None and self._rate_typo(text, i, table):
                    kept = self._kept(text, run, segment, is_word) if kept is None else kept
                    if not any(a <= i < b for a, b in kept):
                        fixed = (text[i], _RATE)
                if fixed is None:
                    i += 1
                    continue
                out[i : i + len(fixed[0])] = list(fixed[1])
                corrections[fixed[0]] = fixed[1]
                i += len(fixed[0])
        return "".join(out), corrections

    def _word_ends(self, text: str, i: int) -> bool:
        """A catalog word ends just before `i` (仿制药 of 仿制药比列): a short typo right after it is a word too."""
        return any(text[i - n : i] in self.words for n in _LENGTHS if i >= n)

    def _rate_typo(self, text: str, i: int, table: dict[str, tuple[str, ...]]) -> bool:
        """text[i] sounds like 率, follows a catalog word and comes before what is asked (拒付绿多少)."""
        char = text[i]
        return char != _RATE and bool(set(table.get(char, ())) & set(table.get(_RATE, ()))) \
            and self._word_ends(text, i) and bool(_AFTER_SHORT.match(text[i + 1 :])) \
            and text[i + 1 : i + 2] != _RATE

    def _kept(self, text: str, run: re.Match[str], segment: Callable[[str], Sequence[str]],
              is_word: Callable[[str], bool]) -> list[tuple[int, int]]:
        """Spans a typo never cuts: the dictionary's words the segmenter found in the run (多少 of 多少人), and the
        catalog's words spelled right (车损 of 多少起车损)."""
        start, end = run.span()
        pieces = list(segment(run.group(0)))
        ends = [start + c for c in itertools.accumulate(len(w) for w in pieces)]
        kept = [(e - len(w), e) for w, e in zip(pieces, ends, strict=True) if len(w) > 1 and is_word(w)] \
            if ends and ends[-1] == end else []
        return kept + [(a, a + n) for a in range(start, end) for n in _LENGTHS if text[a : a + n] in self.words]


# 次树, 人树, 小票树 (次数, 人数, 小票数): the count word after a measure word, typed by its sound; 顿数: 吨数
_MEASURED = frozenset("次人单件个票户笔台张份")


def _count_typo(text: str, i: int, table: dict[str, tuple[str, ...]]) -> str | None:
    """The character meant at text[i] where it is a typo of the count word 数 after a measure word (缺货次树) or of
    吨 before 数 (出货顿数), each only before what is asked; None otherwise. (收人 is not read as 收入: 接收人有多少
    counts people.)"""
    char, before, after = text[i], text[i - 1 : i], text[i + 1 :]
    if after.startswith("数") and char != "吨" and set(table.get(char, ())) & set(table.get("吨", ())):
        return "吨"
    if not i or not _AFTER_SHORT.match(after):
        return None
    sounds_like = bool(set(table.get(char, ())) & set(table.get("数", ())))
    return "数" if before in _MEASURED and char != "数" and sounds_like else None


def chinese_speller(lexicon: Lexicon) -> ChineseSpeller:
    """The speller of a catalog's Chinese: its own phrases, their renderings, and each of its words rendered alone
    (比例 of "rate", 评分 of "rating")."""
    glossary = load_glossary()
    words = [*lexicon.cjk, *(k for k in lexicon.zh if not k.startswith((ONE, ONE_VALUE)))]
    words += [r for w in {w for key in lexicon.latin for w in key} for r in glossary.render((w,))]
    return ChineseSpeller(words)
