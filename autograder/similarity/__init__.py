"""Similar submissions: which learners' functions are copies of each other, or of a known public solution.

``autograder similarity ASSIGNMENT [--against DIR]`` (:mod:`.cli`) compares
every pair of submissions function by function, on the learners' own code
(the release's code subtracted, as MOSS's base file), and writes
``reports/<ASSIGNMENT>/similarity.json`` and ``similarity.html``. Similarity is
a reason to look, not proof of copying: the report says so first.

Pipeline, one module each: :mod:`.extract` (files -> the code each graded
name reaches, never run), :mod:`.reach` (that code: aliases, wrappers and
helpers, class members, ``exec`` strings), :mod:`.normalize` (source ->
normalized tokens, with :mod:`.liveness`, statements whose results are never
used left out, and :mod:`.loops`, comprehensions read as loops),
:mod:`.fingerprint` (winnowing, base code), :mod:`.entries` (reading a class
in worker processes), :mod:`.compare` (scores, ranked pairs, clusters),
:mod:`.report` (JSON, HTML), :mod:`.words` (every sentence, English and
Chinese).
"""
from .compare import DEFAULT_THRESHOLD
from .report import summary_line_data

__all__ = ["add_arguments", "run", "find_similar", "DEFAULT_THRESHOLD", "summary_line_data"]


def __getattr__(name: str):
    """The command's functions, imported on first use (so ``python -m ...similarity.cli`` runs it once)."""
    if name in ("add_arguments", "run", "find_similar"):
        from . import cli

        return getattr(cli, name)
    raise AttributeError(name)
