"""A tiny document model, rendered both as Markdown and as HTML (feedback pages and the class summary).

A document is a list of blocks: ``("h1" | "h2" | "p", [inline parts])``,
``("hint", label, text)``, ``("pre", text)``, ``("ul", [[parts], ...])``,
``("table", header, rows)`` and ``("img", base64 PNG, alternative text)``. An
inline part is text, or :class:`Code` for inline code, or :class:`Link`.
"""
from __future__ import annotations

import html
from typing import Any, Iterable

Block = tuple


class Code(str):
    """Inline code: `name` in Markdown, <code>name</code> in HTML."""


class Link(str):
    """A link whose text is its target (a file beside the page)."""


def _inline_md(text: Any, in_table: bool = False) -> str:
    if isinstance(text, Code):
        text = f"`{text}`"
    elif isinstance(text, Link):
        text = f"[{text}]({text})"
    else:
        text = str(text)
    if in_table:
        text = text.replace("|", "\\|").replace("\n", " ")
    return text


def _inline_html(text: Any) -> str:
    escaped = html.escape(str(text))
    if isinstance(text, Code):
        return f"<code>{escaped}</code>"
    if isinstance(text, Link):
        return f"<a href='{html.escape(str(text), quote=True)}'>{escaped}</a>"
    return escaped


def to_markdown(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            out.append(("#" if kind == "h1" else "##") + " " + "".join(_inline_md(part) for part in rest[0]))
        elif kind == "p":
            out.append("".join(_inline_md(part) for part in rest[0]))
        elif kind == "hint":
            label, text = rest
            out.append(f"> **{label}** {text}")
        elif kind == "pre":
            out.append("```\n" + rest[0].replace("```", "` ` `") + "\n```")
        elif kind == "ul":
            out.append("\n".join("- " + "".join(_inline_md(part) for part in item) for item in rest[0]))
        elif kind == "table":
            header, rows = rest
            lines = ["| " + " | ".join(_inline_md(h, True) for h in header) + " |",
                     "| " + " | ".join("---" for _ in header) + " |"]
            lines += ["| " + " | ".join(_inline_md(c, True) for c in row) + " |" for row in rows]
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
           f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"]
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            out.append(f"<{kind}>" + "".join(_inline_html(part) for part in rest[0]) + f"</{kind}>")
        elif kind == "p":
            out.append("<p>" + "".join(_inline_html(part) for part in rest[0]) + "</p>")
        elif kind == "hint":
            label, text = rest
            out.append(f"<p class='hint'><b>{html.escape(label)}</b> {html.escape(text)}</p>")
        elif kind == "pre":
            out.append(f"<pre>{html.escape(rest[0])}</pre>")
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
            out.append(f"<p><img alt='{html.escape(alt, quote=True)}' src='data:image/png;base64,{data}'></p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def number(x: float) -> str:
    return f"{x:g}"
