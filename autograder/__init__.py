"""Checks, hints and figures for the convolution course kit.

Learners and test cells use :func:`check`; see :mod:`autograder.check`.
"""
from .check import CheckFailed, check

__all__ = ["CheckFailed", "check"]
