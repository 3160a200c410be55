"""Generated files: write them, or check that the committed ones are what generation makes.

Every generated tree of the kit (the case files, release/, the self-study
notebooks) is made by one command that uses :func:`main`; with ``--check`` it
generates into a scratch folder and fails if anything differs from what is
committed, which the tests run so that nobody edits generated files by hand.
"""
from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


SHOWN = 20  # differences listed when generated files are out of date
Same = Callable[[Path, Path], list[str]]  # how two files differ, in words; empty when they are the same


def _same_bytes(left: Path, right: Path) -> list[str]:
    return [] if filecmp.cmp(left, right, shallow=False) else ["differs"]


def differences(left: Path, right: Path, same: Same = _same_bytes) -> list[str]:
    """Relative paths that differ between two files or folders (missing on one side included), with how.

    Files are compared by ``same`` (byte for byte by default)."""
    if not left.exists() or not right.exists():
        return [f"{left.name} (missing)"]
    if not (left.is_file() and right.is_file()):
        if left.is_file() or right.is_file():
            return [f"{left.name} (a file on one side, a folder on the other)"]
    else:
        return same(left, right)
    compare = filecmp.dircmp(left, right)
    found = [f"{name} (only in {left})" for name in compare.left_only]
    found += [f"{name} (only in {right})" for name in compare.right_only]
    found += [f"{name}: {why}" for name in compare.common_files for why in same(left / name, right / name)]
    for sub in compare.common_dirs:
        found += [f"{sub}/{name}" for name in differences(left / sub, right / sub, same)]
    return found


def main(argv: list[str] | None, description: str, remedy: str, items: Iterable[T], root: Path,
         paths_of: Callable[[T], list[str]], write: Callable[[T, Path], None], same: Same = _same_bytes) -> int:
    """Write (or with ``--check`` verify) what ``write(item, into)`` generates under ``root``.

    ``paths_of(item)`` lists the paths, relative to ``root``, that ``item`` (e.g. an assignment) owns.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail if the committed files are out of date")
    options = parser.parse_args(argv)
    stale = []
    for item in items:
        if not options.check:
            write(item, root)
            print(f"wrote {', '.join(str(root / path) for path in paths_of(item))}")
            continue
        with tempfile.TemporaryDirectory() as scratch:
            write(item, Path(scratch))
            for path in paths_of(item):
                stale += [f"{path}: {found}" for found in differences(root / path, Path(scratch) / path, same)]
    if stale:
        shown = stale[:SHOWN] + ([f"and {len(stale) - SHOWN} more"] if len(stale) > SHOWN else [])
        print("out of date:\n  " + "\n  ".join(shown) + f"\nrun `{remedy}`", file=sys.stderr)
        return 1
    if options.check:
        print(f"{root} is up to date")
    return 0
