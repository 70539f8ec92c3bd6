"""Turn descriptive sentence shapes into imperative lessons.

Design documents describe the chosen design ("The sidecar injects the token"), decisions are
often passive ("Release commits will be tagged with a stable tag") and postmortems name causes
("Kyverno not being kept up-to-date due to code freeze"). Each function here recognises one such
shape and returns the imperative statement, or "" when the sentence has another shape.
"""

from __future__ import annotations

import re

from ingest.vocabulary import IMPERATIVE_VERBS, IRREGULAR_PARTICIPLES, PAST_TO_IMPERATIVE

_PRONOUN_SUBJECT = re.compile(
    r"^(?:it|this|that|these|those|they|there|which|who|we|you|i|he|she|one|such|here|what|"
    r"some|many|most|nothing|everything|anything|something|each of|all of)\b",
    re.I,
)
_DETERMINER = re.compile(r"^(?:the|a|an|each|every|all|any|both|our|its|their)\b", re.I)
_NOT_SUBJECT_WORD = re.compile(
    r"^(?:is|are|was|were|be|been|will|would|should|must|can|could|may|might|shall|has|have|had|does|"
    r"do|did|not|no|if|when|while|because|but|and|or|so|then|than|as|to|of|in|on|at|by|for|with|"
    r"from|into|after|before|also|only|just|now|then|however|always|never|still)$",
    re.I,
)


def participle_verb(word: str) -> str | None:
    """ "tagged" -> "tag", "thrown" -> "throw"; None when ``word`` is no known past participle."""
    low = word.lower()
    if low in IRREGULAR_PARTICIPLES:
        return IRREGULAR_PARTICIPLES[low]
    if low in PAST_TO_IMPERATIVE:
        return PAST_TO_IMPERATIVE[low]
    return regular_past_verb(low)


def regular_past_verb(low: str) -> str | None:
    """A lower-case regular past form of a known verb as that verb ("retried" -> "retry")."""
    if not low.endswith("ed") or len(low) < 5:
        return None
    stem = low[:-2]
    for cand in (
        low[:-1],
        stem,
        stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
        stem[:-1] + "y",
    ):
        if cand and cand in IMPERATIVE_VERBS:
            return cand
    return None


# "X allows Y" / "X supports Y" describe a capability, not a design choice to follow
_CAPABILITY_VERBS = frozenset(
    (
        "do",
        "need",
        "mean",
        "seem",
        "want",
        "look",
        "allow",
        "support",
        "offer",
        "help",
        "enable",
        "make",
        "give",
        "accept",
        "remain",
        "keep",
    )
)


def third_person_verb(word: str) -> str | None:
    """ "provides" -> "provide", "applies" -> "apply"; None when not a known verb."""
    low = word.lower()
    if len(low) < 4 or not low.endswith("s") or low.endswith("ss"):
        return None
    cands = [low[:-1]]
    if low.endswith("es"):
        cands.append(low[:-2])
    if low.endswith("ies"):
        cands.append(low[:-3] + "y")
    for cand in cands:
        if cand in IMPERATIVE_VERBS and cand not in _CAPABILITY_VERBS:
            return cand
    return None


_SUBJECT_STOP = re.compile(
    r"\b(?:is|are|was|were|be|been|will|would|should|must|can|could|may|might|shall|has|have|had|does|do|did|"
    r"not|no|if|when|where|which|who|whom|whose|that|while|because|but|so|then|than|as|to|in|on|at|by|for|"
    r"with|from|into|via|after|before|also|only|just|now|however|always|never|still|this|these|those|"
    r"there|here|case|once|until|since|unless|whether|instead|additionally|finally|first|next|currently|"
    r"furthermore|moreover|thus|therefore|hence|otherwise)\b|(?<=\s)\w+ed\b",
    re.I,
)


def _subject_ok(subject: str) -> bool:
    """A plain noun phrase: a few words, no pronoun, verb, preposition or relative clause."""
    words = subject.split()
    if not 1 <= len(words) <= 7 or _PRONOUN_SUBJECT.match(subject):
        return False
    return not re.search(r"[,;:()—–]|\s-(?:\s|$)", subject) and not _SUBJECT_STOP.search(subject)


def _lower_subject(subject: str) -> str:
    """Lower-case a sentence-initial determiner or common noun, keep names ("EvalHub", "AWS")."""
    words = subject.split()
    first = words[0]
    plain = first[:1].isupper() and first[1:].islower() and len(words) > 1 and words[1][:1].islower()
    if _DETERMINER.match(first) or first.lower() in _COMMON_NOUN_STARTS or plain:
        return subject[:1].lower() + subject[1:]
    return subject


_COMMON_NOUN_STARTS = frozenset(
    (
        "exceptions",
        "errors",
        "objects",
        "requests",
        "logs",
        "metrics",
        "secrets",
        "credentials",
        "tokens",
        "users",
        "release",
        "releases",
        "commits",
        "changes",
        "jobs",
        "containers",
        "pods",
        "services",
        "clusters",
        "images",
        "data",
        "backups",
        "alerts",
        "records",
        "tests",
        "workloads",
        "deployments",
        "accounts",
        "members",
        "member",
        "critical",
        "new",
        "existing",
    )
)
# causes that name a period of time: "due to code freeze" -> "even during code freeze"
_PERIOD = re.compile(
    r"\b(?:freeze|migration|holidays?|incident|outage|upgrade|maintenance|weekend|launch|peak)\b", re.I
)

# "Release commits will be tagged with a stable tag" / "Exceptions are thrown as CliException"
_PASSIVE = re.compile(
    r"^(?P<subj>[^,;:()]{3,80}?)\s+(?P<aux>is|are|will|would|shall|should|must)\s+(?:also\s+|always\s+|then\s+|"
    r"only\s+|eventually\s+|now\s+)*(?:be\s+)?(?:also\s+|always\s+|only\s+|eventually\s+)*"
    r"(?P<pp>[a-z]+)\b(?P<rest>.*)$",
    re.I | re.DOTALL,
)
_BUT_NOT = re.compile(r"\b(but|and)\s+not\s+(\w+)\b")
_AND_PP = re.compile(r"\b(and|or)\s+(\w+ed)\b")


def passive_to_imperative(text: str, *, present: bool = False) -> str:
    """ "Release commits will be tagged with a stable tag" -> "Tag release commits with a stable tag".

    With ``present`` only the present tense ("Exceptions are thrown as X"), else only the modal
    forms ("will be", "should be").
    """
    t = text.strip().rstrip(".")
    m = _PASSIVE.match(t)
    if not m or (m.group("aux").lower() in ("is", "are")) != present:
        return ""
    subj, pp, rest = m.group("subj").strip(), m.group("pp"), m.group("rest")
    between = t[len(m.group("subj")) : m.start("pp")].lower()
    if " be " not in f" {between} " and not re.match(r"^\s*(?:is|are)\b", between):
        return ""  # "X will need ..." is no passive
    verb = participle_verb(pp)
    if verb is None or verb == "require" or not _subject_ok(subj) or len(rest.split()) < 1:
        return ""
    if re.match(r"^\s*(?:by|that|if|whether)\b", rest, re.I):
        return ""  # "... is handled by X": the agent matters more than the object
    rest = _BUT_NOT.sub(lambda b: _negated(b.group(1), b.group(2)), rest)
    rest = _AND_PP.sub(lambda a: f"{a.group(1)} {participle_verb(a.group(2)) or a.group(2)}", rest)
    out = f"{verb.capitalize()} {_lower_subject(subj)}{rest}"
    return re.sub(r"\s+", " ", out).strip()


def _negated(conj: str, word: str) -> str:
    verb = participle_verb(word)
    return f"{conj} do not {verb} them" if verb else f"{conj} not {word}"


# "The sidecar receives the request, injects the token and calls the API"
_PRESENT = re.compile(
    r"^(?:(?:for|in|on|at|during|within|with)\s[^,]{2,50},\s+)?(?P<subj>[^,;:()]{2,60}?)\s+"
    r"(?:also\s+|then\s+|only\s+|always\s+|automatically\s+)?(?P<verb>[a-z]+s)\b\s+(?P<rest>.{6,})$",
    re.I | re.DOTALL,
)
_PRESENT_NEG = re.compile(r"\b(?:does not|doesn't|do not|don't)\b", re.I)
_NOT_DESIGN = re.compile(
    r"\b(?:may|might|could|would|if|whether|currently|today|already|previously|used to|for example|"
    r"e\.g\.|i\.e\.)\b|\?",
    re.I,
)


def present_to_imperative(text: str) -> str:
    """ "The sidecar injects the SA token" -> "Have the sidecar inject the SA token"."""
    t = text.strip().rstrip(".")
    if _NOT_DESIGN.search(t) or _PRESENT_NEG.search(t):
        return ""
    m = _PRESENT.match(t)
    if not m:
        return ""
    subj, word, rest = m.group("subj").strip(), m.group("verb"), m.group("rest").strip()
    verb = third_person_verb(word)
    if verb is None or not _subject_ok(subj) or first_is_verb(subj):
        return ""
    if re.match(r"^(?:this|the following|as follows)\b", rest, re.I) and len(rest.split()) < 4:
        return ""
    # later verbs of the same subject: "receives X, injects Y and calls Z"
    rest = re.sub(
        r"(,\s*|\s+and\s+)([a-z]+s)\b",
        lambda v: f"{v.group(1)}{third_person_verb(v.group(2)) or v.group(2)}",
        " " + rest,
    ).strip()
    if verb == "use":
        if re.search(r"\b(?:team|teams|users|engineers|developers|people|staff)$", subj, re.I):
            return f"Use {rest}"
        return f"Use {rest} in {_with_article(subj)}"
    return f"Have {_with_article(subj)} {verb} {rest}"


def first_is_verb(subject: str) -> bool:
    first = subject.split(maxsplit=1)[0].lower()
    return (
        first in IMPERATIVE_VERBS and not _DETERMINER.match(first) and first not in ("test", "log", "record")
    )


def _with_article(subject: str) -> str:
    if _DETERMINER.match(subject):
        return subject[:1].lower() + subject[1:]
    last = subject.split()[-1]
    if last.islower() and len(subject.split()) >= 2:
        return "the " + subject  # "Eval-hub service" -> "the Eval-hub service"
    return subject


# a statement common to every considered option: "In both of the above scenarios, X would ..."
_ALL_OPTIONS = re.compile(
    r"^(?:(?:additionally|furthermore|moreover|also|in addition),?\s+)?"
    r"(?:in|for|with|under)\s+(?:both|all|either|each|any)\s+(?:of\s+)?(?:the\s+|these\s+|those\s+)?"
    r"(?:(?:above|two|three|proposed|considered)\s+)?(?:scenarios?|options?|cases?|approaches|alternatives?|"
    r"proposals?)(?:\s+(?:above|below))?,?\s+",
    re.I,
)
_CONTINUATION = re.compile(r"^(?:additionally|furthermore|moreover|also|in addition),?\s+", re.I)


def all_options_statement(sentence: str, *, in_scope: bool) -> tuple[str, bool]:
    """(statement, scope) for a sentence of an options section; scope stays on across continuations."""
    m = _ALL_OPTIONS.match(sentence) or (_CONTINUATION.match(sentence) if in_scope else None)
    if not m:
        return "", False
    rest = sentence[m.end() :]
    rest = re.sub(r"\bwould\b", "will", rest[:1].upper() + rest[1:])
    return passive_to_imperative(rest) or rest, True


# --- postmortem causes -------------------------------------------------------------------------

# "Kyverno not being kept up-to-date due to code freeze"
_NOT_DONE = re.compile(
    r"^(?P<subj>[^,;:()]{3,60}?)\s+(?:not being|was not|were not|wasn't|weren't|not|never being|"
    r"had not been|hadn't been|has not been|hasn't been|have not been|haven't been)\s+"
    r"(?:[a-z]+ly\s+)?(?P<pp>[a-z]+)\b(?P<rest>[^,;]*?)"
    r"(?:,?\s+(?:due to|because of|owing to|during)\s+(?P<cause>[^,;]{3,60}))?\.?$",
    re.I,
)
# "If the failurePolicy was set to ignore instead of fail, the issue wouldn't have occurred"
_COUNTERFACTUAL = re.compile(
    r"^(?:if|had)\s+(?P<cond>[^,]{6,160}),\s*(?:then\s+)?(?:the|this|that|it|we)\b[^,]{0,60}?"
    r"\b(?:would(?:n't| not)\s+have|would have been (?:avoided|prevented|caught|detected)|"
    r"could have been (?:avoided|prevented))",
    re.I,
)
_COND_PASSIVE = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?P<subj>[^,]{2,80}?)\s+(?:was|were|had been|is|are)\s+(?:\w+ly\s+)?"
    r"(?P<pp>[a-z]+)\b(?P<rest>.*)$",
    re.I,
)
_COND_ACTIVE = re.compile(r"^(?:we|the team|they)\s+had\s+(?P<pp>[a-z]+)\b(?P<rest>.*)$", re.I)


# a failure told as the wrong one of two choices: "Multiple PRs addressed symptoms rather than root causes"
_WRONG_CHOICE = re.compile(
    r"^(?:[\w/-]+\s+){1,4}?(?P<v>[a-z]+ed)\s+(?P<x>[^,;]+?)\s+(?:rather than|instead of)\s+(?P<y>[^,;]+)$"
)


# a missing safeguard: "No alerting configured for 429 errors, requiring customer reports"
_NONE_SET_UP = re.compile(
    r"^no\s+(?P<x>[\w/-]+(?:\s+[\w/-]+){0,3}?)\s+(?P<pp>configured|set up|enabled|defined)\s+"
    r"(?P<rest>(?:for|on)\s+[^,;]+?)(?:,.*)?$",
    re.I,
)
_SET_UP_VERB = {"configured": "Configure", "set up": "Set up", "enabled": "Enable", "defined": "Define"}


# a safeguard that failed to do its job: "A minimal .dockerignore file did not exclude X from the build"
_DID_NOT = re.compile(
    r"^(?P<subj>[^,;:()]{3,60}?)(?:\s+(?:at the time|back then|then|previously))?\s+(?:did not|didn't)\s+"
    r"(?P<v>[a-z]+)\s+(?P<rest>[^,;]+?)(?:,.*)?$",
    re.I,
)
_DID_NOT_VERBS = frozenset(
    [
        "exclude",
        "include",
        "block",
        "catch",
        "cover",
        "detect",
        "filter",
        "ignore",
        "match",
        "prevent",
        "reject",
        "remove",
        "restrict",
        "stop",
        "validate",
        "check",
        "enforce",
        "limit",
        "alert",
    ]
)


def did_not_to_lesson(text: str) -> str:
    """A safeguard told as what it did not do, as a rule: "Make the .dockerignore file exclude X"."""
    m = _DID_NOT.match(text.strip().rstrip("."))
    if not m or m.group("v").lower() not in _DID_NOT_VERBS:
        return ""
    subj = re.sub(r"^(?:a|an|the)\s+(?:\w+\s+)?(?=\S+\s+\w+$)", "", m.group("subj").strip(), flags=re.I)
    if not _subject_ok(subj) or first_is_verb(subj):
        return ""
    return f"Make {_with_article(subj)} {m.group('v').lower()} {m.group('rest')}"


# a preposition the passive left at the end ("was not alerted on"): it goes before the object again;
# particles ("turned off", "cleaned up") may stay after it
_STRANDED_PREPOSITIONS = frozenset({"on", "for", "at", "to", "with", "about", "into", "upon", "from"})


def cause_to_lesson(text: str) -> str:
    """A contributing factor stated as what was not done, or as a counterfactual, as a rule."""
    t = text.strip().rstrip(".")
    none = _NONE_SET_UP.match(t)
    if none:
        # the lesson is to set the safeguard up: "Configure alerting for 429 errors"
        return f"{_SET_UP_VERB[none.group('pp').lower()]} {none.group('x')} {none.group('rest')}"
    w = _WRONG_CHOICE.match(t)
    if w and participle_verb(w.group("v")):
        # the lesson is the other choice: "Address root causes rather than symptoms"
        verb = participle_verb(w.group("v")) or ""
        x, y = w.group("x"), w.group("y")
        prep = re.match(r"(?:on|upon|in|into|to|for|with|at|from|about)\s+", x, re.I)
        if prep and not y.lower().startswith(prep.group(0).lower()):
            # "We relied on customer reports rather than monitoring": the preposition goes with the verb
            return f"{verb.capitalize()} {prep.group(0)}{y} rather than {x[prep.end() :]}"
        return f"{verb.capitalize()} {y} rather than {x}"
    m = _COUNTERFACTUAL.match(t)
    if m:
        cond = m.group("cond").strip()
        a = _COND_ACTIVE.match(cond)
        active = participle_verb(a.group("pp")) if a else None
        if a and active:
            return f"{active.capitalize()}{a.group('rest')}"
        p = _COND_PASSIVE.match(cond)
        if p and participle_verb(p.group("pp")) and _subject_ok(p.group("subj")):
            verb = participle_verb(p.group("pp")) or ""
            subj = cond[: p.start("subj")] + p.group("subj")
            subj = subj[:1].lower() + subj[1:] if _DETERMINER.match(subj) else _with_article(subj)
            return f"{verb.capitalize()} {subj}{p.group('rest')}"
        return ""
    n = _NOT_DONE.match(t)
    if n:
        base = participle_verb(n.group("pp"))
        noun = n.group("subj").strip()
        if base is None or not _subject_ok(noun):
            return ""
        rest = n.group("rest")
        if rest.strip().lower() in _STRANDED_PREPOSITIONS:
            # "Crash loops were not alerted on" -> "Alert on crash loops", not "Alert crash loops on"
            out = f"{base.capitalize()} {rest.strip()} {_lower_subject(noun)}"
        else:
            out = f"{base.capitalize()} {_lower_subject(noun)}{rest}"
        if n.group("cause") and _PERIOD.search(n.group("cause")):
            out += f" even during {n.group('cause').strip()}"
        return re.sub(r"\s+", " ", out).strip()
    return ""
