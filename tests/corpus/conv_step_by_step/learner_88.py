"""Chinese comments, short names of its own (s, p, x_pad). conv_backward reads the padding as
hparameters['padding'], a key the course's hparameters do not have. Everything else right."""
import numpy as np


def zero_pad(X, pad):
    # 只在高和宽两个维度上补零
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant')


def conv_single_step(a_slice_prev, W, b):
    # 对应元素相乘再求和，最后加上偏置（b 的形状是 (1,1,1)，用 item() 取出数值）
    return np.sum(a_slice_prev * W) + b.item()


def conv_forward(A_prev, W, b, hparameters):
    m, h_prev, w_prev, c_prev = A_prev.shape
    f, _, _, n_C = W.shape
    s = hparameters['stride']
    p = hparameters['pad']
    # 输出尺寸：向下取整
    n_H = (h_prev + 2 * p - f) // s + 1
    n_W = (w_prev + 2 * p - f) // s + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    x_pad = zero_pad(A_prev, p)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                # 窗口左上角
                r, q = h * s, w * s
                patch = x_pad[i, r:r + f, q:q + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(patch, W[..., c], b[..., c])
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    m, h_prev, w_prev, n_C = A_prev.shape
    f = hparameters['f']
    s = hparameters['stride']
    n_H = (h_prev - f) // s + 1
    n_W = (w_prev - f) // s + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                r, q = h * s, w * s
                for c in range(n_C):
                    patch = A_prev[i, r:r + f, q:q + f, c]
                    # 最大池化 / 平均池化
                    if mode == 'max':
                        A[i, h, w, c] = patch.max()
                    elif mode == 'average':
                        A[i, h, w, c] = patch.mean()
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    # 从缓存中取出前向传播的输入
    A_prev, W, b, hparameters = cache
    m, h_prev, w_prev, c_prev = A_prev.shape
    f, _, _, n_C = W.shape
    s = hparameters['stride']
    p = hparameters['padding']
    _, n_H, n_W, _ = dZ.shape

    dA_prev = np.zeros(A_prev.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    x_pad = zero_pad(A_prev, p)
    dx_pad = zero_pad(dA_prev, p)

    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                # 窗口位置
                r, q = h * s, w * s
                patch = x_pad[i, r:r + f, q:q + f, :]
                for c in range(n_C):
                    dx_pad[i, r:r + f, q:q + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += patch * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
        # 去掉补零的部分
        dA_prev[i, :, :, :] = dx_pad[i, p:p + h_prev, p:p + w_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    # 最大值的位置为 True
    return x == np.max(x)


def distribute_value(dz, shape):
    n_H, n_W = shape
    # 平均分配到每个位置
    return np.ones(shape) * (dz / (n_H * n_W))


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters['f']
    s = hparameters['stride']
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                r, q = h * s, w * s
                for c in range(n_C):
                    if mode == 'max':
                        mask = create_mask_from_window(A_prev[i, r:r + f, q:q + f, c])
                        dA_prev[i, r:r + f, q:q + f, c] += mask * dA[i, h, w, c]
                    elif mode == 'average':
                        dA_prev[i, r:r + f, q:q + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev
