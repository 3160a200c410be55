"""Markdown cells in the edition's language, from the instructor notebook's cell metadata.

The translation of a markdown cell is kept beside its English text, in the instructor
notebook: ``cell.metadata["translations"]["zh"]``. A translation must keep the English's
code, formulas, headings and table rows as they are (:func:`translation_problems`).
"""
from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

_FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_INLINE_MATH = re.compile(r"\$([^$\n]+)\$")
_TEXT_IN_MATH = re.compile(r"\\text\{[^}]*\}")


def translations(cell) -> dict[str, str]:
    """{language: text} of an instructor notebook's cell (its own text, English, not included)."""
    return dict(cell.metadata.get("translations", {}))


def _without_comments(code: str) -> list[str]:
    return [line.split("#", 1)[0].rstrip() for line in code.splitlines() if line.split("#", 1)[0].strip()]


def _formula(math: str) -> str:
    """A formula as a translation must keep it: words in ``\\text{...}`` may be translated."""
    return " ".join(_TEXT_IN_MATH.sub(r"\\text{}", math).split())


def technical_content(markdown: str) -> dict[str, object]:
    """What a translation must keep as it is: code (not its comments), formulas, headings and table rows."""
    fenced = [_without_comments(block) for block in _FENCED.findall(markdown)]
    prose = _FENCED.sub("", markdown)
    display = [_formula(block) for block in _DISPLAY_MATH.findall(prose)]
    prose = _DISPLAY_MATH.sub("", prose)
    spans = sorted(set(_CODE_SPAN.findall(prose)))
    prose = _CODE_SPAN.sub("", prose)
    lines = prose.splitlines()
    return {
        "code blocks": fenced,
        "display formulas": display,
        "code spans": spans,
        "inline formulas": sorted({_formula(math) for math in _INLINE_MATH.findall(prose)}),
        "headings": [len(line) - len(line.lstrip("#")) for line in lines if line.startswith("#")],
        "table rows": sum(line.lstrip().startswith("|") for line in lines),
    }


def translation_problems(english: str, translated: str | None) -> list[str]:
    """Why ``translated`` is not a faithful translation of the markdown ``english`` ([] if it is)."""
    if not translated or not translated.strip():
        return ["no translation"]
    want, got = technical_content(english), technical_content(translated)
    return [f"its {what} differ from the English: {got[what]!r} instead of {want[what]!r}"
            for what in want if want[what] != got[what]]


class TranslateMarkdown(Preprocessor):
    """Replace each markdown cell by its translation into ``language`` (nothing to do for English)."""

    language = Unicode("en").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and self.language != "en":
            original = resources["source_cells"][index]
            text = translations(original).get(self.language)
            problems = translation_problems(original.source, text)
            if problems:
                raise ValueError(f"{resources['where']} cell {index}: the {self.language} translation is not "
                                 f"usable: {'; '.join(problems)}")
            cell.source = text
        return cell, resources
