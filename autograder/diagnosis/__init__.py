"""Why a function went wrong, as :class:`~autograder.verdict.Diagnosis` data.

Tried in this order by the judge and the grader:

1. a catalogued mistake whose fingerprint (output, or error) matches (:mod:`autograder.judge`);
2. an exception read for its cause (:mod:`.exceptions`): its type, its message and the learner's line;
3. the wrong output read for a pattern (:mod:`.patterns`): None, a constant factor or offset, values
   at the wrong places, the right values in the wrong shape, only some examples or channels right;
4. probes (:mod:`.probes`): the function run again on inputs that change one factor at a time
   (stride, pad, batch, channels, height vs width, overlap, mode, filter size), naming the factor
   that breaks it;
5. a helper that fails (:mod:`.helpers`): the function judged again with the reference's helpers.
"""
from .exceptions import explain_raised
from .patterns import explain_output

__all__ = ["explain_output", "explain_raised"]
