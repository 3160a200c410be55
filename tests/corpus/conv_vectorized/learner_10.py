"""Convolutions vectorized (patch matrix and offsets), but both pooling functions loop over h and w
with np.max/np.mean over axes (1, 2). Right values; the pooling functions fail only the timing check."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(m * n_H * n_W, f * f * n_C_prev)
    Z = patches @ W.reshape(f * f * n_C_prev, n_C)
    Z = Z.reshape(m, n_H, n_W, n_C) + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C_prev))
    for h in range(n_H):
        for w in range(n_W):
            a_prev_slice = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            if mode == "max":
                A[:, h, w, :] = np.max(a_prev_slice, axis=(1, 2))
            elif mode == "average":
                A[:, h, w, :] = np.mean(a_prev_slice, axis=(1, 2))
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    dZ_flat = dZ.reshape(m * n_H * n_W, n_C)
    for di in range(f):
        rows = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, rows, cols, :] += (dZ_flat @ W[di, dj].T).reshape(m, n_H, n_W, n_C_prev)
            dW[di, dj] = A_prev_pad[:, rows, cols, :].reshape(m * n_H * n_W, n_C_prev).T @ dZ_flat
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for h in range(n_H):
        vert_start = h * stride
        vert_end = vert_start + f
        for w in range(n_W):
            horiz_start = w * stride
            horiz_end = horiz_start + f
            if mode == "max":
                a_prev_slice = A_prev[:, vert_start:vert_end, horiz_start:horiz_end, :]
                mask = (a_prev_slice == np.max(a_prev_slice, axis=(1, 2), keepdims=True))
                dA_prev[:, vert_start:vert_end, horiz_start:horiz_end, :] += mask * dA[:, h, w, :][:, None, None, :]
            elif mode == "average":
                dA_prev[:, vert_start:vert_end, horiz_start:horiz_end, :] += (dA[:, h, w, :] / (f * f))[:, None, None, :]
    return dA_prev
