"""Channel loop outermost; distribute_value uses floor division dz // (n_H * n_W).
Everything else right."""
import numpy as np


def zero_pad(X, pad):
    X_pad = np.pad(X, [(0, 0), (pad, pad), (pad, pad), (0, 0)], mode="constant", constant_values=0)
    return X_pad


def conv_single_step(a_slice_prev, W, b):
    Z = np.sum(a_slice_prev * W) + float(b.ravel()[0])
    return Z


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = (n_H_prev - f + 2 * pad) // stride + 1
    n_W = (n_W_prev - f + 2 * pad) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for c in range(n_C):
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    vert_start = h * stride
                    horiz_start = w * stride
                    a_slice_prev = A_prev_pad[i, vert_start:vert_start + f, horiz_start:horiz_start + f, :]
                    Z[i, h, w, c] = np.sum(a_slice_prev * W[:, :, :, c]) + b[0, 0, 0, c]
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C_prev))
    for c in range(n_C_prev):
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    vert_start = h * stride
                    horiz_start = w * stride
                    a_prev_slice = A_prev[i, vert_start:vert_start + f, horiz_start:horiz_start + f, c]
                    if mode == "max":
                        A[i, h, w, c] = a_prev_slice.max()
                    elif mode == "average":
                        A[i, h, w, c] = a_prev_slice.mean()
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros_like(A_prev_pad)
    dW = np.zeros_like(W)
    db = np.zeros_like(b)
    for c in range(n_C):
        db[0, 0, 0, c] = np.sum(dZ[:, :, :, c])
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    vert_start = h * stride
                    horiz_start = w * stride
                    a_slice = A_prev_pad[i, vert_start:vert_start + f, horiz_start:horiz_start + f, :]
                    dA_prev_pad[i, vert_start:vert_start + f, horiz_start:horiz_start + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    mask = (x == np.max(x)).astype(int)
    return mask


def distribute_value(dz, shape):
    n_H, n_W = shape
    average = dz // (n_H * n_W)
    a = average * np.ones((n_H, n_W))
    return a


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros_like(A_prev)
    for c in range(n_C):
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    vert_start = h * stride
                    horiz_start = w * stride
                    if mode == "max":
                        a_prev_slice = A_prev[i, vert_start:vert_start + f, horiz_start:horiz_start + f, c]
                        mask = create_mask_from_window(a_prev_slice)
                        dA_prev[i, vert_start:vert_start + f, horiz_start:horiz_start + f, c] += mask * dA[i, h, w, c]
                    elif mode == "average":
                        dA_prev[i, vert_start:vert_start + f, horiz_start:horiz_start + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev
