"""Channels-first inside the functions (transpose to (m, C, H, W) and back), np.einsum without
optimize=True, and a boolean-mask max pool backward built on the 6-D window view. Correct."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_forward(A_prev, W, b, hparameters):
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    f = W.shape[0]
    x = A_prev.transpose(0, 3, 1, 2)                       # (m, C, H, W)
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = sliding_window_view(x, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]   # (m, C, n_H, n_W, f, f)
    Z = np.einsum("mchwpq,pqck->mhwk", win, W)
    Z = Z + b[0, 0, 0]
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters["f"]
    stride = hparameters["stride"]
    win = sliding_window_view(A_prev.transpose(0, 3, 1, 2), (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
    if mode == "max":
        A = win.max(axis=(4, 5))
    elif mode == "average":
        A = win.mean(axis=(4, 5))
    else:
        raise ValueError("mode: " + mode)
    A = A.transpose(0, 2, 3, 1)
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    f = W.shape[0]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    n_H, n_W = dZ.shape[1], dZ.shape[2]

    x = np.pad(A_prev.transpose(0, 3, 1, 2), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = sliding_window_view(x, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
    dW = np.einsum("mchwpq,mhwk->pqck", win, dZ)
    db = dZ.sum(axis=(0, 1, 2))[None, None, None, :]

    dx = np.zeros(x.shape)                                   # (m, C, H_pad, W_pad)
    for p in range(f):
        for q in range(f):
            dx[:, :, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride] += \
                np.einsum("mhwk,ck->mchw", dZ, W[p, q])
    dA_prev = dx[:, :, pad:pad + n_H_prev, pad:pad + n_W_prev].transpose(0, 2, 3, 1)
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H, n_W = dA.shape[1], dA.shape[2]
    x = A_prev.transpose(0, 3, 1, 2)
    g = dA.transpose(0, 3, 1, 2)                             # (m, C, n_H, n_W)
    dx = np.zeros(x.shape)
    if mode == "max":
        win = sliding_window_view(x, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
        is_max = win == win.max(axis=(4, 5), keepdims=True)  # (m, C, n_H, n_W, f, f)
        for p in range(f):
            for q in range(f):
                dx[:, :, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride] += is_max[..., p, q] * g
    elif mode == "average":
        for p in range(f):
            for q in range(f):
                dx[:, :, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride] += g / (f * f)
    else:
        raise ValueError("mode: " + mode)
    return dx.transpose(0, 2, 3, 1)
