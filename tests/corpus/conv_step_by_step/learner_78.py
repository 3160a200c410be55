"""Own helpers (out_size, window) and its own sanity checks. Both pooling functions assert that the
stride equals the window size, as in the lesson's example; everything else right."""
import numpy as np


def out_size(n_prev, f, stride, pad=0):
    """Number of window positions along one axis."""
    return (n_prev + 2 * pad - f) // stride + 1


def window(h, w, f, stride):
    """Row and column slices of the window of output (h, w)."""
    return slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)


def zero_pad(X, pad):
    X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    assert X_pad.shape == (X.shape[0], X.shape[1] + 2 * pad, X.shape[2] + 2 * pad, X.shape[3])
    return X_pad


def conv_single_step(a_slice_prev, W, b):
    assert a_slice_prev.shape == W.shape, "slice and filter must have the same shape"
    Z = np.sum(a_slice_prev * W) + b.item()
    return Z


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f2, n_C_prev_W, n_C = W.shape
    assert f == f2 and n_C_prev_W == n_C_prev
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H, n_W = out_size(n_H_prev, f, stride, pad), out_size(n_W_prev, f, stride, pad)
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = window(h, w, f, stride)
                a_slice_prev = A_prev_pad[i, rows, cols, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    assert stride == f, "pooling windows should not overlap"
    n_H, n_W = out_size(n_H_prev, f, stride), out_size(n_W_prev, f, stride)
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = window(h, w, f, stride)
                for c in range(n_C):
                    a_prev_slice = A_prev[i, rows, cols, c]
                    if mode == "max":
                        A[i, h, w, c] = np.max(a_prev_slice)
                    elif mode == "average":
                        A[i, h, w, c] = np.mean(a_prev_slice)
                    else:
                        raise ValueError("unknown mode " + str(mode))
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = window(h, w, f, stride)
                a_slice = A_prev_pad[i, rows, cols, :]
                for c in range(n_C):
                    dA_prev_pad[i, rows, cols, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    assert dA_prev.shape == A_prev.shape
    return dA_prev, dW, db


def create_mask_from_window(x):
    mask = x == np.max(x)
    return mask


def distribute_value(dz, shape):
    n_H, n_W = shape
    a = np.full(shape, dz / (n_H * n_W))
    return a


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    assert stride == f, "pooling windows should not overlap"
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                rows, cols = window(h, w, f, stride)
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, rows, cols, c])
                        dA_prev[i, rows, cols, c] += mask * dA[i, h, w, c]
                    elif mode == "average":
                        dA_prev[i, rows, cols, c] += distribute_value(dA[i, h, w, c], (f, f))
                    else:
                        raise ValueError("unknown mode " + str(mode))
    return dA_prev
