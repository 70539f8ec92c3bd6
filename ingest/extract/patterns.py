"""Patterns and limits of the extractor: the compiled regular expressions it matches statements with."""

from __future__ import annotations

import re

from ingest.vocabulary import SECTION_ROLES

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


# a Markdown backslash escape: "cannot 1\\) X" reads "cannot 1) X"
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+.!|-])")
_MD_LINK_TEXT = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_URL = re.compile(r"\(?<?https?://[^\s)>]+>?\)?")
# JIRA keys, Phabricator tasks "T381210", "#123", GitLab "group/project#123", merge requests "!4411"
_TICKET_ID = (
    r"(?:[A-Z][A-Z0-9]{1,11}-\d+|T\d{4,}|(?:[\w.-]+/)*[\w.-]*#\d{2,}|(?<![\w!])!\d{2,})(?![\w-]|\.\d)"
)
_TICKET = re.compile(
    rf"[\[(]\s*{_TICKET_ID}(?:\s*,\s*{_TICKET_ID})*\s*[\])]|^\s*{_TICKET_ID}\b\s*:?|\s{_TICKET_ID}\s*$"
)
_PR_SUFFIX = re.compile(r"\s*(?:[-–—:(.]\s*|\[)(?:PR|pr|issue|ticket|Ticket|link|Link)\]?\)?\.?\s*$")
_DONE_SUFFIX = re.compile(
    r"\s*[-–—(,;.]\s*(?:this|which|it|that)\s+(?:has|was|is|have)\s+(?:already\s+)?(?:been\s+)?"
    r"(?:done|completed|fixed|implemented|resolved|addressed)\)?\.?\s*$",
    re.I,
)
# a pointer to the reasons listed after a decision: "Use X as our runner due to the following:"
# (the reasons are items of their own; the choice reads complete without the pointer)
_REASONS_POINTER = re.compile(
    r"\s*,?\s+(?:due to|because of|based on|for)\s+the following(?:\s+(?:reasons?|points|factors|"
    r"considerations|benefits))?\s*:?\s*$",
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
# an additive connector that only links the sentence to the one before: "Finally, X will stay
# enabled" reads "X will stay enabled" ("However", "So", "Then" change or order the meaning: kept)
_ADDITIVE_LEAD = re.compile(
    r"^(?:finally|lastly|additionally|in addition|furthermore|moreover|secondly|thirdly|besides|"
    r"also|as well),\s+(?=\w)",
    re.IGNORECASE,
)
# tracking fields after an item's sentence: "Run a game day every quarter. Priority: P2. Owner: SRE."
_TRACKING_SUFFIX = re.compile(
    r"(?<=[.!?])(?:\s+(?:priority|owners?|assignee|status|due(?:\s+date)?|eta|severity|ticket|bug|"
    r"tracking|target(?:\s+date)?)\s*:\s*[^.:;]{1,40}\.?)+\s*$",
    re.IGNORECASE,
)
_AT_SUFFIX = re.compile(r"\s*\(?\s*@[\w-]+(?:\s*(?:,|and|&)\s*@[\w-]+)*\s*\)?\s*$")
_CHECKBOX = re.compile(r"^\s*\[[ xX✓]\]\s*")
_LEADING_JUNK = re.compile(r"^[^\w\"'“(`$./~-]+")
_LABEL_PREFIX = re.compile(
    r"^(?:recommendation|action|action item|todo|to do|lesson|lesson learned|takeaway|rule|note|"
    r"important|warning|caution|tip|fix|the fix|mitigation|follow[- ]up|better approach|solution|"
    r"key takeaway)(?:\s*\([^()]{1,40}\))?\s*[:\-–—]\s+",  # "TODO (Billing):": an owner in brackets
    re.IGNORECASE,
)
_STATUS_SUFFIX = re.compile(
    r"\s*[\[(](?:done|completed?|in progress|wip|todo|open|closed|tbd|"
    r"(?:done|fixed|merged|shipped|completed?) (?:in|by|with) [^\])]{1,30})[\])]\s*\.?\s*$",
    re.I,
)
_EMPTY_PARENS = re.compile(r"\(\s*[,;]?\s*\)|\[\s*\]")
_SPACES = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"\s+([,.;:!?])(?![\w/~.])")  # not a path: ".circleci", "./run"
_GITHUB_ADMONITION = re.compile(r"^\[!(?:note|tip|important|warning|caution)\]\s*", re.IGNORECASE)

_NEG_WE = re.compile(
    r"^(?:we|you|teams?|engineers|developers|users|one)\s+(?:will not|won't|shall not|should not|"
    r"shouldn't|must not|mustn't|do not|don't|are not going to|"
    r"(?:(?:have|'ve|had)\s+)?(?:decided|agreed|chosen|chose|opted)\s+not\s+to)\s+"
    r"(?!have\b|know\b|see\b|yet\b|currently\b|believe\b|think\b|expect\b|need\b|want\b)",
    re.IGNORECASE,
)
# a forward-looking lead that only says "this is a lesson": "Going forward, X" / "To prevent this
# from happening again, X" / "In hindsight, X" -> X (then rewritten on its own)
_FORWARD_LEAD = re.compile(
    r"^(?:going forward|moving forward|from now on|from here on|in (?:the )?future|henceforth|"
    r"in hindsight|in retrospect|looking ahead|"
    r"as a (?:result|consequence) of (?:this|the) (?:incident|outage)|"
    r"to (?:prevent|avoid) (?:this|that|it|a recurrence|recurrences?|(?:a )?repeats?|"
    r"similar (?:incidents|issues|problems|outages|failures))"
    r"(?:\s+(?:from\s+)?(?:happening|occurring|recurring)(?:\s+again)?|\s+in (?:the )?future)?),?\s+(?=\w)",
    re.IGNORECASE,
)
# "We are also adding an alert on X" -> "Add an alert on X": work in progress told as a plan
_WE_DOING = re.compile(
    r"^(?:we|the team)\s+(?:are|have been)\s+(?:also\s+|now\s+|currently\s+|actively\s+|already\s+)*"
    r"(?:in the process of\s+)?(?!investigating|monitoring|seeing|experiencing|looking|aware|working|"
    r"continuing|trying|planning|intending|hoping|aiming|going)(\w+ing)\s+(?=\w)",
    re.IGNORECASE,
)
# a commitment told in the first person anywhere in a postmortem's story: "We will document the
# purge procedure", "We are going to run two replicas"; news about the report itself ("We will
# update this post", "We will continue to monitor") is no commitment
_WE_COMMIT = re.compile(
    r"^(?:so\s+|also\s+|and\s+)?(?:we|the team|our team)(?:'ll|\s+(?:will|are going to|plan to|intend to|"
    r"are planning to|have committed to|commit to))\s+(?:also\s+|now\s+|further\s+)*"
    r"(?!(?:be|continue|keep|update|post|share|provide|let|reach|follow|notify|contact|publish|monitor|"
    r"investigate|look|try|work|do|see|need|have|get)\b)(?=\w)",
    re.IGNORECASE,
)
# a lead that only orders commitments told as prose: "Secondly, we'll add X", "As a more long term
# solution (Q2 2024), we'll move X" (stripped before _WE_COMMIT; a runbook's is _SEQUENCE_LEAD)
_COMMIT_LEAD = re.compile(
    r"^(?:(?:to (?:start|begin) with|first(?:ly)?|first of all|second(?:ly)?|third(?:ly)?|next|finally|"
    r"lastly|further(?:more)?|additionally|in addition|"
    r"as an? (?:(?:more|first|next|second|final|further|additional)\s+)?"
    r"(?:(?:long|short|medium|longer|shorter|near)[- ]term\s+)?"
    r"(?:solution|fix|measure|remedy|step|mitigation|follow[- ]up|improvement|safeguard)"
    r"(?:\s*\([^)]{1,40}\))?|"
    r"in the (?:long|short|medium|longer|near)[- ]term|(?:longer|long|short)[- ]term|but|however),?\s+)+"
    r"(?=\w)",
    re.IGNORECASE,
)
# a commitment in the second clause of a sentence: "We don't know why X, but we will review Y" -> the
# clause after the comma is read as a sentence of its own (then _WE_COMMIT decides)
_COMMIT_CLAUSE = re.compile(
    r"[,;]\s+(?:but|and|so|and so)\s+(?=(?:we|the team)(?:'ll|\s+will|\s+are going to)\s)", re.IGNORECASE
)
# work the team says it is weighing: "The PSF is exploring the transfer of look-alike domains" ->
# "Explore the transfer of look-alike domains" (an open follow-up told as news)
_EXPLORING = re.compile(
    r"^(?:we|the team|our team|the [A-Z][\w-]+(?:\s+team)?)\s+(?:is|are)\s+"
    r"(?:currently\s+|also\s+|actively\s+|now\s+)*"
    r"(?P<verb>exploring|evaluating|considering|assessing)\s+(?=\w)",
    re.IGNORECASE,
)
# a lesson told in the first person in any section of a postmortem: "We should declare incidents as
# soon as we confirm an issue" -> "Declare incidents as soon as ..." (not a hindsight: _SHOULD_HAVE)
_WE_SHOULD = re.compile(
    r"^(?:(?:so|and|but|also|however|instead|in (?:the )?future|next time),?\s+)*(?:we|the team|our team)\s+"
    r"(?:really\s+|also\s+|always\s+)?(?:should|must|need to|ought to)\s+"
    r"(?!(?:have|be able|see|expect|know|get|probably|now|hopefully|also have|not have)\b)(?=\w)",
    re.IGNORECASE,
)
# a future statement about a thing, not a person: "Schema migrations that rewrite a table will run
# only in the maintenance window" commits the team as a rule ("... must run only ...")
_FUTURE_SUBJECT = re.compile(
    r"^(?P<subj>(?!(?:it|this|that|these|those|they|there|we|you|i|he|she|which|who|what|here|"
    r"some|many|most|one|each of|all of)\b)[A-Z][^,;:()]{2,80}?)\s+will\s+(?!not\b|also be able\b|be able\b)"
    r"(?P<rest>\w.*)$",
    re.DOTALL,
)
# what a future sentence about a thing says when it is news, not a change: "Finally, the report will
# be published next week", "the review will follow"
_FUTURE_NEWS = re.compile(
    r"^(?:be\s+(?:updated|posted|published|shared|provided|available|announced|sent)|follow|continue|"
    r"take\s+place|happen|come|arrive|appear)\b",
    re.IGNORECASE,
)
# a remedy told as done in the present perfect: "We have also added a check that X" -> "Add a check that X"
_WE_HAVE_ADDED = re.compile(
    r"^(?:we|the team)(?:'ve| have)\s+(?:also\s+|now\s+|since\s+|already\s+)*(?P<verb>\w+ed)\s+(?=\w)",
    re.IGNORECASE,
)
# "The fix was to restore the cache rule" -> "Restore the cache rule"; "The recommended fix, which
# was attempted, was to X" -> "X"
_FIX_WAS = re.compile(
    r"^(?:the|our)\s+(?:(?:immediate|short-term|long-term|permanent|real|actual|final|proper|quick|"
    r"recommended|suggested|proposed|simplest|easiest|best|only)\s+)?"
    r"(?:fix|solution|remedy|workaround|mitigation|resolution)(?:,\s[^,;]{3,60},)?\s+"
    r"(?:was|is|will be|has been)\s+to\s+(?=\w)",
    re.IGNORECASE,
)
# a wish for how things should be: "Ideally, all wallets would conform to one spec" -> "All wallets
# should conform to one spec"; "Ideally we would X" -> "X"
_IDEALLY = re.compile(
    r"^(?:ideally|in an ideal world|in the ideal case),?\s+"
    r"(?P<subj>(?!(?:it|this|that|these|those|there|they)\b)[^,;:()]{2,80}?)\s+would\s+"
    r"(?!have\b|be able\b|not\b|like\b|need\b)(?=\w)",
    re.IGNORECASE,
)
# a hindsight lesson told impersonally: "It would have been better to stage the rollout" -> "Stage
# the rollout"
_BETTER_TO = re.compile(
    r"^(?:in (?:hindsight|retrospect),?\s+)?it\s+(?:would|might)\s+(?:have\s+been|be)\s+"
    r"(?:much\s+|far\s+)?(?:better|wiser|safer|preferable|prudent)\s+to\s+(?=\w)",
    re.IGNORECASE,
)
# a workaround offered to the reader: "A workaround is available by downloading X and installing Y"
# -> "As a workaround, download X and install Y"
_WORKAROUND = re.compile(
    r"^(?:a|one|another)\s+(?:possible\s+|temporary\s+|simple\s+|known\s+)?workaround\s+"
    r"(?:is|exists)\s+(?:available\s+|possible\s+)?(?:by\s+(?P<g>[a-z]+ing)\s+|to\s+)(?=\w)",
    re.IGNORECASE,
)
# a fix told by what it took: "Issue was resolved by downgrading 5 plugins to X" -> "Downgrade 5
# plugins to X"
_RESOLVED_BY = re.compile(
    r"^(?:the\s+|this\s+)?(?:issue|incident|outage|problem|bug|failure|error)\s+(?:was|has been|got|is)\s+"
    r"(?:finally\s+|eventually\s+|quickly\s+)?(?:resolved|fixed|mitigated|solved|remediated)\s+by\s+"
    r"(?P<g>[a-z]+ing)\s+(?=\w)",
    re.IGNORECASE,
)
# "We should have noticed X": a hindsight with no known verb to turn into a step keeps its subject
# ("Have noticed X" says nothing); "You must have tested X" is a prerequisite, not a hindsight
_HINDSIGHT_REST = re.compile(
    r"^(?:we|you|i|the team)\s+(?:should|could|would|ought to)\s+have\s+(?:been\s+)?"
    r"\w+(?:ed|en|wn|ught|ne|t)\b",
    re.IGNORECASE,
)
# a hindsight lesson: "We should have tested the restore" -> "Test the restore"
_SHOULD_HAVE = re.compile(
    r"^(?:we|the team|you|i)\s+(?:should|could|would)\s+(?:have|'ve)\s+(?:also\s+)?(\w+)\s+(?=\w)",
    re.IGNORECASE,
)
# a decision or realisation told in the story of an incident: "In order to X, the decision was made
# to Y" -> "Y, to X"; "We realised that the hub should Y" -> "The hub should Y" (after a time stamp)
_DELIBERATION = r"(?:after|following|based on|having|given|upon)\b[^,;]{3,160}?,?"
_DECIDED_LEAD = re.compile(
    # a timeline's time stamp, then the purpose, then the lead
    r"^(?:(?:\d{4}-\d{2}-\d{2}\s*|\d{1,2}[:.]\d{2}\s*(?:[ap]m\b|utc\b)?\s*)+[-–—:,]?\s*)?"
    r"(?:(?:in order to|to)\s+(?P<why>[^,;]{3,80}),\s+)?"
    # the deliberation before a decision ("After some consideration of the options, the decision
    # has been made to X"): how it was reached, not what was decided
    rf"(?:{_DELIBERATION}\s+)?(?:(?:eventually|finally|ultimately|in the end|therefore),?\s+)?"
    r"(?:(?:the|a)\s+decision\s+(?:was|has\s+been|is)\s+(?:made|taken)\s+to|"
    r"it\s+(?:was|is|has\s+been)\s+decided\s+(?:that|to)|"
    r"(?:we|the team)\s+(?:have\s+|'ve\s+|then\s+|later\s+|eventually\s+|also\s+)?"
    r"(?:decided|agreed)\s+(?:that|to)|"
    r"(?:we|the team)\s+(?:then\s+|later\s+|eventually\s+|also\s+|soon\s+|quickly\s+)?"
    r"(?:realised|realized|learned|learnt|concluded|understood)\s+that)\s+(?=\w)",
    re.IGNORECASE,
)
# what makes a decision in a timeline a rule rather than the next step taken
_DECIDED_RULE = re.compile(
    r"\b(?:should|must|shall|needs? to|have to|has to|never|always|rather than|instead of|before|until)\b",
    re.I,
)
# a list item that only states a condition for its sub-steps: "If the thing takes longer than you thought:"
_CONDITION_PARENT = re.compile(
    r"^((?:if|when|whenever|once|in case|should)\b[^.:;]{3,100}?)\s*:$",
    re.IGNORECASE,
)
# a remedy told in the past passive: "The tokens were revoked and rotated" -> "Revoke and rotate
# the tokens"; only remedy verbs ("The database was overloaded" is a state, not a step)
_PAST_PASSIVE = re.compile(
    r"^(?:(?:within|after|in)\s+[\w\s]{0,20}?(?:minutes?|hours?|days?|weeks?),?\s+)?"
    r"(?P<subj>[^,;:()]{3,80}?)\s+(?:was|were|has been|have been|had been)\s+"
    r"(?:also\s+|then\s+|immediately\s+|"
    r"quickly\s+|subsequently\s+|promptly\s+|since\s+)*(?P<pp>asked|updated|revoked|rotated|replaced|"
    r"disabled|enabled|patched|upgraded|restarted|added|removed|restored|reverted|migrated|increased|"
    r"reduced|reconfigured|configured|changed|deployed|redeployed|released|blocked|reset|moved|notified|"
    r"purged|deleted|sanitised|sanitized|locked|audited|fixed|introduced|implemented|limited|scaled|"
    r"pinned|raised|lowered|cleared|rebuilt|invalidated|hardened|tightened|banned|suspended)\b"
    r"(?P<rest>.*)$",
    re.I | re.DOTALL,
)
# an incident field read as a sentence ("Detected by: a merchant's account manager"): no lesson
_FIELD_STATEMENT = re.compile(r"^(?:\w+\s+){0,2}\w+:\s")
# a missing safeguard told as a finding: "There was no alert on thread pool saturation" -> "Add an
# alert on thread pool saturation"; "Nobody on call knew how to X" -> "Document how to X"
_SAFEGUARD_NOUN = (
    r"(?:alert|monitor|test|check|runbook|playbook|documentation|docs?\b|dashboard|"
    r"backup|limit|validation|owner|process|procedure|canary|review|rollback|metric|logging|paging|"
    r"escalation|automation|safeguard|guardrail|protection|redundancy|failover|lock|quota|timeout|retr|"
    r"health|visibility|notification|warning|plan\b|channel|management)"
)
_NO_SAFEGUARD = re.compile(
    r"^(?:(?:there\s+(?:was|were|is|are)|we\s+(?:had|have)|the\s+team\s+had)\s+no|"
    r"(?:we|the\s+team)\s+(?:did\s+not|didn't|do\s+not|don't)\s+have\s+(?:an?|any))\s+"
    rf"(?P<x>(?:[\w-]+\s+){{0,2}}?{_SAFEGUARD_NOUN}[^,;]{{0,110}}?)\.?$",
    re.I,
)
# a finding written as a noun phrase that names a weak or missing safeguard: "Insufficient monitoring
# of the KIAM server" -> "Improve monitoring of the KIAM server", "No runbook for X" -> "Add a runbook
# for X". Safeguard nouns only: "No impact on customers" or "Poor weather" name no safeguard.
_DEFICIENT_SAFEGUARD = re.compile(
    r"^(?:(?P<weak>insufficient|inadequate|poor|limited|weak|incomplete|unclear)|"
    r"(?P<none>no|missing|(?:a\s+)?lack\s+of|absence\s+of))\s+"
    rf"(?P<x>(?:[\w-]+\s+){{0,2}}?{_SAFEGUARD_NOUN}[^,;.]{{0,110}}?)\.?$",
    re.I,
)
# a thing that went without its safeguard: "The drain script had no safety limit" / "The pipeline
# lacked a canary stage" -> "Give the drain script a safety limit"
_THING_LACKED = re.compile(
    r"^(?P<subj>(?:the|our|this)\s+(?!(?:team|on-?call|engineers?|responders?)\b)[\w-]+(?:\s+[\w-]+){0,3}?)\s+"
    r"(?:(?:had|has|have)\s+no|lacked|lacks|was missing|is missing)\s+(?:an?\s+|any\s+)?"
    rf"(?=(?:[\w-]+\s+){{0,2}}?{_SAFEGUARD_NOUN})",
    re.I,
)
# a practice the team lacked, told in a lessons or factors list: "We were not using AWS Inspector to
# scan EC2" -> "Use AWS Inspector to scan EC2"
_WE_NOT_DOING = re.compile(
    r"^(?:we|the\s+team)\s+(?:were|was|are|is)\s+not\s+(?:yet\s+|currently\s+|regularly\s+)?(?P<g>[a-z]+ing)\s+(?=\w)",
    re.I,
)
_NOBODY_KNEW = re.compile(
    r"^(?:nobody|no one|no-one)\b[^,;]{0,40}?\s+knew\s+how\s+to\s+(?P<x>[^;]{3,120}?)\.?$", re.I
)
# a rejected option stated in a decision: "The option X is not viable as Y" -> "Do not X, because Y"
_REJECTED_OPTION = re.compile(
    r"^(?:the\s+)?(?:(?:option|alternative|approach)\s+(?:of\s+|to\s+)?)(?P<x>[^.;]{3,120}?)\s+"
    r"(?:is|was|are|were)\s+(?:not\s+(?:viable|feasible|an option|suitable|acceptable|a good fit)|"
    r"rejected|ruled out|discarded|dismissed)\b,?\s*(?:(?:as|because|since|due to)\s+(?P<why>.+?))?\.?$",
    re.I,
)
# a first-person failure told in a postmortem: "However, we did not communicate the status to our
# users" -> "Communicate the status to the users"
_WE_FAILED = re.compile(
    r"^(?:however,?\s+|unfortunately,?\s+|but\s+|in (?:hindsight|retrospect),?\s+)?(?:we|the team)\s+"
    r"(?:did not|didn't|failed to|neglected to|forgot to)\s+(?:\w+ly\s+)?(?=\w)",
    re.I,
)
# what a remedy is for: "... so non-administrators cannot push to master", "... to prevent X"
_REMEDY_PURPOSE = re.compile(
    r"\bso(?: that)?\s+(?!much|many|far|long)\w+|\bin order to\b|"
    r"\bto (?:prevent|avoid|ensure|stop|make sure|protect)\b",
    re.I,
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
# a numbered phase or step of a clean-up plan ("Phase 2 Rotate all AWS keys"): work listed, not a repair told
_PHASE_LEAD = re.compile(r"^(?:phase|step|stage)\s+\d+\b", re.I)
# a finding told as a past step, once rewritten ("Identify that the disk space was reduced"):
# the finding follows
_FOUND_THAT = re.compile(
    r"^(?:identify|find|discover|notice|confirm|realise|realize|determine|see|verify)\s+that\s+", re.I
)
# an impact told as a condition ("If the signer certificate expires, ...", "In case the DB size exceeds
# the quota, ...") and the consequence it names (will, cannot, no longer, ...)
# ("When this happens, ..." points back at a sentence before it: not a condition that stands alone)
_IMPACT_CONDITION = re.compile(
    r"^(?:if|when|whenever|once|in case|in the event (?:of|that))\b(?!\s+(?:this|that|it|so)\b)", re.I
)
_IMPACT_CONSEQUENCE = re.compile(
    r"\b(?:will|would|can(?:not|'t)?|could|may|might|no longer|unable|prevents?|stops?|fails?)\b", re.I
)
# a resolution sentence that says why (a purpose, a cause, what it resolved), unlike a log entry
# ("Reverted the change and released version 1.2.1")
_TOLD_WHY = re.compile(
    r"\b(?:to (?:avoid|allow|let|prevent|mitigate|ensure|restore|stop|keep|accommodate|fix|resolve|reduce)|"
    r"so (?:that|it|they|the)|in order to|due to|because|since|caused?|hence|as a result|"
    r"(?:resolved|fixed) the (?:issue|incident|problem|outage)|(?:was|were) not enough)\b",
    re.I,
)
_TRAILING_EG = re.compile(r",?\s*(?:e\.g\.?|for example|i\.e\.?)\s*$", re.I)
_FIRST_PERSON = re.compile(
    r"^(?:we|we've|we're|we'd|our|i|i'm|i've|us)\b|\bwe (?:feel|hope|believe|think)\b", re.I
)
_FOLLOWING_CMD = re.compile(r"\bthe following (?:command|commands|snippet)\b", re.I)
_WE_VERB = re.compile(r"^(?:we|you)\s+(?:now\s+|also\s+)?(\w+)\s+", re.IGNORECASE)
_WE_CHOSE = re.compile(
    rf"^(?:{_DELIBERATION}\s+)?"
    r"we(?:'ve| have)?\s+(?:chose|chosen|went with|opted for|selected|picked|settled on)\s+",
    re.IGNORECASE,
)
# a named product given a role: "GitHub will be the Identity Provider, meaning ..."
_WILL_BE_THE = re.compile(
    r"^([A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,3})\s+will\s+be\s+(?:the|our)\s+([\w-]+(?:\s+[\w-]+){0,3}?)"
    r"((?:,\s.*)?)\.?$"
)
_WE_HAVE_DONE = re.compile(
    r"^we(?:'ve| have)\s+(?:\w+ly\s+|since\s+|now\s+|also\s+|already\s+)?(\w+ed)\s", re.I
)
# A done remediation's framing: "As part of (the) remediation, we have ..." and a trailing "(Done)".
_AS_PART_OF = re.compile(r"^as part of (?:the |our )?[\w -]{3,40},\s+(?=we(?:'ve| have)\s)", re.I)
_DONE_MARK = re.compile(r"\s*\((?:done|completed?)\)\s*\.?\s*$", re.I)
_IF_WE_CAN = re.compile(
    r"^((?:if|when|whenever|in case|once|after|as soon as)\s(?:[^,()]|\([^()]*\)){8,200}?),\s+(?:we|you)\s+"
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
    r"recommended|advisable|best practice|good practice|vital|necessary|wise|a good idea|"
    r"(?:a|the)\s+(?:recommended|best|good|standard|common)\s+practice)\s+"
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
# a verb that is also a noun opening a statement about a state: "Log rotation was disabled after X",
# "Test coverage was low" are no orders; verbs that take a clause ("Check the backups were taken")
# stay instructions
_NOUN_SUBJECT = re.compile(
    r"^(?!(?:check|ensure|verify|confirm|make|see|note|remember|assume|expect|validate|prove|show|"
    r"document|record|report|tell|say|ask|announce|mention|state|explain)\b)"
    r"[a-z]+\s+[\w-]+\s+(?:was|were|had been|has been|have been)\s+(?!to\b)",
    re.IGNORECASE,
)
# an instruction whose verb the closed list does not know: "Diversify our channels of communication",
# "Step back and find the root cause". A word that is no function word and has no noun, adjective,
# adverb or inflected ending, followed at once by a determiner or a particle, is a verb in the base
# form: nouns and adjectives seldom stand right before "the" / "our".
_UNKNOWN_VERB_LEAD = re.compile(
    r"^(?!(?i:about|above|across|after|again|against|ahead|all|almost|along|already|also|although|amid|"
    r"among|an|and|another|any|are|around|as|at|away|back|be|because|been|before|behind|below|beside|"
    r"besides|between|beyond|both|but|by|can|could|despite|did|does|down|due|during|each|either|else|"
    r"even|ever|every|except|few|first|for|from|given|had|half|has|have|he|her|here|him|his|how|if|in|"
    r"indeed|inside|instead|into|is|it|its|just|last|less|like|many|may|maybe|might|more|most|much|"
    r"must|near|neither|next|no|nor|not|now|of|off|often|on|once|one|only|onto|or|other|our|out|"
    r"outside|over|past|per|perhaps|plus|quite|rather|same|second|several|shall|she|should|since|so|"
    r"some|soon|state|still|such|than|that|the|their|them|then|there|these|they|this|those|though|through|"
    r"throughout|thus|till|to|today|tomorrow|tonight|too|toward|towards|under|unlike|unless|until|up|"
    r"upon|very|via|was|we|were|what|whatever|when|whenever|where|whereas|whether|which|while|who|"
    r"whom|whose|why|will|with|within|without|would|yes|yet|you|your)\b)"
    r"[A-Za-z][a-z]{2,}"
    r"(?<!ing)(?<!ed)(?<!ly)(?<!s)(?<!tion)(?<!sion)(?<!ment)(?<!ness)(?<!ity)(?<!ance)(?<!ence)(?<!ism)"
    r"(?<!ship)(?<!er)(?<!or)(?<!ist)(?<!al)(?<!ic)(?<!ful)(?<!ous)(?<!ive)(?<!ble)(?<!day)(?<!age)"
    r"\s+(?:the|an?|our|your|their|its|all|any|each|every|this|these|those|back|out|away|ahead)\s"
)
# an instruction that opens on when or how urgently to act: "Immediately patch X", "Privately
# notify Y". A closed list: manner adverbs ("Iteratively select", "Explicitly define") open the
# steps of a described flow or a clause that lost its subject as often as an instruction.
_ADVERB_LEAD = re.compile(
    r"^(?:immediately|promptly|quickly|urgently|proactively|privately|publicly|regularly|"
    r"periodically|routinely|temporarily|carefully|also),?\s+(?=[a-z])",
    re.IGNORECASE,
)
# a note that opens on what "this" is, then states the rule with its own subject: "This is a
# temporary solution and access should be disabled once X" -> "Access should be disabled once X"
_ANAPHORIC_NOTE = re.compile(
    r"^(?:this|that|it)\s+(?:is|was)\s+(?:only\s+)?(?:an?|the)\s+[^,;]{2,60}?,?\s+(?:and|but|so)\s+"
    r"(?P<rule>(?!(?:this|that|it|they|we|you|there)\b)[a-z][\w'-]*(?:\s+[\w'-]+){0,5}?\s+"
    r"(?:should|must|needs? to|has to|have to|shall)\s+.+)$",
    re.IGNORECASE,
)
# a consequence that binds for good: "Regardless of plugin, the parameters will always be the same"
# -> "... must always be the same" (a subject that is a pronoun depends on the text before)
_WILL_ALWAYS = re.compile(
    r"^(?P<subj>(?:[^,;]{3,80},\s+)?(?!(?:this|that|it|they|we|you|there)\b)[a-z][^,;]{2,80}?)\s+"
    r"will\s+(?P<adv>always|never|no longer)\s+(?=\w)",
    re.IGNORECASE,
)
# a step that says it comes first: "First of all, you need to check the log" -> "Check the log first"
_SEQUENCE_LEAD = re.compile(
    r"^(?:first of all|first(?:ly)?|to (?:begin|start) with|as a first step),\s+(?=\w)", re.IGNORECASE
)
# a softened step: "Try to check the log" -> "Check the log" ("Try using X" stays: it names a tool)
_TRY_TO = re.compile(r"^(?:please\s+)?try\s+to\s+(?=[a-z])", re.IGNORECASE)
# a recommendation whose subject is the work: "Given X, deleting the legacy code and using the new
# game is recommended" -> "Delete the legacy code and use the new game, given X"
_GERUND_RECOMMENDED = re.compile(
    r"^(?:(?P<lead>given|since|because|as)\s+(?P<why>[^,;]{3,160}),\s+)?"
    r"(?P<x>[a-z]+ing\b[^;]{3,240}?)\s+(?:is|are)\s+(?:(?:strongly|highly|therefore|also|thus)\s+)?"
    r"(?:recommended|advised|advisable|encouraged|preferred|"
    r"the (?:recommended|preferred) (?:approach|option|path))"
    r"\s*\.?$",
    re.IGNORECASE,
)
# advice addressed to a group in a notice: "It's strongly recommended to anyone who downloaded X to
# check Y" / "Anyone who downloaded X should check Y" -> "If you downloaded X, check Y"
_ADVICE_TO = re.compile(
    r"^(?:it is|it's|it was)\s+(?:\w+ly\s+)?(?:recommended|advised|advisable|encouraged|suggested)\s+"
    r"(?:to|for|that)\s+(?P<who>[^,;]{2,160}?),?\s+(?:to|should|must)\s+(?=\w)|"
    r"^(?P<who2>(?:anyone|everyone|all users|users|those|people|operators|node operators)\s+who\s+"
    r"[^,;]{3,160}?),?\s+"
    r"(?:should|must|needs? to|are (?:strongly )?advised to|is (?:strongly )?advised to)\s+(?=\w)",
    re.IGNORECASE,
)
# advice to a named group: "Node operators are strongly urged to rotate their keys" / "We advise all
# users to change their passwords" / "It would be prudent for exchanges to X" -> "Node operators
# should rotate their keys" (the group stays the
# subject: "Change their passwords" alone has lost whose passwords)
_GROUP_ADVISED = re.compile(
    r"^(?P<who>(?:all|any|every|each)?\s*(?:users?|operators?|node operators?|customers?|administrators?|"
    r"admins?|maintainers?|developers?|miners?|exchanges?|services?|merchants?|everyone|everybody|"
    r"anyone|people|owners?|clients?|teams?|organi[sz]ations?|contributors?)\b[^,;:]{0,80}?)\s+"
    r"(?:are|is)\s+(?:\w+ly\s+)?(?:advised|urged|encouraged|asked|requested|recommended|reminded)\s+"
    r"to\s+(?=\w)|"
    r"^(?:we|i|the team)\s+(?:\w+ly\s+)?(?:advise|urge|encourage|ask|request)\s+"
    r"(?P<who2>(?!you\b|that\b|them\b)[^,;:]{2,80}?)\s+to\s+(?=\w)|"
    r"^it\s+is\s+(?:\w+ly\s+)?(?:recommended|advised|advisable|important|essential|critical|vital|imperative)"
    r"\s+that\s+(?P<who3>(?!you\b|we\b|it\b|this\b|there\b)[^,;:]{2,80}?)\s+(?=\w)|"
    r"^(?:(?:as such|therefore|thus|hence|so),\s+)?it\s+(?:is|would be|will be)\s+(?:very\s+|highly\s+)?"
    r"(?:important|essential|crucial|critical|prudent|wise|advisable|necessary|vital|better|a good idea)\s+"
    r"for\s+(?P<who4>(?!you\b|us\b|me\b|them\b)[^,;:]{2,60}?)\s+to\s+(?=\w)",
    re.IGNORECASE,
)
# a means told with what it secures: "By putting the final steps under one atomic block, we guarantee
# that X" -> "Put the final steps under one atomic block, so that X"
_BY_MEANS = re.compile(
    r"^(?:(?:however|so|thus|therefore|instead|now),\s+)?by\s+(?P<g>[a-z]+ing)\s+(?P<what>[^,;]{3,120}?),\s+"
    r"(?:we|you|the team|this|it)\s+(?:can\s+|will\s+|now\s+)?"
    r"(?P<v>guarantee|ensure|make sure|prevent|avoid|stop|protect against|guard against)s?\s+(?=\w)",
    re.IGNORECASE,
)
# a plan told by its name: "Our plan is to move the queue", "The next step is to add a canary", "One
# improvement would be to cache the token" -> what it says to do
_PLAN_IS = re.compile(
    r"^(?:our|the|one|another|an?)\s+(?:(?:next|first|final|last|remaining|main|proposed|immediate|"
    r"long-term|short-term|obvious)\s+)?(?:plan|step|improvement|action|option|idea|priority)s?\s+"
    r"(?:here\s+)?(?:is|are|was|would be|will be)\s+to\s+(?=\w)",
    re.IGNORECASE,
)
# a lesson announced as one: "The lesson here is that backups must be tested", "One lesson we
# learned is to pin versions", "This incident taught us that X" -> the lesson itself
_LESSON_IS = re.compile(
    r"^(?:(?:the|one|another|a|our|an)\s+(?:(?:key|main|big|biggest|important|other|clear|first|second)\s+)?"
    r"(?:lesson|takeaway|learning|insight)s?"
    r"(?:\s+(?:here|learned|learnt|(?:that\s+)?(?:we|i)\s+(?:have\s+)?(?:learned|learnt|took away|drew)|"
    r"from\s+(?:this|the)\s+(?:incident|outage|event|experience)))*\s+(?:is|was|are|were)|"
    r"what\s+(?:we|i)\s+(?:have\s+)?(?:learned|learnt)(?:\s+from\s+(?:this|the)\s+\w+)?\s+(?:is|was)|"
    r"(?:this|the)\s+(?:incident|outage|event|experience)\s+(?:has\s+)?(?:taught|showed|showed|reminded)"
    r"\s+us)\s*:?\s+(?P<how>that\s+|to\s+)?(?=\w)",
    re.IGNORECASE,
)
_DECISION_TO = re.compile(
    r"^(?:this\s+(?:document|adr|record)\s+)?(?:outlines|describes|documents|records|captures)?\s*"
    r"(?:the|our|this)\s+decisions?\s+(?:is\s+|was\s+)?to\s+",
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
_PAREN_FIX = re.compile(r"\(\s*((?!(?:planned|scheduled|expected)\b)[a-z]+ed\s[^()]+?)\s*\)\s*$")
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
    r"(?:core\s+)?(?:developers|maintainers)|[A-Z][\w-]*\s+team)\s+"
    r"(?:then\s+|also\s+|quickly\s+|manually\s+|now\s+|since\s+|(?:have|has|had)\s+(?!been\b|to\b))*",
    re.I,
)
MAX_RESOLUTION_FALLBACK = 3
# "Though rate limits were not the cause, we will increase them": the lead clause says why, the
# rest is the action
_CONCESSIVE_LEAD = re.compile(
    r"^(?:though|although|even though|while|since|as|because|going forward|in the future|from now on)\b"
    r"[^,]{0,160},\s+(?=(?:we|the team)\b)",
    re.I,
)
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
# a shell session's prompt ("[ops@host]: ~>$ ", "user@host:~$ ", "$ "): the prompted lines are the
# commands, the others their output
_SHELL_PROMPT = re.compile(r"^\s*(?:\[[^\]]*\]:?\s*)?(?:[\w.-]+@[\w.-]+:?)?[~/\w.-]*\s*>?\$\s+(?=\S)")
# "To mitigate, check key images ...": the lead names the section's purpose, the rest is the step
_REMEDY_LEAD = re.compile(
    r"^(?:to (?:mitigate|fix|work around|resolve|address)|as a (?:mitigation|workaround))"
    r"(?:\s+(?:this|it|the (?:issue|problem|bug|vulnerability)))?\s*,\s+(?=[a-z])",
    re.I,
)
# "To renew the certs manually: `certbot renew`": the purpose before the command it names
_TO_PURPOSE_CMD = re.compile(r"^to\s+(\w.{2,80}?):\s*(`[^`]+`)\.?$", re.I)
_SHELL_ASSIGN = re.compile(r"^[A-Z_][A-Z0-9_]*=\S")  # "NODE_NAME='<from the alert>'": a placeholder to fill
_LESSON_LIST = re.compile(r"lessons?\s+learn|takeaways?|learnings", re.I)
_LACK = re.compile(r"^(?:lack of|no|missing|insufficient|not enough|absence of)\s+(.+)$", re.IGNORECASE)
_NEED_NOUN = re.compile(
    r"^we\s+(?:need|have\s+a\s+(?:clear\s+|real\s+)?need\s+for|are\s+in\s+need\s+of)\s+(?!to\b)(.+)$",
    re.IGNORECASE,
)
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
    r"\b(?:must|mustn't|shall|should|shouldn't|need to|needs to|have to|has to|required to|is required|"
    r"are required|is needed|are needed|will need to|will need|will have to|be careful|cautious|needs to be|"
    r"need to be|belongs? (?:in|on|behind|inside|outside)|(?:is|are) (?:not (?:allowed|permitted)|forbidden)"
    r"|(?:is|are) never \w+(?:ed|en))\b|^(?:you|we|please)\s+(?:do not|don't|never|avoid|ensure|make sure)\b",
    re.IGNORECASE,
)
_STRONG_MODAL = re.compile(
    r"(?i)\b(?:must|must not|mustn't|should not|shouldn't|should never|shall not|never|"
    r"(?:is|are) not (?:allowed|permitted)|(?:is|are) forbidden)\b|"
    r"^(?:you|we|please)\s+(?:do not|don't|never|always|avoid|ensure|make sure)\b"
)
# a bound stated as a rule: "the 99th percentile of fsync duration should be less than 10ms"
_THRESHOLD_RULE = re.compile(
    r"\b(?:should|must)\s+(?:always\s+)?(?:be|stay|remain)\s+(?:less|lower|greater|higher|more|fewer|below|"
    r"above|under|over|at least|at most|within)\b",
    re.I,
)
_FIRM_MODAL = re.compile(
    r"\b(?:must|mustn't|shall|should|shouldn't|never|required to|is required|are required|always|"
    r"(?<!no )(?<!not )(?:need|needs|have|has) to)\b",
    re.I,
)
_CODE_SIGNATURE = re.compile(r"->|\b\w+\((?:[\w\s]+:\s*\w+|self\b)")
_EXAMPLE_OPENER = re.compile(r"^(?:for instance|for example|e\.g\.?|i\.e\.?|such as)\b", re.I)
_NO_NEED = re.compile(r"\b(?:do not|don't|does not|doesn't|no) need to\b|\bneed not\b", re.IGNORECASE)
# "This means that X", "That implies X": a consequence told as what the sentence before leads to
_MEANS_LEAD = re.compile(r"^(?:this|that|which)\s+(?:means|implies)(?:\s+that)?\s*,?\s+(?=\w)", re.I)
# what a decision obliges the team to do: "we will have to", "we'll need to", "we must"
_TEAM_MUST = re.compile(r"\bwe(?:'ll|\s+will|\s+would)?\s+(?:have to|need to|must)\b", re.I)
# sections that only tell the story or point elsewhere: a timeline, references, thanks
_STORY_ONLY = re.compile(r"timeline|key events|chronolog|references?|links?|credits?|acknowledg|thanks", re.I)
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

# hindsight told as a condition: "If we had monitored X, we would have caught Y" / "Had we pinned X,
# Y would not have happened" -> the rule it implies ("Monitor X"); see ``hindsight.py``
_IF_WE_HAD = re.compile(
    r"^(?:in (?:hindsight|retrospect),?\s+)?(?:if\s+(?:we|the team)\s+had|had\s+(?:we|the team))\s+"
    r"(?:(?:already|only|just|also)\s+)?(?P<pp>(?!known\b|realised\b|realized\b|thought\b|been aware\b)\w+)"
    r"\s+(?P<what>[^,;]{3,160}?),\s+(?P<then>[^;]*?\b(?:would|could|might)(?:\s+not|n't)?\s+have\b.*)$",
    re.IGNORECASE,
)
# an impersonal hindsight rule: "It is better not to rush a fix" -> "Do not rush a fix"
_BETTER_NOW = re.compile(
    r"^it(?:'s|\u2019s|\s+is)\s+(?:always\s+|much\s+|far\s+|often\s+|usually\s+)?"
    r"(?:better|best|wiser|safer|preferable)\s+(?P<neg>not\s+)?to\s+(?=\w)",
    re.IGNORECASE,
)
# a condition closed by "then" instead of a comma: "If X supports Y then you should use Y" -> "If X
# supports Y, you should use Y"
_IF_THEN = re.compile(
    r"^((?:if|when|whenever|once)\s+(?:[^,;()]|\([^()]*\)){3,200}?)\s+then\s+(?=\w)", re.IGNORECASE
)
# "Bad, because X" (MADR's cons); "Good, because" and "Neutral, because" do not argue against
_BAD_BECAUSE = re.compile(r"^bad\s*,?\s+because\b[\s,:]*", re.IGNORECASE)
# a heading that only groups an option's pros and cons ("Pros/cons", "Cons"): the option is above it
_PROS_CONS_HEADING = re.compile(r"^(?:pros?|cons?|(?:dis)?advantages?)\b[\s/&,and]*(?:cons?)?$", re.I)
# the section that holds all options, not one of them
_OPTIONS_HEADING = re.compile(r"^(?:pros and cons|considered options|options|alternatives)\b", re.I)
