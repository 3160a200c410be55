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


def raised(text: str, line: str | None) -> str:
    """'Calling it raised ...', with the learner's own line when it is known."""
    where = f" (in your line `{line.strip()}`)" if line else ""
    return f"Calling it raised {text}{where}."


def learner_line(error: BaseException) -> str | None:
    """The last line of the learner's own code in the traceback of ``error``."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith(_PACKAGE_DIR) and "site-packages" not in frame.filename
    ]
    return frames[-1].line if frames and frames[-1].line else None


def stopped(function: str, place: str, reason: str) -> str:
    return f"{function} did not finish, on {place}: {reason}."


def cell_failed(grade_id: str, error: str) -> str:
    return f"Your cell {grade_id!r} did not run: {error}. Fix it so that the whole cell runs without an error."


def missing_function(function: str) -> str:
    return (f"{function} is not defined. Keep its cell (grade id {function!r}) in the notebook, with the "
            f"function's name and signature as given.")


def exception_text(error: BaseException) -> str:
    """The form in which raised errors are compared with a mistake's fingerprint."""
    return f"{type(error).__name__}: {error}"


def wrong_count(function: str, names: list[str], got: object) -> str:
    shown = ", ".join(names)
    got_len = f"{len(got)} values" if isinstance(got, (tuple, list)) else f"one {type(got).__name__}"
    return f"{function} should return {len(names)} values ({shown}), but it returned {got_len}."
