"""Documents in other formats than Markdown, converted to the Markdown the parser reads.

One module per format (``html``, ``docx``, ``rst``, ``asciidoc``, ``jira``, ``github``, ``org``,
``incident_tools``, ``archive``, ``xml_exports``, ``notebook``, ``wiki_markup``, ``manuals``,
``register_yaml``, ``doc_comments``...), one registry here. :func:`sources` turns one file's bytes into the
documents it holds: usually one, several for an archive (Notion export, a zip of pages) or a JSON
list (GitHub issues, a Jira search result), each with its own stored path (``export.zip/Team/Page.md``,
``issues.json#42``) and its own bytes, so each is hashed, skipped when unchanged and failed alone.
:func:`convert` turns one of them into :class:`Converted` Markdown.

The format is found from the content first (a zip's magic bytes, JSON, an HTML tag, the title
underlines of reStructuredText, AsciiDoc's ``==`` sections, Jira's ``h1.``), then from the
file's extension: an HTML page saved as ``.txt`` is read as HTML.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from ingest.budget import check
from ingest.formats.base import Converted, decode_text, strip_ids
from ingest.formats.manuals import MAN_SUFFIXES
from kb.errors import DocumentError

# Extensions read as another format than Markdown; ".txt" and names without one are sniffed.
SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".rst": "rst",
    ".rest": "rst",
    ".adoc": "asciidoc",
    ".asciidoc": "asciidoc",
    ".json": "json",
    ".zip": "zip",
    ".txt": "text",
    ".text": "text",
    ".wiki": "jira-wiki",
    ".jira": "jira-wiki",
    ".org": "org",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".tex": "latex",
    ".csv": "csv-table",
    ".xml": "xml",
    ".ipynb": "notebook",
    ".mediawiki": "mediawiki",
    ".textile": "jira-wiki",
    ".texi": "texinfo",
    ".texinfo": "texinfo",
    ".eml": "email",
}
# Plain text whose section lines (capitals, "Label:", underlines) become headings, when it has
# no Markdown heading; a file without an extension stays Markdown (README, NOTES).
_PLAIN_SUFFIXES = (".txt", ".text")
# Markdown and its dialects: MDX, Quarto (.qmd) and R Markdown (.rmd) documents are Markdown with
# YAML front matter and executable code cells (fenced blocks the parser reads as code), and a
# Middleman template (.md.erb) is Markdown until its ERB tags.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".qmd", ".rmd", ".md.erb")
# A .docx carries its images and a Notion export its attachments: these may exceed the per-file
# limit for text (KB_MAX_FILE_BYTES); their text members are held to it one by one.
MAX_CONTAINER_BYTES = 64 * 1024 * 1024
MAX_JSON_DOCUMENTS = 5_000
FORMATS = (
    "html",
    "docx",
    "rst",
    "asciidoc",
    "jira",
    "jira-wiki",
    "jira-xml",
    "notebook",
    "mediawiki",
    "dokuwiki",
    "man",
    "texinfo",
    "confluence-storage",
    "org",
    "ssm-automation",
    "adr-register",
    "script",
    "doc-comments",
    "github-issue",
    "incidentio",
    "firehydrant",
    "rootly",
    "notion",
    "markdown",
    "csv",
    "board-csv",
    "latex",
    "ansible-playbook",
    "text",
    "email",
)


@dataclass(slots=True)
class Source:
    """One document found in a file: stored path, bytes (hashed for re-ingest), format or a reason."""

    rel: str
    data: bytes
    format: str = ""  # one of FORMATS; "" with ``skip`` or ``error`` set
    skip: str | None = None  # not a document (unknown JSON, an image in an archive): skipped, why
    error: str | None = None  # a broken or refused file: failed, why
    value: Any = None  # parsed JSON of a JSON document, kept from splitting

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def suffix_of(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


# A CSV database of an unzipped Notion export ("Action items 3f9a...e7f8.csv"); other CSV files
# (data, fixtures) are not documents.
_NOTION_CSV = re.compile(r"\b[0-9a-f]{32}\.csv$", re.I)


def handles(name: str) -> bool:
    """Whether a file of this name is read by this package (not as plain Markdown)."""
    from ingest.formats import doc_comments, script_comments

    return (
        suffix_of(name) in SUFFIXES
        or bool(_NOTION_CSV.search(name))
        or script_comments.is_script_name(name)
        or doc_comments.is_source_name(name)
        or _is_man_name(name)
    )


def _is_man_name(name: str) -> bool:
    """ "zonectl-rollback.8", not a rotated log ("app.log.1") or a numbered copy ("2026.1")."""
    path = PurePosixPath(name.lower())
    return path.suffix in MAN_SUFFIXES and "." not in path.stem and any(c.isalpha() for c in path.stem)


def _is_word(data: bytes) -> bool:
    """A zip whose central directory lists word/document.xml (it may sit after the images)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        return False


# --- detection by content -----------------------------------------------------------------------

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b)", re.I | re.S
)
_HTML_BLOCK = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|table|section|article)\b[^>]*>.*?</(?:p|div|h[1-6]|ul|ol|table|"
    r"section|article)>",
    re.I | re.S,
)
_RST_ADORN = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")
_RST_SIGNS = re.compile(
    r"^\.\. (?:[\w-]+::|_[\w -]+:|\[)|^\s*:[\w -]+:\s|``[^`]+``|::\s*$|`[^`]+`_(?!\w)", re.M
)
_ADOC_SECTION = re.compile(r"^={1,5} \S", re.M)
_ADOC_SIGNS = re.compile(
    r"^:[\w-]+:|^\[(?:source|NOTE|WARNING|TIP|IMPORTANT|CAUTION|\[)|^(?:NOTE|TIP|WARNING):\s|"
    r"^\|===\s*$|^(?:xref|include|image)::?|<<[\w-]+(?:,[^>]*)?>>",
    re.M,
)
_MD_HEADING = re.compile(r"^#{1,6} \S", re.M)
# a speaker line of a chat copied as text ("Nadia Petrov  09:41", "kwame [10:02 AM]"): its emoji
# shortcodes at a line's start (":memo: Retro ...") would read as reStructuredText fields
_CHAT_SPEAKER = re.compile(
    r"^[A-Za-z][\w.'-]*(?: [A-Za-z][\w.'-]*){0,3}\s+\[?\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?\]?\s*$", re.M
)
_WIKI_HEADING = re.compile(r"^h[1-6]\.\s+\S", re.M)
_WIKI_SIGNS = re.compile(
    r"^h[1-6]\.\s|^\{(?:code|noformat|panel|info|note|warning)(?::[^}]*)?\}|^\|\|.*\|\|\s*$", re.M
)


def _rst_score(text: str) -> int:
    lines = text.split("\n")
    score = 0
    for i, line in enumerate(lines[1:], start=1):
        m = _RST_ADORN.match(line)
        prev = lines[i - 1].strip()
        if m and prev and not _RST_ADORN.match(prev) and len(line.strip()) >= len(prev):
            score += 2 if m.group(1) not in "=-" else 1
            if i >= 2 and lines[i - 2].strip() == line.strip():
                score += 2  # over- and underlined: only reStructuredText does that
    return score + 2 * len(_RST_SIGNS.findall(text[:20_000]))


def sniff_text(text: str) -> str | None:
    """The format of a text by its content: json, html, rst, asciidoc, jira-wiki, or None (Markdown)."""
    head = text[:20_000].lstrip("\ufeff")
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        return "json"
    body = head
    if head.startswith("---\n"):  # a Jekyll page: HTML under YAML front matter
        end = head.find("\n---", 4)
        body = head[end + 4 :] if end > 0 else head
    if _HTML_START.match(body) or (body.lstrip().startswith("<") and len(_HTML_BLOCK.findall(body)) >= 2):
        return "html"
    if _WIKI_HEADING.search(head) and len(_WIKI_SIGNS.findall(head)) >= 2:
        return "jira-wiki"  # before the Markdown check: "# item" is a numbered list item in wiki markup
    if _MD_HEADING.search(head):
        return None  # Markdown headings: the other formats have none
    if len(_CHAT_SPEAKER.findall(head)) >= 3:
        return None  # a chat thread: plain text
    adoc = 2 * len(_ADOC_SECTION.findall(head)) + len(_ADOC_SIGNS.findall(head))
    rst = _rst_score(head)
    if adoc >= 3 and adoc > rst:
        return "asciidoc"
    if rst >= 4:
        return "rst"
    return None


def detect(name: str, data: bytes) -> str:
    """docx | zip | json | html | rst | asciidoc | jira-wiki | markdown for a file's name and bytes."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx" if suffix_of(name) == ".docx" or _is_word(data) else "zip"
    if _NOTION_CSV.search(name):
        return "csv"
    from ingest.formats import script_comments

    if script_comments.is_script_name(name):
        return "script"
    from ingest.formats import doc_comments

    if doc_comments.is_source_name(name):
        return "doc-comments"
    by_suffix = SUFFIXES.get(suffix_of(name), "text")
    if by_suffix in ("docx", "zip"):
        return by_suffix  # the magic bytes are missing: the converter says why it cannot read it
    if by_suffix == "jira-wiki" and suffix_of(name) == ".wiki":
        from ingest.formats import wiki_markup

        head = data[:20_000].decode("utf-8", "replace")
        if wiki_markup.looks_like_mediawiki(head) and not _WIKI_HEADING.search(head):
            return "mediawiki"  # ".wiki" is also MediaWiki's source: its headings are "== x =="
    if by_suffix not in ("text", "json"):
        return by_suffix
    try:
        text = decode_text(data[:20_000], path=name, what="file")
    except DocumentError:
        return by_suffix if by_suffix == "json" else "markdown"
    found = sniff_text(text)
    if by_suffix == "json":
        return "json"
    if _is_man_name(name):
        from ingest.formats import manuals

        if manuals.looks_like_man(text):
            return "man"
    if found in (None, "asciidoc") and suffix_of(name) in _PLAIN_SUFFIXES:
        from ingest.formats import wiki_markup

        if wiki_markup.looks_like_dokuwiki(text):  # its "====== Title ======" reads as AsciiDoc
            return "dokuwiki"
    if found is None and suffix_of(name) in _PLAIN_SUFFIXES:
        from ingest.formats import org, plain_text, wiki_markup

        if org.looks_like_org(text):
            return "org"
        if wiki_markup.looks_like_mediawiki(text):
            return "mediawiki"

        return "text" if plain_text.is_plain(text) else "markdown"
    return found or "markdown"


# --- splitting a file into documents ------------------------------------------------------------


def _json_documents(rel: str, data: bytes) -> list[Source]:
    from ingest.formats import github, incident_tools, jira

    try:
        value = json.loads(decode_text(data, path=rel, what="JSON file"))
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return [Source(rel, data, error=f"not valid JSON: {why}{where}")]
    except DocumentError as exc:
        return [Source(rel, data, error=exc.message)]
    items: list[Any]
    if isinstance(value, dict) and isinstance(value.get("issues"), list):
        items = value["issues"]  # a Jira search result
    elif isinstance(value, dict) and isinstance(value.get("incidents"), list):
        items = value["incidents"]  # incident.io's list of incidents
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    if len(items) > MAX_JSON_DOCUMENTS:
        return [
            Source(rel, data, error=f"{len(items):,} documents in one JSON file, over {MAX_JSON_DOCUMENTS:,}")
        ]
    known = [jira.is_issue(i) or github.is_issue(i) or bool(incident_tools.tool_of(i)) for i in items]
    if not any(known):  # a data file, not an export: one reason, not one per element
        return [
            Source(
                rel,
                b"",
                skip="JSON of no known export shape (Jira issue, GitHub issue, incident.io, "
                "FireHydrant, Rootly)",
            )
        ]
    out: list[Source] = []
    for index, item in enumerate(items):
        check()
        fmt = ""
        key: Any = index + 1
        if jira.is_issue(item):
            fmt, key = "jira", item.get("key") or key
        elif github.is_issue(item):
            fmt, key = "github-issue", item.get("number") or key
        elif tool := incident_tools.tool_of(item):
            fmt = tool
            inner = item.get("incident") if isinstance(item.get("incident"), dict) else item
            key = inner.get("reference") or inner.get("id") or key
        if not fmt:
            out.append(
                Source(
                    rel if len(items) == 1 else f"{rel}#{key}",
                    b"",
                    skip="JSON of no known export shape (Jira issue, GitHub issue, incident.io, "
                    "FireHydrant, Rootly)",
                )
            )
            continue
        part = rel if len(items) == 1 else f"{rel}#{str(key).replace('/', '-')}"
        raw = data if len(items) == 1 else json.dumps(item, sort_keys=True, ensure_ascii=False).encode()
        out.append(Source(part, raw, format=fmt, value=item))
    return out


def _yaml_document(rel: str, data: bytes) -> Source:
    """A YAML file is a document only in a known shape (an automation runbook); other YAML
    (pipelines, manifests, settings) is configuration, skipped with one reason."""
    from ingest.budget import load_yaml
    from ingest.formats import automation_yaml

    try:
        text = decode_text(data, path=rel, what="YAML file")
        value = load_yaml(text, path=rel)
    except (DocumentError, yaml.YAMLError):
        text, value = "", None
    if automation_yaml.is_automation(value):
        return Source(rel, data, format="ssm-automation")
    from ingest.formats import register_yaml

    if register_yaml.is_register_entry(value):
        return Source(rel, data, format="adr-register", value=value)
    from ingest.formats import playbook

    if playbook.is_playbook(value):
        if playbook.is_runbook(text):
            return Source(rel, data, format="ansible-playbook")
        return Source(rel, b"", skip="an Ansible playbook whose comments and task names are not a runbook")
    return Source(
        rel,
        b"",
        skip="YAML of no known document shape (AWS Systems Manager automation, Ansible playbook, "
        "ADR register entry)",
    )


def _document_if(
    rel: str, data: bytes, *, what: str, accepts: Callable[[str], bool], fmt: str, skip: str
) -> Source:
    """A text file that is a document only in one shape (``accepts``); any other is skipped with
    one reason, and text that cannot be decoded fails with its own."""
    try:
        text = decode_text(data, path=rel, what=what)
    except DocumentError as exc:
        return Source(rel, data, error=exc.message)
    if accepts(text):
        return Source(rel, data, format=fmt)
    return Source(rel, b"", skip=skip)


def _xml_document(rel: str, data: bytes) -> Source:
    """An XML file is a document only as a Jira XML export or a Confluence page in storage
    format; other XML (build files, feeds, data) is skipped with one reason."""
    from ingest.formats import xml_exports

    try:
        text = decode_text(data, path=rel, what="XML file")
    except DocumentError as exc:
        return Source(rel, data, error=exc.message)
    kind = xml_exports.kind_of(text)
    if kind is None:
        return Source(
            rel, b"", skip="XML of no known document shape (Jira XML export, Confluence storage format)"
        )
    return Source(rel, data, format=kind)


def _csv_document(rel: str, data: bytes) -> Source:
    """A CSV file is a document only when its header names a board's cards (a retro board's
    export); other CSV (data, fixtures) is skipped with one reason."""
    from ingest.formats import board_csv

    return _document_if(
        rel,
        data,
        what="CSV file",
        accepts=board_csv.is_board,
        fmt="board-csv",
        skip="CSV whose columns name no cards, lessons or actions (a data file)",
    )


def _script_document(rel: str, data: bytes) -> Source:
    """A script is a document only when its comments are a runbook's prose; other scripts (build
    files, tools) are code, skipped with one reason."""
    from ingest.formats import script_comments

    return _document_if(
        rel,
        data,
        what="script",
        accepts=script_comments.is_runbook,
        fmt="script",
        skip="a script whose comments are not a runbook (too little prose)",
    )


def _archive_documents(rel: str, data: bytes, *, max_bytes: int) -> list[Source]:
    from ingest.formats.archive import is_notion, members

    try:
        found = members(data, path=rel)
    except DocumentError as exc:
        return [Source(rel, b"", error=exc.message)]
    notion = is_notion([m.original for m in found]) or is_notion([rel])
    out: list[Source] = []
    for m in found:
        member_rel = f"{rel}/{m.name}"
        low = m.name.lower()
        if len(m.data) > max_bytes and not low.endswith(".docx"):
            if low.endswith((*MARKDOWN_SUFFIXES, *SUFFIXES, ".csv")):
                out.append(
                    Source(
                        member_rel,
                        b"",
                        error=(f"archive member is {len(m.data):,} bytes, over the {max_bytes:,}-byte limit"),
                    )
                )
            continue
        if low.endswith(MARKDOWN_SUFFIXES):
            out.append(Source(member_rel, m.data, format="notion" if notion else "markdown"))
        elif low.endswith(".csv"):
            out.append(Source(member_rel, m.data, format="csv"))
        elif handles(low) and not low.endswith(".zip"):
            out += sources(member_rel, m.data, max_bytes=max_bytes, nested=True)
        # images, PDFs and other attachments of an export are not documents: left out quietly
    if not out:
        return [Source(rel, b"", skip="the archive holds no document (Markdown, HTML, Word, CSV...)")]
    return out


def sources(rel: str, data: bytes, *, max_bytes: int, nested: bool = False) -> list[Source]:
    """The documents in one file's bytes (see the module's note)."""
    fmt = detect(rel, data)
    if fmt == "zip":
        if nested:
            return [Source(rel, b"", skip="a zip inside an archive is opened with its archive")]
        return _archive_documents(rel, data, max_bytes=max_bytes)
    if fmt != "docx" and len(data) > max_bytes:
        return [Source(rel, b"", error=f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")]
    if fmt == "json":
        return _json_documents(rel, data)
    if fmt == "yaml":
        return [_yaml_document(rel, data)]
    if fmt == "script":
        return [_script_document(rel, data)]
    if fmt == "doc-comments":
        from ingest.formats import doc_comments

        return [
            _document_if(
                rel,
                data,
                what="source file",
                accepts=doc_comments.is_document,
                fmt="doc-comments",
                skip="a source file whose comments are not a document (too little prose)",
            )
        ]
    if fmt == "csv-table":
        return [_csv_document(rel, data)]
    if fmt == "xml":
        return [_xml_document(rel, data)]
    return [Source(rel, data, format=fmt)]


def stored_name(rel: str) -> str:
    """The path a document is stored under: Notion's page ids dropped from every part."""
    return "/".join(strip_ids(p) for p in rel.split("/"))


# --- conversion ---------------------------------------------------------------------------------


def convert(source: Source) -> Converted:
    """The Markdown of one document, or DocumentError saying why it cannot be read."""
    fmt, rel, data = source.format, source.rel, source.data
    try:
        return _convert(fmt, rel, data, source.value)
    except RecursionError:
        raise DocumentError("the document is nested too deeply to convert", path=rel) from None


def _convert(fmt: str, rel: str, data: bytes, value: Any) -> Converted:
    from ingest.formats import archive

    if fmt == "docx":
        from ingest.formats import docx

        return docx.convert(data, path=rel)
    if fmt in ("jira", "github-issue", "incidentio", "firehydrant", "rootly"):
        if value is None:
            value = json.loads(decode_text(data, path=rel, what="JSON file"))
        if fmt == "jira":
            from ingest.formats import jira

            return jira.issue_to_markdown(value, path=rel)
        if fmt == "github-issue":
            from ingest.formats import github

            return github.issue_to_markdown(value, path=rel)
        from ingest.formats import incident_tools

        return incident_tools.convert(value, tool=fmt, path=rel)
    text = decode_text(data, path=rel, what="file")
    if fmt == "html":
        from ingest.formats import html

        return html.convert(data, path=rel, text=text)
    if fmt in ("man", "texinfo"):
        from ingest.formats import manuals

        return manuals.man(text) if fmt == "man" else manuals.texinfo(text)
    if fmt in ("mediawiki", "dokuwiki"):
        from ingest.formats import wiki_markup

        return wiki_markup.mediawiki(text) if fmt == "mediawiki" else wiki_markup.dokuwiki(text)
    if fmt == "notebook":
        from ingest.formats import notebook

        return notebook.convert(data, path=rel, text=text)
    if fmt in ("jira-xml", "confluence-storage"):
        from ingest.formats import xml_exports

        read = xml_exports.jira_xml if fmt == "jira-xml" else xml_exports.confluence_storage
        return read(data, path=rel, text=text)
    if fmt == "rst":
        from ingest.formats import rst

        return rst.convert(data, path=rel, text=text)
    if fmt == "asciidoc":
        from ingest.formats import asciidoc

        return asciidoc.convert(data, path=rel, text=text)
    if fmt == "jira-wiki":
        from ingest.formats import jira

        return jira.wiki_document(text)
    if fmt == "csv":
        title = strip_ids(PurePosixPath(rel).stem)
        return Converted(archive.csv_to_markdown(text, title=title, path=rel), {"format": "notion-csv"})
    if fmt == "org":
        from ingest.formats import org

        return org.convert(text)
    if fmt == "adr-register":
        from ingest.budget import load_yaml
        from ingest.formats import register_yaml

        if value is None:
            value = load_yaml(text, path=rel)
        return register_yaml.convert(value)
    if fmt == "ssm-automation":
        from ingest.formats import automation_yaml

        return automation_yaml.convert(text)
    if fmt == "script":
        from ingest.formats import script_comments

        return script_comments.convert(text)
    if fmt == "doc-comments":
        from ingest.formats import doc_comments

        return doc_comments.convert(text)
    if fmt == "ansible-playbook":
        from ingest.formats import playbook

        return playbook.convert(text)
    if fmt == "latex":
        from ingest.formats import latex

        return latex.convert(text)
    if fmt == "board-csv":
        from ingest.formats import board_csv

        return board_csv.convert(text, title=strip_ids(PurePosixPath(rel).stem))
    if fmt == "email":
        from ingest.formats import mail

        return mail.convert(text)
    if fmt == "text":
        from ingest.formats import plain_text

        return plain_text.convert(text)
    if fmt == "notion":
        return Converted(archive.notion_markdown(text), {"format": "notion", "line_basis": "source"})
    return Converted(text, {"format": "markdown"} if "/" in rel and ".zip/" in rel else {})


__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Converted",
    "Source",
    "convert",
    "detect",
    "handles",
    "sniff_text",
    "sources",
]
