"""Assignment 1's bundled example submissions (graded by the demo and the tests).

- ``correct_vectorized``: every function, written in a vectorized style
  (``submissions/vectorized.py``), a different hand from the reference;
- ``seed_lesson_code``: the reference with the seed lesson's three published bugs
  written in (bias added per element, ``[pad:-pad]`` un-padding, ``dA`` read at
  the window corner);
- ``unfinished``: only the first three functions written; the rest are stubs.
"""
from __future__ import annotations

import ast
from pathlib import Path

from ...assignment import Assignment, Example
from ...mistake import with_mistakes
from .mistakes import SEED_MISTAKES

SUBMISSIONS = Path(__file__).resolve().parent / "submissions"


def function_sources(path: Path) -> dict[str, str]:
    """Top-level functions of a Python file, by name, as source text."""
    text = path.read_text()
    return {
        node.name: ast.get_source_segment(text, node)
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


def examples(assignment: Assignment) -> tuple[Example, ...]:
    sources = assignment.sources()
    first_three = assignment.functions[:3]
    return (
        Example("correct_vectorized", "correct, vectorized", function_sources(SUBMISSIONS / "vectorized.py"),
                frozenset(assignment.graded)),
        Example("seed_lesson_code", "the seed lesson's published code", with_mistakes(SEED_MISTAKES, sources),
                frozenset({"zero_pad", "pool_forward", "create_mask_from_window", "distribute_value"})),
        Example("unfinished", "three of eight functions written", {name: sources[name] for name in first_three},
                frozenset(first_three)),
    )
