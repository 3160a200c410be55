"""Grading as a normal user: the adversarial suite, the demo, and which protections hold.

The rest of the suite runs as whoever runs it; on CI that is root, where the
sandbox gives each job a throw-away user and an IPC namespace of its own. This
file makes a system user (removed at the end), gives it a Python it can run
(this one, when it can; else a copy of it made of hard links outside /root, as
pyenv under /root is closed to other users) and a folder of its own, and, as
that user:

- runs the adversarial suite (``ADVERSARIAL``: the attack tests, bubblewrap): every test passes
  (but those listed in ``NOT_AS_A_NORMAL_USER``, protections that would need
  root, which must then fail, so that the list is kept up to date);
- runs the demo (``python -m instructor.demo``), with bubblewrap and with
  ``--no-sandbox``: every example gets the grade it is meant to get;
- probes, in a real sandbox, each protection that differs between root and a
  normal user (``PROBE``), with and without bubblewrap, and probes the same as
  root: the results must be the table ``PROTECTIONS``, which is the README's.

When the tests do not run as root no user can be made: then the whole run
already is a normal user's run, and this file is skipped.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from autograder.course import Course
from autograder.grading.sandbox import bubblewrap
from instructor import demo
from instructor.assignments import REGISTRY
from instructor.course import scores
from instructor.reference import REPO
from tests.helpers import link_or_copy

INNER = "AUTOGRADER_NORMAL_USER_RUN"  # set in every run as the normal user: nothing in it starts another
VERSION = f"python{sys.version_info.major}.{sys.version_info.minor}"
# the adversarial suite: every test that attacks the grader as a hostile submission would
ADVERSARIAL = ("tests/test_grading_adversarial.py", "tests/test_grading_theft.py", "tests/test_grading_bounded.py",
               "tests/test_grading_reference_leak.py", "tests/test_grading_output.py")

pytestmark = [
    pytest.mark.skipif(os.environ.get(INNER) == "1", reason="already inside the normal user's run"),
    pytest.mark.skipif(os.geteuid() != 0, reason="not root, so no user can be made here: but then this whole test "
                       "run already is a normal user's run (the adversarial suite and the grading tests run as "
                       "this user)"),
    pytest.mark.skipif(not all(map(shutil.which, ("useradd", "userdel", "runuser"))),
                       reason="needs useradd, userdel and runuser (Debian's passwd and util-linux)"),
]
needs_bubblewrap = pytest.mark.skipif(bubblewrap() is None, reason="needs bubblewrap (apt-get install bubblewrap)")

# Tests of the adversarial suite that fail as a normal user, and why: each a protection that holds only when
# the grader runs as root. They must fail (a fixed one must leave this list). None today.
NOT_AS_A_NORMAL_USER: dict[str, str] = {}


# -- the user, its Python and its folder ---------------------------------------------------------
def _closed(path: Path | str, uid: int) -> bool:
    """Whether user ``uid`` (a user without groups of note) cannot reach ``path``."""
    parts = Path(os.path.realpath(path)).parts
    for depth in range(2, len(parts) + 1):
        status = os.stat(Path(*parts[:depth]))
        bits = (status.st_mode >> 6) & 7 if status.st_uid == uid else status.st_mode & 7
        if not bits & 1:
            return True
    return False


def _linked_python(place: Path, uid: int) -> Path:
    """A copy of this Python that user ``uid`` can run, made of hard links (seconds, no space): interpreter
    and standard library under ``place/python``, and a virtual environment on it, ``place/venv``, that holds
    this one's packages, and its scripts (``alembic``, which nbgrader runs) pointed at the copy.

    The packages are linked in, not pointed at by a ``.pth``: bubblewrap shows a job only the folders of
    the Python that runs it. An interpreter that finds its libpython by an absolute RUNPATH into a closed
    folder (pyenv's ``--enable-shared`` build under /root) gets a copy whose RUNPATH is ``$ORIGIN/../lib``."""
    base = Path(os.path.realpath(sys.base_prefix))
    home = place / "python"
    (home / "bin").mkdir(parents=True)
    interpreter = Path(os.path.realpath(base / "bin" / VERSION))
    binary = interpreter.read_bytes()
    runpath = f"\0{base / 'lib'}\0".encode()
    try:
        if runpath in binary and _closed(base / "lib", uid):
            relative = b"\0$ORIGIN/../lib"
            (home / "bin" / VERSION).write_bytes(binary.replace(runpath, relative.ljust(len(runpath), b"\0")))
            os.chmod(home / "bin" / VERSION, 0o755)
        else:
            link_or_copy(interpreter, home / "bin" / VERSION)
        shutil.copytree(base / "lib", home / "lib", copy_function=link_or_copy, symlinks=True,
                        ignore=lambda folder, names: [name for name in names if Path(folder).name == VERSION
                                                      and name in ("site-packages", "test")])
        venv = place / "venv"
        subprocess.run([home / "bin" / VERSION, "-m", "venv", "--without-pip", venv], check=True)
        site = venv / "lib" / VERSION / "site-packages"
        packages = next(Path(path) for path in sys.path if Path(path).name == "site-packages"
                        and path.startswith(sys.prefix))
        shutil.copytree(packages, site, copy_function=link_or_copy, symlinks=True, dirs_exist_ok=True)
        for shared in ("etc", "share"):  # the Jupyter server's extensions (formgrader) and JupyterLab's assets
            if Path(sys.prefix, shared).is_dir():
                shutil.copytree(Path(sys.prefix, shared), venv / shared, copy_function=link_or_copy, symlinks=True,
                                dirs_exist_ok=True)
    except OSError as error:  # another file system: a link cannot cross it
        pytest.skip(f"cannot link this Python into {place}: {error}")
    (site / "kit.pth").write_text(f"{REPO}\n")
    python = venv / "bin" / "python"
    for script in Path(sys.prefix, "bin").iterdir():
        if script.is_file() and not (venv / "bin" / script.name).exists():
            lines = script.read_bytes().split(b"\n", 1)
            if len(lines) == 2 and lines[0].startswith(b"#!" + os.fsencode(sys.prefix) + b"/bin/python"):
                (venv / "bin" / script.name).write_bytes(b"#!" + bytes(python) + b"\n" + lines[1])
                os.chmod(venv / "bin" / script.name, 0o755)
    return python


class NormalUser:
    """A system user made for these tests, with a folder of its own and a Python it can run."""

    def __init__(self, name: str, place: Path) -> None:
        self.name, self.place = name, place
        self.home = place / "home"  # HOME, the pytest base folder and the demo's course: the user's own
        self.uid = int(subprocess.run(["id", "-u", name], capture_output=True, text=True, check=True).stdout)
        self.python = Path(sys.executable)
        self.bubblewrap = False  # whether bubblewrap works for this user (unprivileged user namespaces)

    def env(self) -> dict[str, str]:
        return {"HOME": str(self.home), "USER": self.name, "LOGNAME": self.name, "LANG": "C.UTF-8",
                "PATH": f"{self.python.parent}:/usr/bin:/bin", "MPLBACKEND": "Agg", INNER: "1",
                "PYTHONDONTWRITEBYTECODE": "1"}

    def command(self, *args: str) -> list[str]:
        """``python ARGS`` as this user, with a clean environment."""
        return ["runuser", "-u", self.name, "--", "env", "-i", *[f"{k}={v}" for k, v in self.env().items()],
                str(self.python), *args]

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """``python ARGS`` as this user, in the kit's folder (which the user may read but not write)."""
        return subprocess.run(self.command(*args), cwd=REPO, capture_output=True, text=True, timeout=timeout)

    def processes(self) -> list[int]:
        alive = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and entry.stat().st_uid == self.uid and _state(entry.name) != "Z":
                    alive.append(int(entry.name))
            except OSError:
                pass
        return alive


def _state(pid: str) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


@pytest.fixture(scope="module")
def user() -> NormalUser:
    name = f"agnu{uuid.uuid4().hex[:8]}"
    place = Path(tempfile.mkdtemp(prefix="autograder-normal-user-", dir="/tmp"))
    os.chmod(place, 0o755)
    subprocess.run(["useradd", "--system", "--no-create-home", "--user-group", "--home-dir", str(place / "home"),
                    "--shell", "/usr/sbin/nologin", name], check=True, capture_output=True)
    person = NormalUser(name, place)
    try:
        if _closed(REPO, person.uid):
            pytest.skip(f"a normal user cannot read the kit at {REPO}")
        person.home.mkdir(mode=0o700)
        os.chown(person.home, person.uid, person.uid)
        probe = person.run("-c", "import numpy, nbgrader, autograder, instructor")
        if probe.returncode != 0:  # this Python is behind a closed folder (pyenv under /root): link a copy
            person.python = _linked_python(place, person.uid)
            probe = person.run("-c", "import numpy, nbgrader, autograder, instructor")
        assert probe.returncode == 0, probe.stderr[-3000:]
        if bubblewrap():
            person.bubblewrap = subprocess.run(["runuser", "-u", name, "--", bubblewrap(), "--unshare-net",
                                                "--ro-bind", "/", "/", "true"], capture_output=True).returncode == 0
        yield person
        time.sleep(0.5)
        left = person.processes()
        for pid in left:  # this user's, so started by these tests
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        assert left == [], f"processes of {name} outlived its runs: {left}"
    finally:
        for entry in Path("/tmp").iterdir():  # what jobs without bubblewrap leave there (see PROTECTIONS)
            try:
                if entry.lstat().st_uid == person.uid:
                    shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
            except OSError:
                pass
        subprocess.run(["userdel", name], capture_output=True)
        shutil.rmtree(place, ignore_errors=True)


# -- which protections hold ---------------------------------------------------------------------
# Run by root and by the normal user, with bubblewrap (argv[1] == "1") and without; argv[2] is a file only
# the grader's user may read and write (for a course's gradebook, secret and instructor notebooks).
PROBE = r'''
import json, os, socket, sys, threading, time, uuid
from autograder.grading import wire
from tests.helpers import leaves_its_session
from autograder.grading.sandbox import Call, Limits, Sandbox

isolate, private = sys.argv[1] == "1", sys.argv[2]
server = socket.create_server(("127.0.0.1", 0))
server.settimeout(0.2)
received = []
def serve():
    while not stopping:
        try:
            connection, _ = server.accept()
            received.append(connection.recv(16))
            connection.close()
        except OSError:
            pass
stopping = False
threading.Thread(target=serve, daemon=True).start()
mark, comm = "agprobe" + uuid.uuid4().hex[:8], "agd" + uuid.uuid4().hex[:12]

FIRST = f"""
import ctypes, os, socket, time
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
KEY = 0x5EC0FFE
def network():
    try:
        with socket.create_connection(("127.0.0.1", {server.getsockname()[1]}), timeout=1) as connection:
            connection.sendall(b"reached")
        return True
    except OSError:
        return False
def reads():
    try:
        return bool(open({private!r}).read())
    except OSError:
        return False
def writes():
    try:
        with open({private!r}, "a") as handle:
            handle.write("changed by a job")
        return True
    except OSError:
        return False
def forks():
    children = []
    for _ in range(16):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return len(children)
def plant():
    open("/tmp/{mark}", "w").write("left by the first student")
    open(os.path.join(os.getcwd(), "{mark}"), "w").write("left by the first student")
    segment = libc.shmget(KEY, 4096, 0o1000 | 0o666)
    ctypes.memmove(libc.shmat(segment, None, 0), b"left", 4)
    return os.getcwd()
"""
LOOK = f"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def tmp(folder):
    return os.path.exists("/tmp/{mark}") or os.path.exists(os.path.join(folder, "{mark}"))
def ipc():
    return libc.shmget(0x5EC0FFE, 4096, 0o666) >= 0
def alive():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open(f"/proc/{{pid}}/comm").read().strip() == "{comm}":
                return open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            pass
    return False
"""
HOGS = """
import os, select, signal, time
import numpy as np
def hogs(new_session):
    r, w = os.pipe()
    children = []
    for _ in range(3):  # 400 MiB each: each under the limit of 1 GiB, together over it
        pid = os.fork()
        if pid == 0:
            if new_session:
                os.setsid()
            hog = np.ones(400 * 2**20 // 8)
            os.write(w, b"x")
            time.sleep(60)
            os._exit(0)
        children.append(pid)
    filled, deadline = 0, time.monotonic() + 30
    while filled < 3 and time.monotonic() < deadline:
        if select.select([r], [], [], 1)[0]:
            filled += len(os.read(r, 3))
    time.sleep(1)  # the watchdog looks ten times a second
    for pid in children:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return filled
"""
DAEMON = leaves_its_session("daemon", comm, 30, 'return os.read(r, 16) == b"started"')

def value(outcome, call=0):
    result = outcome.results[call]
    return wire.unpack(result["value"]) if result.get("ok") else result.get("stop", {}).get("reason", "failed")

found = {}
with Sandbox(Limits(call_seconds=10, submission_seconds=30), isolate=isolate) as sandbox:
    found["isolation"] = sandbox.start().to_json()
    first = sandbox.run([("first", FIRST)], [Call(i, name, (), {}) for i, name in
                                             enumerate(("network", "reads", "writes", "forks", "plant"))])
    found.update({key: value(first, i) for i, key in enumerate(
        ("reaches_the_network", "reads_the_graders_files", "changes_the_graders_files", "forks"))})
    folder = value(first, 4)
    after = sandbox.run([("look", LOOK)], [Call(0, "tmp", (folder,), {}), Call(1, "ipc", (), {})])
    found["tmp_left_for_the_next_job"], found["ipc_left_for_the_next_job"] = value(after, 0), value(after, 1)
limits = Limits(call_seconds=40, submission_seconds=90, memory_bytes=2**30, processes=256)  # the user may fork
with Sandbox(limits, isolate=isolate) as sandbox:
    held = sandbox.run([("hogs", HOGS)], [Call(0, "hogs", (False,), {})])
    found["memory_held_across_processes"] = value(held) == "memory"
    apart = sandbox.run([("hogs", HOGS)], [Call(0, "hogs", (True,), {})])
    found["memory_held_across_sessions"] = value(apart) == "memory"
    started = sandbox.run([("daemon", DAEMON)], [Call(0, "daemon", (), {})])
    assert value(started) is True, started
    after = sandbox.run([("look", LOOK)], [Call(0, "alive", (), {})])
    found["process_left_for_the_next_job"] = value(after)
exec(compile(LOOK, "look", "exec"))
deadline = time.monotonic() + 3  # a PID namespace's processes die a moment after its sandbox
while alive() and time.monotonic() < deadline:
    time.sleep(0.1)
found["process_outlives_the_run"] = alive()
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        if open(f"/proc/{pid}/comm").read().strip() == comm:
            os.kill(int(pid), 9)
    except OSError:
        pass
stopping = True
found["reaches_the_network"] = found["reaches_the_network"] is True and received == [b"reached"]
print(json.dumps(found))
'''

YES, NO = True, False
# What the probe finds, graded by root or by the normal user, with bubblewrap or without (the README's table).
# Beside these, "forks": how many processes a job may start under the default limit of 8 (the job is one):
# 7 as root; as a normal user the kernel counts every task of the user (the sandbox's and, without
# bubblewrap, the grader's too), so the limit is raised by those there when the job starts (after the
# zygote's threads for it): 7 again with bubblewrap, whose user namespace holds only the sandbox's tasks;
# without it, fewer when the user starts other processes meanwhile, more when some of theirs end (up to
# all 16 the probe tries, seen on CI beside the demos), so that probe runs alone, and finds 7 too.
COLUMNS = (("root", True), ("root", False), ("user", True), ("user", False))
TABLE = {  #                         root+bwrap  root  user+bwrap  user
    "own_user":                      (YES,       YES,  NO,         NO),
    "ipc_namespace":                 (YES,       YES,  NO,         NO),
    "reaches_the_network":           (NO,        YES,  NO,         YES),
    "reads_the_graders_files":       (NO,        NO,   NO,         YES),  # a file of mode 0600: the gradebook,
    "changes_the_graders_files":     (NO,        NO,   NO,         YES),  # the secret, instructor notebooks
    "tmp_left_for_the_next_job":     (NO,        NO,   NO,         YES),  # in the real /tmp (its own folder goes)
    "ipc_left_for_the_next_job":     (NO,        NO,   NO,         NO),
    "memory_held_across_processes":  (YES,       YES,  YES,        YES),  # three processes of the job's session
    "memory_held_across_sessions":   (YES,       YES,  YES,        YES),  # three that left it (setsid)
    "process_left_for_the_next_job": (NO,        NO,   NO,         NO),  # one that left the job's session
    "process_outlives_the_run":      (NO,        NO,   NO,         NO),
}
PROTECTIONS = {column: {key: row[index] for key, row in TABLE.items()} for index, column in enumerate(COLUMNS)}


def _facts(found: dict) -> dict:
    isolation = found.pop("isolation")
    assert isolation["memory_watchdog"] is True
    return {"bubblewrap": isolation["bubblewrap"], "own_user": isolation["own_user"],
            "ipc_namespace": isolation["ipc_namespace"], **found}


# -- the adversarial suite, alone (its tests time the grader) -----------------------------------
def _outcomes(junit: Path) -> dict[str, tuple[str, str]]:
    """{test name: (outcome, message)} from a JUnit XML report."""
    outcomes = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            element = case.find(kind)
            if element is not None:
                outcome, message = kind, element.get("message", "")
                if element.get("type") == "pytest.xfail":
                    outcome = "xfailed"  # marked as failing when not run as root
                break
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = (outcome, message)
    return outcomes


def _needs_bubblewrap_as(user: NormalUser, bubblewrapped: bool = True) -> None:
    if bubblewrapped and not user.bubblewrap:
        pytest.skip("bubblewrap does not work for a normal user here: it needs unprivileged user namespaces "
                    "(sysctl kernel.unprivileged_userns_clone=1)")


@needs_bubblewrap
def test_the_adversarial_suite_as_a_normal_user(user):
    _needs_bubblewrap_as(user)
    junit = user.home / "adversarial.xml"
    done = user.run("-m", "pytest", *ADVERSARIAL, "-q", "-rs", "-p", "no:cacheprovider", "--junitxml", str(junit),
                    "--basetemp", str(user.home / "adversarial"), timeout=1800)
    assert junit.exists(), done.stdout[-6000:] + done.stderr[-3000:]
    outcomes = _outcomes(junit)
    failed = {name for name, (outcome, _) in outcomes.items() if outcome in ("failure", "error", "xfailed")}
    skipped = {name: message for name, (outcome, message) in outcomes.items() if outcome == "skipped"}
    assert {name.split("::")[0] for name in outcomes} == {f"tests.{Path(path).stem}" for path in ADVERSARIAL}
    assert len(outcomes) > 60 and skipped == {}, skipped
    assert failed == set(NOT_AS_A_NORMAL_USER), done.stdout[-8000:]


# -- the probes and the demo, side by side ------------------------------------------------------
MODES = [pytest.param(True, marks=needs_bubblewrap, id="bubblewrap"), pytest.param(False, id="no_sandbox")]
DEMOS = ["conv_step_by_step"]  # the other two take 1 to 2 minutes more each, per mode


@pytest.fixture(scope="module")
def runs(user) -> dict[tuple, subprocess.CompletedProcess]:
    """Every probe (root and the user, with bubblewrap and without) and every demo run (the user's), at once:
    none of them times anything that the others could slow down."""
    private = {"root": user.place / "root-only", "user": user.home / "user-only"}
    for path in private.values():
        path.write_text("the gradebook, the course's secret, the instructor's notebooks\n")
        os.chmod(path, 0o600)
    os.chown(private["user"], user.uid, user.uid)
    modes = [True, False] if bubblewrap() and user.bubblewrap else [False]
    commands = {}
    for flag in modes:
        commands["probe", "root", flag] = [sys.executable, "-c", PROBE, str(int(flag)), str(private["root"])]
        commands["probe", "user", flag] = user.command("-c", PROBE, str(int(flag)), str(private["user"]))
        for assignment in DEMOS:
            course = user.home / f"demo-{assignment}-{'bubblewrap' if flag else 'no-sandbox'}"
            commands["demo", assignment, flag] = user.command(
                "-m", "instructor.demo", "--assignment", assignment, "--course", str(course),
                *([] if flag else ["--no-sandbox"]))
    # Without bubblewrap the kernel counts the job's processes with every other task of the user: the probe
    # that counts a job's forks there runs alone, before the user's demos start (their tasks would move it).
    alone = ("probe", "user", False)
    done = {alone: subprocess.run(commands.pop(alone), cwd=REPO, capture_output=True, text=True, timeout=900)}
    started = {key: subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for key, command in commands.items()}
    for key, process in started.items():
        out, err = process.communicate(timeout=900)
        done[key] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done


@pytest.mark.parametrize("bubblewrapped", MODES)
def test_the_protections_as_root_and_as_a_normal_user_are_the_readmes(user, runs, bubblewrapped):
    """A probe as root and one as the user: each finds what ``PROTECTIONS`` says."""
    _needs_bubblewrap_as(user, bubblewrapped)
    found = {}
    for who in ("root", "user"):
        done = runs["probe", who, bubblewrapped]
        assert done.returncode == 0, (who, done.stderr[-3000:])
        found[who] = _facts(json.loads(done.stdout))
    print(json.dumps(found, indent=1))
    for who, facts in found.items():
        assert facts.pop("bubblewrap") is bubblewrapped
        forks = facts.pop("forks")
        assert forks == 7, (who, forks)  # of the 16 the probe tries
        assert facts == PROTECTIONS[who, bubblewrapped], who


@pytest.mark.parametrize("bubblewrapped", MODES)
@pytest.mark.parametrize("assignment", DEMOS)
def test_the_demo_as_a_normal_user(user, runs, assignment, bubblewrapped):
    """Every example gets its grade, and the console names the isolation a normal user gets."""
    _needs_bubblewrap_as(user, bubblewrapped)
    done = runs["demo", assignment, bubblewrapped]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "every example got the grade it is meant to get" in done.stdout
    assert "DEMO FAILED" not in done.stderr and "NOT GRADED" not in done.stderr
    isolation = next(line for line in done.stderr.splitlines() if line.startswith("isolation: "))
    assert isolation.startswith("isolation: bubblewrap: no network" if bubblewrapped else
                                "isolation: a separate process only"), isolation
    assert "jobs under the grader's own user" in isolation, isolation
    assert "System V IPC objects a job made removed" in isolation, isolation
    course = user.home / f"demo-{assignment}-{'bubblewrap' if bubblewrapped else 'no-sandbox'}"
    points = demo.max_points(Course(course).source_notebook(assignment))
    assert demo.unexpected_grades(REGISTRY[assignment], scores(course, assignment), points) == []
    report = json.loads((Course(course).reports(assignment) / "report.json").read_text())["students"]
    assert {entry["isolation"] for entry in report.values()} == {isolation.removeprefix("isolation: ")}
