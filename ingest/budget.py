"""Per-file parsing budgets: a deadline the parse loops check, and a bounded YAML loader.

A hostile file must fail fast with its own error while the batch goes on. Timeouts around a
thread do not stop the work (the thread runs on and may commit later), so the budget is
cooperative: ``check()`` is called in every loop that grows with the input, including inside
markdown-it through a no-op rule (see :func:`install_markdown_checks`), and raises
:class:`DocumentError` once the file's time is spent. Nothing is written before a file parsed,
so a file stopped half-way leaves nothing behind.

The budget counts the parsing thread's CPU time, not wall time: a file that parses in one second
on a quiet machine must not fail because other processes share the cores (a wall-clock budget
made the same file pass or fail with the machine's load). Where ``check()`` runs in another
thread than the one that set the budget, its CPU clock says nothing about this file and the wall
clock is used instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it import MarkdownIt

from kb.errors import DocumentError

# Front matter is a handful of keys; these bounds are far above any real one and far below
# what makes PyYAML (or the code walking its result) slow: an alias bomb of 9 levels expands a
# few hundred bytes into 10^9 nodes, and each alias is cheap to write and costly to walk.
MAX_YAML_NODES = 10_000
MAX_YAML_DEPTH = 64
# markdown-it parses a whole table row in one rule call, which no deadline can interrupt: 20,000
# cells take seconds. No real table has a thousand columns.
MAX_TABLE_CELLS = 1_000


@dataclass(slots=True)
class _Budget:
    path: str
    seconds: float
    cpu_deadline: float  # time.thread_time() of the thread that set the budget
    wall_deadline: float  # time.monotonic(), for checks made from another thread
    thread: int
    request_deadline: float | None  # time.monotonic() past which the whole request is out of time

    def spent(self) -> bool:
        now = time.monotonic()
        if self.request_deadline is not None and now > self.request_deadline:
            return True
        if threading.get_ident() == self.thread:
            return time.thread_time() > self.cpu_deadline
        return now > self.wall_deadline


_current: ContextVar[_Budget | None] = ContextVar("parse_budget", default=None)


@contextmanager
def parse_budget(
    seconds: float | None, *, path: str, request_deadline: float | None = None
) -> Iterator[None]:
    """Within this block, :func:`check` raises once ``seconds`` of CPU time have passed (None: no
    limit), or once the wall clock (``time.monotonic()``) passes ``request_deadline``: an HTTP
    request's time is wall time, whatever the load."""
    if seconds is None:
        yield
        return
    budget = _Budget(
        path=path,
        seconds=seconds,
        cpu_deadline=time.thread_time() + seconds,
        wall_deadline=time.monotonic() + seconds,
        thread=threading.get_ident(),
        request_deadline=request_deadline,
    )
    token = _current.set(budget)
    try:
        yield
    finally:
        _current.reset(token)


def check() -> None:
    """Raise :class:`DocumentError` when the current file's parsing (CPU) time is spent."""
    budget = _current.get()
    if budget is not None and budget.spent():
        raise DocumentError(
            f"parsing took longer than the {budget.seconds:g}-second budget per file "
            "(KB_PARSE_TIMEOUT); the file is too large or too deeply structured",
            path=budget.path,
        )


def check_table_width(body: str, *, path: str) -> None:
    """Refuse a line with more than MAX_TABLE_CELLS cell separators before markdown-it sees it."""
    if body.count("|") <= MAX_TABLE_CELLS:
        return
    for number, line in enumerate(body.split("\n"), start=1):
        if line.count("|") > MAX_TABLE_CELLS:
            raise DocumentError(
                f"line {number} of the body has more than {MAX_TABLE_CELLS:,} table cells", path=path
            )


def install_markdown_checks(md: MarkdownIt) -> MarkdownIt:
    """Make a markdown-it parser check the budget once per block and per inline token.

    markdown-it spends most of a pathological file's time inside ``parse``; a rule that never
    matches is the one hook it calls in that loop.
    """

    def block_rule(_state: Any, _start: int, _end: int, _silent: bool) -> bool:
        check()
        return False

    def inline_rule(_state: Any, _silent: bool) -> bool:
        check()
        return False

    md.block.ruler.before(
        "table", "kb_budget", block_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.inline.ruler.before("text", "kb_budget", inline_rule)
    return md


class BoundedSafeLoader(yaml.SafeLoader):
    """A SafeLoader that refuses documents whose expanded size or depth is over a budget.

    Aliases are counted as the size of what they expand to, so an alias bomb is refused after
    composing (linear in the text) and before constructing or walking anything.
    """

    def fetch_more_tokens(self) -> None:
        # The pure-Python scanner slows down with every open bracket (10,000 of them take
        # seconds before the composer even starts): refuse deep nesting as it is scanned.
        super().fetch_more_tokens()  # type: ignore[no-untyped-call]
        if self.flow_level > MAX_YAML_DEPTH or len(self.indents) > MAX_YAML_DEPTH:
            raise _Refused(f"nested deeper than {MAX_YAML_DEPTH} levels")
        check()

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None:
            _check_node_budget(node)
        return node


def _check_node_budget(root: yaml.Node) -> None:
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_YAML_DEPTH:
            raise _Refused(f"nested deeper than {MAX_YAML_DEPTH} levels")
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise _Refused("a recursive alias (a value that contains itself)")
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
                if total > MAX_YAML_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
                if total > MAX_YAML_NODES:
                    break
        open_nodes.discard(key)
        if total > MAX_YAML_NODES:
            raise _Refused(f"expands to more than {MAX_YAML_NODES:,} values (aliases counted expanded)")
        sizes[key] = total
        return total

    size(root, 0)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date ("last-updated: 2020-20-07", day and month swapped) stays the text it
    # is instead of failing the whole document.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


BoundedSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _Refused(yaml.YAMLError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_yaml(raw: str, *, path: str) -> Any:
    """Parse front matter YAML within the node and depth budgets, or raise DocumentError."""
    try:
        return yaml.load(raw, Loader=BoundedSafeLoader)  # a SafeLoader subclass
    except _Refused as exc:
        raise DocumentError(f"front matter refused: {exc.reason}", path=path) from None
    except RecursionError:
        raise DocumentError(
            f"front matter refused: nested deeper than {MAX_YAML_DEPTH} levels", path=path
        ) from None
