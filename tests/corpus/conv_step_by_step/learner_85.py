"""Textbook style: conv_backward gets dA_prev as a full convolution of the dilated dZ with the filters
rotated by 180 degrees (dW and db by the usual loops). The padding of dZ is f - 1 - pad and the dilated
dZ has no room for the rows no window reached. Everything else right."""
import numpy as np


def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant', constant_values=0)


def conv_single_step(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + np.asarray(b).item()


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters['stride'], hparameters['pad']
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice_prev = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters['f'], hparameters['stride']
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = np.max(window) if mode == 'max' else np.mean(window)
    return A, (A_prev, hparameters)


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters['stride'], hparameters['pad']
    _, n_H, n_W, _ = dZ.shape

    # dW and db: dL/dW[:, :, :, c] = sum over positions of the window times dZ
    A_prev_pad = zero_pad(A_prev, pad)
    dW = np.zeros(W.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
    db = np.sum(dZ, axis=(0, 1, 2), keepdims=True)

    # dA_prev = full_conv(dilate(dZ, stride), rot180(W))
    dZ_dil = np.zeros((m, (n_H - 1) * stride + 1, (n_W - 1) * stride + 1, n_C))
    dZ_dil[:, ::stride, ::stride, :] = dZ
    q = f - 1 - pad
    dZ_pad = np.pad(dZ_dil, ((0, 0), (q, q), (q, q), (0, 0)))
    W_rot = W[::-1, ::-1, :, :]
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H_prev):
            for w in range(n_W_prev):
                window = dZ_pad[i, h:h + f, w:w + f, :]          # (f, f, n_C)
                dA_prev[i, h, w, :] = np.sum(window[:, :, None, :] * W_rot, axis=(0, 1, 3))
    return dA_prev, dW, db


def create_mask_from_window(x):
    return x == np.max(x)


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.full((n_H, n_W), dz / (n_H * n_W))


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters['f'], hparameters['stride']
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    rows = slice(h * stride, h * stride + f)
                    cols = slice(w * stride, w * stride + f)
                    if mode == 'max':
                        dA_prev[i, rows, cols, c] += create_mask_from_window(A_prev[i, rows, cols, c]) * dA[i, h, w, c]
                    else:
                        dA_prev[i, rows, cols, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev
