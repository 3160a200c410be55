"""The sandbox's default limits are the ones the README promises instructors (autograder.grading.sandbox.Limits)."""
from __future__ import annotations

import re

from autograder.grading.sandbox import Limits
from instructor.reference import REPO

OPTIONS = {"--call-timeout": "call_seconds", "--submission-timeout": "submission_seconds", "--memory": "memory_bytes"}


def documented() -> dict[str, float]:
    """{Limits field: the default the README's table of options gives (memory in bytes)}."""
    found = {}
    for line in (REPO / "README.md").read_text().splitlines():
        match = re.match(r"\| `(--[a-z-]+) [A-Z]+` \| .*\(default (\d+(?:\.\d+)?)\) \|$", line)
        if match and match.group(1) in OPTIONS:
            value = float(match.group(2))
            found[OPTIONS[match.group(1)]] = value * 2**20 if match.group(1) == "--memory" else value
    return found


def test_the_default_limits_are_the_readmes():
    promised = documented()
    assert set(promised) == set(OPTIONS.values())
    assert {name: getattr(Limits(), name) for name in promised} == promised
