"""Changes a postmortem tells as made, and lessons it tells in prose.

A blog post or a status-page report has no action list: what the team changed is told as the
state things are in now ("We now run a dry-run for every lifecycle change", "A prefix shorter than
four characters now fails our policy check", "We have made the rate limiter fail open when ...",
"our Redis hosts now refuse to be promoted while ..."), what it learned as a habit ("We've also
learned to keep versioning on for any bucket that ...") or as the one thing to take away ("If
there is one thing I would want another team to take from this, it is that X"), and what remains
as a wish ("Still to do: we want to split X"). Each is the rule or the follow-up it states. Only the
story's sections are read (a section that lists actions or lessons is read by its own rules), and
news told with "now" ("the service is now healthy") says no rule.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines, block_role
from ingest.extract.patterns import _ANAPHORA
from ingest.extract.text import clean_text, split_sentences
from ingest.extract.words import _capitalize, word_count
from ingest.narrative import participle_verb
from ingest.sections import Outline
from ingest.vocabulary import IMPERATIVE_VERBS

# "We now run X", "And we now also check X" -> "Run X"
_WE_NOW = re.compile(
    r"^(?:and\s+|so\s+|also\s+)?(?:we|our team|the team)\s+(?:also\s+)?now\s+(?:also\s+|always\s+)?"
    r"(?P<verb>[a-z]+)\s+",
    re.I,
)
# "A prefix shorter than four characters now fails X", "our Redis hosts now refuse to be promoted
# while X": the subject opens on a determiner, so "Everything now works" and "It now ..." stay out
_SUBJECT_NOW = re.compile(
    r"^(?:and\s+|so\s+|also\s+)?(?P<subj>(?:our|the|a|an|any|every|each|all|new)\s+[^,;:()]{2,80}?)\s+"
    r"now\s+(?:also\s+|always\s+)?(?P<verb>[a-z]+)\b",
    re.I,
)
# a verb after "now" that tells news, not a rule: "X is now healthy", "X now works again"
_NEWS_VERB = re.compile(
    r"^(?:is|are|was|were|has|have|had|be|been|being|seems?|appears?|looks?|works?|knows?|"
    r"understands?|back|fully|resolved|recovered|stable|healthy|available|operational|live|"
    r"running|online|able|in|on|at|up|down|\w+ed|\w+ing|\w+ly)$",
    re.I,
)
# "We have made the rate limiter fail open when X" -> "Make the rate limiter fail open when X"
_WE_HAVE_MADE = re.compile(
    r"^(?:and\s+)?(?:we|our team|the team)(?:'ve|\s+have)\s+(?:also\s+|now\s+)*"
    r"(?P<pp>made|set|configured)\s+",
    re.I,
)
# "We've also learned to keep X" -> "Keep X"
_LEARNED_TO = re.compile(
    r"^(?:and\s+)?(?:we|i)(?:'ve|\s+have)?\s+(?:also\s+)?(?:learned|learnt)\s+to\s+(?P<verb>[a-z]+)\s+", re.I
)
# "If there is one thing I would want another team to take from this, it is that X" -> "X"
_ONE_THING = re.compile(
    r"^if\s+(?:there\s+is|there's)\s+one\s+thing\b[^,]{0,100}\b(?:take|learn|remember)\b[^,]{0,40},\s*"
    r"it(?:\s+is|'s|\s+would\s+be)\s+(?:that\s+)?",
    re.I,
)
# "Still to do: we want to split X" -> "Split X" (an open follow-up)
_STILL_TO_DO = re.compile(
    r"^(?:still\s+to\s+do|still\s+open|what'?s\s+left|next\s+up)\s*:\s*(?:we\s+(?:still\s+)?"
    r"(?:want|would\s+like|'d\s+like|plan|intend)\s+to\s+)?(?P<verb>[a-z]+)\s+",
    re.I,
)
# the story's roles: a section of lessons or actions is read by the extractor's own rules
_STORY_ROLES = (None, "skip", "context", "summary", "done", "factor", "mitigation")
# a change stands alone with this many words
MIN_CHANGE_WORDS = 6
# the clause boundary before a second change: ", and our Redis hosts now refuse X"
_AND_CLAUSE = re.compile(r",?\s+and\s+(?=(?:our|the|we)\b)", re.I)

_RUN_ON = re.compile(r"(?<=[a-z0-9])\.\s+(?=[A-Z])")


def _imperative(verb: str, rest: str) -> str:
    return _capitalize(f"{verb.lower()} {rest}") if verb.lower() in IMPERATIVE_VERBS else ""


def change_rule(clause: str) -> tuple[str, str]:
    """(the rule or follow-up a change or lesson told in prose states, its role), or ("", "")."""
    stmt, role = _told_change(clause)
    return (stmt, role) if stmt else ("", "")


def _told_change(clause: str) -> tuple[str, str]:
    t = clause.strip().rstrip(".")
    m = _WE_NOW.match(t) or _LEARNED_TO.match(t)
    if m:
        return _imperative(m.group("verb"), t[m.end() :]), "lesson"
    m = _WE_HAVE_MADE.match(t)
    if m:
        verb = participle_verb(m.group("pp")) or ""
        return _imperative(verb, t[m.end() :]), "lesson"
    m = _STILL_TO_DO.match(t)
    if m:
        return _imperative(m.group("verb"), t[m.end() :]), "action"
    m = _ONE_THING.match(t)
    if m:
        return _capitalize(t[m.end() :]), "lesson"
    m = _SUBJECT_NOW.match(t)
    if m and not _NEWS_VERB.match(m.group("verb")):
        subject = re.sub(r"^our\s+", "", m.group("subj"), flags=re.I)  # the rule holds, not the "we"
        return _capitalize(f"{subject} {t[m.start('verb') :]}"), "lesson"
    return "", ""


def changes_made(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """The changes, lessons and wishes a postmortem's story tells in prose."""
    if kind != "postmortem":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        role, section = block_role(block, kind, title)
        if block.type != "paragraph" or role not in _STORY_ROLES:
            continue
        text = block.text
        for s, e in split_sentences(text.text):
            sentence = clean_text(text.text[s:e])
            # a sentence the splitter kept whole after an abbreviation ("500 ms. We're sorry")
            sentence = _RUN_ON.split(sentence)[0]
            for clause in _AND_CLAUSE.split(sentence):
                stmt, told = change_rule(clause)
                if not stmt or word_count(stmt) < MIN_CHANGE_WORDS or _ANAPHORA.match(stmt):
                    continue
                ls, le = _sentence_lines(text, s, e)
                out.append(Candidate(stmt.rstrip(" .") + ".", section, told, ls, le, "sentence"))
    return out
