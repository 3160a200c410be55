"""Object-oriented: Conv2D and Pool2D classes with forward/backward methods that keep their input on the
instance; the graded functions wrap them (the backward wrappers run forward first to refill the
layer). Correct."""
import numpy as np


def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")


def conv_single_step(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W) + b.item())


class Conv2D:
    """A convolution layer: W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C)."""

    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b
        self.stride, self.pad = stride, pad

    def forward(self, x):
        self.x = x
        self.x_pad = zero_pad(x, self.pad)
        m, H, Wd, _ = x.shape
        f, _, _, n_C = self.W.shape
        s = self.stride
        H_out = (H + 2 * self.pad - f) // s + 1
        W_out = (Wd + 2 * self.pad - f) // s + 1
        out = np.zeros((m, H_out, W_out, n_C))
        for i in range(m):
            for h in range(H_out):
                for w in range(W_out):
                    patch = self.x_pad[i, h * s:h * s + f, w * s:w * s + f, :]
                    for c in range(n_C):
                        out[i, h, w, c] = conv_single_step(patch, self.W[..., c], self.b[..., c])
        return out

    def backward(self, dout):
        m, H_out, W_out, n_C = dout.shape
        f = self.W.shape[0]
        s, p = self.stride, self.pad
        dx_pad = np.zeros_like(self.x_pad)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros(n_C)
        for i in range(m):
            for h in range(H_out):
                for w in range(W_out):
                    patch = self.x_pad[i, h * s:h * s + f, w * s:w * s + f, :]
                    for c in range(n_C):
                        dx_pad[i, h * s:h * s + f, w * s:w * s + f, :] += self.W[..., c] * dout[i, h, w, c]
                        self.dW[..., c] += patch * dout[i, h, w, c]
                        self.db[c] += dout[i, h, w, c]
        H, Wd = self.x.shape[1:3]
        dx = dx_pad[:, p:p + H, p:p + Wd, :]
        return dx, self.dW, self.db.reshape(1, 1, 1, n_C)


class Pool2D:
    def __init__(self, f, stride, mode="max"):
        self.f, self.stride, self.mode = f, stride, mode

    def forward(self, x):
        self.x = x
        m, H, Wd, C = x.shape
        f, s = self.f, self.stride
        H_out, W_out = (H - f) // s + 1, (Wd - f) // s + 1
        out = np.zeros((m, H_out, W_out, C))
        for i in range(m):
            for h in range(H_out):
                for w in range(W_out):
                    for c in range(C):
                        window = x[i, h * s:h * s + f, w * s:w * s + f, c]
                        if self.mode == "max":
                            out[i, h, w, c] = window.max()
                        elif self.mode == "average":
                            out[i, h, w, c] = window.mean()
        return out

    def backward(self, dout):
        f, s = self.f, self.stride
        dx = np.zeros_like(self.x)
        m, H_out, W_out, C = dout.shape
        for i in range(m):
            for h in range(H_out):
                for w in range(W_out):
                    for c in range(C):
                        if self.mode == "max":
                            window = self.x[i, h * s:h * s + f, w * s:w * s + f, c]
                            dx[i, h * s:h * s + f, w * s:w * s + f, c] += create_mask_from_window(window) * dout[i, h, w, c]
                        elif self.mode == "average":
                            dx[i, h * s:h * s + f, w * s:w * s + f, c] += distribute_value(dout[i, h, w, c], (f, f))
        return dx


def conv_forward(A_prev, W, b, hparameters):
    layer = Conv2D(W, b, hparameters["stride"], hparameters["pad"])
    Z = layer.forward(A_prev)
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    layer = Pool2D(hparameters["f"], hparameters["stride"], mode)
    A = layer.forward(A_prev)
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    layer = Conv2D(W, b, hparameters["stride"], hparameters["pad"])
    layer.forward(A_prev)  # refills the layer's cached input
    dA_prev, dW, db = layer.backward(dZ)
    return dA_prev, dW, db


def create_mask_from_window(x):
    return x == np.max(x)


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * dz / (n_H * n_W)


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    layer = Pool2D(hparameters["f"], hparameters["stride"], mode)
    layer.forward(A_prev)
    return layer.backward(dA)
