"""as_strided layers; pool_backward adds each window's share through a writeable as_strided view of
dA_prev (the same view shape as the forward windows) instead of offset by offset."""
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
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    view = windows(A_prev_pad, f, stride)
    m, n_H, n_W = view.shape[:3]
    cols = view.reshape(m * n_H * n_W, f * f * n_C_prev)
    Z = (cols @ W.reshape(f * f * n_C_prev, n_C)).reshape(m, n_H, n_W, n_C) + b
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
    sm, sh, sw, sc = dA_prev.strides
    d_view = as_strided(dA_prev, shape=view.shape, strides=(sm, sh * stride, sw * stride, sh, sw, sc))
    d_view += share
    return dA_prev
