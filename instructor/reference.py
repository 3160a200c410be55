"""The reference implementation: an instructor notebook's own solution cells.

The loader is :mod:`autograder.reference`, shared with the class grader
(one loader, no second copy of the solutions); :data:`REPO` is this kit's root.
"""
from __future__ import annotations

from pathlib import Path

from autograder.reference import namespace, solution_sources

REPO = Path(__file__).resolve().parent.parent  # the kit's root: source/, instructor/, autograder/

__all__ = ["REPO", "namespace", "solution_sources"]
