"""Checks, hints and figures for the convolution course kit.

A notebook names its assignment once::

    import autograder
    check = autograder.checks("conv_step_by_step")
    figures = check.figures

See :mod:`autograder.checks`. What a check finds is a typed verdict
(:mod:`autograder.verdict`), put into words in the learner's language by
:mod:`autograder.render` from the catalogues of :mod:`autograder.messages`.
"""
from .checks import CheckFailed, Checks, checks

__all__ = ["CheckFailed", "Checks", "checks"]
