"""Shift-and-add layers; the forward pass max-pools but model_backward calls pool_backward with
mode="average" for both poolings."""
import numpy as np


# ---- layers (pasted from assignment 2) ----

def conv_forward(A_prev, W, b, hparameters):
    # Retrieve dimensions from A_prev's shape
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    n_H = (n_H_prev - f + 2 * pad) // stride + 1
    n_W = (n_W_prev - f + 2 * pad) // stride + 1

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)
    Z = np.zeros((m, n_H, n_W, n_C)) + b
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            Z += A_prev_pad[:, vert, horiz, :] @ W[di, dj]
    cache = (A_prev, W, b, hparameters)
    return Z, cache


def pool_forward(A_prev, hparameters, mode="max"):
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    f = hparameters["f"]
    stride = hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    if mode not in ("max", "average"):
        raise ValueError("mode must be 'max' or 'average'")

    A = None
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            part = A_prev[:, vert, horiz, :]
            if A is None:
                A = part.copy()
            elif mode == "max":
                A = np.maximum(A, part)
            else:
                A = A + part
    if mode == "average":
        A = A / (f * f)
    cache = (A_prev, hparameters)
    return A, cache


def conv_backward(dZ, cache):
    (A_prev, W, b, hparameters) = cache
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    (m, n_H, n_W, n_C) = dZ.shape

    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    dZ_2d = dZ.reshape(-1, n_C)
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            dA_prev_pad[:, vert, horiz, :] += (dZ_2d @ W[di, dj].T).reshape(m, n_H, n_W, n_C_prev)
            dW[di, dj] += A_prev_pad[:, vert, horiz, :].reshape(-1, n_C_prev).T @ dZ_2d
    db = np.sum(dZ_2d, axis=0).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_backward(dA, cache, mode="max"):
    (A_prev, hparameters) = cache
    f = hparameters["f"]
    stride = hparameters["stride"]
    (m, n_H, n_W, n_C) = dA.shape
    if mode == "max":
        A, _ = pool_forward(A_prev, hparameters, "max")
    dA_prev = np.zeros(A_prev.shape)
    for di in range(f):
        vert = slice(di, di + stride * (n_H - 1) + 1, stride)
        for dj in range(f):
            horiz = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, vert, horiz, :] += (A_prev[:, vert, horiz, :] == A) * dA
            elif mode == "average":
                dA_prev[:, vert, horiz, :] += dA / (f * f)
    return dA_prev


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
    dA2 = pool_backward(dP2, caches["pool2"], mode="average")
    dZ2 = relu_backward(dA2, caches["relu2"])
    dP1, dW2, db2 = conv_backward(dZ2, caches["conv2"])
    # POOL 1 -> RELU 1 -> CONV 1
    dA1 = pool_backward(dP1, caches["pool1"], mode="average")
    dZ1 = relu_backward(dA1, caches["relu1"])
    dX, dW1, db1 = conv_backward(dZ1, caches["conv1"])

    grads["W1"], grads["b1"] = dW1, db1
    grads["W2"], grads["b2"] = dW2, db2
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
