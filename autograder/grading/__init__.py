"""Grading a whole class: sandboxed, tamper-proof, parallel and resumable.

``python -m autograder grade ASSIGNMENT`` in an nbgrader course directory; see
:mod:`autograder.grading.cli`. The parts:

- :mod:`.notebook` reads a submission without trusting it;
- :mod:`.sandbox` runs its code apart (bubblewrap where available), through
  :mod:`.zygote`, which lives inside the sandbox;
- :mod:`.wire` is the only format in which values cross the sandbox wall;
- :mod:`.plan` draws the secret hidden inputs and expected outputs (trusted side);
- :mod:`.judge` scores what came back and names known mistakes;
- :mod:`.store` keeps results resumable and writes nbgrader's gradebook;
- :mod:`.reports` writes feedback and the class summary.
"""
