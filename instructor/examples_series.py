"""Example submissions of assignments 2 and 3, for the demo and the tests, as cell code by grade_id.

Assignment 2, ``conv_vectorized``:

- ``correct_einsum``: the four layers in another hand than the reference
  (``examples/submissions/conv_vectorized_einsum.py``);
- ``loops_from_assignment_1``: assignment 1's reference loops pasted in, each cell
  with the helpers it calls: correct, but a Python loop over output positions,
  so it passes every check except the timing check.

Assignment 3, ``conv_application``:

- ``correct_einsum_layers``: the reference model and training loop, on the layers
  of ``correct_einsum`` (a learner's own assignment 2, not the reference's);
- ``relu_skipped_in_backward``: the same with one catalogued mistake in the
  backward pass, which the gradient check names.
"""
from __future__ import annotations

from . import reference
from .examples import function_sources

EINSUM = reference.REPO / "examples" / "submissions" / "conv_vectorized_einsum.py"

# Which assignment-1 helpers each layer calls, pasted into the same cell before it.
_HELPERS = {
    "conv_forward": ("zero_pad", "conv_single_step"),
    "pool_forward": (),
    "conv_backward": ("zero_pad",),
    "pool_backward": ("create_mask_from_window", "distribute_value"),
}


def loops_from_assignment_1() -> dict[str, str]:
    """Assignment 1's solution cells, one per layer, each preceded by the helpers it calls."""
    loops = reference.solution_sources()
    return {name: "\n\n".join([loops[helper] for helper in helpers] + [loops[name]])
            for name, helpers in _HELPERS.items()}


def vectorized_submissions() -> dict[str, tuple[str, dict[str, str]]]:
    """{student id: (what the submission is, {grade_id: cell code})} for conv_vectorized."""
    return {
        "correct_einsum": ("correct, vectorized with einsum", function_sources(EINSUM)),
        "loops_from_assignment_1": ("assignment 1's loops: correct but slow", loops_from_assignment_1()),
    }


def application_submissions() -> dict[str, tuple[str, dict[str, str]]]:
    """{student id: (what the submission is, {grade_id: cell code})} for conv_application."""
    from .mistakes_application import BY_ID

    layers = "\n\n\n".join(function_sources(EINSUM).values())
    sources = reference.solution_sources(reference.source_notebook("conv_application"))
    mistake = BY_ID["relu_skipped_in_backward"]
    return {
        "correct_einsum_layers": ("correct, on einsum layers of assignment 2", {**sources, "layers": layers}),
        "relu_skipped_in_backward": ("the backward pass skips the second ReLU",
                                     {**sources, "layers": layers, mistake.function: mistake.wrong_source(sources)}),
    }


def example_submissions(assignment: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The example submissions of a later assignment of the series, by student id."""
    makers = {"conv_vectorized": vectorized_submissions, "conv_application": application_submissions}
    return makers[assignment]()
