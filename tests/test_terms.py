"""The Chinese of the kit uses the terms of one table (autograder/messages/terms.py), and its messages read well.

Every Chinese text is read: the instructor notebooks' translations (of the text cells, and of the code cells'
comments, docstrings and printed words), the catalogue of messages, the catalogued mistakes' hints and the
figures' texts. A word that the table replaces by its preferred term fails the test, with where it was found.
The check messages, rendered in Chinese for every kind of case, never stack two parentheses.
"""
from __future__ import annotations

import importlib
import re

import nbformat
import pytest

from autograder.messages import zh
from autograder.messages.terms import TERMS
from autograder.render import Renderer
from autograder.verdict import Outcome, Place, Timing, Verdict
from tests.helpers import ASSIGNMENTS


def chinese_texts() -> list[tuple[str, str]]:
    """(where, text) of every Chinese text of the kit."""
    found = []
    for assignment in ASSIGNMENTS:
        for index, cell in enumerate(nbformat.read(assignment.notebook, as_version=4).cells):
            translation = cell.metadata.get("translations", {}).get("zh")
            where = f"source/{assignment.name} cell {index}"
            if isinstance(translation, str):
                found.append((where, translation))
            elif isinstance(translation, dict):
                found += [(where, text) for text in translation.values()]
        found += [(f"{assignment.name} mistake {mistake.id}", mistake.hints["zh"]) for mistake in assignment.catalogue]
        figures = importlib.import_module(assignment.figures)
        found += [(f"{assignment.figures} {key}", text) for key, text in figures.TEXTS["zh"].items()]
    found += [(f"messages/zh.py {key}", text) for key, text in zh.WORDS.items()]
    return found


def avoided(texts: list[tuple[str, str]]) -> list[str]:
    """Where ``texts`` use a word that the term table replaces, and by what."""
    return [f"{where}: {match.group(0)!r} where the kit writes {term.chinese!r} ({term.english})"
            for term in TERMS for pattern in term.avoid for where, text in texts
            for match in re.finditer(pattern, text)]


def test_the_chinese_of_the_kit_uses_the_terms_of_the_table():
    texts = chinese_texts()
    assert len(texts) > 500  # the notebooks, the messages, the hints and the figures are all there
    assert avoided(texts) == []


@pytest.mark.parametrize("text, word", [
    ("反向函数接收本层的缓存。", "缓存"), ("可见的检查运行三个用例。", "可见的检查"), ("## 1. 导入包", "导入包"),
    ("消失的是围绕它的那些簿记工作。", "簿记"), ("会让测试准确率美化网络。", "美化"), ("补丁矩阵的一行", "补丁"),
])
def test_a_word_outside_the_table_is_caught_where_the_table_names_another(text, word):
    found = avoided([("here", text)])
    assert len(found) == 1 and repr(word) in found[0]
    assert avoided([("here", "超过了处理器的高速缓存容量；cache 是一个元组；公开检查；软件包")]) == []


def test_the_table_has_one_entry_a_term_and_its_words_to_avoid_compile():
    assert len({term.english for term in TERMS}) == len(TERMS)
    for term in TERMS:
        for pattern in term.avoid:
            assert not re.search(pattern, term.chinese), term  # a preferred word is never one to avoid
            re.compile(pattern)


# ---- no stacked parentheses in the Chinese check messages ------------------------------------------------------

PLACES = [
    Place("lesson", False, 1, 1, "X (4, 3, 3, 2), pad 2"),
    Place("stride2", False, 2, 3, "A_prev (2, 5, 7, 2), W (3, 3, 2, 3), hparameters {'pad': 1, 'stride': 2}"),
    Place("hidden", True, 2, 5, "dZ (2, 3, 3, 2), cache ((2, 6, 5, 2), (3, 3, 2, 2), (1, 1, 1, 2), {'pad': 1})",
          "gradient"),
    Place("speed", True, 1, 2, "A_prev (1, 192, 192, 1)", "speed"),
    Place("visible_timing", False, 1, 1, "A_prev (1, 128, 128, 1)", "speed"),
    Place("validation", False, 1, 1, "287 validation digits", "training"),
]


def stacked(text: str) -> bool:
    """Two parenthetical remarks in a row, or one inside another (full-width parentheses)."""
    if re.search(r"）\s*（", text):
        return True
    depth = 0
    for character in text:
        depth += character == "（"
        if depth > 1:
            return True
        depth -= character == "）"
    return False


@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.id)
def test_a_chinese_check_message_never_stacks_parentheses(place):
    renderer = Renderer("zh")
    verdicts = [Verdict("conv_forward", Outcome.WRONG_VALUE, place),
                Verdict("conv_forward", Outcome.TOO_SLOW, place, timing=Timing(0.26, 0.033, 100.0, (16384, 9, 1))),
                Verdict("conv_forward", Outcome.WRONG_WHEN_TIMED, place)]
    for verdict in verdicts:
        text = renderer.text(verdict)
        assert not stacked(text), text
    assert not stacked(renderer.passed("zero_pad", 1, False))


def test_the_stacked_parentheses_that_the_review_found_are_caught():
    assert stacked("出错的是第 1 个公开用例（共 3 个）（A_prev (10, 4, 4, 3)）。")
    assert stacked("允许的时间是 33 ms（numpy 复制与补丁矩阵（16384 x 9）同样大小的矩阵）。")
    assert not stacked("出错的是 3 个公开用例中的第 1 个（A_prev (10, 4, 4, 3)）。")


class _Blank(dict):
    def __missing__(self, key):
        return ""


def test_no_chinese_message_puts_a_remark_in_parentheses_after_a_place():
    """A place ends with its shapes in parentheses: a message must not add a parenthesis right after it."""
    import string

    place = Renderer("zh").place(PLACES[1])
    assert place.endswith("）")
    found = [key for key, text in zh.WORDS.items() if "{place}" in text
             and stacked(string.Formatter().vformat(text, (), _Blank(place=place)))]
    assert found == []
