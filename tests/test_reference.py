"""The reference implementation agrees with independent implementations.

The reference is the instructor notebook's own solution code
(``instructor.reference``); every expected value of the kit is computed by it.
So here it is checked, on random shapes, strides, pads and filter sizes, against

- PyTorch (CPU, float64): ``conv2d``, ``max_pool2d``, ``avg_pool2d`` and
  ``pad`` for the forward passes, autograd for the backward passes;
- SciPy: ``scipy.signal.correlate`` for the convolution forward pass;
- central differences (``instructor.gradcheck``) of the reference's own
  forward passes, for every backward pass.

The course uses NHWC arrays and filters of shape ``(f, f, n_C_prev, n_C)``;
PyTorch uses NCHW and ``(n_C, n_C_prev, f, f)``. The helpers below convert.
Every case draws its shapes from a generator seeded by the test's name and
parameters, so no two cases see the same data and every run sees the same.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F

from instructor.gradcheck import numerical_gradient, relative_error
from tests.helpers import STEP_BY_STEP

AGREEMENT_TOLERANCE = 1e-10
GRADIENT_CHECK_TOLERANCE = 1e-6

STRIDES = (1, 2, 3)
PADS = (0, 1, 2)
FILTER_SIZES = (1, 2, 3, 4)
MODES = ("max", "average")


@pytest.fixture(scope="module")
def ref() -> dict:
    """The eight graded functions, executed from the instructor notebook."""
    return STEP_BY_STEP.reference()


# ----------------------------------------------------------------- helpers


def rng_for(*params) -> np.random.Generator:
    """A generator seeded by ``params`` (test name first): stable across runs, distinct per case."""
    return np.random.default_rng(zlib.crc32(repr(params).encode()))


def assert_agrees(actual, expected, tolerance: float = AGREEMENT_TOLERANCE) -> None:
    """Same shape, and relative error below ``tolerance``."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape}, expected {expected.shape}"
    error = relative_error(actual, expected)
    assert error < tolerance, f"relative error {error:.3e} is not below {tolerance:.0e}"


def nhwc_to_torch(A: np.ndarray, requires_grad: bool = False) -> torch.Tensor:
    """(m, n_H, n_W, n_C) numpy array -> (m, n_C, n_H, n_W) float64 tensor."""
    return torch.tensor(A.transpose(0, 3, 1, 2), dtype=torch.float64, requires_grad=requires_grad)


def torch_to_nhwc(t: torch.Tensor) -> np.ndarray:
    """(m, n_C, n_H, n_W) tensor -> (m, n_H, n_W, n_C) numpy array."""
    return t.detach().numpy().transpose(0, 2, 3, 1)


def filters_to_torch(W: np.ndarray, requires_grad: bool = False) -> torch.Tensor:
    """(f, f, n_C_prev, n_C) numpy filters -> (n_C, n_C_prev, f, f) float64 tensor."""
    return torch.tensor(W.transpose(3, 2, 0, 1), dtype=torch.float64, requires_grad=requires_grad)


def filters_from_torch(t: torch.Tensor) -> np.ndarray:
    """(n_C, n_C_prev, f, f) tensor -> (f, f, n_C_prev, n_C) numpy filters."""
    return t.detach().numpy().transpose(2, 3, 1, 0)


def random_batch_shape(rng: np.random.Generator, min_side: int) -> tuple[int, int, int, int]:
    """(m, n_H, n_W, n_C): batch of 2-3, non-square images with sides >= min_side, 2-3 channels."""
    short = int(rng.integers(max(min_side, 1), max(min_side, 1) + 3))
    long = short + int(rng.integers(1, 3))
    n_H, n_W = rng.permutation([short, long])
    return int(rng.integers(2, 4)), int(n_H), int(n_W), int(rng.integers(2, 4))


def distinct_values(rng: np.random.Generator, shape) -> np.ndarray:
    """Random float64 values, pairwise at least 1/size apart: no window has a tied maximum."""
    size = int(np.prod(shape))
    return (rng.permutation(size).reshape(shape) - size / 2) / size


def random_conv_case(rng: np.random.Generator, f: int, pad: int):
    """A_prev (m, n_H_prev, n_W_prev, n_C_prev), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C)."""
    m, n_H_prev, n_W_prev, n_C_prev = random_batch_shape(rng, min_side=f - 2 * pad)
    n_C = int(rng.integers(2, 4))
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A_prev, W, b


def torch_conv_forward(A_prev, W, b, stride, pad) -> np.ndarray:
    """Z by torch.nn.functional.conv2d (a cross-correlation, like the course's)."""
    Z = F.conv2d(nhwc_to_torch(A_prev), filters_to_torch(W), torch.tensor(b.ravel()), stride=stride, padding=pad)
    return torch_to_nhwc(Z)


def torch_conv_backward(dZ, A_prev, W, b, stride, pad):
    """(dA_prev, dW, db) of the loss sum(Z * dZ), by autograd through conv2d."""
    A_t = nhwc_to_torch(A_prev, requires_grad=True)
    W_t = filters_to_torch(W, requires_grad=True)
    b_t = torch.tensor(b.ravel(), requires_grad=True)
    Z = F.conv2d(A_t, W_t, b_t, stride=stride, padding=pad)
    Z.backward(nhwc_to_torch(dZ))
    return torch_to_nhwc(A_t.grad), filters_from_torch(W_t.grad), b_t.grad.numpy().reshape(b.shape)


def scipy_conv_forward(A_prev, W, b, stride, pad) -> np.ndarray:
    """Z by scipy.signal.correlate: one 2-D correlation per (image, input channel, filter),
    summed over input channels, strided by slicing."""
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    m, n_C_prev, n_C = A_prev.shape[0], W.shape[2], W.shape[3]
    per_image = []
    for i in range(m):
        per_filter = []
        for c in range(n_C):
            full = sum(
                scipy.signal.correlate(A_pad[i, :, :, k], W[:, :, k, c], mode="valid", method="direct")
                for k in range(n_C_prev)
            )
            per_filter.append(full[::stride, ::stride] + b[0, 0, 0, c])
        per_image.append(np.stack(per_filter, axis=-1))
    return np.stack(per_image)


def torch_pool(A_prev, f, stride, mode) -> tuple[torch.Tensor, torch.Tensor]:
    """(input tensor with grad, pooled output) by max_pool2d or avg_pool2d."""
    A_t = nhwc_to_torch(A_prev, requires_grad=True)
    pool = {"max": F.max_pool2d, "average": F.avg_pool2d}[mode]
    return A_t, pool(A_t, kernel_size=f, stride=stride)


# ------------------------------------------------------------ small pieces


@pytest.mark.parametrize("pad", PADS)
def test_zero_pad_matches_torch_pad(ref, pad):
    rng = rng_for("zero_pad", pad)
    X = rng.standard_normal(random_batch_shape(rng, min_side=1))
    expected = torch_to_nhwc(F.pad(nhwc_to_torch(X), (pad, pad, pad, pad)))
    assert_agrees(ref["zero_pad"](X, pad), expected)


@pytest.mark.parametrize("f", FILTER_SIZES)
def test_conv_single_step_matches_torch_conv2d_on_one_window(ref, f):
    rng = rng_for("conv_single_step", f)
    n_C_prev = int(rng.integers(2, 4))
    a_slice_prev = rng.standard_normal((f, f, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev))
    b = rng.standard_normal((1, 1, 1))
    Z = ref["conv_single_step"](a_slice_prev, W, b)
    expected = torch_conv_forward(a_slice_prev[None], W[..., None], b[..., None], stride=1, pad=0)
    assert np.ndim(Z) == 0, "conv_single_step must return a scalar"
    assert_agrees(Z, expected.item())


@pytest.mark.parametrize("f", FILTER_SIZES)
def test_create_mask_from_window_marks_where_torch_max_sends_the_gradient(ref, f):
    x = distinct_values(rng_for("create_mask_from_window", f), (f, f))
    x_t = torch.tensor(x, requires_grad=True)
    x_t.max().backward()
    mask = ref["create_mask_from_window"](x)
    assert mask.dtype == np.bool_
    assert_agrees(mask.astype(float), x_t.grad.numpy())


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (4, 2), (3, 3)])
def test_distribute_value_matches_torch_gradient_of_the_mean(ref, shape):
    dz = rng_for("distribute_value", shape).standard_normal()
    window = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    (dz * window.mean()).backward()
    assert_agrees(ref["distribute_value"](dz, shape), window.grad.numpy())


# ------------------------------------------------------------- convolution


@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("stride", STRIDES)
def test_conv_forward_matches_torch_conv2d(ref, stride, pad, f):
    A_prev, W, b = random_conv_case(rng_for("conv_forward/torch", stride, pad, f), f, pad)
    hparameters = {"stride": stride, "pad": pad}
    Z, cache = ref["conv_forward"](A_prev, W, b, hparameters)
    assert_agrees(Z, torch_conv_forward(A_prev, W, b, stride, pad))
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b and cache[3] is hparameters


@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("stride", STRIDES)
def test_conv_forward_matches_scipy_correlate(ref, stride, pad, f):
    A_prev, W, b = random_conv_case(rng_for("conv_forward/scipy", stride, pad, f), f, pad)
    Z, _ = ref["conv_forward"](A_prev, W, b, {"stride": stride, "pad": pad})
    assert_agrees(Z, scipy_conv_forward(A_prev, W, b, stride, pad))


@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("stride", STRIDES)
def test_conv_backward_matches_torch_autograd(ref, stride, pad, f):
    rng = rng_for("conv_backward/torch", stride, pad, f)
    A_prev, W, b = random_conv_case(rng, f, pad)
    Z, cache = ref["conv_forward"](A_prev, W, b, {"stride": stride, "pad": pad})
    dZ = rng.standard_normal(Z.shape)
    dA_prev, dW, db = ref["conv_backward"](dZ, cache)
    expected_dA_prev, expected_dW, expected_db = torch_conv_backward(dZ, A_prev, W, b, stride, pad)
    assert_agrees(dA_prev, expected_dA_prev)
    assert_agrees(dW, expected_dW)
    assert_agrees(db, expected_db)


@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("stride", STRIDES)
def test_conv_backward_matches_numerical_gradient(ref, stride, pad, f):
    rng = rng_for("conv_backward/numerical", stride, pad, f)
    A_prev, W, b = random_conv_case(rng, f, pad)
    hparameters = {"stride": stride, "pad": pad}
    Z, cache = ref["conv_forward"](A_prev, W, b, hparameters)
    dZ = rng.standard_normal(Z.shape)
    dA_prev, dW, db = ref["conv_backward"](dZ, cache)

    def loss() -> float:
        return float(np.sum(ref["conv_forward"](A_prev, W, b, hparameters)[0] * dZ))

    for name, analytic, wrt in (("dA_prev", dA_prev, A_prev), ("dW", dW, W), ("db", db, b)):
        error = relative_error(analytic, numerical_gradient(loss, wrt))
        assert error < GRADIENT_CHECK_TOLERANCE, f"{name}: relative error {error:.3e}"


# ----------------------------------------------------------------- pooling


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("stride", STRIDES)
def test_pool_forward_matches_torch(ref, stride, f, mode):
    rng = rng_for("pool_forward", stride, f, mode)
    A_prev = rng.standard_normal(random_batch_shape(rng, min_side=f))
    hparameters = {"stride": stride, "f": f}
    A, cache = ref["pool_forward"](A_prev, hparameters, mode=mode)
    _, expected = torch_pool(A_prev, f, stride, mode)
    assert_agrees(A, torch_to_nhwc(expected))
    assert cache[0] is A_prev and cache[1] is hparameters


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("stride", STRIDES)
def test_pool_backward_matches_torch_autograd(ref, stride, f, mode):
    rng = rng_for("pool_backward/torch", stride, f, mode)
    A_prev = distinct_values(rng, random_batch_shape(rng, min_side=f))
    A, cache = ref["pool_forward"](A_prev, {"stride": stride, "f": f}, mode=mode)
    dA = rng.standard_normal(A.shape)
    A_t, pooled = torch_pool(A_prev, f, stride, mode)
    pooled.backward(nhwc_to_torch(dA))
    assert_agrees(ref["pool_backward"](dA, cache, mode=mode), torch_to_nhwc(A_t.grad))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("f", FILTER_SIZES)
@pytest.mark.parametrize("stride", STRIDES)
def test_pool_backward_matches_numerical_gradient(ref, stride, f, mode):
    rng = rng_for("pool_backward/numerical", stride, f, mode)
    # Distinct values at least 1/size apart: far more than the step of the central
    # differences, so no perturbation moves the maximum of a window.
    A_prev = distinct_values(rng, random_batch_shape(rng, min_side=f))
    hparameters = {"stride": stride, "f": f}
    A, cache = ref["pool_forward"](A_prev, hparameters, mode=mode)
    dA = rng.standard_normal(A.shape)
    dA_prev = ref["pool_backward"](dA, cache, mode=mode)

    def loss() -> float:
        return float(np.sum(ref["pool_forward"](A_prev, hparameters, mode=mode)[0] * dA))

    error = relative_error(dA_prev, numerical_gradient(loss, A_prev))
    assert error < GRADIENT_CHECK_TOLERANCE, f"relative error {error:.3e}"
