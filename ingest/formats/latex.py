"""A report written in LaTeX (``.tex``) as Markdown.

Reports kept by research and engineering groups are sometimes typeset: the title is in the
preamble (``\\title{...}``), sections are ``\\section``/``\\subsection`` commands, lessons are the
items of an ``itemize`` or ``enumerate`` list and action plans a ``tabular`` whose first column
may be a ticked or empty box (``$\\boxtimes$``/``$\\square$``, ☒/☐, often through a macro the
preamble defines, such as ``\\newcommand{\\done}{$\\boxtimes$}``).

Sectioning commands become headings, list items list items, a table whose rows open with a box
becomes a task list (the other cells after the task, as "Owner: ..."), any other table a Markdown
table; inline markup (``\\texttt``, ``\\emph``, ``~``, ``\\%``) becomes text. Figures, captions,
labels and the preamble's other commands are left out.
"""

from __future__ import annotations

import re

from ingest.budget import check
from ingest.formats.base import Converted

_COMMENT = re.compile(r"(?<!\\)%.*$", re.M)
_NEWCOMMAND = re.compile(r"\\(?:re)?newcommand\*?\{?(\\[A-Za-z]+)\}?\{((?:[^{}]|\{[^{}]*\})*)\}")
_TITLE = re.compile(r"\\title\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", re.S)
_BEGIN_DOCUMENT = re.compile(r"\\begin\{document\}")
_END_DOCUMENT = re.compile(r"\\end\{document\}")
_SECTION = re.compile(r"^\s*\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\{(.*)\}\s*$")
_LEVEL = {"part": 2, "chapter": 2, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5}
_BEGIN = re.compile(r"^\s*\\begin\{(\w+\*?)\}(?:\[[^\]]*\])?(?:\{(?:[^{}]|\{[^{}]*\})*\})?\s*(.*)$")
_END = re.compile(r"^\s*\\end\{(\w+\*?)\}\s*$")
_ITEM = re.compile(r"^\s*\\item(?:\[([^\]]*)\])?\s*(.*)$")
_LISTS = ("itemize", "enumerate", "description")
_TABLES = ("tabular", "tabular*", "tabularx", "longtable", "tabu")
# environments whose text is kept as paragraphs; any other (figure, center, table) is a wrapper
_HEADED = {"abstract": "Abstract"}
_DROP_LINE = re.compile(
    r"^\s*\\(?:maketitle|tableofcontents|centering|caption|label|toprule|midrule|bottomrule|hline|"
    r"cline|cmidrule|vspace|hspace|newpage|clearpage|includegraphics|bibliography\w*|noindent)\b"
)
_DONE_BOX = re.compile(r"^\s*(?:\$?\\(?:boxtimes|checkmark|CheckedBox|XBox)\$?|☒|☑|✓|✔|\[x\])\s*$", re.I)
_OPEN_BOX = re.compile(r"^\s*(?:\$?\\(?:square|Box)\$?|☐|\[\s?\])\s*$")
_SIGNS = re.compile(r"\\documentclass|\\begin\{document\}|\\section\*?\{")


def looks_like_latex(text: str) -> bool:
    return bool(_SIGNS.search(text))


def _macros(preamble: str) -> dict[str, str]:
    """Macros without arguments the preamble defines (``\\newcommand{\\done}{$\\boxtimes$}``)."""
    return {m.group(1): m.group(2) for m in _NEWCOMMAND.finditer(preamble) if "#" not in m.group(2)}


def _expand(text: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        text = re.sub(re.escape(name) + r"(?![A-Za-z])(?:\{\})?", value.replace("\\", "\\\\"), text)
    return text


_INLINE = (
    (re.compile(r"\\(?:texttt|verb)\{([^{}]*)\}"), r"`\1`"),
    (re.compile(r"\\textbf\{([^{}]*)\}"), r"**\1**"),
    (re.compile(r"\\(?:emph|textit|textsl)\{([^{}]*)\}"), r"*\1*"),
    (re.compile(r"\\href\{[^{}]*\}\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\(?:url|mbox|text|textrm|textsc|small|footnotesize|large|Large)\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\(?:label|ref|cite|pageref|footnote)\{[^{}]*\}"), ""),
    (re.compile(r"\\(?:small|footnotesize|large|Large|normalsize|bfseries|itshape)\b\s*"), ""),
)
_ESCAPES = (("\\%", "%"), ("\\_", "_"), ("\\&", "&"), ("\\#", "#"), ("\\$", "$"), ("\\,", " "))


def inline(text: str) -> str:
    """LaTeX inline markup as Markdown text."""
    for _ in range(3):  # nested commands, innermost first
        for pattern, repl in _INLINE:
            text = pattern.sub(repl, text)
    text = re.sub(r"(?<=\s)---?(?=\s)", "—", text)
    text = re.sub(r"(?<=\d)--(?=\d)", "–", text).replace("\\\\", " ")
    for old, new in _ESCAPES:
        text = text.replace(old, new)
    text = re.sub(r"(?<!\\)~", " ", text)
    text = re.sub(r"\\@|\\/", "", text)
    text = re.sub(r"\$([^$]*)\$", r"\1", text)
    return " ".join(text.split())


def _box(cell: str) -> str | None:
    if _DONE_BOX.match(cell):
        return "x"
    if _OPEN_BOX.match(cell):
        return " "
    return None


def _table(rows: list[str]) -> list[str]:
    """A tabular's rows: a task list when rows open with a box, else a Markdown table."""
    cells = [[c.strip() for c in re.split(r"(?<!\\)&", r)] for r in rows]
    cells = [r for r in cells if any(c for c in r)]
    if not cells:
        return []
    boxed = [r for r in cells if _box(r[0]) is not None]
    head = cells[0] if _box(cells[0][0]) is None else []
    if boxed and len(boxed) >= len(cells) - 1:
        names = [inline(h) for h in head[1:]] if head else []
        out = []
        for r in boxed:
            rest = [inline(c) for c in r[1:]]
            task, extra = (rest[0] if rest else ""), rest[1:]
            labels = names[1:] if len(names) == len(rest) else []
            details = [f"{labels[i]}: {v}" if labels else v for i, v in enumerate(extra) if v]
            tail = f" ({'; '.join(details)})" if details else ""
            out.append(f"- [{_box(r[0])}] {task}{tail}")
        return out
    width = max(len(r) for r in cells)
    md = [[inline(c).replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in cells]
    return ["| " + " | ".join(md[0]) + " |", "|" + " --- |" * width] + [
        "| " + " | ".join(r) + " |" for r in md[1:]
    ]


def to_markdown(text: str) -> str:
    text = _COMMENT.sub("", text.replace("\r\n", "\n"))
    begin = _BEGIN_DOCUMENT.search(text)
    preamble, body = (text[: begin.start()], text[begin.end() :]) if begin else ("", text)
    end = _END_DOCUMENT.search(body)
    body = body[: end.start()] if end else body
    macros = _macros(preamble)
    body = _expand(body, macros)
    out: list[str] = []
    title = _TITLE.search(preamble)
    if title:
        out += [f"# {inline(title.group(1).replace(chr(92) * 2, ': ').replace('::', ':'))}", ""]
    lists: list[str] = []  # the open list environments, innermost last
    table: list[str] | None = None
    pending = ""
    for line in body.split("\n"):
        check()
        if table is not None:
            closing = _END.match(line)
            if closing and closing.group(1) in _TABLES:
                rows = re.split(r"\\\\", pending + " " + " ".join(table))
                out += ["", *_table([r for r in rows if not _DROP_LINE.match(r)]), ""]
                table, pending = None, ""
            elif not _DROP_LINE.match(line):
                table.append(re.sub(r"\\(?:toprule|midrule|bottomrule|hline|cmidrule\{[^}]*\})", "", line))
            continue
        section = _SECTION.match(line)
        begin_env = _BEGIN.match(line)
        end_env = _END.match(line)
        item = _ITEM.match(line)
        if section:
            out += ["", f"{'#' * _LEVEL[section.group(1)]} {inline(section.group(2))}", ""]
        elif begin_env and begin_env.group(1) in _TABLES:
            table, pending = [], begin_env.group(2) if not begin_env.group(2).startswith("{") else ""
        elif begin_env and begin_env.group(1) in _LISTS:
            lists.append(begin_env.group(1))
            out.append("")
        elif begin_env:
            if begin_env.group(1) in _HEADED:
                out += ["", f"## {_HEADED[begin_env.group(1)]}", ""]
            if begin_env.group(2).strip():
                out.append(inline(begin_env.group(2)))
        elif end_env:
            if end_env.group(1) in _LISTS and lists:
                lists.pop()
            out.append("")
        elif item and lists:
            indent = "   " * (len(lists) - 1)
            label = f"**{inline(item.group(1))}** " if item.group(1) and lists[-1] == "description" else ""
            mark = "1." if lists[-1] == "enumerate" else "-"
            out.append(f"{indent}{mark} {label}{inline(item.group(2))}")
        elif _DROP_LINE.match(line):
            continue
        elif lists and line.strip() and out and out[-1].strip():
            out[-1] += " " + inline(line)
        else:
            out.append(inline(line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def convert(text: str) -> Converted:
    return Converted(to_markdown(text), {"format": "latex"})
