"""Layers that try to pass assignment 2's timing check without being vectorized; shared by the timing tests.

- :func:`fast_path_for_1x1`: assignment 1's loops, plus one vectorized line for
  1 x 1 windows (the shape of the old, single timing case);
- :data:`GATHER_INDICES_CACHED`: a loop over the output positions that builds
  the gather indices of every window, once per shape, and reuses them for every
  later call of that shape (then one fancy-indexing step does the work).
"""
from __future__ import annotations

from instructor.assignments.conv_vectorized.examples import loops_from_assignment_1

_FAST_LINES = {
    "conv_forward": "    if W.shape[0] == 1 and hparameters['pad'] == 0 and hparameters['stride'] == 1:\n"
                    "        return A_prev @ W[0, 0] + b[0, 0, 0], (A_prev, W, b, hparameters)\n",
    "pool_forward": "    if hparameters['f'] == 1 and hparameters['stride'] == 1:\n"
                    "        return A_prev.copy(), (A_prev, hparameters)\n",
    "conv_backward": "    if cache[1].shape[0] == 1 and cache[3]['pad'] == 0 and cache[3]['stride'] == 1:\n"
                     "        return (dZ @ cache[1][0, 0].T, np.einsum('mhwi,mhwo->io', cache[0], dZ)[None, None],\n"
                     "                dZ.sum(axis=(0, 1, 2), keepdims=True))\n",
    "pool_backward": "    if cache[1]['f'] == 1 and cache[1]['stride'] == 1:\n"
                     "        return dA.copy()\n",
}


def fast_path_for_1x1(function: str) -> str:
    """Assignment 1's loops for ``function``, with one vectorized line for 1 x 1 windows first (a cell's code)."""
    loops = loops_from_assignment_1()[function]
    head = loops.index(f"def {function}(")
    body = loops.index("\n", loops.index("):", head)) + 1
    return "import numpy as np\n" + loops[:body] + _FAST_LINES[function] + loops[body:]


GATHER_INDICES_CACHED = '''
import numpy as np

_indices = {}


def _windows(n_H, n_W, f, stride):
    """Row and column indices of every window: a loop over the output positions, once per shape."""
    key = (n_H, n_W, f, stride)
    if key not in _indices:
        rows = np.empty((n_H, n_W, f, f), dtype=np.intp)
        cols = np.empty((n_H, n_W, f, f), dtype=np.intp)
        for h in range(n_H):
            for w in range(n_W):
                rows[h, w] = (h * stride + np.arange(f))[:, None]
                cols[h, w] = (w * stride + np.arange(f))[None, :]
        _indices[key] = rows, cols
    return _indices[key]
'''

GATHER_LAYERS = {
    "conv_forward": '''
def conv_forward(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    rows, cols = _windows((A.shape[1] - f) // stride + 1, (A.shape[2] - f) // stride + 1, f, stride)
    Z = np.tensordot(A[:, rows, cols, :], W, axes=([3, 4, 5], [0, 1, 2])) + b[0, 0, 0]
    return Z, (A_prev, W, b, hparameters)
''',
    "pool_forward": '''
def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    rows, cols = _windows((A_prev.shape[1] - f) // stride + 1, (A_prev.shape[2] - f) // stride + 1, f, stride)
    windows = A_prev[:, rows, cols, :]
    A = windows.max(axis=(3, 4)) if mode == "max" else windows.mean(axis=(3, 4))
    return A, (A_prev, hparameters)
''',
    "conv_backward": '''
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    rows, cols = _windows(dZ.shape[1], dZ.shape[2], f, stride)
    dW = np.tensordot(A[:, rows, cols, :], dZ, axes=([0, 1, 2], [0, 1, 2]))
    dA = np.zeros(A.shape)
    np.add.at(dA, (slice(None), rows, cols), np.tensordot(dZ, W, axes=([3], [3])))
    n_H_prev, n_W_prev = A_prev.shape[1], A_prev.shape[2]
    return dA[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, dZ.sum(axis=(0, 1, 2), keepdims=True)
''',
    "pool_backward": '''
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    rows, cols = _windows(dA.shape[1], dA.shape[2], f, stride)
    windows = A_prev[:, rows, cols, :]
    if mode == "max":
        share = windows == windows.max(axis=(3, 4), keepdims=True)
    else:
        share = np.full(windows.shape, 1 / (f * f))
    dA_prev = np.zeros(A_prev.shape)
    np.add.at(dA_prev, (slice(None), rows, cols), share * dA[:, :, :, None, None, :])
    return dA_prev
''',
}


def gather_indices_cached() -> dict[str, str]:
    """A notebook's four layer cells (grade id: code), each with the cached index builder before it."""
    return {name: GATHER_INDICES_CACHED + code for name, code in GATHER_LAYERS.items()}
