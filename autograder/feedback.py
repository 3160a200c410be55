"""Every sentence a learner reads from a check is written here, in one place."""
from __future__ import annotations

import traceback
from pathlib import Path

_PACKAGE_DIR = str(Path(__file__).resolve().parent)


def where(case: dict, position: int, count: int) -> str:
    """Name a case for a learner: which one it is and what its inputs look like."""
    if not case["hidden"] and count == 1:
        label = "the lesson's example"
    else:
        label = f"{'hidden' if case['hidden'] else 'visible'} case {position} of {count}"
    return f"{label} ({case['description']})"


def passed(function: str, count: int, hidden: bool) -> str:
    kind = "hidden" if hidden else "visible"
    cases = "case" if count == 1 else "cases"
    return f"{function}: all {count} {kind} {cases} pass."


def not_written(function: str) -> str:
    return (
        f"{function} is not written yet: replace `raise NotImplementedError()` in its cell with your code, "
        "run that cell, then run this check again."
    )


def wrong_result(function: str, place: str, problem: str, hint: str | None) -> str:
    lines = [f"{function} is not right yet, on {place}.", problem]
    if hint:
        lines.append(f"Hint: {hint}")
    return "\n".join(lines)


def raised(error: BaseException) -> str:
    """'Calling it raised ...', with the learner's own line when it can be found."""
    text = f"Calling it raised {exception_text(error)}"
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith(_PACKAGE_DIR) and "site-packages" not in frame.filename
    ]
    if frames and frames[-1].line:
        text += f" (in your line `{frames[-1].line.strip()}`)"
    return text + "."


def exception_text(error: BaseException) -> str:
    """The form in which raised errors are compared with a mistake's fingerprint."""
    return f"{type(error).__name__}: {error}"


def wrong_count(function: str, names: list[str], got: object) -> str:
    shown = ", ".join(names)
    got_len = f"{len(got)} values" if isinstance(got, (tuple, list)) else f"one {type(got).__name__}"
    return f"{function} should return {len(names)} values ({shown}), but it returned {got_len}."
