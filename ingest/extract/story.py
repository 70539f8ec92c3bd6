"""Advice a story postmortem tells in passing (a wish, a workaround, advice to a group, a means
with what it secures), rewritten as the rule or step it gives."""

from __future__ import annotations

import re

from ingest.extract.hindsight import hindsight_rule
from ingest.extract.patterns import (
    _BETTER_TO,
    _BY_MEANS,
    _COMMIT_CLAUSE,
    _COMMIT_LEAD,
    _EXPLORING,
    _FUTURE_NEWS,
    _FUTURE_SUBJECT,
    _GROUP_ADVISED,
    _IDEALLY,
    _PLAN_IS,
    _WE_COMMIT,
    _WORKAROUND,
)
from ingest.extract.words import _and_gerunds, _capitalize, _gerund_to_imperative, first_word, word_count
from ingest.vocabulary import IMPERATIVE_VERBS


def _group_advised(t: str) -> str:
    """ "Users are urged to X" / "We advise all users to X" / "It is recommended that all users X"
    -> "Users should X"; "" for other shapes or when X does not open on a known verb."""
    m = _GROUP_ADVISED.match(t.strip())
    if not m:
        return ""
    who, rest = m.group("who") or m.group("who2") or m.group("who4"), t.strip()[m.end() :]
    if m.group("who3"):  # "that all users upgrade X": the group ends where its verb begins
        words = (m.group("who3") + " " + rest).split()
        at = next((i for i, w in enumerate(words) if i and w.lower() in IMPERATIVE_VERBS), 0)
        who, rest = " ".join(words[:at]), " ".join(words[at:])
    if not who or word_count(who) > 12 or first_word(rest) not in IMPERATIVE_VERBS:
        return ""
    return f"{_capitalize(who.strip())} should {rest}"


def story_advice(t: str) -> str:
    """Advice a story tells in passing: "Ideally, X would Y" -> "X should Y"; "It would have been
    better to X" -> "X"; "A workaround is available by X-ing Y" -> "As a workaround, X Y"; "Users
    are urged to X" -> "Users should X"; "By X-ing Y, we ensure Z" -> "X Y, so that Z"; "Our plan
    is to X" -> "X"; "" for other shapes."""
    group = _group_advised(t) or hindsight_rule(t)
    if group:
        return group
    m = _IDEALLY.match(t)
    if m:
        subj, rest = m.group("subj"), t[m.end() :]
        if subj.lower() in ("we", "the team", "you"):
            return _capitalize(rest) if first_word(rest) in IMPERATIVE_VERBS else ""
        return f"{_capitalize(subj)} should {rest}"
    m = _BETTER_TO.match(t) or _PLAN_IS.match(t)
    if m and first_word(t[m.end() :]) in IMPERATIVE_VERBS:
        return _capitalize(t[m.end() :])
    m = _BY_MEANS.match(t)
    verb = _gerund_to_imperative(m.group("g")) if m else None
    if m and verb:
        rest, v = t[m.end() :], m.group("v").lower()
        rest = re.sub(r"^that\s+", "", rest) if v in ("guarantee", "ensure", "make sure") else f"{v} {rest}"
        link = "so that" if v in ("guarantee", "ensure", "make sure") else "to"
        return f"{_capitalize(verb)} {m.group('what')}, {link} {rest}"
    m = _WORKAROUND.match(t)
    verb = _gerund_to_imperative(m.group("g")) if m and m.group("g") else None
    rest = f"{verb} {_and_gerunds(t[m.end() :])}" if m and verb else t[m.end() :] if m else ""
    return f"As a workaround, {rest}" if first_word(rest) in IMPERATIVE_VERBS else ""


_POINTING = re.compile(r"\b(?:here|this|these|those|that|such)\b", re.I)


def commitment(cleaned: str) -> tuple[re.Match[str] | None, str]:
    """(the match of a first-person commitment, the text it starts) in one sentence, if any: also
    after a lead that orders a list ("Secondly, we'll add X"), in a second clause (", but we will
    review X"), and work being weighed ("The PSF is exploring X" -> "Explore X")."""
    probe = cleaned.replace("\u2019", "'")
    clause = _COMMIT_CLAUSE.search(probe)
    for body in (probe, probe[clause.end() :] if clause else ""):
        lead = _COMMIT_LEAD.match(body)
        body = body[lead.end() :] if lead else body
        commit = _WE_COMMIT.match(body) or _EXPLORING.match(body)
        if not commit and lead:
            # "To start with, all SDKs will stop retrying X": a change told about the thing it changes
            body = _capitalize(body)
            commit = _FUTURE_SUBJECT.match(body)
            if commit and (
                _FUTURE_NEWS.match(commit.group("rest")) or _POINTING.search(commit.group("subj"))
            ):
                commit = None  # news, or a subject that points back ("the default here")
        if commit:
            verb = commit.groupdict().get("verb")
            return commit, (verb[:-3].capitalize() + "e " + body[commit.end() :]) if verb else body
    return None, cleaned
