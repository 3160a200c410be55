"""Assignment 3's bundled example submissions (graded by the demo and the tests).

- ``correct_einsum_layers``: the reference model and training loop, on the layers
  of assignment 2's ``correct_einsum`` (a learner's own layers, not the reference's);
- ``relu_skipped_in_backward``: the same with one catalogued mistake in the
  backward pass, which the gradient check names; trained with those gradients,
  the model is not accurate enough either.
"""
from __future__ import annotations

from ...assignment import Assignment, Example
from ..conv_step_by_step.examples import function_sources
from ..conv_vectorized.examples import EINSUM


def examples(assignment: Assignment) -> tuple[Example, ...]:
    layers = "\n\n\n".join(function_sources(EINSUM).values())
    sources = {**assignment.sources(), "layers": layers}
    mistake = assignment.mistake("relu_skipped_in_backward")
    return (
        Example("correct_einsum_layers", "correct, on einsum layers of assignment 2", sources,
                frozenset(assignment.graded)),
        Example("relu_skipped_in_backward", "the backward pass skips the second ReLU", mistake.cells(sources),
                frozenset()),
    )
