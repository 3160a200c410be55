"""Processes in sight, read from /proc: used by the zygote (inside the sandbox) and the sandbox (outside).

Only the standard library: the zygote imports this before any learner code runs.
"""
from __future__ import annotations

import os
import signal
import time
from typing import Callable, Iterable


def processes() -> dict[int, dict[str, int]]:
    """{pid: {"ppid", "uid", "threads", "rss", "zombie"}} of every process in sight (rss in bytes)."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
            table[int(name)] = {"ppid": int(fields["PPid"]), "uid": int(fields["Uid"].split()[0]),
                                "threads": int(fields.get("Threads", "1")),
                                "rss": int(fields.get("VmRSS", "0 kB").split()[0]) * 1024,
                                "zombie": fields.get("State", "").strip().startswith("Z")}
        except (OSError, KeyError, ValueError):
            continue  # gone meanwhile
    return table


def tasks_of(uid: int) -> int:
    """Tasks (threads) of ``uid`` in sight: what the kernel's process limit counts."""
    return sum(entry["threads"] for entry in processes().values() if entry["uid"] == uid)


def descendants(table: dict[int, dict[str, int]], ancestor: int) -> list[int]:
    """The pids of every process below ``ancestor`` in ``table`` (see :func:`processes`)."""
    children: dict[int, list[int]] = {}
    for pid, entry in table.items():
        children.setdefault(entry["ppid"], []).append(pid)
    found, todo = [], list(children.get(ancestor, ()))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, ())
    return found


def kill_descendants(ancestor: int, rounds: int = 100) -> None:
    """SIGKILL every living descendant of ``ancestor``, again until none is left (one may be forking meanwhile).
    Zombies stay for their parent to collect."""
    kill_every(lambda table: descendants(table, ancestor), rounds)


def kill_every(select: Callable[[dict[int, dict[str, int]]], Iterable[int]], rounds: int = 100) -> None:
    """SIGKILL every living process that ``select`` picks from the table of :func:`processes`, again until it
    picks none (one may be forking meanwhile). Zombies stay for their parent to collect."""
    for _ in range(rounds):
        table = processes()
        found = [pid for pid in select(table) if pid in table and not table[pid]["zombie"]]
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.001)
