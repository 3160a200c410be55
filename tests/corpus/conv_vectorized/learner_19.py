"""as_strided im2col; in conv_forward the filter matrix is W.reshape(n_C, -1).T, which does not put
filter c in column c. Backward passes right."""
import numpy as np
from numpy.lib.stride_tricks import as_strided


def get_windows(X, f, stride, n_H, n_W):
    """View of shape (m, n_H, n_W, f, f, n_C) on X (m, H, W, n_C): no copy."""
    m, H, W_, n_C = X.shape
    s0, s1, s2, s3 = X.strides
    return as_strided(X, shape=(m, n_H, n_W, f, f, n_C),
                      strides=(s0, s1 * stride, s2 * stride, s1, s2, s3), writeable=False)


def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters['stride']
    pad = hparameters['pad']
    n_H = int((n_H_prev - f + 2 * pad) / stride) + 1
    n_W = int((n_W_prev - f + 2 * pad) / stride) + 1

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), 'constant')
    A_prev_pad = np.ascontiguousarray(A_prev_pad)
    cols = get_windows(A_prev_pad, f, stride, n_H, n_W).reshape(m * n_H * n_W, -1)   # (f, f, n_C_prev) order
    Z = cols @ W.reshape(n_C, -1).T + b.reshape(1, n_C)
    Z = Z.reshape(m, n_H, n_W, n_C)

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = int(1 + (n_H_prev - f) / stride)
    n_W = int(1 + (n_W_prev - f) / stride)
    windows = get_windows(np.ascontiguousarray(A_prev), f, stride, n_H, n_W)
    if mode == "max":
        A = windows.max(axis=(3, 4))
    elif mode == "average":
        A = windows.mean(axis=(3, 4))
    else:
        raise ValueError("mode should be 'max' or 'average'")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters['stride']
    pad = hparameters['pad']
    (m, n_H, n_W, n_C) = dZ.shape

    A_prev_pad = np.ascontiguousarray(np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), 'constant'))
    cols = get_windows(A_prev_pad, f, stride, n_H, n_W).reshape(m * n_H * n_W, -1)
    dZ_col = dZ.reshape(-1, n_C)

    dW = (cols.T @ dZ_col).reshape(f, f, n_C_prev, n_C)
    db = dZ_col.sum(axis=0).reshape(1, 1, 1, n_C)

    dcols = (dZ_col @ W.reshape(-1, n_C).T).reshape(m, n_H, n_W, f, f, n_C_prev)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for p in range(f):
        for q in range(f):
            dA_prev_pad[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :] += dcols[:, :, :, p, q, :]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        windows = get_windows(np.ascontiguousarray(A_prev), f, stride, n_H, n_W)
        mask = windows == windows.max(axis=(3, 4), keepdims=True)       # (m, n_H, n_W, f, f, n_C)
        grads = mask * dA[:, :, :, None, None, :]
    elif mode == "average":
        grads = np.broadcast_to(dA[:, :, :, None, None, :] / (f * f), (m, n_H, n_W, f, f, n_C))
    else:
        raise ValueError("mode should be 'max' or 'average'")
    for p in range(f):
        for q in range(f):
            dA_prev[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :] += grads[:, :, :, p, q, :]
    return dA_prev
