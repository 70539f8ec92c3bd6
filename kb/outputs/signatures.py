"""Incident signatures: the code a document names as the cause of a failure, and the safeguard it
names as the fix, so the gate can tell a change that repeats an incident from one that handles it.

Postmortems and ADRs quote the code they are about: "called the carrier with `requests.post(url,
json=payload)` and no `timeout` argument", "built an index without `CONCURRENTLY`", "Set
`lock_timeout = '3s'` in the migration runner". A quoted span is

- a **safeguard** when the text says it was missing ("no", "without", "missing") or when a fix
  section (action items, lessons, decision, remediation...) asks for it;
- a **risk** when a cause section (summary, root cause, contributing factors, context...) names it,
  or any section says to avoid it ("never", "instead of", "rejects"...).

Paths, service names and bare words are left out: a path or a name alone says where a change is,
not what it does. A change *repeats* a document when its added lines contain one of the document's
risks and none of its safeguards, or when it removes a safeguard; it *handles* the document when it
adds a safeguard. Both are evidence beside the similarity of the change to the lessons, never a
decision on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from kb.outputs import code_forms, kept_routes, owner_forms
from kb.text import STOPWORDS, split_identifier, stem


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SPAN: Final = re.compile(r"`([^`\n]{2,120})`")
_HEADING: Final = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_LABEL: Final = re.compile(r"^\s{0,3}(?:[-*+]\s+)?\*\*([^*]{2,60}?)\*\*\s*:?")
_ITEM: Final = re.compile(r"^\s{0,3}[-*+]\s")
_TOKEN: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

# Section headings by what they say about the code they quote (matched as words of the heading).
_CAUSE_WORDS: Final = _words(
    "summary root cause causes contributing factors what happened trigger triggers context "
    "problem background detection why went wrong analysis timeline"
)
_FIX_WORDS: Final = _words(
    "action actions items lessons learned remediation follow up ups decision decisions "
    "mitigation prevention prevent recommendations resolution consequences corrective measures "
    "improvements rules guidance"
)
# Words just before a quoted span that say the span was missing (so it is what was needed) ...
_MISSING: Final = frozenset({"no", "without", "missing", "lacked", "lacks", "lacking", "omitted"})
# ... or that it is to be avoided.
_AVOID: Final = _words(
    "never not avoid instead rather reject rejects rejecting block blocks blocking forbid "
    "forbids disallow disallows ban bans prevent prevents"
)
# Words before a span in a fix section that ask for it; other spans there name what a rule applies
# to ("an `Idempotency-Key` header on `POST /captures`": the key is asked for, the endpoint is scope).
_DEMAND: Final = _words(
    "require requires required requiring set sets use uses using add adds adding send sends "
    "with always enable enables enforce enforces must mandatory pass passes include includes"
)
_LOOKBACK: Final = 4  # words before a span read for its polarity
# A word just before a span that says its value was bad: the span names a field, not code.
_BAD_VALUE: Final = _words("null empty blank malformed invalid")
# A word just before a span that says it is quoted as a default's value.
_DEFAULT: Final = _words("default defaults")


@dataclass(frozen=True, slots=True)
class Signatures:
    """A document's quoted risks and safeguards, each as the set of words that must all appear."""

    risks: tuple[frozenset[str], ...]
    safeguards: tuple[frozenset[str], ...]
    labels: dict[frozenset[str], str]  # the span as written, for `why`
    # Settings a fix section bounds ("`timeoutSeconds` to at least 5"), by lower-case name:
    # ("least" | "most", N, seconds per unit when N is a duration).
    bounds: dict[str, Bound] = field(default_factory=dict)
    # Risks quoted as the value of a default ("a column with a volatile default
    # (`gen_random_uuid()`)"): found only where code gives something that default.
    defaults: frozenset[frozenset[str]] = frozenset()

    def required(self, words: frozenset[str]) -> frozenset[str]:
        """The words of a span that must all be found (``required_words``, or an SQL statement's
        whole shape)."""
        span = self.labels.get(words, "")
        return words if _statement_shape(span) else required_words(span)

    def __bool__(self) -> bool:
        return bool(self.risks or self.safeguards)


@lru_cache(maxsize=1024)  # a change's lines are read once per lesson it is weighed against
def code_words(text: str) -> frozenset[str]:
    """Lower-case words of code or prose, identifiers also split (``timeoutSeconds`` gives
    ``timeoutseconds``, ``timeout`` and ``seconds``)."""
    words: set[str] = set()
    for raw in _TOKEN.findall(text):
        low = raw.lower()
        words.add(low)
        for part in (*split_identifier(raw), *raw.split("_")):
            if len(part) >= 2:
                words.add(part.lower())
    return frozenset(words)


@lru_cache(maxsize=1024)
def code_stems(text: str) -> frozenset[str]:
    """The stems of :func:`code_words` of three letters or more, stopwords left out: how the gate
    compares a change's lines with a lesson's words."""
    return frozenset(stem(w) for w in code_words(text) if len(w) >= 3 and w not in STOPWORDS)


# An HTTP route that takes a path parameter (`GET /v2/shipments/{id}`, `router.get('/x/:id')`,
# `@app.route("/x/<int:id>")`): what a by-id endpoint looks like in any framework. A document that
# quotes one as a cause is about loading a record by an id from the request, whatever the record.
# A path matched by a regular expression names its parameter as a named group (nginx `location ~
# ^/v1/bookings/(?<booking_id>\d+)$`, Django `re_path(r"^bookings/(?P<pk>\d+)/$")`).
_ROUTE_PARAM: Final = re.compile(
    r"/(?:\{(?:[A-Za-z_]\w*|\d+)\}|:[A-Za-z_]\w*|<(?:\w+:)?[A-Za-z_]\w*>|\(\?P?<[A-Za-z_]\w*>)"
)
# The method as a word, or inside the names frameworks give it: Spring's `@GetMapping`, ASP.NET's
# `[HttpGet]` and `app.MapGet(...)`.
_ROUTE_METHOD: Final = re.compile(
    r"(?:\b|(?<=http)|(?<=map))(get|post|put|patch|delete)(?:\b|(?=mapping))", re.IGNORECASE
)
# One word per method, that no tokenizer produces: a POST route and a `.get(` elsewhere in the
# change are not a GET route.
ROUTE_WITH_PARAMETER: Final = "route-with-parameter:"


def _route_words(text: str) -> frozenset[str]:
    """The marker of a route with a path parameter in ``text``, with its method, if it has one."""
    if not _ROUTE_PARAM.search(text):
        return frozenset()
    method = _ROUTE_METHOD.search(text)
    if method:
        return frozenset({ROUTE_WITH_PARAMETER + method.group(1).lower()})
    # Flask's `@app.route("/x/<id>")`, Go's `HandleFunc`, an nginx `location` and Django's `re_path`
    # answer GET unless told otherwise.
    declared = re.search(r"route|handle|^\s*location\b|\bre_path\(", text, re.I | re.M)
    return frozenset({ROUTE_WITH_PARAMETER + "get"}) if declared else frozenset()


# A setting given a literal or a number (`failureThreshold: 3`, `Ready=False`, `expiration = 30`):
# the value is what the document is about, so the pair is one word, as the change's lines give it too.
_SETTING: Final = re.compile(
    r"([A-Za-z_][\w-]*)[\"']?\s*[:=]\s*[\"']?([A-Za-z]+|\d+(?:\.\d+)?)\b(?![.\w]|\s*[:=])"
)
# SQL keywords, upper case as statements are quoted: a statement of three or more of them is found
# by its shape (keywords and the functions it calls), whatever the table and column names.
_SQL_KEYWORDS: Final = _words(
    "CREATE ALTER DROP TABLE INDEX UNIQUE ON ADD COLUMN DEFAULT NOT NULL SET RENAME TO CONCURRENTLY "
    "IF EXISTS PRIMARY KEY REFERENCES CONSTRAINT VALIDATE UPDATE DELETE FROM WHERE INSERT INTO"
)
_CALL: Final = re.compile(r"([A-Za-z_][\w.]*)\(")


def setting_words(text: str) -> frozenset[str]:
    """``key=value`` words of the settings in ``text`` whose value is a literal or a number."""
    return frozenset(
        f"{key.lower()}={value.lower()}"
        for key, value in _SETTING.findall(text)
        if value.lower() in _LITERALS or value[0].isdigit()
    )


def _setting_span(span: str) -> frozenset[str]:
    """For a span that is one setting of one word to a literal or a number, its name and the pair."""
    found = _SETTING.fullmatch(span.strip())
    if not found or len(_TOKEN.findall(found.group(1))) != 1 or "-" in found.group(1):
        return frozenset()
    pair = setting_words(span)
    return frozenset({found.group(1).lower(), *pair}) if pair else frozenset()


def _statement_shape(span: str) -> frozenset[str]:
    """A quoted SQL statement's keywords and called functions (`CREATE INDEX orders_priority_idx ON
    orders (priority_token)` is `CREATE INDEX ... ON` on any table); empty for anything else."""
    tokens = _TOKEN.findall(span)
    keywords = [t for t in tokens if t in _SQL_KEYWORDS]
    if len(keywords) < 3 or tokens[0] not in _SQL_KEYWORDS:
        return frozenset()
    calls = {c.lower() for c in _CALL.findall(span)}
    return frozenset({k.lower() for k in keywords if len(k) >= 3 and k.lower() not in STOPWORDS} | calls)


def required_words(span: str) -> frozenset[str]:
    """Words of a span that must all be in a change however long the span is: the function a quoted
    call calls (`requests.post(url, json=payload)` is not found in Go code that posts JSON to a URL)."""
    call = re.match(r"\s*([A-Za-z_][\w.]*)\(", span)
    if not call or _statement_shape(span):
        return frozenset()
    return frozenset(w.lower() for w in _TOKEN.findall(call.group(1)) if len(w) >= 3) & _span_words(span)


def _span_words(span: str, *, acts: bool = True) -> frozenset[str]:
    """The words a span needs to be found in a change: its identifiers, whole (not their parts),
    without stopwords, placeholders or numbers; for a route with a path parameter, its method and
    the route marker (the route's own nouns name one case of it); for a setting of a literal or a
    number, the name and the pair; for an SQL statement, its shape."""
    route = _route_words(span)
    if route:
        return route
    if acts and code_forms.outbound_http_span(span):
        # `requests.post(url)`, `http.DefaultClient`: an outbound HTTP call, in whatever client.
        return frozenset({code_forms.OUTBOUND_HTTP})
    setting = _setting_span(span)
    if setting:
        return setting
    shape = _statement_shape(span)
    if shape:
        return shape
    cleaned = re.sub(r"<[^>]*>", " ", span)  # <order_id>, <region>: placeholders, not code
    words = {w.lower() for w in _TOKEN.findall(cleaned)}
    words = {w for w in words if len(w) >= 3 and w not in STOPWORDS}
    # A literal is the value a setting was given (`continue-on-error: true`); the setting is the
    # signature, unless the literal is all that tells it from a common word (`Ready=False`).
    named = words - _LITERALS
    return frozenset(named if len(named) >= 2 else words)


_LITERALS: Final = frozenset({"true", "false", "null", "none", "nil", "yes"})


def _is_location(span: str, services: Iterable[str]) -> bool:
    """A path, a glob, a URL or host, or a service name: where, not what."""
    stripped = span.strip()
    if stripped.lower() in {s.lower() for s in services}:
        return True
    if " " not in stripped and ("/" in stripped or stripped.count(".") >= 2):
        return True
    # A bare lowercase word or hyphenated name (`orders`, `label-service`, a topic such as
    # `orders.ready-for-dispatch`) is a name, not code.
    if "-" in stripped and re.fullmatch(r"[a-z][a-z0-9]*(?:[.-][a-z0-9]+)+", stripped):
        return True
    return bool(re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", stripped))


def _is_code(span: str) -> bool:
    """Code rather than a word: punctuation, an identifier with ``_`` or inner capitals, or several
    words (``INFO`` or ``SHARE`` alone would match any change that says them)."""
    stripped = span.strip()
    return (
        " " in stripped
        or bool(re.search(r"[._=():\[\]{}]", stripped))
        or bool(re.search(r"[a-z][A-Z]", stripped))
    )


# A timeline row that reports the repair ("Liveness probe patched to `failureThreshold: 6`",
# "Retries disabled via the `checkout.capture_retry` flag") quotes the fix or the tool, not the cause.
_REPAIR: Final = _words(
    "patched fixed reverted revert rolled disabled cancelled canceled restored removed skipped "
    "mitigated paused deleted renewed"
)


_BOUND: Final = re.compile(r"\s*(?:to|of)\s+at\s+(least|most)\s+(\d+(?:\.\d+)?)(?:\s*([A-Za-z]+))?")

# A bound or a value given with a time unit: `lock_timeout` "of at most 5 seconds" is met by
# `'3000ms'`, not broken by it.
Bound = tuple[str, float, float | None]
_SECONDS_PER: Final = {
    **dict.fromkeys(("ms", "msec", "millis", "millisecond", "milliseconds"), 0.001),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hour", "hours"), 3600.0),
}


_BARE_CALL: Final = re.compile(r"[a-z_]\w*\.[a-z_]\w*")


def _reports_repair(line: str) -> bool:
    return line.lstrip().startswith("|") and bool(_REPAIR & set(re.findall(r"[a-z]+", line.lower())))


def _role(heading: str) -> str | None:
    words = set(re.findall(r"[a-z]+", heading.lower()))
    if words & _FIX_WORDS:
        return "fix"
    if words & _CAUSE_WORDS:
        return "cause"
    return None


@lru_cache(maxsize=512)
def extract(body: str, services: tuple[str, ...] = ()) -> Signatures:
    """The quoted risks and safeguards of a Markdown document (pure; cached by its text)."""
    risks: dict[frozenset[str], str] = {}
    safeguards: dict[frozenset[str], str] = {}
    bounds: dict[str, Bound] = {}
    defaults: set[frozenset[str]] = set()
    role: str | None = "cause"  # text before the first heading is a summary
    # A bold label opening a paragraph or list item ("- **Root cause**: ...") is a heading for that
    # item, as templates that keep their fields in one list write it.
    item_role: str | None = None
    in_fence = False
    for line in body.splitlines():
        label = _LABEL.match(line)
        if label:
            item_role = _role(label.group(1))
        elif not line.strip() or _ITEM.match(line):
            item_role = None
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            role, item_role = _role(heading.group(1)), None
            continue
        here = item_role or role
        if here == "cause" and _reports_repair(line):
            continue
        for match in _SPAN.finditer(line):
            span = match.group(1)
            words = _span_words(span)
            if not words or _is_location(span, services):
                continue
            before = re.findall(r"[a-z']+", line[: match.start()].lower())[-_LOOKBACK:]
            if before and before[-1] in _BAD_VALUE:
                continue  # "an event with a null `warehouse_id`": the field's value, not the field
            if _MISSING & set(before):
                safeguards.setdefault(_as_safeguard(span, words), span)
            elif _AVOID & set(before) or (here == "cause" and _is_code(span)):
                risks.setdefault(words, span)
                if before and before[-1] in _DEFAULT:
                    defaults.add(words)
            elif here == "fix" and _DEMAND & set(before):
                safeguards.setdefault(_as_safeguard(span, words), span)
            bound = _BOUND.match(line[match.end() :])
            if here == "fix" and bound and re.fullmatch(r"[A-Za-z_][\w.-]*", span):
                unit = _SECONDS_PER.get((bound.group(3) or "").lower())
                bounds[span.lower()] = (bound.group(1), float(bound.group(2)), unit)
    # A span named both ways (quoted as the cause and as the fix) says nothing either way.
    both = risks.keys() & safeguards.keys()
    labels = {**risks, **safeguards}
    # A bare call (`logger.info`, a function's name alone) names the tool the incident used; only a
    # safeguard the document quotes beside it (`timeout=` for `requests.post`) tells a careless use
    # from a careful one. Without one, every use of the tool would read as the incident repeated.
    if not safeguards:
        both |= {w for w, span in risks.items() if _BARE_CALL.fullmatch(span.strip())}
    return Signatures(
        risks=tuple(w for w in risks if w not in both),
        safeguards=tuple(w for w in safeguards if w not in both),
        labels=labels,
        bounds=bounds,
        defaults=frozenset(defaults),
    )


def _as_safeguard(span: str, words: frozenset[str]) -> frozenset[str]:
    """A safeguard's words: the careful call itself (`httpx.Client(timeout=5)`), not every HTTP call,
    which is what the same span names as a cause."""
    return _span_words(span, acts=False) if words == {code_forms.OUTBOUND_HTTP} else words


@dataclass(frozen=True, slots=True)
class SignatureMatch:
    """What a change does with a document's quoted risks and safeguards."""

    risks: tuple[str, ...] = ()  # risks the change adds
    added_safeguards: tuple[str, ...] = ()  # safeguards the change adds
    removed_safeguards: tuple[str, ...] = ()  # safeguards the change removes (and does not re-add)
    missing_safeguards: tuple[str, ...] = ()  # the document's safeguards the change does not add
    # Added safeguards that the removed lines did not already hold: brought in, not rewritten.
    new_safeguards: tuple[str, ...] = ()

    @property
    def repeats(self) -> bool:
        """The change adds what the document names as the cause, without its safeguard, or takes a
        safeguard away."""
        return (bool(self.risks) and not self.added_safeguards) or bool(self.removed_safeguards)

    @property
    def guards_only(self) -> bool:
        """The change adds safeguards of the document and none of its causes, and takes none away:
        it is working on that incident's fix, whatever its words share with the lessons. A safeguard
        it only rewrites (an idempotency key made per attempt) does not count."""
        return bool(self.new_safeguards) and not self.risks and not self.removed_safeguards

    def unguarded(self, lesson: str) -> bool:
        """The change adds the incident's cause without a safeguard this lesson speaks of: the
        incident named the risk and its guard, and the change brings one without the other."""
        return (
            bool(self.risks)
            and _speaks_of(lesson, self.missing_safeguards)
            and not _speaks_of(lesson, self.added_safeguards)
        )

    def names_risk(self, lesson: str) -> bool:
        """The change adds a quoted cause that this lesson itself names (the lesson "Never set
        `continue-on-error` on a test step" and a change that sets it), with no safeguard added."""
        return self.repeats and bool(self.risks) and _speaks_of(lesson, self.risks)

    def takes_away(self, lesson: str) -> bool:
        """The change removes (or switches off) a safeguard this lesson names (`timeout=None` where
        the lesson asks for timeouts)."""
        return bool(self.removed_safeguards) and _speaks_of(lesson, self.removed_safeguards)

    def handles(self, lesson: str) -> bool:
        """The change adds a safeguard this lesson speaks of (a document asks for several; adding
        `lock_timeout` handles the lesson about lock timeouts, not the one about dropping columns)."""
        return not self.removed_safeguards and _speaks_of(lesson, self.added_safeguards)

    def describe(self) -> list[str]:
        parts = []
        if self.risks:
            parts.append("adds " + ", ".join(f"`{r}`" for r in self.risks[:3]) + " (named as a cause)")
        if self.added_safeguards:
            parts.append("adds the safeguard " + ", ".join(f"`{s}`" for s in self.added_safeguards[:3]))
        if self.removed_safeguards:
            parts.append("removes the safeguard " + ", ".join(f"`{s}`" for s in self.removed_safeguards[:3]))
        return parts

    def to_dict(self) -> dict[str, list[str]]:
        return {
            "risks": list(self.risks),
            "added_safeguards": list(self.added_safeguards),
            "removed_safeguards": list(self.removed_safeguards),
            "missing_safeguards": list(self.missing_safeguards),
            "new_safeguards": list(self.new_safeguards),
        }


def _speaks_of(lesson: str, spans: Iterable[str]) -> bool:
    """Whether a lesson names any of the quoted spans: one of a span's identifiers, whole (the
    lesson that names `tenant_id` or "idempotency key", not every lesson that says "order" because a
    span quotes `order_id`)."""
    lesson_words = code_stems(lesson) | _route_words(lesson)
    return any(_span_stems(span) & lesson_words for span in spans)


def _span_stems(span: str) -> frozenset[str]:
    """A span's words as a lesson's are compared: stemmed, or the route marker as it is. An adverb
    also counts as its adjective (`CONCURRENTLY` is what "concurrent indexes" asks for)."""
    route = _route_words(span)
    if route:
        return route
    if code_forms.outbound_http_span(span):
        return frozenset({code_forms.OUTBOUND_HTTP})
    words = _span_words(span)
    adjectives = {w[:-2] for w in words if w.endswith("ly") and len(w) > 5}
    return frozenset(stem(w) for w in words | adjectives)


def _present(words: frozenset[str], found: frozenset[str], required: frozenset[str] = frozenset()) -> bool:
    """All of a short span's words (up to three), or most of a long one's (a message quoted in full
    recurs with other names), and all of its ``required`` words."""
    if not required <= found:
        return False
    hits = len(words & found)
    if len(words) <= 3:
        return hits == len(words)  # `alembic upgrade head` is not any migration that says "upgrade"
    # Two generic words (``column``, ``orders``) of a quoted error message are not the message.
    return hits >= max(3, round(0.6 * len(words)))


# The key of the party that owns a record (`merchant_id`, `accountId`, `org_id`): how code spells the
# tenant that a document's `tenant_id` names.
_OWNER_KEY: Final = owner_forms.OWNER_KEY
TENANT_KEY: Final = "tenant_id"
OWNER_KEY: Final = _OWNER_KEY


def _line_words(line: str, owner_key: re.Pattern[str] = _OWNER_KEY) -> frozenset[str]:
    """What a change's line is matched by: its code words, route marker and literal settings, and
    `tenant_id` for an owner key (``owner_key``: as the change spells it, ``owner_forms.owner_key_of``)."""
    words = code_words(line) | _route_words(line) | setting_words(line)
    # The same act in another framework's spelling (``kb.outputs.code_forms``): Go's `http.Post` is
    # the outbound call a document quotes as `requests.post`; Django's `AddIndex` builds an index.
    if code_forms.outbound_http(line):
        words |= {code_forms.OUTBOUND_HTTP}
    if code_forms.builds_index(line):
        words |= code_forms.INDEX_WORDS
    if code_forms.lets_failure_pass(line):
        words |= code_forms.FAILURE_ALLOWED_WORDS
    return words | {TENANT_KEY} if owner_key.search(line) else words


def _guarded(
    risk: frozenset[str],
    added_lines: list[frozenset[str]],
    safeguards: list[frozenset[str]],
    required: frozenset[str],
) -> bool:
    """Every added line that holds the quoted cause also holds a quoted safeguard: the change writes
    the guarded form (``CREATE INDEX CONCURRENTLY`` where ``CREATE INDEX`` is the cause).
    ``added_lines``: each added line's words (``_line_words``)."""
    if not safeguards:
        return False
    holding = [words for words in added_lines if _present(risk, words, required)]
    return bool(holding) and all(any(_present(s, words) for s in safeguards) for words in holding)


def match(signatures: Signatures, added: Iterable[str], removed: Iterable[str]) -> SignatureMatch:
    """Which of a document's risks and safeguards the added and removed lines contain."""
    added = list(added)
    removed = list(removed)
    # A tenant the owner vocabulary does not name is known by where the change takes its id from.
    owner_key = owner_forms.owner_key_of([*added, *removed])
    added_lines = [_line_words(a, owner_key) for a in added]
    added_words = frozenset().union(code_words("\n".join(added)), *added_lines)
    removed_words = frozenset().union(
        code_words("\n".join(removed)), *(_line_words(r, owner_key) for r in removed)
    )
    label = signatures.labels.__getitem__
    need = signatures.required

    def present(words: frozenset[str], found: frozenset[str]) -> bool:
        return _present(words, found, need(words))

    def risk_present(words: frozenset[str]) -> bool:
        # A quoted setting the document also bounds (`failureThreshold: 3`, "at least 6") is any value
        # outside the bound, the quoted one among them; otherwise the quoted value itself.
        if words == {code_forms.OUTBOUND_HTTP} and not code_forms.more_calls(added, removed):
            return False  # the calls it already made, rewritten (`return axios.create({` kept)
        if any(w.startswith(ROUTE_WITH_PARAMETER) for w in words) and kept_routes.adds_no_route(
            added, removed, _route_words
        ):
            return False  # the routes it already declared, annotated or given another handler
        if not _called(label(words), added):
            return False  # `ShipmentStatus` and `getOrDefault(` are not `Shipment.get(id)`
        if not _run_as_statement(label(words), added):
            return False  # "the reservations cluster" in an alarm's description is no `CLUSTER`
        if words in signatures.defaults and not _as_default(words, added, need(words)):
            return False  # `gen_random_uuid()` in rows inserted is no column's volatile default
        setting = _SETTING.fullmatch(label(words).strip())
        bound = signatures.bounds.get(setting.group(1).lower()) if setting else None
        if setting is None or bound is None:
            return present(words, added_words)
        return any(_outside(v, bound) for v in _values(setting.group(1), added, bound))

    # A safeguard the change sets to nothing (`timeout=None`, `verify: false`) is taken away.
    disabled = [w for w in signatures.safeguards if present(w, added_words) and _disabled(w, added)]
    # One set outside the bound it was asked for with (`timeoutSeconds: 1` for "at least 5") is not
    # the safeguard, though not one taken away either.
    added_safeguards = [
        w
        for w in signatures.safeguards
        if present(w, added_words)
        and w not in disabled
        and not _out_of_bound(label(w), signatures.bounds.get(label(w).lower()), added)
    ]
    return SignatureMatch(
        risks=tuple(
            label(w)
            for w in signatures.risks
            if risk_present(w) and not _guarded(w, added_lines, added_safeguards, need(w))
        ),
        added_safeguards=tuple(label(w) for w in added_safeguards),
        removed_safeguards=tuple(
            label(w)
            for w in signatures.safeguards
            if w in disabled or (present(w, removed_words) and not present(w, added_words))
        ),
        missing_safeguards=tuple(label(w) for w in signatures.safeguards if w not in added_safeguards),
        # A bounded safeguard the removed lines held only outside its bound (`timeoutSeconds: 2` for
        # "at least 5") was not held: setting it within the bound brings it in.
        new_safeguards=tuple(
            label(w)
            for w in added_safeguards
            if not present(w, removed_words)
            or _out_of_bound(label(w), signatures.bounds.get(label(w).lower()), removed)
        ),
    )


def _as_default(words: frozenset[str], added: list[str], required: frozenset[str]) -> bool:
    """An added line gives a default the quoted value: `DEFAULT gen_random_uuid()`,
    `server_default=`, `@default(`, `.defaultTo(` (a statement over several lines counts from the
    line that opens it, within a few lines)."""
    return any(
        _present(words, _line_words(line), required)
        and any("default" in code_words(x) for x in added[max(0, i - 3) : i + 1])
        for i, line in enumerate(added)
    )


def _called(span: str, added: list[str]) -> bool:
    """For a quoted call (`Shipment.get(id)`), whether an added line calls its function (`get(`)
    with the receiver's words on that line; true for a span that is not a call. The words of a call
    spread over a change (a type named `ShipmentStatus`, a `getOrDefault(` elsewhere) are not the
    call."""
    call = re.match(r"\s*([A-Za-z_][\w.]*)\(", span)
    if not call or _statement_shape(span) or code_forms.outbound_http_span(span):
        return True
    *receiver, function = call.group(1).split(".")
    calls = re.compile(rf"(?<![\w]){re.escape(function)}\s*\(", re.IGNORECASE)
    wanted = {w.lower() for part in receiver for w in _TOKEN.findall(part) if len(w) >= 3}
    return any(calls.search(line) and wanted <= code_words(line) for line in added)


# A quoted SQL maintenance command, a statement of its own (`CLUSTER`, `VACUUM FULL`, `REINDEX`,
# `TRUNCATE orders`): its words are common nouns elsewhere ("cluster", "lock"), so it is found only
# where a statement starts.
_SQL_COMMAND_SPAN: Final = re.compile(r"(?:VACUUM|CLUSTER|REINDEX|TRUNCATE|ANALYZE|LOCK)(?: [A-Z]{3,})?")


def _run_as_statement(span: str, added: list[str]) -> bool:
    """For a quoted SQL command (``_SQL_COMMAND_SPAN``), whether an added line runs it: the command
    opens the line, a string (`execute("REINDEX TABLE ...")`) or a statement after `;`, and is not a
    key (`cluster: eu-1`, `cluster = ...`); true for any other span."""
    if not _SQL_COMMAND_SPAN.fullmatch(span.strip()):
        return True
    command = r"\s+".join(span.split())
    runs = re.compile(rf"(?:^|[;\"'`(])\s*{command}\b(?!\s*[:={{])", re.IGNORECASE)
    return any(runs.search(line) for line in added)


def _out_of_bound(name: str, bound: Bound | None, added: list[str]) -> bool:
    """Every value the change gives the setting ``name`` is outside ``bound``."""
    if bound is None:
        return False
    values = _values(name, added, bound)
    return bool(values) and all(_outside(v, bound) for v in values)


def _values(name: str, added: list[str], bound: Bound) -> list[float]:
    """The numbers the change's lines give the setting ``name``, in the bound's unit when the bound
    is a duration: a value with its own unit (`'3000ms'`, `'2min'`) is converted, a bare one is
    read in the bound's."""
    setting = re.compile(
        rf"\b{re.escape(name)}[\"']?\s*[:=]\s*[\"']?(\d+(?:\.\d+)?)\s*([A-Za-z]*)", re.IGNORECASE
    )
    unit = bound[2]
    values = []
    for line in added:
        for number, suffix in setting.findall(line):
            value = float(number)
            if unit is not None:
                value = value * _SECONDS_PER.get(suffix.lower(), unit) / unit
            values.append(value)
    return values


def _outside(value: float, bound: Bound) -> bool:
    kind, limit, _ = bound
    return value < limit if kind == "least" else value > limit


def _disabled(safeguard: frozenset[str], added: list[str]) -> bool:
    """An added line of code sets a setting that holds the safeguard to nothing (none, false, zero,
    infinite: `.setReadTimeout(Duration.ZERO)`) and no other added line gives that setting a value:
    it is switched off (a comment that says "ReadTimeout" is not a setting). An idempotency key made
    fresh inside a retry loop (`uuid.NewString()` per attempt) is no key either."""
    code = [line for line in added if not re.match(r"\s*(?:#|//|--|/?\*)", line)]
    holding = [line for line in code if _present(safeguard, code_words(line))]
    if not holding:
        return False
    if any(w.startswith("idempot") for w in safeguard) and code_forms.fresh_key_per_attempt(code):
        return True
    off = {
        key: line for line in holding for key in code_forms.switched_off(line) if code_words(key) & safeguard
    }
    # a setting switched off on one line and given a value on another is not off
    valued = [line for line in holding if not code_forms.switched_off(line)]
    return any(not any(key in line for line in valued) for key in off)
