"""The lines of a change that say what it does, read once per check: its files cut apart, what
they add (less a migration's rollback, alerting rules and a template's wording), what they remove,
what is around them, and the added code a document's quoted cause is looked for in. The gate's
evidence (``kb.outputs.evidence``) reads rules against them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

from kb.outputs import (
    callable_forms,
    code_forms,
    compliance,
    erlang_forms,
    gleam_forms,
    lisp_forms,
    lua_forms,
    ocaml_forms,
    swift_forms,
    timeout_forms,
)
from kb.outputs.code_forms import without_docstrings
from kb.retrieval.diffs import ChangedFile, ParsedDiff

# Changed files read on their own (beyond that, the whole diff's query still covers them).
MAX_FILES: Final = 20


def split_files(diff_text: str) -> list[str]:
    """The diff cut into one diff per changed file (``diff --git`` sections, else ``---``/``+++`` pairs)."""
    lines = diff_text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("diff --git ")]
    if not starts:
        starts = [
            i
            for i, line in enumerate(lines)
            if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ ")
        ]
    if len(starts) <= 1:
        return [diff_text]
    bounds = [*starts, len(lines)]
    return ["".join(lines[a:b]) for a, b in itertools.pairwise(bounds)]


def _changed_files(diff: ParsedDiff) -> list[ChangedFile]:
    read = [f for f in diff.files if (f.added or f.removed) and not is_test_path(f.path)]
    return [f for f in read if not is_prose(f) and not says_nothing(f)][:MAX_FILES]


def is_prose(changed: ChangedFile) -> bool:
    """A changed file of prose (``is_prose_path``), or one whose changed lines differ from the lines
    they replace only in prose (``rewords_prose``): either way its lines say nothing the change does."""
    return is_prose_path(changed.path) or rewords_prose(changed)


# A key whose value is prose for people (OpenAPI's `description` and `summary`, a CLI's `help`, a
# Terraform variable's `description = "..."`), in YAML, JSON, TOML or HCL.
_PROSE_KEY: Final = re.compile(
    r"^\s*(?:-\s*)?[\"']?(description|summary|title|help|message|comment|notes?|hint|usage|details|"
    r"display_?name)[\"']?\s*[:=]\s*",
    re.IGNORECASE,
)
_LINE_TOKEN: Final = re.compile(r"\w+|[^\w\s]")


def rewords_prose(changed: ChangedFile) -> bool:
    """Each changed line of a file replaces one line (in order) and differs from it only in prose:
    its comment, words respelled (`identifers` to `identifiers`, `Retreive` to `Retrieve`), or the
    value of a key that holds prose (`description:`). A typo fixed in an API's description reads
    like the lesson its words are about; it changes nothing that runs."""
    if not changed.added or len(changed.added) != len(changed.removed):
        return False
    return all(_rewords_line(old, new) for old, new in zip(changed.removed, changed.added, strict=True))


def _rewords_line(old: str, new: str) -> bool:
    old_code, new_code = compliance.code_only(old).strip(), compliance.code_only(new).strip()
    if old_code == new_code:
        return True  # only a comment changed
    old_key, new_key = _PROSE_KEY.match(old_code), _PROSE_KEY.match(new_code)
    if old_key and new_key and old_key.group(1).lower() == new_key.group(1).lower():
        return True
    old_tokens, new_tokens = _LINE_TOKEN.findall(old_code), _LINE_TOKEN.findall(new_code)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            return False
        if not all(_respelled(a, b) for a, b in zip(old_tokens[i1:i2], new_tokens[j1:j2], strict=True)):
            return False
    return True


def _respelled(old: str, new: str) -> bool:
    """A word spelled anew, not another word: letters only, five or more, mostly the same
    (`http` to `https`, `Ignore` to `Fail`, `30` to `3` are other values)."""
    if not (old.isalpha() and new.isalpha()) or min(len(old), len(new)) < 5:
        return False
    return SequenceMatcher(None, old.lower(), new.lower()).ratio() >= 0.8


# A line that pins a version: a version key (Terraform's `version = "~> 5.50"` and `required_version`,
# a lock's `version:`, `rev:`, `tag:`), or a constraint operator before the number (`"^4.17.1"`,
# `>= 1.7`, `~= 2.31`).
_VERSION_LINE: Final = re.compile(
    r"^\s*[\"']?[\w.-]*(?:version|_ver|rev|tag)[\"']?\s*[:=]|(?:~>|>=|<=|\^|~=|==)\s*v?\d+(?:\.\d+)+",
    re.IGNORECASE,
)
_VERSION_TOKEN: Final = re.compile(r"\d+")


def bumps_versions(changed: ChangedFile) -> bool:
    """Each changed line of a file replaces one line (in order) on a line that pins a version, and
    differs from it only in numbers (`~> 5.50` to `~> 5.80`): a provider or dependency moved to a
    newer release changes nothing the lessons are about, however close its file reads to them."""
    if not changed.added or len(changed.added) != len(changed.removed):
        return False
    return all(
        _VERSION_LINE.search(old) and _VERSION_LINE.search(new) and _only_numbers_differ(old, new)
        for old, new in zip(changed.removed, changed.added, strict=True)
    )


# The labels every chart and manifest sets to describe itself (Kubernetes' recommended labels, Helm's
# chart label): what a workload is called and belongs to, nothing it does.
_DESCRIPTIVE_LABEL: Final = re.compile(
    r"^\s*[\"']?(?:app\.kubernetes\.io/(?:name|instance|version|component|part-of|managed-by)|helm\.sh/chart)"
    r"[\"']?\s*:"
)


# A resource's tags set in one line (`tags = { team = "content", cost_centre = "CC-214" }`), and the tag
# keys that say who pays for or looks after a resource, nothing it does: a backup or retention tag
# (`backup = "daily"`) selects what a policy acts on and is not one of them.
_TAG_MAP: Final = re.compile(r"^\s*[\"']?(?:tags|labels|default_tags)[\"']?\s*[:=]\s*\{(.*)\}\s*,?\s*$", re.I)
_TAG_KEY: Final = re.compile(r"[\"']?([A-Za-z][\w-]*)[\"']?\s*[:=]")
_DESCRIPTIVE_TAGS: Final = frozenset(
    {"team", "owner", "costcentre", "costcenter", "department", "project", "businessunit", "contact"}
)
# A field that holds text shown to people (`banner_text: str = ""`, `bannerText?: string;`, Go's
# `BannerText string \`json:"banner_text"\``): its last word says it is a label, and it holds a string.
_TEXT_FIELD: Final = re.compile(
    r"^\s*(?:(?:public|private|protected|readonly|val|var)\s+)*([A-Za-z_]\w*)\??\s*"
    r"(?::\s*(?:str|string|String)(?:\s*\|\s*None)?\s*(?:=\s*(?:\"[^\"]*\"|'[^']*'|None|null))?\s*[;,]?"
    r"|\s\*?string(?:\s*`[^`]*`)?)\s*$"
)
_TEXT_WORDS: Final = frozenset(
    {"text", "label", "title", "caption", "headline", "subtitle", "tooltip", "placeholder", "description"}
)


def _describes(line: str) -> bool:
    """A line that names or describes what it belongs to and does nothing: a descriptive label, a
    resource's cost or ownership tags, a field of text shown to people."""
    if _DESCRIPTIVE_LABEL.match(line):
        return True
    tags = _TAG_MAP.match(line)
    if tags:
        keys = [k.replace("_", "").replace("-", "").lower() for k in _TAG_KEY.findall(tags.group(1))]
        return bool(keys) and all(k in _DESCRIPTIVE_TAGS for k in keys)
    field = _TEXT_FIELD.match(line)
    if field:
        words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", field.group(1))
        return bool(words) and words[-1].lower() in _TEXT_WORDS
    return False


def only_labels(changed: ChangedFile) -> bool:
    """Each changed line of a file describes what it belongs to: a descriptive label
    (`app.kubernetes.io/part-of: shop`, `helm.sh/chart: ...`), a resource's cost or ownership tags, a
    field of text shown to people (a banner's text). The thing is named or labelled anew, and the
    file's probes, limits, eligibility rules or lifecycle around those lines are none of the change's."""
    lines = [line for line in (*changed.added, *changed.removed) if line.strip()]
    return bool(lines) and all(_describes(line) for line in lines)


# A shell script a developer runs on their own machine, named so (`scripts/dev-up.sh`,
# `bin/seed-local-db.sh`): it reaches no production system the lessons are about.
_LOCAL_SCRIPT: Final = re.compile(
    r"(?:^|/)(?:scripts|bin|tools|hack)/(?:[^/]*[-_.])?(?:local|dev)(?:[-_.][^/]*)?\.(?:sh|bash|zsh|ps1)$",
    re.IGNORECASE,
)


def says_nothing(changed: ChangedFile) -> bool:
    """A file changed only in what no lesson is about: versions bumped, descriptive labels set, or a
    developer's local script."""
    return bumps_versions(changed) or only_labels(changed) or bool(_LOCAL_SCRIPT.search(changed.path))


def _only_numbers_differ(old: str, new: str) -> bool:
    old_tokens, new_tokens = _LINE_TOKEN.findall(old), _LINE_TOKEN.findall(new)
    if len(old_tokens) != len(new_tokens) or old_tokens == new_tokens:
        return False
    return all(a == b or (a.isdigit() and b.isdigit()) for a, b in zip(old_tokens, new_tokens, strict=True))


# Files of prose: what they say is read by people, not run. Markdown, reStructuredText, AsciiDoc and
# plain text (less the .txt files tools read: pip requirements and constraints, CMake lists), a
# README, CHANGELOG, NOTES or LICENSE by name (a Helm chart's `templates/NOTES.txt` is printed after
# install), and anything in a `docs/` or `doc/` folder.
_PROSE_PATH: Final = re.compile(
    r"\.(?:md|markdown|mdx|rst|adoc|asciidoc|txt)$|(?:^|/)(?:README|CHANGELOG|CHANGES|NOTES|LICENSE|CONTRIBUTING)"
    r"(?:\.[A-Za-z]+)?$|(?:^|/)docs?/",
    re.IGNORECASE,
)
_TOOL_TEXT: Final = re.compile(
    r"(?:^|/)(?:requirements|constraints)[\w.-]*\.txt$|(?:^|/)CMakeLists\.txt$", re.I
)


def is_prose_path(path: str) -> bool:
    """Whether a changed file is prose (``_PROSE_PATH``): its words never say what a change does,
    so they are not read as its lines (at most advice, from closeness to the whole diff)."""
    return bool(_PROSE_PATH.search(path)) and not _TOOL_TEXT.search(path)


# Where a migration's rollback starts and where its forward part starts again, in the migration
# tools' own spellings (Knex, TypeORM, Alembic, Rails, Laravel, goose, sql-migrate, dbmate,
# Liquibase, EF Core's `protected override void Down(MigrationBuilder ...)`). A rollback drops what the
# migration adds: `DROP COLUMN` there is not a drop.
_ROLLBACK_STARTS: Final = re.compile(
    r"\bexports\.down\b|\b(?:async\s+)?function\s+down\s*\(|\basync\s+down\s*\(|\bdef\s+down(?:grade)?\b"
    r"|\bfunc\s+Down\w*\s*\(|\+(?:goose|migrate)\s+Down\b|\bmigrate:down\b|<rollback\b|\bvoid\s+Down\s*\("
    r"|" + swift_forms.MIGRATION_ROLLBACK.pattern  # Fluent's `func revert(on database: Database)`
)
_FORWARD_STARTS: Final = re.compile(
    r"\bexports\.up\b|\b(?:async\s+)?function\s+up\s*\(|\basync\s+up\s*\(|\bdef\s+up(?:grade)?\b"
    r"|\bfunc\s+Up\w*\s*\(|\+(?:goose|migrate)\s+Up\b|\bmigrate:up\b|</rollback>|\bvoid\s+Up\s*\("
    r"|" + swift_forms.MIGRATION_FORWARD.pattern
)


# An alerting rule (Prometheus `- alert: Name`): a file that adds one watches for a failure; the
# failure's own terms in it (`Ready=False`, `evicted_keys`) are detection, not the cause repeated.
_ALERT_RULE: Final = re.compile(r"^\s*-?\s*alert:\s*\S")


def adds_alerting_rules(changed: ChangedFile) -> bool:
    """Whether a changed file adds alerting rules (Prometheus `- alert: Name`)."""
    return any(_ALERT_RULE.match(line) for line in changed.added)


def forward_lines(changed: ChangedFile) -> list[str]:
    """The added lines of a file that say what the change does: less those of a migration's
    rollback (``down``/``downgrade``), which undoes the change (a hunk that opens inside the
    rollback function, as git names it after ``@@``, is rollback from its first line); none of a
    file that adds alerting rules, which watch for a failure rather than repeat it, nor of a
    template whose wording alone changed (``code_forms.rewords_template``)."""
    if code_forms.rewords_template(changed):
        return []
    if changed.headers and all(_ROLLBACK_STARTS.search(h) for h in changed.headers):
        return []
    out: list[str] = []
    in_rollback = False
    for line in _without_alerting_documents(changed):
        if _FORWARD_STARTS.search(line):
            in_rollback = False
        elif _ROLLBACK_STARTS.search(line):
            in_rollback = True
        if not in_rollback:
            out.append(line)
    return out


_DOCUMENT_SEPARATOR: Final = re.compile(r"^---\s*$")


def _without_alerting_documents(changed: ChangedFile) -> list[str]:
    """The added lines less those of the YAML documents that add alerting rules: a file of several
    documents (`---`) may add a PrometheusRule beside a Deployment and its PodDisruptionBudget, and
    only the rule watches. A file of one document that adds alerting rules gives none."""
    if not adds_alerting_rules(changed):
        return list(changed.added)
    documents: list[list[str]] = [[]]
    for line in changed.added:
        if _DOCUMENT_SEPARATOR.match(line):
            documents.append([])
        else:
            documents[-1].append(line)
    return [line for doc in documents if not any(_ALERT_RULE.match(x) for x in doc) for line in doc]


# Schema statements by the table they act on: SQL (`CREATE TABLE x`, `CREATE INDEX i ON x`, `ALTER
# TABLE x`) and the migration tools' calls (`op.create_table("x"`, `create_table :x`,
# `op.create_index("i", "x"`, `add_index :x`).
_CREATES_TABLE: Final = re.compile(
    r"\bcreate[ _]table\b\s*\(?\s*(?:if\s+not\s+exists\s+)?[:\"'`]?([A-Za-z_][\w.]*)"
    r"|\bCreateModel\(\s*name\s*=\s*[\"'](\w+)",  # Django: the table of the model `name`
    re.IGNORECASE,
)
_DDL_START: Final = re.compile(
    r"\b(?:create\s+(?:unique\s+)?index|alter\s+table|create[ _]table|create_index|add_index|AddIndex)\b",
    re.IGNORECASE,
)


def _table_named(statement: str, tables: set[str]) -> bool:
    """Whether a schema statement acts on one of ``tables``."""
    for table in tables:
        name = re.escape(table)
        if re.search(
            rf"\b(?:on|alter\s+table|create[ _]table)\s*\(?\s*(?:if\s+not\s+exists\s+)?[:\"'`]?{name}\b"
            rf"|\b(?:create_index|add_index)\b.*[:\"'`]{name}\b"
            rf"|\bAddIndex\b.*\bmodel_name\s*=\s*[\"']{name}\b",
            statement,
            re.IGNORECASE | re.DOTALL,
        ):
            return True
    return False


def on_existing_tables(lines: list[str]) -> list[str]:
    """Added lines less the schema statements on tables the same lines create: a new table is empty,
    so its defaults and plain indexes lock nothing (`CREATE TABLE t (id uuid DEFAULT
    gen_random_uuid())` and `CREATE INDEX ON t` are not the locking migration a postmortem quotes)."""
    tables = {
        (m.group(1) or m.group(2)).split(".")[-1].lower() for m in _CREATES_TABLE.finditer("\n".join(lines))
    }
    if not tables:
        return lines
    out: list[str] = []
    statement: list[str] = []
    depth = 0
    for line in lines:
        if not statement and not _DDL_START.search(line):
            out.append(line)
            continue
        statement.append(line)
        depth += line.count("(") - line.count(")")
        code = line.split("--")[0].rstrip()
        # An SQL statement ends with its semicolon; a tool's call when its parentheses close.
        if re.search(r"\w\(", statement[0]):
            ended = depth <= 0 and (code.rstrip(",").endswith(")") or not code.endswith((",", "(")))
        else:
            ended = code.endswith(";")
        if ended or not line.strip():
            if not _table_named("\n".join(statement), tables):
                out.extend(statement)
            statement, depth = [], 0
    if statement and not _table_named("\n".join(statement), tables):
        out.extend(statement)
    return out


@dataclass(frozen=True, slots=True)
class ChangeLines:
    """The lines of a change's files that are not tests, read once per check: what it adds (less a
    migration's rollback and alerting rules, ``forward_lines``), what it removes, and what is around
    them (hunk headers, which name the enclosing function, and context lines); ``quotable``, the
    added code a document's quoted cause is looked for in (less comments, and less schema statements
    on tables the change creates, ``on_existing_tables``)."""

    added: list[str]
    removed: list[str]
    around: list[str]
    quotable: list[str]


# A Kubernetes env entry names its variable on the line before its value (`- name: LOCK_TIMEOUT`,
# `value: "0"`): the value line alone sets nothing a lesson can name, so each changed value is also
# read as `NAME=value`, and as each name its prefixes leave (`MIGRATION_LOCK_TIMEOUT` sets
# `LOCK_TIMEOUT`; one word alone, `TIMEOUT`, is too common to stand for a setting).
_ENV_NAME: Final = re.compile(r"^[ +-]\s*-\s*name:\s*[\"']?([A-Za-z_][\w.-]*)")
_ENV_VALUE: Final = re.compile(r"^([+-])\s*value:\s*[\"']?([^\"'\s]*)")


def env_settings(diff_text: str) -> tuple[list[str], list[str]]:
    """The env values a change adds and removes, each as `NAME=value` (test files left out)."""
    added: list[str] = []
    removed: list[str] = []
    for piece in split_files(diff_text):
        if is_test_path(head := piece.split("\n", 1)[0]) or is_prose_path(head.split(" b/")[-1]):
            continue
        name = None
        for line in piece.splitlines():
            named = _ENV_NAME.match(line)
            value = _ENV_VALUE.match(line)
            if named:
                name = named.group(1)
            elif value and name:
                parts = name.split("_")
                names = ["_".join(parts[i:]) for i in range(max(1, len(parts) - 1))]
                setting = " ".join(f"{n}={value.group(2)}" for n in names)
                (added if value.group(1) == "+" else removed).append(setting)
            else:
                name = None
    return added, removed


def change_lines(diff: ParsedDiff, diff_text: str = "") -> ChangeLines:
    files = _changed_files(diff)
    added = {f.path: _as_code(f, without_docstrings(forward_lines(f))) for f in files}
    env_added, env_removed = env_settings(diff_text)
    return ChangeLines(
        added=[line for f in files for line in added[f.path]] + env_added,
        removed=[line for f in files for line in _as_code(f, f.removed)] + env_removed,
        around=[line for f in files for line in (*f.headers, *f.context)],
        quotable=[line for f in files for line in on_existing_tables(_code_lines(added[f.path]))],
    )


def _as_code(changed: ChangedFile, lines: list[str]) -> list[str]:
    """A file's lines as the readers of calls read them: a Lisp file's HTTP client alias written as
    the library it stands for, docstrings left out (``kb.outputs.lisp_forms``); Lua's method calls
    and Erlang's remote calls with a dot (``lua_forms``, ``erlang_forms``); OCaml's `= []` test as
    `== []` (``ocaml_forms``); Gleam's `True` as `true` (``gleam_forms``); in any file, an idle
    connection's timeout named apart from a request's (``timeout_forms``), a callable named `body`
    apart from a request's body (``callable_forms``)."""
    lines = callable_forms.without_callable_bodies(timeout_forms.without_idle_timeouts(lines))
    if changed.path.endswith((".yml", ".yaml")):
        lines = timeout_forms.without_session_timeouts(lines, changed.context)
    if lua_forms.is_lua_path(changed.path):
        return lua_forms.as_code(lines)
    if erlang_forms.is_erlang_path(changed.path):
        return erlang_forms.as_code(lines)
    if ocaml_forms.is_ocaml_path(changed.path):
        return ocaml_forms.as_code(lines)
    if gleam_forms.is_gleam_path(changed.path):
        return gleam_forms.as_code(lines)
    if not lisp_forms.is_lisp_path(changed.path):
        return lines
    required = lisp_forms.aliases([*changed.added, *changed.context, *changed.removed])
    return lisp_forms.without_docstrings(lisp_forms.qualified(lines, required))


def _code_lines(lines: list[str]) -> list[str]:
    """The lines less their comments: a comment that names a document's quoted cause ("the contract
    migration dropping `shipping_address` ships later") says what the code avoids, not what it does."""
    return [code for code in (compliance.code_only(line) for line in lines) if code]


_TEST_PATH = re.compile(
    r"(^|/)(tests?|__tests__|spec)/|(^|/)test_[^/]*$|_test\.[a-z]+$|\.(test|spec)\.[a-z]+$|(^|/)conftest\.py$"
)


def is_test_path(path: str) -> bool:
    """Whether a changed file is a test (by the usual layouts of Python, Go and JavaScript)."""
    return bool(_TEST_PATH.search(path))
