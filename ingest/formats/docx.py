"""Word (.docx) -> HTML (mammoth) -> Markdown (the HTML converter).

mammoth maps paragraph styles to HTML: the built-in "Heading 1".."Heading 6" and "Title" become
headings, and so do the localised and custom names teams use ("Überschrift 1", "Titre 1", "PM
Heading 2"...) through the style map below. Word's own task checkboxes and action-item tables
reach the HTML converter as ``[ ]`` text and tables. The archive is checked (sizes, ratio) before
mammoth opens it: a .docx is a zip.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from ingest.formats.archive import check_zip
from ingest.formats.base import Converted, check_growth, one_line
from ingest.formats.html import html_to_markdown
from kb.errors import DocumentError

_STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => p:fresh",
        *(
            f"p[style-name='{name} {n}'] => h{n}:fresh"
            for n in range(1, 7)
            for name in ("heading", "Heading", "Überschrift", "Titre", "Título", "Kop", "Rubrik")
        ),
    ]
)
_CORE_FIELD = re.compile(r"<(dc:title|dcterms:created|dc:subject|cp:keywords)[^>]*>([^<]*)<", re.S)


def _core_properties(archive: zipfile.ZipFile) -> dict[str, Any]:
    """Title, creation date and keywords from docProps/core.xml, when the author set them."""
    try:
        xml = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except KeyError:
        return {}
    found = {m.group(1): one_line(m.group(2)) for m in _CORE_FIELD.finditer(xml) if m.group(2).strip()}
    fields: dict[str, Any] = {}
    if found.get("dc:title"):
        fields["title"] = found["dc:title"]
    if found.get("dcterms:created"):
        fields["date"] = found["dcterms:created"][:10]
    if found.get("cp:keywords"):
        fields["tags"] = [k.strip() for k in re.split(r"[,;]", found["cp:keywords"]) if k.strip()]
    return fields


def convert(data: bytes, *, path: str) -> Converted:
    import mammoth

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as exc:
        raise DocumentError(f"not a Word document (.docx): {exc}", path=path) from exc
    try:
        with archive:
            check_zip(archive, path=path)
            if "word/document.xml" not in archive.namelist():
                raise DocumentError("not a Word document (.docx): no word/document.xml inside", path=path)
            fields = _core_properties(archive)
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP)
    except DocumentError:
        raise
    except Exception as exc:  # a damaged file fails inside zipfile, zlib or mammoth's XML reader
        raise DocumentError(
            f"cannot read the Word document: {exc.__class__.__name__}: {exc}", path=path
        ) from exc
    html = str(result.value)
    if not html.strip():
        raise DocumentError("the Word document has no text", path=path)
    title = fields.pop("title", None)
    markdown = html_to_markdown(html, path=path, extra=fields)
    if title and not re.search(r"^# ", markdown, re.M):
        # a title only in the document's properties: the H1 the parser takes as the title
        _head, sep, rest = markdown.partition("---\n") if markdown.startswith("---\n") else ("", "", markdown)
        if sep:
            fm, _sep2, body = rest.partition("---\n")
            markdown = f"---\n{fm}---\n# {title}\n\n{body}"
        else:
            markdown = f"# {title}\n\n{markdown}"
    return Converted(check_growth(markdown, len(data) * 4, path=path), {"format": "docx"})
