"""Unified diffs in, the evidence retrieval needs out: changed paths, added and removed lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from kb.errors import InputError
from kb.retrieval.scope import technologies_for_path, technologies_in_code

MAX_DIFF_LINES_FOR_TEXT = 400


@dataclass(slots=True)
class ChangedFile:
    path: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # (line number in the new file, text) of each added line, for CI annotations
    added_at: list[tuple[int, str]] = field(default_factory=list)
    is_new: bool = False
    is_deleted: bool = False
    # Hunk headers (the enclosing resource, function or YAML block git shows after ``@@``) and
    # unchanged context lines: they say where the change sits, weighted below added lines.
    context: list[str] = field(default_factory=list)
    # The hunk headers alone (also in ``context``, where they sit): the encoder reads them first.
    headers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedDiff:
    files: list[ChangedFile]
    # Worked out once: ranking asks more than once per query, and each asks every rule of every file.
    _technologies: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

    def technologies(self) -> set[str]:
        if self._technologies is None:
            found: set[str] = set()
            for changed in self.files:
                found |= technologies_for_path(changed.path)
                found |= technologies_in_code("\n".join(changed.context + changed.added + changed.removed))
            self._technologies = frozenset(found)
        return set(self._technologies)

    def added_text(self, limit: int = MAX_DIFF_LINES_FOR_TEXT) -> str:
        lines = [line for f in self.files for line in f.added if line.strip()]
        return "\n".join(lines[:limit])

    def removed_text(self, limit: int = MAX_DIFF_LINES_FOR_TEXT) -> str:
        lines = [line for f in self.files for line in f.removed if line.strip()]
        return "\n".join(lines[:limit])

    def context_text(self) -> str:
        return "\n".join(line for f in self.files for line in f.context if line.strip())

    def changed_keys(self) -> list[str]:
        """Keys and identifiers the change sets: YAML/HCL/INI keys, Terraform resource types, Kubernetes
        kinds, Dockerfile instructions' arguments; in order of first appearance, without duplicates."""
        found: dict[str, None] = {}
        for changed in self.files:
            lines = [*changed.context, *changed.added, *changed.removed]
            # Only the patterns whose words occur in the file at all (most do not apply).
            lowered = "\n".join(lines).lower()
            patterns = [p for needles, p in _KEY_PATTERNS if any(n in lowered for n in needles)]
            for line in lines:
                for pattern in patterns:
                    for match in pattern.finditer(line):
                        key = next((g for g in match.groups() if g), "").strip("\"'")
                        if 2 < len(key) <= 60 and key.lower() not in _NOISE_KEYS:
                            found.setdefault(key, None)
        return list(found)

    def path_words(self) -> list[str]:
        """The words of each changed path (``k8s/logging/fluentd-configmap.yaml`` -> logging fluentd
        configmap), without file-format and boilerplate words: often the best name of the topic."""
        out: list[str] = []
        for path in self.paths:
            words = [
                w for w in _PATH_SPLIT.split(path) if w and not w.isdigit() and w.lower() not in PATH_NOISE
            ]
            if words:
                out.append(" ".join(words))
        return out

    def comments(self) -> list[str]:
        """Comments among the added lines: the author's own words for the change."""
        found: list[str] = []
        for changed in self.files:
            for line in changed.added:
                match = _COMMENT.match(line)
                if match and len(match.group(1).split()) >= 2:
                    found.append(match.group(1).strip())
        return found

    def dense_text(self, limit: int = 60) -> str:
        """The diff for the encoder, as words: path words, added comments, then each file's hunk
        headers and its added, removed and context lines (at most ``limit`` lines of each kind),
        without the ``+``/``-`` marks and without code symbols (see ``_encoder_words``)."""
        parts = ["; ".join(self.path_words()), *self.comments()]
        for changed in self.files:
            # The hunk headers (where the change sits), then added lines: the encoder reads only
            # the start of a long text (see RankingWeights.diff_query_tokens), and what the change
            # adds says most about it.
            parts.extend(changed.headers[:limit])
            headers = set(changed.headers)
            context = [line for line in changed.context if line.strip() not in headers]
            for lines in (changed.added, changed.removed, context):
                parts.extend(line for line in lines[:limit] if line.strip())
        return _encoder_words("\n".join(parts))

    def describe(self, limit: int = 30) -> str:
        """A sentence for the encoder: what kind of files change and which keys, in words."""
        techs = sorted(self.technologies())
        keys = self.changed_keys()[:limit]
        words = [" ".join(w for w in re.split(r"[_\-./]+", key) if w) for key in keys]
        parts = []
        if techs:
            parts.append("Change to " + ", ".join(techs) + " configuration")
        if words:
            parts.append("touching " + ", ".join(words))
        return " ".join(parts) + "." if parts else ""


# Each pattern with words (lowercase) of which one must be in the file for it to match.
_KEY_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    ((":", "="), re.compile(r"^\s*-?\s*([A-Za-z_][\w.-]*)\s*[:=]")),  # yaml `key:`, hcl/ini `key =`
    (("resource", "data", "module"), re.compile(r"^\s*(?:resource|data|module)\s+\"([\w-]+)\"")),  # terraform
    (("kind:",), re.compile(r"^\s*kind:\s*([A-Za-z]+)")),  # kubernetes kinds
    (("from", "run", "env", "arg"), re.compile(r"^\s*(?:FROM|RUN|ENV|ARG)\s+([\w./:-]+)")),  # dockerfile
    (
        ("alter", "create"),
        re.compile(
            r"\b(?:ALTER|CREATE)\s+(?:TABLE|INDEX)\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I
        ),
    ),
    (("func", "def"), re.compile(r"\bfunc\s+(?:\([^)]*\)\s*)?(\w+)|\bdef\s+(\w+)|\bfunction\s+(\w+)")),
)
_PATH_SPLIT = re.compile(r"[/._\-\s]+")
# Code symbols and underscores: each is a word piece of its own to the encoder, which reads a
# diff's first ``diff_query_tokens`` pieces. Prose punctuation stays.
_CODE_SYMBOLS = re.compile(r"[^\w\s.,:;!?'()-]+|_+")
_ASCII_SYMBOLS = bytes(32 if _CODE_SYMBOLS.fullmatch(chr(c)) else c for c in range(256))
_COMMENT = re.compile(r"^\s*(?:#+|//+|--|/\*+|\*)\s*(.+?)\s*(?:\*/)?$")
# Extensions and format names: they say what kind of file changed, not what the change does.
FILE_FORMAT_WORDS = frozenset(
    [
        "cfg",
        "conf",
        "github",
        "go",
        "hcl",
        "index",
        "ini",
        "java",
        "js",
        "json",
        "lib",
        "main",
        "md",
        "py",
        "rs",
        "sh",
        "src",
        "tf",
        "tfvars",
        "toml",
        "ts",
        "txt",
        "values",
        "yaml",
        "yml",
    ]
)
# Words of file formats and diff syntax that say nothing about what a change does.
DIFF_NOISE: Final = FILE_FORMAT_WORDS | frozenset(
    [
        "apiversion",
        "bool",
        "com",
        "config",
        "data",
        "def",
        "default",
        "defaults",
        "dev",
        "diff",
        "example",
        "false",
        "file",
        "files",
        "func",
        "git",
        "http",
        "https",
        "int",
        "item",
        "items",
        "key",
        "keys",
        "kind",
        "list",
        "local",
        "locals",
        "map",
        "metadata",
        "module",
        "name",
        "names",
        "new",
        "nil",
        "none",
        "null",
        "number",
        "old",
        "org",
        "resource",
        "resources",
        "return",
        "self",
        "source",
        "spec",
        "string",
        "this",
        "true",
        "type",
        "value",
        "var",
        "vars",
        "version",
        "www",
        "yes",
    ]
)
# Path parts that name a file format or a boilerplate folder, not what the change is about.
PATH_NOISE = FILE_FORMAT_WORDS | frozenset(
    [
        "app",
        "apps",
        "cmd",
        "css",
        "erb",
        "html",
        "internal",
        "jsx",
        "kt",
        "pkg",
        "rb",
        "sql",
        "tsx",
        "workflows",
    ]
)
_NOISE_KEYS = frozenset(["name", "value", "values", "type", "kind", "spec", "metadata", "data", "key", "id"])


def _clean_path(raw: str | None) -> str:
    if not raw or raw == "/dev/null":
        return ""
    for prefix in ("a/", "b/"):
        if raw.startswith(prefix):
            return raw[len(prefix) :]
    return raw


def _encoder_words(text: str) -> str:
    """Text as the encoder should read it, line by line: ``resource "aws_db_instance" "orders" {``
    becomes ``resource aws db instance orders`` (11 word pieces -> 5); blank lines go.

    Dev set, diff recall@5 / hit@5 / MRR at 64 pieces: 0.767 / 1.0 / 0.922, against 0.739 / 0.957
    / 0.913 with the symbols kept (0.917 at 96 pieces); see RankingWeights.diff_query_tokens."""
    # ASCII text by a byte table (the regex over a 300-line diff's text cost 0.9 ms).
    if text.isascii():
        words = text.encode("ascii").translate(_ASCII_SYMBOLS).decode("ascii")
    else:
        words = _CODE_SYMBOLS.sub(" ", text)
    lines = (" ".join(line.split()) for line in words.split("\n"))
    return "\n".join(line for line in lines if line)


def parse_diff(text: str) -> ParsedDiff:
    """Parse a unified diff (``git diff`` or ``diff -u``); raise InputError when it is not one."""
    if not text.strip():
        raise InputError("the diff is empty")
    from unidiff.errors import UnidiffParseError
    from unidiff.patch import PatchSet

    try:
        patch = PatchSet(text)
    except UnidiffParseError as exc:
        # Hand-edited diffs often carry wrong hunk counts; read them line by line instead.
        files = _parse_leniently(text)
        if not files:
            raise InputError(f"not a unified diff: {exc}") from exc
        return ParsedDiff(files=files)
    files = []
    for patched in patch:
        path = _clean_path(patched.target_file) or _clean_path(patched.source_file) or patched.path
        changed = ChangedFile(path=path, is_new=patched.is_added_file, is_deleted=patched.is_removed_file)
        for hunk in patched:
            if hunk.section_header and hunk.section_header.strip():
                changed.context.append(hunk.section_header.strip())
                changed.headers.append(hunk.section_header.strip())
            for line in hunk:
                value = line.value.rstrip("\n")
                if line.is_added:
                    changed.added.append(value)
                    changed.added_at.append((int(line.target_line_no or 0), value))
                elif line.is_removed:
                    changed.removed.append(value)
                elif line.is_context:
                    changed.context.append(value)
        files.append(changed)
    if not files:
        raise InputError("not a unified diff: no file headers ('--- a/...', '+++ b/...') found")
    return ParsedDiff(files=files)


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@\s*(.*)$")


def _parse_leniently(text: str) -> list[ChangedFile]:
    files: list[ChangedFile] = []
    current: ChangedFile | None = None
    old_path = ""
    new_line = 0
    for line in text.splitlines():
        if line.startswith("--- "):
            old_path = _clean_path(line[4:].split("\t")[0].strip())
            continue
        if line.startswith("+++ "):
            new_path = _clean_path(line[4:].split("\t")[0].strip())
            current = ChangedFile(path=new_path or old_path, is_new=not old_path, is_deleted=not new_path)
            files.append(current)
            continue
        if current is None:
            continue
        match = _HUNK.match(line)
        if match:
            new_line = int(match.group(1))
            if match.group(2).strip():
                current.context.append(match.group(2).strip())
                current.headers.append(match.group(2).strip())
        elif line.startswith("+"):
            current.added.append(line[1:])
            current.added_at.append((new_line, line[1:]))
            new_line += 1
        elif line.startswith("-"):
            current.removed.append(line[1:])
        elif line.startswith(" ") or not line:
            if line.strip():
                current.context.append(line[1:])
            new_line += 1
    return files
