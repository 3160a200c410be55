"""einsum layers over sliding_window_view; conv_forward asks einsum for a channels-first output
("->mnhw") and reshapes it to (m, n_H, n_W, n_C)."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_forward(A_prev, W, b, hparameters):
    s, p = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
    win = sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::s, ::s]      # (m, n_H, n_W, C, f, f)
    m, n_H, n_W = win.shape[:3]
    Z = np.einsum("mhwcij,ijcn->mnhw", win, W).reshape(m, n_H, n_W, W.shape[3]) + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f, s = hparameters["f"], hparameters["stride"]
    win = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::s, ::s]
    if mode == "max":
        A = win.max(axis=(-2, -1))
    elif mode == "average":
        A = win.mean(axis=(-2, -1))
    else:
        raise ValueError(f"unknown pooling mode {mode}")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    s, p = hparameters["stride"], hparameters["pad"]
    m, H, Wd, C = A_prev.shape
    f = W.shape[0]
    F = W.shape[3]
    A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))

    # dW[i, j, c, n] = sum over m, h, w of window entry (i, j, c) times dZ[m, h, w, n]
    win = sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::s, ::s]
    dW = np.einsum("mhwcij,mhwn->ijcn", win, dZ)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, F)

    # dA_pad = full_conv(dilate(dZ), rot180(W)), then cut the padding off
    Hp, Wp = H + 2 * p, Wd + 2 * p
    dil = np.zeros((m, Hp - f + 1, Wp - f + 1, F))
    dil[:, ::s, ::s, :] = dZ
    dil = np.pad(dil, ((0, 0), (f - 1, f - 1), (f - 1, f - 1), (0, 0)))
    dwin = sliding_window_view(dil, (f, f), axis=(1, 2))                     # (m, Hp, Wp, F, f, f)
    W_rot = W[::-1, ::-1, :, :]
    dA_pad = np.einsum("mhwnij,ijcn->mhwc", dwin, W_rot)
    dA_prev = dA_pad[:, p:p + H, p:p + Wd, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    _, n_H, n_W, _ = dA.shape
    A, _ = pool_forward(A_prev, hparameters, mode)
    dA_prev = np.zeros(A_prev.shape)
    for i in range(f):
        for j in range(f):
            rows = slice(i, i + s * (n_H - 1) + 1, s)
            cols = slice(j, j + s * (n_W - 1) + 1, s)
            if mode == "max":
                dA_prev[:, rows, cols, :] += (A_prev[:, rows, cols, :] == A) * dA
            elif mode == "average":
                dA_prev[:, rows, cols, :] += dA / (f * f)
            else:
                raise ValueError(f"unknown pooling mode {mode}")
    return dA_prev
