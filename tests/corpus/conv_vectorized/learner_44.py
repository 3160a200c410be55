"""as_strided layers. conv_forward works channels-first: it transposes the padded input to (m, C, H, W)
and builds the window view with strides computed by hand from the itemsize, as if that transposed
array were laid out contiguously. The other functions use the windows() helper on NHWC arrays."""
import numpy as np
from numpy.lib.stride_tricks import as_strided


def windows(x, f, stride):
    """View of every f x f window of x (m, H, W, C), moved by stride: shape (m, n_H, n_W, f, f, C)."""
    m, H, W, C = x.shape
    n_H = (H - f) // stride + 1
    n_W = (W - f) // stride + 1
    sm, sh, sw, sc = x.strides
    return as_strided(x, shape=(m, n_H, n_W, f, f, C),
                      strides=(sm, sh * stride, sw * stride, sh, sw, sc), writeable=False)


def conv_forward(A_prev, W, b, hparameters):
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    x = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0))).transpose(0, 3, 1, 2)   # (m, C, H, W)
    m, C, H, Wd = x.shape
    n_H = (H - f) // stride + 1
    n_W = (Wd - f) // stride + 1
    item = x.itemsize
    # bytes to step along each axis of (m, C, n_H, n_W, f, f)
    steps = (C * H * Wd * item, H * Wd * item, Wd * stride * item, stride * item, Wd * item, item)
    view = as_strided(x, shape=(m, C, n_H, n_W, f, f), strides=steps, writeable=False)
    w = W.transpose(3, 2, 0, 1).reshape(n_C, C * f * f)           # (F, C * f * f)
    cols = view.transpose(0, 2, 3, 1, 4, 5).reshape(m * n_H * n_W, C * f * f)
    Z = (cols @ w.T).reshape(m, n_H, n_W, n_C) + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters["f"]
    stride = hparameters["stride"]
    view = windows(A_prev, f, stride)
    if mode == "max":
        A = view.max(axis=(3, 4))
    elif mode == "average":
        A = view.mean(axis=(3, 4))
    else:
        raise ValueError("mode must be max or average")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    m, n_H, n_W, _ = dZ.shape
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    view = windows(A_prev_pad, f, stride)
    cols = view.reshape(m * n_H * n_W, f * f * n_C_prev)
    dZ_cols = dZ.reshape(m * n_H * n_W, n_C)
    dW = (cols.T @ dZ_cols).reshape(f, f, n_C_prev, n_C)
    db = dZ_cols.sum(axis=0).reshape(1, 1, 1, n_C)
    d_cols = (dZ_cols @ W.reshape(f * f * n_C_prev, n_C).T).reshape(m, n_H, n_W, f, f, n_C_prev)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for i in range(f):
        for j in range(f):
            dA_prev_pad[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += d_cols[:, :, :, i, j, :]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    view = windows(A_prev, f, stride)
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        share = (view == view.max(axis=(3, 4), keepdims=True)) * dA[:, :, :, None, None, :]
    elif mode == "average":
        share = np.broadcast_to(dA[:, :, :, None, None, :] / (f * f), view.shape)
    else:
        raise ValueError("mode must be max or average")
    for i in range(f):
        for j in range(f):
            dA_prev[:, i:i + stride * n_H:stride, j:j + stride * n_W:stride, :] += share[:, :, :, i, j, :]
    return dA_prev
