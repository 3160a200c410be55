"""Layers pasted with a bug: conv_backward assigns (=) each offset's input gradient instead of adding.
The network and the training loop are right."""
import numpy as np


# ---- layers (pasted from assignment 2) ----

def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]          # (m, n_H, n_W, n_C_prev, f, f)
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(m * n_H * n_W, f * f * n_C_prev)
    W_col = W.reshape(f * f * n_C_prev, n_C)
    Z = (patches @ W_col).reshape(m, n_H, n_W, n_C) + b

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters["f"]
    stride = hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        A = windows.max(axis=(4, 5))
    elif mode == "average":
        A = windows.mean(axis=(4, 5))
    else:
        raise ValueError("unknown mode " + str(mode))
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dA_prev_pad = np.zeros_like(A_prev_pad)
    dW = np.zeros_like(W)
    for di in range(f):
        for dj in range(f):
            rows = slice(di, di + stride * (n_H - 1) + 1, stride)
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            # (m, n_H, n_W, n_C) x (n_C_prev, n_C)^T -> (m, n_H, n_W, n_C_prev)
            dA_prev_pad[:, rows, cols, :] = dZ @ W[di, dj].T
            dW[di, dj] = np.tensordot(A_prev_pad[:, rows, cols, :], dZ, axes=([0, 1, 2], [0, 1, 2]))
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    dA_prev = np.zeros_like(A_prev)
    if mode == "max":
        A, _ = pool_forward(A_prev, hparameters, mode="max")
    for di in range(f):
        for dj in range(f):
            rows = slice(di, di + stride * (n_H - 1) + 1, stride)
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                mask = A_prev[:, rows, cols, :] == A
                dA_prev[:, rows, cols, :] += mask * dA
            elif mode == "average":
                dA_prev[:, rows, cols, :] += dA / (f * f)
    return dA_prev


from autograder.nn import dense_forward, relu_forward

CONV_HPARAMETERS = {"stride": 1, "pad": 1}
POOL_HPARAMETERS = {"stride": 2, "f": 2}


def model_forward(X, parameters):
    caches = []
    A = X
    for l in (1, 2):
        Z, conv_cache = conv_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], CONV_HPARAMETERS)
        A, relu_cache = relu_forward(Z)
        A, pool_cache = pool_forward(A, POOL_HPARAMETERS, mode="max")
        caches.append((conv_cache, relu_cache, pool_cache))
    shape = A.shape
    logits, dense_cache = dense_forward(A.reshape(shape[0], -1), parameters["W3"], parameters["b3"])
    caches.append((shape, dense_cache))
    return logits, caches


def predict(X, parameters):
    logits, _ = model_forward(X, parameters)
    return np.argmax(logits, axis=1)


from autograder.nn import dense_backward, relu_backward


def model_backward(dlogits, caches):
    grads = {}
    shape, dense_cache = caches[-1]
    dF, grads["W3"], grads["b3"] = dense_backward(dlogits, dense_cache)
    dA = dF.reshape(shape)
    for l in (2, 1):
        conv_cache, relu_cache, pool_cache = caches[l - 1]
        dA = pool_backward(dA, pool_cache, mode="max")
        dZ = relu_backward(dA, relu_cache)
        dA, grads[f"W{l}"], grads[f"b{l}"] = conv_backward(dZ, conv_cache)
    return grads


from autograder.nn import softmax_cross_entropy


def model_cost_and_gradients(X, Y, parameters):
    logits, caches = model_forward(X, parameters)
    cost, dlogits = softmax_cross_entropy(logits, Y)
    return cost, model_backward(dlogits, caches)


from tqdm.auto import tqdm


def train_model(X_train, Y_train, parameters, num_epochs=20, batch_size=32, learning_rate=0.005,
                beta1=0.9, beta2=0.999, epsilon=1e-8, seed=0, X_test=None, Y_test=None):
    rng = np.random.default_rng(seed)
    params = {k: p.copy() for k, p in parameters.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    s = {k: np.zeros_like(p) for k, p in params.items()}
    history = {"loss": [], "train_accuracy": [], "test_accuracy": []}
    m = len(X_train)
    steps = -(-m // batch_size)
    bar = tqdm(total=num_epochs * steps, desc="training")
    t = 0
    for epoch in range(num_epochs):
        idx = rng.permutation(m)
        losses = []
        for start in range(0, m, batch_size):
            batch = idx[start:start + batch_size]
            cost, grads = model_cost_and_gradients(X_train[batch], Y_train[batch], params)
            losses.append(cost)
            t += 1
            for k in params:
                v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
                s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
                v_hat = v[k] / (1 - beta1 ** t)
                s_hat = s[k] / (1 - beta2 ** t)
                params[k] -= learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
            bar.update(1)
        history["loss"].append(float(np.mean(losses)))
        history["train_accuracy"].append(float(np.mean(predict(X_train, params) == Y_train)))
        if X_test is not None:
            history["test_accuracy"].append(float(np.mean(predict(X_test, params) == Y_test)))
        bar.set_postfix(loss=history["loss"][-1], accuracy=history["train_accuracy"][-1])
    bar.close()
    return params, history
