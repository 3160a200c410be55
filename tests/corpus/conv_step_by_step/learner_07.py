"""Rewrites everything in its own words with helper functions (window slices, output size) and
np.float64 sums; the bias is taken with b.flatten()[0]. Correct."""
import numpy as np


def _out_size(n_prev, f, pad, stride):
    return (n_prev + 2 * pad - f) // stride + 1


def _window(h, w, f, stride):
    return slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)


def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C))
    X_pad[:, pad:pad + n_H, pad:pad + n_W, :] = X
    return X_pad


def conv_single_step(a_slice_prev, W, b):
    Z = np.float64(np.sum(a_slice_prev * W))
    Z = Z + b.flatten()[0]
    return Z


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = _out_size(n_H_prev, f, pad, stride)
    n_W = _out_size(n_W_prev, f, pad, stride)

    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = _window(h, w, f, stride)
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(A_prev_pad[i, rows, cols, :], W[:, :, :, c], b[:, :, :, c])

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = _out_size(n_H_prev, f, 0, stride)
    n_W = _out_size(n_W_prev, f, 0, stride)

    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = _window(h, w, f, stride)
                for c in range(n_C):
                    if mode == "max":
                        A[i, h, w, c] = np.max(A_prev[i, rows, cols, c])
                    elif mode == "average":
                        A[i, h, w, c] = np.mean(A_prev[i, rows, cols, c])
                    else:
                        raise ValueError("mode should be max or average")

    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, n_C = dZ.shape

    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)

    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = _window(h, w, f, stride)
                a_slice = A_prev_pad[i, rows, cols, :]
                for c in range(n_C):
                    dA_prev_pad[i, rows, cols, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]

    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    return np.equal(x, np.max(x))


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones((n_H, n_W)) * (dz / (n_H * n_W))


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape

    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = _window(h, w, f, stride)
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, rows, cols, c])
                        dA_prev[i, rows, cols, c] += mask * dA[i, h, w, c]
                    elif mode == "average":
                        dA_prev[i, rows, cols, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev
