"""Does a change do what a rule asks? A positive rule ("Use cooperative rebalancing for consumer
groups", "Enable versioning on every evidence bucket", "Send an Idempotency-Key on every capture")
names what it asks for right after its verb; a change whose lines bring those words in is following
the rule, and the gate should advise rather than block. Negative rules ("Never drop a column in the
release that stops reading it") ask for an absence, which a change's words cannot show, so they are
never read as followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

from kb.outputs import code_forms, empty_forms, owner_forms
from kb.outputs.code_words import code_only as code_only
from kb.outputs.code_words import code_terms as code_terms
from kb.outputs.code_words import holds_what_follows, imports, phrase_terms
from kb.outputs.code_words import idioms as idioms
from kb.outputs.signatures import OWNER_KEY, TENANT_KEY, code_stems
from kb.text import lexical_term, stem


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEGATION: Final = re.compile(
    r"\b(never|not|no|don't|do not|avoid|without|cannot|can't|mustn't|unless|instead of|rather than)\b",
    re.IGNORECASE,
)
# Verbs a rule opens with (or that follow its "must") when it asks for something to be there.
_ASKING_VERBS: Final = _words(
    "use add set send enable enforce require wrap isolate keep run make provide exclude include "
    "pass pin configure define derive store validate check create build emit record put apply "
    "switch move give attach sign encrypt limit cap bound scope filter alert monitor route publish "
    "forward redirect"
)
# Words that end the thing asked for: what follows is where or when it applies.
_STOPS: Final = _words(
    "on for to in at from when so because before after by via if that which per across within "
    "during into whenever while until than where"
)
_LEADS: Final = frozenset({"always", "please", "also", "only", "explicitly"})
# Words that say how strongly, not what.
_GENERIC: Final = frozenset({"every", "all", "each", "any", "some", "new", "explicit", "the", "own"})
_GENERIC_STEMS: Final = frozenset(stem(g) for g in _GENERIC)


@lru_cache(maxsize=4096)
def asked_for(statement: str) -> frozenset[str]:
    """The words of what a positive rule asks for; empty for a negative rule or one whose verb is
    not recognised (then the rule is never read as followed)."""
    words = statement.split()
    # "All services must set X ...", "Every migration session must set X ...": start after "must".
    lowered = [w.lower().strip(",.;:") for w in words]
    start = lowered.index("must") + 1 if "must" in lowered[:8] else 0
    while start < len(lowered) and lowered[start] in _LEADS:
        start += 1
    if start >= len(lowered) or lowered[start] not in _ASKING_VERBS:
        return frozenset()
    phrase: list[str] = []
    for word, low in zip(words[start + 1 :], lowered[start + 1 :], strict=True):
        if low in _STOPS:
            break
        phrase.append(word)
        if word.endswith((",", ";", ".")):
            break
    # A negation in the head ("Never use X", "Use X, not Y") asks for an absence; one in a later
    # clause ("... so one consumer does not pause every partition") is the reason, not the rule.
    if _NEGATION.search(" ".join(words[: start + 1 + len(phrase)])):
        return frozenset()
    asked = code_stems(" ".join(phrase))
    if lowered[start] in _SENDING_VERBS:
        # "Send messages that repeatedly fail to a dead-letter topic": where they go is asked for too.
        rest = lowered[start + 1 :]
        if "to" in rest:
            target = rest[rest.index("to") + 1 :]
            for end in ("instead", "rather"):
                target = target[: target.index(end)] if end in target else target
            asked |= code_stems(" ".join(_forbidding_phrase(" ".join(target))))
    return frozenset(asked - _GENERIC_STEMS)


# Verbs whose rule asks for a destination ("route X to Y") as much as for the thing sent.
_SENDING_VERBS: Final = _words("send route move publish forward redirect")


def follows(statement: str, added: Iterable[str], removed: Iterable[str]) -> list[str]:
    """The asked-for words of a positive rule that the change brings in (in its added lines and not
    only moved from its removed ones), when they are at least two and at least half of what the rule
    asks for: one word ("Always create indexes ... CONCURRENTLY" asks for "index") is the topic as
    often as the thing asked for."""
    # Stems compared less a final "e": "rebalancing" asks for what `Rebalance` is.
    wanted = frozenset(lexical_term(w) for w in asked_for(statement))
    if len(wanted) < 2:
        return []
    added = list(added)
    brought = (_terms("\n".join(added)) - _terms("\n".join(removed))) & wanted
    # A line that brings an asked-for word in brings the ones beside it too, even if the line it
    # replaces had them (`Rebalance.GroupStrategies = ...Range()` made `...CooperativeSticky()`).
    for line in added if brought else ():
        on_line = _terms(line) & wanted
        if on_line & brought:
            brought |= on_line
    return sorted(brought) if len(brought) >= 2 and 2 * len(brought) >= len(wanted) else []


def undoes(statement: str, added: Iterable[str], removed: Iterable[str]) -> list[str]:
    """The asked-for words of a positive rule that the change's removed code held and its added
    code does not bring back (``follows`` read backwards): a consumer that loses its dead-letter
    `dlq.send(...)` stops doing what "Always send messages that repeatedly fail processing to a
    dead-letter topic" asks for. Comments left out on both sides."""
    kept = [code for code in (code_only(line) for line in added) if code]
    gone = [code for code in (code_only(line) for line in removed) if code]
    return follows(statement, gone, kept) if gone else []


# "Handlers must obtain tenant_id from the verified token, never from a path or query parameter":
# what the rule is about, and the source it forbids taking it from.
_FROM_NOT_FROM: Final = re.compile(
    r"\bmust\s+\w+\s+(?P<thing>.+?)\s+from\s+.+?,?\s+(?:never|not)\s+from\s+(?P<source>[^.;,]+)",
    re.IGNORECASE,
)


def takes_from_forbidden_source(statement: str, added: Iterable[str]) -> bool:
    """A rule "X must be taken from A, never from B" broken: an added line of code reads the thing
    (an owner key such as `merchant_id` for `tenant_id`) from the forbidden source, the two within
    one argument (`@Query("merchant_id")`, `req.params.tenantId`, `tenant_id: str = Query(...)`; not
    `@Param("id") id, @CurrentMerchant() merchantId`)."""
    found = _FROM_NOT_FROM.search(statement)
    if not found:
        return False
    thing = found.group("thing").strip("`'\" ").lower()
    code = [c for c in (code_only(line) for line in added) if c]
    key = owner_forms.read_owner_key(code) if thing == TENANT_KEY else re.escape(thing)
    sources = [w for w in re.findall(r"[a-z]{4,}", found.group("source").lower()) if w not in _GENERIC]
    if not sources:
        return False
    # A source word spelled as code does (`query`, `params`, `PathVariable`), four letters agreeing;
    # not a type's literal being filled (`ListSkipsParams{TenantID: tenantID}` writes the key).
    source = "|".join(re.escape(w[:4]) + r"[a-z]*(?![a-z]|\s*\{)" for w in sources)
    reads = re.compile(
        rf"(?:{source})[^,;]{{0,30}}?(?:{key})|(?:{key})[^,;]{{0,30}}?(?:{source})", re.IGNORECASE
    )
    if any(w.startswith("path") for w in sources) and any(owner_in_path(c) for c in code):
        return True  # `/merchants/{merchant_id}/refunds`: the owner read from the URL path
    return any(reads.search(owner_forms.without_identity(c)) for c in code)


# Also http4s's path extractors (`Root / "organisers" / UUIDVar(organiserId)`).
_OWNER_PATH_PARAMETER: Final = re.compile(
    rf"/(?:\{{(?:{OWNER_KEY.pattern})\}}|:(?:{OWNER_KEY.pattern})|<(?:\w+:)?(?:{OWNER_KEY.pattern})>)"
    rf"|/\s*(?:UUID|Int|Long)Var\((?:{OWNER_KEY.pattern})\)",
    re.IGNORECASE,
)


def owner_in_path(line: str) -> bool:
    """A route whose path takes the owner (`/merchants/{merchant_id}/...`, `/:tenantId/`,
    `/ UUIDVar(organiserId)`)."""
    return bool(_OWNER_PATH_PARAMETER.search(line))


# "Treat an empty eligibility list ... as matching nothing": code that tests for an empty value and
# returns true (everything) in that branch does the opposite.
_EMPTY_AS_NOTHING: Final = re.compile(
    r"\btreat\s+(?:an?\s+)?empty\b.*?\bas\s+(?:matching\s+nothing|no|none|nothing)\b", re.IGNORECASE
)
_EMPTY_TEST: Final = re.compile(
    r"\bif\s+not\s+[\w.]+\s*:|\blen\([\w.]+\)\s*==\s*0|\.length\s*===?\s*0|\.isEmpty\(\)|\.empty\?|\bis_empty\(\)"
    rf"|==\s*\[\]|\bif\s*\(\s*![\w.]+(?:\.length)?\s*\)|\.isEmpty\b(?!\s*\()|{empty_forms.EMPTY_TEST}"
)
_RETURNS_ALL: Final = re.compile(rf"\breturn\s+(?:True|true|all|ALL)\b|{empty_forms.RETURNS_TRUE}")
# `return basket.lines` in the empty branch, where the code after it filters `basket.lines`: the
# whole collection, unfiltered.
_RETURNS: Final = re.compile(r"\breturn\s+([\w.]+)\s*;?\s*$")
# `const ids = rule.categoryIds ?? []` ... `ids.every(...)`: every() of an empty list is true.
_EMPTY_DEFAULT: Final = re.compile(r"(\w+)\s*=\s*[\w.?]+\s*(?:\?\?|\|\||\bor\b)\s*\[\s*\]")


def _returns_all(code: list[str], i: int, around: list[str]) -> bool:
    """The emptiness test on line ``i`` returns everything: true, or the collection the code after
    it filters (`return basket.lines;` ... `basket.lines.filter(`, added or kept after it)."""
    if any(_RETURNS_ALL.search(x) for x in code[i : i + 2]):
        return True
    for x in code[i : i + 2]:
        whole = _RETURNS.search(x)
        if whole and any(
            re.search(rf"{re.escape(whole.group(1))}\s*\.\s*(?:filter|where|select)\b", y)
            or re.search(rf"\bfor\s+\w+\s+in\s+{re.escape(whole.group(1))}\b.*\bif\b", y)
            for y in [*code[i + 1 : i + 8], *around]
        ):
            return True
    return False


def _every_of_empty(code: list[str]) -> bool:
    for i, line in enumerate(code):
        default = _EMPTY_DEFAULT.search(line)
        if default and any(re.search(rf"\b{default.group(1)}\.every\(", y) for y in code[i : i + 8]):
            return True
    return False


def empty_means_all(statement: str, added: Iterable[str], around: Iterable[str] = ()) -> bool:
    """A rule that an empty list means nothing, broken: an added emptiness test returns true or the
    whole collection the code then filters (on its line or the next line of code), or a list
    defaulted to empty is asked whether `every` item matches (true for none)."""
    return bool(_EMPTY_AS_NOTHING.search(statement)) and reads_empty_as_all(added, around)


def asks_empty_as_nothing(statement: str) -> bool:
    """A rule that an empty list means nothing ("Treat an empty eligibility list as matching nothing")."""
    return bool(_EMPTY_AS_NOTHING.search(statement))


def tests_empty(line: str) -> bool:
    """A line of code that tests whether a value is empty (`if not x:`, `.isEmpty()`, `len(x) == 0`)."""
    return bool(_EMPTY_TEST.search(line))


def reads_empty_as_all(added: Iterable[str], around: Iterable[str] = ()) -> bool:
    """An added emptiness test returns everything, or `every` is asked of a list defaulted empty."""
    code = [c for c in (code_only(line).strip() for line in added) if c]
    kept = [c for c in (code_only(line).strip() for line in around) if c]
    return (
        _every_of_empty(code)
        or code_forms.empty_passes(code)
        or any(_EMPTY_TEST.search(line) and _returns_all(code, i, kept) for i, line in enumerate(code))
    )


def _terms(text: str) -> frozenset[str]:
    return frozenset(lexical_term(w) for w in idioms(code_stems(text)) | phrase_terms(text))


_FORBIDDING: Final = re.compile(
    r"\b(?:never|do not|don't|must not|mustn't|should not|shouldn't|may not|cannot|avoid)\b\s+(.*)",
    re.IGNORECASE,
)
_FILLERS: Final = frozenset({"be", "ever", "rely", "use", "using", "as", "a", "an", "the"})


def _rule_head(statement: str) -> str:
    """A rule without its reason: in "..., so a redelivered event never buys a second label" the
    negation gives the reason, not what is forbidden."""
    return re.split(r",? (?:so|because|since) ", statement, maxsplit=1)[0]


def _forbidding_phrase(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """The words after a negation up to where its object ends (a preposition, a conjunction or
    punctuation), leading words in ``skip`` left out."""
    phrase: list[str] = []
    for word in text.split():
        low = word.lower().strip(",.;:")
        if low in _STOPS or low in {"unless", "because", "without", "until", "so"}:
            break
        if not phrase and low in skip:
            continue
        phrase.append(word)
        # "Do not store, process or transmit full card numbers": a comma after the verb lists verbs.
        if word.endswith((",", ";", ".")) and (len(phrase) > 1 or not word.endswith(",")):
            break
    return phrase


@lru_cache(maxsize=4096)
def forbidden(statement: str) -> tuple[str, frozenset[str]]:
    """The verb and the words of what a negative rule forbids ("Never drop or rename a column in the
    same release..." forbids "drop": "drop", "rename", "column"); ("", {}) for a rule that forbids
    nothing."""
    head = _rule_head(statement)
    found = _FORBIDDING.search(head)
    if not found:
        return "", frozenset()
    # "Never rely on X without Y": what is forbidden is relying on X, which no line of code does by
    # saying X (a change that adds certificate monitoring is not relying on renewal).
    relying = re.match(r"(?:rely|depend)\s+(?:only\s+)?on\s+(.*)", found.group(1), re.IGNORECASE)
    if relying:
        phrase = ["rely", *_forbidding_phrase(relying.group(1), skip=_FILLERS)]
    else:
        phrase = _forbidding_phrase(found.group(1), skip=_FILLERS)
    words = set(code_stems(" ".join(phrase)) - _GENERIC_STEMS)
    passive = _PASSIVE.search(head)
    if passive:
        # "Request and response bodies must never be logged": what is forbidden is the subject.
        words |= code_stems(passive.group(1)) - _GENERIC_STEMS
    verb = stem(re.sub(r"[^a-z]", "", phrase[0].lower())) if phrase else ""
    return (verb, frozenset(words)) if verb and words else ("", frozenset())


@lru_cache(maxsize=4096)
def forbidden_complement(statement: str) -> frozenset[str]:
    """After a light verb, the words of the rest of the forbidding clause past its object ("depend
    on databases or other downstream services" of "Never make a liveness probe depend on databases
    or other downstream services, because..."); empty for any other rule."""
    verb, words = forbidden(statement)
    if verb not in _LIGHT_VERBS:
        return frozenset()
    head = re.split(r",? (?:so|because|since) |[,;] ", statement, maxsplit=1)[0]
    found = _FORBIDDING.search(head)
    if not found:
        return frozenset()
    rest = code_stems(found.group(1)) - words - {verb} - _GENERIC_STEMS
    return frozenset(rest)


@lru_cache(maxsize=4096)
def forbidden_head(statement: str) -> str:
    """The stem of the last word of what a negative rule forbids ("bodies" of "Never log raw
    request or response bodies", "POST" of "Never retry a non-idempotent POST on timeout"): the
    thing it is about, where the words before it qualify it."""
    head = _rule_head(statement)
    passive = _PASSIVE.search(head)
    phrase = passive.group(1) if passive else ""
    found = _FORBIDDING.search(head)
    if not passive and found:
        phrase = " ".join(_forbidding_phrase(found.group(1))[1:])  # the verb left out
    words = re.findall(r"[A-Za-z][A-Za-z0-9_-]*", phrase)
    return stem(words[-1].lower().split("-")[-1]) if words else ""


@lru_cache(maxsize=4096)
def forbidden_compound(statement: str) -> frozenset[str]:
    """The parts of what a negative rule forbids when it names one hyphenated thing
    (`continue-on-error`, `force-unlock`): a change breaks the rule only with all of them, since
    "error" alone is in half of all code."""
    head = _rule_head(statement)
    found = _FORBIDDING.search(head)
    if not found:
        return frozenset()
    phrase = _forbidding_phrase(found.group(1))[1:]  # the verb left out
    last = phrase[-1].strip(",.;:`'\"") if phrase else ""
    if "-" not in last.strip("-"):
        return frozenset()  # a hyphenated modifier ("a non-idempotent POST") is not the thing
    return frozenset(code_stems(last.replace("-", " ")) - _GENERIC_STEMS)


@lru_cache(maxsize=4096)
def forbidden_verbs(statement: str) -> frozenset[str]:
    """The stems of every verb a negative rule lists ("Never drop or rename a column...": drop and
    rename; "Do not store, process or transmit full card numbers": all three); empty for a rule
    that forbids nothing."""
    verb, _ = forbidden(statement)
    if not verb:
        return frozenset()
    found = _FORBIDDING.search(_rule_head(statement))
    tokens = found.group(1).split() if found else []
    while tokens and tokens[0].lower().strip(",.;:") in _FILLERS:
        tokens = tokens[1:]
    verbs = {verb}
    i = 0
    while i + 1 < len(tokens) and len(verbs) < 4:
        if tokens[i].endswith(","):
            nxt = i + 1
        elif tokens[i + 1].lower() in ("or", "and") and i + 2 < len(tokens):
            nxt = i + 2
        else:
            break
        if nxt < len(tokens) and tokens[nxt].lower() in ("or", "and"):
            nxt += 1
        if nxt >= len(tokens):
            break
        verbs.add(stem(re.sub(r"[^a-z]", "", tokens[nxt].lower())))
        i = nxt
    return frozenset(v for v in verbs if v)


@lru_cache(maxsize=4096)
def alternatives(statement: str) -> tuple[frozenset[str], ...]:
    """Words a negative rule joins with "or" / "and" in what it forbids ("raw request or response
    bodies", "Request and response bodies must never be logged"): one slot, qualifying the thing
    named after them, so the two together are not two words of what the rule forbids."""
    head = _rule_head(statement)
    passive = _PASSIVE.search(head)
    found = _FORBIDDING.search(head)
    phrase = passive.group(1) if passive else " ".join(_forbidding_phrase(found.group(1))) if found else ""
    tokens = [t.lower().strip(",.;:`'\"") for t in phrase.split()]
    groups = []
    for i in range(1, len(tokens) - 1):
        if tokens[i] in ("or", "and"):
            pair = code_stems(f"{tokens[i - 1]} {tokens[i + 1]}") - _GENERIC_STEMS
            if len(pair) == 2:
                groups.append(frozenset(pair))
    return tuple(groups)


def _slots(words: set[str], statement: str) -> int:
    """How many distinct things of a rule ``words`` name: alternatives joined by "or" count once."""
    seen: set[frozenset[str] | str] = set()
    for word in words:
        group = next((g for g in alternatives(statement) if word in g), None)
        seen.add(group if group is not None else word)
    return len(seen)


# After a light verb, the object ends where the clause's own verb starts: the word before a
# preposition or a conjunction ("let a path filter decide whether...", "make a liveness probe depend
# on...").
_CLAUSE_STARTS: Final = frozenset({*_STOPS, "whether", "what", "how"})
_ARTICLES: Final = frozenset({"a", "an", "the", "any", "every", "all", "each"})


@lru_cache(maxsize=4096)
def light_object(statement: str) -> frozenset[str]:
    """What a negative rule with a light verb is about: the noun phrase between the verb and the
    clause's own verb ("path filter" of "Never let a path filter decide whether a required check
    runs", "liveness probe" of "Never make a liveness probe depend on databases"); empty for any
    other rule or when the phrase cannot be told."""
    verb, _ = forbidden(statement)
    if verb not in _LIGHT_VERBS:
        return frozenset()
    found = _FORBIDDING.search(_rule_head(statement))
    if not found:
        return frozenset()
    tokens = [t.lower().strip(",.;:`'\"") for t in found.group(1).split()][1:]
    while tokens and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    for i in range(1, min(len(tokens) - 1, 5)):
        if tokens[i + 1] in _CLAUSE_STARTS:
            return frozenset(code_stems(" ".join(tokens[:i])) - _GENERIC_STEMS)
    return frozenset()


# "in the same release that stops using it": the rule forbids doing two things in one change.
_SAME_CHANGE: Final = re.compile(
    r"\bin the same (?:release|deploy(?:ment)?|change|commit|pull request)\b", re.IGNORECASE
)


def stops_using(statement: str, removed: Iterable[str] | None) -> bool:
    """For a rule that forbids an action "in the same release that stops using" something, whether
    the change stops using anything: it removes code (the model's field, the query that reads the
    column). A change that only adds the drop leaves code as it was: it cannot be the release that
    stopped using the column. True for every other rule, and when the removed lines are unknown."""
    if removed is None or not _SAME_CHANGE.search(statement):
        return True
    return any(code_only(line).strip() for line in removed)


# "<subject> must never be <verb>ed": the subject is what the rule forbids doing something to.
_PASSIVE: Final = re.compile(
    r"^(.{3,80}?)\s+(?:must|should|may|can)(?: never| not)\s+(?:ever\s+)?be\b", re.IGNORECASE
)
_EXCEPTING: Final = re.compile(r"\b(?:unless|except|without)\b\s+(.*)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def excepted(statement: str) -> frozenset[str]:
    """The words of a negative rule's exception ("Never retry a POST unless the request carries an
    idempotency key" excepts "request carries idempotency key"; "Never run CREATE INDEX without
    CONCURRENTLY" excepts "concurrently"): a change that brings them does what the rule allows."""
    head = re.split(r",? (?:so|because|since) |; ", statement, maxsplit=1)[0]
    found = _EXCEPTING.search(head)
    if not found:
        return frozenset()
    return frozenset(code_stems(found.group(1)) - _GENERIC_STEMS)


# Verbs that carry no action of their own ("make X depend on Y", "give X a default").
_LIGHT_VERBS: Final = frozenset(
    stem(v) for v in ("make", "give", "get", "keep", "do", "take", "put", "treat", "let", "allow", "have")
)


def _same_word(a: str, b: str) -> bool:
    """Stems that agree on their first letters (``logg`` of "logged" and ``logger``, ``log``), less
    the words that only begin alike (``_FALSE_FRIENDS``: `.retrieve()` reads a response, it retries
    nothing). Past a Latin prefix both share (``_PREFIXES``: "trans", "per", "com"), two more letters
    must agree: `transform` transmits nothing, `compute` compresses nothing."""
    n = min(4, len(a), len(b))
    for word, other in ((a, b), (b, a)):
        if any(word == verb and other.startswith(friend) for verb, friend in _FALSE_FRIENDS):
            return False
    prefix = next((p for p in _PREFIXES if a.startswith(p) and b.startswith(p)), "")
    if prefix:
        n = min(len(prefix) + 2, len(a), len(b))
    return n >= 3 and a[:n] == b[:n]


# (a stem, a word it is not): words that share their first letters with a rule's verb and mean
# something else: `.retrieve()` retries nothing, a `RedactPersonalData` processor persists nothing.
_FALSE_FRIENDS: Final = ((stem("retry"), "retriev"), (stem("persist"), "person"))
# Latin prefixes that open many unrelated words (trans-mit, trans-form, trans-action; per-sist,
# per-son; com-press, com-pute): four shared letters there say little. Longest first.
_PREFIXES: Final = (
    "counter",
    "super",
    "trans",
    "inter",
    "under",
    "over",
    "con",
    "com",
    "pro",
    "pre",
    "per",
    "dis",
    "sub",
)


def does_forbidden(statement: str, added: Iterable[str], around: Iterable[str] = ()) -> list[str] | None:
    """For a negative rule, the words of what it forbids that the change's added lines bring in,
    its verb among them ("Never delete ... object version" is not done by a change that only
    mentions objects and versions); empty when the change does not do it; None for a rule that
    forbids nothing. The verb may also be in the lines ``around`` the added ones (the hunk's function
    and context): a change that adds ``body: req.body`` to the fields of a request logger logs the
    body, though its added lines never say "log". Only code counts: an added comment ("the contract
    migration dropping it ships later") says what the code does or avoids, it does not do it."""
    verb, words = forbidden(statement)
    if not verb:
        return None
    # A line that imports a library does nothing with it: `[taoensso.timbre :as log]` logs nothing.
    added = [line for line in added if not imports(line)]
    around = [line for line in around if not imports(line)]
    brought = code_terms(added)
    found = brought & words
    near = brought | code_terms(around)
    if verb in _LIGHT_VERBS:
        # "Never make a liveness probe depend on ...": the verb says nothing; the words say what. The
        # thing may be in the lines around when the added code names none of it but brings what it
        # is made to depend on (`httpGet: {path: /healthz/database}` under an existing
        # `livenessProbe:`); an added `readinessProbe:` is a probe of its own.
        if not found and brought & forbidden_complement(statement):
            found = near & words
        # What is made or let do it must be there: a test filter and a `run:` step are not "a path
        # filter" deciding whether a check runs.
        if not light_object(statement) <= near:
            return []
        # Done in one place: `default = 30` beside `expiration_days`, not an Object Lock's
        # `default_retention` and an `expiration` block of another resource.
        if len(found) < 2 or (found <= brought and not _close_together(found, added)):
            return []
        return sorted(found)
    verbs = forbidden_verbs(statement) or {verb}
    done = {v for v in verbs if any(_same_word(v, term) for term in brought)}
    # The verb only around counts where the added lines may be inside what says it (the arguments of
    # a logging call left open, a function's block): a complete statement beside them (`(log/info
    # {:event :booking-confirmed})`) does not do it to what they add.
    holding = code_terms(line for line in around if holds_what_follows(line))
    if not done and not any(_same_word(v, term) for v in verbs for term in holding):
        return []
    if not done and not found - verbs:
        return []  # the verb is only around, and nothing it forbids is added
    return sorted((done or {verb}) | found)


def _close_together(words: frozenset[str], lines: list[str], span: int = 5) -> bool:
    """Two of the words within ``span`` consecutive lines, read together so that a form spread over
    lines (GitLab's `only:` / `changes:`, a path filter) counts."""
    starts = range(max(1, len(lines) - span + 1))
    return any(len(code_terms(lines[i : i + span]) & words) >= 2 for i in starts)


_EXCLUDING: Final = re.compile(
    r"^(?:always\s+)?exclude\s+(?P<kept>.+?)\s+from\s+(?P<rules>.+?)\s+in\s+(?P<scope>[^,.;]+)", re.IGNORECASE
)
# Code that redirects without saying so: nginx `return 301`, `rewrite ... permanent`, an ingress's
# `permanent-redirect` annotation.
_REDIRECTS: Final = re.compile(
    r"\breturn\s+30[1278]\b|\brewrite\s.*\b(?:permanent|redirect)\b", re.IGNORECASE
)


def omits_exclusion(statement: str, added: Iterable[str], around: Iterable[str] = ()) -> bool:
    """A rule "Exclude X from Y in Z" broken: the change adds a Y (a redirect) where Z is (the lines
    name an ingress) and nothing of X (`/.well-known/acme-challenge/`)."""
    found = _EXCLUDING.match(statement.strip())
    if not found:
        return False
    code = [line for line in (code_only(line) for line in added) if line]
    brought = code_stems("\n".join(code))
    if any(_REDIRECTS.search(line) for line in code):
        brought |= {stem("redirect")}
    if any(code_forms.requires_login(line) for line in code):
        brought |= {stem("authentication")}
    kinds = code_stems(found.group("rules")) - _GENERIC_STEMS - {stem("rule"), stem("rules")}
    scope = code_stems(found.group("scope")) - _GENERIC_STEMS
    kept = code_stems(found.group("kept")) - _GENERIC_STEMS
    near = brought | code_stems("\n".join(around))
    return bool(brought & kinds) and bool(near & scope) and not brought & kept


def violates(
    statement: str, added: Iterable[str], around: Iterable[str] = (), removed: Iterable[str] | None = None
) -> bool:
    """A negative rule the change breaks: its added lines do what the rule forbids, on what it
    forbids it for (the verb and at least one of its words, or two words after a light verb), and
    do not bring the rule's exception. A rule against doing it "in the same release that stops
    using" something is broken only by a change that also stops using code (``stops_using``), reads
    the dropped column's values anew, or copies them to their new home in the same change."""
    added = [code for code in (code_only(line) for line in added) if code]
    around = list(around)
    brought = code_terms(added)
    done = does_forbidden(statement, added, around)
    if not done or not (
        stops_using(statement, removed)
        or code_forms.reads_dropped_column_anew(added, around, code_stems)
        or code_forms.copies_dropped_column(added)
    ):
        return False
    verb, _ = forbidden(statement)
    if verb in _CODE_KEYWORDS:
        return False  # "raise" in `raise_for_status()` is not raising a timeout
    found = set(done) - forbidden_verbs(statement) - {verb}
    if verb in _LIGHT_VERBS:
        # "Never make a liveness probe depend on databases": the rule is about what the probe is made
        # to do, so a change that adds a probe must also bring a word of the rest of the clause.
        rest = forbidden_complement(statement)
        if len(done) < 2 or (rest and not brought & rest):
            return False
    # "Never log raw request or response bodies": logging the request's id is not logging its body.
    # The thing named last is what the rule is about; any two of its words will do too (words it
    # joins with "or" count once: the request's method and the response's status are not a body),
    # and so does the thing in the function a decorator the change adds wraps.
    elif (
        (head := forbidden_head(statement)) not in found
        and _slots(found, statement) < 2
        and not _decorator_wraps(verb, head, added, around)
        and not (head in _PLAIN_CODE and _qualifier(statement) in found)
    ):
        return False
    if not forbidden_compound(statement) <= brought:
        return False  # `continue-on-error` is not set by a change that says "set" and "error"
    return not brings_exception(statement, added, around)


def brings_exception(statement: str, added: Iterable[str], around: Iterable[str] = ()) -> bool:
    """The rule's exception, brought by the change ("unless the request carries an idempotency key"):
    two of its words on one line of code, the thing itself (an `Idempotency-Key` header), not "key"
    of an API key on one line and "request" of the request on another; in the code the change edits
    too (the header the function an added `@Retryable` wraps already sets)."""
    exception = excepted(statement)
    wanted = min(2, len(exception))
    for line in [*map(code_only, added), *map(code_only, around)] if exception else ():
        if code_forms.makes_fresh_id(line):
            continue  # a key made on the spot (`uuid4()`) is a new one on every retry or replay
        brought_here = idioms(code_stems(line)) & exception
        if len(brought_here) >= wanted and brought_here - _PLAIN_CODE:
            return True
    return False


def _qualifier(statement: str) -> str:
    """The stem of the word before the thing a negative rule names last ("capture" of "Never replay
    failed capture requests"): when that thing is a word of most code ("requests"), what qualifies
    it says what the rule is about."""
    found = _FORBIDDING.search(_rule_head(statement))
    phrase = " ".join(_forbidding_phrase(found.group(1))[1:]) if found else ""
    words = re.findall(r"[A-Za-z][A-Za-z0-9_]*", phrase)
    return stem(words[-2].lower()) if len(words) >= 2 else ""


# Words in most code (`req.Header.Set("Authorization", apiKey)` says "request" and "key"): an
# exception is not brought by them alone.
_PLAIN_CODE: Final = frozenset(
    stem(w)
    for w in ("request", "response", "key", "value", "data", "name", "type", "header", "client", "result")
)


# A decorator or annotation line (Python, Java, Kotlin, TypeScript): it acts on the function below.
_DECORATOR: Final = re.compile(r"^\s*@[A-Za-z_][\w.]*")


def _decorator_wraps(verb: str, head: str, added: list[str], around: Iterable[str]) -> bool:
    """A decorator the change adds does the rule's verb to the thing in the function it wraps
    (`@retry(...)` above a function that posts): the verb in the decorator, the thing around it."""
    decorators = [line for line in added if _DECORATOR.match(line)]
    if not decorators or verb not in idioms(code_stems("\n".join(decorators))):
        return False
    return head in idioms(code_stems("\n".join(code_only(line) for line in around)))


# Verbs that code spells as keywords or stock names, so finding them in a change says nothing about
# the action a rule forbids.
_CODE_KEYWORDS: Final = frozenset(
    stem(w)
    for w in ("raise", "return", "throw", "import", "try", "catch", "break", "yield", "await", "print")
)


_ALL_AT_ONCE: Final = re.compile(r"\b(?:all|every)\s+regions?\b|\bat\s+once\b|\bsimultaneous", re.IGNORECASE)
_ROLLOUT_WORDS: Final = frozenset(stem(w) for w in ("region", "regional", "progressive", "canary"))


def regions_changed(paths: Iterable[str]) -> frozenset[str]:
    """The regions the change's files are for: a region directory, or a region in a file's name
    (Helm `values-eu-west.yaml`, `us-east-1.tfvars`)."""
    return frozenset(region for path in paths for region in code_forms.regions_in_path(path))


def spreads_over_regions(statement: str, regions: frozenset[str]) -> bool:
    """A negative rule against pushing to every region at once, broken by a change that edits the
    overlays of two regions or more in one go ("Never push a configuration change to all regions at
    once")."""
    return reaches_every_region(regions) and against_all_regions_at_once(statement)


def reaches_every_region(regions: frozenset[str]) -> bool:
    """The change edits the overlays of two regions or more, or the base every overlay includes."""
    return len(regions) >= 2 or code_forms.EVERY_REGION in regions


def against_all_regions_at_once(statement: str) -> bool:
    """A negative rule against reaching every region at once ("Never push a configuration change to
    all regions at once")."""
    return (
        bool(forbidden(statement)[0])
        and stem("region") in code_stems(statement)
        and bool(_ALL_AT_ONCE.search(statement))
    )


def stays_in_one_region(statement: str, regions: frozenset[str]) -> bool:
    """A positive rule about rolling out region by region or progressively, followed by a change to
    one region's overlay alone."""
    return (
        len(regions) == 1
        and not reaches_every_region(regions)
        and not forbidden(statement)[0]
        and bool(code_stems(statement) & _ROLLOUT_WORDS)
    )


# A rule about scoping records to their owner ("cannot load a record without a tenant filter",
# "verify that the requested object belongs to the caller's tenant", "filter on tenant_id in SQL").
_OWNER_WORDS: Final = frozenset(stem(w) for w in ("tenant", "tenant_id", "merchant", "owner", "ownership"))
_SCOPING_WORDS: Final = frozenset(
    stem(w) for w in ("filter", "scope", "scoping", "scoped", "belongs", "belong", "ownership")
)


def loads_unscoped(statement: str, added: Iterable[str], around: Sequence[str] = ()) -> list[str]:
    """A rule that records be scoped to their owner, broken by added lines that load a record by an
    id from the request with no owner filter (``code_forms.unscoped_lookups``): Rails
    `Invoice.find(params[:id])`, Django `objects.get(pk=...)`, JPA `findById`, Go `QueryRow` by id."""
    words = code_stems(statement)
    if not (words & _OWNER_WORDS and words & _SCOPING_WORDS):
        return []
    return code_forms.unscoped_lookups([code_only(line) for line in added], around)


# A rule about durable state in a cache ("Never store data that must not be lost in a Redis instance
# configured with an eviction policy", "Keep caches and durable state in separate Redis clusters"); a
# rule that asks to alert on evictions watches for the failure and is not broken by a change.
_CACHE_WORDS: Final = frozenset(stem(w) for w in ("redis", "cache", "caches", "memcached"))
_DURABLE_WORDS: Final = frozenset(stem(w) for w in ("lost", "lose", "durable", "eviction", "evict"))
_WATCHING: Final = frozenset(stem(w) for w in ("alert", "monitor", "page", "dashboard"))


def moves_state_to_cache(statement: str, added: Iterable[str], removed: Iterable[str]) -> bool:
    """Such a rule broken by a change that moves writes from a durable database to a cache store
    (``code_forms.moves_state_to_cache``)."""
    return about_state_in_cache(statement) and code_forms.moves_state_to_cache(added, removed)


def about_state_in_cache(statement: str) -> bool:
    """A rule that keeps durable state out of caches (not one that watches for evictions)."""
    words = code_stems(statement)
    return bool(words & _CACHE_WORDS and words & _DURABLE_WORDS) and not words & _WATCHING


_NEGATIVE_RULE: Final = re.compile(r"\b(?:never|not|no|don't|avoid|without)\b", re.IGNORECASE)


def keeps(statement: str, added: Iterable[str], around: Iterable[str], removed: Iterable[str]) -> bool:
    """The code a change edits already does all a positive rule asks for (every word it asks for in
    the added lines or the lines around them) and the change takes none of it out."""
    wanted = frozenset(lexical_term(w) for w in asked_for(statement))
    added = list(added)
    return (
        len(wanted) >= 2
        and wanted <= _terms("\n".join([*added, *around]))
        and not undoes(statement, added, removed)
    )


def asks_to_alert(statement: str) -> bool:
    """A positive rule that asks to alert on, page on or monitor something (an added alerting rule
    brings it)."""
    return bool(re.search(r"\b(?:alert|page|monitor)\w*\b", statement, re.IGNORECASE)) and not (
        _NEGATIVE_RULE.search(statement)
    )


_WAVES: Final = re.compile(r"\b(?:waves?|canary|progressive\w*|region by region|one region)\b", re.IGNORECASE)


def asks_for_waves(statement: str) -> bool:
    """A positive rule about rolling out in waves, region by region or behind a canary (a change
    that adds a rollout in steps brings it)."""
    return bool(_WAVES.search(statement)) and not _NEGATIVE_RULE.search(statement)
