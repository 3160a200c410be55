"""as_strided im2col layers; the network written as in the notebook's hints, one line per layer.
Correct."""
import numpy as np


# ---- layers (pasted from assignment 2) ----

from numpy.lib.stride_tricks import as_strided


def get_windows(X, f, stride, n_H, n_W):
    """View of shape (m, n_H, n_W, f, f, n_C) on X (m, H, W, n_C): no copy."""
    m, H, W_, n_C = X.shape
    s0, s1, s2, s3 = X.strides
    return as_strided(X, shape=(m, n_H, n_W, f, f, n_C),
                      strides=(s0, s1 * stride, s2 * stride, s1, s2, s3), writeable=False)


def conv_forward(A_prev, W, b, hparameters):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters['stride']
    pad = hparameters['pad']
    n_H = int((n_H_prev - f + 2 * pad) / stride) + 1
    n_W = int((n_W_prev - f + 2 * pad) / stride) + 1

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), 'constant')
    A_prev_pad = np.ascontiguousarray(A_prev_pad)
    cols = get_windows(A_prev_pad, f, stride, n_H, n_W).reshape(m * n_H * n_W, -1)   # (f, f, n_C_prev) order
    Z = cols @ W.reshape(-1, n_C) + b.reshape(1, n_C)
    Z = Z.reshape(m, n_H, n_W, n_C)

    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = int(1 + (n_H_prev - f) / stride)
    n_W = int(1 + (n_W_prev - f) / stride)
    windows = get_windows(np.ascontiguousarray(A_prev), f, stride, n_H, n_W)
    if mode == "max":
        A = windows.max(axis=(3, 4))
    elif mode == "average":
        A = windows.mean(axis=(3, 4))
    else:
        raise ValueError("mode should be 'max' or 'average'")
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters['stride']
    pad = hparameters['pad']
    (m, n_H, n_W, n_C) = dZ.shape

    A_prev_pad = np.ascontiguousarray(np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), 'constant'))
    cols = get_windows(A_prev_pad, f, stride, n_H, n_W).reshape(m * n_H * n_W, -1)
    dZ_col = dZ.reshape(-1, n_C)

    dW = (cols.T @ dZ_col).reshape(f, f, n_C_prev, n_C)
    db = dZ_col.sum(axis=0).reshape(1, 1, 1, n_C)

    dcols = (dZ_col @ W.reshape(-1, n_C).T).reshape(m, n_H, n_W, f, f, n_C_prev)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    for p in range(f):
        for q in range(f):
            dA_prev_pad[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :] += dcols[:, :, :, p, q, :]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        windows = get_windows(np.ascontiguousarray(A_prev), f, stride, n_H, n_W)
        mask = windows == windows.max(axis=(3, 4), keepdims=True)       # (m, n_H, n_W, f, f, n_C)
        grads = mask * dA[:, :, :, None, None, :]
    elif mode == "average":
        grads = np.broadcast_to(dA[:, :, :, None, None, :] / (f * f), (m, n_H, n_W, f, f, n_C))
    else:
        raise ValueError("mode should be 'max' or 'average'")
    for p in range(f):
        for q in range(f):
            dA_prev[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :] += grads[:, :, :, p, q, :]
    return dA_prev


# ---- the network ----

from autograder.nn import dense_forward, relu_forward

CONV_HPARAMETERS = {"stride": 1, "pad": 1}
POOL_HPARAMETERS = {"stride": 2, "f": 2}


def model_forward(X, parameters):
    Z1, conv1_cache = conv_forward(X, parameters["W1"], parameters["b1"], CONV_HPARAMETERS)
    A1, relu1_cache = relu_forward(Z1)
    P1, pool1_cache = pool_forward(A1, POOL_HPARAMETERS, mode="max")

    Z2, conv2_cache = conv_forward(P1, parameters["W2"], parameters["b2"], CONV_HPARAMETERS)
    A2, relu2_cache = relu_forward(Z2)
    P2, pool2_cache = pool_forward(A2, POOL_HPARAMETERS, mode="max")

    flat = P2.reshape(P2.shape[0], -1)
    logits, dense_cache = dense_forward(flat, parameters["W3"], parameters["b3"])

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
    _, grads["W1"], grads["b1"] = conv_backward(dZ1, conv1_cache)  # dX is not needed
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
    batches_per_epoch = (m - 1) // batch_size + 1
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
