"""The example vectorized submission agrees with the reference.

``examples/submissions/vectorized.py`` is the "correct, vectorized" submission
of the demo: a second correct implementation, written without loops over output
positions. It is used here the way a learner's notebook would hold it: each
function's source is pasted into its own solution cell and the cells are
executed with nothing but ``import numpy as np`` (``instructor.reference.namespace``).

Its results must match the reference's to 1e-10 on random shapes over strides
1-3, pads 0-2, filter sizes 1-4 and both pooling modes, including windows with
tied maxima (both route the gradient to every tied entry). And it must not be a
copy of the solution: no line of it may equal a line of the solution cells.
"""
from __future__ import annotations

import ast
import zlib

import numpy as np
import pytest

from instructor.gradcheck import relative_error
from instructor.assignments.conv_step_by_step.examples import SUBMISSIONS
from instructor.reference import namespace
from tests.helpers import STEP_BY_STEP

EXAMPLE = SUBMISSIONS / "vectorized.py"
GRADED_FUNCTIONS = STEP_BY_STEP.functions
TOLERANCE = 1e-10

STRIDES = (1, 2, 3)
PADS = (0, 1, 2)
FILTER_SIZES = (1, 2, 3, 4)
MODES = ("max", "average")


def example_cells() -> dict[str, str]:
    """The source of each graded function of the example, keyed by its cell's grade_id (the name)."""
    text = EXAMPLE.read_text()
    return {
        node.name: ast.get_source_segment(text, node)
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


@pytest.fixture(scope="module")
def ref() -> dict:
    return STEP_BY_STEP.reference()


@pytest.fixture(scope="module")
def example() -> dict:
    """The eight functions of the example, each executed from its own pasted cell."""
    scope = namespace(STEP_BY_STEP.sources(), **example_cells())
    return {name: scope[name] for name in GRADED_FUNCTIONS}


def rng_for(*params) -> np.random.Generator:
    """A generator seeded by ``params`` (test name first): stable across runs, distinct per case."""
    return np.random.default_rng(zlib.crc32(repr(params).encode()))


def assert_agrees(actual, expected, what: str = "result") -> None:
    """Same shape and dtype kind, and relative error below TOLERANCE."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, reference {expected.shape}"
    assert actual.dtype.kind == expected.dtype.kind, f"{what}: dtype {actual.dtype}, reference {expected.dtype}"
    error = relative_error(actual, expected)
    assert error < TOLERANCE, f"{what}: relative error {error:.3e} is not below {TOLERANCE:.0e}"


def random_batch(rng: np.random.Generator, min_side: int, ties: bool = False) -> np.ndarray:
    """(m, n_H, n_W, n_C) float64 batch: 2-3 non-square images, 2-3 channels, sides >= min_side.

    With ``ties``, values are small integers, so many windows hold their maximum twice."""
    short = int(rng.integers(max(min_side, 1), max(min_side, 1) + 3))
    n_H, n_W = rng.permutation([short, short + int(rng.integers(1, 3))])
    shape = (int(rng.integers(2, 4)), int(n_H), int(n_W), int(rng.integers(2, 4)))
    if ties:
        return rng.integers(-2, 3, size=shape).astype(float)
    return rng.standard_normal(shape)


def random_conv_case(rng: np.random.Generator, f: int, pad: int):
    """A_prev, W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C), with an output of at least 1 x 1."""
    A_prev = random_batch(rng, min_side=f - 2 * pad)
    n_C = int(rng.integers(2, 4))
    W = rng.standard_normal((f, f, A_prev.shape[-1], n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A_prev, W, b


# ------------------------------------------------------------- the file itself


def test_example_defines_the_eight_functions_and_imports_only_numpy():
    tree = ast.parse(EXAMPLE.read_text())
    imports = [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert imports == ["import numpy as np"]
    assert tuple(example_cells()) == GRADED_FUNCTIONS
    assert ast.get_docstring(tree), "the example needs a module docstring"


def test_no_line_of_the_example_is_a_line_of_the_solution():
    solution_lines = {line.strip() for code in STEP_BY_STEP.sources().values() for line in code.splitlines()}
    shared = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(EXAMPLE.read_text().splitlines(), start=1)
        if line.strip() and line.strip() in solution_lines
    ]
    assert not shared, "lines copied from the solution cells:\n" + "\n".join(shared)


# ------------------------------------------------------------- small pieces


@pytest.mark.parametrize("pad", PADS)
def test_zero_pad_agrees(ref, example, pad):
    X = random_batch(rng_for("zero_pad", pad), min_side=1)
    assert_agrees(example["zero_pad"](X, pad), ref["zero_pad"](X, pad))


@pytest.mark.parametrize("f", FILTER_SIZES)
def test_conv_single_step_agrees(ref, example, f):
    rng = rng_for("conv_single_step", f)
    n_C_prev = int(rng.integers(2, 4))
    a_slice_prev, W = rng.standard_normal((2, f, f, n_C_prev))
    b = rng.standard_normal((1, 1, 1))
    Z = example["conv_single_step"](a_slice_prev, W, b)
    assert np.ndim(Z) == 0
    assert_agrees(Z, ref["conv_single_step"](a_slice_prev, W, b))


@pytest.mark.parametrize("f", FILTER_SIZES)
def test_create_mask_from_window_agrees_including_ties(ref, example, f):
    x = rng_for("create_mask_from_window", f).integers(-2, 3, size=(f, f)).astype(float)
    mask = example["create_mask_from_window"](x)
    assert mask.dtype == np.bool_
    np.testing.assert_array_equal(mask, ref["create_mask_from_window"](x))


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (4, 2), (3, 3)])
def test_distribute_value_agrees(ref, example, shape):
    dz = rng_for("distribute_value", shape).standard_normal()
    assert_agrees(example["distribute_value"](dz, shape), ref["distribute_value"](dz, shape))


# ------------------------------------------------------------- convolution


@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("stride", STRIDES)
def test_conv_forward_agrees(ref, example, stride, pad, f):
    A_prev, W, b = random_conv_case(rng_for("conv_forward", stride, pad, f), f, pad)
    hparameters = {"stride": stride, "pad": pad}
    Z, cache = example["conv_forward"](A_prev, W, b, hparameters)
    expected_Z, _ = ref["conv_forward"](A_prev, W, b, hparameters)
    assert_agrees(Z, expected_Z)
    assert len(cache) == 4 and all(got is given for got, given in zip(cache, (A_prev, W, b, hparameters)))


@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("stride", STRIDES)
def test_conv_backward_agrees(ref, example, stride, pad, f):
    rng = rng_for("conv_backward", stride, pad, f)
    A_prev, W, b = random_conv_case(rng, f, pad)
    Z, cache = ref["conv_forward"](A_prev, W, b, {"stride": stride, "pad": pad})
    dZ = rng.standard_normal(Z.shape)
    gradients = example["conv_backward"](dZ, cache)
    expected_gradients = ref["conv_backward"](dZ, cache)
    assert len(gradients) == 3
    for name, got, expected in zip(("dA_prev", "dW", "db"), gradients, expected_gradients):
        assert_agrees(got, expected, what=name)


# ----------------------------------------------------------------- pooling


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("stride", STRIDES)
def test_pool_forward_agrees(ref, example, stride, f, mode):
    A_prev = random_batch(rng_for("pool_forward", stride, f, mode), min_side=f)
    hparameters = {"stride": stride, "f": f}
    A, cache = example["pool_forward"](A_prev, hparameters, mode=mode)
    assert_agrees(A, ref["pool_forward"](A_prev, hparameters, mode=mode)[0])
    assert len(cache) == 2 and cache[0] is A_prev and cache[1] is hparameters


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "tied"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("stride", STRIDES)
def test_pool_backward_agrees(ref, example, stride, f, mode, ties):
    rng = rng_for("pool_backward", stride, f, mode, ties)
    A_prev = random_batch(rng, min_side=f, ties=ties)
    A, cache = ref["pool_forward"](A_prev, {"stride": stride, "f": f}, mode=mode)
    dA = rng.standard_normal(A.shape)
    assert_agrees(example["pool_backward"](dA, cache, mode=mode), ref["pool_backward"](dA, cache, mode=mode))
