"""Rules read against the shape of a change's code, where the rule's words do not show what the
code does: an emptiness test that rejects the empty value is what "treat an empty list as matching
nothing" asks for (the rule followed, ``Evidence.follows``), though the code never says "treat" or
"nothing"; a setting whose number the change makes bigger is what "Do not raise carrier client
timeouts above 5 seconds" forbids (the rule broken), though the code never says "raise".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from kb.outputs import (
    code_forms,
    code_words,
    compliance,
    cpp_forms,
    dart_forms,
    duration_forms,
    erlang_forms,
    flag_forms,
    gleam_forms,
    guard_forms,
    idempotence_forms,
    lisp_forms,
    masking_forms,
    replay_forms,
    store_forms,
    swift_forms,
    timeout_forms,
)
from kb.outputs.consumer_forms import consumers_without_dead_letter as consumers_without_dead_letter
from kb.outputs.consumer_forms import routes_without_dead_letter as routes_without_dead_letter
from kb.outputs.signatures import code_stems
from kb.text import stem

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

# What an emptiness test's branch does when it treats the empty value as nothing: rejects it (raise,
# throw, an error result) or answers "none" (false, nothing, an empty list).
_REJECTS: Final = re.compile(
    r"^\s*(?:raise\b|throw\b|panic\(|abort\(|return\s+(?:False|false|None|null|nil|\[\s*\]"
    r"|\w*(?:Err|Error|BadRequest|Invalid)\w*|.*\b(?:40[03]|422)\b))|"
    + erlang_forms.REJECTS
    + "|"
    + gleam_forms.REJECTS
)


def rejects_empty(statement: str, added: Iterable[str]) -> bool:
    """A rule that an empty list means nothing ("Treat an empty eligibility list as matching
    nothing", "... and reject it at validation time"), followed: an added emptiness test whose
    branch rejects the value or answers none (`if not rule.eligible_tiers: raise InvalidRule(...)`)."""
    if not compliance.asks_empty_as_nothing(statement):
        return False
    code = [c for c in (compliance.code_only(line).strip() for line in added) if c]
    return any(
        (compliance.tests_empty(line) and any(_REJECTS.search(x) for x in code[i : i + 3]))
        or swift_forms.GUARD_REJECTS_EMPTY.search(line)
        for i, line in enumerate(code)
    )


def stops_empty_as_all(statement: str, added: Iterable[str], removed: Iterable[str]) -> bool:
    """A rule that an empty list means nothing, followed by taking out the code that broke it: the
    removed lines read an empty list as everything (`is_empty() || tiers.contains(t)`, an emptiness
    test returning true) and the added lines do not. The incident's remedy, not its cause again."""
    return (
        compliance.asks_empty_as_nothing(statement)
        and compliance.reads_empty_as_all(removed)
        and not compliance.reads_empty_as_all(added)
    )


# Verbs of a negative rule that forbid moving a number up or down.
_UP: Final = frozenset(stem(v) for v in ("raise", "increase", "bump", "lengthen", "extend", "grow"))
_DOWN: Final = frozenset(stem(v) for v in ("lower", "reduce", "decrease", "shorten", "cut"))
# `readTimeoutSeconds: 5`, `timeout = 30`, `flushInterval = 30 * time.Second`, `timeout: "5s"`.
_NUMBER_SETTING: Final = re.compile(
    r"([A-Za-z_][\w.-]*)[\"']?\s*[:=]\s*[\"']?(\d+(?:\.\d+)?)\s*(?:\*\s*time\.(\w+)|([a-z]+)\b)?"
)
_SECONDS: Final = {
    **dict.fromkeys(("ms", "millis", "millisecond", "milliseconds"), 0.001),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hour", "hours"), 3600.0),
}
# A unit in a setting's name (`readTimeoutSeconds`, `timeout_ms`).
_NAME_UNIT: Final = re.compile(r"(?:_|(?<=[a-z]))(ms|millis|seconds|secs|minutes|mins|hours)$", re.IGNORECASE)
_UNIT_STEMS: Final = frozenset(stem(u) for u in _SECONDS) | {stem("above"), stem("count")}
# "above 5 seconds", "beyond 30 s", "more than 10 minutes": the bound a raise must cross to break it.
_ABOVE: Final = re.compile(
    r"\b(?:above|beyond|over|more than|longer than)\s+(\d+(?:\.\d+)?)\s*([a-z]+)?", re.IGNORECASE
)


def _seconds(name: str, number: str, go_unit: str | None, suffix: str | None) -> float | None:
    """A setting's value in seconds when it has a unit (in its value or its name), else None."""
    unit = (go_unit or suffix or "").lower()
    if unit in _SECONDS:
        return float(number) * _SECONDS[unit]
    named = _NAME_UNIT.search(name)
    return float(number) * _SECONDS[named.group(1).lower()] if named else None


def _settings(lines: Iterable[str]) -> dict[str, tuple[float, float | None]]:
    """The number settings of ``lines`` by name: (the number as written, in seconds if a duration)."""
    out: dict[str, tuple[float, float | None]] = {}
    for line in lines:
        code = compliance.code_only(line)
        for name, number, go_unit, suffix in _NUMBER_SETTING.findall(code):
            out[name] = (float(number), _seconds(name, number, go_unit or None, suffix or None))
        for name, seconds in duration_forms.duration_settings(code):
            out[name] = (seconds, seconds)
    return out


def moved_settings(added: Iterable[str], removed: Iterable[str]) -> list[tuple[str, int, float]]:
    """The settings the change gives a bigger (+1) or smaller (-1) number than its removed lines did,
    as (name, direction, the new value in seconds when a duration, else as written)."""
    before = _settings(removed)
    out: list[tuple[str, int, float]] = []
    for name, (number, seconds) in _settings(added).items():
        if name not in before:
            continue
        old_number, old_seconds = before[name]
        new, old = (number, old_number)
        if seconds is not None and old_seconds is not None:
            new, old = seconds, old_seconds
        if new != old:
            out.append((name, 1 if new > old else -1, new))
    return out


def moves_forbidden_setting(
    statement: str, added: Iterable[str], removed: Iterable[str], around: Iterable[str] | None = None
) -> list[str]:
    """A negative rule against raising (or lowering) something, broken: the change gives a setting
    named by the rule's words a bigger (smaller) number than before (`readTimeoutSeconds: 5` made
    `30` against "Do not raise carrier client timeouts above 5 seconds"), past the rule's bound when
    it gives one. The names of the settings moved.

    With ``around`` (the code the change edits: hunk headers and context), what the rule says the
    setting belongs to must be there too: "carrier client timeouts" are not a liveness probe's
    `timeoutSeconds`, whose name shares only "timeout" (``of_what_the_rule_names``)."""
    added = list(added)
    verb, words = compliance.forbidden(statement)
    direction = 1 if verb in _UP else -1 if verb in _DOWN else 0
    if not direction:
        return []
    things = words - _UP - _DOWN - _UNIT_STEMS
    bound = _ABOVE.search(statement) if direction == 1 else None
    limit = float(bound.group(1)) * _SECONDS.get((bound.group(2) or "").lower(), 1.0) if bound else None
    near = (
        None
        if around is None
        else code_words.idioms(code_stems("\n".join(compliance.code_only(x) for x in [*added, *around])))
    )
    return [
        name
        for name, moved, value in moved_settings(added, removed)
        if moved == direction
        and code_stems(name) & things
        and (limit is None or value > limit)
        and (near is None or of_what_the_rule_names(statement, things, code_stems(name), near))
    ]


def of_what_the_rule_names(
    statement: str, things: frozenset[str], name: frozenset[str], near: frozenset[str]
) -> bool:
    """Whether a setting named ``name`` (its stems) is one of what a rule names ``things``: one of
    the rule's words that qualify the setting ("carrier" or "client" of "carrier client timeouts")
    is named by the setting or the code about it (``near``). Words the rule joins with "or" are one
    choice ("worker or thread count": a `threads` setting needs no "worker")."""
    # The thing itself is the rule's last word of them ("timeouts"); the words before it qualify it.
    said = [w for w in (stem(t.lower()) for t in re.findall(r"[A-Za-z]+", statement)) if w in things]
    qualifiers = set(things) - set(said[-1:])
    for group in compliance.alternatives(statement):
        if group & name:
            qualifiers -= group
    return not qualifiers or bool(qualifiers & (near | name))


EMPTY_AS_ALL: Final = "an empty list treated as matching everything instead of nothing"
OWNER_FROM_PATH: Final = "the tenant id taken from a path parameter of the URL instead of the verified token"
LOGIN_IN_FRONT: Final = "an authentication rule added in front of every path of an ingress"
DROP_WITH_READERS: Final = "a column dropped in the same release that stops using it"
REQUEST_LOGGED: Final = "a raw request body written to the application log"
UNBOUNDED_CALL: Final = "an outbound HTTP call to a third-party API made with no timeout"
RETRIES_EVERY_REQUEST: Final = (
    "a client that retries every request on timeout, a POST too, with no idempotency key"
)
UNSCOPED_LOOKUP: Final = "a record loaded by its id with no tenant filter, whoever owns it"
DESTRUCTIVE_DEFAULT: Final = "a deletion rule given a default value in a shared Terraform module"
HELD_STATE_IN_CACHE: Final = (
    "reservations stored only in a Redis cache with an eviction policy, lost when keys are evicted"
)
WAVES_REMOVED: Final = (
    "a configuration change pushed to all regions at once, the canary region and rollout waves removed"
)
EVERY_REGION_AT_ONCE: Final = "a configuration change pushed to every region at once in one commit"
NO_DEAD_LETTER: Final = (
    "a new message consumer with no dead-letter queue: a message that keeps failing is redelivered forever"
)
FAILING_TESTS_PASS: Final = (
    "continue-on-error set on a test step, so a failing test suite no longer fails the job"
)


def acts_in_lessons_words(added: list[str], around: list[str], removed: Sequence[str] = ()) -> list[str]:
    """What the added code does that lessons name in words no code says, as a query for them: an
    emptiness test that returns everything, a route that takes the owner from its path,
    authentication put in front of what a host serves, a column dropped by the change that moves
    its readers, a request logged whole, an outbound call with no timeout, a test step let fail, a
    retry put on every request of a client, a record loaded with no owner filter, a deletion
    setting given a default, reservations kept only in a cache, a rollout's waves taken out, a flag
    evaluated with a default (``flag_forms``)."""
    acts = []
    if compliance.reads_empty_as_all(added, around):
        acts.append(EMPTY_AS_ALL)
    code = [compliance.code_only(line) for line in added]
    if any(compliance.owner_in_path(line) for line in code):
        acts.append(OWNER_FROM_PATH)
    if any(code_forms.requires_login(line) for line in code):
        acts.append(LOGIN_IN_FRONT)
    if (
        code_forms.reads_dropped_column_anew(code, around, code_stems)
        or code_forms.stops_reading_dropped_column(code, removed)
        or code_forms.copies_dropped_column(code)
    ):
        acts.append(DROP_WITH_READERS)
    if logs_request_whole(added):
        acts.append(REQUEST_LOGGED)
    if timeout_forms.calls_out_unbounded(code, around, list(removed)):
        acts.append(UNBOUNDED_CALL)
    if code_forms.lets_tests_fail(code, around):
        acts.append(FAILING_TESTS_PASS)
    if code_forms.retries_every_request(code):
        acts.append(RETRIES_EVERY_REQUEST)
    if code_forms.unscoped_lookups(code, around):
        acts.append(UNSCOPED_LOOKUP)
    if code_forms.destructive_defaults(code):
        acts.append(DESTRUCTIVE_DEFAULT)
    if store_forms.keeps_held_state_in_cache(added):
        acts.append(HELD_STATE_IN_CACHE)
    if code_forms.drops_rollout_waves(added, removed):
        acts.append(WAVES_REMOVED)
    if consumers_without_dead_letter(added, removed):
        acts.append(NO_DEAD_LETTER)
    if replay_forms.sends_fresh_key(added):
        acts.append(replay_forms.FRESH_KEY_REPLAY)
    return acts + flag_forms.flag_acts(code)


# A document's narrative of the change that caused its incident: "a batching change raised the flush
# interval from 30 seconds to 10 minutes". The setting and the direction are the act.
_PROSE_MOVE: Final = re.compile(
    r"\b(raised|increased|bumped|lengthened|extended|lowered|reduced|decreased|shortened)\s+(?:the\s+)?"
    r"((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s+from\s+\d",
    re.IGNORECASE,
)
_UP_WORDS: Final = frozenset({"raised", "increased", "bumped", "lengthened", "extended"})


def moves_told(body: str) -> list[tuple[frozenset[str], int]]:
    """The settings a document says a change moved (their words, +1 up or -1 down)."""
    return [
        (code_stems(found.group(2)), 1 if found.group(1).lower() in _UP_WORDS else -1)
        for found in _PROSE_MOVE.finditer(" ".join(body.split()))
        if code_stems(found.group(2))
    ]


def repeats_told_move(body: str, moved: list[tuple[str, int, float]]) -> str:
    """The setting the change moves as the document says its incident's change did (the same words,
    the same direction: `flushInterval` raised, where "raised the flush interval from 30 seconds"),
    or ""."""
    for words, direction in moves_told(body):
        for name, moved_way, _ in moved:
            if moved_way == direction and words <= code_stems(name):
                return name
    return ""


def move_queries(moved: list[tuple[str, int, float]]) -> list[str]:
    """A query in a document's words for each setting the change moves ("raised the flush
    interval"), for the documents that tell of the same move."""
    return [
        f"{'raised' if way == 1 else 'lowered'} the {re.sub(r'(?<=[a-z])(?=[A-Z])|[_.-]', ' ', name).lower()}"
        for name, way, _ in moved[:5]
    ]


def documents_repeating_moves(
    kb: KnowledgeBase, document_ids: Iterable[int], moved: list[tuple[str, int, float]]
) -> dict[int, str]:
    """The documents (of ``document_ids``) that tell of a change moving a setting the way this change
    moves it, each with the setting's name."""
    if not moved:
        return {}
    bodies = kb.document_bodies(sorted(set(document_ids)))
    found = {doc: repeats_told_move(body, moved) for doc, body in bodies.items()}
    return {doc: name for doc, name in found.items() if name}


# A setting that names where something is stored (`SLOTS_REDIS_ADDR: host:6379`, `RESERVATIONS_REDIS_URL
# = "redis://host/1"`), and the first label of the host it names.
_ADDRESS_SETTING: Final = re.compile(
    r"([A-Za-z_][\w.-]*)[\"']?\s*[:=]\s*[\"']?(?:[a-z][\w+.-]*://)?([\w-]+)[.:/]"
)
_CACHE_HOST: Final = re.compile(r"cache|memcache", re.IGNORECASE)


def _addresses(lines: Iterable[str]) -> dict[str, str]:
    return {
        name.lower(): host.lower()
        for line in lines
        for name, host in _ADDRESS_SETTING.findall(compliance.code_only(line))
    }


def repoints_state_to_cache(added: Iterable[str], removed: Iterable[str]) -> list[str]:
    """Settings of a store that is not a cache, re-pointed by the change at a cache's host (the
    slots Redis address made `subscriptions-cache...`): what the setting kept is now stored where
    eviction decides how long it lives. Their names."""
    before = _addresses(removed)
    return [
        name
        for name, host in _addresses(added).items()
        if name in before
        and name != "value"  # a Kubernetes env value: its name is read with it (`NAME=value`)
        and host != before[name]
        and _CACHE_HOST.search(host)
        and not _CACHE_HOST.search(before[name])
        and not _CACHE_HOST.search(name)
    ]


# Where a clause asks for something to be (`keep dependency checks in /readyz`): a path or a name.
_PLACE: Final = re.compile(r"\bin\s+`?(/?[\w./-]+)`?\s*[.;]?\s*$")


def follows_later_clause(
    statement: str, added: list[str], removed: list[str], around: list[str]
) -> list[str]:
    """A positive rule of several asks ("Add a dependency-free /livez endpoint for liveness; keep
    dependency checks in /readyz") followed in a later one: that clause's words brought in
    (``compliance.follows``), where it says they go (its `in /readyz` named by the added lines or the
    code around them, the function they are added to)."""
    clauses = [c.strip() for c in statement.split(";")]
    if len(clauses) < 2 or not compliance.asked_for(clauses[0]):
        return []
    for clause in clauses[1:]:
        clause = clause[:1].upper() + clause[1:]
        brought = compliance.follows(clause, added, removed)
        place = _PLACE.search(clause)
        if brought and (
            place is None or code_stems(place.group(1)) <= code_stems("\n".join([*added, *around]))
        ):
            return brought
    return []


# A logging call (`logger.info(`, `s.logger.Info(`, `log.Printf(`, `console.log(`, `slog.Info(`; .NET's
# `_logger.LogInformation(` and Serilog's `Log.Information(`; PHP's `Log::info(` and
# `$this->logger->info(`), or a logging macro (Rust's `tracing` and `log`: `info!(`, `tracing::warn!(`,
# `event!(`; `slog`'s `info!(log, ...)`).
_LOG_CALL: Final = re.compile(
    r"\b_?(?:log|logger|logging|slog|console|zap|zerolog|structlog)\w*(?:(?:\.|::|->)\w+)*(?:\.|::|->)"
    r"(?:debug|info|information|warn\w*|error|critical|verbose|"
    r"log(?:trace|debug|information|warning|error|critical)?|print\w*|with|fatal|trace)!?\s*\("
    r"|(?<![\w.])(?:trace|debug|info|warn|error|event|crit)!\s*\("
    # C++: spdlog, glog, fmt (``cpp_forms.LOG_CALL``); Dart's `Logger('x').info(` (``dart_forms``)
    r"|" + cpp_forms.LOG_CALL.pattern + r"|" + dart_forms.LOG_CALL.pattern,
    re.IGNORECASE,
)
# The request itself as an argument, whole (`req`, `request`, `payload`, or a name ending in one of
# them: `claim_params`, `rawBody`), not a field of it (`req.ID`, `claim_params["id"]`); inside an
# interpolation too (`"#{inspect(claim_params)}"`, `f"{payload}"`, `${JSON.stringify(body)}`). Also
# as a structured field's value: a keyword argument or a field (`body=request.body` in structlog,
# `"req" => ?req` in slog, `payload = ?req` in tracing, whose `?` and `%` print a value by its
# `Debug` or `Display`), and the body a request carries (`request.body`, `request.json`, `r.Body`).
_WHOLE_REQUEST: Final = re.compile(
    r"(?:[(,{\[]|(?<![=!<>])=>?(?!=)|(?<!:):(?!:))\s*[?%]?&?\$?"
    r"(?:[A-Za-z]\w*_|[a-z]\w*(?=[A-Z]))?(?:[Rr]eq(?:uest)?|[Pp]ayload|[Bb]ody|[Pp]arams)"
    # PHP's and Laravel's whole input (`$request->all()`, `$request->getContent()`), or the body a
    # request carries (`request.body`, `request.json`)
    r"(?:->(?:all|input|getContent|json)\(\)|\s*\.\s*(?:[Bb]ody|data|json|get_json\(\)|form|text|content))?"
    r"\s*(?=[,)}\];])"
)


# A message template that destructures its argument whole (Serilog's `{@Request}`, `{@Body}`): every
# property of the object is written out, under a name that says it is the request.
_DESTRUCTURED_REQUEST: Final = re.compile(r"\{@\w*(?:req|request|payload|body|params)\}", re.IGNORECASE)


def logs_request_whole(added: Iterable[str]) -> bool:
    """An added logging call that passes the decoded request whole (`s.logger.Info("create",
    "request", req)`, `logger.info("%s", payload)`, Elixir's `Logger.info("... #{inspect(params)}")`,
    .NET's `_logger.LogInformation("... {@Request}", HaulierId, request)`): every field the client
    sent is written out. A call's arguments may run over the next lines (structlog's `log.warning(`,
    `"checkout_rejected",`, `submitted=request.data,`)."""
    depth = 0
    lisp = False
    for line in added:
        code = compliance.code_only(line)
        form = lisp_forms.LOG_FORM.search(code)
        if form is not None or (depth > 0 and lisp):
            # a Lisp form: its arguments run from the `(` that opens it to the one that closes it
            lisp = True
            args = code[form.start() :] if form else code
            depth = max(0, depth + args.count("(") - args.count(")"))
            if lisp_forms.passes_request_whole(args):
                return True
            continue
        lisp = False
        call = _LOG_CALL.search(code)
        if call is None and depth == 0:
            continue
        args = code[call.end() - 1 :] if call else code
        depth = max(0, depth + args.count("(") - args.count(")")) if call or depth else 0
        if (
            _WHOLE_REQUEST.search(args)
            or _DESTRUCTURED_REQUEST.search(args)
            or cpp_forms.PRINTED_WHOLE.search(args)
        ):
            return True
    return False


def drops_column_it_stops_reading(statement: str, added: list[str], removed: list[str]) -> bool:
    """A rule against dropping a column in the release that stops using it ("Never drop or rename a
    column in the same release that stops using it"), broken by a change that drops a column and
    takes out the code that read it (``code_forms.stops_reading_dropped_column``)."""
    verb, words = compliance.forbidden(statement)
    if verb not in (stem("drop"), stem("rename")) or stem("column") not in words:
        return False
    return bool(compliance.stops_using(statement, removed)) and code_forms.stops_reading_dropped_column(
        [compliance.code_only(line) for line in added], removed
    )


def done_by_shape(statement: str, added: list[str], removed: list[str], around: list[str]) -> list[str]:
    """The words of what a negative rule forbids that the change does in a form its words do not
    show: a setting moved past the rule's bound (``moves_forbidden_setting``), a column dropped by
    `remove_column` in the change that stops reading it, a retry handler on a whole client, a
    request logged whole by a logging macro that never says "log" (`info!(payload = ?req)`)."""
    if drops_column_it_stops_reading(statement, added, removed):
        return sorted(compliance.forbidden(statement)[1] & {stem("drop"), stem("column")})
    if logs_whole_request(statement, added):
        verb, words = compliance.forbidden(statement)
        return sorted({verb, stem("body")} & words)
    if retries_unsafe_requests(statement, added, around):
        return [stem("retry")]
    return moves_forbidden_setting(statement, added, removed, around)


def logs_other_values(statement: str, added: Iterable[str]) -> bool:
    """A rule against logging a kind of value ("Never log raw request or response bodies"), and
    added logging calls none of which passes a word of it (a call's arguments may run over the
    next lines): the change logs other values (`partition=#{message.partition}`), though the
    rule's words are on other lines (`message.raw_payload` parsed, a `request` loaded), or only as
    the owner of a field it passes (`kv("reason", body.reason())`)."""
    verb, words = compliance.forbidden(statement)
    if not verb.startswith("log"):
        return False
    thing = words - {verb}
    calls = []
    depth = 0
    for line in added:
        code = compliance.code_only(line)
        form = lisp_forms.LOG_FORM.search(code) if depth == 0 else None
        if form is not None:
            # a Lisp form opens before its name: what precedes it on the line (`(do`) is not logged
            code = code[form.start() :]
        if depth > 0 or form is not None or _LOG_CALL.search(code):
            calls.append(code)
            depth = max(0, depth + code.count("(") - code.count(")"))
    fields = [
        _RECEIVER.sub("", swift_forms.without_language_members(lisp_forms.without_receivers(call)))
        for call in calls
    ]
    return bool(calls) and not compliance.code_terms(fields) & thing


# A receiver of a member access: `body.reason()` logs the reason, a field of the body, not the body
# (`request.body` still logs the body).
_RECEIVER: Final = re.compile(r"\b[A-Za-z_]\w*\s*\.\s*(?=[A-Za-z_])")


def logs_whole_request(statement: str, added: Iterable[str]) -> bool:
    """A rule against logging request bodies ("Never log raw request or response bodies"), broken
    by an added logging call that passes the decoded request whole (``logs_request_whole``)."""
    verb, _ = compliance.forbidden(statement)
    if not verb.startswith("log") or compliance.forbidden_head(statement) != stem("body"):
        return False
    return logs_request_whole(added)


# A request that is not safe to send twice, in a rule's words ("a non-idempotent POST").
_UNSAFE_REQUEST: Final = frozenset(stem(w) for w in ("post", "put", "patch", "idempotent", "mutation"))


def retries_unsafe_requests(statement: str, added: list[str], around: list[str]) -> list[str]:
    """A rule against retrying a request that is not idempotent ("Never retry a non-idempotent POST on
    timeout unless the request carries an idempotency key"), broken by a retry put on every request of
    an HTTP client (``code_forms.retries_every_request``: a Polly `WaitAndRetryAsync` handler on a typed
    client) where no line the change adds or edits brings the rule's exception. The lines."""
    verb, words = compliance.forbidden(statement)
    if verb != stem("retry") or not words & _UNSAFE_REQUEST:
        return []
    found = code_forms.retries_every_request([compliance.code_only(line) for line in added])
    return [] if not found or compliance.brings_exception(statement, added, around) else found


_KEY_WORDS: Final = frozenset({stem("idempotency"), stem("key")})
_RETRY_WORDS: Final = frozenset({stem("retry"), stem("retries"), stem("attempt"), stem("retried")})


_LOCK_WORDS: Final = frozenset({stem("lock"), stem("locks"), stem("lock_timeout")})


def locks_nothing(statement: str, added: list[str]) -> bool:
    """A rule about what a migration's lock does ("Do not run migrations without lock_timeout,
    because a migration waiting for a lock blocks every query"), and a change whose migrations only
    change rows (``code_forms.changes_rows_only``: a batched backfill, the expand step of
    expand-and-contract): no table lock is taken for the rule to guard."""
    return bool(code_stems(statement) & _LOCK_WORDS) and code_forms.changes_rows_only(added)


_PAYMENT_WORDS: Final = frozenset(
    stem(w) for w in ("payment", "payments", "capture", "charge", "refund", "payout", "mutation", "mutations")
)


def retries_payment_without_key(statement: str, added: list[str], around: Sequence[str] = ()) -> list[str]:
    """A rule asking for an idempotency key on retried payment calls ("Payment capture retries must
    carry an idempotency key", "Require an Idempotency-Key header on every state-changing endpoint"),
    broken by a change that retries and sends a payment mutation with no key at all
    (``code_forms.retries_unkeyed_payment``). The calls."""
    words = code_stems(statement)
    if not words >= _KEY_WORDS or not words & (_RETRY_WORDS | _PAYMENT_WORDS):
        return []
    return code_forms.retries_unkeyed_payment(added, around)


def follows_by_shape(
    statement: str, added: list[str], around: list[str], removed: Sequence[str] = ()
) -> list[str]:
    """A positive rule followed in the code's shape rather than its words: an emptiness test that
    rejects the empty list (``rejects_empty``) or one that read it as everything taken out
    (``stops_empty_as_all``), or a retry whose request keeps a key made from the operation's id
    ("All clients that retry a payment mutation must send the same idempotency key on every
    attempt", kept by `@Retryable` over a function that sets `"payout:${request.payoutId}"`)."""
    if rejects_empty(statement, added):
        return ["rejects empty"]
    if flag_forms.defaults_flag_off(statement, added):
        return ["a flag that defaults to off"]
    if guard_forms.confirms_first(statement, added):
        return ["checks first and refuses"]
    if idempotence_forms.made_idempotent(statement, added):
        return ["idempotent on the key the rule names"]
    if stops_empty_as_all(statement, added, removed):
        return ["no longer reads an empty list as everything"]
    words = code_stems(statement)
    if (
        stem("readiness") in words
        and not compliance.forbidden(statement)[0]
        and checks_in_readiness(added, around)
    ):
        return ["a dependency check in readiness, not liveness"]
    if (
        not compliance.forbidden(statement)[0]
        and words >= _KEY_WORDS
        and words & _RETRY_WORDS
        and code_forms.keeps_stable_key(added, around)
    ):
        return ["a stable idempotency key on every attempt"]
    if (
        not compliance.forbidden(statement)[0]
        and words >= _ALLOW_LIST_WORDS
        and masking_forms.extends_allow_list(added, around)
    ):
        return ["fields named on an allow-list"]
    if words >= _TEST_COUNT_WORDS and words & _DROP_WORDS and guards_test_count(added):
        return ["a guard on the number of tests run"]
    if words >= _SPREAD_WORDS and words & _ZONE_WORDS and spreads_with_budget(added):
        return ["replicas spread across zones with a disruption budget"]
    return []


# A rule that fails a build on fewer tests run ("Fail the pipeline when the number of executed tests
# drops by more than 5%").
_TEST_COUNT_WORDS: Final = frozenset({stem("number"), stem("tests"), stem("executed")})
_DROP_WORDS: Final = frozenset({stem("drops"), stem("fewer"), stem("decreases"), stem("shrinks")})
# A step that counts the tests a run executed and compares the count (`check_test_count.py
# reports/junit.xml --max-drop 5%`, `verify-test-count`, `--min-tests 1200`): a comment that says so
# is not the step.
_TEST_COUNT_GUARD: Final = re.compile(
    r"\b\w*tests?[-_]?counts?\w*\b|\bmin(?:imum)?[-_]?tests\b|\b(?:executed|ran)[-_]tests\b", re.IGNORECASE
)


def guards_test_count(added: Iterable[str]) -> bool:
    """The added code runs a guard on how many tests a run executed (``_TEST_COUNT_GUARD``)."""
    return any(_TEST_COUNT_GUARD.search(compliance.code_only(line)) for line in added)


# A rule that asks for replicas with a disruption budget across zones ("Run at least three webhook
# replicas with a PodDisruptionBudget and anti-affinity across zones").
_SPREAD_WORDS: Final = frozenset({stem("replicas"), stem("poddisruptionbudget")})
_ZONE_WORDS: Final = frozenset({stem("zones"), stem("zone"), stem("anti-affinity"), stem("affinity")})
_REPLICAS: Final = re.compile(r"^\s*replicas:\s*([3-9]|\d{2,})\s*$")
_BUDGET: Final = re.compile(r"^\s*kind:\s*PodDisruptionBudget\b")
# Pods kept apart by zone: a topology spread or an anti-affinity term keyed on the zone label.
_ZONE_SPREAD: Final = re.compile(r"\btopologySpreadConstraints:|\bpodAntiAffinity:")
_ZONE_KEY: Final = re.compile(
    r"\btopologyKey:\s*[\"']?(?:topology\.kubernetes\.io|failure-domain\.beta\.kubernetes\.io)/zone\b"
)


def spreads_with_budget(added: Sequence[str]) -> bool:
    """The added manifests run three or more replicas, keep them apart by zone (a topology spread
    or pod anti-affinity on the zone key) and give them a PodDisruptionBudget: what a rule asking
    for replicas across zones with a budget asks, whatever its words ("anti-affinity", "three")."""
    return (
        any(_REPLICAS.match(line) for line in added)
        and any(_BUDGET.match(line) for line in added)
        and any(_ZONE_SPREAD.search(line) for line in added)
        and any(_ZONE_KEY.search(line) for line in added)
    )


# A rule about the fields an allow-list lets through ("Log events must use named fields from the
# allow-list").
_ALLOW_LIST_WORDS: Final = frozenset({stem("field"), stem("allow")})


# A dependency's check in code (`Redis::connection('queues')->ping()`, `db.PingContext`, `select 1`,
# `pg_isready`) and a readiness handler (`readyz()`, `'status' => 'ready'`) or a liveness one.
_DEPENDENCY_CHECK: Final = re.compile(r"\bping\w*\s*\(|\bselect\s+1\b|\bpg_isready\b", re.IGNORECASE)
_READINESS: Final = re.compile(r"(?<!al)ready|readiness", re.IGNORECASE)  # not "already"
_LIVENESS: Final = re.compile(r"(?<![a-z])(?:live|alive)|liveness", re.IGNORECASE)  # not "delivery"


# A line that ends a statement or a block (`...});`, `}`): complete on its line when its brackets
# balance. A signature whose body opens on the next line (`public function livez(): JsonResponse`)
# does not end one, so it still holds what follows.
_ENDS_STATEMENT: Final = re.compile(r"[;)}\]]\s*$")


def checks_in_readiness(added: list[str], around: list[str]) -> bool:
    """The change adds a dependency check (``_DEPENDENCY_CHECK``) to a readiness handler: its code,
    added or around, names readiness and nothing of liveness. That is the probe split a rule "Use
    readiness probes to shed traffic ... and reserve liveness probes for ..." asks for. A liveness
    handler complete on its line around them (`http.Get("/livez", [](auto&, auto& res) { ... });`)
    holds none of the added lines."""
    code = [compliance.code_only(line) for line in [*added, *around]]
    holding = [compliance.code_only(line) for line in added] + [
        line
        for line in code[len(added) :]
        if code_words.holds_what_follows(line) or not _ENDS_STATEMENT.search(line)
    ]
    return (
        any(_DEPENDENCY_CHECK.search(compliance.code_only(line)) for line in added)
        and any(_READINESS.search(line) for line in code)
        and not any(_LIVENESS.search(line) for line in holding)
    )


# The kind of bucket a rule protects: "every bucket that stores evidence or data with a legal retention
# period", "buckets holding audit exports".
_PROTECTED_BUCKETS: Final = re.compile(
    r"\bbuckets?\s+(?:(?:that|which)\s+(?:stores?|holds?|keeps?|contains?)|storing|holding|containing)"
    r"\s+([^.;,]+)",
    re.IGNORECASE,
)
# Words of most code and settings: "data" does not tell an evidence bucket from any other.
_PLAIN_KIND: Final = frozenset(stem(w) for w in ("data", "object", "objects", "file", "files", "the"))


def protected_kind(statement: str) -> frozenset[str]:
    """The words of the kind of bucket a rule protects ("evidence", "legal", "retention" of "every
    bucket that stores evidence or data with a legal retention period"); empty for other rules."""
    found = _PROTECTED_BUCKETS.search(statement)
    return code_stems(found.group(1)) - _PLAIN_KIND if found else frozenset()


def expires_protected_bucket(statement: str, added: list[str], around: list[str]) -> bool:
    """A rule that protects a kind of bucket, broken: the change adds an expiration rule over the
    whole of a bucket of that kind (`filter {}` in the lifecycle configuration of `claim_evidence`),
    so every object it keeps for that reason is deleted once it is old enough."""
    kind = protected_kind(statement)
    if not kind or not code_forms.expires_whole_bucket(added):
        return False
    return bool(kind & code_stems("\n".join(compliance.code_only(x) for x in [*added, *around])))


# What a rule against destructive defaults names: "Never give destructive settings such as expiration or
# deletion rules a default value in a shared module".
_DESTRUCTIVE: Final = frozenset(
    stem(w) for w in ("destructive", "expiration", "deletion", "delete", "expire")
)


def defaults_destructive_setting(statement: str, added: list[str], around: Sequence[str] = ()) -> list[str]:
    """A rule against giving destructive settings a default, broken: the change adds a module input
    that deletes or expires (`variable "delete_after_days"`) with a default value
    (``code_forms.destructive_defaults``). The inputs."""
    if not against_destructive_defaults(statement):
        return []
    return code_forms.destructive_defaults(added, around)


def against_destructive_defaults(statement: str) -> bool:
    """A negative rule against giving destructive settings (expiration, deletion) a default."""
    words = compliance.forbidden(statement)[1]
    return stem("default") in words and bool(words & _DESTRUCTIVE)


# A rule against letting a failing suite pass: "Never set `continue-on-error` on a test step".
_AGAINST_FAILURE_ALLOWED: Final = re.compile(
    r"\b(?:never|not|no)\b.*\b(?:continue-?on-?error|allow_?failure|allowed to fail)", re.IGNORECASE
)


def lets_tests_fail_against(statement: str, added: list[str], around: list[str]) -> bool:
    """A rule against letting tests fail quietly, broken: the change lets a failing step pass
    (`continue-on-error: true`) on a step that runs tests."""
    if not _AGAINST_FAILURE_ALLOWED.search(statement):
        return False
    return code_forms.lets_tests_fail([compliance.code_only(line) for line in added], around)


def asks_what_the_change_does(statement: str, added: list[str], removed: list[str]) -> str:
    """Why a positive rule of a document the change runs into is worth weighing though the retrieval
    did not bring it: the change removes what it asks for, or brings it (Object Lock added to a
    bucket where a sibling lesson names the lifecycle rule the change also sets), as a short reason;
    else ""."""
    if compliance.undoes(statement, added, removed):
        return "the change removes what it asks for"
    if compliance.follows(statement, added, removed):
        return "the change brings what it asks for"
    return ""


# A liveness probe in a manifest or a chart's values (`livenessProbe:`, `liveness:`), and a health path
# that checks the app's dependencies: Spring Boot's aggregate `/actuator/health` (every indicator: the
# database, Kafka, Redis) or one of its groups other than `liveness` and `ping`; or the readiness
# endpoint (`/readyz`, `/ready`, `/health/readiness`), which exists to report the dependencies; or a
# bare `/health`, the aggregate check ASP.NET's `MapHealthChecks` and most hand-written handlers serve.
_LIVENESS_KEY: Final = re.compile(r"^\s*-?\s*liveness\w*\s*:", re.IGNORECASE)
_AGGREGATE_HEALTH: Final = re.compile(
    r"\bpath\s*:\s*[\"']?(?:/actuator/health(?:/(?!liveness\b|ping\b)[\w-]+)?"
    r"|(?:/[\w-]+)*/(?:readyz|ready|readiness|health))/?[\"']?\s*$"
)
_ABOUT_DEPENDENCIES: Final = frozenset(
    stem(w) for w in ("database", "databases", "dependency", "dependencies", "downstream", "depend")
)


def probes_liveness_on_dependencies(statement: str, added: list[str]) -> list[str]:
    """A rule against a liveness probe that depends on databases or downstream services, broken: the
    change points a liveness probe (within the three lines under its key) at an aggregate health
    endpoint (``_AGGREGATE_HEALTH``), which reports down when a dependency is slow. The path lines."""
    words = code_stems(statement)
    if stem("liveness") not in words or not words & _ABOUT_DEPENDENCIES:
        return []
    code = [compliance.code_only(line) for line in added]
    return [
        line.strip()
        for i, line in enumerate(code)
        if _AGGREGATE_HEALTH.search(line) and any(_LIVENESS_KEY.match(x) for x in code[max(0, i - 3) : i])
    ]


def keeps_state_in_cache(statement: str, added: list[str]) -> list[str]:
    """A rule that keeps durable state out of caches ("Never store data that must not be lost in a
    Redis instance configured with an eviction policy"), broken: the change writes reservations,
    holds or bookings to a store named as a cache and to no database
    (``store_forms.keeps_held_state_in_cache``). The writing lines."""
    if not compliance.about_state_in_cache(statement):
        return []
    return store_forms.keeps_held_state_in_cache(added)
