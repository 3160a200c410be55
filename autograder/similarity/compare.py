"""Every pair of submissions, function by function: scores, ranked pairs, matches with known solutions, clusters.

Scores are on fingerprint sets (see :mod:`.fingerprint`), the release's code
already taken out. For two sets A and B the score is JPlag's average
similarity, ``2 |A & B| / (|A| + |B|)`` (the Dice coefficient): 1 for the same
code, 0 for nothing in common. A pair's overall score is the same ratio over
all its functions' fingerprints together, so a long function weighs more than
a one-liner; a function with fewer than ``min_fingerprints`` on either side
gets no score of its own (a one-line function is written the same way by
everyone).

Between students, a fingerprint found in more than ``max(common_floor,
common_fraction * students)`` submissions is common code (an idiom the whole
class writes, or the lesson's own lines) and does not count, as MOSS's ``-m``
option. Against a known solution every fingerprint counts: a solution that
many learners copied is exactly what ``--against`` looks for.

Only pairs that share fingerprints are scored: an inverted index (fingerprint
-> submissions holding it) adds one to the shared count of each pair within a
posting list, as a block of an N x N count matrix per function (int32, 4 MB
for 1,000 submissions), which is the sparse product of the submission x
fingerprint incidence matrix with itself.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DEFAULT_THRESHOLD = 0.6
MIN_FINGERPRINTS = 12  # about three short statements: fewer is written alike by too many
COMMON_FRACTION = 0.1
COMMON_FLOOR = 20
MAX_LISTED = 2000  # pairs kept per ranked list (the JSON says how many there were)
STUDENT, KNOWN = "student", "known"


@dataclass
class Entry:
    """One submission or known solution: ``hashes`` {function: fingerprints}, ``sources`` {function: code}."""

    id: str
    kind: str
    hashes: dict[str, frozenset[int]]
    sources: dict[str, str]
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    path: str = ""


@dataclass
class Pair:
    """Two entries (ids), their overall score, {function: score or None when not comparable} and
    {function: fingerprints they share}."""

    a: str
    b: str
    overall: float
    functions: dict[str, float | None]
    shared: dict[str, int] = field(default_factory=dict)

    def ranked(self) -> list[str]:
        """The functions with a score, best first (on a tie, the one with more shared fingerprints)."""
        scored = [name for name, score in self.functions.items() if score is not None]
        return sorted(scored, key=lambda name: (-self.functions[name], -self.shared.get(name, 0)))

    def best(self) -> tuple[str | None, float]:
        ranked = self.ranked()
        return (ranked[0], self.functions[ranked[0]]) if ranked else (None, 0.0)


@dataclass
class Cluster:
    """Three or more students joined by scores at the threshold (directly, or through one known solution)."""

    students: list[str]
    known: list[str]
    mean_overall: float
    functions: dict[str, float]  # mean score over the cluster's pairs of students, per function


@dataclass
class Comparison:
    functions: list[str]
    threshold: float
    students: list[str]
    known: list[str]
    pairs: list[Pair]  # by overall score, at or above the threshold
    pairs_total: int
    function_pairs: dict[str, list[Pair]]  # per function, by that function's score, at or above the threshold
    function_pairs_total: dict[str, int]
    known_matches: list[Pair]  # a = student, b = known solution; overall or some function at the threshold
    known_matches_total: int
    clusters: list[Cluster]
    common: dict[str, frozenset[int]]  # per function, fingerprints ignored as common code
    common_limit: int


def _dice(shared: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    total = size_a + size_b
    return np.where(total > 0, 2.0 * shared / np.maximum(total, 1), 0.0)


class _Students:
    """The student x student count matrices, one per function, and their scores."""

    def __init__(self, students: list[Entry], functions: list[str], common_limit: int, min_fingerprints: int):
        n = len(students)
        self.functions, self.min_fingerprints = functions, min_fingerprints
        self.shared: dict[str, np.ndarray] = {}
        self.sizes: dict[str, np.ndarray] = {}
        self.all_sizes: dict[str, np.ndarray] = {}  # common fingerprints included (against known solutions)
        self._scores: dict[str, np.ndarray] = {}
        self.common: dict[str, frozenset[int]] = {}
        self.postings: dict[str, dict[int, list[int]]] = {}
        for name in functions:
            postings: dict[int, list[int]] = {}
            for index, entry in enumerate(students):
                for value in entry.hashes.get(name, ()):
                    postings.setdefault(value, []).append(index)
            common = frozenset(value for value, members in postings.items() if len(members) > common_limit)
            counts = np.zeros((n, n), dtype=np.int32)
            for value, members in postings.items():
                if 1 < len(members) <= common_limit:
                    where = np.asarray(members)
                    counts[np.ix_(where, where)] += 1
            self.postings[name], self.common[name], self.shared[name] = postings, common, counts
            self.sizes[name] = np.array([len(entry.hashes.get(name, frozenset()) - common) for entry in students])
            self.all_sizes[name] = np.array([len(entry.hashes.get(name, ())) for entry in students], dtype=float)
        self.total_shared = sum(self.shared.values(), np.zeros((n, n), dtype=np.int64))
        self.total_sizes = sum(self.sizes.values(), np.zeros(n, dtype=np.int64))
        self.overall = _dice(self.total_shared, self.total_sizes[:, None], self.total_sizes[None, :])

    def function_scores(self, name: str) -> np.ndarray:
        """n x n scores of one function (float32); NaN where either side has too few fingerprints."""
        if name not in self._scores:
            sizes = self.sizes[name]
            scores = _dice(self.shared[name], sizes[:, None], sizes[None, :]).astype(np.float32)
            small = sizes < self.min_fingerprints
            scores[small, :] = np.nan
            scores[:, small] = np.nan
            self._scores[name] = scores
        return self._scores[name]

    def pair(self, i: int, j: int, ids: list[str]) -> Pair:
        scores, shared = {}, {}
        for name in self.functions:
            size_i, size_j = self.sizes[name][i], self.sizes[name][j]
            comparable = min(size_i, size_j) >= self.min_fingerprints
            shared[name] = int(self.shared[name][i, j])
            scores[name] = float(2 * shared[name] / (size_i + size_j)) if comparable else None
        return Pair(ids[i], ids[j], float(self.overall[i, j]), scores, shared)


def _ranked(scores: np.ndarray, threshold: float) -> tuple[list[tuple[int, int]], int]:
    """Pairs (i, j), i < j, with scores[i, j] >= threshold (NaN never), best first, at most MAX_LISTED; and how many."""
    i, j = np.triu_indices(len(scores), k=1)
    values = scores[i, j]
    keep = values >= threshold
    i, j, values = i[keep], j[keep], values[keep]
    order = np.argsort(-values, kind="stable")[:MAX_LISTED]
    return list(zip(i[order].tolist(), j[order].tolist())), int(keep.sum())


def _known_matches(students: list[Entry], known: list[Entry], table: _Students, functions: list[str],
                   threshold: float, min_fingerprints: int) -> list[Pair]:
    """Each student against each known solution, over the functions the known solution holds.

    The overall score counts every fingerprint, also those common in the class: when much of a class hands
    in one public solution, its code is common, and must still count. A function alone makes a match only
    on fingerprints that are not common in the class, as between students: a public solution written the
    way most of the class writes a function (the loops the lesson's skeleton leads to) is no evidence."""
    matches = []
    n = len(students)
    for solution in known:
        shared_total, size_total = np.zeros(n), np.zeros(n)
        scores: dict[str, np.ndarray | None] = {}
        shared_by_function: dict[str, np.ndarray] = {}
        for name in functions:
            theirs = solution.hashes.get(name, frozenset())
            if not theirs:
                scores[name] = None
                continue
            rare = theirs - table.common[name]
            shared, shared_rare = np.zeros(n), np.zeros(n)
            for value in theirs:
                members = table.postings[name].get(value)
                if members:
                    shared[members] += 1
                    if value in rare:
                        shared_rare[members] += 1
            sizes, sizes_rare = table.all_sizes[name], table.sizes[name].astype(float)
            scores[name] = np.where(np.minimum(sizes_rare, len(rare)) >= min_fingerprints,
                                    _dice(shared_rare, sizes_rare, len(rare)), np.nan)
            shared_total += shared
            shared_by_function[name] = shared_rare
            size_total += sizes + len(theirs)
        overall = np.where(size_total > 0, 2 * shared_total / np.maximum(size_total, 1), 0.0)
        for i in range(n):
            functions_i = {name: (None if s is None or math.isnan(s[i]) else float(s[i])) for name, s in scores.items()}
            shared_i = {name: int(shared[i]) for name, shared in shared_by_function.items()}
            pair = Pair(students[i].id, solution.id, float(overall[i]), functions_i, shared_i)
            if pair.overall >= threshold or pair.best()[1] >= threshold:
                matches.append(pair)
    matches.sort(key=lambda pair: (-pair.overall, -pair.best()[1], pair.a, pair.b))
    return matches


def _clusters(ids: list[str], table: _Students, known_matches: list[Pair], threshold: float) -> list[Cluster]:
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    i_all, j_all = np.triu_indices(len(ids), k=1)
    joined = table.overall[i_all, j_all] >= threshold
    for i, j in zip(i_all[joined].tolist(), j_all[joined].tolist()):
        parent[root(i)] = root(j)
    index = {student: i for i, student in enumerate(ids)}
    best_known: dict[str, Pair] = {}  # each student joins the known solution closest to theirs, no other
    for match in known_matches:
        if match.overall >= threshold and match.overall > getattr(best_known.get(match.a), "overall", -1.0):
            best_known[match.a] = match
    by_known: dict[str, list[int]] = {}
    for student, match in sorted(best_known.items()):
        by_known.setdefault(match.b, []).append(index[student])
    for members in by_known.values():
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[int, list[int]] = {}
    for i in range(len(ids)):
        groups.setdefault(root(i), []).append(i)
    clusters = []
    for members in groups.values():
        if len(members) < 3:
            continue
        where = np.asarray(members)
        upper = np.triu_indices(len(members), k=1)
        mean = float(table.overall[np.ix_(where, where)][upper].mean())
        functions = {}
        for name in table.functions:
            block = table.function_scores(name)[np.ix_(where, where)][upper]
            if not np.all(np.isnan(block)):
                functions[name] = float(np.nanmean(block))
        members_known = sorted(k for k, students in by_known.items() if set(students) & set(members))
        clusters.append(Cluster(sorted(ids[i] for i in members), members_known, mean, functions))
    clusters.sort(key=lambda cluster: (-len(cluster.students), -cluster.mean_overall, cluster.students))
    return clusters


def compare(entries: list[Entry], functions: list[str], threshold: float = DEFAULT_THRESHOLD,
            common_fraction: float = COMMON_FRACTION, common_floor: int = COMMON_FLOOR,
            min_fingerprints: int = MIN_FINGERPRINTS) -> Comparison:
    """Score every pair of student entries, and every student against every known entry.

    ``functions``: the names compared (a list; none is assumed). ``threshold``: the score (0..1) from which a
    pair is listed and joins a cluster.
    """
    students = [entry for entry in entries if entry.kind == STUDENT]
    known = [entry for entry in entries if entry.kind == KNOWN]
    ids = [entry.id for entry in students]
    common_limit = max(common_floor, math.ceil(common_fraction * len(students)))
    table = _Students(students, functions, common_limit, min_fingerprints)
    ranked, total = _ranked(table.overall, threshold)
    pairs = [table.pair(i, j, ids) for i, j in ranked]
    function_pairs, function_totals = {}, {}
    for name in functions:
        ranked_f, function_totals[name] = _ranked(table.function_scores(name), threshold)
        function_pairs[name] = [table.pair(i, j, ids) for i, j in ranked_f]
    matches = _known_matches(students, known, table, functions, threshold, min_fingerprints)
    clusters = _clusters(ids, table, matches, threshold)
    return Comparison(functions, threshold, ids, [entry.id for entry in known], pairs, total, function_pairs,
                      function_totals, matches[:MAX_LISTED], len(matches), clusters, table.common, common_limit)
