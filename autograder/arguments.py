"""Command-line parsers that take every word from the catalogue, argparse's own words included.

argparse writes ``usage:``, its section titles and the help of ``-h`` in English; a parser made by
:func:`parser` writes them, and every metavar, in the language of the :class:`~autograder.messages.Words` it is
given (``cli.*`` entries of :mod:`autograder.messages`).
"""
from __future__ import annotations

import argparse
import functools
from typing import Any, Callable

from .messages import Words


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, with the word before the usage line from the catalogue."""

    def __init__(self, prog: str, *, usage: str, **options: Any) -> None:
        super().__init__(prog, **options)
        self._usage = usage

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, self._usage if prefix is None else prefix)


def parser(words: Words, make: Callable[..., argparse.ArgumentParser] = argparse.ArgumentParser,
           **options: Any) -> argparse.ArgumentParser:
    """``make(**options)``: an ``ArgumentParser`` (or a subcommand's, ``partial(commands.add_parser, name)``)
    whose usage line, section titles and ``-h`` are in the language of ``words``."""
    made = make(add_help=False, formatter_class=functools.partial(_Formatter, usage=words("cli.usage")), **options)
    made._positionals.title = words("cli.positionals")
    made._optionals.title = words("cli.options")
    made.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=words("cli.help"))
    return made


def subcommand(commands: Any, name: str, words: Words, **options: Any) -> argparse.ArgumentParser:
    """The subcommand ``name`` of ``commands`` (what ``add_subparsers`` returned), as :func:`parser` makes it."""
    return parser(words, functools.partial(commands.add_parser, name), **options)
