"""The figures of each assignment, drawn in code: ``autograder.figures.<assignment>``.

A notebook gets its own with ``figures = check.figures`` (see :mod:`autograder.checks`).
This module holds what every assignment's figures share: their texts are written in
the learner's language (:mod:`autograder.settings`) from a table ``{language: {key:
text}}`` of the figure module, and Chinese needs a CJK font: Noto Sans CJK (Debian
package ``fonts-noto-cjk``) when it is installed; without it the figures stay English.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, Mapping

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.text import Text

from ..settings import language as configured_language

# Fonts that can write the Chinese texts, best first, and where Debian's fonts-noto-cjk puts them
# (registered on first use if matplotlib's font cache was built before the package was installed).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP")
CJK_FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def cjk_family(families=CJK_FAMILIES, files=CJK_FONT_FILES) -> str | None:
    """The first of ``families`` that matplotlib can use, or None when none is installed."""
    for attempt in range(2):
        known = {entry.name for entry in font_manager.fontManager.ttflist}
        found = next((family for family in families if family in known), None)
        if found or attempt:
            return found
        for path in files:
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
    return None


def language() -> str:
    """The learner's language, if the figures can write it; else English."""
    chosen = configured_language()
    if chosen != "en" and cjk_family() is None:
        return "en"
    return chosen


def texts(table: Mapping[str, Mapping[str, str]]) -> Callable[..., str]:
    """``say(key, **values)``: the text ``key`` of ``table`` in the figure's language."""
    def say(key: str, **values: object) -> str:
        return table.get(language(), table["en"])[key].format(**values)
    return say


def localized(draw: Callable) -> Callable:
    """Give every text of the figure that ``draw`` returns a font that can write the learner's language."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        fig = draw(*args, **kwargs)
        if language() == "zh":
            for text in fig.findobj(Text):
                # DejaVu Sans writes the Latin letters and digits; the CJK font the rest.
                text.set_fontfamily([plt.rcParams["font.sans-serif"][0], cjk_family()])
        return fig
    return wrapper
