"""The bundled example submissions that the demo grades, as cell code by grade_id.

- ``correct_vectorized``: every function, written in a vectorized style
  (``examples/submissions/vectorized.py``), a different hand from the reference;
- ``seed_lesson_code``: the reference with the seed lesson's three published bugs
  written in (bias added per element, ``[pad:-pad]`` un-padding, ``dA`` read at
  the window corner);
- ``unfinished``: only the first three functions written; the rest are stubs.
"""
from __future__ import annotations

import ast
from pathlib import Path

from . import reference
from .mistakes import SEED_MISTAKES, with_mistakes

VECTORIZED = reference.REPO / "examples" / "submissions" / "vectorized.py"


def function_sources(path: Path) -> dict[str, str]:
    """Top-level functions of a Python file, by name, as source text."""
    text = path.read_text()
    return {
        node.name: ast.get_source_segment(text, node)
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


def example_submissions() -> dict[str, tuple[str, dict[str, str]]]:
    """{student id: (what the submission is, {grade_id: cell code})}."""
    sources = reference.solution_sources()
    first_three = {name: sources[name] for name in reference.GRADED_FUNCTIONS[:3]}
    return {
        "correct_vectorized": ("correct, vectorized", function_sources(VECTORIZED)),
        "seed_lesson_code": ("the seed lesson's published code", with_mistakes(SEED_MISTAKES, sources)),
        "unfinished": ("three of eight functions written", first_three),
    }
