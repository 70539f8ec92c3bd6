"""reStructuredText -> HTML (docutils) -> Markdown (the HTML converter).

docutils is the reference parser. It runs with file inclusion and raw passthrough off (a document
must not read other files or inject markup) and its reports silenced: Sphinx roles and directives
it does not know (``:ref:``, ``.. toctree::``) keep their text or drop out instead of failing the
file. The document title (an over- and underlined first heading) becomes the H1.
"""

from __future__ import annotations

import re

from ingest.formats.base import Converted, check_growth
from ingest.formats.html import html_to_markdown
from ingest.formats.rst_tables import mend_grid_tables
from kb.errors import DocumentError

_SETTINGS = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "report_level": 5,  # no system messages in the output
    "halt_level": 5,  # never raise on a document error
    "warning_stream": False,
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "doctitle_xform": True,
    "initial_header_level": 2,
    "embed_stylesheet": False,
    "syntax_highlight": "none",
    "math_output": "html",
    "_disable_config": True,
}
# Sphinx-only roles docutils rejects: keep their text (":ref:`Label <target>`" -> "Label").
_SPHINX_ROLE = re.compile(
    r":(?:ref|doc|term|class|func|meth|mod|attr|obj|py:\w+|envvar|option|file|"
    r"command|program|abbr|kbd|guilabel|menuselection|download|numref|any):`([^`<]*?)\s*(?:<[^>]*>)?`"
)


def convert(data: bytes, *, path: str, text: str) -> Converted:
    from docutils.core import publish_parts
    from docutils.utils import SystemMessage

    def reads_table(table: str) -> bool:
        body = publish_parts(source=table, writer="html5", settings_overrides=_SETTINGS).get("body")
        return "<table" in str(body or "")

    source = mend_grid_tables(_SPHINX_ROLE.sub(lambda m: m.group(1) or "", text), reads_table)
    try:
        parts = publish_parts(source=source, source_path=path, writer="html5", settings_overrides=_SETTINGS)
    except (SystemMessage, ValueError, AttributeError, IndexError, KeyError) as exc:
        raise DocumentError(f"reStructuredText that docutils cannot read: {exc}", path=path) from exc
    title = str(parts.get("title") or "").strip()
    html = str(parts.get("body") or "")
    if title:
        html = f"<h1>{title}</h1>\n{html}"
    markdown = html_to_markdown(html, path=path)
    return Converted(check_growth(markdown, len(data), path=path), {"format": "rst"})
