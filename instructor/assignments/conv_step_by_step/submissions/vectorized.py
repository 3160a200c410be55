"""The example "correct, vectorized" submission, used by the demo and by the tests.

A second correct implementation of the eight graded functions, written in a
different style from the reference: sliding-window views and tensor
contractions instead of loops over output positions. The backward passes loop
only over the f x f offsets inside a window. Names, signatures, caches and
return values are those of the assignment (NHWC arrays, filters of shape
(f, f, n_C_prev, n_C)).

Each function is self-contained apart from calls among the eight and needs
only numpy as ``np``: its source is pasted, one function per cell, into a
learner's notebook."""
import numpy as np


def zero_pad(X: np.ndarray, pad: int) -> np.ndarray:
    """Surround the height and width of every image with ``pad`` zeros.

    Parameters
    ----------
    X : ndarray, shape (m, n_H, n_W, n_C)
        A batch of images.
    pad : int
        Number of zero rows (and columns) added before and after.

    Returns
    -------
    X_pad : ndarray, shape (m, n_H + 2 * pad, n_W + 2 * pad, n_C)
        The padded batch, of the dtype of ``X``."""
    batch, height, width, channels = X.shape
    padded = np.zeros((batch, height + 2 * pad, width + 2 * pad, channels), dtype=X.dtype)
    padded[:, pad : pad + height, pad : pad + width, :] = X
    return padded


def conv_single_step(a_slice_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> float:
    """One filter applied at one position.

    Parameters
    ----------
    a_slice_prev : ndarray, shape (f, f, n_C_prev)
        The input under the filter.
    W : ndarray, shape (f, f, n_C_prev)
        The filter's weights.
    b : ndarray, shape (1, 1, 1)
        The filter's bias.

    Returns
    -------
    Z : float
        sum(a_slice_prev * W) + b, the bias counted once."""
    return np.einsum("ijk,ijk->", a_slice_prev, W) + float(np.squeeze(b))


def conv_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, hparameters: dict) -> tuple:
    """Forward pass of a convolution layer, as one tensor contraction.

    Parameters
    ----------
    A_prev : ndarray, shape (m, n_H_prev, n_W_prev, n_C_prev)
        Activations of the previous layer.
    W : ndarray, shape (f, f, n_C_prev, n_C)
        The n_C filters.
    b : ndarray, shape (1, 1, 1, n_C)
        One bias per filter.
    hparameters : dict
        ``{"stride": int, "pad": int}``.

    Returns
    -------
    Z : ndarray, shape (m, n_H, n_W, n_C)
        n_H = (n_H_prev + 2 * pad - f) // stride + 1, and n_W likewise.
    cache : tuple
        (A_prev, W, b, hparameters), for conv_backward."""
    step, border = hparameters["stride"], hparameters["pad"]
    size = W.shape[0]
    # windows[i, y, x, k, p, q] == padded input of image i at (y*step + p, x*step + q), channel k
    windows = np.lib.stride_tricks.sliding_window_view(zero_pad(A_prev, border), (size, size), axis=(1, 2))
    windows = windows[:, ::step, ::step]
    Z = np.tensordot(windows, W, axes=([4, 5, 3], [0, 1, 2])) + b
    return Z, (A_prev, W, b, hparameters)


def pool_forward(A_prev: np.ndarray, hparameters: dict, mode: str = "max") -> tuple:
    """Forward pass of a pooling layer, reducing sliding windows at once.

    Parameters
    ----------
    A_prev : ndarray, shape (m, n_H_prev, n_W_prev, n_C_prev)
        The input.
    hparameters : dict
        ``{"f": int, "stride": int}``: window size and step.
    mode : {"max", "average"}
        The reduction over each window.

    Returns
    -------
    A : ndarray, shape (m, n_H, n_W, n_C_prev)
        n_H = (n_H_prev - f) // stride + 1, and n_W likewise.
    cache : tuple
        (A_prev, hparameters), for pool_backward."""
    reducers = {"max": np.max, "average": np.mean}
    if mode not in reducers:
        raise ValueError(f"unknown pooling mode {mode!r}: use 'max' or 'average'")
    size, step = hparameters["f"], hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (size, size), axis=(1, 2))[:, ::step, ::step]
    pooled = reducers[mode](windows, axis=(4, 5))
    return pooled, (A_prev, hparameters)


def conv_backward(dZ: np.ndarray, cache: tuple) -> tuple:
    """Backward pass of a convolution layer, looping over the f x f filter offsets only.

    Parameters
    ----------
    dZ : ndarray, shape (m, n_H, n_W, n_C)
        Gradient of the cost with respect to the output Z.
    cache : tuple
        (A_prev, W, b, hparameters), as returned by conv_forward.

    Returns
    -------
    dA_prev : ndarray, shape (m, n_H_prev, n_W_prev, n_C_prev)
        Gradient with respect to A_prev.
    dW : ndarray, shape (f, f, n_C_prev, n_C)
        Gradient with respect to W.
    db : ndarray, shape (1, 1, 1, n_C)
        Gradient with respect to b."""
    inputs, weights, bias, settings = cache
    step, border = settings["stride"], settings["pad"]
    size = weights.shape[0]
    rows_out, cols_out = dZ.shape[1], dZ.shape[2]
    inputs_padded = zero_pad(inputs, border)
    grad_padded = np.zeros(inputs_padded.shape)
    grad_weights = np.zeros(weights.shape)
    for p in range(size):
        for q in range(size):
            # The input entries that filter offset (p, q) touches, one per output position.
            rows = slice(p, p + step * (rows_out - 1) + 1, step)
            cols = slice(q, q + step * (cols_out - 1) + 1, step)
            grad_weights[p, q] = np.tensordot(inputs_padded[:, rows, cols, :], dZ, axes=([0, 1, 2], [0, 1, 2]))
            grad_padded[:, rows, cols, :] += np.tensordot(dZ, weights[p, q], axes=([3], [1]))
    height, width = inputs.shape[1], inputs.shape[2]
    grad_inputs = grad_padded[:, border : border + height, border : border + width, :].copy()
    grad_bias = dZ.sum(axis=(0, 1, 2)).reshape(bias.shape)
    return grad_inputs, grad_weights, grad_bias


def create_mask_from_window(x: np.ndarray) -> np.ndarray:
    """Where a pooling window holds its maximum.

    Parameters
    ----------
    x : ndarray, shape (f, f)
        One window.

    Returns
    -------
    mask : ndarray of bool, shape (f, f)
        True at every entry equal to the window's maximum."""
    return np.equal(x, np.amax(x))


def distribute_value(dz: float, shape: tuple) -> np.ndarray:
    """Share a gradient equally among the entries of an averaging window.

    Parameters
    ----------
    dz : float
        Gradient reaching one output of average pooling.
    shape : tuple of int
        (n_H, n_W), the window's shape.

    Returns
    -------
    a : ndarray, shape (n_H, n_W)
        Every entry dz / (n_H * n_W)."""
    rows, cols = shape
    return np.ones((rows, cols)) * (dz / (rows * cols))


def pool_backward(dA: np.ndarray, cache: tuple, mode: str = "max") -> np.ndarray:
    """Backward pass of a pooling layer, looping over the f x f window offsets only.

    Parameters
    ----------
    dA : ndarray, shape (m, n_H, n_W, n_C)
        Gradient of the cost with respect to the pooled output.
    cache : tuple
        (A_prev, hparameters), as returned by pool_forward.
    mode : {"max", "average"}
        The pooling that produced the output.

    Returns
    -------
    dA_prev : ndarray, shape of A_prev
        Gradient with respect to A_prev. In max mode every entry equal to its
        window's maximum receives that window's gradient."""
    if mode not in ("max", "average"):
        raise ValueError(f"unknown pooling mode {mode!r}: use 'max' or 'average'")
    inputs, settings = cache
    size, step = settings["f"], settings["stride"]
    rows_out, cols_out = dA.shape[1], dA.shape[2]
    windows = np.lib.stride_tricks.sliding_window_view(inputs, (size, size), axis=(1, 2))
    peaks = windows[:, ::step, ::step].max(axis=(4, 5))
    grad_inputs = np.zeros(inputs.shape)
    for p in range(size):
        for q in range(size):
            # The input entries at offset (p, q) of each window, one per output position.
            rows = slice(p, p + step * (rows_out - 1) + 1, step)
            cols = slice(q, q + step * (cols_out - 1) + 1, step)
            at_offset = inputs[:, rows, cols, :]
            routed = np.where(at_offset == peaks, dA, 0.0) if mode == "max" else dA / size**2
            grad_inputs[:, rows, cols, :] += routed
    return grad_inputs
