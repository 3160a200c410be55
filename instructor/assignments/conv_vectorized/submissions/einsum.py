"""An example "correct" submission of assignment 2 ("Vectorize it"), used by the demo and the tests.

Written in a different hand from the reference: ``np.einsum`` over the window view
instead of an explicit patch matrix, for the forward pass and for dW, and an
einsum per filter offset to send the gradient back to the input. Each function is
self-contained and needs only numpy as ``np``: its source is pasted, one
function per cell, into a learner's notebook.
"""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    """Convolution forward pass as one einsum over the strided window view."""
    step, border = hparameters["stride"], hparameters["pad"]
    size = W.shape[0]
    padded = np.pad(A_prev, [(0, 0), (border, border), (border, border), (0, 0)], mode="constant")
    view = np.lib.stride_tricks.sliding_window_view(padded, (size, size), axis=(1, 2))[:, ::step, ::step]
    out = np.einsum("nyxkpq,pqkc->nyxc", view, W, optimize=True) + b
    return out, (A_prev, W, b, hparameters)


def pool_forward(A_prev, hparameters, mode="max"):
    """Pooling forward pass: reduce the last two axes of the strided window view."""
    size, step = hparameters["f"], hparameters["stride"]
    view = np.lib.stride_tricks.sliding_window_view(A_prev, (size, size), axis=(1, 2))[:, ::step, ::step]
    if mode == "max":
        return view.max(axis=(-2, -1)), (A_prev, hparameters)
    if mode == "average":
        return view.mean(axis=(-2, -1)), (A_prev, hparameters)
    raise ValueError(f"unknown mode {mode!r}")


def conv_backward(dZ, cache):
    """Convolution backward pass: einsum for dW, one offset at a time for dA_prev."""
    inputs, weights, bias, settings = cache
    step, border = settings["stride"], settings["pad"]
    size = weights.shape[0]
    rows_out, cols_out = dZ.shape[1], dZ.shape[2]
    padded = np.pad(inputs, [(0, 0), (border, border), (border, border), (0, 0)], mode="constant")
    view = np.lib.stride_tricks.sliding_window_view(padded, (size, size), axis=(1, 2))[:, ::step, ::step]
    grad_weights = np.einsum("nyxkpq,nyxc->pqkc", view, dZ, optimize=True)
    grad_padded = np.zeros_like(padded, dtype=float)
    for p in range(size):
        for q in range(size):
            grad_padded[:, p:p + step * rows_out:step, q:q + step * cols_out:step, :] += np.einsum(
                "nyxc,kc->nyxk", dZ, weights[p, q], optimize=True)
    height, width = inputs.shape[1], inputs.shape[2]
    grad_inputs = grad_padded[:, border:border + height, border:border + width, :]
    return grad_inputs, grad_weights, dZ.sum(axis=(0, 1, 2), keepdims=True)


def pool_backward(dA, cache, mode="max"):
    """Pooling backward pass, one window offset at a time."""
    inputs, settings = cache
    size, step = settings["f"], settings["stride"]
    rows_out, cols_out = dA.shape[1], dA.shape[2]
    grad = np.zeros(inputs.shape)
    if mode == "max":
        view = np.lib.stride_tricks.sliding_window_view(inputs, (size, size), axis=(1, 2))[:, ::step, ::step]
        peaks = view.max(axis=(-2, -1))
    elif mode != "average":
        raise ValueError(f"unknown mode {mode!r}")
    for p in range(size):
        for q in range(size):
            where = (slice(None), slice(p, p + step * rows_out, step), slice(q, q + step * cols_out, step))
            if mode == "max":
                grad[where] += np.where(inputs[where] == peaks, dA, 0.0)
            else:
                grad[where] += dA / size ** 2
    return grad
