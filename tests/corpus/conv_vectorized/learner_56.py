"""tensordot layers; pool_forward uses every window of the view (no [:, ::stride, ::stride]) and
averages with np.sum over the window axes."""
import numpy as np


def out_hw(n_H_prev, n_W_prev, f, stride, pad=0):
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    return n_H, n_W


def pad_hw(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H, n_W = out_hw(n_H_prev, n_W_prev, f, stride, pad)
    A_prev_pad = pad_hw(A_prev, pad)
    view = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))
    view = view[:, ::stride, ::stride]                           # (m, n_H, n_W, n_C_prev, f, f)
    Z = np.tensordot(view, W, axes=([4, 5, 3], [0, 1, 2]))       # (m, n_H, n_W, n_C)
    Z = Z + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    view = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))
    if mode == "max":
        A = np.max(view, axis=(4, 5))
    elif mode == "average":
        A = np.sum(view, axis=(4, 5))
    else:
        raise ValueError("mode must be 'max' or 'average'")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    A_prev_pad = pad_hw(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    for di in range(f):
        for dj in range(f):
            rows = slice(di, di + stride * (n_H - 1) + 1, stride)
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, rows, cols, :] += np.tensordot(dZ, W[di, dj], axes=([3], [1]))
            dW[di, dj] = np.tensordot(A_prev_pad[:, rows, cols, :], dZ, axes=([0, 1, 2], [0, 1, 2]))
    db = np.sum(dZ, axis=(0, 1, 2), keepdims=True)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    _, n_H, n_W, _ = dA.shape
    if mode not in ("max", "average"):
        raise ValueError("mode must be 'max' or 'average'")
    A, _ = pool_forward(A_prev, hparameters, mode)
    dA_prev = np.zeros(A_prev.shape)
    for di in range(f):
        for dj in range(f):
            rows = slice(di, di + stride * (n_H - 1) + 1, stride)
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, rows, cols, :] += (A_prev[:, rows, cols, :] == A) * dA
            else:
                dA_prev[:, rows, cols, :] += dA / (f * f)
    return dA_prev
