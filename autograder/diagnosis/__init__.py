"""Why a function went wrong, as :class:`~autograder.verdict.Diagnosis` data, each cause proven on every run.

One case is read by the judge (:mod:`autograder.judge`): a catalogued mistake whose fingerprint matches,
an exception read for its cause (:mod:`.exceptions`), a pattern of the wrong output (:mod:`.patterns`).
After a failure, the function's causes are proven on all its cases and probes (:mod:`.evidence`,
:mod:`.proof`): the helpers it really calls (traced, and replaced by stand-ins that answer from stored
tables, :mod:`.oracle`), its exceptions in its own terms, a catalogued mistake consistent with every
case, a constant factor or the bias (:mod:`.ratios`), an output size or padded axis read with each case's
numbers (:mod:`.sizes`), the factors that break it (:mod:`.separation`), a mechanical fix tried on the
learner's code (:mod:`.edits`: an exception's line; a fancy-indexed += as np.add.at; a mode's word). The
learner's kernel runs the evidence in :mod:`.local`, the class grader in :mod:`autograder.grading.diagnose`;
:mod:`.kinds` sorts causes for the class summary.
"""
from .exceptions import explain_raised
from .patterns import explain_output

__all__ = ["explain_output", "explain_raised"]
