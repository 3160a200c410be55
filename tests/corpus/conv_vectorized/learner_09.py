"""conv_forward and pooling are vectorized with window views, but conv_backward keeps a double loop
over the output positions (einsum inside). All values right; conv_backward fails only the timing check."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    patches = np.moveaxis(windows, 3, 5).reshape(m * n_H * n_W, -1)
    Z = (patches @ W.reshape(-1, n_C)).reshape(m, n_H, n_W, n_C) + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        A = windows.max(axis=(-1, -2))
    elif mode == "average":
        A = windows.mean(axis=(-1, -2))
    else:
        raise ValueError(f"unknown mode {mode}")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dA_prev_pad = np.zeros_like(A_prev_pad)
    dW = np.zeros_like(W)
    for h in range(n_H):
        for w in range(n_W):
            vs, hs = h * stride, w * stride
            a_slice = A_prev_pad[:, vs:vs + f, hs:hs + f, :]
            dz = dZ[:, h, w, :]                                        # (m, n_C)
            dA_prev_pad[:, vs:vs + f, hs:hs + f, :] += np.einsum("ijck,mk->mijc", W, dz)
            dW += np.einsum("mijc,mk->ijck", a_slice, dz)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros_like(A_prev)
    if mode == "max":
        A, _ = pool_forward(A_prev, hparameters, mode)
    for di in range(f):
        for dj in range(f):
            r = slice(di, di + stride * (n_H - 1) + 1, stride)
            c = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, r, c, :] += (A_prev[:, r, c, :] == A) * dA
            elif mode == "average":
                dA_prev[:, r, c, :] += dA / (f * f)
    return dA_prev
