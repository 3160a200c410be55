"""Assignment 2's bundled example submissions (graded by the demo and the tests).

- ``correct_einsum``: the four layers in another hand than the reference
  (``submissions/einsum.py``);
- ``loops_from_assignment_1``: assignment 1's reference loops pasted in, each cell
  with the helpers it calls: correct, but a Python loop over output positions,
  so it passes every check except the timing checks.
"""
from __future__ import annotations

from pathlib import Path

from ...assignment import Assignment, Example
from ..conv_step_by_step import ASSIGNMENT as STEP_BY_STEP
from ..conv_step_by_step.examples import function_sources

EINSUM = Path(__file__).resolve().parent / "submissions" / "einsum.py"

# Which assignment-1 helpers each layer calls, pasted into the same cell before it.
_HELPERS = {
    "conv_forward": ("zero_pad", "conv_single_step"),
    "pool_forward": (),
    "conv_backward": ("zero_pad",),
    "pool_backward": ("create_mask_from_window", "distribute_value"),
}


def loops_from_assignment_1() -> dict[str, str]:
    """Assignment 1's solution cells, one per layer, each preceded by the helpers it calls."""
    loops = STEP_BY_STEP.sources()
    return {name: "\n\n".join([loops[helper] for helper in helpers] + [loops[name]])
            for name, helpers in _HELPERS.items()}


def examples(assignment: Assignment) -> tuple[Example, ...]:
    return (
        Example("correct_einsum", "correct, vectorized with einsum", function_sources(EINSUM),
                frozenset(assignment.graded)),
        Example("loops_from_assignment_1", "assignment 1's loops: correct but slow", loops_from_assignment_1(),
                frozenset()),
    )
