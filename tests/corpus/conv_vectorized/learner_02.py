"""Everything with np.einsum over the strided window view (optimize=True), including dW; the input
gradient goes back one offset at a time with a small einsum. Correct."""
import numpy as np


def _windows(X, f, stride):
    """(m, n_H, n_W, n_C, f, f) view of every stride-th f x f window of X."""
    return np.lib.stride_tricks.sliding_window_view(X, (f, f), axis=(1, 2))[:, ::stride, ::stride]


def conv_forward(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")
    Z = np.einsum("mhwcij,ijck->mhwk", _windows(A_prev_pad, f, stride), W, optimize=True) + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    view = _windows(A_prev, hparameters["f"], hparameters["stride"])
    if mode == "max":
        A = np.max(view, axis=(-2, -1))
    elif mode == "average":
        A = np.mean(view, axis=(-2, -1))
    else:
        raise ValueError(mode)
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    _, n_H, n_W, n_C = dZ.shape

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")
    dW = np.einsum("mhwcij,mhwk->ijck", _windows(A_prev_pad, f, stride), dZ, optimize=True)
    db = np.einsum("mhwk->k", dZ).reshape(1, 1, 1, n_C)

    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(f):
        for j in range(f):
            dA_prev_pad[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += np.einsum(
                "mhwk,ck->mhwc", dZ, W[i, j], optimize=True)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    _, n_H, n_W, _ = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        maxima = np.max(_windows(A_prev, f, stride), axis=(-2, -1))
    elif mode != "average":
        raise ValueError(mode)
    for i in range(f):
        for j in range(f):
            part = A_prev[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :]
            if mode == "max":
                dA_prev[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += (part == maxima) * dA
            else:
                dA_prev[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += dA / f ** 2
    return dA_prev
