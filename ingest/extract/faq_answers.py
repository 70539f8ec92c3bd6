"""The answers of a FAQ ("**Q: Can I resume?** A: No. ...") read with their question.

A README or a runbook often ends with questions and answers. An answer alone says little ("No, one
at a time.", "Only if the rebuild can start within 24 hours of the backup."), so the walker passed
them over, and the rule is the question and its answer together:

- "Can I <do X>?" answered "No ..." is "Do not <do X>; <the answer's reason>";
- "Can I <do X>?" answered "Only if/when <Y>" is "<Do X> only if <Y>";
- an answer that opens with a step ("A: Post start and finish in #dbr ...") is that step, in a
  runbook (a reader's step; a postmortem's FAQ answers its customers).

"Yes" answers and answers that only explain are left to the walker.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines, block_role
from ingest.extract.text import clean_text, is_imperative, split_sentences
from ingest.extract.words import word_count
from ingest.sections import Outline

_QA = re.compile(r"^\s*(?:Q|Question)\s*[:.]\s*(?P<q>.+?\?)\s*(?:A|Answer)\s*[:.]\s*(?P<a>\S.*)$", re.S)
# the question's act: "Can I use X instead of Y?", "Should we rebuild both at once?"
_ASKED_ACT = re.compile(
    r"(?:^|[.!]\s+)(?:can|could|may|should|do|must)\s+(?:i|we|you)\s+(?:(?:need|have)\s+to\s+)?(?P<act>[a-z][^?]{2,120})\?$",
    re.I,
)
_NO = re.compile(r"^(?:no|nope|never)\b\s*[.,;:!—–-]?\s*", re.I)
_ONLY = re.compile(r"^only\s+(?:if|when|after|once|while)\b", re.I)
MIN_REASON_WORDS = 5
MIN_STEP_WORDS = 4
_KINDS = frozenset({"runbook", "postmortem"})


def _sentences(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in split_sentences(text) if text[s:e].strip()]


def _lower(text: str) -> str:
    # an acronym or a name in CamelCase ("XtraBackup", "ProxySQL") keeps its capital
    return text if re.match(r"^[A-Z]\w*[A-Z]", text) else text[:1].lower() + text[1:]


def _stop(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "!")) else text.rstrip(".,;:") + "."


def answer_rule(question: str, answer: str, kind: str) -> tuple[str, str] | None:
    """(statement, role) that a FAQ's question and answer say together, or None."""
    asked = _ASKED_ACT.search(question.strip())
    said = _sentences(answer)
    if not said:
        return None
    no = _NO.match(answer)
    if asked and no:
        rest = _sentences(answer[no.end() :])
        if not rest:
            return None
        short = word_count(rest[0]) < MIN_REASON_WORDS and len(rest) > 1
        reason = f"{rest[0]} {rest[1]}" if short else rest[0]
        return _stop(f"Do not {asked.group('act')}; {_lower(reason)}"), "lesson"
    if asked and _ONLY.match(said[0]):
        act = asked.group("act")
        return _stop(f"{act[:1].upper()}{act[1:]} {_lower(said[0])}"), "lesson"
    if kind == "runbook" and is_imperative(said[0]) and word_count(said[0]) >= MIN_STEP_WORDS:
        return _stop(said[0]), "mitigation"
    return None


def faq_answer_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Rules and steps a FAQ's answers give with their questions."""
    if kind not in _KINDS:
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type != "paragraph":
            continue
        qa = _QA.match(clean_text(block.text.text))
        if not qa:
            continue
        found = answer_rule(qa.group("q"), qa.group("a"), kind)
        if not found:
            continue
        _, section = block_role(block, kind, title)
        ls, le = _sentence_lines(block.text, 0, len(block.text.text))
        out.append(Candidate(found[0], section, found[1], ls, le, "sentence", block.code_spans))
    return out


__all__ = ["answer_rule", "faq_answer_candidates"]
