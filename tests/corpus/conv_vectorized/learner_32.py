"""Patch-matrix layers; pool_forward tests mode == "mean" so average pooling ends with A undefined, and
conv_backward returns db as a flat (n_C,) vector instead of (1, 1, 1, n_C)."""
import numpy as np


def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters['stride']
    pad = hparameters['pad']
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), 'constant', constant_values=0)
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    patches = np.transpose(windows, (0, 1, 2, 4, 5, 3)).reshape(-1, f * f * n_C_prev)
    Z = np.dot(patches, W.reshape(-1, n_C)).reshape(m, n_H, n_W, n_C)
    Z = Z + b
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters['f']
    stride = hparameters['stride']
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        A = np.max(windows, axis=(4, 5))
    elif mode == "mean":
        A = np.mean(windows, axis=(4, 5))
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters['stride']
    pad = hparameters['pad']
    (m, n_H, n_W, n_C) = dZ.shape
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), 'constant', constant_values=0)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    dZ_mat = dZ.reshape(-1, n_C)
    for i in range(f):
        for j in range(f):
            r = slice(i, i + stride * (n_H - 1) + 1, stride)
            c = slice(j, j + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, r, c, :] += np.dot(dZ_mat, W[i, j].T).reshape(m, n_H, n_W, n_C_prev)
            dW[i, j] = np.dot(A_prev_pad[:, r, c, :].reshape(-1, n_C_prev).T, dZ_mat)
    db = np.sum(dZ, axis=(0, 1, 2))
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters['f']
    stride = hparameters['stride']
    (m, n_H, n_W, n_C) = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
        window_max = np.max(windows, axis=(4, 5))
    for i in range(f):
        for j in range(f):
            r = slice(i, i + stride * (n_H - 1) + 1, stride)
            c = slice(j, j + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, r, c, :] += (A_prev[:, r, c, :] == window_max) * dA
            else:
                dA_prev[:, r, c, :] += dA / (f * f)
    return dA_prev
