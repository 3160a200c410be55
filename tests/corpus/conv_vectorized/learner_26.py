"""Shift-and-add style; conv_backward sends dZ back through W[di, dj] without transposing it.
Everything else right."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    # Retrieve dimensions from A_prev's shape
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = (n_H_prev - f + 2 * pad) // stride + 1
    n_W = (n_W_prev - f + 2 * pad) // stride + 1

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)
    Z = np.zeros((m, n_H, n_W, n_C)) + b
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            Z += A_prev_pad[:, vert, horiz, :] @ W[di, dj]
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    if mode not in ("max", "average"):
        raise ValueError("mode must be 'max' or 'average'")

    A = None
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            part = A_prev[:, vert, horiz, :]
            if A is None:
                A = part.copy()
            elif mode == "max":
                A = np.maximum(A, part)
            else:
                A = A + part
    if mode == "average":
        A = A / (f * f)
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
    dZ_2d = dZ.reshape(-1, n_C)
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, vert, horiz, :] += (dZ_2d @ W[di, dj]).reshape(m, n_H, n_W, n_C_prev)
            dW[di, dj] += A_prev_pad[:, vert, horiz, :].reshape(-1, n_C_prev).T @ dZ_2d
    db = np.sum(dZ_2d, axis=0).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    if mode == "max":
        A, _ = pool_forward(A_prev, hparameters, "max")
    dA_prev = np.zeros(A_prev.shape)
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, vert, horiz, :] += (A_prev[:, vert, horiz, :] == A) * dA
            elif mode == "average":
                dA_prev[:, vert, horiz, :] += dA / (f * f)
    return dA_prev
