"""Post-processing of candidates: dedupe, drop fragments, cap per document, alert context."""

from __future__ import annotations

import re
from typing import Final

from ingest.extract.candidate import Candidate
from ingest.extract.causes import TOLD_ROLES
from ingest.extract.courtesy import is_courtesy
from ingest.extract.patterns import (
    _CODE_SIGNATURE,
    _DEICTIC,
    _EXAMPLE_OPENER,
    _FIRM_MODAL,
    _FIRST_PERSON,
    _GENERIC_STEP,
    _LONG_PAREN,
    _NAVIGATION,
    _NOT_SELF_CONTAINED,
    _PAREN_FIX,
    _PROS_CONS,
    _TIMELINE,
    _TRAILING_EG,
    _TRIVIAL_STEP,
    LONG_DECISION,
    MAX_GENERIC_LONG_DOCUMENT,
    MAX_GENERIC_PER_DOCUMENT,
    MAX_PER_DOCUMENT,
    MAX_WORDS,
    MIN_WORDS,
)
from ingest.extract.splitting import split_coordinated, split_subject_clause
from ingest.extract.text import (
    cut_to_limit,
    finish,
    is_imperative,
    past_to_imperative,
)
from ingest.extract.words import _capitalize, word_count
from ingest.record_types import content_severity

# ---------------------------------------------------------------------------------------------
# post-processing


# a lead-in whose list was not joined: "Move to X by:" keeps "Move to X", "Use X for the" is dropped
_DANGLING_CONNECTOR = re.compile(r"\s+(?:by|which|via|using|through|including|as follows)\s*$", re.I)
_DANGLING_END = re.compile(r"\s(?:the|a|an|of|for|with|and|or|from|into|such as|e\.g|like|than)\s*$", re.I)
# "..., which they were missing from": a relative clause may end on its preposition; the sentence is whole
_STRANDED_PREPOSITION = re.compile(
    r",\s+(?:which|whom|that)\s+(?:they|we|you|it|he|she|people|users|customers|teams?)\s+"
    r"(?:[\w-]+\s+){1,4}(?:of|for|with|from|into)\s*$",
    re.I,
)
_DEDUP_WORD = re.compile(r"[a-z0-9]+")


def _key(text: str) -> frozenset[str]:
    return frozenset(w for w in _DEDUP_WORD.findall(text.lower()) if len(w) > 2)


_RESTATE_STOP = frozenset(
    re.findall(
        r"\w+",
        "the and for with from into that this when then than are was were will can must should not "
        "all any each its their your our has have had been",
    )
)
RESTATE_MAX_WORDS = 10  # a short statement whose every content word another statement already says


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        return word[:-1]
    return word


def _content(text: str, *, skip_verb: bool = False) -> set[str]:
    words = _DEDUP_WORD.findall(text.lower())
    if skip_verb:
        words = words[1:]
    return {_stem(w) for w in words if len(w) > 2 and w not in _RESTATE_STOP}


def restates(short: str, other: str) -> bool:
    """``short`` says nothing ``other`` does not: its words after the verb all occur in ``other``.

    "Implement AutoRAG as a Kubeflow Pipeline" restates "Use Kubeflow Pipelines to orchestrate
    ... in AutoRAG"; the verb may differ, the objects may not.
    """
    if word_count(short) > RESTATE_MAX_WORDS or word_count(short) >= word_count(other):
        return False
    words = _content(short, skip_verb=True)
    return len(words) >= 3 and words <= _content(other)


def _firm(c: Candidate) -> bool:
    """A decision that reads as a rule: chosen option, imperative, or a strong modal."""
    stmt = c.statement
    return c.source in ("chosen", "heading") or is_imperative(stmt) or bool(_FIRM_MODAL.search(stmt))


def finalize(cands: list[Candidate], generic: list[Candidate], kind: str) -> list[Candidate]:
    """Clean, filter, cut and deduplicate candidates."""
    out: list[Candidate] = []
    keys: list[frozenset[str]] = []
    heads: set[str] = set()
    use_generic = kind != "postmortem" or not cands
    if kind == "adr" and sum(c.role == "decision" for c in cands) > LONG_DECISION:
        # long design documents describe far more than they decide: keep the firm sentences only
        cands = [c for c in cands if c.role != "decision" or _firm(c)]
    max_generic = MAX_GENERIC_PER_DOCUMENT if len(cands) <= LONG_DECISION else MAX_GENERIC_LONG_DOCUMENT
    pool = cands + (generic[:max_generic] if use_generic else [])
    expanded: list[Candidate] = []
    for c in pool:
        parts = split_coordinated(c.statement.strip().rstrip("."))
        if len(parts) == 1:
            parts = split_subject_clause(parts[0])
        if len(parts) == 1:
            expanded.append(c)
            continue
        for part in parts:
            expanded.append(
                Candidate(
                    part,
                    c.section,
                    c.role,
                    c.line_start,
                    c.line_end,
                    c.source,
                    list(c.code_spans),
                    c.warning,
                    c.extra_rationale,
                )
            )
    # A fact kept as told (causes.py) yields to the rules it repeats: weighed after them, it is never
    # the one of two near-duplicates kept ("A destructive default (expiration = 30) in a shared module"
    # took the place of "Never give destructive settings ... a default value", the rule the gate reads).
    position = {id(c): i for i, c in enumerate(expanded)}
    for c in sorted(expanded, key=lambda c: c.role in TOLD_ROLES):
        stmt = _TRAILING_EG.sub("", c.statement.strip().rstrip(".")).strip()
        if _FIRST_PERSON.search(stmt) or _TRIVIAL_STEP.match(stmt):
            continue
        if not stmt or _PROS_CONS.match(stmt) or _TIMELINE.match(stmt):
            continue
        if _GENERIC_STEP.search(stmt):
            continue
        if (
            (stmt.endswith("?") and c.role != "question")
            or _CODE_SIGNATURE.search(stmt)
            or _EXAMPLE_OPENER.match(stmt)
        ):
            continue
        if _NOT_SELF_CONTAINED.search(stmt) or _NAVIGATION.match(stmt):
            continue
        if _DEICTIC.search(stmt) and "`" not in stmt:
            continue  # "Copy the module code below": unless the statement carries the code along
        if _PROJECT_ITEM.match(stmt) or (c.role == "driver" and word_count(stmt) < MIN_DRIVER_WORDS):
            continue
        if _CONTEXT_REF.match(stmt):
            continue  # "In this case the KFP needs ...": depends on the sentence before
        if _WE_NARRATIVE.search(stmt) and not is_imperative(stmt):
            continue  # narrative in the first person ("For RAG, we mostly used ..."), not a rule
        if c.role == "consequence" and kind == "adr" and _HEDGED_END.search(stmt):
            continue  # "Use the platform pipelines where possible": a hope, not a constraint
        fix = _PAREN_FIX.search(stmt)
        if fix and is_imperative(stmt) and word_count(fix.group(1)) >= MIN_WORDS:
            # "Fix the rate-limit config (configured the limiter to trust X-Forwarded-For)": the
            # parenthetical says what the fix was; the statement before it only names the fix
            stmt = past_to_imperative(_capitalize(fix.group(1))) or stmt
        short = _LONG_PAREN.sub("", stmt)
        stmt = _DANGLING_CONNECTOR.sub("", short if word_count(short) >= 7 else stmt)
        if _DANGLING_END.search(stmt) and not _STRANDED_PREPOSITION.search(stmt):
            continue
        stmt = cut_to_limit(stmt)
        tail = _MODAL_CLAUSE.search(stmt) if is_imperative(stmt) else None
        if tail and word_count(stmt[: tail.start()]) >= MIN_WORDS:
            stmt = stmt[: tail.start()]  # "Use X, and will evaluate Y": the clause lost its "we"
        if not_a_lesson(stmt, kind):
            continue
        if word_count(stmt) < MIN_WORDS and not (
            (word_count(stmt) == 3 and is_imperative(stmt) and c.role in ("action", "lesson"))
            or (c.role == "decision" and _SHORT_CHOICE.match(stmt))
        ):
            continue
        letters = sum(ch.isalpha() for ch in stmt)
        if letters < 12 or letters < len(stmt) * 0.5:
            continue
        key = _key(stmt)
        if not key:
            continue
        dup = False
        for k in keys:
            inter = len(key & k)
            if inter and (inter / len(key | k) >= 0.8 or (inter >= 4 and inter == min(len(key), len(k)))):
                dup = True
                break
        head = stmt.split(", which ", 1)[0].lower() if ", which " in stmt else ""
        if dup or (head and word_count(head) >= MIN_WORDS + 1 and head in heads):
            continue  # "Each CRD will have its own loop, which ..." said twice with different tails
        if any(restates(stmt, o.statement) for o in out):
            continue
        shorter = [i for i, o in enumerate(out) if restates(o.statement, stmt)]
        if shorter and c.role in TOLD_ROLES:
            continue
        for i in reversed(shorter):
            del out[i]
            del keys[i]
        keys.append(key)
        if head:
            heads.add(head)
        c.statement = finish(stmt)
        if word_count(c.statement) > MAX_WORDS:
            c.statement = finish(" ".join(c.statement.split()[:MAX_WORDS]))
        out.append(c)
        if len(out) >= MAX_PER_DOCUMENT:
            break
    return sorted(out, key=lambda c: position[id(c)])


# project-management items that name work to organise, not a rule to follow
_PROJECT_ITEM = re.compile(
    r"^(?:define\s+(?:and\s+implement\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:strategy|roadmap)\b|"
    r"(?:re-?)?evaluate\s+(?:the\s+)?current\s+state\b|(?:strike|tiger)\s+team\b|"
    r"(?:form|set up|create)\s+an?\s+(?:strike|tiger|working)\s+(?:team|group)\b)",
    re.IGNORECASE,
)
_CONTEXT_REF = re.compile(r"^in (?:this|that|such a|which) (?:case|way|mode|scenario|situation)\b", re.I)
_WE_NARRATIVE = re.compile(
    r"\bwe(?:'ve| have| had)?\s+(?:\w+ly\s+|still\s+|just\s+|also\s+|then\s+)*(?:can|could|may|might|would|"
    r"(?!(?:need|proceed|succeed|exceed)\b)[a-z]+ed|used|had|did|was|were|made|took|saw|found|chose|got|began|ran|went|knew|thought)\b",
    re.I,
)
_HEDGED_END = re.compile(r"\bwhere(?:ver)? possible$", re.I)
# a decision that names its choice in two or three words ("Use PostgreSQL", "Adopt MariaDB Connector")
_SHORT_CHOICE = re.compile(r"^(?:use|adopt|choose|switch to|migrate to)\s+\S+(?:\s+\S+)?$", re.I)
MIN_DRIVER_WORDS = 10  # shorter decision drivers are quality wishes ("The API should be simple")

_CHECK = re.compile(r"^(?:check|inspect|review)\s+(.+?)(?:\s+(?:via|using|with)\s+`?[\w$./-]+.*)?\.?$", re.I)
MERGE_MAX = 5


def merge_checks(cands: list[Candidate]) -> list[Candidate]:
    """Fold consecutive "Check X" diagnosis steps of one section into one "Check X, Y and Z"."""
    out: list[Candidate] = []
    group: list[tuple[Candidate, str]] = []

    def flush() -> None:
        if len(group) < 2:
            out.extend(c for c, _ in group)
        else:
            first = group[0][0]
            objs = [o for _, o in group]
            stmt = "Check " + (", ".join(objs[:-1]) + " and " + objs[-1])
            spans = [s for c, _ in group for s in c.code_spans]
            out.append(
                Candidate(
                    stmt,
                    first.section,
                    first.role,
                    first.line_start,
                    group[-1][0].line_end,
                    first.source,
                    spans,
                )
            )
        group.clear()

    for c in cands:
        m = _CHECK.match(c.statement.strip()) if c.role == "diagnosis" else None
        if m and group and group[0][0].section != c.section:
            flush()
        if m:
            obj = m.group(1).strip().rstrip(".")
            words = sum(word_count(o) for _, o in group) + word_count(obj)
            if len(group) >= MERGE_MAX or words > MAX_WORDS - 4:
                flush()
            group.append((c, obj))
            continue
        flush()
        out.append(c)
    flush()
    return out


# "If the job is slow, update #infra" + "If the job is slow, alert #mods so they can ...": two
# steps under one condition are one record, the condition said once
_SHARED_CONDITION = re.compile(r"^((?:if|when|whenever|once)\s+[^,;:]{3,80}?),\s+(?=[a-z])", re.I)
# "Encourage authors to: state X" + "Encourage authors to: state Y": items of one lead-in list
_SHARED_LEAD = re.compile(r"^([A-Z][^,;:]{3,60}?\bto):\s+(?=[a-z])")


def _shared_opening(prev: Candidate, c: Candidate) -> str | None:
    """``prev`` and ``c`` (one section) fold into one statement when they open on the same
    condition or lead-in and each goes on with an instruction: the folded statement, else None."""
    if prev.section != c.section:
        return None
    for pattern, sep in ((_SHARED_CONDITION, ", "), (_SHARED_LEAD, " ")):
        m, pm = pattern.match(c.statement), pattern.match(prev.statement)
        if not (m and pm and m.group(1).lower() == pm.group(1).lower()):
            continue
        first = prev.statement[pm.end() :].rstrip(".")
        second = c.statement[m.end() :].rstrip(".")
        # after "X to:" the items are verb phrases; after a condition each must be an instruction
        steps = pattern is _SHARED_LEAD or all(is_imperative(_capitalize(x)) for x in (first, second))
        if steps and word_count(prev.statement) + word_count(second) <= MAX_WORDS:
            return f"{pm.group(1)}{sep}{first} and {second}."
    return None


def merge_shared_condition(cands: list[Candidate]) -> list[Candidate]:
    """Fold neighbouring statements of one section that open on the same condition ("If X, A" and
    "If X, B" -> "If X, A and B") or lead-in ("Encourage authors to: A") into one statement."""
    out: list[Candidate] = []
    for c in cands:
        folded = _shared_opening(out[-1], c) if out else None
        if folded is None:
            out.append(c)
            continue
        prev = out[-1]
        prev.statement = folded
        prev.line_end = max(prev.line_end, c.line_end)
        prev.code_spans = prev.code_spans + [s for s in c.code_spans if s not in prev.code_spans]
    return out


_THIS_ALERT = re.compile(r"^this alert\b", re.I)
_THIS_ALERT_ANY = re.compile(r"\bthis alert\b(?!s)", re.I)
_ALERT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*[a-z0-9][A-Z][A-Za-z0-9]*$")
_CAMEL_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+")
_ALERT_ROLES = ("mitigation", "diagnosis", "")
ALERT_CONTEXT_MAX_WORDS = 12  # longer steps name their own subject


def alert_words(title: str) -> list[str]:
    """The words of an alert-named runbook title ("KubeJobFailed" -> Kube, Job, Failed), else []."""
    t = title.strip()
    if len(t) < 8 or not _ALERT_NAME.match(t):
        return []
    return _CAMEL_WORD.findall(t)


def with_alert_context(cands: list[Candidate], title: str) -> list[Candidate]:
    """Make alert runbook steps self-contained: "Check configs" -> "Check configs when the X alert fires"."""
    words = alert_words(title)
    if not words:
        return cands
    distinct = {w.lower() for w in words if len(w) > 3}
    suffix = f" when the {' '.join(words)} alert fires"
    for c in cands:
        stmt = c.statement.rstrip(".")
        present = {w for w in distinct if w in stmt.lower()}
        if (
            c.role not in _ALERT_ROLES
            or len(present) * 2 >= len(distinct)
            or re.match(r"^(?:if|when|once|after|before|do not|don't|never|always)\b", stmt, re.I)
            or stmt.endswith("possible")
            or word_count(stmt) > ALERT_CONTEXT_MAX_WORDS
        ):
            continue
        c.statement = finish(stmt + suffix)
    return cands


# a discourse connector that ties a sentence to the one before it: "However, X" says X
_CONNECTOR = re.compile(
    r"^(?:however|furthermore|additionally|also|in addition|therefore|thus|moreover|with that|then|"
    r"but|and|so)\s*,?\s+(?=\S)",
    re.I,
)
# after the connector: a subject that only points back ("it will reject...", "this is the cache...")
_POINTING_SUBJECT = re.compile(
    r"^(?:it|this|that|they|these|those|the above|such)\s+(?!is\s+(?:important|critical))", re.I
)


def self_contained(cands: list[Candidate], *, keep_one: bool = False) -> list[Candidate]:
    """Drop the connector a statement borrowed from its neighbour and statements with no subject of
    their own ("It will reject any transaction"). ``keep_one`` keeps the last one standing."""
    out: list[Candidate] = []
    for c in cands:
        stmt = _CONNECTOR.sub("", c.statement)
        if stmt != c.statement:
            c.statement = _capitalize(stmt)
        if _POINTING_SUBJECT.match(c.statement):
            continue
        out.append(c)
    return out if out or not keep_one else cands[:1]


# ---------------------------------------------------------------------------------------------
# not a lesson: fragments, pointers into the document, past-tense story, template checklists

# "Encourage authors to." / "Regardless of priority, the first responder should.": a lead-in whose
# list was not joined ends on a word that needs its object
_DANGLING_MODAL = re.compile(r"\s(?:should|must|shall|such as)\s*\.?$", re.I)
# "Encourage authors to.": a short lead-in cut before its verb ("... to fail over to." is whole)
_DANGLING_TO = re.compile(r"(?<!want)(?<!wants)(?<!need)(?<!have)(?<!like)\s(?:to|by|that)\s*\.?$", re.I)
DANGLING_TO_MAX_WORDS = 8
# "Spike in traffic, etc.).": the tail of a parenthesis opened in the sentence before
_UNOPENED_PAREN = re.compile(r"^[^(]*\)")
# an inline enumerator ("cannot 1) X, or 2) Y", "a) X") closes no parenthesis
_ENUMERATOR = re.compile(r"(?<![\w(])(?:\d{1,2}|[a-h]|[ivx]{1,4})\)(?=\s)")
# "Use the matrix above", "All actionable items above have ...", "following the instructions here":
# a pointer into the document means nothing once the statement stands alone
_DOC_POINTER = re.compile(
    r"\b(?:items?|sections?|steps?|matrix|tables?|lists?|options?|links?|instructions|points?|checklist)"
    r"\s+(?:above|below|here)\b|\babove\s*\.?$|^use this\b|\bin this (?:guide|document|doc|runbook|page)\b|"
    r"\bthis (?:process|procedure|approach|workflow)\b",
    re.I,
)
# "Yuvi was awake at the time ...", "Classes using hubs were not completely affected ...",
# "Incident has been dealt with or is over.": a state or a story, with no action in it
_PAST_STATE = re.compile(
    r"^(?!(?:if|when|whenever|before|after|once|unless|until|never|always|do|don't)\b)"
    r"(?:[\w'./#-]+\s+){1,7}?(?:(?:was|were|had|has been|have been)\s+(?:not\s+)?(?:\w+ly\s+)?"
    r"(?:\w+ed|over|done|awake|lucky|able|\w+en)\b|"
    r"(?:is|are)\s+(?:over|done|cleaned up|filled (?:out|in))\b)",
    re.I,
)
# "Should be the same in a shared and non-shared setting.": a requirement whose subject was the
# heading or the sentence before; alone it does not say what must be so
_NO_SUBJECT = re.compile(r"^(?:should|must|shall|will|would|can|could|may|might)\b", re.I)
# "Implementation for this will be done in two phases", "Be alerted to these", "Not a perfect
# check, but worth the check": a subject or object that only points back, or no clause at all
_POINTS_BACK = re.compile(
    r"^(?:the\s+)?[\w-]+\s+(?:for|of)\s+(?:this|that|these|those|it)\b(?!\s+[\w-]+\s+(?:is|are)\b)|"
    r"\b(?:to|about|of|on)\s+(?:these|those)\s*[.!]?$|^not\s+an?\b",
    re.I,
)
# "Expect this method will prevent most incidents": a first-person belief whose "we" the rewriting
# took away; what is left reads as an order to believe
_LOST_WE = re.compile(
    r"^(?:do not\s+|don't\s+)?(?:expect|anticipate|believe|hope|think|feel)\s+(?:that\s+)?"
    r"(?:(?!to\b)[\w-]+(?:\s+[\w-]+){0,8}?\s+(?:will|would)\b|(?:too\s+)?(?:much|many)\b)",
    re.I,
)
# "Use X for repeat purchases, and will evaluate Y if Z": after an instruction (which has no
# subject) a clause opening on its modal lost the "we" it had; the instruction is kept without it
_MODAL_CLAUSE = re.compile(r",\s+(?:but|and|so)\s+(?:will|would|can|could|may|might)\s+\w", re.I)
# "In order to do that you need to X", "On top of this, we must also decide Y", "Ideally these
# should result in Z": the lead points at the sentence before, which the record does not carry
_POINTING_LEAD = re.compile(
    r"^(?:(?:in order\s+)?to do (?:this|that|so)\b|do so\b|on top of (?:this|that)\b|"
    r"\w+ly,?\s+(?:these|those|they)\s+(?:should|must|will|would|can|could|may|might|need)\b)",
    re.I,
)
# "Create on every transaction", "Treat as active until confirmed otherwise": a verb that needs its
# object is followed by a preposition; the object was the heading or the sentence before
_MISSING_OBJECT = re.compile(
    r"^(?:create|treat|make|use|enable|disable|delete|remove|implement|apply|configure|install)\s+"
    r"(?:on|in|as|at|for|with|until|from|by|to|into|when|if|after|before|once)\b",
    re.I,
)
# "Depending on your situation, additional steps may be required": says only that more may be needed
_VAGUE_MORE = re.compile(
    r"\b(?:additional|further|more|other|extra)\s+(?:steps|actions|work|changes|measures)\s+"
    r"(?:may|might|could)\s+be\s+(?:required|needed|necessary)\b",
    re.I,
)
# "Check the Allow write access box and click the Add key button", "go to Deploy keys > Add deploy
# key": how to drive a user interface, not a rule to carry forward (runbooks; a rule signal keeps it)
_UI_CLICK = re.compile(
    r"\bclick(?:s|ed|ing)?\b|\b(?:press|tick)\s+(?:the|on)\b|\b(?:button|checkbox)\b|\bgo to\s+[^.>]+>\s*\w",
    re.I,
)
# "Consider contributing your code ... or donate through Patreon": an appeal to readers, and "Try
# the best to behave as X would", "Keeping X informed should also help to build trust": an effort
# or a hoped-for effect; none of them says what to do or not to do
_APPEAL = re.compile(
    r"\b(?:donate|donations?|patreon|open ?collective|sponsor us|volunteer to)\b|"
    r"^(?:try|do)\s+(?:the|our|its|their|your)\s+best\b|\bshould\s+(?:also\s+)?help\s+(?:to\s+)?\w",
    re.I,
)
# "Below are the list of accounts that need to be removed": presents the list after it, whose
# items are the steps
_LIST_LEAD_IN = re.compile(
    r"^(?:below|here)\s+(?:is|are)\b|^the following\s+(?:[\w-]+\s+){0,4}?(?:is|are)\s+(?:a|an|the)?\s*list\b",
    re.I,
)
# "Hence, no action is needed.": says there is nothing to do
_NO_ACTION = re.compile(
    r"^(?:(?:hence|so|therefore|thus|otherwise)\s*,?\s+)?no\s+(?:further\s+|other\s+)?action\s+is\s+"
    r"(?:needed|required|necessary)\b",
    re.I,
)
# "Contact #it-help for any queries": where to ask, not what to carry forward
_HELP_POINTER = re.compile(
    r"^(?:contact|ask|reach out to|ping|message)\s+(?:\S+\s+){1,4}?(?:for|with)\s+(?:any\s+)?"
    r"(?:queries|questions|help|support|issues)\s*\.?$",
    re.I,
)
# "Use the Integration and Staging environments as examples.": how the text explains itself
_AS_EXAMPLE = re.compile(r"^(?:use|take)\s.+\sas\s+(?:an?\s+)?(?:examples?|illustrations?)\s*\.?$", re.I)
# "Service credits under your SLA will be applied to your next invoice": what a letter to customers
# offers its reader for the outage, not a lesson (a team's own "Refund the 1,912 orders" stays)
_READER_COMPENSATION = re.compile(
    r"\b(?:service credits?|credits?|refunds?|compensation)\b[^.]*\byour\b|"
    r"\byour\b[^.]*\b(?:service credits?|refunds?|compensation)\b",
    re.I,
)
_MODAL_ANY = re.compile(r"\b(?:must|should|shall|will|never|always|need to|needs to|have to|has to)\b", re.I)


def not_a_lesson(stmt: str, kind: str = "") -> str | None:
    """The name of the rule that says ``stmt`` is not a self-contained lesson, else None."""
    s = stmt.strip()
    if _DANGLING_MODAL.search(s) or (_DANGLING_TO.search(s) and word_count(s) <= DANGLING_TO_MAX_WORDS):
        return "filter.dangling-modal"
    if _UNOPENED_PAREN.match(_ENUMERATOR.sub("", s)):
        return "filter.unopened-paren"
    if _NO_SUBJECT.match(s):
        return "filter.no-subject"
    if _POINTS_BACK.search(s.rstrip(".")) or _POINTS_BACK.search(s):
        return "filter.points-back"
    if _DOC_POINTER.search(s.rstrip(".")):
        return "filter.doc-pointer"
    if _LOST_WE.match(s):
        return "filter.lost-we"
    if _POINTING_LEAD.match(s):
        return "filter.pointing-lead"
    if _MISSING_OBJECT.match(s):
        return "filter.missing-object"
    if _VAGUE_MORE.search(s):
        return "filter.vague-more"
    if _APPEAL.search(s):
        return "filter.appeal"
    if _LIST_LEAD_IN.match(s):
        return "filter.list-lead-in"
    if _NO_ACTION.match(s):
        return "filter.no-action"
    if _HELP_POINTER.match(s):
        return "filter.help-pointer"
    if _AS_EXAMPLE.match(s):
        return "filter.as-example"
    if _READER_COMPENSATION.search(s):
        return "filter.reader-compensation"
    if is_courtesy(s):
        return "filter.courtesy"
    if kind == "runbook" and _UI_CLICK.search(s) and not _RULE_SIGNAL.search(s):
        return "filter.ui-click"
    # an ADR states its design in the passive ("Two options are added ..."): that is the decision
    if kind != "adr" and _PAST_STATE.match(s) and not _MODAL_ANY.search(s) and not is_imperative(s):
        return "filter.past-state"
    return None


# ---------------------------------------------------------------------------------------------
# caps: a long procedure or design section yields its few most lesson-like statements

# words that make a step a standing rule: a condition, a prohibition, a preference, a reason
_RULE_SIGNAL = re.compile(
    r"^(?:never|always|do not|don't|avoid|prefer|ensure|make sure|only)\b|"
    r"\b(?:must|should|shall|never|always|do not|don't|unless|until|instead|at least|at most|"
    r"before|otherwise|because|so that|to avoid|to prevent|in case)\b",
    re.I,
)
_CONDITION = re.compile(r"^(?:if|when|whenever|before|after|once|during|while|in case)\b", re.I)
_CONDITION_LATE = re.compile(r"\s(?:if|when|whenever|if/when|once)\s", re.I)
# a user-interface or keyboard step: how to do it, not what to carry forward
_UI_STEP = re.compile(
    r"^(?:click|enter|type|press|select|choose|log ?in(?:to)?|sign in|go to|navigate|open|tick|check the)\b|"
    r"\b(?:click|press)\s+(?:the|on)\b|\b(?:button|checkbox|box|tab|menu|dropdown)\b",
    re.I,
)
SECTION_CAP: Final = {"runbook": 8}
# a long incident-response playbook (dozens of sections of checklists) still gives at most this
# many records, the most lesson-like (the seed's longest runbook gives 17; tried values in docs)
DOCUMENT_CAP: Final = {"runbook": 20}


def lesson_weight(c: Candidate) -> int:
    """How much a statement reads as a lesson to carry forward (higher first, for the caps)."""
    stmt = c.statement
    w = 0
    if _RULE_SIGNAL.search(stmt):
        w += 2
    if _CONDITION.match(stmt):
        w += 2
    elif _CONDITION_LATE.search(stmt):
        w += 1  # "Delete the login profile if the threat actor may have changed it": a step with its case
    if c.warning or c.source in ("chosen", "heading"):
        w += 2
    if is_imperative(stmt):
        w += 1  # a description of how things work ("Pull requests undergo ...") asks nothing
    if word_count(stmt) >= 10:
        w += 1
    if word_count(stmt) <= 6:
        w -= 1
    if _UI_STEP.search(stmt):
        w -= 2
    if content_severity(stmt, record_type="procedure")[0] != "low":
        w += 1  # a step that deletes, restores or touches secrets is the one not to lose
    return w


def _top(cands: list[Candidate], n: int) -> list[Candidate]:
    keep = {id(c) for c in sorted(cands, key=lambda c: -lesson_weight(c))[:n]}
    return [c for c in cands if id(c) in keep]


def cap_sections(cands: list[Candidate], kind: str) -> list[Candidate]:
    """At most ``SECTION_CAP`` statements per section and ``DOCUMENT_CAP`` per document (or one per
    section where a document has more sections), the most lesson-like kept (in document order).

    Only runbooks are capped: a procedure section lists every click, while a postmortem's action
    list or an ADR's decision section holds one lesson per item."""
    per_section = SECTION_CAP.get(kind)
    if per_section is None:
        return cands
    by_section: dict[str, list[Candidate]] = {}
    for c in cands:
        by_section.setdefault(c.section, []).append(c)
    kept = {id(c) for group in by_section.values() for c in _top(group, per_section)}
    out = [c for c in cands if id(c) in kept]
    cap = DOCUMENT_CAP.get(kind)
    n = max(cap, len(by_section)) if cap else 0  # a playbook of more sections keeps one from each
    return _spread_top(out, n) if cap and len(out) > n else out


def _spread_top(cands: list[Candidate], n: int) -> list[Candidate]:
    """The ``n`` most lesson-like statements, spread over the sections (``cap.section-spread``): the
    best of each section first, in weight order, then the rest by weight; a playbook's lessons sit
    one or two to a section, so a cap by weight alone keeps one long checklist and loses the rest."""
    weight = {id(c): lesson_weight(c) for c in cands}
    by_section: dict[str, list[Candidate]] = {}
    for c in cands:
        by_section.setdefault(c.section, []).append(c)
    firsts = [max(group, key=lambda c: weight[id(c)]) for group in by_section.values()]
    order = sorted(firsts, key=lambda c: -weight[id(c)])
    chosen = {id(c) for c in order[:n]}
    rest = sorted((c for c in cands if id(c) not in chosen), key=lambda c: -weight[id(c)])
    chosen |= {id(c) for c in rest[: max(0, n - len(chosen))]}
    return [c for c in cands if id(c) in chosen]


# the purpose a title gives its choice: "Use JSON to serialize AI chat messages" -> "to serialize ..."
_TITLE_PURPOSE = re.compile(r"^(?:use|adopt|choose|select|pick|prefer)\s+.+?\s+((?:to|for)\s+\S.*)$", re.I)
PURPOSE_MAX_WORDS = 6  # longer chosen options already say what they are for


def with_title_purpose(stmt: str, title: str) -> str:
    """Carry the title's purpose onto a short chosen option: "Use JSON with Jackson" + " to serialize ..."."""
    m = _TITLE_PURPOSE.match(title.strip().rstrip("."))
    body = stmt.strip().rstrip(".")
    if not m or word_count(body) > PURPOSE_MAX_WORDS or not is_imperative(body):
        return stmt
    purpose = m.group(1)
    if _key(purpose) & _key(body):
        return stmt  # the option already names (part of) its purpose
    return f"{body} {purpose[0].lower()}{purpose[1:]}"
