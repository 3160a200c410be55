"""Grading a whole class: sandboxed, tamper-proof, parallel and resumable.

``python -m autograder grade ASSIGNMENT`` in an nbgrader course directory; see
:mod:`autograder.grading.cli`. The parts:

- :mod:`.notebook` reads a submission without trusting it;
- :mod:`.sandbox` runs its code apart (bubblewrap where available), through
  :mod:`.zygote`, which lives inside the sandbox and starts every job from a
  copy that never saw one: its :mod:`.jail` (user, limits, IPC, clean-up), its
  :mod:`.cells` runner, and the clock of :mod:`.timing`;
- :mod:`.wire` is the only format in which values cross the sandbox wall, and
  :mod:`.answers` the one reader of what comes back;
- :mod:`.timing` and :mod:`.training` are the timing check and the trained-model
  check: the call each makes, and its verdict;
- :mod:`.plan` draws the secret hidden inputs and expected outputs (trusted side);
- :mod:`.judge` scores what came back and names known mistakes;
- :mod:`.store` keeps results resumable and writes nbgrader's gradebook;
- :mod:`.reports` writes feedback and the class summary.

When the grader will not grade at all (no gradebook, no kit, a test cell it has
no check for), it raises :class:`Refused`, whose reason is a key of the message
catalogue: the command says it in the run's language and exits 2.
"""


class Refused(SystemExit):
    """The grader refuses the whole run: ``key`` names the reason in the catalogue (``refused.*``), ``values``
    fill it in. ``str()`` of it is the English sentence, for callers that only let it end the process."""

    def __init__(self, key: str, **values: object) -> None:
        from ..messages import Words

        super().__init__(Words("en")(key, **values))
        self.key, self.values = key, values
