"""Channels-first im2col layers wrapped with transposes; col2im cuts the padding off with
[:, :, pad:-pad, pad:-pad]. Both backward passes use it (pooling with pad 0)."""
import numpy as np


def im2col_indices(C, H, W, fh, fw, pad, stride):
    """Channel, row and column index arrays, shape (C * fh * fw, out_h * out_w), of every window entry."""
    out_h = (H + 2 * pad - fh) // stride + 1
    out_w = (W + 2 * pad - fw) // stride + 1
    kh, kw = np.meshgrid(np.arange(fh), np.arange(fw), indexing="ij")
    oh, ow = np.meshgrid(np.arange(out_h), np.arange(out_w), indexing="ij")
    rows = kh.reshape(1, -1, 1) + stride * oh.reshape(1, 1, -1)
    cols = kw.reshape(1, -1, 1) + stride * ow.reshape(1, 1, -1)
    chan = np.arange(C).reshape(-1, 1, 1)
    full = (C, fh * fw, out_h * out_w)
    k = np.broadcast_to(chan, full).reshape(C * fh * fw, -1)
    i = np.broadcast_to(rows, full).reshape(C * fh * fw, -1)
    j = np.broadcast_to(cols, full).reshape(C * fh * fw, -1)
    return k, i, j, out_h, out_w


def im2col(x, fh, fw, pad, stride):
    """x (N, C, H, W) -> columns (C * fh * fw, out_h * out_w * N)."""
    N, C, H, W = x.shape
    x_p = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    k, i, j, out_h, out_w = im2col_indices(C, H, W, fh, fw, pad, stride)
    cols = x_p[:, k, i, j]                       # (N, C * fh * fw, out_h * out_w)
    return cols.transpose(1, 2, 0).reshape(C * fh * fw, -1)


def col2im(cols, x_shape, fh, fw, pad, stride):
    """The adjoint of im2col: columns (C * fh * fw, out_h * out_w * N) -> (N, C, H, W), overlaps summed."""
    N, C, H, W = x_shape
    x_p = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    k, i, j, out_h, out_w = im2col_indices(C, H, W, fh, fw, pad, stride)
    cols_n = cols.reshape(C * fh * fw, out_h * out_w, N).transpose(2, 0, 1)
    np.add.at(x_p, (slice(None), k, i, j), cols_n)
    return x_p[:, :, pad:-pad, pad:-pad]


def conv_forward(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    x = A_prev.transpose(0, 3, 1, 2)             # NHWC -> NCHW
    w = W.transpose(3, 2, 0, 1)                  # (f, f, C, F) -> (F, C, f, f)
    N, C, H, Wd = x.shape
    F, _, fh, fw = w.shape
    out_h = (H + 2 * pad - fh) // stride + 1
    out_w = (Wd + 2 * pad - fw) // stride + 1
    cols = im2col(x, fh, fw, pad, stride)
    out = w.reshape(F, -1) @ cols + b.reshape(-1, 1)
    Z = out.reshape(F, out_h, out_w, N).transpose(3, 1, 2, 0)
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    N, H, Wd, C = A_prev.shape
    x = A_prev.transpose(0, 3, 1, 2).reshape(N * C, 1, H, Wd)
    out_h = (H - f) // stride + 1
    out_w = (Wd - f) // stride + 1
    cols = im2col(x, f, f, 0, stride)            # (f * f, out_h * out_w * N * C)
    if mode == "max":
        out = cols.max(axis=0)
    elif mode == "average":
        out = cols.mean(axis=0)
    else:
        raise ValueError("mode must be 'max' or 'average'")
    A = out.reshape(out_h, out_w, N, C).transpose(2, 0, 1, 3)
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    x = A_prev.transpose(0, 3, 1, 2)
    w = W.transpose(3, 2, 0, 1)
    F, C, fh, fw = w.shape
    cols = im2col(x, fh, fw, pad, stride)
    dout = dZ.transpose(3, 1, 2, 0).reshape(F, -1)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, F)
    dw = (dout @ cols.T).reshape(F, C, fh, fw)
    dW = dw.transpose(2, 3, 1, 0)
    dcols = w.reshape(F, -1).T @ dout
    dx = col2im(dcols, x.shape, fh, fw, pad, stride)
    dA_prev = dx.transpose(0, 2, 3, 1)
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    N, H, Wd, C = A_prev.shape
    x = A_prev.transpose(0, 3, 1, 2).reshape(N * C, 1, H, Wd)
    cols = im2col(x, f, f, 0, stride)
    dout = dA.transpose(1, 2, 0, 3).reshape(-1)  # same order as the columns: (out_h, out_w, N, C)
    dcols = np.zeros(cols.shape)
    if mode == "max":
        dcols[cols.argmax(axis=0), np.arange(cols.shape[1])] = dout
    elif mode == "average":
        dcols[:] = dout / (f * f)
    else:
        raise ValueError("mode must be 'max' or 'average'")
    dx = col2im(dcols, x.shape, f, f, 0, stride)
    dA_prev = dx.reshape(N, C, H, Wd).transpose(0, 2, 3, 1)
    return dA_prev
