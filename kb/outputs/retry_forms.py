"""Retries and the keys they send, in the spellings of many languages: a retry (a loop over
attempts, a retry decorator or policy, a queue's job retries), an id made fresh on the spot, a
payment mutation retried with no idempotency key, and a stable key kept on every attempt. Moved out
of ``kb.outputs.code_forms`` (which re-exports the public readers) when that module was full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from kb.outputs import client_retry_forms, gleam_forms, lisp_forms, swift_forms

# --- a key made fresh on every attempt -------------------------------------------------------------------

# A retry: a loop over attempts or tries, or a retry decorator or policy around the call.
_RETRY_LOOP: Final = re.compile(
    r"\b(?:for|while|repeat|loop|times)\b.*\b(?:attempts?|retr(?:y|ies)|tries|backoff)\w*"
    r"|@retry\b|@backoff\.|\bRetry(?:Template|Policy|er|able)?\b|\bretry\(|\bwithRetry\b|\bPolly\b"
    # a function calling itself again with its attempt count moved by one (``_RETRY_BY_RECURSION``)
    r"|\b\w+\s*\(.*\b(?:attempts?|retr(?:y|ies)|tries)\w*\s*[+-]\s*1\b",
    re.IGNORECASE,
)
# A retry by recursion, where a language has no loop (Erlang `capture(Id, Amount, Attempt + 1)`,
# Haskell `go (attempts - 1)`, Elixir `charge(order, attempt + 1)`): what it retries is the body of the
# function before the call, so a key made there is made again on every attempt.
_RETRY_BY_RECURSION: Final = re.compile(
    r"\b\w+\s*\(.*\b(?:attempts?|retr(?:y|ies)|tries)\w*\s*[+-]\s*1\b", re.IGNORECASE
)
# A random id generated on the spot.
_FRESH_ID: Final = re.compile(
    r"\buuid\.(?:NewString|New|NewRandom|Must)\(|\buuid\.?uuid4\(|\buuid4\(|\bUUID\.randomUUID\(|\brandomUUID\("
    r"|\bGuid\.NewGuid\(|\bSecureRandom\.uuid\b|\bulid\(|\bnanoid\(|\bnew\s+ObjectId\("
    # random bytes or a random token made into an id: Erlang `crypto:strong_rand_bytes(16)`, Node
    # `crypto.randomBytes(`, Python `secrets.token_hex(` and `os.urandom(`, Ruby `SecureRandom.hex`,
    # PHP `random_bytes(`, Lua `resty.random.bytes(` and jit-uuid's `uuid.generate_v4()`, Erlang
    # `uuid:get_v4(`
    r"|\bstrong_rand_bytes\(|\brandomBytes\(|\bsecrets\.token_\w+\(|\bos\.urandom\("
    r"|\bSecureRandom\.(?:hex|urlsafe_base64|base64|alphanumeric)\b|(?<![\w.])random_bytes\("
    r"|(?<![\w.])\w*random\.bytes\(|\buuid[.:](?:generate_v4|get_v4)\("
    # Lisp forms (`(random-uuid)`, `(java.util.UUID/randomUUID)`)
    r"|"
    + lisp_forms.FRESH_ID.pattern
    + r"|"
    + swift_forms.FRESH_ID.pattern
    # Gleam's youid (`uuid.v4_string()`)
    + r"|"
    + gleam_forms.FRESH_ID.pattern
)
# An idempotency key built from the attempt number (`f"capture:{order.id}:{attempt}"`).
_KEY_OF_ATTEMPT: Final = re.compile(
    r"idempot\w*[\"']?\s*[:=,(].*\b(?:attempt|attempt_?(?:no|num|number|count)|retr(?:y|ies)_?(?:count|num|no)?|tries)\b",
    re.IGNORECASE,
)
_RETRY_SPAN: Final = 25
# A queue's job retried by the queue (BullMQ/Bull `attempts: 5`, Celery `max_retries=5` or
# `autoretry_for=`, Sidekiq `retry: 5`, Hangfire `[AutomaticRetry(Attempts = 5)]`): its handler runs
# again on each attempt, so an id its handler generates is a new one every attempt.
_JOB_RETRIES: Final = re.compile(
    r"\battempts\s*:\s*(?:[2-9]|\d{2,})\b|\bmax_retries\s*=\s*[1-9]|\bautoretry_for\s*="
    r"|\bsidekiq_options\b.*\bretry:\s*(?:[1-9]|true)|\bAutomaticRetry\s*\(\s*Attempts\s*=\s*[1-9]"
)
# An id generated for the job as it is queued (`jobId: randomUUID()`): the same on every attempt.
_JOB_ID: Final = re.compile(r"\bjob_?id\b", re.IGNORECASE)


# A line that is only a comment (`# ...`, `// ...`, `-- ...`, `/* ...`, ` * ...`), and a comment after
# code on its line (`retry(...)  # why`).
_COMMENT_LINE: Final = re.compile(r"\s*(?:#|//|--|/?\*|;(?=[;\s]|$)|%%)")
_TRAILING_COMMENT: Final = re.compile(r"\s(?:#|//|;;+)\s")


def code_without_comments(added: Sequence[str]) -> list[str]:
    """The added lines that are code, each cut at a trailing `#` or `//` comment."""
    return [_TRAILING_COMMENT.split(line)[0] for line in added if not _COMMENT_LINE.match(line)]


def makes_fresh_id(line: str) -> bool:
    """Whether a line generates a random id on the spot (`uuid.uuid4()`, `randomUUID()`)."""
    return bool(_FRESH_ID.search(line))


def _retried(code: Sequence[str], i: int) -> Sequence[str]:
    """The lines a retry on line ``i`` runs again: those after a loop's head, those around a call
    that recurses (the function's body is before it)."""
    start = max(0, i - _RETRY_SPAN) if _RETRY_BY_RECURSION.search(code[i]) else i
    return code[start : i + _RETRY_SPAN]


def fresh_key_per_attempt(added: Sequence[str]) -> bool:
    """The added code generates a random id inside a retry loop (or a function a retry decorator
    wraps, or beside retries given to a queue's jobs), or builds an idempotency key from the attempt
    number: a key made anew for every attempt is no stable key, and a retried request is a new one."""
    code = code_without_comments(added)
    if any(
        _RETRY_LOOP.search(line)
        and any(_FRESH_ID.search(x) or _KEY_OF_ATTEMPT.search(x) for x in _retried(code, i))
        for i, line in enumerate(code)
    ):
        return True
    # Retries given to a queue's jobs, and a fresh id made in the change (in the job's handler, not
    # as the id the job is queued with): each attempt sends a new id.
    return any(_JOB_RETRIES.search(line) for line in code) and any(
        _FRESH_ID.search(x) and not _JOB_ID.search(x) for x in code
    )


# A payment mutation sent over HTTP: a write call (`self._session.post(`, `requests.post(`,
# `axios.put(`) whose URL, on its line or the next few, names a payment resource (`/v3/charges`,
# `/captures`, `/refunds`, `/payouts`, `/payment_intents`).
_WRITE_METHOD: Final = re.compile(
    r"\.(?:post|put|patch)\s*[(<]|\brequest\s*\(\s*:?(?:post|put|patch)\b", re.IGNORECASE
)
# A request call whose method is given as an option (lua-resty-http `httpc:request_uri(url, { method =
# "POST" })`, `fetch(url, { method: "POST" })`, Elixir `Req.request(method: :post)`), with that option.
_REQUEST_CALL: Final = re.compile(r"\.(?:request_uri|request|send|execute|fetch)\s*\(|(?<![\w.])fetch\s*\(")
_WRITE_OPTION: Final = re.compile(r"\bmethod\s*(?:=>?|:)\s*[\"':]?(?:post|put|patch)\b", re.IGNORECASE)
_OPTION_SPAN: Final = 4
_PAYMENT_PATH: Final = re.compile(
    r"/(?:charges?|captures?|refunds?|payouts?|payments?|payment_intents|transfers)\b(?![.\w])", re.IGNORECASE
)
_IDEMPOTENCY: Final = re.compile(r"idempot", re.IGNORECASE)
_CALL_SPAN: Final = 12


def retries_unkeyed_payment(added: Sequence[str], around: Sequence[str] = ()) -> list[str]:
    """The added code retries (a retry loop or decorator, a queue's job retries: Celery
    `autoretry_for=`, `self.retry(`) and sends a payment mutation with no idempotency key in its call
    or the lines that build it: a retried charge that succeeded on the processor's side is charged
    again. A request call given its method as an option is a mutation when the option is on the lines
    after it or on the lines the change keeps around it (``around``). The calls."""
    code = code_without_comments(added)
    if client_retry_forms.installs_write_retry(code):
        # a retry installed on the client retries the calls it already makes, kept around the change
        code = [*code, *code_without_comments(around)]
    elif not any(_RETRY_LOOP.search(line) or _JOB_RETRIES.search(line) for line in code):
        return []
    kept_option = any(_WRITE_OPTION.search(x) for x in code_without_comments(around))
    found = []
    for i, line in enumerate(code):
        writes = _WRITE_METHOD.search(line) or (
            _REQUEST_CALL.search(line)
            and (kept_option or any(_WRITE_OPTION.search(x) for x in code[i : i + _OPTION_SPAN]))
        )
        if not writes or not any(_PAYMENT_PATH.search(x) for x in code[i : i + 3]):
            continue
        if not any(_IDEMPOTENCY.search(x) for x in code[max(0, i - _CALL_SPAN) : i + _CALL_SPAN]):
            found.append(line)
    return found


# --- a stable key kept on a retried request -----------------------------------------------------------------

# An idempotency key set on a request (`headers.set("Idempotency-Key", ...)`, `idempotency_key=...`)
# from an id of the operation (`"payout:${request.payoutId}"`, `f"capture:{order.id}"`).
_KEY_SET: Final = re.compile(r"idempot\w*(?:[-_]key)?[\"']?\s*(?:[:=,(]|\]\s*=)", re.IGNORECASE)
_OPERATION_ID: Final = re.compile(r"(?:\.|_|\b)id\b|[a-z]Id\b|[a-z]ID\b")


def keeps_stable_key(added: Sequence[str], around: Iterable[str]) -> bool:
    """The change adds a retry, and the request it retries carries an idempotency key made from the
    operation's id (in the added lines or the code they edit), never a fresh id or the attempt
    number: every attempt sends the same key."""
    code = [line for line in added if not _COMMENT_LINE.match(line)]
    if not any(_RETRY_LOOP.search(line) for line in code) or fresh_key_per_attempt(code):
        return False
    return any(
        _KEY_SET.search(line)
        and _OPERATION_ID.search(line[_KEY_SET.search(line).end() :])  # type: ignore[union-attr]
        and not makes_fresh_id(line)
        and not _KEY_OF_ATTEMPT.search(line)
        for line in [*code, *around]
    )
