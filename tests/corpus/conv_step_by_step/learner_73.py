"""Partly vectorized; in pool_backward the window maxima lack keepdims, so the comparison broadcasts
(m, n_C) against the window's axes. Everything else right."""
import numpy as np


def zero_pad(X, pad):
    X_pad = np.pad(X, pad_width=((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)
    return X_pad


def conv_single_step(a_slice_prev, W, b):
    # one number: sum of the element-wise product, plus the (only) bias value
    return np.sum(a_slice_prev * W) + np.squeeze(b)


def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]

    n_H = (n_H_prev - f + 2 * pad) // stride + 1
    n_W = (n_W_prev - f + 2 * pad) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)

    for h in range(n_H):
        vert_start = h * stride
        vert_end = vert_start + f
        for w in range(n_W):
            horiz_start = w * stride
            horiz_end = horiz_start + f
            # (m, f, f, n_C_prev) x (f, f, n_C_prev, n_C) -> (m, n_C)
            a_slice_prev = A_prev_pad[:, vert_start:vert_end, horiz_start:horiz_end, :]
            Z[:, h, w, :] = np.tensordot(a_slice_prev, W, axes=([1, 2, 3], [0, 1, 2])) + b[0, 0, 0, :]

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = int(1 + (n_H_prev - f) / stride)
    n_W = int(1 + (n_W_prev - f) / stride)
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

    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)

    for h in range(n_H):
        vert_start = h * stride
        vert_end = vert_start + f
        for w in range(n_W):
            horiz_start = w * stride
            horiz_end = horiz_start + f
            a_slice = A_prev_pad[:, vert_start:vert_end, horiz_start:horiz_end, :]
            # dZ[:, h, w, :] is (m, n_C)
            dA_prev_pad[:, vert_start:vert_end, horiz_start:horiz_end, :] += np.einsum("abcd,md->mabc", W, dZ[:, h, w, :])
            dW += np.einsum("mabc,md->abcd", a_slice, dZ[:, h, w, :])

    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    mask = (x == np.max(x))
    return mask


def distribute_value(dz, shape):
    (n_H, n_W) = shape
    average = dz / (n_H * n_W)
    a = np.ones(shape) * average
    return a


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    stride = hparameters["stride"]
    f = hparameters["f"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for h in range(n_H):
        vert_start = h * stride
        vert_end = vert_start + f
        for w in range(n_W):
            horiz_start = w * stride
            horiz_end = horiz_start + f
            if mode == "max":
                a_prev_slice = A_prev[:, vert_start:vert_end, horiz_start:horiz_end, :]
                mask = a_prev_slice == np.max(a_prev_slice, axis=(1, 2))
                dA_prev[:, vert_start:vert_end, horiz_start:horiz_end, :] += mask * dA[:, h:h + 1, w:w + 1, :]
            elif mode == "average":
                dA_prev[:, vert_start:vert_end, horiz_start:horiz_end, :] += dA[:, h:h + 1, w:w + 1, :] / (f * f)
    return dA_prev
