"""Instructor-only tools: the reference, the mistake catalogue, the build of expected data.

Nothing here is installed with the ``autograder`` package, and nothing here is
copied into ``release/``: it holds (or derives from) the solutions.
"""
