"""Winnowed fingerprints of a function's normalized tokens, with the release's code taken out.

The method is MOSS's: Schleimer, Wilkerson and Aiken, "Winnowing: local
algorithms for document fingerprinting", SIGMOD 2003. Every run of
:data:`KGRAM` consecutive tokens is hashed (Karp-Rabin, a rolling hash); in
every window of :data:`WINDOW` consecutive hashes the smallest is kept (the
rightmost on a tie). Two functions that share a run of at least
``KGRAM + WINDOW - 1`` tokens share a fingerprint (the guarantee threshold);
runs shorter than ``KGRAM`` never count (the noise threshold).

The code handed out in the release is MOSS's "base file": every k-gram of
the release's version of the same function is removed from a learner's
fingerprints, and so is every k-gram of the release's commented-out code
(a guided skeleton, ``# for h in range(n_H):``), read as code.

Hashes do not depend on the process (no ``hash()``), so fingerprints made by
worker processes can be compared.
"""
from __future__ import annotations

import ast
import zlib
from dataclasses import dataclass

from .normalize import TokenStream, function_tokens, statements_tokens

KGRAM = 8  # tokens per hashed run: a short statement is about 6 tokens
WINDOW = 4  # hashes per winnowing window: every shared run of 11 tokens is seen
MAX_TOKENS = 50_000  # a function longer than this is not compared (no graded function comes near)
_MODULUS = (1 << 61) - 1
_BASE = 1_000_003
_TOKEN_IDS: dict[str, int] = {}


def _token_id(token: str) -> int:
    found = _TOKEN_IDS.get(token)
    if found is None:
        found = _TOKEN_IDS[token] = zlib.crc32(token.encode()) + 1
    return found


def kgram_hashes(tokens: list[str], k: int = KGRAM) -> list[int]:
    """Karp-Rabin hash of ``tokens[i:i + k]`` for each i (an empty list for fewer than k tokens)."""
    if len(tokens) < k:
        return []
    ids = [_token_id(token) for token in tokens]
    top = pow(_BASE, k - 1, _MODULUS)
    value = 0
    for token in ids[:k]:
        value = (value * _BASE + token) % _MODULUS
    hashes = [value]
    for i in range(k, len(ids)):
        value = ((value - ids[i - k] * top) * _BASE + ids[i]) % _MODULUS
        hashes.append(value)
    return hashes


def winnow(hashes: list[int], window: int = WINDOW) -> dict[int, list[int]]:
    """Robust winnowing: {selected hash: [positions where it was selected]}.

    A sequence shorter than one window keeps its smallest hash.
    """
    selected: dict[int, list[int]] = {}
    if not hashes:
        return selected
    last = -1
    for start in range(max(1, len(hashes) - window + 1)):
        block = hashes[start:start + window]
        smallest = min(block)
        position = start + max(i for i, value in enumerate(block) if value == smallest)
        if position != last:
            selected.setdefault(smallest, []).append(position)
            last = position
    return selected


@dataclass
class Fingerprints:
    """One function's fingerprints: ``positions`` {hash: [first token of each selected k-gram]}, and its tokens."""

    positions: dict[int, list[int]]
    stream: TokenStream

    @property
    def hashes(self) -> frozenset[int]:
        return frozenset(self.positions)

    def lines(self, hashes: set[int] | frozenset[int]) -> dict[int, set[int]]:
        """{hash: the source lines (1-based) of the statements its k-grams came from}, for ``hashes``."""
        found: dict[int, set[int]] = {}
        for value in hashes:
            lines = found.setdefault(value, set())
            for position in self.positions.get(value, ()):
                for statement in set(self.stream.statement_of[position:position + KGRAM]):
                    first, last = self.stream.spans[statement]
                    lines.update(range(first, last + 1))
        return found


class FunctionTooLong(ValueError):
    """More than :data:`MAX_TOKENS` tokens."""


def fingerprints(source: str, base: frozenset[int] = frozenset()) -> Fingerprints:
    """The winnowed fingerprints of the function in ``source``, less those in ``base``.

    Raises SyntaxError, FunctionTooLong, or RecursionError (absurd nesting).
    """
    stream = function_tokens(source)
    if len(stream.tokens) > MAX_TOKENS:
        raise FunctionTooLong(len(stream.tokens))
    selected = winnow(kgram_hashes(stream.tokens))
    return Fingerprints({value: where for value, where in selected.items() if value not in base}, stream)


def _looks_like_code(text: str) -> str | None:
    """``text`` (a comment without its ``#``) as a Python statement, or None when it reads as prose."""
    attempt = text.strip()
    if not attempt:
        return None
    if attempt.endswith(":"):
        attempt += " pass"
    try:
        tree = ast.parse(attempt)
    except Exception:
        return None
    if len(tree.body) != 1:
        return None
    statement = tree.body[0]
    if isinstance(statement, ast.Expr) and isinstance(statement.value, (ast.Name, ast.Constant)):
        return None  # "# pad" or "# 'note'": a word, not code
    return text


def uncommented(source: str) -> str:
    """``source`` with each comment line that reads as code turned into that code (its indentation kept)."""
    out = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            body = stripped[1:]
            body = body[1:] if body.startswith(" ") else body
            code = _looks_like_code(body)
            if code is not None:
                out.append(line[:len(line) - len(stripped)] + code)
                continue
        out.append(line)
    return "\n".join(out)


def _all_kgrams(source: str) -> set[int]:
    """The k-gram hashes of ``source`` as learners' code is read (dead statements left out) and as written."""
    return set(kgram_hashes(function_tokens(source).tokens)) | set(kgram_hashes(function_tokens(source, False).tokens))


def base_hashes(release_source: str) -> frozenset[int]:
    """Every k-gram hash of the release's function and of its commented-out skeleton read as code, with and
    without its statements whose results are never used (a stub's are: it raises before using them)."""
    hashes = _all_kgrams(release_source)
    skeleton = uncommented(release_source)
    if skeleton != release_source:
        try:
            hashes.update(_all_kgrams(skeleton))
        except Exception:  # the skeleton's lines do not fit together: take them one by one, in order
            lines = [line.strip() for line in skeleton.split("\n")
                     if line.strip() and not line.strip().startswith("#")]
            tokens: list[str] = []
            for line in lines:
                header = line.endswith(":")
                try:
                    line_tokens = statements_tokens(line + (" pass" if header else "")).tokens
                except Exception:
                    continue
                tokens += line_tokens[:-1] if header else line_tokens  # a header's block goes on below it
            hashes.update(kgram_hashes(tokens))
    return frozenset(hashes)
