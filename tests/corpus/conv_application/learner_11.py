"""Channels-first layers, dict caches; the gradients of the two convolutions are stored under each
other's keys (W1 <- dW2, W2 <- dW1)."""
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

CONV_HPARAMETERS = {"stride": 1, "pad": 1}  # both convolutions: 3 x 3 filters, the size is kept
POOL_HPARAMETERS = {"stride": 2, "f": 2}    # both poolings: 2 x 2 windows, stride 2


def model_forward(X, parameters):
    """CONV -> RELU -> MAXPOOL -> CONV -> RELU -> MAXPOOL -> FLATTEN -> DENSE"""
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    caches = {}

    # CONV 1 -> RELU -> POOL
    Z1, caches["conv1"] = conv_forward(X, W1, b1, CONV_HPARAMETERS)
    A1, caches["relu1"] = relu_forward(Z1)
    P1, caches["pool1"] = pool_forward(A1, POOL_HPARAMETERS, mode="max")

    # CONV 2 -> RELU -> POOL
    Z2, caches["conv2"] = conv_forward(P1, W2, b2, CONV_HPARAMETERS)
    A2, caches["relu2"] = relu_forward(Z2)
    P2, caches["pool2"] = pool_forward(A2, POOL_HPARAMETERS, mode="max")

    # FLATTEN -> DENSE
    caches["P2_shape"] = P2.shape
    F = P2.reshape(P2.shape[0], -1)
    logits, caches["dense"] = dense_forward(F, W3, b3)
    return logits, caches


def predict(X, parameters):
    """The class of highest score for each image: an integer array of shape (m,)."""
    logits, _ = model_forward(X, parameters)
    return np.argmax(logits, axis=1)


from autograder.nn import dense_backward, relu_backward


def model_backward(dlogits, caches):
    grads = {}
    # DENSE
    dF, dW3, db3 = dense_backward(dlogits, caches["dense"])
    # UNFLATTEN -> POOL 2 -> RELU 2 -> CONV 2
    dP2 = dF.reshape(caches["P2_shape"])
    dA2 = pool_backward(dP2, caches["pool2"], mode="max")
    dZ2 = relu_backward(dA2, caches["relu2"])
    dP1, dW2, db2 = conv_backward(dZ2, caches["conv2"])
    # POOL 1 -> RELU 1 -> CONV 1
    dA1 = pool_backward(dP1, caches["pool1"], mode="max")
    dZ1 = relu_backward(dA1, caches["relu1"])
    dX, dW1, db1 = conv_backward(dZ1, caches["conv1"])

    grads["W1"], grads["b1"] = dW2, db2
    grads["W2"], grads["b2"] = dW1, db1
    grads["W3"], grads["b3"] = dW3, db3
    return grads


from autograder.nn import softmax_cross_entropy


def model_cost_and_gradients(X, Y, parameters):
    logits, caches = model_forward(X, parameters)
    cost, dlogits = softmax_cross_entropy(logits, Y)
    grads = model_backward(dlogits, caches)
    return cost, grads


from tqdm.auto import tqdm


def initialize_adam(parameters):
    v = {}
    s = {}
    for key in parameters:
        v[key] = np.zeros(parameters[key].shape)
        s[key] = np.zeros(parameters[key].shape)
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
    v_corrected = {}
    s_corrected = {}
    for key in parameters:
        # Moving average of the gradients
        v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
        # Compute bias-corrected first moment estimate
        v_corrected[key] = v[key] / (1 - beta1 ** t)
        # Moving average of the squared gradients
        s[key] = beta2 * s[key] + (1 - beta2) * (grads[key] ** 2)
        # Compute bias-corrected second raw moment estimate
        s_corrected[key] = s[key] / (1 - beta2 ** t)
        # Update parameters
        parameters[key] = parameters[key] - learning_rate * v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)
    return parameters, v, s


def train_model(X_train, Y_train, parameters, num_epochs=20, batch_size=32, learning_rate=0.005,
                beta1=0.9, beta2=0.999, epsilon=1e-8, seed=0, X_test=None, Y_test=None):
    rng = np.random.default_rng(seed)
    parameters = {key: value.copy() for key, value in parameters.items()}
    v, s = initialize_adam(parameters)
    history = {"loss": [], "train_accuracy": [], "test_accuracy": []}
    m = X_train.shape[0]
    num_minibatches = (m + batch_size - 1) // batch_size
    t = 0  # Adam counter

    with tqdm(total=num_epochs * num_minibatches) as bar:
        for epoch in range(num_epochs):
            order = rng.permutation(m)
            shuffled_X = X_train[order]
            shuffled_Y = Y_train[order]
            costs = []
            for k in range(num_minibatches):
                minibatch_X = shuffled_X[k * batch_size:(k + 1) * batch_size]
                minibatch_Y = shuffled_Y[k * batch_size:(k + 1) * batch_size]
                cost, grads = model_cost_and_gradients(minibatch_X, minibatch_Y, parameters)
                t = t + 1
                parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t, learning_rate,
                                                               beta1, beta2, epsilon)
                costs.append(cost)
                bar.update(1)
            history["loss"].append(float(np.mean(costs)))
            history["train_accuracy"].append(float(np.mean(predict(X_train, parameters) == Y_train)))
            if X_test is not None:
                history["test_accuracy"].append(float(np.mean(predict(X_test, parameters) == Y_test)))
            bar.set_postfix(loss=f"{history['loss'][-1]:.4f}", accuracy=f"{history['train_accuracy'][-1]:.1%}")
    return parameters, history
