"""Every sentence a learner reads from a check is written here, in one place.

The sentences are kept in :data:`MESSAGES`, one catalogue per language, under
the same keys and with the same ``{placeholders}``; :func:`say` renders one in
the learner's language (see :mod:`autograder.settings`). English is the default.
"""
from __future__ import annotations

import traceback
from pathlib import Path

from . import settings

_PACKAGE_DIR = str(Path(__file__).resolve().parent)

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # where a case is: "the lesson's example (X (4, 3, 3, 2), pad 2)", "hidden case 2 of 5 (...)"
        "example": "the lesson's example",
        "case": "{kind} case {position} of {count}",
        "hidden": "hidden",
        "visible": "visible",
        "place": "{label} ({description})",
        "gradient_case": ", compared with a numerical gradient",
        # check results
        "passed_one": "{function}: all 1 {kind} case pass.",
        "passed_many": "{function}: all {count} {kind} cases pass.",
        "not_written": "{function} is not written yet: replace `raise NotImplementedError()` in its cell with your "
                       "code, run that cell, then run this check again.",
        "not_right": "{function} is not right yet, on {place}.",
        "hint": "Hint: {hint}",
        "raised": "Calling it raised {text}{where}.",
        "raised_at": " (in your line `{line}`)",
        "stopped": "{function} did not finish, on {place}: {reason}.",
        "cell_failed": "Your cell {grade_id!r} did not run: {error}. Fix it so that the whole cell runs without "
                       "an error.",
        "missing_function": "{function} is not defined. Keep its cell (grade id {function!r}) in the notebook, "
                            "with the function's name and signature as given.",
        "wrong_count": "{function} should return {count} values ({names}), but it returned {got}.",
        "count_values": "{count} values",
        "count_one": "one {type}",
        "not_callable": "check({function!r}, ...) needs the function itself, but got {type}.",
        "unknown_function": "{assignment!r} has no checks for {function!r}; it checks: {known}",
        # how a returned value differs from the expected one (autograder.compare)
        "not_array": "{name} should be an array of shape {shape}, but it is {got}.",
        "wrong_shape": "{name} has shape {got}, but it should have shape {expected}.",
        "not_numbers": "{name} should hold numbers, but its dtype is {dtype}.",
        "wrong_value": "{name} should be {expected}, but it is {got}.",
        "wrong_entries": "{name} differs in {wrong} of {size} entries; at index {index} it should be {expected}, "
                         "but it is {got}.",
        "not_number": "{name} should be a single number, but it is {got}.",
        "not_tuple": "{name} should be a tuple of {count} items, but it is {got}.",
        "wrong_length": "{name} should hold {count} items, but it holds {got}.",
        "an_array": "an array of shape {shape}",
        "none": "None (did you forget a return statement?)",
        "a_type": "a {type}",
    },
    "zh": {
        "example": "课程中的示例",
        "case": "第 {position} 个{kind}用例（共 {count} 个）",
        "hidden": "隐藏",
        "visible": "公开",
        "place": "{label}（{description}）",
        "gradient_case": "，与数值梯度比较",
        "passed_one": "{function}：{kind}用例通过（共 1 个）。",
        "passed_many": "{function}：{count} 个{kind}用例全部通过。",
        "not_written": "{function} 还没有实现：把它所在单元格里的 `raise NotImplementedError()` 换成你的代码，"
                       "运行那个单元格，再重新运行这个检查。",
        "not_right": "{function} 的结果还不对，出错的是{place}。",
        "hint": "提示：{hint}",
        "raised": "调用时抛出了 {text}{where}。",
        "raised_at": "（出自你写的这一行：`{line}`）",
        "stopped": "{function} 没有运行完，出错的是{place}：{reason}。",
        "cell_failed": "你的单元格 {grade_id!r} 没能运行：{error}。请修改它，让整个单元格都能无错运行。",
        "missing_function": "{function} 没有定义。请在笔记本中保留它的单元格（grade id 为 {function!r}），"
                            "函数名和参数保持题目给出的样子。",
        "wrong_count": "{function} 应该返回 {count} 个值（{names}），但它返回了{got}。",
        "count_values": " {count} 个值",
        "count_one": "一个 {type}",
        "not_callable": "check({function!r}, ...) 需要传入函数本身，但传入的是 {type}。",
        "unknown_function": "{assignment!r} 没有 {function!r} 的检查；可检查的函数有：{known}",
        "not_array": "{name} 应该是形状为 {shape} 的数组，但它是{got}。",
        "wrong_shape": "{name} 的形状是 {got}，但应该是 {expected}。",
        "not_numbers": "{name} 应该存放数值，但它的 dtype 是 {dtype}。",
        "wrong_value": "{name} 应该是 {expected}，但它是 {got}。",
        "wrong_entries": "{name} 的 {size} 个元素中有 {wrong} 个不对；在索引 {index} 处应该是 {expected}，"
                         "但它是 {got}。",
        "not_number": "{name} 应该是单个数值，但它是{got}。",
        "not_tuple": "{name} 应该是含 {count} 项的元组，但它是{got}。",
        "wrong_length": "{name} 应该有 {count} 项，但它有 {got} 项。",
        "an_array": "形状为 {shape} 的数组",
        "none": "空值 None（是不是忘了写 return 语句？）",
        "a_type": "一个 {type}",
    },
}


def say(key: str, **values: object) -> str:
    """The message ``key`` in the learner's language, with ``values`` filled in."""
    catalogue = MESSAGES.get(settings.language(), MESSAGES[settings.DEFAULT])
    return catalogue.get(key, MESSAGES[settings.DEFAULT][key]).format(**values)


def hint_of(mistake: dict) -> str:
    """A stored mistake's hint in the learner's language (English when it has no translation)."""
    return mistake.get("translations", {}).get(settings.language()) or mistake["hint"]


def where(case: dict, position: int, count: int) -> str:
    """Name a case for a learner: which one it is and what its inputs look like."""
    if not case["hidden"] and count == 1:
        label = say("example")
    else:
        label = say("case", kind=say("hidden" if case["hidden"] else "visible"), position=position, count=count)
    description = case["description"]
    if case.get("kind") == "gradient":
        description += say("gradient_case")
    return say("place", label=label, description=description)


def passed(function: str, count: int, hidden: bool) -> str:
    kind = say("hidden" if hidden else "visible")
    return say("passed_one" if count == 1 else "passed_many", function=function, count=count, kind=kind)


def not_written(function: str) -> str:
    return say("not_written", function=function)


def wrong_result(function: str, place: str, problem: str, hint: str | None) -> str:
    lines = [say("not_right", function=function, place=place), problem]
    if hint:
        lines.append(say("hint", hint=hint))
    return "\n".join(lines)


def raised(text: str, line: str | None) -> str:
    """'Calling it raised ...', with the learner's own line when it is known."""
    where = say("raised_at", line=line.strip()) if line else ""
    return say("raised", text=text, where=where)


def learner_line(error: BaseException) -> str | None:
    """The last line of the learner's own code in the traceback of ``error``."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith(_PACKAGE_DIR) and "site-packages" not in frame.filename
    ]
    return frames[-1].line if frames and frames[-1].line else None


def stopped(function: str, place: str, reason: str) -> str:
    return say("stopped", function=function, place=place, reason=reason)


def cell_failed(grade_id: str, error: str) -> str:
    return say("cell_failed", grade_id=grade_id, error=error)


def missing_function(function: str) -> str:
    return say("missing_function", function=function)


def exception_text(error: BaseException) -> str:
    """The form in which raised errors are compared with a mistake's fingerprint."""
    return f"{type(error).__name__}: {error}"


def wrong_count(function: str, names: list[str], got: object) -> str:
    if isinstance(got, (tuple, list)):
        got_len = say("count_values", count=len(got))
    else:
        got_len = say("count_one", type=type(got).__name__)
    return say("wrong_count", function=function, count=len(names), names=", ".join(names), got=got_len)


def not_callable(function: str, got: object) -> str:
    return say("not_callable", function=function, type=type(got).__name__)


def unknown_function(assignment: str, function: str, known: str) -> str:
    return say("unknown_function", assignment=assignment, function=function, known=known)

