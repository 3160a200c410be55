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
from typing import Callable, Iterable


def differences(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two files or folders (missing on one side included)."""
    if not left.exists() or not right.exists():
        return [f"{left.name} (missing)"]
    if left.is_file() or right.is_file():
        return [] if left.is_file() and right.is_file() and filecmp.cmp(left, right, shallow=False) else [left.name]
    compare = filecmp.dircmp(left, right)
    found = [f"{name} (only in {left})" for name in compare.left_only]
    found += [f"{name} (only in {right})" for name in compare.right_only]
    found += [name for name in compare.common_files if not filecmp.cmp(left / name, right / name, shallow=False)]
    for sub in compare.common_dirs:
        found += [f"{sub}/{name}" for name in differences(left / sub, right / sub)]
    return found


def main(argv: list[str] | None, description: str, remedy: str, names: Iterable[str], root: Path,
         paths_of: Callable[[str], list[str]], write: Callable[[str, Path], None]) -> int:
    """Write (or with ``--check`` verify) what ``write(name, into)`` generates under ``root``.

    ``paths_of(name)`` lists the paths, relative to ``root``, that ``name`` owns.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail if the committed files are out of date")
    options = parser.parse_args(argv)
    stale = []
    for name in names:
        if not options.check:
            write(name, root)
            print(f"wrote {', '.join(str(root / path) for path in paths_of(name))}")
            continue
        with tempfile.TemporaryDirectory() as scratch:
            write(name, Path(scratch))
            for path in paths_of(name):
                stale += [f"{path}: {item}" for item in differences(root / path, Path(scratch) / path)]
    if stale:
        print(f"out of date ({'; '.join(stale)}); run `{remedy}`", file=sys.stderr)
        return 1
    if options.check:
        print(f"{root} is up to date")
    return 0
