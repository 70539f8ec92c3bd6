"""Text rewriting: clean a sentence, split sentences, turn a statement into an imperative rule."""

from __future__ import annotations

import re

from ingest.extract.arrows import arrow_steps
from ingest.extract.connectives import _REASONED_LEAD
from ingest.extract.noun_items import _FINITE_VERB
from ingest.extract.owner_lead import owner_to_imperative
from ingest.extract.participle_subject import leads_a_subject
from ingest.extract.patterns import (
    _ABBREV,
    _ADDITIVE_LEAD,
    _ADVERB_LEAD,
    _ADVICE_TO,
    _ANAPHORA,
    _ANAPHORIC_NOTE,
    _AS_PART_OF,
    _AT_SUFFIX,
    _CAN_BE_USED,
    _CAVEAT,
    _CHECKBOX,
    _CLAUSE_BREAKS,
    _CONSIDER_WE,
    _CONTRACTION,
    _CONTRACTIONS,
    _DECIDED_LEAD,
    _DECISION_TO,
    _DEFICIENT_SAFEGUARD,
    _DONE_MARK,
    _DONE_SUFFIX,
    _EMPTY_PARENS,
    _EXAMPLE_OPENER,
    _FIX_WAS,
    _FORWARD_LEAD,
    _FUTURE_SUBJECT,
    _GERUND_RECOMMENDED,
    _GERUND_SUBJECT,
    _GITHUB_ADMONITION,
    _GOING_FORWARD,
    _HELPS_US,
    _HINDSIGHT_REST,
    _IF_POSSIBLE,
    _IF_THEN,
    _IF_WE_CAN,
    _IT_IS,
    _LABEL_PREFIX,
    _LACK,
    _LEADING_JUNK,
    _LESSON_IS,
    _MD_ESCAPE,
    _MD_LINK_TEXT,
    _MITIGATE_BY,
    _MODAL_RULE,
    _NEED_NOUN,
    _NEG_WE,
    _NEVER_WE,
    _NO_NEED,
    _NO_SAFEGUARD,
    _NOBODY_KNEW,
    _NOUN_SUBJECT,
    _NUMBERING,
    _OWNER_SUFFIX,
    _PAST_PASSIVE,
    _PR_SUFFIX,
    _PREFIX_WE,
    _REASONS_POINTER,
    _RECOMMEND,
    _REJECTED_OPTION,
    _REMEDY_LEAD,
    _REMINDER,
    _RESOLVED_BY,
    _RESPONDER,
    _SAFEGUARD_NOUN,
    _SEE_ABOVE,
    _SEE_DOCS,
    _SENTENCE_END,
    _SEQUENCE_LEAD,
    _SHOULD_BE_DONE,
    _SHOULD_HAVE,
    _SPACE_PUNCT,
    _SPACES,
    _STATUS_SUFFIX,
    _STRONG_MODAL,
    _SUBJECT_NEEDS,
    _THING_LACKED,
    _THRESHOLD_RULE,
    _TICKET,
    _TRACKING_SUFFIX,
    _TRY_TO,
    _UNKNOWN_VERB_LEAD,
    _URL,
    _USING,
    _WARNING_MARK,
    _WE_CHOSE,
    _WE_DOING,
    _WE_FAILED,
    _WE_HAVE_ADDED,
    _WE_HAVE_DONE,
    _WE_MODAL,
    _WE_NOT_DOING,
    _WE_VERB,
    _WILL_ALWAYS,
    _WILL_BE_THE,
    _YOU_MAY,
    _YOU_SHOULD_CLAUSE,
    MAX_WORDS,
    MIN_WORDS,
)
from ingest.extract.story import _group_advised, story_advice
from ingest.extract.words import (
    _and_gerunds,
    _capitalize,
    _gerund_to_imperative,
    first_word,
    word_count,
)
from ingest.narrative import (
    _lower_subject,
    _subject_ok,
    cause_to_lesson,
    participle_verb,
    passive_to_imperative,
    regular_past_verb,
)
from ingest.record_types import is_durable
from ingest.vocabulary import IMPERATIVE_VERBS, PAST_TO_IMPERATIVE


def _strip_markdown_residue(text: str) -> str:
    text = _MD_ESCAPE.sub(r"\1", text).replace("**", "").replace("__", "").replace("~~", "")
    text = re.sub(r"(?<!\w)\*(?=\S)([^*]+)(?<=\S)\*(?!\w)", r"\1", text)
    return text


# a MediaWiki link "[[phab:T381210|T381210]]" keeps its label; "… — Resolved" closing an item is a state
_WIKI_LINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]|]+)\]\]")
_DASH_STATUS = re.compile(
    r"(?:(?:\s+[–—-]|:)\s+|^)(?:(?:closed|still)\s+)?(?:done|resolved|fixed|closed|open|(?:work )?in "
    r"progress|completed?|planned|not started|merged|in review)(?:\s*[,(][^.;:]{0,60})?\s*\.?\s*$",
    re.I,
)


def clean_text(text: str) -> str:
    """Remove markdown residue, tickets, owners, checkboxes and URLs from an item."""
    t = _GITHUB_ADMONITION.sub("", _WIKI_LINK.sub(r"\1", text.strip()))
    t = _CHECKBOX.sub("", t)
    t = _strip_markdown_residue(t)
    t = _MD_LINK_TEXT.sub(r"\1", t)
    t = _URL.sub(" ", t)
    t = _DASH_STATUS.sub("", _STATUS_SUFFIX.sub("", t))
    t = _DONE_SUFFIX.sub("", t)
    t = _SEE_ABOVE.sub("", t)
    t = _REASONS_POINTER.sub("", t)
    t = _OWNER_SUFFIX.sub("", _TRACKING_SUFFIX.sub("", t))
    t = _AT_SUFFIX.sub("", t)
    t = _TICKET.sub(" ", t)
    t = _PR_SUFFIX.sub("", t) if word_count(t) > 4 else t
    t = _EMPTY_PARENS.sub(" ", t)
    t = _LEADING_JUNK.sub("", t)
    t = _NUMBERING.sub("", t)
    t = _LABEL_PREFIX.sub("", t)
    t = arrow_steps(_IF_THEN.sub(r"\1, ", t, count=1))  # "If X then Y", "X → Y": "If X, Y"
    t = _capitalize(_REMEDY_LEAD.sub("", t, count=1)) if _REMEDY_LEAD.match(t) else t
    t = _SPACES.sub(" ", t).strip()
    t = _SPACE_PUNCT.sub(r"\1", t)
    return t.strip(" -–—:;,")


def recommended_gerund(text: str) -> str:
    """ "Given X, deleting the old code and using Y is recommended" -> "Delete the old code and use
    Y, given X"; the text unchanged when it is not a recommended piece of work."""
    m = _GERUND_RECOMMENDED.match(text.strip())
    verb = _gerund_to_imperative(first_word(m.group("x"))) if m else None
    if not m or not verb:
        return text
    rest = _and_gerunds(m.group("x")[len(first_word(m.group("x"))) :])
    why = f", {m.group('lead').lower()} {m.group('why').strip()}" if m.group("why") else ""
    return f"{verb.capitalize()}{rest}{why}."


def _consequence_practice(t: str) -> str:
    """The practice a consequence commits to: a benefit to keep up, or the remedy for a downside."""
    m = _HELPS_US.match(t)
    if m and m.group("v").lower() in IMPERATIVE_VERBS:
        return f"{m.group('v').capitalize()} {m.group('rest')}"
    m = _WILL_ALWAYS.match(t)
    if m and not _ANAPHORA.match(m.group("subj")):
        modal = (
            "must no longer" if m.group("adv").lower() == "no longer" else f"must {m.group('adv').lower()}"
        )
        return f"{m.group('subj')} {modal} {t[m.end() :]}"
    m = _MITIGATE_BY.search(t)
    verb = _gerund_to_imperative(m.group("g")) if m else None
    if m and verb:
        return f"{verb.capitalize()} {_and_gerunds(m.group('rest'))}"
    return t


def rewrite_imperative(text: str, *, role: str = "", item: bool = False) -> str:
    """Rewrite "We will X" / "We should X" / "You must X" style sentences to "X"."""
    additive = _ADDITIVE_LEAD.match(text.strip()) or _REASONED_LEAD.match(text.strip())
    if additive and word_count(text) > 5:
        # "Finally, X will stay enabled": the sentence alone, when a rule rewrites it
        rest = _capitalize(text.strip()[additive.end() :])
        rewritten = rewrite_imperative(rest, role=role, item=item)
        if rewritten.rstrip(".") != rest.rstrip("."):
            return rewritten
    lead = _SEQUENCE_LEAD.match(text.strip())
    if lead:
        step = rewrite_imperative(_capitalize(text.strip()[lead.end() :]), role=role, item=item)
        if is_imperative(step):
            return f"{step.rstrip(' .')} first."
    t = _CONTRACTION.sub(lambda c: f"{c.group(1)} {_CONTRACTIONS[c.group(2).lower()]}", text.strip())
    if item and role == "action":
        # "As part of remediation, we have switched from X to Y. (Done)" -> "we have switched from X to Y."
        t = _DONE_MARK.sub("", _AS_PART_OF.sub("", t))
    note = _ANAPHORIC_NOTE.match(t)
    if note:
        t = _capitalize(note.group("rule"))  # what "this" is depends on the text before; the rule does not
    m = _CAVEAT.match(t)
    if m and role in ("consequence", "lesson", "factor") and not _ANAPHORA.match(m.group(1)):
        # "X supports many users, with the important caveat that all users are super users"
        t = "Remember that " + m.group(1)
    if role == "consequence":
        t = _consequence_practice(t)
    if role in ("factor", "lesson"):
        lesson = cause_to_lesson(t) or missing_safeguard(t)
        label = _LABEL_SPLIT.match(t) if not lesson else None
        if label and word_count(label.group(1)) <= 4:
            lesson = cause_to_lesson(
                label.group(2)
            )  # "Symptom-focused fixes – PRs addressed X rather than Y"
        t = lesson or t  # "Kyverno not being kept up-to-date" -> "Keep Kyverno up-to-date"
    t = recommended_gerund(advice_to_group(_forward_lead(t)))
    if role == "action" and not is_rule_like(t):
        # "Olu to scan X", a planned change told about its object
        t = owner_to_imperative(t) or passive_to_imperative(t) or future_rule(t) or t
    if role in ("decision", "consequence"):
        t = _rejected_option(t)
    t = _strip_modal_subject(t, role)
    t = _reorder_clauses(t, role)
    t = _capitalize(_tense_and_voice(t, text, role=role, item=item))
    tried = _TRY_TO.match(t)
    if tried and first_word(t[tried.end() :]) in IMPERATIVE_VERBS:
        t = _capitalize(t[tried.end() :])
    return t


def missing_safeguard(text: str) -> str:
    """A finding that names what was missing, as the rule to have it ("" when it names nothing)."""
    t = text.strip()
    m = _NOBODY_KNEW.match(t)
    if m:
        return f"Document how to {m.group('x')}."
    m = _NO_SAFEGUARD.match(t)
    if m and not _ANAPHORA.match(m.group("x")) and word_count(m.group("x")) >= 2:
        return f"Add {_with_article(m.group('x'))}."
    m = _WE_NOT_DOING.match(t)
    verb = ("use" if m.group("g").lower() == "using" else _gerund_to_imperative(m.group("g"))) if m else None
    if m and verb in IMPERATIVE_VERBS and word_count(t[m.end() :]) >= 2:
        return f"{_capitalize(verb)} {t[m.end() :].rstrip(' .')}."
    m = _DEFICIENT_SAFEGUARD.match(t)
    head = re.search(_SAFEGUARD_NOUN + r"[\w-]*", m.group("x"), re.I) if m else None
    if m and head and word_count(m.group("x")) >= 2 and not _finding_clause(m.group("x")[head.end() :]):
        if m.group("weak"):
            return f"Improve {m.group('x')}."
        return f"Add {_safeguard_with_article(m.group('x'), head.group(0))}."
    m = _THING_LACKED.match(t)
    x = t[m.end() :].rstrip(" .") if m else ""
    if m and x and not _ANAPHORA.match(x) and not re.search(r"\b(?:it|they|we)\b", m.group("subj"), re.I):
        return f"Give {m.group('subj')[:1].lower()}{m.group('subj')[1:]} {_with_article(x)}."
    return ""


def _finding_clause(after_head: str) -> bool:
    """Whether the words after a safeguard noun make a clause ("No tests exercised X", "No alert
    fired because ..."): then the finding tells what happened, not what was missing."""
    nxt = first_word(after_head.lstrip())
    return bool(_FINITE_VERB.search(after_head) or nxt.endswith("ed") or nxt in PAST_TO_IMPERATIVE)


def _safeguard_with_article(noun: str, head: str) -> str:
    """ "runbook for X" -> "a runbook for X"; plural and mass safeguards ("tests", "alerting") and a
    determiner stay as they are. The article follows the safeguard noun, not the first word."""
    first = noun.split()[0].lower()
    mass = ("monitoring", "documentation", "validation", "visibility", "ownership", "testing", "management")
    if first in ("a", "an", "the", "any", "some") or re.search(r"(?:[^s]s|ing)$", head, re.I):
        return noun
    if head.lower() in mass or head.lower().startswith(("automation", "protection", "redundancy", "escalat")):
        return noun
    return ("an " if first[:1] in "aeiou" else "a ") + noun


def _with_article(noun: str) -> str:
    """ "alert on X" -> "an alert on X"; plurals, mass nouns and determiners stay as they are."""
    first = noun.split()[0].lower()
    if first in ("a", "an", "the", "any", "some") or first.endswith("s") or first.endswith("ing"):
        return noun
    if first in ("monitoring", "documentation", "validation", "visibility", "ownership", "testing"):
        return noun
    return ("an " if first[:1] in "aeiou" else "a ") + noun


def _rejected_option(t: str) -> str:
    """ "The option Adjust OOM scores is not viable as X" -> "Do not adjust OOM scores, because X"."""
    m = _REJECTED_OPTION.match(t.strip())
    if not m:
        return t
    option = m.group("x").strip().strip("\"'“”`")
    verb = _gerund_to_imperative(first_word(option))  # "running our own cluster" -> "run ..."
    if verb:
        option = verb + option[len(first_word(option)) :]
    rule = f"Do not {option[:1].lower()}{option[1:]}" if is_imperative(option) else f"Do not use {option}"
    why = (m.group("why") or "").strip()
    return f"{rule}, because {why}." if why else f"{rule}."


def future_rule(text: str) -> str:
    """A commitment about a thing as the rule it sets: "Schema migrations that rewrite a table
    will run only in the maintenance window" -> "... must run only in ..."; "" for other shapes
    (a person or a pronoun as subject: "We will", "It will")."""
    m = _FUTURE_SUBJECT.match(text.strip())
    if not m or word_count(m.group("subj")) > 12 or _PRONOUN_IN_SUBJECT.search(m.group("subj")):
        return ""
    subj, rest = m.group("subj"), m.group("rest")
    main = re.split(r"\b(?:when|whose|which|that|if|where|because)\b", rest, maxsplit=1)[0]  # not a clause's
    standing = re.search(r"\b(?:only|from now on|going forward|henceforth|in future)\b", main, re.I)
    if is_durable(main) or standing or first_word(rest) == "be":
        return f"{subj} must {rest}"
    if first_word(rest) not in IMPERATIVE_VERBS:
        return ""
    # no standing condition: the work to do, "The linter will flag X" -> "Make the linter flag X"
    first = subj.split()[0]
    if re.match(r"^(?:the|a|an)$", first, re.I):
        subj = subj[:1].lower() + subj[1:]
    elif first[1:] == first[1:].lower():  # a common noun, not a name such as "PyPI"
        subj = "the " + subj[:1].lower() + subj[1:]
    return f"Make {subj} {rest}"


def advice_to_group(t: str) -> str:
    """ "It's recommended to anyone who downloaded X to check their hashes" -> "If you downloaded X,
    check your hashes"; the group's condition stays, as a condition on the reader. Advice to a
    named group keeps the group: "Node operators are urged to X" -> "Node operators should X"."""
    group = _group_advised(t)
    if group:
        return group
    m = _ADVICE_TO.match(t.strip())
    if not m or first_word(t[m.end() :]) not in IMPERATIVE_VERBS:
        return t
    rest = t.strip()[m.end() :]
    who = m.group("who") or m.group("who2")
    cond = re.search(r"\bwho\s+(.+)$", who, re.I)
    rest = re.sub(r"\b(?:their|his or her)\b", "your", rest)  # the reader is the one addressed now
    return f"If you {cond.group(1).strip()}, {rest}" if cond else _capitalize(rest)


def _we_have_done(text: str) -> str:
    """ "we have also added a check that X" -> "Add a check that X"; "" for other shapes."""
    m = _WE_HAVE_ADDED.match(text)
    verb = _past_verb(m.group("verb")) if m else None
    return _capitalize(f"{verb} {text[m.end() :]}") if m and verb else ""


def _forward_lead(t: str) -> str:
    """A sentence that says it is a lesson ("Going forward, ...", "The fix was to ...", "We
    should have ...", "We are adding ..."): what it says to do, as an imperative when it can."""
    wish = story_advice(t)
    if wish:
        return wish
    m = _LESSON_IS.match(t)
    if m and word_count(t[m.end() :]) >= 3:
        t = _capitalize(t[m.end() :])  # "The lesson here is that X" -> "X", rewritten on its own
    m = _FORWARD_LEAD.match(t)
    if m and word_count(t[m.end() :]) >= 3:
        rest = _capitalize(t[m.end() :])
        # "all changes will be applied through X", "we have added X", "X will run only in Y"
        t = passive_to_imperative(rest) or _we_have_done(rest) or future_rule(rest) or rest
    m = _DECIDED_LEAD.match(t)
    if m and word_count(t[m.end() :]) >= 3:
        rest = _capitalize(t[m.end() :])
        rest = passive_to_imperative(rest) or rest
        # the purpose led the sentence ("In order to X, ..."); after the rule it still says why
        t = f"{rest.rstrip(' .')}, to {m.group('why').strip()}." if m.group("why") else rest
    m = _FIX_WAS.match(t)
    if m and first_word(t[m.end() :]) in IMPERATIVE_VERBS:
        return _capitalize(t[m.end() :])
    m = _RESOLVED_BY.match(t)
    verb = _gerund_to_imperative(m.group("g")) if m else None
    if m and verb:
        return _capitalize(verb) + " " + _and_gerunds(t[m.end() :])
    m = _SHOULD_HAVE.match(t)
    if m:
        verb = participle_verb(m.group(1)) or _past_verb(m.group(1))
        if verb and verb in IMPERATIVE_VERBS:
            return _capitalize(verb) + " " + t[m.end() :]
    m = _WE_FAILED.match(t)
    if m and first_word(t[m.end() :]) in IMPERATIVE_VERBS:
        # only the failure itself: "..., nor did we X" and "because ..." tails are the story
        rest = re.split(r",?\s+(?:nor|but|and|because|as|since|which|so)\b", t[m.end() :], maxsplit=1)[0]
        if word_count(rest) >= 3:
            return _capitalize(rest.rstrip(" .,")) + "."
    m = _WE_DOING.match(t)
    if m:
        verb = _gerund_to_imperative(m.group(1))
        if verb:
            return _capitalize(verb) + " " + t[m.end() :]
    return t


def _strip_modal_subject(t: str, role: str) -> str:
    """Drop "we will", "you must", "it is important to" and their kin (repeated: they nest)."""
    for _ in range(3):
        before = t
        m = _NEVER_WE.match(t)
        if m:
            t = "Never " + t[m.end() :]
        m = _NEG_WE.match(t)
        if m:
            t = "Do not " + t[m.end() :]
        m = _WILL_BE_THE.match(t)
        if m and role == "decision" and first_word(m.group(2)) not in ("same", "first", "only", "case"):
            t = f"Use {m.group(1)} as the {m.group(2)}{m.group(3)}"  # "Auth0 will be the broker"
        m = _WE_CHOSE.match(t)
        if m:
            rest = t[m.end() :]
            to = re.match(r"^to\s+(\w+)\s", rest)
            # "We chose to run jobs as pods" -> "Run jobs as pods", not "Use to run ..."
            t = _capitalize(rest[3:]) if to and to.group(1).lower() in IMPERATIVE_VERBS else "Use " + rest
        for pat in (_IT_IS, _REMINDER, _RECOMMEND, _DECISION_TO):
            m = pat.match(t)
            if m and word_count(t[m.end() :]) >= 2:
                t = t[m.end() :]
        m = _WE_MODAL.match(t)
        if m and word_count(t[m.end() :]) >= 2 and not _HINDSIGHT_REST.match(t):
            rest = t[m.end() :]
            if rest.lower().startswith(("not ", "never ")):
                rest = ("Do not " + rest[4:]) if rest.lower().startswith("not ") else rest
            if first_word(rest) == "be":
                bm = re.match(r"^be\s+((?:\w+ly\s+)?)(\w+ing)\b", rest, re.IGNORECASE)
                if bm:
                    verb = _gerund_to_imperative(bm.group(2), guess=True) or bm.group(2)
                    rest = bm.group(1) + verb + rest[bm.end() :]
            t = rest
        m = _YOU_MAY.match(t)
        if m and m.end() and word_count(t[m.end() :]) >= 2:
            t = t[m.end() :]
        m = _WE_VERB.match(t)
        if m and m.group(1).lower() in IMPERATIVE_VERBS and m.group(1).lower() != "do":
            t = t[m.start(1) :]  # "You do not have permissions" is a situation, not "Do not have"
        if re.match(r"^need to\s+", t, re.IGNORECASE):
            t = t[8:]
        t = _capitalize(t.strip())
        if t == before:
            break
    return t


def _reorder_clauses(t: str, role: str) -> str:
    """Put the verb first: "To X, we do Y" -> "Do Y to X"; "If X, we can Y" -> "If X, Y"; needs, ifs."""
    m = _PREFIX_WE.match(t)
    if m:
        rest = t[m.end() :].rstrip(".")
        verb = re.match(r"^(?:\w+ly\s+)?(\w+)", rest)
        if (
            verb
            and verb.group(1).lower() in IMPERATIVE_VERBS
            and not re.search(r"\b(?:we|we'\w+|us|our)\b", rest, re.I)
        ):
            t = f"{_capitalize(rest)} {m.group(1)[:1].lower() + m.group(1)[1:]}"
    # what _PREFIX_WE leaves: a soft 'we can' or a long condition
    m = _IF_WE_CAN.match(t)
    if m and first_word(m.group(3)) in IMPERATIVE_VERBS:
        soft = m.group(2).lower() in ("can", "could", "may")
        # a design's next step: "Once the old contracts are gone, we can then rename X" is the plan
        planned = role == "decision" and re.match(r"^(?:once|after|as soon as)\b", m.group(1), re.I)
        if not soft or planned or role in ("", "mitigation", "diagnosis", "prereq"):
            # "If there is a need to block X, we can add deny rules" -> "If ..., add deny rules"
            t = f"{m.group(1)}, {m.group(3)}"
    m = _NEED_NOUN.match(t)
    if m:
        t = "Establish " + m.group(1)
    m = _SUBJECT_NEEDS.match(t)
    if m and role in ("action", "lesson", "factor") and first_word(t[m.end() :]) in IMPERATIVE_VERBS:
        subj = m.group(1)
        t = f"Make the {subj[:1].lower() + subj[1:] if not subj[:2].isupper() else subj} {t[m.end() :]}"
    t = re.sub(r"(?<=\s)our\b", "the", t)
    m = _CONSIDER_WE.match(t)
    if m:
        t = "Consider whether to " + t[m.end() :]
    t = _GOING_FORWARD.sub("", t)
    m = _IF_POSSIBLE.match(t)
    if m and first_word(t[m.end() :]) in IMPERATIVE_VERBS:
        t = f"{_capitalize(t[m.end() :].rstrip('.'))} {m.group(1).lower()}"
    m = _USING.match(t)
    if m and m.group(2).lower() in IMPERATIVE_VERBS:
        # "Using tcpdump on the node verify the traffic" -> "Verify the traffic using tcpdump on the node"
        t = f"{_capitalize(m.group(2).lower())} {m.group(3).rstrip('.')} using {m.group(1)}"
    return t


def _tense_and_voice(t: str, text: str, *, role: str, item: bool) -> str:
    """Past, gerund and passive forms to imperatives, by role ("Switched to X" -> "Switch to X")."""
    m = _WE_HAVE_DONE.match(t)
    if m and item and role == "action" and _past_verb(m.group(1)):
        # a listed remediation told as done: "We've significantly tightened X" -> "Tighten X"
        t = _capitalize(m.group(1)) + t[m.end(1) :]
    fw = first_word(t)
    if role in ("action", "mitigation", "decision"):
        # a guessed past tense only in action lists ("Switched to pnpm 10"); elsewhere it is narrative
        past = _past_verb(fw) if item and role == "action" and fw.endswith("ed") and t[:1].isupper() else None
        if (fw in PAST_TO_IMPERATIVE or past) and not leads_a_subject(t):
            verb = PAST_TO_IMPERATIVE.get(fw) or past or fw
            # "Increased X and adjusted Y" -> "Increase X and adjust Y"
            t = _capitalize(verb) + _AND_PAST.sub(_and_imperative, t[len(fw) :])
        elif item and not _GERUND_SUBJECT.match(t):
            imp = _gerund_to_imperative(fw)
            if imp:
                t = _capitalize(imp) + t[len(fw) :]
    if role == "decision" and re.match(r"^to\s+(?:use|adopt|choose|switch|migrate|move)\b", t, re.I):
        t = _capitalize(t[3:])  # a Decision section that reads "To use PostgreSQL."
    if role == "decision" and not is_imperative(t):
        t = passive_to_imperative(t) or t  # "Commits will be tagged with X" -> "Tag commits with X"
    m = _SHOULD_BE_DONE.match(t)
    if m and role in ("mitigation", "diagnosis"):
        done_verb = _past_verb(m.group(2))
        if done_verb:
            subj = m.group(1)
            subj = subj[:1].lower() + subj[1:] if not subj[:2].isupper() else subj
            # "... and configured to inhibit" -> "... and configure it to inhibit"
            rest = re.sub(
                r"\b(and|or)\s+(\w+ed)\b",
                lambda p: f"{p.group(1)} {_past_verb(p.group(2)) or p.group(2)}",
                m.group(3),
            )
            t = f"{_capitalize(done_verb)} {subj}{rest}"
    m = _CAN_BE_USED.match(t)
    if m and role in ("diagnosis", "mitigation", "prereq", "") and m.group(2).lower() in IMPERATIVE_VERBS:
        # "`up == 0` query can be used to check the trend" -> "Use the `up == 0` query to check the trend"
        subj = re.sub(r"^(?:The|A|An)\b", lambda d: d.group(0).lower(), m.group(1))
        if text.lstrip(" `*_\"'")[:1].islower():  # keep the case of "etcdctl", "up == 0"
            subj = subj[:1].lower() + subj[1:]
        t = f"Use {subj} "
        t += f"to {m.group(2).lower()} {m.group(3)}"
    if role == "mitigation":
        m = _SEE_DOCS.match(t)
        if m:
            # a mitigation that is only a pointer: keep what to follow and for what
            t = f"Follow the {m.group(1)} {m.group(2)} for {m.group(3).rstrip('.')}"
    if role in ("factor", "lesson"):
        m = _LACK.match(t)
        # "No alerts existed for X" tells what happened; "Lack of alerting on X" names what was lacking
        if m and word_count(m.group(1)) >= 2 and not _finding_clause(m.group(1).partition(" ")[2]):
            t = "Address the lack of " + m.group(1)
    return t


def cut_to_limit(text: str, limit: int = MAX_WORDS) -> str:
    """Cut a statement longer than ``limit`` words at a clause boundary."""
    if word_count(text) <= limit:
        return text
    words = text.split()
    head = " ".join(words[:limit])
    best = -1
    for brk in _CLAUSE_BREAKS:
        pos = head.rfind(brk)
        if pos > 0 and word_count(head[:pos]) >= max(MIN_WORDS + 2, limit // 3):
            best = pos
            break
    cut = head[:best] if best > 0 else head
    return cut.rstrip(" ,;:-–—(")


def finish(text: str) -> str:
    t = text.strip().rstrip(" ,;:-–—")
    if t.count('"') % 2:
        t = t.replace('"', "")  # an unbalanced quote left from a cut ("Use JSON format" with Jackson)
    if t.count("(") > t.count(")"):
        t = re.sub(r"\s*\([^)]*$", "", t)
    if t and t[-1] not in ".!?":
        t += "."
    return t


def is_imperative(text: str) -> bool:
    if _NOUN_SUBJECT.match(text):
        return False  # "Log rotation was disabled": a noun that is also a verb opens a statement
    lead = _ADVERB_LEAD.match(text)
    if lead:
        text = text[lead.end() :]  # "Immediately patch X": the verb after the adverb
    fw = first_word(text)
    if fw in IMPERATIVE_VERBS or fw in ("be", "do", "don't", "never", "always", "make", "have"):
        return True
    if _UNKNOWN_VERB_LEAD.match(text):
        return True
    # "If X, do Y", "At the panel, do Y" (a place, not "In addition,"); a bracket may hold commas
    m = re.match(
        r"^(?:in (?:every|any|all|each) cases?,\s*)?(?:(?:if|when|before|after|once|to|for|while|during|"
        r"in case|in the case of|depending on|(?:at|on|in) (?:the|a|an|each|every|your|(?-i:(?=[A-Z]\w+,)))\b"
        r"(?! (?:end|same|other|meantime)\b))\b(?:[^,()]|\([^()]*\)){3,200}|as (?:an? )?(?:validation|check|"
        r"precaution|workaround|(?:first|next|final|last) step)\b[^,]{0,60}),\s*(?:please\s+)?(\w+)",
        text,
        re.I,
    )
    if not m:
        return False
    verb = m.group(1).lower()
    # an unlisted verb after the case clause: "When fixes don't help, step back to find the cause"
    listed = verb in IMPERATIVE_VERBS or verb in ("be", "do", "never")
    return listed or bool(_UNKNOWN_VERB_LEAD.match(text[m.start(1) :]))


_LABEL_SPLIT = re.compile(r"^([^:–—.]{3,60}?)\s*(?::|\s[–—-]\s)\s*(.+)$", re.DOTALL)
_IMPERATIVE_NEG = re.compile(r"^(?:please\s+)?(?:do not|don't|never|always|avoid|ensure|make sure)\b", re.I)


def had_directive(text: str) -> bool:
    """Whether ``text`` opens with a directive such as "We will", "You must", "We recommend"."""
    t = _CONTRACTION.sub(lambda c: f"{c.group(1)} {_CONTRACTIONS[c.group(2).lower()]}", text.strip())
    return any(
        p.match(t) for p in (_WE_MODAL, _NEG_WE, _NEVER_WE, _RECOMMEND, _IT_IS, _DECISION_TO)
    ) and not (re.match(r"^(?:we|you)\s+(?:can|could|may|might)\b", t, re.I))


# "Ultimately this will be ...", "Your software will switch ...": a prediction, not a commitment
_PRONOUN_IN_SUBJECT = re.compile(r"\b(?:this|it|they|we|you|your|he|she|i)\b", re.I)


# what a decision brings about, told in the future ("There will be no sharing of secrets across
# accounts"); not an estimate of the work ("The migration will take a quarter")
_FUTURE_FACT = re.compile(r"\b(?:will|shall|would)\s+(?!not\b|take\b)\w", re.I)
MIN_FUTURE_WORDS = 7


def accepts(stmt: str, accept: str) -> bool:
    """Whether a rewritten statement passes the acceptance level of its section."""
    if _NO_NEED.search(stmt):
        return False
    if accept == "all":
        return True
    if accept == "rule":
        return is_rule_like(stmt)
    if accept == "decision":
        return is_rule_like(stmt) or bool(re.search(r"\b(?:will|shall|would)\s+(?!not\b)\w", stmt, re.I))
    if accept == "consequence":  # an ADR's consequence: a rule, or what the decision brings about
        return is_rule_like(stmt) or (
            word_count(stmt) >= MIN_FUTURE_WORDS and bool(_FUTURE_FACT.search(stmt))
        )
    if accept == "imperative":
        return is_imperative(stmt) or bool(_STRONG_MODAL.search(stmt) or _THRESHOLD_RULE.search(stmt))
    return bool(_STRONG_MODAL.search(stmt) or _IMPERATIVE_NEG.match(stmt))


def _first_sentences(text: str, limit: int = MAX_WORDS) -> str:
    spans = split_sentences(text)
    if len(spans) <= 1:
        return text
    out = text[spans[0][0] : spans[0][1]].strip()
    for s, e in spans[1:]:
        nxt = text[s:e].strip()
        if word_count(out) >= 12 or word_count(out) + word_count(nxt) > limit or _ANAPHORA.match(nxt):
            break
        if _YOU_SHOULD_CLAUSE.search(nxt):
            break  # advice of its own, extracted separately
        out = f"{out} {nxt}"
    return out


def _rule_sentence(text: str, role: str) -> str:
    """The first self-contained rule-like sentence of ``text`` after the first one, if any."""
    spans = split_sentences(text)
    for s, e in spans[1:]:
        sent = rewrite_imperative(text[s:e].strip(), role=role)
        if _EXAMPLE_OPENER.match(sent) or _ANAPHORA.match(sent):
            continue
        if word_count(sent) >= MIN_WORDS + 1 and is_rule_like(sent):
            return sent
    return ""


_LEAD_CONNECTOR = re.compile(
    r"\b(?:which|that|by|to|in charge|responsible for|will|should|must)\s*:?\s*$", re.I
)
_THIRD_PERSON = re.compile(r"^[A-Z]?[a-z]+s\b")


def join_lead(lead_raw: str, child: str) -> str:
    """Join a lead-in list item ("The reconciler would be in charge:") with one of its children."""
    lead = clean_text(lead_raw)
    if not lead or not child:
        return ""
    low_child = child[:1].lower() + child[1:]
    if lead_raw.rstrip().endswith(":") and (
        _LEAD_CONNECTOR.search(lead_raw.rstrip().rstrip(":"))
        or re.match(r"^to\s+\w", child, re.I)
        or (_THIRD_PERSON.match(child) and first_word(child) not in IMPERATIVE_VERBS)
    ):
        return f"{lead} {low_child}"
    if _ANAPHORA.match(child):
        gist = cut_to_limit(rewrite_imperative(lead, role="action", item=True), 14).rstrip(".:")
        return f"{gist}: {low_child}"
    return ""


def _past_verb(word: str) -> str | None:
    low = word.lower()
    if low in PAST_TO_IMPERATIVE:
        return PAST_TO_IMPERATIVE[low]
    found = regular_past_verb(low)
    if found is None and len(low) >= 5 and low.endswith(("ised", "ized")):  # prioritised, optimized
        return low[:-1]
    return found


def past_to_imperative(text: str) -> str:
    """ "The team restored the ingress controller" -> "Restore the ingress controller"; "" if not a step."""
    m = _RESPONDER.match(text)
    rest = text[m.end() :] if m else text
    words = rest.split(maxsplit=1)
    if len(words) < 2:
        return ""
    verb = _past_verb(words[0])
    if verb is None or not (m or words[0][:1].isupper()) or (not m and leads_a_subject(rest)):
        return ""
    tail = words[1]
    helper = re.match(r"^to\s+(\w+)\s+", tail)
    if helper and helper.group(1).lower() in IMPERATIVE_VERBS and verb not in ("add", "move", "update"):
        verb, tail = helper.group(1).lower(), tail[helper.end() :]  # "prioritised to restore X"
    tail = re.split(r",\s+(?:these|this|those|that|it|they|and then|then|so)\b", tail, maxsplit=1)[0]
    tail = _AND_PAST.sub(_and_imperative, tail)  # "... and adjusted the fleet" -> "... and adjust the fleet"
    return _capitalize(f"{verb} {tail}")


_AND_PAST = re.compile(r"(,?\s+(?:and|or|then)\s+)(?:have\s+|has\s+)?([a-z]+ed)\b")


def past_passive_to_imperative(text: str) -> str:
    """ "Large pools were asked to switch back to 0.7" -> "Ask large pools to switch back to 0.7"; ""
    when the sentence is no remedy told in the past passive."""
    m = _PAST_PASSIVE.match(text.strip())
    # an -ed adjective is fine in this subject ("The leaked credentials"): the remedy verb list,
    # not the subject check, keeps states ("The database was overloaded") out
    if not m or not _subject_ok(re.sub(r"(?<=\s)\w+ed\b", "x", m.group("subj").strip())):
        return ""
    verb = _past_verb(m.group("pp")) or participle_verb(m.group("pp"))
    rest = m.group("rest").rstrip()
    if not verb or re.match(r"^\s*(?:by|that|if|whether)\b", rest, re.I):
        return ""
    # "were revoked and rotated", "had been revoked, replaced and sanitised"
    both = re.match(r"^((?:,\s*\w+ed\b)*),?\s+(and|or)\s+(\w+ed)\b", rest)
    listed = re.findall(r"\w+ed", both.group(1)) if both else []
    if both and _past_verb(both.group(3)) and all(_past_verb(w) for w in listed):
        verbs = [verb, *(_past_verb(w) or w for w in listed)]
        last = _past_verb(both.group(3))
        verb = f"{', '.join(verbs)} {both.group(2)} {last}"
        rest = rest[both.end() :]
    rest = _AND_PAST.sub(_and_imperative, rest)
    subj = m.group("subj").strip()
    # "Homebrew/brew", "ci.jenkins.io": a name keeps its case
    subj = subj if re.search(r"[/.\d]", subj.split()[0]) else _lower_subject(subj)
    return _capitalize(f"{verb} {subj}{rest}")


def _and_imperative(m: re.Match[str]) -> str:
    verb = _past_verb(m.group(2))
    return m.group(1) + verb if verb else m.group(0)


def is_rule_like(text: str) -> bool:
    if _NO_NEED.search(text):
        return False
    return is_imperative(text) or bool(_MODAL_RULE.search(text))


def is_warning(text: str) -> bool:
    return bool(_WARNING_MARK.match(text)) or bool(
        re.search(r"\b(?:never|do not|don't|must not)\b", text, re.I)
    )


# ---------------------------------------------------------------------------------------------
# sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text``; abbreviations such as e.g. do not split."""
    protected = _ABBREV.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(protected):
        end = m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
