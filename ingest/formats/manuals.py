"""Manuals as Markdown: troff man pages (``.1``-``.9``, ``.man``) and Texinfo (``.texi``).

Operations teams keep runbooks as man pages of their own tools (``zonectl-rollback(8)``) and as
chapters of a Texinfo manual. Both are line-oriented markup:

- **man** (troff ``-man``): ``.TH`` gives the title, ``.SH`` / ``.SS`` sections and sub-sections,
  ``.PP`` / ``.LP`` / ``.P`` paragraphs, ``.TP`` a tagged item (the next line is the tag, the lines
  after its text), ``.IP 1.`` a numbered or bulleted item, ``.B`` / ``.I`` / ``.BR`` fonts, ``.nf`` /
  ``.fi`` and ``.EX`` / ``.EE`` literal blocks; ``.\\"`` comments go, ``\\-`` and ``\\fB`` escapes
  are resolved.
- **Texinfo**: ``@chapter`` / ``@section`` / ``@subsection`` (and the ``@unnumbered`` and
  ``@appendix`` forms) are headings, ``@itemize`` / ``@enumerate`` lists with ``@item``,
  ``@table`` a list of "term: text" items, ``@example`` / ``@smallexample`` / ``@verbatim`` code,
  ``@quotation Note`` a quote with its label, ``@code{}``, ``@strong{}``, ``@emph{}`` inline;
  ``@c`` comments, ``@node``, ``@menu`` and index entries go.
"""

from __future__ import annotations

import re

from ingest.formats.base import Converted, tidy

MAN_SUFFIXES = (*(f".{n}" for n in range(1, 10)), ".man")

# --- troff -man -----------------------------------------------------------------------------------

_ROFF_FONT = re.compile(r"\\f(?:[BIRP]|\(\w\w|\[\w*\])")
_ROFF_ESCAPES = (
    ("\\-", "-"),
    ("\\(em", "—"),
    ("\\(en", "–"),
    ("\\(bu", "•"),
    ("\\(aq", "'"),
    ("\\(dq", '"'),
    ("\\e", "\\"),
    ("\\&", ""),
    ("\\ ", " "),
    ("\\~", " "),
    ("\\|", ""),
    ("\\^", ""),
)
_ROFF_MACRO = re.compile(r"^\.\s*([A-Za-z]{1,3})\b\s*(.*)$")
_ROFF_FONT_MACROS = {"B": "**", "I": "*", "SB": "**", "SM": ""}
_ROFF_ALT = ("BR", "RB", "BI", "IB", "IR", "RI")


def looks_like_man(text: str) -> bool:
    head = text[:20_000]
    return bool(re.search(r"^\.TH\s", head, re.M)) and len(re.findall(r"^\.SH\s", head, re.M)) >= 2


def _roff_args(args: str) -> list[str]:
    return [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', args)]


def _roff_inline(text: str) -> str:
    text = re.sub(r"\\fB(.*?)\\f[RP]", r"**\1**", text)
    text = re.sub(r"\\fI(.*?)\\f[RP]", r"*\1*", text)
    text = _ROFF_FONT.sub("", text)
    for escape, char in _ROFF_ESCAPES:
        text = text.replace(escape, char)
    return text


def _roff_alternating(macro: str, args: list[str]) -> str:
    marks = {"B": "**", "I": "*", "R": ""}
    parts = [f"{marks[macro[i % 2]]}{a}{marks[macro[i % 2]]}" for i, a in enumerate(args)]
    return _roff_inline("".join(parts))


def man_to_markdown(text: str) -> str:
    """A man page as Markdown (see the module's note)."""
    out: list[str] = []
    tag_next = False
    literal = False
    item_open = False
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw.startswith(('.\\"', "'\\\"", '\\"')):
            continue
        macro = _ROFF_MACRO.match(raw)
        name, args = (macro.group(1), macro.group(2)) if macro else ("", raw)
        if literal:
            if name in ("fi", "EE"):
                out += ["```", ""]
                literal = False
            else:
                out.append(_roff_inline(_ROFF_FONT.sub("", raw)))
            continue
        if name == "TH":
            parts = _roff_args(args)
            title = parts[0].title() if parts else "Manual page"
            out += [f"# {title}" + (f"({parts[1]})" if len(parts) > 1 else ""), ""]
        elif name in ("SH", "SS"):
            heading = _roff_inline(" ".join(_roff_args(args))).strip()
            out += ["", f"{'##' if name == 'SH' else '###'} {heading.capitalize()}", ""]
            item_open = False
        elif name in ("PP", "LP", "P"):
            out.append("")
            item_open = False
        elif name == "TP":
            out.append("")
            tag_next, item_open = True, True
        elif name == "IP":
            parts = _roff_args(args)
            mark = parts[0] if parts else ""
            number = re.match(r"^(\d+)[.)]?$", mark)
            out += ["", f"{number.group(1)}. " if number else "- "]
            item_open = True
        elif name in ("nf", "EX"):
            out += ["", "```"]
            literal = True
        elif name in _ROFF_FONT_MACROS or name in _ROFF_ALT:
            words = _roff_args(args)
            piece = (
                _roff_alternating(name, words)
                if name in _ROFF_ALT
                else f"{_ROFF_FONT_MACROS[name]}{' '.join(words)}{_ROFF_FONT_MACROS[name]}"
            )
            _append(out, _roff_inline(piece), tag_next)
            tag_next = False
        elif name:
            continue  # .RS, .RE, .br, .sp, .in and other layout requests carry no text
        elif raw.strip():
            _append(out, _roff_inline(raw.strip()), tag_next)
            if tag_next:
                out[-1] = f"- {out[-1].lstrip('- ')}:"
            tag_next = False
        elif not item_open:
            out.append("")
    if literal:
        out.append("```")
    return tidy(_named_title("\n".join(out)))


def _named_title(markdown: str) -> str:
    """The NAME line ("zonectl-rollback - put a zone back") says more than the .TH name."""
    name = re.search(r"^## Name\n+(\S[^\n]*)\n", markdown, re.M)
    if name is None:
        return markdown
    return re.sub(r"^# .*$", lambda _: f"# {name.group(1).strip()}", markdown, count=1, flags=re.M)


def _append(out: list[str], piece: str, new_line: bool) -> None:
    """Text joins the line before (a list item or paragraph), as troff fills lines."""
    if out and out[-1].strip() and not new_line and not out[-1].startswith(("#", "```")):
        joiner = "" if out[-1].endswith(" ") else " "
        out[-1] = f"{out[-1]}{joiner}{piece}"
    elif (out and out[-1] in ("- ",)) or (out and re.fullmatch(r"\d+\. ", out[-1] or "")):
        out[-1] += piece
    else:
        out.append(piece)


def man(text: str) -> Converted:
    return Converted(man_to_markdown(text), {"format": "man"})


# --- Texinfo --------------------------------------------------------------------------------------

_TEXI_HEADINGS = {
    "top": 1,
    "chapter": 1,
    "unnumbered": 1,
    "appendix": 1,
    "majorheading": 1,
    "chapheading": 1,
    "section": 2,
    "unnumberedsec": 2,
    "appendixsec": 2,
    "heading": 2,
    "subsection": 3,
    "unnumberedsubsec": 3,
    "subheading": 3,
    "subsubsection": 4,
}
_TEXI_COMMAND = re.compile(r"^@(\w+)(?![\w{])\s*(.*)$")
_TEXI_SKIP = re.compile(r"^@(?:c|comment|node|[a-z]*index|setfilename|settitle|set|clear|include|bye)\b")
_TEXI_CODE_BLOCKS = ("example", "smallexample", "verbatim", "lisp", "display", "format")
_TEXI_INLINE = (
    (re.compile(r"@(?:code|samp|command|option|env|file|kbd|key|var)\{([^{}]*)\}"), r"`\1`"),
    (re.compile(r"@(?:strong|b)\{([^{}]*)\}"), r"**\1**"),
    (re.compile(r"@(?:emph|i|dfn|cite)\{([^{}]*)\}"), r"*\1*"),
    (re.compile(r"@(?:uref|url)\{([^{},]*)(?:,\s*([^{}]*))?\}"), r"\2 <\1>"),
    (re.compile(r"@(?:xref|pxref|ref)\{([^{},]*)[^{}]*\}"), r"\1"),
    (re.compile(r"@\w+\{([^{}]*)\}"), r"\1"),
)


def looks_like_texinfo(text: str) -> bool:
    head = text[:20_000]
    return len(re.findall(r"^@(?:node|chapter|section|itemize|enumerate|c)\b", head, re.M)) >= 3


def _texi_inline(text: str) -> str:
    for _ in range(3):  # nested braces, innermost first
        for pattern, repl in _TEXI_INLINE:
            text = pattern.sub(repl, text)
    return text.replace("@@", "@").replace("@{", "{").replace("@}", "}").replace("@dots{}", "...")


def texinfo_to_markdown(text: str) -> str:
    """A Texinfo manual as Markdown (see the module's note)."""
    out: list[str] = []
    lists: list[str] = []  # "itemize" | "enumerate" | "table", innermost last
    block = ""  # a code block or @menu/@ignore being skipped
    for raw in text.replace("\r\n", "\n").split("\n"):
        command = _TEXI_COMMAND.match(raw.strip())
        name, args = (command.group(1), command.group(2)) if command else ("", "")
        if block:
            if name == "end" and args.strip() == block:
                if block in _TEXI_CODE_BLOCKS:
                    out.append("```")
                block = ""
            elif block in _TEXI_CODE_BLOCKS:
                out.append(raw.replace("@@", "@").replace("@{", "{").replace("@}", "}"))
            continue
        if _TEXI_SKIP.match(raw.strip()):
            continue
        indent = "   " * max(0, len(lists) - 1)
        if name in _TEXI_HEADINGS:
            out += ["", f"{'#' * _TEXI_HEADINGS[name]} {_texi_inline(args)}", ""]
        elif name in _TEXI_CODE_BLOCKS:
            out += ["", "```"]
            block = name
        elif name in ("menu", "ignore", "iftex", "ifhtml", "tex", "html", "detailmenu"):
            block = name
        elif name in ("itemize", "enumerate", "table", "vtable", "ftable", "multitable"):
            lists.append("enumerate" if name == "enumerate" else "table" if "table" in name else "itemize")
            out.append("")
        elif name == "end" and args.strip() in ("itemize", "enumerate", "table", "vtable", "ftable"):
            if lists:
                lists.pop()
            out.append("")
        elif name in ("item", "itemx") and lists:
            mark = "1." if lists[-1] == "enumerate" else "-"
            term = _texi_inline(args).strip()
            if lists[-1] == "table" and term:
                out.append(f"{indent}- **{term}**:")
            else:
                out.append(f"{indent}{mark} {term}".rstrip() + (" " if not term else ""))
        elif name == "quotation":
            label = _texi_inline(args).strip()
            out += ["", f"> **{label}:**" if label else ">"]
            lists.append("quotation")
        elif name == "end" and args.strip() == "quotation":
            if lists and lists[-1] == "quotation":
                lists.pop()
            out.append("")
        elif name:
            continue  # layout commands (@page, @sp, @noindent...) carry no text
        elif lists and lists[-1] == "quotation":
            out.append(f"> {_texi_inline(raw.strip())}" if raw.strip() else ">")
        elif lists and raw.strip():
            last = out[-1] if out else ""
            if (
                re.fullmatch(r"\s*(?:-|1\.)\s?", last)
                or last.rstrip().endswith(":**:")
                or (last.strip() and not last.startswith("#"))
            ):
                out[-1] = f"{last.rstrip()} {_texi_inline(raw.strip())}"
            else:
                out.append(f"{indent}   {_texi_inline(raw.strip())}")
        else:
            out.append(_texi_inline(raw))
    if block in _TEXI_CODE_BLOCKS:
        out.append("```")
    return tidy("\n".join(out))


def texinfo(text: str) -> Converted:
    return Converted(texinfo_to_markdown(text), {"format": "texinfo"})
