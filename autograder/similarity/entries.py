"""Files -> :class:`~.compare.Entry`: read and fingerprinted in worker processes, never run.

A file that cannot be read, or whose functions cannot be taken, becomes a
:class:`Skipped` with its reason; a function that cannot be fingerprinted is a
note on its entry. A worker that dies (a file that crashes the reader) costs
the files it held a second try each, alone in a fresh process, and then only
that file.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..course import Course
from .compare import KNOWN, STUDENT, Entry
from .extract import FUNCTION_TOO_LONG, MISSING, Unreadable, read_functions
from .fingerprint import FunctionTooLong, base_hashes, fingerprints

READER_FAILED, FUNCTION_NOT_COMPARED = "reader_failed", "function_not_compared"
CHUNK = 25  # files per task sent to a worker
PARALLEL_FROM = 60  # fewer files are read in this process
_IGNORED_FOLDERS = {".git", ".ipynb_checkpoints", "__pycache__", ".venv", "node_modules"}


@dataclass
class Skipped:
    """A file left out of the comparison: ``reason`` (a constant of extract.py or this module) and ``detail``."""

    id: str
    kind: str
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True)
class Source:
    """A file to compare: its id in the report, STUDENT or KNOWN, and where it is."""

    id: str
    kind: str
    path: Path


def student_sources(course: Path, assignment: str) -> list[Source]:
    """``submitted/<student>/<assignment>/<assignment>.ipynb`` of every student folder, by student id."""
    return [Source(student, STUDENT, path) for student, path in Course(course).submissions(assignment).items()]


def known_sources(folder: Path) -> list[Source]:
    """Every ``.ipynb`` and ``.py`` under ``folder`` (recursively, version-control folders left out)."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (path.suffix in (".ipynb", ".py") and path.is_file()
                and not any(part in _IGNORED_FOLDERS for part in relative.parts)):
            found.append(Source(relative.as_posix(), KNOWN, path))
    return found


def release_bases(release_functions: dict[str, str]) -> dict[str, frozenset[int]]:
    """{function: every k-gram hash of the release's version}: the base code each learner's is stripped of."""
    bases = {}
    for name, source in release_functions.items():
        try:
            bases[name] = base_hashes(source)
        except Exception:  # a release we cannot parse subtracts nothing, rather than stop the run
            bases[name] = frozenset()
    return bases


def read_entry(source: Source, names: list[str], bases: dict[str, frozenset[int]]) -> Entry | Skipped:
    """One file's entry, or why it is skipped. Never raises for a bad file."""
    if not source.path.exists():
        return Skipped(source.id, source.kind, MISSING, {}, str(source.path))
    try:
        extracted = read_functions(source.path, names)
    except Unreadable as problem:
        return Skipped(source.id, source.kind, problem.reason, problem.detail, str(source.path))
    except Exception as error:
        return Skipped(source.id, source.kind, READER_FAILED, {"error": f"{type(error).__name__}: {error}"[:160]},
                       str(source.path))
    hashes, notes = {}, list(extracted.notes)
    for name, code in extracted.functions.items():
        try:
            hashes[name] = fingerprints(code, bases.get(name, frozenset())).hashes
        except FunctionTooLong as error:
            notes.append((FUNCTION_TOO_LONG, {"function": name, "tokens": error.args[0]}))
        except Exception as error:
            notes.append((FUNCTION_NOT_COMPARED, {"function": name, "error": f"{type(error).__name__}"}))
    sources = {name: code for name, code in extracted.functions.items() if name in hashes}
    return Entry(source.id, source.kind, hashes, sources, notes, str(source.path))


def _read_chunk(chunk: list[Source], names: list[str], bases: dict[str, frozenset[int]]) -> list[Entry | Skipped]:
    return [read_entry(source, names, bases) for source in chunk]


def _alone(source: Source, names: list[str], bases: dict[str, frozenset[int]]) -> Entry | Skipped:
    """Second try of a file whose worker died: alone in a fresh process, so that only it is lost."""
    context = multiprocessing.get_context("fork")
    try:
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
            return pool.submit(_read_chunk, [source], names, bases).result()[0]
    except Exception as error:
        return Skipped(source.id, source.kind, READER_FAILED, {"error": type(error).__name__}, str(source.path))


def read_entries(sources: list[Source], names: list[str], bases: dict[str, frozenset[int]],
                 workers: int | None = None, progress: bool = False) -> list[Entry | Skipped]:
    """Every source's entry, in the order of ``sources``, with a progress bar on stderr if ``progress``.

    Workers are forked before the bar starts its monitor thread (a fork copies no running thread).
    """
    from tqdm import tqdm

    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(sources) < PARALLEL_FROM:
        with tqdm(total=len(sources), unit="file", disable=not progress, file=sys.stderr) as bar:
            out = []
            for source in sources:
                out.append(read_entry(source, names, bases))
                bar.update()
        return out
    chunks = [sources[start:start + CHUNK] for start in range(0, len(sources), CHUNK)]
    results: dict[Source, Entry | Skipped] = {}
    retry: list[Source] = []
    context = multiprocessing.get_context("fork")  # workers start with the bases, numpy and this module loaded
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {pool.submit(_read_chunk, chunk, names, bases): chunk for chunk in chunks}
        with tqdm(total=len(sources), unit="file", disable=not progress, file=sys.stderr) as bar:
            for future in concurrent.futures.as_completed(futures):
                chunk = futures[future]
                try:
                    results.update(zip(chunk, future.result()))
                except Exception:  # the worker died: its files are tried again one by one below
                    retry += chunk
                bar.update(len(chunk))
    for source in retry:
        results[source] = _alone(source, names, bases)
    return [results[source] for source in sources]


def split(results: Iterable[Entry | Skipped]) -> tuple[list[Entry], list[Skipped]]:
    entries = [result for result in results if isinstance(result, Entry)]
    return entries, [result for result in results if isinstance(result, Skipped)]
