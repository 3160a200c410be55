"""im2col with fancy indexing (index arrays for rows and columns, as in the cs231n notes) and
np.add.at to scatter the gradients back, so overlapping windows add up. Correct."""
import numpy as np


def im2col_indices(n_H, n_W, f, stride):
    """Row and column index arrays of shape (n_H * n_W, f * f) into the padded image."""
    i0 = np.repeat(np.arange(f), f)                # row inside the window
    j0 = np.tile(np.arange(f), f)                  # column inside the window
    i1 = stride * np.repeat(np.arange(n_H), n_W)   # top of the window
    j1 = stride * np.tile(np.arange(n_W), n_H)     # left of the window
    rows = i1.reshape(-1, 1) + i0.reshape(1, -1)
    cols = j1.reshape(-1, 1) + j0.reshape(1, -1)
    return rows, cols


def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1

    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    rows, cols = im2col_indices(n_H, n_W, f, stride)
    patches = A_pad[:, rows, cols, :]                     # (m, n_H*n_W, f*f, n_C_prev)
    patches = patches.reshape(m * n_H * n_W, f * f * n_C_prev)
    Z = patches.dot(W.reshape(f * f * n_C_prev, n_C)) + b.reshape(1, -1)
    Z = Z.reshape(m, n_H, n_W, n_C)
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    rows, cols = im2col_indices(n_H, n_W, f, stride)
    patches = A_prev[:, rows, cols, :]                    # (m, n_H*n_W, f*f, n_C)
    if mode == "max":
        A = patches.max(axis=2)
    elif mode == "average":
        A = patches.mean(axis=2)
    else:
        raise ValueError(mode)
    A = A.reshape(m, n_H, n_W, n_C)
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    _, n_H, n_W, _ = dZ.shape

    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    rows, cols = im2col_indices(n_H, n_W, f, stride)
    patches = A_pad[:, rows, cols, :].reshape(m * n_H * n_W, f * f * n_C_prev)
    dZ_mat = dZ.reshape(m * n_H * n_W, n_C)

    dW = patches.T.dot(dZ_mat).reshape(W.shape)
    db = dZ_mat.sum(axis=0).reshape(b.shape)
    dpatches = dZ_mat.dot(W.reshape(f * f * n_C_prev, n_C).T).reshape(m, n_H * n_W, f * f, n_C_prev)

    dA_pad = np.zeros(A_pad.shape)
    np.add.at(dA_pad, (slice(None), rows, cols, slice(None)), dpatches)
    dA_prev = dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    _, n_H, n_W, _ = dA.shape
    rows, cols = im2col_indices(n_H, n_W, f, stride)
    dA_flat = dA.reshape(m, n_H * n_W, 1, n_C)
    if mode == "max":
        patches = A_prev[:, rows, cols, :]
        mask = patches == patches.max(axis=2, keepdims=True)
        dpatches = mask * dA_flat
    elif mode == "average":
        dpatches = np.broadcast_to(dA_flat / (f * f), (m, n_H * n_W, f * f, n_C))
    else:
        raise ValueError(mode)
    dA_prev = np.zeros(A_prev.shape)
    np.add.at(dA_prev, (slice(None), rows, cols, slice(None)), dpatches)
    return dA_prev
