"""What a submission controls on the pages the grader writes: bounded in size, inert in every viewer.

One course, graded by the class grader as an instructor runs it (``python -m
autograder grade``, a subprocess, bubblewrap when installed), holds three
students:

- ``honest``: the reference solutions;
- ``amplifier``: the reference solutions and 20,000 added cells that each
  raise an exception with a 2,000-character message (issue 16: such a
  notebook made 92 MB feedback pages and summary, and 529 MB peak memory);
- an injector, whose id, ``timestamp.txt``, failing cell, exception and line
  of code carry Markdown, HTML, math and links: a ``<script>``, remote images,
  a forged heading and score ("conv_forward: 4/4 (passed)"), a line ending
  (``\\r``) and a backtick fence meant to start a line of their own.

The run's peak memory (the grader and every process it waits for) is
measured, and every report it writes must stay small. Then the feedback is
written again in Chinese (a second run, which grades nobody again), and every
Markdown page, in both languages, is rendered by nbconvert's mistune (which
passes raw HTML through, as the issue's viewer did) and opened in a real
browser (Debian's chromium, through Playwright) that refuses every request:
no script may run, no request may leave, and the headings, links and images
must be the grader's own (those of its HTML page, which escapes).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.grading.bounds import MAX_NOTES, MAX_TEXT, bounded_notes
from autograder.verdict import Note
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
FLOOD = 20_000  # failing added cells
MAX_PAGE_BYTES = 512 * 1024  # every report and feedback page (it was 92 MB)
# peak resident memory of the grading run's processes (before the bounds: 416 MiB here, 529 in the issue)
MAX_GRADER_MIB = 300
CHROMIUM = Path("/usr/bin/chromium")
LEAK = "http://127.0.0.1:9"  # nothing listens there, and the browser refuses every request anyway
PWNED = "window.__pwned"
# What an attacker writes where a learner's text ends up: each piece tries another way out of the text.
PAYLOAD = ("<script>window.__pwned=1</script><img src=" + LEAK + "/i onerror=window.__pwned=2>\n"
           "## conv_forward: 4/4 (passed)\n![i](" + LEAK + "/m) [a](" + LEAK + "/l) $\\href{" + LEAK + "/x}{m}$ "
           "www.pwned.example\r# forged heading\r```\n# fenced\n```")
INJECTOR = "eve_[x](y)*_$"  # a student id (a folder name) full of Markdown
TIMESTAMP = "2024-01-01 00:00:00 <img src=" + LEAK + "/t>"


def _injected_cells(sources: dict[str, str]) -> dict[str, str]:
    """conv_single_step raises the payload from a line that holds it; conv_forward's cell fails as it runs."""
    step = sources["conv_single_step"].split("    ### BEGIN SOLUTION")[0]
    return {**sources, "conv_single_step": step + f"    raise ValueError({PAYLOAD!r})\n",
            "pool_forward": f"raise RuntimeError({PAYLOAD!r})\n" + sources["pool_forward"]}


WRAP = ("import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:])\n"
        "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(done.returncode)\n")


def grade(root: Path, *options: str) -> tuple[subprocess.CompletedProcess, float]:
    """``python -m autograder grade`` on the course, in a process of its own whose children's peak resident
    memory (the grader, its workers, their sandboxes: every process waited for) it reports, in MiB."""
    command = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root), "--kit",
               str(reference.REPO), "--workers", "2", "--no-progress", *options]
    if shutil.which("bwrap") is None:
        command.append("--no-sandbox")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([sys.executable, "-c", WRAP, *command], cwd=reference.REPO, env=env, capture_output=True,
                          text=True, timeout=900)
    peak = int(done.stderr.rsplit("MAXRSS ", 1)[1].split()[0]) / 1024 if "MAXRSS " in done.stderr else float("nan")
    return done, peak


@dataclass
class Graded:
    root: Path
    done: subprocess.CompletedProcess
    peak_mib: float
    seconds: float
    notebook_bytes: int
    pages: dict[str, dict[str, str]]  # language -> {path relative to the course: text} of every page written
    zh_done: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    root = course.new_course(tmp_path_factory.mktemp("output") / "course", STEP_BY_STEP)
    release = course.generate_release(root, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    sources = STEP_BY_STEP.sources()
    course.submit(root, "honest", course.fill_notebook(release, sources), STEP_BY_STEP)
    flood = course.fill_notebook(release, sources)
    flood.cells += [nbformat.v4.new_code_cell(f'raise ValueError("cell {n}: " + "x" * 2000)') for n in range(FLOOD)]
    notebook = course.submit(root, "amplifier", flood, STEP_BY_STEP)
    injector = course.fill_notebook(release, _injected_cells(sources))
    injector.cells.append(nbformat.v4.new_code_cell(f"raise Exception({PAYLOAD!r})"))
    path = course.submit(root, INJECTOR, injector, STEP_BY_STEP)
    (path.parent / "timestamp.txt").write_text(TIMESTAMP)

    started = time.monotonic()
    done, peak = grade(root, "--language", "en")
    seconds = time.monotonic() - started
    pages = {"en": _pages(root)}
    # the next run writes the feedback again, in Chinese, and grades nobody
    shutil.rmtree(root / "feedback", ignore_errors=True)
    zh_done, _ = grade(root, "--language", "zh")
    pages["zh"] = _pages(root)
    return Graded(root, done, peak, seconds, notebook.stat().st_size, pages, zh_done)


def _pages(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): path.read_text(encoding="utf-8")
            for folder in ("reports", "feedback") for path in sorted((root / folder).rglob("*"))
            if path.is_file() and path.suffix in (".md", ".html", ".json")}


def _report(graded: Graded, language: str) -> dict:
    """{student: entry} of report.json (in its first form, or nested under "students" in a later one)."""
    report = json.loads(graded.pages[language][f"reports/{ASSIGNMENT}/report.json"])
    return report["students"] if "format" in report else report


def _feedback(student: str, suffix: str) -> str:
    return f"feedback/{student}/{ASSIGNMENT}/{ASSIGNMENT}.{suffix}"


# -- bounded output ------------------------------------------------------------------------------------------
def test_the_run_grades_everyone_and_the_flood_costs_nothing_but_its_own_cells(graded):
    assert graded.done.returncode == 0, graded.done.stderr[-3000:]
    assert graded.zh_done.returncode == 0, graded.zh_done.stderr[-3000:]
    report = _report(graded, "en")
    assert set(report) == {"honest", "amplifier", INJECTOR}
    for student in ("honest", "amplifier"):
        assert report[student]["total"] == report[student]["max"] > 0, report[student]
    lost = {name for name, entry in report[INJECTOR]["functions"].items() if entry["score"] < entry["max"]}
    assert lost == {"conv_single_step", "pool_forward", "conv_forward"}, lost  # conv_forward calls the first


def test_every_page_stays_small(graded):
    assert graded.notebook_bytes > 3_000_000  # the attack is as large as the (3.7 MB)
    for language, pages in graded.pages.items():
        sizes = {path: len(text.encode()) for path, text in pages.items()}
        assert max(sizes.values()) < MAX_PAGE_BYTES, (language, sizes)
    results = graded.root / ".autograder" / "results" / ASSIGNMENT
    assert max(path.stat().st_size for path in results.glob("*.json")) < MAX_PAGE_BYTES


def test_the_grader_memory_stays_bounded(graded):
    print(f"peak resident memory {graded.peak_mib:.0f} MiB, {graded.seconds:.0f} s")
    assert graded.peak_mib < MAX_GRADER_MIB, graded.peak_mib


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_notes_stop_at_twenty_and_say_how_many_more(graded, language):
    errors = _report(graded, language)["amplifier"]["errors"]
    assert len(errors) == MAX_NOTES + 1, len(errors)
    left_out = str(FLOOD - MAX_NOTES)
    assert left_out in errors[-1] and "cell 0:" in errors[0] and f"cell {MAX_NOTES - 1}:" in errors[MAX_NOTES - 1]
    assert all(len(error) < 500 for error in errors), max(map(len, errors))
    for suffix in ("md", "html"):
        page = graded.pages[language][_feedback("amplifier", suffix)]
        assert left_out in page and f"cell {MAX_NOTES - 1}:" in page and f"cell {MAX_NOTES}:" not in page
    summary = graded.pages[language][f"reports/{ASSIGNMENT}/summary.md"]
    assert left_out in summary


def test_bounding_notes_again_changes_nothing_and_counts_every_note_left_out():
    """The reports bound a stored result's notes again (one stored by an earlier version may hold any number)."""
    notes = [Note("problem.cell_failed", {"cell": {"kind": "added", "number": n}, "error": "E: " + "x" * 999})
             for n in range(50)]
    once = bounded_notes(notes, also_left_out=7)
    assert len(once) == MAX_NOTES + 1 and once[-1] == Note("problem.more", {"count": 30 + 7})
    assert all(len(note.values["error"]) <= MAX_TEXT for note in once[:-1])
    assert bounded_notes(once) == once
    flags = bounded_notes([Note("flag.locked_edited", {"grade_id": str(n)}) for n in range(25)])
    assert flags[-1] == Note("flag.more", {"count": 5})


# -- learner text is inert --------------------------------------------------------------------------------
def test_the_payload_reaches_the_pages(graded):
    """The test below means something only if the learner's text is on the pages to begin with."""
    for language in ("en", "zh"):
        pages = graded.pages[language]
        for path in (_feedback(INJECTOR, "md"), f"reports/{ASSIGNMENT}/summary.md"):
            assert "pwned=1" in pages[path] and "4/4 (passed)" in pages[path], (language, path)
        assert "2024-01-01" in pages[_feedback(INJECTOR, "md")]


try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None or not CHROMIUM.exists():
        if os.environ.get("CI"):
            raise RuntimeError("needs playwright (test extra) and chromium (.ci/run installs it)")
        pytest.skip("needs playwright and /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--headless", "--no-sandbox", "--disable-gpu",
                                                    "--disable-dev-shm-usage"])
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Shown:
    """What a browser made of a page: what ran, what it asked for, and its structure."""

    pwned: object
    requests: list[str]
    scripts: int
    headings: list[tuple[str, str]]
    links: list[str]
    images: list[str]
    text: str


def show(browser, html: str) -> Shown:
    """Open ``html`` in the browser, every request refused and recorded, and read what it made of it."""
    context = browser.new_context(java_script_enabled=True)
    requests: list[str] = []

    def refuse(route):
        requests.append(route.request.url)
        route.abort()

    try:
        page = context.new_page()
        page.route("**/*", refuse)
        page.set_content(html, wait_until="load")
        page.wait_for_timeout(300)  # an onerror or a fetch would have run by now
        found = page.evaluate("""() => ({
            pwned: window.__pwned === undefined ? null : window.__pwned,
            scripts: document.querySelectorAll('script').length,
            headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => [h.tagName, h.innerText]),
            links: [...document.querySelectorAll('a')].map(a => a.getAttribute('href')),
            images: [...document.querySelectorAll('img')].map(i => i.getAttribute('src').slice(0, 30)),
            text: document.body.innerText})""")
    finally:
        context.close()
    return Shown(found["pwned"], requests, found["scripts"], [tuple(h) for h in found["headings"]],
                 found["links"], found["images"], found["text"])


def rendered_markdown(markdown: str) -> str:
    """The Markdown as nbconvert renders it (mistune, raw HTML passed through), in a page."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    body = markdown2html_mistune(markdown)
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def _headings(shown: Shown) -> list[tuple[str, str]]:
    return [(tag, text.rstrip("¶").strip()) for tag, text in shown.headings]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("page", ["feedback", "summary"])
def test_learner_text_runs_nothing_fetches_nothing_and_forges_nothing(graded, browser, language, page):
    pages = graded.pages[language]
    base = _feedback(INJECTOR, "") if page == "feedback" else f"reports/{ASSIGNMENT}/summary."
    markdown, own_html = pages[base + "md"], pages[base + "html"]
    truth = show(browser, own_html)  # the grader's HTML page: it escapes, and is the page as meant
    assert truth.pwned is None and truth.scripts == 0 and truth.requests == [], truth
    assert truth.links == [] and all(src.startswith("data:image/png") for src in truth.images)
    shown = show(browser, rendered_markdown(markdown))
    assert shown.pwned is None, "a script of the learner's ran"
    assert shown.scripts == 0 and shown.requests == [], (shown.scripts, shown.requests)
    assert shown.images == [], shown.images  # the Markdown has none of its own (the chart is the HTML's)
    assert all(href.startswith("#") for href in shown.links), shown.links  # nbconvert's anchors on headings
    assert _headings(shown) == _headings(truth), (_headings(shown), _headings(truth))
    for piece in ("<script>", "4/4 (passed)", "# forged heading", LEAK + "/l", "$\\href{"):  # shown as text
        assert piece in shown.text, piece
