"""np.tensordot with explicitly matched axes (the view's (n_C_prev, f, f) against W's axes 2, 0, 1);
dW also by tensordot over the view, transposed back to (f, f, n_C_prev, n_C). Correct."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]

    A_prev_pad = np.pad(A_prev, [(0, 0), (pad, pad), (pad, pad), (0, 0)])
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride, :, :, :]
    # windows: (m, n_H, n_W, n_C_prev, f, f); W: (f, f, n_C_prev, n_C)
    Z = np.tensordot(windows, W, axes=([3, 4, 5], [2, 0, 1]))
    Z = Z + b.reshape(1, 1, 1, n_C)

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters["f"]
    stride = hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride, :, :, :]
    if mode == "max":
        A = np.amax(windows, axis=(4, 5))
    elif mode == "average":
        A = np.average(windows, axis=(4, 5))
    else:
        raise ValueError("mode must be max or average")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape

    A_prev_pad = np.pad(A_prev, [(0, 0), (pad, pad), (pad, pad), (0, 0)])
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    # (n_C_prev, f, f, n_C) -> (f, f, n_C_prev, n_C)
    dW = np.tensordot(windows, dZ, axes=([0, 1, 2], [0, 1, 2])).transpose(1, 2, 0, 3)
    db = np.sum(dZ, axis=(0, 1, 2), keepdims=True)

    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for di in range(f):
        for dj in range(f):
            contribution = np.tensordot(dZ, W[di, dj], axes=([3], [1]))   # (m, n_H, n_W, n_C_prev)
            dA_prev_pad[:, di:di + stride * n_H:stride, dj:dj + stride * n_W:stride, :] += contribution
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)

    if mode == "max":
        windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
        A = np.amax(windows, axis=(4, 5))
        for di in range(f):
            for dj in range(f):
                a_part = A_prev[:, di:di + stride * n_H:stride, dj:dj + stride * n_W:stride, :]
                dA_prev[:, di:di + stride * n_H:stride, dj:dj + stride * n_W:stride, :] += np.where(a_part == A, dA, 0.0)
    elif mode == "average":
        for di in range(f):
            for dj in range(f):
                dA_prev[:, di:di + stride * n_H:stride, dj:dj + stride * n_W:stride, :] += dA / (f * f)
    return dA_prev
