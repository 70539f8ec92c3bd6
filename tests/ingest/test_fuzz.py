"""Hypothesis fuzzing of the parts that read untrusted text: front matter, the Markdown parser,
the diff parser, document bytes, and the check for text no database keeps.

Every input either parses or fails with the tool's own error (InputError / DocumentError); any
other exception is a bug. Examples are bounded and derandomised so the run is fast and stable.
"""

from __future__ import annotations

import json
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.budget import parse_budget
from ingest.frontmatter import split_front_matter
from ingest.loader import decode_document
from ingest.parser import parse_document
from kb.errors import DocumentError, InputError
from kb.retrieval.diffs import parse_diff
from kb.validity import invalid_text

# FUZZ_EXAMPLES=5000 for a long random run; the suite's run is short and the same every time.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 300,
    deadline=None,
    derandomize=not EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Fragments that steer random text into the grammar's interesting corners.
YAML_BITS = [
    "&a ",
    "*a",
    "&b ",
    "*b",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "\n",
    "  ",
    "!!str ",
    "!!python/object ",
    "? ",
    "|",
    ">",
    "'",
    '"',
    "#",
    ",",
    "~",
    "null",
    "2024-01-01",
    "key",
    "title",
    "<<: *a",
    "\t",
    "%YAML 1.1",
]
MARKDOWN_BITS = [
    "# ",
    "## ",
    "- ",
    "* ",
    "1. ",
    "> ",
    "```",
    "    ",
    "|",
    "---",
    "\n",
    "\n\n",
    "**",
    "__",
    "`",
    "[x](y)",
    "<div>",
    "</div>",
    "Always ",
    "Never ",
    "must ",
    "Lessons Learned",
    "Root cause",
    "\t",
    "Status: Accepted",
    "Supersedes ADR-1",
    "<%= x %>",
    "+++",
    "\r\n",
    "\ufeff",
    "\u2028",
]
DIFF_BITS = [
    "diff --git a/x b/x\n",
    "--- a/x\n",
    "+++ b/x\n",
    "@@ -1,2 +1,3 @@\n",
    "@@ -0,0 +1 @@\n",
    "+",
    "-",
    " ",
    "\n",
    "\\ No newline at end of file\n",
    "new file mode 100644\n",
    "Binary files a/x and b/y differ\n",
    "rename from a\n",
    "rename to b\n",
    "index 1..2\n",
    "x",
    "timeout = 3\n",
]


def _text(bits: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(bits), st.text(max_size=8)), max_size=max_size).map("".join)


@FUZZ
@given(_text(YAML_BITS, 60), _text(MARKDOWN_BITS, 10))
def test_front_matter_parses_or_fails_cleanly(raw: str, body: str) -> None:
    for fence in ("---", "+++"):
        try:
            fm = split_front_matter(f"{fence}\n{raw}\n{fence}\n{body}", path="f.md")
        except DocumentError:
            continue
        json.dumps(fm.data)  # what is kept is plain JSON data
        assert isinstance(fm.data, dict) and fm.offset >= 0


@FUZZ
@given(_text(MARKDOWN_BITS, 120))
def test_markdown_parses_or_fails_cleanly(text: str) -> None:
    try:
        with parse_budget(5.0, path="doc.md"):
            draft = parse_document(text, path="postmortems/doc.md", sha256="x")
    except DocumentError:
        return
    for constraint in draft.constraints:
        assert constraint.statement.strip()
        assert 1 <= constraint.line_start <= constraint.line_end <= text.count("\n") + 2


@FUZZ
@given(_text(DIFF_BITS, 60))
def test_diffs_parse_or_fail_cleanly(text: str) -> None:
    try:
        parsed = parse_diff(text)
    except InputError:
        return
    assert parsed is not None


@FUZZ
@given(st.binary(max_size=2_000))
def test_document_bytes_decode_or_fail_cleanly(data: bytes) -> None:
    try:
        text, sha = decode_document(data, max_bytes=1_000, path="x.md")
    except DocumentError:
        return
    assert len(sha) == 64 and "\x00" not in data.decode("utf-8")
    # Only control characters are dropped; tabs and line breaks stay, so lines do not move.
    assert not [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"]
    assert text.count("\n") == data.decode("utf-8").count("\n")


@FUZZ
@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=40))
def test_invalid_text_is_exactly_what_utf8_or_postgres_refuse(text: str) -> None:
    try:
        text.encode("utf-8")
        encodable = True
    except UnicodeEncodeError:
        encodable = False
    assert (invalid_text(text) is None) == (encodable and "\x00" not in text)
    assert (invalid_text({"k": [text]}) is None) == (invalid_text(text) is None)
