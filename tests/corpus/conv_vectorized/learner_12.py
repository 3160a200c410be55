"""conv_forward still loops over h and w, broadcasting each window against all n_C filters and summing;
pooling and the backward passes are vectorized. Right values; conv_forward fails only the timing check."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    # Retrieve dimensions from A_prev's shape (≈1 line)
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    # Retrieve dimensions from W's shape (≈1 line)
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)

    for h in range(n_H):
        vert_start = h * stride
        vert_end = vert_start + f
        for w in range(n_W):
            horiz_start = w * stride
            horiz_end = horiz_start + f
            # (m, f, f, n_C_prev, 1) * (f, f, n_C_prev, n_C) -> sum over the window -> (m, n_C)
            a_slice_prev = A_prev_pad[:, vert_start:vert_end, horiz_start:horiz_end, :, np.newaxis]
            Z[:, h, w, :] = np.sum(a_slice_prev * W, axis=(1, 2, 3)) + b[0, 0, 0, :]

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters["f"]
    stride = hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        A = np.max(windows, axis=(4, 5))
    elif mode == "average":
        A = np.mean(windows, axis=(4, 5))
    else:
        raise ValueError("mode must be 'max' or 'average'")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    dZ_flat = dZ.reshape(-1, n_C)
    for di in range(f):
        for dj in range(f):
            rows = slice(di, di + stride * (n_H - 1) + 1, stride)
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, rows, cols, :] += (dZ_flat @ W[di, dj].T).reshape(m, n_H, n_W, n_C_prev)
            dW[di, dj] = A_prev_pad[:, rows, cols, :].reshape(-1, n_C_prev).T @ dZ_flat
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        window_max, _ = pool_forward(A_prev, hparameters, mode="max")
    for di in range(f):
        for dj in range(f):
            rows = slice(di, di + stride * (n_H - 1) + 1, stride)
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                mask = A_prev[:, rows, cols, :] == window_max
                dA_prev[:, rows, cols, :] += mask * dA
            elif mode == "average":
                dA_prev[:, rows, cols, :] += dA / (f * f)
    return dA_prev
