"""Where in the learner's own code an exception arose, read from its traceback (the kit's and libraries'
frames left out).

Used by the checks in the learner's kernel (:mod:`autograder.checks`) and by the diagnosis they run
(:mod:`autograder.diagnosis.local`); it sits below both, so the diagnosis needs nothing from the checks.
"""
from __future__ import annotations

import traceback
from pathlib import Path

from .judge import raised_of
from .verdict import Raised

PACKAGE_DIR = str(Path(__file__).resolve().parent)


def is_learners(filename: str) -> bool:
    """Whether a frame or a definition in ``filename`` is the learner's (not the kit's, numpy's or a library's)."""
    return not filename.startswith(PACKAGE_DIR) and "site-packages" not in filename and "/numpy/" not in filename


def _learner_frames(error: BaseException) -> list[traceback.FrameSummary]:
    return [frame for frame in traceback.extract_tb(error.__traceback__) if is_learners(frame.filename)]


def learner_line(error: BaseException) -> str | None:
    """The last line of the learner's own code in the traceback of ``error``."""
    frames = _learner_frames(error)
    return frames[-1].line if frames and frames[-1].line else None


def learner_where(error: BaseException) -> str | None:
    """The learner's function that holds that line (a helper, when the graded function called one)."""
    frames = _learner_frames(error)
    return frames[-1].name if frames else None


def raised_here(error: BaseException) -> Raised:
    """An exception of the learner's code, caught in this process, as data."""
    return raised_of(error, learner_line(error), learner_where(error))
