"""The grader's link to the instructor side of the kit, which learners never get.

The class grader needs the kit's ``instructor`` package: its registry of
assignments (cases, input builders, the mistake catalogue), the build that
turns them into a grading plan, and the one reference loader. It is not
installed with the ``autograder`` package; :func:`load_kit` finds it in the
folder given (``autograder grade --kit DIR``), else in the course directory,
else in the checkout the ``autograder`` package was installed from (a
development install), and loads it by its path, without touching ``sys.path``.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Collection, Iterator, Mapping, Protocol, Sequence

from ..accuracy import TrainedModel
from ..casefile import ArrayStore
from . import Refused

PACKAGE = "instructor"
INSTALLED_FROM = Path(__file__).resolve().parent.parent.parent  # the checkout of a development install


class KitNotFound(Refused):
    """No instructor side where it was looked for."""


# -- the seam: what the grader reads of the instructor side (which it loads by path, never imports) ----------
class CaseSpec(Protocol):
    """One case of an assignment, as the grader reads it (``instructor.case.Case``)."""

    @property
    def function(self) -> str: ...

    @property
    def id(self) -> str: ...

    @property
    def hidden(self) -> bool: ...

    @property
    def kind(self) -> str: ...

    @property
    def families(self) -> Collection[str]: ...


class MistakeSpec(Protocol):
    """One catalogued mistake, as the grader reads it (``instructor.mistake.Mistake``)."""

    @property
    def id(self) -> str: ...

    @property
    def function(self) -> str: ...

    @property
    def edits(self) -> Sequence[Any]: ...

    @property
    def breaks(self) -> Collection[str]: ...

    @property
    def hints(self) -> Mapping[str, str]: ...  # language -> the hint


class AssignmentSpec(Protocol):
    """An assignment, as the grader reads it (``instructor.assignment.Assignment``): what its plan, its
    fingerprint and its item analysis are made of (read-only). The grader hands it back to :class:`Build`."""

    @property
    def name(self) -> str: ...

    @property
    def outputs(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def cases(self) -> Sequence[CaseSpec]: ...

    @property
    def inputs(self) -> Mapping[str, Callable[..., Any]]: ...

    @property
    def catalogue(self) -> Sequence[MistakeSpec]: ...

    @property
    def gradient_oracles(self) -> Mapping[str, Callable[..., Any]]: ...

    @property
    def trained_models(self) -> Mapping[str, TrainedModel]: ...

    @property
    def setup_cells(self) -> Sequence[str]: ...

    @property
    def calls(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def probes(self) -> Mapping[str, Sequence[Any]]: ...


class Registry(Protocol):
    """The kit's assignments by name (``instructor.assignments.REGISTRY``)."""

    def __getitem__(self, name: str) -> AssignmentSpec: ...

    def __iter__(self) -> Iterator[str]: ...


class Build(Protocol):
    """The kit's build (the module ``instructor.build``): an assignment's case file, from the reference."""

    def build(self, assignment: AssignmentSpec, sources: Mapping[str, str] | None = None,
              hidden_seed: Callable[[Any], int] | None = None) -> tuple[dict, ArrayStore]: ...


@dataclass(frozen=True)
class Kit:
    root: Path  # the folder holding instructor/ (and the kit's source/)
    registry: Registry
    build: Build

    def assignment(self, name: str) -> AssignmentSpec:
        try:
            return self.registry[name]
        except KeyError:
            raise Refused("refused.no_such_assignment", kit=self.root, assignment=name,
                          known=", ".join(self.registry)) from None


def _has_kit(folder: Path) -> bool:
    return (folder / PACKAGE / "__init__.py").is_file()


def _import_from(root: Path) -> ModuleType:
    """The package ``instructor`` of ``root``, imported by its path (already imported: it must be the same)."""
    init = (root / PACKAGE / "__init__.py").resolve()
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", "") or "").resolve() != init:
            raise Refused("refused.other_kit_loaded", loaded=Path(loaded.__file__).parent.parent, kit=root)
        return loaded
    spec = importlib.util.spec_from_file_location(PACKAGE, init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[PACKAGE]
        raise
    return module


def find_kit(course: Path, kit: Path | None = None) -> Path:
    """Where the instructor side is: ``kit`` if given, else the course directory, else the installed checkout."""
    if kit is not None:
        if not _has_kit(kit):
            raise KitNotFound("refused.no_kit_there", kit=kit, package=PACKAGE)
        return kit.resolve()
    for folder in (course, INSTALLED_FROM):
        if _has_kit(folder):
            return folder.resolve()
    raise KitNotFound("refused.no_kit", package=PACKAGE, course=course, installed_from=INSTALLED_FROM)


def load_kit(course: Path, kit: Path | None = None) -> Kit:
    """The instructor side, found by :func:`find_kit`."""
    root = find_kit(course, kit)
    _import_from(root)
    registry = importlib.import_module(f"{PACKAGE}.assignments").REGISTRY
    return Kit(root, registry, importlib.import_module(f"{PACKAGE}.build"))
