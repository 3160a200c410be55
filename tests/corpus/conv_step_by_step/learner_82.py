"""Terse notebook, corner arithmetic inline. create_mask_from_window returns True == np.max(x), one bool
instead of an array of the window's shape; the max branch of pool_backward relies on it. The rest is right."""
import numpy as np


def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")


def conv_single_step(a_slice_prev, W, b):
    Z = np.sum(a_slice_prev * W)
    Z += float(b[0, 0, 0])
    return Z


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    s, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // s + 1
    n_W = (n_W_prev + 2 * pad - f) // s + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    a_slice_prev = A_prev_pad[i, h*s:h*s+f, w*s:w*s+f, :]
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[..., c], b[..., c])
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, s = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // s + 1
    n_W = (n_W_prev - f) // s + 1
    A = np.zeros((m, n_H, n_W, n_C_prev))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C_prev):
                    window = A_prev[i, h*s:h*s+f, w*s:w*s+f, c]
                    if mode == "max":
                        A[i, h, w, c] = window.max()
                    elif mode == "average":
                        A[i, h, w, c] = window.mean()
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    s, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, n_C = dZ.shape
    dA_prev = np.zeros_like(A_prev)
    dW = np.zeros_like(W)
    db = np.zeros_like(b)
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = zero_pad(dA_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    a_slice = A_prev_pad[i, h*s:h*s+f, w*s:w*s+f, :]
                    dA_prev_pad[i, h*s:h*s+f, w*s:w*s+f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:pad+n_H_prev, pad:pad+n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    return True == np.max(x)


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.full((n_H, n_W), dz / (n_H * n_W))


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros_like(A_prev)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, h*s:h*s+f, w*s:w*s+f, c])
                        dA_prev[i, h*s:h*s+f, w*s:w*s+f, c] += mask * dA[i, h, w, c]
                    elif mode == "average":
                        dA_prev[i, h*s:h*s+f, w*s:w*s+f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev
