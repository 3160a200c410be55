"""The words of the kit: one catalogue per language, under the same keys.

``WORDS`` of :mod:`.en` and :mod:`.zh` hold every sentence, heading and label
that a learner or an instructor reads; :mod:`autograder.render` fills them in
from verdicts. A catalogued mistake's hint is the exception: it lives with the
mistake, in its assignment's catalogue, in every language (the build stores
it in the case file).
"""
from __future__ import annotations

from typing import Any

from . import en, zh

CATALOGUES: dict[str, dict[str, str]] = {"en": en.WORDS, "zh": zh.WORDS}
LANGUAGES: tuple[str, ...] = tuple(CATALOGUES)
DEFAULT = "en"


class Words:
    """The catalogue of one language: ``words("not_right", function=..., place=...)``."""

    def __init__(self, language: str) -> None:
        self.language = language if language in CATALOGUES else DEFAULT
        self.catalogue = CATALOGUES[self.language]

    def __call__(self, entry: str, /, **values: Any) -> str:
        return self.catalogue[entry].format(**values)

    def has(self, key: str) -> bool:
        return key in self.catalogue
