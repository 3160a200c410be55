"""The reference of assignment 2 (its vectorized solution cells) agrees with assignment 1's loops and PyTorch.

Every expected value of "Vectorize it" is computed by this reference, so it is
held here to the loop reference of assignment 1 (itself tested against PyTorch
and SciPy in tests/test_reference.py) and directly to PyTorch, on random shapes
over strides 1-3, pads 0-2, filter sizes 1-4 and both pooling modes. It keeps
assignment 1's caches, and its graded cells loop over filter offsets only.
The optional fast layers of section 9 (``conv_forward_fast``,
``conv_backward_fast``, timed by bench/layers.py) are held to the same.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import STEP_BY_STEP, VECTORIZED
from instructor.gradcheck import relative_error

TOLERANCE = 1e-10
STRIDES = (1, 2, 3)
PADS = (0, 1, 2)
FILTER_SIZES = (1, 2, 3, 4)
MODES = ("max", "average")
ASSIGNMENT = "conv_vectorized"


@pytest.fixture(scope="module")
def vectorized() -> dict:
    return VECTORIZED.reference()


@pytest.fixture(scope="module")
def loops() -> dict:
    return STEP_BY_STEP.reference()


def rng_for(*params) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(repr(params).encode()))


def assert_agrees(actual, expected, what="result"):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    error = relative_error(actual, expected)
    assert error < TOLERANCE, f"{what}: relative error {error:.3e}"


def random_batch(rng, min_side):
    short = int(rng.integers(max(min_side, 1), max(min_side, 1) + 4))
    n_H, n_W = rng.permutation([short, short + int(rng.integers(1, 3))])
    return rng.standard_normal((int(rng.integers(1, 4)), int(n_H), int(n_W), int(rng.integers(1, 5))))


def conv_case(rng, f, pad):
    A_prev = random_batch(rng, f - 2 * pad)
    n_C = int(rng.integers(1, 5))
    return A_prev, rng.standard_normal((f, f, A_prev.shape[-1], n_C)), rng.standard_normal((1, 1, 1, n_C))


def test_the_reference_has_the_four_layers_and_the_benchmarks_loops():
    sources = VECTORIZED.sources()
    assert set(VECTORIZED.functions) <= set(sources)
    assert "loop_layers" in sources


CONV_LAYERS = {"graded": ("conv_forward", "conv_backward"), "fast": ("conv_forward_fast", "conv_backward_fast")}


@pytest.mark.parametrize("layer", CONV_LAYERS)
@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("stride", STRIDES)
def test_conv_agrees_with_assignment_1_and_torch(vectorized, loops, stride, pad, f, layer, batch=None):
    rng = rng_for("conv", stride, pad, f)
    A_prev, W, b = conv_case(rng, f, pad)
    if batch:
        A_prev = rng.standard_normal((batch, *A_prev.shape[1:]))
    conv_forward, conv_backward = (vectorized[name] for name in CONV_LAYERS[layer])
    hparameters = {"stride": stride, "pad": pad}
    Z, cache = conv_forward(A_prev, W, b, hparameters)
    assert all(got is given for got, given in zip(cache, (A_prev, W, b, hparameters))) and len(cache) == 4
    assert_agrees(Z, loops["conv_forward"](A_prev, W, b, hparameters)[0], "Z vs loops")

    A_t = torch.tensor(np.ascontiguousarray(A_prev.transpose(0, 3, 1, 2)), requires_grad=True)
    W_t = torch.tensor(np.ascontiguousarray(W.transpose(3, 2, 0, 1)), requires_grad=True)
    b_t = torch.tensor(b.reshape(-1), requires_grad=True)
    Z_t = F.conv2d(A_t, W_t, b_t, stride=stride, padding=pad)
    assert_agrees(Z, Z_t.detach().numpy().transpose(0, 2, 3, 1), "Z vs torch")

    dZ = rng.standard_normal(Z.shape)
    grads = conv_backward(dZ, cache)
    for name, got, expected in zip(("dA_prev", "dW", "db"), grads, loops["conv_backward"](dZ, cache)):
        assert_agrees(got, expected, f"{name} vs loops")
    Z_t.backward(torch.tensor(np.ascontiguousarray(dZ.transpose(0, 3, 1, 2))))
    assert_agrees(grads[0], A_t.grad.numpy().transpose(0, 2, 3, 1), "dA_prev vs torch")
    assert_agrees(grads[1], W_t.grad.numpy().transpose(2, 3, 1, 0), "dW vs torch")
    assert_agrees(grads[2].reshape(-1), b_t.grad.numpy(), "db vs torch")


@pytest.mark.parametrize("stride, pad, f", [(1, 1, 3), (2, 0, 2), (3, 2, 4)])
def test_the_fast_layers_agree_over_several_blocks_of_examples(vectorized, loops, stride, pad, f):
    """Two whole blocks of examples of the fast layers, and a part of a third."""
    batch = 2 * vectorized["EXAMPLES_PER_BLOCK"] + 1
    test_conv_agrees_with_assignment_1_and_torch(vectorized, loops, stride, pad, f, "fast", batch=batch)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("stride", STRIDES)
def test_pool_agrees_with_assignment_1_and_torch(vectorized, loops, stride, f, mode):
    rng = rng_for("pool", stride, f, mode)
    A_prev = random_batch(rng, f)
    A_prev = rng.permutation(A_prev.size).reshape(A_prev.shape) / A_prev.size  # distinct: no ties
    hparameters = {"stride": stride, "f": f}
    A, cache = vectorized["pool_forward"](A_prev, hparameters, mode=mode)
    assert cache[0] is A_prev and cache[1] is hparameters and len(cache) == 2
    assert_agrees(A, loops["pool_forward"](A_prev, hparameters, mode=mode)[0], "A vs loops")
    A_t = torch.tensor(np.ascontiguousarray(A_prev.transpose(0, 3, 1, 2)), requires_grad=True)
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    out = pool(A_t, kernel_size=f, stride=stride)
    assert_agrees(A, out.detach().numpy().transpose(0, 2, 3, 1), "A vs torch")
    dA = rng.standard_normal(A.shape)
    dA_prev = vectorized["pool_backward"](dA, cache, mode=mode)
    assert_agrees(dA_prev, loops["pool_backward"](dA, cache, mode=mode), "dA_prev vs loops")
    out.backward(torch.tensor(np.ascontiguousarray(dA.transpose(0, 3, 1, 2))))
    assert_agrees(dA_prev, A_t.grad.numpy().transpose(0, 2, 3, 1), "dA_prev vs torch")


@pytest.mark.parametrize("stride", STRIDES)
def test_pool_backward_with_ties_routes_like_assignment_1(vectorized, loops, stride):
    rng = rng_for("ties", stride)
    A_prev = rng.integers(-2, 3, size=(2, 7, 6, 3)).astype(float)
    A, cache = vectorized["pool_forward"](A_prev, {"stride": stride, "f": 3})
    dA = rng.standard_normal(A.shape)
    assert_agrees(vectorized["pool_backward"](dA, cache), loops["pool_backward"](dA, cache))


@pytest.mark.parametrize("stride, pad", [(1, 1), (2, 0), (3, 2)])
def test_the_benchmarks_loop_layers_are_assignment_1s_loops(vectorized, loops, stride, pad):
    A_prev, W, b = conv_case(rng_for("loop_layers", stride, pad), 3, pad)
    hparameters = {"stride": stride, "pad": pad}
    Z, cache = vectorized["conv_forward_loops"](A_prev, W, b, hparameters)
    assert_agrees(Z, loops["conv_forward"](A_prev, W, b, hparameters)[0])
    dZ = rng_for("dZ", stride, pad).standard_normal(Z.shape)
    for got, expected in zip(vectorized["conv_backward_loops"](dZ, cache), loops["conv_backward"](dZ, cache)):
        assert_agrees(got, expected)


def test_the_solution_cells_have_no_loop_over_positions():
    """Only the filter offsets di, dj may be looped over in the graded cells."""
    sources = VECTORIZED.sources()
    for name in VECTORIZED.functions:
        loops_in_cell = [line.strip() for line in sources[name].splitlines() if line.strip().startswith("for ")]
        assert all(line.startswith(("for di in", "for dj in")) for line in loops_in_cell), (name, loops_in_cell)
