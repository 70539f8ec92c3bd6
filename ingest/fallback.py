"""Last resort for a document the section-driven extractor found nothing in: its best sentences.

Security disclosures and blog-post postmortems tell the story in prose ("Details", "Full
disclosure", "What is being done"); some ADRs describe their design under headings of their own
("API Changes", "Errors"). When the extractor finds nothing, the sentences that carry advice, a
remedy or (in an ADR) a decision are scored and the best few are kept, rewritten as imperatives
where the wording allows it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ingest.extract import Candidate
    from ingest.sections import Outline

MAX_FALLBACK: Final = 5
MIN_SCORE: Final = 3
MIN_WORDS: Final = 7
MAX_WORDS: Final = 45

_ADVICE = re.compile(
    r"\b(?:must|should|never|always|need to|needs to|recommend\w*|advis\w*|urg\w*|make sure|ensure|"
    r"do not|don't|avoid|encourag\w*|strongly|in order to|so that|to prevent|prevent\w*|"
    r"ask(?:s|ed)? (?:users|you|everyone)|please|not to|to not)\b",
    re.I,
)
_REMEDY = re.compile(
    r"\b(?:fix\w*|patch\w*|upgrad\w*|updat\w*|mitigat\w*|disabl\w*|enabl\w*|verif\w*|check\w*|"
    r"backups?|restor\w*|rotat\w*|revok\w*|monitor\w*|alert\w*|test\w*|review\w*|audit\w*|"
    r"add(?:ed)?|introduc\w*|implement\w*|limit\w*|rate-limit\w*|validat\w*|reject\w*)\b",
    re.I,
)
_RISK = re.compile(
    r"\b(?:vulnerab\w*|exploit\w*|attack\w*|security|crash\w*|denial|outage|inflation|double[- ]spend\w*|"
    r"compromis\w*|leak\w*|malicious|memory|disk|consensus|data)\b",
    re.I,
)
_NOISE = re.compile(
    r"^(?:\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|on (?:\w+day|\w+ \d)|at \d)|\?$|"
    r"\b(?:thank\w*|credit\w*|disclos\w* (?:timeline|policy)|reported (?:by|to)|cve-\d{4}-\d+)\b|"
    r"^(?:this|that|it|these|those|they|he|she)\b",
    re.I,
)
_DECIDED = re.compile(
    r"\b(?:will|shall|decided?|decision|chose|chosen|adopt\w*|propos\w*|deprecat\w*|support\w*|"
    r"instead of|replace\w*|retr\w*|default\w*)\b",
    re.I,
)
_SKIP_SECTIONS = re.compile(
    r"timeline|references?|links?|credits?|acknowledg|thanks|attribution|appendix|metadata|authors?",
    re.I,
)


def sentence_score(sentence: str) -> int:
    """How much a narrative sentence reads like advice or a remedy (-1 when it is noise)."""
    words = len(sentence.split())
    if words < MIN_WORDS or words > MAX_WORDS or _NOISE.search(sentence):
        return -1
    return (
        3 * bool(_ADVICE.search(sentence))
        + 2 * min(2, len(_REMEDY.findall(sentence)))
        + min(2, len(_RISK.findall(sentence)))
    )


_UPDATE_LABEL = re.compile(r"^\s*\[[^\]]{0,60}\]\s*")  # "[Update - 2023-03-29 14h00 UTC] Increased X"


def _scored(
    outline: Outline, title: str, *, timeline: bool, kind: str = "postmortem", min_score: int = MIN_SCORE
) -> list[tuple[int, int, Candidate]]:
    from ingest.extract import (
        Candidate,
        advice_to_group,
        clean_text,
        is_imperative,
        past_passive_to_imperative,
        past_to_imperative,
        rewrite_imperative,
        split_sentences,
    )

    scored: list[tuple[int, int, Candidate]] = []
    for block in outline.blocks:
        if block.type not in ("paragraph", "item"):
            continue
        section = " > ".join([title, *block.path]) if block.path else title
        if any(_SKIP_SECTIONS.search(p) for p in block.path) != timeline:
            continue
        text = block.text
        for s, e in split_sentences(text.text):
            cleaned = clean_text(_UPDATE_LABEL.sub("", text.text[s:e]))
            advice = advice_to_group(cleaned)  # "It's recommended to anyone who X to Y": advice
            score = sentence_score(advice)
            if advice != cleaned and score >= 0:
                cleaned, score = advice, score + 3
            role = {"adr": "decision", "runbook": "mitigation"}.get(kind, "lesson")
            if score > 0 and kind == "adr" and _DECIDED.search(cleaned):
                score += 2  # what the design does or decides
            if score > 0 and kind == "runbook" and is_imperative(cleaned):
                score += 2  # a step
            done = ""
            if kind == "postmortem" and score >= 0:
                done = past_to_imperative(cleaned) or past_passive_to_imperative(cleaned)
            if done:
                # a remedy told as done ("Increased the VM capacity to 80") is the incident's fix
                score, stmt, role = score + 3, done, "resolution"
            else:
                stmt = rewrite_imperative(cleaned, role=role) or cleaned
            if score < min_score:
                continue
            ls, le = text.line_at(s), text.line_at(max(s, e - 1))
            cand = Candidate(stmt, section, role, ls, le, "narrative", list(block.code_spans))
            scored.append((score, len(scored), cand))
    return scored


def narrative_candidates(outline: Outline, *, title: str, kind: str = "postmortem") -> list[Candidate]:
    """The best advice-or-remedy sentences of a narrative postmortem, in document order.

    Sections outside the timeline come first; a postmortem that is only a timeline (status-page
    updates) is read from its timeline.
    """
    scored = (
        _scored(outline, title, timeline=False, kind=kind)
        or _scored(outline, title, timeline=True, kind=kind)
        # a short notice with no advice word: its most remedy-like sentence (else its first
        # sentence that is not noise) still says what happened
        or _scored(outline, title, timeline=False, kind=kind, min_score=0)
    )
    limit = MAX_FALLBACK if any(t[0] >= MIN_SCORE for t in scored) else 1
    best = sorted(scored, key=lambda t: (-t[0], t[1]))[:limit]
    return [c for _, _, c in sorted(best, key=lambda t: t[1])]


__all__ = ["narrative_candidates", "sentence_score"]
