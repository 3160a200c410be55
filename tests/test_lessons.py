"""What the lessons say holds, and what they give is there.

- The backward pass of a convolution is a full convolution (in the mathematical sense) of the output's gradient
  with the filters, and the input's padded gradient is that gradient padded by f - 1 and cross-correlated with the
  filters turned by 180 degrees; with a stride, once the output's gradient is spread out with zeros. Checked
  against ``scipy.signal``, as assignment 1 says.
- Assignments 2 and 3 come as guided skeletons, as assignment 1 does: in the student release, every blank of their
  exercises has a comment above it that says what goes there.
- Assignment 3's table of the given pieces of ``autograder.nn`` names their arguments as the functions take them,
  and their results in the order the functions return them (their docstrings' "Returns:").
- Assignment 3's visible accuracy check measures the validation digits, and its text says so.
"""
from __future__ import annotations

import inspect
import re

import nbformat
import numpy as np
import pytest
from scipy import signal

from autograder import nn
from instructor import reference
from tests.helpers import APPLICATION, STEP_BY_STEP, VECTORIZED


@pytest.fixture(scope="module")
def layers() -> dict:
    return STEP_BY_STEP.reference()


@pytest.mark.parametrize("stride, pad, f", [(1, 0, 2), (1, 1, 3), (2, 1, 3), (3, 2, 2), (2, 0, 4)])
def test_the_input_s_gradient_is_a_full_convolution_of_dZ_with_the_filters(layers, stride, pad, f):
    rng = np.random.default_rng(stride * 10 + pad + f)
    A_prev, W = rng.standard_normal((2, 7, 8, 3)), rng.standard_normal((f, f, 3, 4))
    Z, cache = layers["conv_forward"](A_prev, W, rng.standard_normal((1, 1, 1, 4)), {"stride": stride, "pad": pad})
    dZ = rng.standard_normal(Z.shape)
    dA_prev, _, _ = layers["conv_backward"](dZ, cache)
    m, n_H, n_W, n_C = dZ.shape
    rows, cols = 7 + 2 * pad, 8 + 2 * pad
    for i in range(m):
        for k in range(3):
            full, turned = np.zeros((rows, cols)), np.zeros((rows, cols))
            for c in range(n_C):
                spread = np.zeros((stride * (n_H - 1) + 1, stride * (n_W - 1) + 1))  # s - 1 zeros between entries
                spread[::stride, ::stride] = dZ[i, :, :, c]
                convolved = signal.convolve2d(spread, W[:, :, k, c], mode="full")
                correlated = signal.correlate2d(np.pad(spread, f - 1), np.rot90(W[:, :, k, c], 2), mode="valid")
                full[:convolved.shape[0], :convolved.shape[1]] += convolved  # rows no window reached stay 0
                turned[:correlated.shape[0], :correlated.shape[1]] += correlated
            np.testing.assert_allclose(full[pad:pad + 7, pad:pad + 8], dA_prev[i, :, :, k], atol=1e-10)
            np.testing.assert_allclose(turned, full, atol=1e-10)


def test_what_conv_forward_computes_is_a_cross_correlation_not_a_convolution(layers):
    rng = np.random.default_rng(7)
    A_prev, W = rng.standard_normal((1, 6, 6, 1)), rng.standard_normal((3, 3, 1, 1))
    Z, _ = layers["conv_forward"](A_prev, W, np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})
    np.testing.assert_allclose(Z[0, :, :, 0], signal.correlate2d(A_prev[0, :, :, 0], W[:, :, 0, 0], mode="valid"))
    np.testing.assert_allclose(Z[0, :, :, 0], signal.convolve2d(A_prev[0, :, :, 0], np.rot90(W[:, :, 0, 0], 2),
                                                                mode="valid"))
    assert not np.allclose(Z[0, :, :, 0], signal.convolve2d(A_prev[0, :, :, 0], W[:, :, 0, 0], mode="valid"))


# ---- guided skeletons ------------------------------------------------------------------------------------------

GUIDED = {STEP_BY_STEP: ("conv_forward", "pool_forward", "conv_backward", "pool_backward"),
          VECTORIZED: ("conv_forward", "pool_forward", "conv_backward", "pool_backward"),
          APPLICATION: ("model_forward", "model_backward", "model_cost_and_gradients", "train_model")}


def released_cells(assignment) -> dict[str, str]:
    path = reference.REPO / "release" / assignment.name / f"{assignment.name}.ipynb"
    return {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in nbformat.read(path, as_version=4).cells
            if cell.metadata.get("nbgrader", {}).get("solution")}


def comment_above(lines: list[str], k: int) -> str:
    """The words of the block of comment lines right above line ``k``."""
    words = []
    while k > 0 and lines[k - 1].strip().startswith("#"):
        k -= 1
        words.insert(0, lines[k].strip().lstrip("#"))
    return " ".join(words)


@pytest.mark.parametrize("assignment", GUIDED, ids=lambda a: a.name)
def test_every_blank_of_an_exercise_has_a_comment_above_it_that_says_what_goes_there(assignment):
    cells = released_cells(assignment)
    unguided = {}
    for name in GUIDED[assignment]:
        lines = cells[name].splitlines()
        blanks = [k for k, line in enumerate(lines) if line.strip() == "# YOUR CODE HERE"]
        assert blanks, name
        found = [k for k in blanks if len(comment_above(lines, k).split()) < 4]
        if found:
            unguided[name] = found
    assert unguided == {}
    assert sum(cells[name].count("# YOUR CODE HERE") for name in GUIDED[assignment]) >= 10  # one blank a step


# ---- the given pieces of assignment 3 ---------------------------------------------------------------------------

def given_pieces_table() -> dict[str, tuple[list[str], list[str]]]:
    """{function: (its arguments, its results)} as the table of assignment 3's first section writes them."""
    (text,) = [cell.source for cell in nbformat.read(APPLICATION.notebook, as_version=4).cells
               if cell.source.startswith("## 1. Packages")]
    found = {}
    for row in re.findall(r"^\| `(\w+)\(([^)]*)\)` \| `([^`]+)`", text, re.M):
        name, arguments, results = row
        found[name] = ([a.strip().split("=")[0] for a in arguments.split(",") if a.strip()],
                       [r.strip() for r in results.split(",")])
    return found


def test_the_table_of_the_given_pieces_names_their_arguments_and_results_in_order():
    table = given_pieces_table()
    assert set(table) == {"relu_forward", "relu_backward", "dense_forward", "dense_backward", "softmax_cross_entropy",
                          "initialize_parameters", "images_to_inputs", "validation_split"}
    for name, (arguments, results) in table.items():
        function = getattr(nn, name)
        parameters = inspect.signature(function).parameters
        assert all(argument in parameters for argument in arguments), name
        assert [p for p in parameters if parameters[p].default is inspect.Parameter.empty] == \
            [a for a in arguments if parameters[a].default is inspect.Parameter.empty], name
        returns = inspect.getdoc(function).split("Returns:")[1]
        documented = [line.split(" -- ")[0].strip() for line in returns.splitlines() if " -- " in line]
        assert results == documented, (name, results, documented)


def test_the_validation_split_is_the_given_piece_that_the_visible_accuracy_check_uses():
    cells = nbformat.read(APPLICATION.notebook, as_version=4).cells
    split = [cell.source for cell in cells if "validation_split(len(train_set_y))" in cell.source]
    assert len(split) == 1
    (section,) = [cell.source for cell in cells if cell.source.startswith("## 6. How good is it?")]
    text = " ".join(section.split())
    assert "measures your network on the 287 validation digits" in text
    assert "asks for at least 95% of the test digits right" in text
    train_rows, val_rows = nn.validation_split(1437)
    assert len(val_rows) == 287 and sorted(np.concatenate([train_rows, val_rows]).tolist()) == list(range(1437))
