"""An nbgrader course directory, as the grader sees it: every path, and the gradebook's address.

All the grader's paths are made here. nbgrader's own (``source/``,
``release/``, ``submitted/``, ``autograded/``, ``feedback/``) come from
nbgrader's :class:`~nbgrader.coursedir.CourseDirectory`, configured by nbgrader's
own config loading (the course's ``nbgrader_config.py``, and the user's and
system's Jupyter config folders), so a course that moves its folders or its
gradebook (``c.CourseDirectory.db_url``, e.g. a shared PostgreSQL database)
is graded where nbgrader looks. The grader's own files live beside them:
``reports/<assignment>/`` and ``.autograder/`` (results, the course secret).
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

SQLITE = "sqlite:///"


@functools.lru_cache(maxsize=8)
def _course_directory(root: str, config_changed: int):
    """nbgrader's CourseDirectory of the course at ``root``, configured as nbgrader commands run there are
    (read again when the course's nbgrader_config.py changes)."""
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.coursedir import CourseDirectory

    app = NbGrader()
    here = os.getcwd()
    os.chdir(root)  # nbgrader reads nbgrader_config.py from the working directory
    try:
        app.load_config_file()
        directory = CourseDirectory(config=app.config)
    finally:
        os.chdir(here)
    directory.root = root
    return directory


class Course:
    """The course directory at ``root`` (nbgrader's layout, as configured)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    @property
    def nbgrader(self):
        config = self.root / "nbgrader_config.py"
        return _course_directory(str(self.root), config.stat().st_mtime_ns if config.exists() else 0)

    def _path(self, step: str, student: str, assignment: str) -> Path:
        return Path(self.nbgrader.format_path(step, student, assignment))

    # -- nbgrader's folders -----------------------------------------------------------------------------
    def source(self, assignment: str) -> Path:
        return self._path(self.nbgrader.source_directory, ".", assignment)

    def release(self, assignment: str) -> Path:
        return self._path(self.nbgrader.release_directory, ".", assignment)

    def submitted(self, student: str, assignment: str) -> Path:
        return self._path(self.nbgrader.submitted_directory, student, assignment)

    def autograded(self, student: str, assignment: str) -> Path:
        return self._path(self.nbgrader.autograded_directory, student, assignment)

    def feedback(self, student: str, assignment: str) -> Path:
        return self._path(self.nbgrader.feedback_directory, student, assignment)

    @staticmethod
    def notebook(folder: Path, assignment: str) -> Path:
        """The assignment's notebook in one of its folders (this kit's assignments have one, named after it)."""
        return folder / f"{assignment}.ipynb"

    def source_notebook(self, assignment: str) -> Path:
        return self.notebook(self.source(assignment), assignment)

    def release_notebook(self, assignment: str) -> Path:
        return self.notebook(self.release(assignment), assignment)

    def submissions(self, assignment: str) -> dict[str, Path]:
        """{student: path of their notebook}, for every submission folder of ``assignment``."""
        pattern = self.submitted("*", assignment).relative_to(self.root)
        found = {}
        for folder in sorted(self.root.glob(str(pattern))):
            if folder.is_dir():
                student = folder.relative_to(self.root).parts[pattern.parts.index("*")]
                found[student] = self.notebook(folder, assignment)
        return found

    @property
    def db_url(self) -> str:
        """The gradebook nbgrader is configured with (a relative SQLite path is relative to the course)."""
        url = self.nbgrader.db_url
        if url.startswith(SQLITE) and not os.path.isabs(url[len(SQLITE):]):
            url = SQLITE + str(self.root / url[len(SQLITE):])
        return url

    # -- the grader's own files -----------------------------------------------------------------------------
    def reports(self, assignment: str) -> Path:
        return self.root / "reports" / assignment

    def results(self, assignment: str) -> Path:
        return self.root / ".autograder" / "results" / assignment

    @property
    def secret(self) -> Path:
        return self.root / ".autograder" / "secret"
