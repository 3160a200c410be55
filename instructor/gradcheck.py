"""Central-difference gradients and the relative-error measure: those of :mod:`autograder.gradcheck`.

They live in the installed package, because the notebooks' visible gradient checks use them on a
learner's machine; the build (the expected values of the "gradient check" cases) and tests/ import
them from here or from there alike.
"""
from autograder.gradcheck import numerical_gradient, numerical_gradient_array, relative_error

__all__ = ["numerical_gradient", "numerical_gradient_array", "relative_error"]
