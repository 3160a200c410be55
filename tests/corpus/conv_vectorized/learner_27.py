"""Convolutions right (einsum). Pooling written for non-overlapping windows only: pool_forward reshapes
into f x f blocks and pool_backward upsamples with np.repeat; both assume stride == f and sizes divisible by f."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    Z = np.einsum("abcdef,efdg->abcg", windows, W, optimize=True) + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    # cut the image into f x f blocks: (m, n_H, f, n_W, f, n_C)
    blocks = A_prev.reshape(m, n_H, f, n_W, f, n_C)
    if mode == "max":
        A = blocks.max(axis=(2, 4))
    elif mode == "average":
        A = blocks.mean(axis=(2, 4))
    else:
        raise ValueError("mode?")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    dW = np.einsum("abcdef,abcg->efdg", windows, dZ, optimize=True)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, -1)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for p in range(f):
        for q in range(f):
            dA_prev_pad[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :] += dZ @ W[p, q].T
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    # every input entry gets the gradient of "its" block
    dA_up = np.repeat(np.repeat(dA, f, axis=1), f, axis=2)
    if mode == "max":
        A, _ = pool_forward(A_prev, hparameters, mode="max")
        A_up = np.repeat(np.repeat(A, f, axis=1), f, axis=2)
        dA_prev = (A_prev == A_up) * dA_up
    elif mode == "average":
        dA_prev = dA_up / (f * f)
    else:
        raise ValueError("mode?")
    return dA_prev
