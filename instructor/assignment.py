"""An assignment of the series as one object, and the registry that lists them.

Each assignment lives in one folder, ``instructor/assignments/<name>/``, whose
``__init__.py`` defines ``ASSIGNMENT``, an :class:`Assignment`: its graded
functions and what they return, its cases and the builders of their inputs, its
mistake catalogue (hints in every language), its example submissions, its
timing cases and trained-model checks, and the given cells the class grader
runs. Its instructor notebook is ``source/<name>/<name>.ipynb`` under the kit's
root (nbgrader's place for it), and its figures, which learners import, are the
public module ``autograder.figures.<name>``.

Code that serves every assignment takes an :class:`Assignment` (or a name it
looks up in a :class:`Registry`) as an argument; nothing picks one by default.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from autograder.accuracy import TrainedModel

from . import reference
from .case import Case, GradientOracle, InputBuilder
from .mistake import Mistake
from .probes import Probe


@dataclass(frozen=True)
class Example:
    """A bundled example submission: what the demo grades, and the grade it is meant to get."""

    student: str
    description: str
    cells: Mapping[str, str]  # grade id -> the code of that solution cell
    full_marks: frozenset[str]  # graded cells (function names) it must get full marks on; it gets 0 on the rest


@dataclass(frozen=True, eq=False)  # one object per assignment: compared, and hashed, by identity
class Assignment:
    name: str
    root: Path  # the kit root holding source/<name>/<name>.ipynb
    functions: tuple[str, ...]  # graded functions checked on cases, in notebook order
    outputs: Mapping[str, tuple[str, ...]]  # what each function returns, by the lesson's names
    cases: tuple[Case, ...]
    inputs: Mapping[str, InputBuilder]  # function -> how its cases' inputs are drawn
    catalogue: tuple[Mistake, ...]
    examples: Callable[["Assignment"], tuple[Example, ...]]
    gradient_oracles: Mapping[str, GradientOracle] = field(default_factory=dict)
    trained_models: Mapping[str, TrainedModel] = field(default_factory=dict)
    # given cells (grade ids) that the class grader runs as they were released, before and between the
    # learner's own: the imports and settings the learner's code relies on (figures and demos are not run)
    setup_cells: tuple[str, ...] = ("imports",)
    # graded function -> the graded functions it calls in the lesson (a failure may come from them)
    calls: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # graded function -> its probe tree, for the differential diagnosis (instructor/probes.py)
    probes: Mapping[str, tuple[Probe, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for case in self.cases:
            if case.function not in self.functions:
                raise ValueError(f"{self.name}: case {case.id!r} is of {case.function!r}, not a graded function")
        for name in self.functions:
            if name not in self.inputs or name not in self.outputs:
                raise ValueError(f"{self.name}: {name!r} needs an input builder and output names")
        ids = [mistake.id for mistake in self.catalogue]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.name}: mistake ids repeat")
        for name in self.functions:  # the diagnosis tells a function's runs (cases and probes) apart by their ids
            runs = [case.id for case in self.cases_of(name) if case.kind != "speed"]
            runs += [probe.id for probe in self.probes.get(name, ())]
            repeated = sorted({i for i in runs if runs.count(i) > 1})
            if repeated:
                raise ValueError(f"{self.name}: {name} has two cases or probes named {', '.join(repeated)}: give "
                                 f"each its own id (the diagnosis tells the runs of a function apart by it)")

    # -- its notebook and its reference ----------------------------------------------------
    @property
    def notebook(self) -> Path:
        """The instructor notebook: the single source of the lesson and of the reference."""
        return self.root / "source" / self.name / f"{self.name}.ipynb"

    @property
    def figures(self) -> str:
        """The public module of this assignment's figures (it may not exist)."""
        return f"autograder.figures.{self.name}"

    @property
    def graded(self) -> tuple[str, ...]:
        """Everything a test cell grades: the functions, then the trained models."""
        return self.functions + tuple(self.trained_models)

    def sources(self) -> dict[str, str]:
        """Solution cells of the instructor notebook, by grade id."""
        return dict(_sources(self.notebook, self.notebook.stat().st_mtime_ns))

    def reference(self, sources: Mapping[str, str] | None = None, **replacements: str) -> dict:
        """The reference namespace (of ``sources``, the instructor notebook's by default), with cells replaced."""
        return reference.namespace(self.sources() if sources is None else sources, **replacements)

    def mistake(self, mistake_id: str) -> Mistake:
        for mistake in self.catalogue:
            if mistake.id == mistake_id:
                return mistake
        raise KeyError(f"{self.name} has no mistake {mistake_id!r}")

    def cases_of(self, function: str) -> tuple[Case, ...]:
        return tuple(case for case in self.cases if case.function == function)


@functools.lru_cache(maxsize=16)
def _sources(notebook: Path, modified: int) -> tuple[tuple[str, str], ...]:
    return tuple(reference.solution_sources(notebook).items())


class Registry(Mapping[str, Assignment]):
    """The assignments of a kit, by name, in the order of the series."""

    def __init__(self, assignments: Iterable[Assignment]) -> None:
        self._assignments = {assignment.name: assignment for assignment in assignments}
        every = [m.id for a in self._assignments.values() for m in a.catalogue]
        repeated = sorted({i for i in every if every.count(i) > 1})
        if repeated:
            raise ValueError(f"mistake ids must be unique across the kit: {repeated}")

    def __getitem__(self, name: str) -> Assignment:
        try:
            return self._assignments[name]
        except KeyError:
            raise KeyError(f"no assignment {name!r}; known: {', '.join(self._assignments)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._assignments)

    def __len__(self) -> int:
        return len(self._assignments)

    def with_assignment(self, assignment: Assignment) -> "Registry":
        """This registry and one more assignment (e.g. one under construction, from another folder)."""
        return Registry([*self._assignments.values(), assignment])
