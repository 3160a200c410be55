"""The learner's language: which catalogue the check messages and figure titles come from.

The code cells of the English and the Chinese self-study notebooks are identical,
so the language is read from outside the code, at the moment a message or a
figure is made:

1. the environment variable ``AUTOGRADER_LANGUAGE`` (e.g. ``zh``), if set;
2. else the file ``autograder.json`` in the current working directory, which
   for a notebook's kernel is the notebook's folder: the self-study edition
   writes ``{"language": "zh"}`` there beside each Chinese notebook;
3. else English.

An unknown language, or a settings file that cannot be read, means English.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .messages import DEFAULT, LANGUAGES

ENVIRONMENT_VARIABLE = "AUTOGRADER_LANGUAGE"
SETTINGS_FILE = "autograder.json"

__all__ = ["DEFAULT", "LANGUAGES", "ENVIRONMENT_VARIABLE", "SETTINGS_FILE", "language", "read_settings"]


def read_settings(folder: Path | None = None) -> dict:
    """The settings stored in ``folder``/autograder.json (the working directory by default), or {}."""
    path = (folder or Path.cwd()) / SETTINGS_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def language(folder: Path | None = None) -> str:
    """The language of the learner's messages: one of :data:`LANGUAGES`."""
    chosen = os.environ.get(ENVIRONMENT_VARIABLE) or read_settings(folder).get("language") or DEFAULT
    chosen = str(chosen).strip().lower()
    return chosen if chosen in LANGUAGES else DEFAULT
