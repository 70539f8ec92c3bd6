"""Code read in the words lessons use: a line without its comment, the idioms that stand for a
lesson's word in code (`tenacity` or an attempt counter for "retry", `db` for "database") and a
change's code lines as lesson stems. Rule readings (``kb.outputs.compliance``,
``kb.outputs.rule_shapes``) compare a rule's words with these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs import code_forms
from kb.outputs.signatures import code_stems
from kb.text import stem

# Lisp comments open with `;` (`;; unique per attempt ...`); after code on its line, with `;;` (a lone
# `;` there ends a statement in C-like code); Erlang's with `%%` (a Mojolicious template's `% if` is
# code); XML's and HTML's with `<!--`. A command's long option opening a continued line
# (`  --reset-offsets --to-latest \`) is no SQL comment; Liquibase's `--rollback ...` still is.
_LONG_OPTION: Final = (
    r"(?!liquibase|changeset|rollback|comment|precondition)[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:[ =]|\s*\\?$)"
)
_COMMENT: Final = re.compile(
    rf"^\s*(?:#|//|--(?!{_LONG_OPTION})|/\*|\*|;(?=[;\s]|$)|%%|<!--)"
    r"|\s(?:#|//|;;+)\s.*$"
)


def code_only(line: str) -> str:
    """A line without its comment: "# never log headers or bodies" says what the code avoids."""
    found = _COMMENT.search(line)
    if found is None:
        return line
    return "" if found.start() == 0 or not line[: found.start()].strip() else line[: found.start()]


# Code that does what lessons say in words: a retry loop rarely says "retry" but uses a library or
# counts attempts; a probe that queries the database rarely says "database". Each stem on the right
# is read as also meaning the lesson stem on the left.
_DATABASE_FORMS: Final = frozenset(
    stem(w) for w in ("db", "postgres", "postgresql", "psql", "pg_isready", "mysql", "sql")
)
# A dead-letter queue as code names it (`dlq.send(...)`, `orders.dlq`, `DeadLetterPublishingRecoverer`).
_DEAD_LETTER_FORMS: Final = frozenset({"dlq", stem("deadletter")})
CODE_IDIOMS: Final = {
    stem("retry"): frozenset(
        stem(w) for w in ("tenacity", "backoff", "attempt", "attempts", "retrier", "retryable", "retrying")
    ),
    stem("request"): frozenset({"req"}),
    # A schema column named for a thing stores it (`ADD COLUMN`, Laravel `Blueprint $table`).
    stem("store"): frozenset(
        stem(w) for w in ("save", "saves", "persist", "persists", "column", "blueprint", "insert", "upsert")
    ),
    stem("response"): frozenset({"res", "resp"}),
    # A dependency's ping (`db.PingContext`, `redis.ping()`) is a health check of it.
    stem("check"): frozenset({stem("ping")}),
    stem("body"): frozenset(stem(w) for w in ("payload", "get_json", "get_data", "raw_body", "form")),
    # The stemmer gives "database" and "databases" different stems; lessons say both.
    **dict.fromkeys((stem("database"), stem("databases")), _DATABASE_FORMS),
    **dict.fromkeys((stem("dead"), stem("letter")), _DEAD_LETTER_FORMS),
    # Kafka's sticky assignors rebalance (`cooperative-sticky`, `CooperativeStickyAssignor`): with
    # "cooperative" beside it, that is cooperative rebalancing.
    **dict.fromkeys((stem("rebalance"), stem("rebalancing")), frozenset({stem("sticky")})),
    # A courier or a shipper is the carrier the lessons name.
    stem("carrier"): frozenset(stem(w) for w in ("courier", "couriers", "shipper")),
}


def idioms(stems: frozenset[str]) -> frozenset[str]:
    """The stems of a change's lines, with the lesson words their code idioms stand for."""
    extra = {word for word, forms in CODE_IDIOMS.items() if forms & stems}
    return stems | extra if extra else stems


# A bucket's lock on its objects in each cloud's spelling: S3 `object_lock_configuration`, a GCS
# `retention_policy` (Bucket Lock), an Azure `immutability_policy`, GCS `default_event_based_hold`.
OBJECT_LOCK: Final = (
    re.compile(
        r"\b(?:object_lock\w*|retention_policy|immutability_policy|\w*event_based_hold)\b", re.IGNORECASE
    ),
    frozenset({stem("object"), stem("lock")}),
)


# Code that says what a lesson names, in a form its words do not show: Alembic renames a column
# with `new_column_name=`; a workflow's `paths:` / `paths-ignore:` (or `dorny/paths-filter`) is a
# path filter.
_PHRASE_IDIOMS: Final = (
    (re.compile(r"\bnew_column_name\s*="), frozenset({stem("rename"), stem("column")})),
    # GitHub, GitLab, CircleCI, Jenkins, Bitbucket and Azure spellings (``code_forms.PATH_FILTER``).
    (code_forms.PATH_FILTER, frozenset({stem("path"), stem("filter")})),
    # GitLab `allow_failure: true` and the other CI spellings of `continue-on-error`.
    (code_forms.FAILURE_ALLOWED, frozenset({stem("continue"), stem("error")})),
    OBJECT_LOCK,
)


def phrase_terms(code: str) -> frozenset[str]:
    """The lesson words that code spells as a phrase of its own (``OBJECT_LOCK``), for reading what a
    positive rule asks for."""
    pattern, terms = OBJECT_LOCK
    return terms if pattern.search(code) else frozenset()


def code_terms(lines: Iterable[str]) -> frozenset[str]:
    """The stems of the code of ``lines`` (comments left out), with the lesson words their idioms
    stand for."""
    code = code_forms.without_upload_paths("\n".join(code_only(line) for line in lines))
    extra = frozenset().union(*(terms for pattern, terms in _PHRASE_IDIOMS if pattern.search(code)))
    return idioms(code_stems(code) | extra)


# A line that only brings a library or a name into scope: Python `import x` / `from x import y`, Java,
# Kotlin, Scala and Go `import`, JavaScript `import ... from` and `require(...)`, Rust and PHP `use`,
# C# `using X;`, Ruby `require`, Elixir `require` / `alias` / `import`, and a Clojure namespace's
# `(:require ...)` entries (`[taoensso.timbre :as log]`, `[clojure.string :refer [join]]`).
_IMPORT: Final = re.compile(
    r"^\s*(?:from\s+[\w.]+\s+import\b|import\s+[\w.*{\"'(]|(?:pub\s+)?use\s+[\w:\\]+|using\s+[\w.]+\s*;"
    r"|require(?:_relative)?\s*\(?\s*[\"'][\w./@-]+[\"']\s*\)?\s*;?\s*$|(?:require|alias)\s+[A-Z][\w.]*"
    r"|(?:const|let|var)\s+[\w{}\s,]+=\s*require\(\s*[\"'][\w./@-]+[\"']\s*\)\s*;?\s*$"
    r"|\(\s*(?:ns\s+[\w.*+!?-]+|:require|:import|:use|require\s+')"
    r"|\(?\[\s*[A-Za-z][\w.*+!?-]*(?:\s+:(?:as|refer|as-alias)\s+(?:[\w.*+!?-]+|\[[^\]]*\]|:all))+\s*\]\)*\s*$"
    r"|\(\s*[a-z][\w-]*(?:\.[\w-]+)+(?:\s+[A-Z]\w*)+\s*\)+\s*$)"
)


def imports(line: str) -> bool:
    """Whether a line only imports (``_IMPORT``): it names a library (`[taoensso.timbre :as log]`,
    `import logging`) and does nothing with it."""
    return bool(_IMPORT.match(line))


# A line that leaves something open for the lines after it: more brackets opened than closed
# (`logger.info(`, `(log/info {:event :x`), a block opened (`:`, `{`, `do`, `=>`, `->`, an `=`), or
# a decorator or annotation over what follows (`@retry(...)`).
_OPENS_BLOCK: Final = re.compile(r"(?:[:{(\[,=\\]|=>|->|\bdo(?:\s*\|[^|]*\|)?)\s*$|^\s*@[A-Za-z_]")


def holds_what_follows(line: str) -> bool:
    """Whether the lines after ``line`` may be inside it (its arguments, its block, what it
    decorates): a complete statement (`(log/info {:event :booking-confirmed})`, `:log {:level
    :info}}`) holds none of them."""
    code = code_only(line).rstrip()
    opened = sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
    return opened > 0 or bool(_OPENS_BLOCK.search(code))
