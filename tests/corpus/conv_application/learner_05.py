"""Channels-first einsum layers; list-of-caches network with a loop over the conv blocks. Correct."""
import numpy as np


# ---- layers (pasted from assignment 2) ----

from numpy.lib.stride_tricks import sliding_window_view


def conv_forward(A_prev, W, b, hparameters):
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    f = W.shape[0]
    x = A_prev.transpose(0, 3, 1, 2)                       # (m, C, H, W)
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = sliding_window_view(x, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]   # (m, C, n_H, n_W, f, f)
    Z = np.einsum("mchwpq,pqck->mhwk", win, W)
    Z = Z + b[0, 0, 0]
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    f = hparameters["f"]
    stride = hparameters["stride"]
    win = sliding_window_view(A_prev.transpose(0, 3, 1, 2), (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
    if mode == "max":
        A = win.max(axis=(4, 5))
    elif mode == "average":
        A = win.mean(axis=(4, 5))
    else:
        raise ValueError("mode: " + mode)
    A = A.transpose(0, 2, 3, 1)
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    f = W.shape[0]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    n_H, n_W = dZ.shape[1], dZ.shape[2]

    x = np.pad(A_prev.transpose(0, 3, 1, 2), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = sliding_window_view(x, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
    dW = np.einsum("mchwpq,mhwk->pqck", win, dZ)
    db = dZ.sum(axis=(0, 1, 2))[None, None, None, :]

    dx = np.zeros(x.shape)                                   # (m, C, H_pad, W_pad)
    for p in range(f):
        for q in range(f):
            dx[:, :, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride] += \
                np.einsum("mhwk,ck->mchw", dZ, W[p, q])
    dA_prev = dx[:, :, pad:pad + n_H_prev, pad:pad + n_W_prev].transpose(0, 2, 3, 1)
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H, n_W = dA.shape[1], dA.shape[2]
    x = A_prev.transpose(0, 3, 1, 2)
    g = dA.transpose(0, 3, 1, 2)                             # (m, C, n_H, n_W)
    dx = np.zeros(x.shape)
    if mode == "max":
        win = sliding_window_view(x, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
        is_max = win == win.max(axis=(4, 5), keepdims=True)  # (m, C, n_H, n_W, f, f)
        for p in range(f):
            for q in range(f):
                dx[:, :, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride] += is_max[..., p, q] * g
    elif mode == "average":
        for p in range(f):
            for q in range(f):
                dx[:, :, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride] += g / (f * f)
    else:
        raise ValueError("mode: " + mode)
    return dx.transpose(0, 2, 3, 1)


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
