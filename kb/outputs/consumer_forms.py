"""Consumers with no dead letter for a message that keeps failing: a Karafka route with none, an AMQP
queue declared and consumed with none, and a consumer that crashes on a message it cannot decode. A
handler that skipped (or dead-lettered) an undecodable message and now asserts that decoding succeeds
stops at the first malformed message and, redelivered, at every attempt after it: the poison message
that stalls a partition, which a rule asking for a dead-letter topic "instead of crashing the
consumer" forbids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from kb.outputs import code_forms, dart_forms
from kb.outputs.code_words import code_only

# Decoding asserted to succeed: Gleam `let assert Ok(event) = json.parse(...)`, Rust
# `serde_json::from_slice(&payload).unwrap()` / `.expect(`, Elixir `{:ok, event} = Jason.decode(`,
# Erlang `{ok, Event} = decode(`.
_ASSERTED_DECODE: Final = re.compile(
    r"\blet\s+assert\s+Ok\s*\(.*=\s*.*\b(?:parse|decode|from_\w+|run)\w*\s*\("
    r"|\b(?:from_slice|from_str|from_reader|from_value|decode\w*|parse\w*)\s*\([^;]*\)\s*\.\s*(?:unwrap|expect)\s*\("
    r"|^\s*\{\s*:?ok\s*,\s*\w+\s*\}\s*=\s*[\w.:]*(?:decode|parse)\w*!?\s*\(",
    re.IGNORECASE,
)
# The branch of a handler that took the failure and moved on: a decode error matched (`Error(_) ->`,
# `{:error, _} ->`, `Err(e) =>`), caught (`rescue`, `except`, `catch`), or a message skipped,
# acknowledged or dead-lettered.
_HANDLED_FAILURE: Final = re.compile(
    r"^\s*(?:Error|Err)\s*\(|^\s*\{\s*:?error\b.*(?:->|=>)|\b(?:rescue|except|catch)\b"
    r"|\bskip\w*\b|\bdead[-_ ]?letter|\bdlq\b",
    re.IGNORECASE,
)
# Where the lines are a consumer's: a message handler or a subscriber.
_CONSUMER: Final = re.compile(
    r"\b(?:handle_message|handle_messages|on_message|consume\w*|subscriber|KafkaListener|message|msg)\b",
    re.IGNORECASE,
)


def crashes_on_undecodable(added: Sequence[str], removed: Sequence[str]) -> list[str]:
    """The added lines of a consumer that assert a message decodes, where the removed lines handled
    a message that did not (a skip, an error branch, a dead letter). The asserting lines."""
    code = [c for c in (code_only(line) for line in added) if c.strip()]
    gone = [c for c in (code_only(line) for line in removed) if c.strip()]
    if not any(_HANDLED_FAILURE.search(line) for line in gone):
        return []
    if not any(_CONSUMER.search(line) for line in [*code, *gone]):
        return []
    return [line.strip() for line in code if _ASSERTED_DECODE.search(line)]


# A rule that asks for a dead-letter topic: "Always send messages that repeatedly fail processing to
# a dead-letter topic".
_ASKS_DEAD_LETTER: Final = re.compile(r"\b(?:always|must|should)\b.*\bdead[- ]letter\b", re.IGNORECASE)


def routes_without_dead_letter(statement: str, added: list[str], removed: Sequence[str] = ()) -> list[str]:
    """A rule that asks for a dead-letter topic, broken: the change adds a consumer route with none
    (``code_forms.routes_without_dead_letter``). The routes."""
    if not _ASKS_DEAD_LETTER.search(statement):
        return []
    return consumers_without_dead_letter(added, removed)


def consumers_without_dead_letter(added: list[str], removed: Sequence[str] = ()) -> list[str]:
    """The consumers the change adds with no dead-letter destination: a Karafka route
    (``code_forms.routes_without_dead_letter``), an AMQP queue declared and consumed
    (``dart_forms.queue_without_dead_letter``), or a handler made to crash on a message it cannot
    decode where it skipped it (``consumer_forms.crashes_on_undecodable``)."""
    return (
        code_forms.routes_without_dead_letter(added)
        or dart_forms.queue_without_dead_letter(added)
        or crashes_on_undecodable(added, removed)
    )
