"""A tiny document model, rendered both as Markdown and as HTML (feedback pages and the class summary).

A document is a list of blocks: ``("h1" | "h2" | "p", [inline parts])``,
``("hint", label, text)``, ``("pre", text)``, ``("ul", [[parts], ...])``,
``("table", header, rows)`` and ``("img", base64 PNG, alternative text)``. An
inline part is text, or :class:`Code` for inline code, or :class:`Link`.

Every text is inert in both renderings: a learner's words (an exception's
message, a line of their code, a student id) reach these pages inside
sentences, and a page must show them, never obey them. HTML escapes them. In
Markdown, a viewer may allow raw HTML (nbconvert's mistune, markdown-it with
``html=True``), math (``$``, ``\\(``) and bare links, so every character that
could start Markdown, HTML or a link is escaped with a backslash (it renders
as itself), ``$`` and ``\\`` are written as inline code (math renderers, which
also read the rendered page's text, leave code alone), a newline inside a
text becomes a space (no text can start a line of its own: no heading, list
or quote), a preformatted block is fenced with more backticks than it holds,
and inline code falls back to escaped text when it holds anything but plain
characters. Everywhere, line endings become ``\\n`` and control and
bidirectional-override characters become U+FFFD (they could reorder or hide
text in a viewer or a terminal).
"""
from __future__ import annotations

import html
import re
from typing import Any, Iterable
from urllib.parse import quote

Block = tuple


class Code(str):
    """Inline code: `name` in Markdown, <code>name</code> in HTML."""


class Link(str):
    """A link whose text is its target (a file beside the page)."""


# C0 and C1 controls but tab and newline, DEL, and the characters that reorder or hide text
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029"
                          "\u2060-\u2064\u2066-\u2069\ufeff]")
_ALWAYS_ESCAPED = frozenset("`*[]<>|~&#@{}")  # code, emphasis, links, HTML, tables, entities, headings, mails
# what a math renderer reads in a page's text (MathJax: $...$, \\(...\\), \\begin{...}): shown as inline code,
# which math renderers leave alone
_AS_CODE = frozenset("$\\")
_PLAIN_CODE = re.compile(r"[\w.,:;()'/ -]+")  # what inline code may hold as it is in Markdown
_LIST_LIKE = re.compile(r"(\d{1,9})([.)])")  # "1." or "1)" would start an ordered list


def printable(text: Any) -> str:
    """``text`` with line endings as ``\\n`` and unprintable characters (see the module's docstring) as U+FFFD."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("\ufffd", text)


def markdown_text(text: Any, line_start: bool = False) -> str:
    """``text`` as Markdown that renders as exactly this text, on one line, with nothing that a viewer acts on.

    ``line_start``: the text begins a line, where ``-``, ``+``, ``=`` and ``1.`` would start a list or a
    heading's underline."""
    text = " ".join(printable(text).split("\n"))
    if line_start:
        text = text.lstrip()
    out = []
    for i, char in enumerate(text):
        if char in _AS_CODE:  # a run of them is one code span: two spans side by side would read as one
            if out and out[-1].endswith("\0"):
                out[-1] = out[-1][:-1] + char + "\0"
            else:
                out.append("\0" + char + "\0")
            continue
        if char in _ALWAYS_ESCAPED:
            escape = True
        elif char == "_":  # inside a word it never emphasizes: keep function names readable
            escape = not (0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum())
        elif char == ":":  # http://...: a bare link for viewers that link them
            escape = text.startswith("//", i + 1)
        elif char == ".":  # www.example.com: idem
            escape = text[max(0, i - 3):i].lower() == "www"
        else:
            escape = False
        out.append("\\" + char if escape else char)
    text = "".join(out).replace("\0", "`")  # NUL never remains in a text (printable() replaced it)
    if line_start:
        if text[:1] in ("-", "+", "="):
            text = "\\" + text
        found = _LIST_LIKE.match(text)
        if found:
            text = found.group(1) + "\\" + text[found.end(1):]
    return text


def fenced(text: Any) -> str:
    """A fenced code block holding ``text`` as it is: its fence is longer than any run of backticks inside."""
    text = printable(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


def _inline_md(text: Any, line_start: bool = False) -> str:
    if isinstance(text, Code):
        plain = printable(text)
        if _PLAIN_CODE.fullmatch(plain) and plain.strip() == plain:
            return f"`{plain}`"
        return markdown_text(plain, line_start)
    if isinstance(text, Link):
        return f"[{markdown_text(text)}](<{quote(printable(text), safe='/._-')}>)"
    return markdown_text(text, line_start)


def _parts_md(parts: Iterable[Any], line_start: bool = False) -> str:
    parts = [part for part in parts if str(part)]
    return "".join(_inline_md(part, line_start and i == 0) for i, part in enumerate(parts))


def _inline_html(text: Any) -> str:
    escaped = html.escape(printable(text))
    if isinstance(text, Code):
        return f"<code>{escaped}</code>"
    if isinstance(text, Link):
        return f"<a href='{html.escape(quote(printable(text), safe='/._-'), quote=True)}'>{escaped}</a>"
    return escaped


def to_markdown(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            out.append(("#" if kind == "h1" else "##") + " " + _parts_md(rest[0]))
        elif kind == "p":
            out.append(_parts_md(rest[0], line_start=True))
        elif kind == "hint":
            label, text = rest
            out.append(f"> **{markdown_text(label)}** {markdown_text(text)}")
        elif kind == "pre":
            out.append(fenced(rest[0]))
        elif kind == "ul":
            out.append("\n".join("- " + _parts_md(item, line_start=True) for item in rest[0]))
        elif kind == "table":
            header, rows = rest
            lines = ["| " + " | ".join(_inline_md(h) for h in header) + " |",
                     "| " + " | ".join("---" for _ in header) + " |"]
            lines += ["| " + " | ".join(_inline_md(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            continue  # pictures are for the HTML version; its tables say the same in Markdown
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_STYLE = ("body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
          "text-align:left;vertical-align:top}th{background:#eee}pre{background:#f6f6f6;padding:.8em;"
          "white-space:pre-wrap}.hint{background:#fff6d6;border-left:4px solid #e0b000;padding:.5em .8em}")


def to_html(title: str, blocks: Iterable[Block], language: str = "en") -> str:
    out = [f"<!DOCTYPE html>\n<html lang='{html.escape(language, quote=True)}'><head><meta charset='utf-8'>"
           f"<title>{_inline_html(title)}</title><style>{_STYLE}</style></head><body>"]
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            out.append(f"<{kind}>" + "".join(_inline_html(part) for part in rest[0]) + f"</{kind}>")
        elif kind == "p":
            out.append("<p>" + "".join(_inline_html(part) for part in rest[0]) + "</p>")
        elif kind == "hint":
            label, text = rest
            out.append(f"<p class='hint'><b>{_inline_html(label)}</b> {_inline_html(text)}</p>")
        elif kind == "pre":
            out.append(f"<pre>{_inline_html(rest[0])}</pre>")
        elif kind == "ul":
            out.append("<ul>" + "".join("<li>" + "".join(_inline_html(p) for p in item) + "</li>"
                                        for item in rest[0]) + "</ul>")
        elif kind == "table":
            header, rows = rest
            out.append("<table><tr>" + "".join(f"<th>{_inline_html(h)}</th>" for h in header) + "</tr>"
                       + "".join("<tr>" + "".join(f"<td>{_inline_html(c)}</td>" for c in row) + "</tr>"
                                 for row in rows) + "</table>")
        elif kind == "img":
            data, alt = rest
            alt = html.escape(printable(alt), quote=True)
            out.append(f"<p><img alt='{alt}' src='data:image/png;base64,{data}'></p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def number(x: float) -> str:
    return f"{x:g}"
