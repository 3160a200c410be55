"""``python -m autograder grade ASSIGNMENT``: see :mod:`autograder.grading.cli`."""
import sys

from .grading.cli import main

sys.exit(main())
