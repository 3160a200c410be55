"""Numerical gradients and the relative-error measure: the one gradient check of the kit.

Central differences give the gradient of any function of an array, one entry at a
time, without knowing how the function is computed. The kit uses them everywhere a
gradient is checked: the build stores them as the expected values of the hidden
"gradient check" cases (instructor/assignments/), tests/ checks the reference's
backward functions against them, and the notebooks' visible gradient checks call
them on the learner's own layers, as CS231n's ``eval_numerical_gradient_array``::

    dA_prev_num = gradcheck.numerical_gradient_array(lambda x: conv_forward(x, W, b, hparameters)[0], A_prev, dZ)
    check.gradients("conv_backward", dA_prev=(dA_prev, dA_prev_num), ...)

:func:`compare` turns such pairs into :class:`Comparison` data; ``check.gradients``
(:meth:`autograder.checks.Checks.gradients`) puts them into words in the learner's language.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

EPSILON = 1e-6  # the step of the central differences
# A layer's visible check passes at a relative error of at most this. Convolution and pooling are linear in each
# input between kinks, so central differences are exact up to rounding there: the reference gets 1e-10 or less,
# and every catalogued mistake that the gradient can show gets 1e-2 or more (tests/test_gradcheck.py).
LAYER_THRESHOLD = 1e-7


def numerical_gradient(loss: Callable[[], float], x: np.ndarray, eps: float = EPSILON,
                       entries: Iterable[tuple[int, ...]] | None = None) -> np.ndarray:
    """Gradient of ``loss()`` with respect to ``x`` by central differences.

    ``x`` is changed in place, one entry at a time, and restored after each step;
    ``loss`` must read ``x`` each time it is called.

    Returns an array of the shape of ``x``; with ``entries`` (indices into ``x``), only those
    entries are moved, and the result is a 1-D array of their derivatives, in that order.
    """
    chosen = list(np.ndindex(x.shape)) if entries is None else [tuple(index) for index in entries]
    found = np.zeros(len(chosen))
    for k, index in enumerate(chosen):
        original = x[index]
        x[index] = original + eps
        plus = loss()
        x[index] = original - eps
        minus = loss()
        x[index] = original
        found[k] = (plus - minus) / (2 * eps)
    return found.reshape(x.shape) if entries is None else found


def numerical_gradient_array(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, df: np.ndarray,
                             eps: float = EPSILON) -> np.ndarray:
    """The gradient with respect to ``x`` of ``sum(f(x) * df)``, by central differences.

    That is what a backward function returns for the output gradient ``df``: for a layer
    ``out = f(x)``, the gradient of a cost J with respect to ``x`` when ``dJ/dout = df``.

    Arguments:
    f -- a function of one array, called on ``x`` (changed in place and restored)
    x -- numpy array: the input to move
    df -- numpy array of the shape of ``f(x)``: the output gradient

    Returns:
    numpy array of the shape of ``x``
    """
    return numerical_gradient(lambda: float(np.sum(f(x) * df)), x, eps)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|a|, |b|, tiny): 0 for equal arrays, about 1 for unrelated ones."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), 1e-300)
    return float(np.max(np.abs(a - b), initial=0.0) / scale)


@dataclass(frozen=True)
class Comparison:
    """One gradient compared with its numerical estimate."""

    name: str  # how the learner knows it, e.g. "dA_prev" or "W1"
    error: float  # relative_error of the two; inf when they cannot be compared (shapes differ)
    threshold: float
    shapes: tuple[tuple[int, ...], tuple[int, ...]]  # (the gradient's, the numerical one's)

    @property
    def passed(self) -> bool:
        return self.error <= self.threshold


def compare(pairs: Mapping[str, Sequence], threshold: float = LAYER_THRESHOLD) -> tuple[Comparison, ...]:
    """``{name: (gradient, numerical gradient)}`` as :class:`Comparison` data, in the order given."""
    found = []
    for name, (gradient, numerical) in pairs.items():
        gradient, numerical = np.asarray(gradient), np.asarray(numerical)
        shapes = (tuple(gradient.shape), tuple(numerical.shape))
        comparable = shapes[0] == shapes[1] and np.issubdtype(gradient.dtype, np.number)
        error = relative_error(gradient, numerical) if comparable else float("inf")
        found.append(Comparison(name, error if np.isfinite(error) else float("inf"), threshold, shapes))
    return tuple(found)
