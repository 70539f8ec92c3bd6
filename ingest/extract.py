"""Find lesson-carrying sections and turn their items into atomic imperative statements."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.fallback import narrative_candidates
from ingest.narrative import (
    all_options_statement,
    cause_to_lesson,
    did_not_to_lesson,
    passive_to_imperative,
    present_to_imperative,
    regular_past_verb,
)
from ingest.roles import extraction_role
from ingest.sections import Block, Outline, Text
from ingest.vocabulary import IMPERATIVE_VERBS, PAST_TO_IMPERATIVE, SECTION_ROLES

MAX_WORDS = 40
MIN_WORDS = 4
MAX_PER_DOCUMENT = 60
MAX_GENERIC_PER_DOCUMENT = 20
MAX_GENERIC_LONG_DOCUMENT = 6
LONG_DECISION = 10  # decision candidates above which an ADR counts as a long design document
MAX_DESIGN_PER_DOCUMENT = 6  # present-tense design sentences turned into rules ("Have the sidecar ...")

_ROLE_PATTERNS = tuple((re.compile(p, re.IGNORECASE), role) for p, role in SECTION_ROLES)
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[a-z][.)]|step \d+[:.]?)\s+", re.IGNORECASE)

# ---------------------------------------------------------------------------------------------
# statement cleaning


_MD_LINK_TEXT = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_URL = re.compile(r"\(?<?https?://[^\s)>]+>?\)?")
_TICKET_ID = r"(?:[A-Z][A-Z0-9]{1,11}-\d+|#\d{2,})(?![\w-])"
_TICKET = re.compile(
    rf"[\[(]\s*{_TICKET_ID}(?:\s*,\s*{_TICKET_ID})*\s*[\])]|^\s*{_TICKET_ID}\b\s*:?|\s{_TICKET_ID}\s*$"
)
_PR_SUFFIX = re.compile(r"\s*(?:[-–—:(.]\s*|\[)(?:PR|pr|issue|ticket|Ticket|link|Link)\]?\)?\.?\s*$")
_DONE_SUFFIX = re.compile(
    r"\s*[-–—(,;.]\s*(?:this|which|it|that)\s+(?:has|was|is|have)\s+(?:already\s+)?(?:been\s+)?"
    r"(?:done|completed|fixed|implemented|resolved|addressed)\)?\.?\s*$",
    re.I,
)
_SEE_ABOVE = re.compile(r"\s*[:;,.(]?\s*see\b[^.;]{0,40}\b(?:above|below)\)?(?=\.?\s*(?:$|[A-Z]))", re.I)
_SUBJECT_NEEDS = re.compile(
    r"^(?:the\s+)?((?!we\b|you\b|this\b|it\b|they\b)[\w-]+(?:\s+[\w-]+){0,3}?)\s+(?:needs|need|has|have|must)\s+to\s+",
    re.I,
)
# "In order to X, we will need to configure Y" -> "Configure Y in order to X"
_PREFIX_WE = re.compile(
    r"^((?!in (?:this|that|such|which)\b|at some point\b)"
    r"(?:in order to|to|when|whenever|before|after|once|while|whilst|if|at|for|in|on|during|as part of|"
    r"because|since)\b"
    r"(?:(?!\bwe\b)[^.;:]){3,120}?),?\s+we(?:'ll)?(?:\s+(?:will|shall|should|must|are going to|also|then|now|"
    r"need to|needs to|have to|want to))*\s+(?=\w)",
    re.IGNORECASE,
)
# "The alert should be routed to a null receiver" -> "Route the alert to a null receiver"
_SHOULD_BE_DONE = re.compile(
    r"^((?:the|all|any|each|every)\s[^,;]{2,60}?)\s+(?:should|must)\s+(?:always\s+)?be\s+(\w+ed)\b(.*)$", re.I
)
_CAN_BE_USED = re.compile(
    r"^(?!(?:this|that|it|these|those|which|there|the following)\b)(.{3,80}?)(?<!\bwhich)(?<!\bthat)"
    r"\s+(?:can|could|may)\s+"
    r"(?:also\s+)?be\s+used\s+to\s+(\w+)\s+(.+)$",
    re.IGNORECASE,
)
_IF_POSSIBLE = re.compile(r"^((?:if|where|when(?:ever)?) (?:possible|feasible|practical)),?\s+", re.I)
_OWNER_SUFFIX = re.compile(
    r"\s*(?:[-–—|,(]\s*)?\b(?:owners?|assignee|assigned to|responsible|dri)\b\s*[:=-]\s*[^.;]*\)?\s*$",
    re.IGNORECASE,
)
_AT_SUFFIX = re.compile(r"\s*\(?\s*@[\w-]+(?:\s*(?:,|and|&)\s*@[\w-]+)*\s*\)?\s*$")
_CHECKBOX = re.compile(r"^\s*\[[ xX✓]\]\s*")
_LEADING_JUNK = re.compile(r"^[^\w\"'“(`$./~-]+")
_LABEL_PREFIX = re.compile(
    r"^(?:recommendation|action|action item|todo|to do|lesson|lesson learned|takeaway|rule|note|"
    r"important|warning|caution|tip|fix|the fix|mitigation|follow[- ]up|better approach|solution|"
    r"key takeaway)\s*[:\-–—]\s+",
    re.IGNORECASE,
)
_STATUS_SUFFIX = re.compile(
    r"\s*[\[(](?:done|completed?|in progress|wip|todo|open|closed|tbd)[\])]\s*$", re.I
)
_EMPTY_PARENS = re.compile(r"\(\s*[,;]?\s*\)|\[\s*\]")
_SPACES = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"\s+([,.;:!?])")
_GITHUB_ADMONITION = re.compile(r"^\[!(?:note|tip|important|warning|caution)\]\s*", re.IGNORECASE)

_NEG_WE = re.compile(
    r"^(?:we|you|teams?|engineers|developers|users|one)\s+(?:will not|won't|shall not|should not|"
    r"shouldn't|must not|mustn't|do not|don't|are not going to)\s+"
    r"(?!have\b|know\b|see\b|yet\b|currently\b|believe\b|think\b|expect\b|need\b|want\b)",
    re.IGNORECASE,
)
_NEVER_WE = re.compile(r"^(?:we|you)\s+(?:will|should|must|shall)?\s*never\s+", re.IGNORECASE)
_WE_MODAL = re.compile(
    r"^(?:so\s+|and\s+|also\s+|therefore\s+|going forward,?\s+|in future,?\s+|in the future,?\s+)?"
    r"(?:we|you|the team|teams)\s+(?:will|shall|'ll|are going to|'re going to|should|need to|needs to|must|"
    r"have to|has to|want to|plan to|intend to|would like to|'d like to|have decided to|"
    r"decided to|agreed to|agree to|aim to|propose to|ought to|are planning to)\s+(?:also\s+|"
    r"therefore\s+|now\s+|still\s+|all\s+|first\s+|then\s+|further\s+|continue to\s+|need to\s+|"
    r"have to\s+|be able to\s+|look to\s+|to\s+|probably\s+|eventually\s+)*",
    re.IGNORECASE,
)
_YOU_MAY = re.compile(
    r"^(?:please\s+)?(?:(?:you|users)\s+(?:may|might|can|could)\s+(?:also\s+)?"
    r"(?:need to|want to|have to|wish to)?\s*)?"
    r"(?:please\s+)?(?=\w)",
    re.IGNORECASE,
)
_TRIVIAL_STEP = re.compile(
    r"^(?:(?:git\s+)?(?:pull|create|check ?out|merge|push|raise|open|commit|clone|cd)\b(?:\s+\S+){0,4}?\s+"
    r"(?:branch|repo|repository|pr|pull request|main|master|changes)\b[^,;]{0,20}$|"
    r"(?:find|get|list|locate)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,6}\s+(?:pods?|nodes?|names?)\b[^,;]{0,40}$|"
    r"query in\b)",
    re.I,
)
_TRAILING_EG = re.compile(r",?\s*(?:e\.g\.?|for example|i\.e\.?)\s*$", re.I)
_FIRST_PERSON = re.compile(
    r"^(?:we|we've|we're|we'd|our|i|i'm|i've|us)\b|\bwe (?:feel|hope|believe|think)\b", re.I
)
_FOLLOWING_CMD = re.compile(r"\bthe following (?:command|commands|snippet)\b", re.I)
_WE_VERB = re.compile(r"^(?:we|you)\s+(\w+)\s+", re.IGNORECASE)
_WE_CHOSE = re.compile(
    r"^we(?:'ve| have)?\s+(?:chose|chosen|went with|opted for|selected|picked|settled on)\s+",
    re.IGNORECASE,
)
# a named product given a role: "GitHub will be the Identity Provider, meaning ..."
_WILL_BE_THE = re.compile(
    r"^([A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,3})\s+will\s+be\s+(?:the|our)\s+([\w-]+(?:\s+[\w-]+){0,3}?)"
    r"((?:,\s.*)?)\.?$"
)
_WE_HAVE_DONE = re.compile(r"^we(?:'ve| have)\s+(?:\w+ly\s+)?(\w+ed)\s", re.I)
# A done remediation's framing: "As part of (the) remediation, we have ..." and a trailing "(Done)".
_AS_PART_OF = re.compile(r"^as part of (?:the |our )?[\w -]{3,40},\s+(?=we(?:'ve| have)\s)", re.I)
_DONE_MARK = re.compile(r"\s*\((?:done|completed?)\)\s*\.?\s*$", re.I)
_IF_WE_CAN = re.compile(
    r"^((?:if|when|whenever|in case)\s[^,]{8,200}?),\s+(?:we|you)\s+"
    r"(can|could|may|should|must|need to|will)\s+(?:also\s+|then\s+)?(.+)$",
    re.I | re.DOTALL,
)
# a standing fact the reader must keep in mind, whatever else the sentence says
_CAVEAT = re.compile(
    r"^(?:[^.;]*?\b(?:with|has|have)\s+the\s+(?:important\s+|main\s+)?caveat\s+that|"
    r"(?:be aware|bear in mind|keep in mind)\s+that)\s+(.+)$",
    re.I | re.DOTALL,
)
# an expected benefit that is a practice to keep up: "This should help us to keep X localized"
_HELPS_US = re.compile(
    r"^(?:this|that|it)\s+(?:should|will|would)\s+help\s+(?:us\s+|teams?\s+)?(?:to\s+)?(?P<v>[a-z]+)\s+(?P<rest>.+)$",
    re.I | re.DOTALL,
)
# a downside with its remedy: "..., but we can mitigate the impact by documenting X and commenting Y"
_MITIGATE_BY = re.compile(
    r"\b(?:we|you)\s+(?:can|could|will)\s+(?:mitigate|reduce|offset|limit)\s+(?:the|this|that)\s+"
    r"(?:impact|risk|cost|downside)s?\s+by\s+(?P<g>[a-z]+ing)\s+(?P<rest>.+)$",
    re.I | re.DOTALL,
)
_AND_GERUND = re.compile(r"(\s(?:and|or)\s+(?:\w+ly\s+)?)([a-z]+ing)\b")
_IT_IS = re.compile(
    r"^(?:it(?:'s| is)|this is)\s+(?:very\s+|highly\s+)?(?:important|essential|crucial|critical|"
    r"recommended|advisable|best practice|good practice|vital|necessary|wise|a good idea)\s+"
    r"(?:that you\s+|that we\s+|for you to\s+|for us to\s+|to\s+)",
    re.IGNORECASE,
)
_REMINDER = re.compile(
    r"^(?:this|that|it)\s+(?:is|was|serves as)\s+(?:an?\s+)?(?:great|good|useful|timely|important|"
    r"strong)?\s*reminder\s+to\s+",
    re.IGNORECASE,
)
_RECOMMEND = re.compile(
    r"^(?:we|i|pypi)\s+(?:strongly\s+|also\s+)?(?:recommend|suggest|advise|encourage)\s+"
    r"(?:that\s+)?(?:you\s+|all\s+\w+\s+|users\s+|projects\s+|maintainers\s+|publishers\s+)?(?:to\s+)?",
    re.IGNORECASE,
)
_DECISION_TO = re.compile(
    r"^(?:this\s+(?:document|adr|record)\s+)?(?:outlines|describes|documents|records|captures)?\s*"
    r"(?:the|our|this)\s+decision\s+(?:is\s+|was\s+)?to\s+",
    re.IGNORECASE,
)
_USING = re.compile(
    r"^using\s+([^,]{3,80}?),?\s+(verify|check|confirm|inspect|run|ensure|find)\s+(.+)$", re.I
)
# a long parenthetical aside, unless it says what to do ("(to ...)", "(moving to X)") or lists
_LONG_PAREN = re.compile(
    r"\s*\((?!to\s|use\s|so\s|moving\s|switching\s|migrating\s|[^()]*,[^()]*,)(?:[^()`]*\s){4,}[^()`]*\)",
    re.I,
)
_PAREN_FIX = re.compile(r"\(\s*([a-z]+ed\s[^()]+?)\s*\)\s*$")  # a closing "(configured X to do Y)"
_SEE_DOCS = re.compile(
    r"^(?:see|refer to|consult|check)\s+(?:the\s+)?(.{3,60}?)\s+"
    r"(documentation|docs|guide|guidance|article)\s+"
    r"(?:to\s+(?:see|find|get|learn)\s+(?:the\s+|about\s+)?|on\s+|about\s+)?(?:\w+\s+)?(?:steps\s+)?"
    r"(?:for|on|about)\s+(.{4,})$",
    re.I,
)
_GENERIC_STEP = re.compile(
    r"\b(?:diagnose|troubleshoot|debug|investigate|fix|resolve|identify)\s+(?:the|this|any)\s+"
    r"(?:issue|problem|cause|root cause)s?$|"
    r"\bas (?:listed|described|mentioned|shown|explained) (?:above|below|earlier)$",
    re.I,
)
_CONSIDER_WE = re.compile(
    r"^(?:consider|decide|discuss|evaluate|assess)\s+(?:if|whether)\s+(?:we|you|the team)\s+"
    r"(?:should|could|need to)\s+",
    re.I,
)
_GOING_FORWARD = re.compile(r",?\s+(?:going forward|in (?:the )?future|from now on)(?=\.?$)", re.I)
_GENERAL_TRUTH = re.compile(
    r"^(?!(?:we|our|i|you|this|that|these|those|it|they)\b)[A-Z][^.;:]{8,160}?\s(?:can|may|might|often|"
    r"usually|tend to|will)\s+(?!not\b)\w+[^.;:]*\.?$"
)
_RESPONDER = re.compile(
    r"^(?:the\s+)?(?:team|we|engineers?|on-?call(?:\s+engineers?)?|responders?|platform team|"
    r"[A-Z][\w-]*\s+team)\s+(?:then\s+|also\s+|quickly\s+|manually\s+)*",
    re.I,
)
MAX_RESOLUTION_FALLBACK = 3
# "X does not support Y and you should amend the records first": the advice after the fact
_YOU_SHOULD_CLAUSE = re.compile(
    r"(?:,?\s+(?:and|so)|;)\s+(?:you|we|teams?|users)\s+"
    r"(?:should|must|need to|have to|will need to)\s+(?=\w)",
    re.I,
)
# what a completed fix guards against: the part that makes it a lesson rather than a log entry
_PURPOSE = re.compile(
    r"\b(?:to (?:prevent|avoid|reduce|ensure|protect|catch|detect|stop|limit|keep|accommodate|guard)|"
    r"so that|in order to|preventing|avoiding)\b",
    re.I,
)
MAX_JOINED_COMMANDS = 3
COMMAND_LEAD_MAX_WORDS = 6
# a plain shell command line: no prompt, assignment, quoting, YAML key or brace (output and config differ)
_SHELL_LINE = re.compile(r"^(?:sudo\s+)?[a-z][a-z0-9_.-]*(?:\s+(?:\"[^\s\"]+\"|[^\s\"'{}=<>|]+)){0,5}$")
_SHELL_ASSIGN = re.compile(r"^[A-Z_][A-Z0-9_]*=\S")  # "NODE_NAME='<from the alert>'": a placeholder to fill
_LESSON_LIST = re.compile(r"lessons?\s+learn|takeaways?|learnings", re.I)
_LACK = re.compile(r"^(?:lack of|no|missing|insufficient|not enough|absence of)\s+(.+)$", re.IGNORECASE)
_NEED_NOUN = re.compile(r"^we\s+need\s+(?!to\b)(.+)$", re.IGNORECASE)
_CHOSEN = re.compile(
    r"^chosen (?:option|alternative)s?\s*:?\s*[\"“”']?(.+?)[\"“”']?\s*(?:[,;]?\s*because\b\s*(.*))?$",
    re.IGNORECASE | re.DOTALL,
)
_TIMELINE = re.compile(
    r"^\s*(?:\d{4}-\d{2}-\d{2}|\d{1,2}[:.]\d{2}\b|\d{1,2}/\d{1,2}/\d{2,4}|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)",
    re.IGNORECASE,
)
_PROS_CONS = re.compile(r"^(?:good|bad|neutral)\s*,?\s+because\b", re.IGNORECASE)
_MODAL_RULE = re.compile(
    r"\b(?:must|mustn't|shall|should|shouldn't|need to|needs to|have to|has to|required to|"
    r"is required|are required|is needed|are needed|will need to|will need|will have to|be careful|"
    r"cautious|needs to be|need to be)\b|"
    r"^(?:you|we|please)\s+(?:do not|don't|never|avoid|ensure|make sure)\b",
    re.IGNORECASE,
)
_STRONG_MODAL = re.compile(
    r"\b(?:must|must not|mustn't|should not|shouldn't|should never|shall not|never)\b|"
    r"^(?:you|we|please)\s+(?:do not|don't|never|always|avoid|ensure|make sure)\b",
    re.IGNORECASE,
)
# a bound stated as a rule: "the 99th percentile of fsync duration should be less than 10ms"
_THRESHOLD_RULE = re.compile(
    r"\b(?:should|must)\s+(?:always\s+)?(?:be|stay|remain)\s+(?:less|lower|greater|higher|more|fewer|below|"
    r"above|under|over|at least|at most|within)\b",
    re.I,
)
_FIRM_MODAL = re.compile(
    r"\b(?:must|mustn't|shall|should|shouldn't|never|required to|is required|are required|always)\b", re.I
)
_CODE_SIGNATURE = re.compile(r"->|\b\w+\((?:[\w\s]+:\s*\w+|self\b)")
_EXAMPLE_OPENER = re.compile(r"^(?:for instance|for example|e\.g\.?|i\.e\.?|such as)\b", re.I)
_NO_NEED = re.compile(r"\b(?:do not|don't|does not|doesn't|no) need to\b|\bneed not\b", re.IGNORECASE)
_ANAPHORA = re.compile(r"^(?:this|that|these|those|it|they|he|she|which|such)\b", re.IGNORECASE)
_METRIC_ITEM = re.compile(
    r"(?::|\s[-–—])\s*~?\d+(?:\.\d+)?\s*(?:h|m|s|min|mins|hours?|minutes?|days?|%)(?:\W*$|\b(?=\s*[:,;]))",
    re.I,
)
# "We'll transition the team" reads as "We will transition the team" for the rewriting rules
_CONTRACTION = re.compile(r"^(we|you)'(ll|re|ve|d)\b", re.I)
_CONTRACTIONS = {"ll": "will", "re": "are", "ve": "have", "d": "would"}
_GERUND_SUBJECT = re.compile(
    r"^\S+ing\b(?:\s+\S+){0,8}?\s+(?:is|are|was|were|means|keeps|makes|allows|requires|will|would|can|"
    r"could|has|have|helps|gives|provides|lets|isn't|doesn't|did|does|causes|caused)\b",
    re.IGNORECASE,
)
_WARNING_MARK = re.compile(r"^\s*(?:⚠️?\s*)?(?:\*\*)?\s*(?:warning|caution|important|danger|note)\b", re.I)
_NAVIGATION = re.compile(
    r"^(?:read (?:more|on|the|about)|see\b|refer to|click|follow along|for more (?:info|details)|"
    r"check out|learn more|more (?:info|details)|update:|follow the (?:\w+ )?(?:documentation|docs|guide)\b|"
    r"find more\b|further info)",
    re.IGNORECASE,
)
_NOT_SELF_CONTAINED = re.compile(
    r"\b(?:the following|as follows|below|these steps|this command|like this|as shown)\s*:?\s*$|:\s*$|"
    r"\bone of the following\b",
    re.IGNORECASE,
)
# a pointer at material next to the sentence that the statement does not carry along
_DEICTIC = re.compile(
    r"\b(?:this|these)\s+(?:[\w.-]+\s+)?(?:files?|commands?|snippet|code|module|page|table|section|"
    r"steps?|example|output|variable|screenshot|diagram)\b|"
    r"\b(?:code|commands?|snippet|example|steps?|table|list|output|logs?|diagram)\s+below\b|"
    r"\bthe following\s+(?!(?:day|week|month|year|morning|sprint|release)s?\b)\w+|\bin here\b|"
    r"^\w+\s+this\s+(?:to|for|as|in|with|when)\b|^[\w.-]+:\s+(?:this|it)\s",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\w\s+how(?:e)?ver\b", re.I)  # mid-sentence "however": answers an earlier one
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|incl|cf|no|fig|mr|mrs|dr|ms|st)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'“(`*_\[])")
_CLAUSE_BREAKS = (
    "; ",
    " — ",
    " – ",
    " - ",
    ", because ",
    " because ",
    ", which ",
    ", so that ",
    " so that ",
    ", as ",
    ", and ",
    ", but ",
    " and ",
    ", ",
    " to ensure ",
    " in order to ",
    " when ",
    " where ",
    " with ",
    " for ",
)


def _strip_markdown_residue(text: str) -> str:
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)\*(?=\S)([^*]+)(?<=\S)\*(?!\w)", r"\1", text)
    return text


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def word_count(text: str) -> int:
    return len(text.split())


def first_word(text: str) -> str:
    m = re.match(r"[A-Za-z'-]+", text)
    return m.group(0).lower() if m else ""


_E_ENDINGS = ("at", "iz", "is", "ov", "iv", "ak", "ur", "uc", "us", "ag", "ud", "ut", "ac", "yz", "ir", "rv")


def _gerund_to_imperative(word: str, *, guess: bool = False) -> str | None:
    low = word.lower()
    if not low.endswith("ing") or len(low) < 6:
        return None
    stem = low[:-3]
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if cand and cand in IMPERATIVE_VERBS:
            return cand
    if not guess:
        return None
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem + "e" if stem.endswith(_E_ENDINGS) else stem


def clean_text(text: str) -> str:
    """Remove markdown residue, tickets, owners, checkboxes and URLs from an item."""
    t = _GITHUB_ADMONITION.sub("", text.strip())
    t = _CHECKBOX.sub("", t)
    t = _strip_markdown_residue(t)
    t = _MD_LINK_TEXT.sub(r"\1", t)
    t = _URL.sub(" ", t)
    t = _STATUS_SUFFIX.sub("", t)
    t = _DONE_SUFFIX.sub("", t)
    t = _SEE_ABOVE.sub("", t)
    t = _OWNER_SUFFIX.sub("", t)
    t = _AT_SUFFIX.sub("", t)
    t = _TICKET.sub(" ", t)
    t = _PR_SUFFIX.sub("", t) if word_count(t) > 4 else t
    t = _EMPTY_PARENS.sub(" ", t)
    t = _LEADING_JUNK.sub("", t)
    t = _NUMBERING.sub("", t)
    t = _LABEL_PREFIX.sub("", t)
    t = _SPACES.sub(" ", t).strip()
    t = _SPACE_PUNCT.sub(r"\1", t)
    return t.strip(" -–—:;,")


def _consequence_practice(t: str) -> str:
    """The practice a consequence commits to: a benefit to keep up, or the remedy for a downside."""
    m = _HELPS_US.match(t)
    if m and m.group("v").lower() in IMPERATIVE_VERBS:
        return f"{m.group('v').capitalize()} {m.group('rest')}"
    m = _MITIGATE_BY.search(t)
    verb = _gerund_to_imperative(m.group("g")) if m else None
    if m and verb:

        def _and(g: re.Match[str]) -> str:
            v = _gerund_to_imperative(g.group(2), guess=True)
            return g.group(1) + v if v else g.group(0)

        return f"{verb.capitalize()} {_AND_GERUND.sub(_and, m.group('rest'))}"
    return t


def rewrite_imperative(text: str, *, role: str = "", item: bool = False) -> str:
    """Rewrite "We will X" / "We should X" / "You must X" style sentences to "X"."""
    t = _CONTRACTION.sub(lambda c: f"{c.group(1)} {_CONTRACTIONS[c.group(2).lower()]}", text.strip())
    if item and role == "action":
        # "As part of remediation, we have switched from X to Y. (Done)" -> "we have switched from X to Y."
        t = _DONE_MARK.sub("", _AS_PART_OF.sub("", t))
    m = _CAVEAT.match(t)
    if m and role in ("consequence", "lesson", "factor") and not _ANAPHORA.match(m.group(1)):
        # "X supports many users, with the important caveat that all users are super users"
        t = "Remember that " + m.group(1)
    if role == "consequence":
        t = _consequence_practice(t)
    if role in ("factor", "lesson"):
        lesson = cause_to_lesson(t)
        label = _LABEL_SPLIT.match(t) if not lesson else None
        if label and word_count(label.group(1)) <= 4:
            lesson = cause_to_lesson(
                label.group(2)
            )  # "Symptom-focused fixes – PRs addressed X rather than Y"
        t = lesson or t  # "Kyverno not being kept up-to-date" -> "Keep Kyverno up-to-date"
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
        if m and word_count(t[m.end() :]) >= 2:
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
        if not soft or role in ("", "mitigation", "diagnosis", "prereq"):
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
    m = _WE_HAVE_DONE.match(t)
    if m and item and role == "action" and _past_verb(m.group(1)):
        # a listed remediation told as done: "We've significantly tightened X" -> "Tighten X"
        t = _capitalize(m.group(1)) + t[m.end(1) :]
    fw = first_word(t)
    if role in ("action", "mitigation", "decision"):
        # a guessed past tense only in action lists ("Switched to pnpm 10"); elsewhere it is narrative
        past = _past_verb(fw) if item and role == "action" and fw.endswith("ed") and t[:1].isupper() else None
        if fw in PAST_TO_IMPERATIVE or past:
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
        verb = _past_verb(m.group(2))
        if verb:
            subj = m.group(1)
            subj = subj[:1].lower() + subj[1:] if not subj[:2].isupper() else subj
            # "... and configured to inhibit" -> "... and configure it to inhibit"
            rest = re.sub(
                r"\b(and|or)\s+(\w+ed)\b",
                lambda p: f"{p.group(1)} {_past_verb(p.group(2)) or p.group(2)}",
                m.group(3),
            )
            t = f"{_capitalize(verb)} {subj}{rest}"
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
        if m and word_count(m.group(1)) >= 2:
            t = "Address the lack of " + m.group(1)
    return _capitalize(t)


_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|be|been|did|does|do|may|might|needs?|"
    r"requires?|lacks?)\b|\?",
    re.I,
)
_NOUN_OF = {
    "development": "develop",
    "implementation": "implement",
    "creation": "create",
    "introduction": "introduce",
    "adoption": "adopt",
    "automation": "automate",
    "documentation": "document",
    "review": "review",
    "improvement": "improve",
}
_NOUN_OF_ITEM = re.compile(rf"^(?:the\s+)?({'|'.join(_NOUN_OF)})\s+of\s+(?:the\s+)?(.+)$", re.I)
_ADDABLE_ITEM = re.compile(
    r"^(?:an?\s+)?(?:[\w/-]+\s+){0,3}?(?:alerts?|alerting|dashboards?|monitoring|process|processes|runbooks?|"
    r"guides?|documentation|tooling|tests?|testing|checks?|drills?|scanners?|framework|limits?|playbooks?)"
    r"(?=\s*$|\s*[:,(]|\s+(?:for|to|on|of|in|with|that|when|against|about|around|and)\b)",
    re.I,
)


def noun_item_to_imperative(text: str) -> str:
    """ "Better monitoring of OOM" -> "Improve monitoring of OOM"; "Automatic process to X" -> "Add ..."."""
    t = text.strip()
    m = re.match(r"^(?:better|improved)\s+(.+)$", t, re.I)
    if m:
        return f"Improve {m.group(1)}"
    m = re.match(r"^(?:more|additional|extra)\s+(.+)$", t, re.I)
    if m:
        return f"Add more {m.group(1)}"
    m = _NOUN_OF_ITEM.match(t)
    if m:
        return f"{_capitalize(_NOUN_OF[m.group(1).lower()])} {m.group(2)}"
    if _ADDABLE_ITEM.match(t) and first_word(t) not in IMPERATIVE_VERBS:
        return f"Add {t[:1].lower() + t[1:] if not t[:2].isupper() else t}"
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
    fw = first_word(text)
    if fw in IMPERATIVE_VERBS or fw in ("be", "do", "don't", "never", "always", "make", "have"):
        return True
    # "If X, do Y" / "When X, do Y" / "To X, do Y"
    m = re.match(
        r"^(?:(?:if|when|before|after|once|to|for|while|during|in case|in the case of|depending on)\b"
        r"[^,]{3,200}|"
        r"as (?:an? )?(?:validation|check|precaution|workaround|(?:first|next|final|last) step)\b[^,]{0,60}),"
        r"\s*(?:please\s+)?(\w+)",
        text,
        re.I,
    )
    return bool(m and (m.group(1).lower() in IMPERATIVE_VERBS or m.group(1).lower() in ("be", "do", "never")))


_LABEL_SPLIT = re.compile(r"^([^:–—.]{3,60}?)\s*(?::|\s[–—-]\s)\s*(.+)$", re.DOTALL)
_IMPERATIVE_NEG = re.compile(r"^(?:please\s+)?(?:do not|don't|never|always|avoid|ensure|make sure)\b", re.I)


def had_directive(text: str) -> bool:
    """Whether ``text`` opens with a directive such as "We will", "You must", "We recommend"."""
    t = _CONTRACTION.sub(lambda c: f"{c.group(1)} {_CONTRACTIONS[c.group(2).lower()]}", text.strip())
    return any(
        p.match(t) for p in (_WE_MODAL, _NEG_WE, _NEVER_WE, _RECOMMEND, _IT_IS, _DECISION_TO)
    ) and not (re.match(r"^(?:we|you)\s+(?:can|could|may|might)\b", t, re.I))


def split_coordinated(text: str) -> list[str]:
    """Split "Do X, do Y, and do Z" into its imperative parts (each at least three words)."""
    if not is_imperative(text):
        return [text]
    parts: list[str] = []
    start = 0
    for m in re.finditer(r",\s*(?:and\s+|or\s+)?", text):
        nxt = first_word(text[m.end() :])
        if nxt in IMPERATIVE_VERBS and nxt not in ("back", "log", "test", "use", "release", "report"):
            seg = text[start : m.start()].strip()
            if word_count(seg) >= 3:
                parts.append(seg)
                start = m.end()
    tail = text[start:].strip()
    if len(parts) < 2 or word_count(tail) < 3:
        return [text]
    return [_capitalize(p.rstrip(" ,;.")) for p in [*parts, tail]]


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
    if verb is None or not (m or words[0][:1].isupper()):
        return ""
    tail = words[1]
    helper = re.match(r"^to\s+(\w+)\s+", tail)
    if helper and helper.group(1).lower() in IMPERATIVE_VERBS and verb not in ("add", "move", "update"):
        verb, tail = helper.group(1).lower(), tail[helper.end() :]  # "prioritised to restore X"
    tail = re.split(r",\s+(?:these|this|those|that|it|they|and then|then|so)\b", tail, maxsplit=1)[0]
    tail = _AND_PAST.sub(_and_imperative, tail)  # "... and adjusted the fleet" -> "... and adjust the fleet"
    return _capitalize(f"{verb} {tail}")


_AND_PAST = re.compile(r"(,?\s+(?:and|or|then)\s+)([a-z]+ed)\b")


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


# ---------------------------------------------------------------------------------------------
# section roles


def role_of(title: str, kind: str, *, meaning: bool = True) -> str | None:
    """The extractor's role for a heading: by its known name, else (``meaning``) by its words."""
    role = known_role(title, kind)
    if role is None and meaning:
        return extraction_role(title, kind)
    return role


@lru_cache(maxsize=4096)
def known_role(title: str, kind: str) -> str | None:
    t = title.strip().lower()
    t = re.sub(r"^[\d.\s)]+", "", t).strip(" :")
    if kind == "adr" and _NON_GOALS.match(t):
        return "nongoal"  # what a design leaves out on purpose: "Provide user-facing CRDs" -> "Do not ..."
    if kind == "adr" and re.match(r"^goals?$", t):
        return "goal"  # aims are not rules, but "The service provides X" there describes the design
    for pat, role in _ROLE_PATTERNS:
        if pat.search(t):
            if (
                kind == "runbook"
                and role in ("done", "action")
                and re.search(r"resolution|response|remediation|actions?", t)
            ):
                return "mitigation"
            if kind == "runbook" and role == "skip" and re.search(r"^diagnos", t):
                return "diagnosis"
            if kind == "runbook" and role == "skip" and re.search(r"^impact|^meaning", t):
                return "skip"
            if kind != "adr" and role == "driver":
                return None
            if kind != "adr" and role == "decision" and t in ("how", "what", "goals", "goal", "solution"):
                return None
            if kind != "runbook" and role == "mitigation" and kind == "adr":
                return "consequence" if "mitigation" in t else None
            return role
    return None


_CAUSE_STORY = re.compile(r"how did (?:this|it) happen|how it happened", re.I)
_CAUSE_LEAD = re.compile(r"^(?:root causes?|causes|contributing factors?)\s*:?$", re.I)


def _is_cause_lead(block: Block) -> bool:
    """A paragraph that only names a list of causes: "**Root causes:**"."""
    return bool(block.bold_label) and bool(_CAUSE_LEAD.match(block.text.text.strip(" *")))


_NON_GOALS = re.compile(r"^(?:non-?goals?|out of scope|not in scope)$", re.I)

_FIELD_ROLES = {
    "key events": "skip",
    "context": "skip",
    "identified": "skip",
    "impact": "skip",
    "resolution": "done",
    "time to repair": "skip",
    "time to resolve": "skip",
}


def block_role(block: Block, kind: str, title: str) -> tuple[str | None, str]:
    """Role of the section holding ``block`` and the section path string."""
    path = list(block.path)
    if not path or (block.levels and block.levels[0] == 1 and path[0] == title):
        section_path = [title, *path[1:]] if path else [title]
    else:
        section_path = [title, *path]
    role: str | None = None
    if block.field_label:
        label = block.field_label.strip().lower()
        role = _FIELD_ROLES.get(label) or role_of(label, kind)
        if role is not None:
            section_path = [*section_path, block.field_label]
    elif (
        kind == "postmortem"
        and block.type == "item"
        and block.bold_label
        and role_of(block.bold_label.strip(" :").lower(), kind) == "action"
    ):
        # An incident field written inline ("- **Review actions**: We have switched X to Y"): its
        # label names the role as a field bullet's would, but only an action field counts here.
        role = "action"
        section_path = [*section_path, block.bold_label.strip(" :")]
    # Known names first, up the whole path ("Considered options > Cons" is an option's con);
    # only when no heading has one does the nearest heading's meaning decide.
    for meaning in (False, True):
        if role is not None:
            break
        for i in range(len(path) - 1, -1, -1):
            if i == 0 and block.levels and block.levels[0] == 1 and path[0] == title:
                break
            r = role_of(path[i], kind, meaning=meaning)
            if r == "summary" and kind == "adr" and i > 0 and known_role(path[i - 1], kind) == "decision":
                continue  # "How > Architecture summary": a summary of the design is design
            if r is not None:
                role = r
                break
    return role, " > ".join(section_path)


# ---------------------------------------------------------------------------------------------
# candidates


@dataclass(slots=True)
class Candidate:
    statement: str
    section: str
    role: str
    line_start: int
    line_end: int
    source: str  # item | row | sentence | heading | chosen
    code_spans: list[str] = field(default_factory=list)
    warning: bool = False
    extra_rationale: str = ""
    walkthrough: bool = False  # a step of a numbered walk-through ("1. The service receives ...")


def _sentence_lines(text: Text, start: int, end: int) -> tuple[int, int]:
    return text.line_at(start), text.line_at(max(start, end - 1))


_ACTION_HEADER = re.compile(
    r"action|item|task|description|what|recommendation|todo|to do|follow|remediation|improvement|"
    r"lesson|change|step|fix",
    re.I,
)
_SKIP_HEADER = re.compile(
    r"owner|assignee|who|ticket|issue|jira|link|status|due|date|priority|when|time|done|state|"
    r"responsible|team|eta|#|id$|no\.?$",
    re.I,
)


def _action_cell(block: Block) -> int | None:
    header = block.header
    cells = block.cells
    if not cells:
        return None
    if header:
        for i, h in enumerate(header):
            if i < len(cells) and _ACTION_HEADER.search(h) and not _SKIP_HEADER.search(h):
                return i
        if any(re.search(r"^(?:time|date|timestamp)\b", h, re.I) for h in header):
            return None  # a timeline table
    best, best_len = None, 0
    for i, c in enumerate(cells):
        h = header[i] if i < len(header) else ""
        if h and _SKIP_HEADER.search(h):
            continue
        if len(c) > best_len:
            best, best_len = i, len(c)
    return best


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


class Extractor:
    """Walks an outline once and collects candidate statements."""

    def __init__(self, outline: Outline, *, kind: str, title: str) -> None:
        self.outline = outline
        self.kind = kind
        self.title = title
        self.candidates: list[Candidate] = []
        self.generic: list[Candidate] = []
        self.decision_fallback: list[Candidate] = []
        self.decision_found = False
        self.resolution: list[Candidate] = []  # done/resolution steps, used when nothing else is found
        self.resolution_steps: list[Candidate] = []  # imperative resolution items, the last resort
        self.design: list[Candidate] = []  # present-tense design sentences of an ADR, as rules
        titles = " ".join(h.title.lower() for h in outline.headings)
        # how-to runbooks (no Meaning/Diagnosis/Mitigation template): steps live in any section
        self.alert = kind == "runbook" and bool(alert_words(title))
        self.procedural = kind == "runbook" and not re.search(r"\bmeaning\b|\bdiagnos|\bmitigation\b", titles)

    # -- helpers
    def _resolve_alert(self, text: str) -> str:
        """In an alert runbook "This alert ..." names the runbook's alert: say which one."""
        if not self.alert:
            return text
        if not _THIS_ALERT.match(text):
            # "Resolve any alerts that may cause this alert to fire": name the alert mid-sentence too
            return _THIS_ALERT_ANY.sub(f"the {self.title.strip()} alert", text)
        return rewrite_imperative(
            _THIS_ALERT.sub(f"The {self.title.strip()} alert", text, count=1), role="mitigation"
        )

    def _next_code(self, idx: int) -> str | None:
        """A one-line command in the code block right after block ``idx``, if there is one."""
        blocks = self.outline.blocks
        for nb in blocks[idx + 1 : idx + 3]:
            if nb.type == "code":
                lines = [ln.strip() for ln in nb.text.text.strip().splitlines() if ln.strip()]
                cmds = [re.sub(r"^[$#]\s+", "", ln) for ln in lines]
                if len(cmds) > 1:
                    cmds = [c for c in cmds if not _SHELL_ASSIGN.match(c)] or cmds
                if len(cmds) == 1:
                    return cmds[0] if 0 < len(cmds[0]) <= 80 else None
                if len(cmds) <= MAX_JOINED_COMMANDS and all(_SHELL_LINE.match(c) for c in cmds):
                    return "; ".join(cmds)  # a short recipe reads as one command line
                return ""
            if nb.type not in ("html",):
                return None
        return None

    def _with_command(self, text: str, idx: int | None) -> str:
        """Resolve "run the following command:" against the code block that follows."""
        if idx is None:
            return text
        cmd = self._next_code(idx)
        if cmd is None:
            return text
        if cmd and _FOLLOWING_CMD.search(text):
            return _FOLLOWING_CMD.sub(f"`{cmd}`", text, count=1).rstrip(":").rstrip()
        if text.rstrip().endswith(":"):
            return text.rstrip().rstrip(":").rstrip() + (f": `{cmd}`" if cmd else "")
        return text

    def _add(self, cand: Candidate, *, generic: bool = False) -> None:
        (self.generic if generic else self.candidates).append(cand)

    def _sentences(
        self, block: Block, section: str, role: str, *, accept: str, idx: int | None = None
    ) -> None:
        text = block.text
        spans = split_sentences(text.text)
        cmd = self._next_code(idx) if idx is not None and text.text.rstrip().endswith(":") else None
        generic_at = next(
            (n for n, (s, e) in enumerate(spans[:-1]) if _GENERIC_STEP.search(text.text[s:e].rstrip(" ."))),
            None,
        )
        for n, (s, e) in enumerate(spans):
            raw = text.text[s:e].strip()
            if cmd and n == generic_at:
                # "Open a shell and use Linux tools to diagnose the issue. Note ...:" + commands:
                # the commands say how, so they go with the step, not with the note before them
                raw = f"{raw.rstrip('.')}: `{cmd}`"
            elif n == len(spans) - 1 and not (cmd and generic_at is not None):
                raw = self._with_command(raw, idx)
            cleaned = self._resolve_alert(clean_text(raw))
            if not cleaned:
                continue
            if role == "decision" and self.kind == "adr":
                chosen = _CHOSEN.match(cleaned)
                if chosen:
                    self._chosen(chosen, block, section, s, e)
                    continue
            stmt = rewrite_imperative(cleaned, role=role)
            ok = (
                accepts(stmt, accept)
                or (stmt != cleaned and accepts(cleaned, accept))
                or (accept != "strong" and had_directive(cleaned))
            ) and not (_ANAPHORA.match(stmt))
            ls, le = _sentence_lines(text, s, e)
            cand = Candidate(
                stmt,
                section,
                role,
                ls,
                le,
                "sentence",
                [c for c in block.code_spans if c in raw],
                warning=(block.in_quote and is_warning(raw)) or bool(_WARNING_MARK.match(raw)),
                walkthrough=block.type == "item" and block.ordered,
            )
            if ok:
                self._add(cand, generic=accept == "strong")
                if role == "decision":
                    self.decision_found = True
            elif self._design(cleaned, cand):
                pass
            elif (
                role == "decision"
                and not self.decision_fallback
                and word_count(stmt) >= MIN_WORDS
                and not _ANAPHORA.match(stmt)
            ):
                self.decision_fallback.append(cand)

    def _all_options(self, block: Block, section: str) -> None:
        """What every considered option shares ("In both scenarios, X would ...") holds whatever is chosen."""
        text = block.text
        scope = False
        for s, e in split_sentences(text.text):
            cleaned = clean_text(text.text[s:e])
            stmt, scope = all_options_statement(cleaned, in_scope=scope)
            if not stmt or word_count(stmt) < MIN_WORDS + 1 or _ANAPHORA.match(stmt):
                continue
            ls, le = _sentence_lines(text, s, e)
            self._add(Candidate(stmt, section, "decision", ls, le, "sentence", block.code_spans))

    def _design(self, sentence: str, cand: Candidate) -> bool:
        """Keep a present-tense design sentence of an ADR decision section as a rule."""
        if cand.role != "decision" or self.kind != "adr":
            return False
        stmt = passive_to_imperative(sentence, present=True) or present_to_imperative(sentence)
        if not stmt or word_count(stmt) < MIN_WORDS + 1:
            return False
        if _NOT_SELF_CONTAINED.search(stmt.rstrip(".")) or _DEICTIC.search(stmt) or _CONTRAST.search(stmt):
            # "The flow follows these steps:" or "... runs however are managed ..." (a contrast
            # with the sentence before) is no rule, and takes no design slot
            return True
        cand.statement = stmt
        cand.source = "design"
        self.design.append(cand)
        return True

    def _chosen(self, m: re.Match[str], block: Block, section: str, s: int, e: int) -> None:
        option = m.group(1).strip().strip("\"“”'")
        because = (m.group(2) or "").strip()
        title_words = _key(self.title)
        if is_imperative(self.title) and word_count(option) < 5 and _key(option) <= title_words:
            # "Chosen option: asterisk" under the title "Use asterisk as list marker"
            stmt = _capitalize(self.title.strip().rstrip("."))
        elif is_imperative(option):
            stmt = _capitalize(option)
        else:
            topic = re.match(
                r"^(?:use|adopt|choose|select|pick)\s+.+?\s+(?:for|as)\s+(.+)$", self.title, re.I
            )
            stmt = f"Use {option} for {topic.group(1)}" if topic else f"Use {option} ({self.title})"
        stmt = with_title_purpose(stmt, self.title)
        ls, le = _sentence_lines(block.text, s, e)
        extra = ""
        if because and not re.match(r"^(?:it\s+)?comes? out (?:best|bets)", because, re.I):
            extra = "Chosen because " + because.rstrip(".") + "."
        self._add(
            Candidate(stmt, section, "decision", ls, le, "chosen", block.code_spans, extra_rationale=extra)
        )
        self.decision_found = True

    def _item_statement(self, block: Block, role: str) -> str:
        """Statement for one list item: label splitting, rewriting, first sentences only."""
        text = block.text.text.strip()
        label = block.bold_label
        rest = ""
        if label and text.startswith(label):
            rest = text[len(label) :].lstrip(" :–—-")
        else:
            m = _LABEL_SPLIT.match(text)
            if m and word_count(m.group(1)) <= 8:
                label, rest = m.group(1), m.group(2)
        if label and rest and word_count(rest) >= 3 and word_count(clean_text(rest).strip(" .")) >= 3:
            # a tail that cleans down to nothing ("- see options above. Ticket #3016") is no body
            rest_stmt = _first_sentences(rewrite_imperative(clean_text(rest), role=role, item=True))
            label_stmt = rewrite_imperative(clean_text(label), role=role, item=True).rstrip(".")
            if is_imperative(rest_stmt):
                return rest_stmt
            if not is_imperative(label_stmt):
                # "**CPU alerting was missing** - ... CPU metrics must be alertable from day one."
                rule = _rule_sentence(clean_text(rest), role)
                if rule:
                    return rule
            if is_imperative(label_stmt) or word_count(label_stmt) >= 3:
                return f"{label_stmt}: {rest_stmt[:1].lower() + rest_stmt[1:]}"
            return rest_stmt
        return _first_sentences(rewrite_imperative(clean_text(text), role=role, item=True))

    def _item(self, idx: int, block: Block, section: str, role: str, accept: str) -> None:
        blocks = self.outline.blocks
        text = block.text.text
        if not text.strip() or _METRIC_ITEM.search(text):
            return
        if text.rstrip().endswith(":"):
            resolved = self._with_command(text, idx)
            if resolved == text:
                return
            text = resolved
        child_items = [c for c in block.children if blocks[c].type == "item"]
        bare_label = block.bold_label and not text.strip(" *:").replace(block.bold_label, "").strip()
        if bare_label and block.depth == 0 and block.field_label is None:
            return  # a bare field label bullet ("**Review actions**:")
        parent_gist = ""
        if block.parent is not None and blocks[block.parent].type == "item":
            parent = blocks[block.parent]
            label_only = (
                parent.bold_label and not parent.text.text.strip(" *:").replace(parent.bold_label, "").strip()
            )
            # a bare field label ("**Review actions**:") is a section name, not a gist to repeat
            parent_gist = "" if label_only else clean_text(parent.text.text)
        cleaned = clean_text(text)
        pros = _PROS_CONS.match(cleaned)
        if pros:
            rest = cleaned[pros.end() :].strip()
            if role != "consequence" or not _MODAL_RULE.search(rest) or _ANAPHORA.match(rest):
                return
            text = cleaned = _capitalize(rest)
        if role == "decision" and self.kind == "adr":
            chosen = _CHOSEN.match(cleaned)
            if chosen:
                self._chosen(chosen, block, section, 0, len(text))
                return
        if child_items and accept == "all" and self._children_need_parent(child_items):
            return  # the children carry this item's gist
        if child_items and any(_ANAPHORA.match(clean_text(blocks[c].text.text)) for c in child_items):
            return  # "These CRDs will ..." children are joined with this item's gist
        stmt = self._item_statement(block, role) if not pros else rewrite_imperative(cleaned, role=role)
        stmt = self._resolve_alert(stmt)
        if role == "action" and not is_rule_like(stmt) and not _FINITE_VERB.search(stmt):
            stmt = noun_item_to_imperative(stmt)  # "Better monitoring of OOM" -> "Improve monitoring of OOM"
        lead = block.text.text.rstrip().rstrip(":")
        if (
            text != block.text.text
            and text.startswith(lead)
            and role != "diagnosis"
            and word_count(stmt) <= COMMAND_LEAD_MAX_WORDS
        ):
            # a terse lead-in ("Delete any cached dependencies:") means little without its commands
            stmt = f"{stmt.rstrip('.:')}{text[len(lead) :]}"
        joined = False
        if (
            role == "lesson"
            and block.path
            and _LESSON_LIST.search(block.path[-1])
            and not is_rule_like(stmt)
            and word_count(stmt) <= 25
            and _GENERAL_TRUTH.match(stmt)
            and not re.search(r"\b(?:we|our|us|i|would|could|idea)\b", stmt, re.I)
        ):
            # a general truth listed as a lesson: "Several root causes can look alike."
            stmt = cleaned = "Remember that " + stmt[:1].lower() + stmt[1:]
        weak = not is_rule_like(stmt) or _ANAPHORA.match(stmt)
        if parent_gist and block.parent is not None and block.depth > 0 and not pros and weak:
            lead = join_lead(blocks[block.parent].text.text, cleaned)
            if lead:
                stmt = _first_sentences(rewrite_imperative(lead, role=role))
                cleaned = lead
                joined = True
        if word_count(stmt) < MIN_WORDS and not (word_count(stmt) == 3 and is_imperative(stmt)):
            return
        self_contained = is_rule_like(stmt)
        ok = (
            accept == "all"
            or accepts(stmt, accept)
            or accepts(clean_text(text), accept)
            or (accept != "strong" and had_directive(cleaned))
        )
        if not ok or (accept != "all" and _ANAPHORA.match(stmt)):
            if len(split_sentences(block.text.text)) > 1 and not pros:
                self._sentences(block, section, role, accept=accept, idx=idx)
            elif role == "decision" and not parent_gist:
                end = block.text.line_at(len(text) - 1) if text else block.line_start
                cand = Candidate(stmt, section, role, block.line_start, end, "item", block.code_spans)
                cand.walkthrough = block.ordered
                self._design(cleaned, cand)
            return
        if parent_gist and not self_contained and block.depth > 0 and not joined:
            gist = cut_to_limit(rewrite_imperative(parent_gist, role=role), 14).rstrip(".:")
            stmt = f"{gist}: {stmt[:1].lower() + stmt[1:]}"
        first_para_end = block.text.line_at(len(text) - 1) if text else block.line_start
        cand = Candidate(
            stmt,
            section,
            role,
            block.line_start,
            max(block.line_start, first_para_end),
            "item",
            block.code_spans,
            warning=is_warning(text) and role in ("mitigation", "prereq", ""),
        )
        self._add(cand, generic=accept == "strong")
        if role == "decision":
            self.decision_found = True
        if accept in ("rule", "decision") and not pros:
            self._later_rules(block, section, role, stmt)

    def _later_rules(self, block: Block, section: str, role: str, first: str) -> None:
        """Firm rules in an item's later sentences ("... you should amend X first") stand on their own."""
        text = block.text
        spans = split_sentences(text.text)
        for s, e in spans[1:]:
            raw = clean_text(text.text[s:e])
            tail = _YOU_SHOULD_CLAUSE.search(raw)
            stmt = _capitalize(raw[tail.end() :]) if tail else rewrite_imperative(raw, role=role)
            if (
                _ANAPHORA.match(stmt)
                or _EXAMPLE_OPENER.match(stmt)
                or word_count(stmt) < MIN_WORDS + 1
                or not (tail or is_imperative(stmt))
                or _key(stmt) <= _key(first)
            ):
                continue
            ls, le = _sentence_lines(text, s, e)
            self._add(
                Candidate(stmt, section, role, ls, le, "sentence", [c for c in block.code_spans if c in raw])
            )

    def _children_need_parent(self, child_items: list[int]) -> bool:
        blocks = self.outline.blocks
        for c in child_items:
            stmt = rewrite_imperative(clean_text(blocks[c].text.text), role="action")
            if not is_rule_like(stmt) and word_count(stmt) >= MIN_WORDS:
                return True
        return False

    def _row(self, block: Block, section: str, role: str) -> None:
        col = _action_cell(block)
        if col is None:
            return
        cell = clean_text(block.cells[col])
        if not cell:
            return
        stmt = rewrite_imperative(cell, role=role)
        cand = Candidate(stmt, section, role, block.line_start, block.line_end, "row", block.code_spans)
        self._add(cand)

    def run(self) -> list[Candidate]:
        blocks = self.outline.blocks
        kind = self.kind
        cause_list: tuple[str, ...] | None = None  # path of a "**Root causes:**" lead paragraph
        for idx, block in enumerate(blocks):
            if block.type in ("code", "html"):
                continue
            role, section = block_role(block, kind, self.title)
            if block.type != "item":
                cause_list = block.path if block.type == "paragraph" and _is_cause_lead(block) else None
            elif cause_list is not None and block.path == cause_list and kind == "postmortem":
                role = "factor"  # a root-cause list is a factor list wherever it stands, even in a timeline
            if role == "done" and kind == "postmortem" and block.type in ("item", "paragraph"):
                self._resolution(block, section)
                label = (block.field_label or "").strip().lower()
                if block.type == "item" and not (label and (label in _FIELD_ROLES or role_of(label, kind))):
                    self._completed_action(block, section)  # not a "**Resolution**:" incident field
            if role == "options" and kind == "adr" and block.type in ("item", "paragraph"):
                self._all_options(block, section)
            if role == "nongoal" and block.type == "item" and block.depth == 0:
                self._non_goal(block, section)
            if role == "goal" and block.type in ("item", "paragraph"):
                self._goal(block, section)
            if (
                role == "skip"
                and kind == "postmortem"
                and block.type == "paragraph"
                and _CAUSE_STORY.search(section)
            ):
                self._failed_safeguards(block, section)
            if role in ("skip", "options", "context", "status", "done", "summary", "nongoal", "goal"):
                continue
            if block.type == "heading":
                if role in ("mitigation", "action") and block.levels and block.levels[-1] >= 3:
                    stmt = rewrite_imperative(clean_text(block.text.text), role=role)
                    if is_imperative(stmt):
                        self._add(Candidate(stmt, section, role, block.line_start, block.line_end, "heading"))
                continue
            if block.type == "row":
                if role in ("action",):
                    self._row(block, section, role)
                elif role is None and kind == "runbook":
                    continue
                continue
            accept = self._acceptance(role, block)
            if accept is None:
                continue
            if block.type == "item":
                self._item(idx, block, section, role or "", accept)
            elif block.type == "paragraph":
                para_accept = "rule" if accept == "all" else accept
                if role == "action" and kind == "postmortem":
                    para_accept = "imperative"
                self._sentences(block, section, role or "", accept=para_accept, idx=idx)
        if kind == "adr":
            # the steps of a numbered walk-through describe a flow; stand-alone design sentences
            # say what the design is, so they get the few design slots first
            ranked = sorted(self.design, key=lambda c: c.walkthrough)
            self.candidates.extend(ranked[:MAX_DESIGN_PER_DOCUMENT])
            self.decision_found = self.decision_found or bool(self.design)
        if kind == "adr" and not self.decision_found:
            self.candidates.extend(self.decision_fallback)
        if kind == "postmortem" and not self.candidates:
            # no action or lesson section: what the responders did is the nearest thing to a lesson
            self.candidates.extend((self.resolution or self.resolution_steps)[:MAX_RESOLUTION_FALLBACK])
        return self.candidates

    def _failed_safeguards(self, block: Block, section: str) -> None:
        """In the story of how an incident happened, a safeguard that did not do its job is a rule."""
        text = block.text
        for s, e in split_sentences(text.text):
            stmt = did_not_to_lesson(clean_text(text.text[s:e]))
            if stmt and word_count(stmt) >= MIN_WORDS + 1:
                ls, le = _sentence_lines(text, s, e)
                self._add(Candidate(stmt, section, "factor", ls, le, "sentence", block.code_spans))

    def _goal(self, block: Block, section: str) -> None:
        text = block.text
        for s, e in split_sentences(text.text):
            ls, le = _sentence_lines(text, s, e)
            cand = Candidate("", section, "decision", ls, le, "design", block.code_spans)
            self._design(clean_text(text.text[s:e]), cand)

    def _non_goal(self, block: Block, section: str) -> None:
        """An imperative non-goal of a design ("Provide user-facing CRDs") is a scope rule: do not do it."""
        text = block.text.text
        spans = split_sentences(text)
        if not spans:
            return
        first = clean_text(text[spans[0][0] : spans[0][1]])
        if not is_imperative(first) or first_word(first) in ("do", "don't", "never", "avoid", "be", "have"):
            return
        if word_count(first) < MIN_WORDS - 1:
            return
        stmt = "Do not " + first[:1].lower() + first[1:]
        ls, le = _sentence_lines(block.text, *spans[0])
        self._add(Candidate(stmt, section, "decision", ls, le, "item", block.code_spans))

    def _completed_action(self, block: Block, section: str) -> None:
        """A completed fix that says what it guards against ("Retry limits: Implemented X to prevent Y")."""
        text = block.text.text
        if not text.strip() or text.rstrip().endswith(":") or _METRIC_ITEM.search(text):
            return
        labelled = bool(block.bold_label) or bool(_LABEL_SPLIT.match(clean_text(text)))
        if not (labelled or _PURPOSE.search(text)):
            return
        stmt = self._item_statement(block, "action")
        if (
            not is_imperative(stmt)
            or word_count(stmt) < MIN_WORDS + 2
            or _TRIVIAL_STEP.match(stmt)
            or _ANAPHORA.match(stmt)
        ):
            return
        end = block.text.line_at(len(text) - 1)
        self._add(Candidate(stmt, section, "action", block.line_start, max(block.line_start, end), "item"))

    def _resolution(self, block: Block, section: str) -> None:
        """Resolution steps in the past tense ("Team fixed the owner field") as imperatives."""
        text = block.text
        for s, e in split_sentences(text.text):
            raw = clean_text(text.text[s:e])
            stmt = past_to_imperative(raw)
            target = self.resolution
            if not stmt and block.field_label and is_imperative(raw) and not _TRIVIAL_STEP.match(raw):
                # "Resolution: - Migrate all ingresses back to the default controller"
                stmt, target = raw, self.resolution_steps
            if not stmt or word_count(stmt) < MIN_WORDS + 2 or _ANAPHORA.match(stmt):
                continue
            ls, le = _sentence_lines(text, s, e)
            target.append(Candidate(stmt, section, "resolution", ls, le, "sentence", block.code_spans))

    def _acceptance(self, role: str | None, block: Block) -> str | None:
        """How permissive to be: all | rule | imperative | strong (generic modal) | None."""
        kind = self.kind
        if role == "action":
            return "all" if block.type == "item" else "rule"
        if role in ("lesson", "factor", "consequence", "prereq", "driver"):
            return "rule"
        if role == "diagnosis":
            return "imperative"
        if role == "decision":
            return "decision" if kind == "adr" else "imperative"
        if role == "mitigation":
            return "imperative" if kind == "runbook" else "rule"
        if kind == "runbook" and role is None and self.procedural:
            return "imperative" if block.type == "item" else "rule"
        # neutral sections: generic modal sentences
        return "strong"


# ---------------------------------------------------------------------------------------------
# post-processing


# a lead-in whose list was not joined: "Move to X by:" keeps "Move to X", "Use X for the" is dropped
_DANGLING_CONNECTOR = re.compile(r"\s+(?:by|which|via|using|through|including|as follows)\s*$", re.I)
_DANGLING_END = re.compile(r"\s(?:the|a|an|of|for|with|and|or|from|into|such as|e\.g|like|than)\s*$", re.I)
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
    for c in expanded:
        stmt = _TRAILING_EG.sub("", c.statement.strip().rstrip(".")).strip()
        if _FIRST_PERSON.search(stmt) or _TRIVIAL_STEP.match(stmt):
            continue
        if not stmt or _PROS_CONS.match(stmt) or _TIMELINE.match(stmt):
            continue
        if _GENERIC_STEP.search(stmt):
            continue
        if stmt.endswith("?") or _CODE_SIGNATURE.search(stmt) or _EXAMPLE_OPENER.match(stmt):
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
        if _DANGLING_END.search(stmt):
            continue
        stmt = cut_to_limit(stmt)
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
    return out


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


def extract_candidates(outline: Outline, *, kind: str, title: str) -> list[Candidate]:
    ex = Extractor(outline, kind=kind, title=title)
    cands = ex.run()
    if kind == "runbook":
        cands = merge_checks(cands)
    out = finalize(cands, ex.generic, kind)
    if kind == "postmortem" and not out:
        # a narrative postmortem (a disclosure, a blog post): its advice and remedy sentences
        out = finalize(narrative_candidates(outline, title=title), [], kind)
    return with_alert_context(out, title) if kind == "runbook" else out
