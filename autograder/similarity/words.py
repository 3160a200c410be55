"""The similarity tool's words: the ``similarity.*`` entries of the kit's catalogues (:mod:`autograder.messages`).

The report, the command's messages and its ``--help`` take their words from
there, in English or Chinese, rendered from data with :func:`say`.
"""
from __future__ import annotations

from ..messages import LANGUAGES, Words

__all__ = ["LANGUAGES", "percent", "say"]


def say(language: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``language`` (English if the language is unknown), with ``values`` filled in."""
    return Words(language)(f"similarity.{key}", **values)


def percent(score: float) -> str:
    """A score in 0..1 as a whole percentage, e.g. ``87%``."""
    return f"{round(100 * score)}%"
