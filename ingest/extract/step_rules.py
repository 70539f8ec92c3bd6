"""A runbook step's later sentence that forbids: a rule of its own, not the step's detail.

A step is kept by its first sentences ("In Veeam, choose File Level Restore ... and restore the
chosen folder to R:\\RESTORE-TEST."); a later sentence that opens with a prohibition ("Never
restore to the original location during a test: it overwrites files staff may have changed
today", "Never terminate sessions of ledger-writer without the ledger on-call on the call") is the
rule a responder most needs, and it binds beyond the step. Such a sentence is kept as told, with
its reason. A later sentence that only explains or goes on with the step stays with the step.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines, block_role
from ingest.extract.patterns import MAX_WORDS
from ingest.extract.text import clean_text, split_sentences
from ingest.extract.words import first_word, word_count
from ingest.sections import Outline
from ingest.vocabulary import IMPERATIVE_VERBS

# a sentence that opens with a prohibition (not "Do not worry", an aside)
_PROHIBITION = re.compile(r"^(?:never|do not|don't|must not)\s+(?!worry\b|panic\b|forget\b)\w", re.I)
# the roles of a runbook's steps (a section no name places is read as steps too)
_STEP_ROLES = frozenset({"mitigation", "prereq", "diagnosis", None})
MIN_RULE_WORDS = 5
# a step shorter than this is kept with the sentences after it (extract.text._first_sentences)
JOINED_STEP_WORDS = 12


def later_prohibitions(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """The later sentences of a runbook's step items that open with a prohibition."""
    if kind != "runbook":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type != "item":
            continue
        role, section = block_role(block, kind, title)
        if role not in _STEP_ROLES:
            continue
        text = block.text
        for s, e in split_sentences(text.text)[1:]:
            sentence = clean_text(text.text[s:e])
            found = _PROHIBITION.match(sentence)
            if not found or word_count(sentence) < MIN_RULE_WORDS:
                continue
            if first_word(sentence[found.end() - 1 :]) not in IMPERATIVE_VERBS:
                continue  # "Never straight back to 100%": a fragment, no step forbidden
            before = word_count(clean_text(text.text[:s]))
            if before < JOINED_STEP_WORDS and before + word_count(sentence) <= MAX_WORDS:
                continue  # a short step keeps its next sentences ("The dir must be empty. Do not ...")
            ls, le = _sentence_lines(text, s, e)
            codes = [c for c in block.code_spans if c in text.text[s:e]]
            out.append(Candidate(sentence, section, role or "mitigation", ls, le, "sentence", codes))
    return out


# a ticket the text says is still open: "ticket DP-881 (open) is moving that job to pg_repack", "The
# quota increase request (MSG-1432) is still open", "Tracked in PLAT-2207 (open)."
_OPEN_TICKET = re.compile(
    r"\b[A-Z][A-Z0-9]{1,11}-\d+\b[^.;]{0,40}?(?:\(open\)|\bis (?:still )?open\b)|"
    r"\((?:open|still open)\)[^.;]{0,40}?\b[A-Z][A-Z0-9]{1,11}-\d+\b|"
    r"\(\s*[A-Z][A-Z0-9]{1,11}-\d+\s*,\s*(?P<done>closed|done|fixed|resolved)\s*\)"
)
# "Fixed in v3.4: X now waits ..." (a done ticket's note): the label goes, the change stays
_FIXED_LABEL = re.compile(r"^(?:fixed|resolved|done|shipped)(?: in [\w.\- ]{1,20})?\s*:\s*", re.I)
# a sentence that only says where the work is tracked: the work is told in the sentence before it
_BARE_TRACKING = re.compile(r"^(?:tracked|filed|logged|raised|see|ticket|issue)\b[^.;]{0,40}$", re.I)
_KNOWN_LABEL = re.compile(r"^(?:known (?:issue|gap|problem|limitation)s?|note)\s*:\s*", re.I)
# roles whose text is not the runbook's own work (a timeline, an options list)
_POINTER = re.compile(r"\b(?:above|below)\b", re.I)
_NOT_WORK = frozenset({"skip", "options", "context"})


def open_tickets(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """A runbook's sentence that names a ticket still open: the work the page says is owed (an open
    follow-up, role ``task``), told as written; a bare "Tracked in X (open)." gives the sentence
    before it, which says what is wrong."""
    if kind != "runbook":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type not in ("item", "paragraph"):
            continue
        role, section = block_role(block, kind, title)
        if role in _NOT_WORK:
            continue
        text = block.text
        spans = split_sentences(text.text)
        for n, (s, e) in enumerate(spans):
            ticket = _OPEN_TICKET.search(text.text[s:e])
            if not ticket:
                continue
            if _BARE_TRACKING.match(clean_text(text.text[s:e]).rstrip(".")) and n:
                s, e = spans[n - 1]
            sentence = _FIXED_LABEL.sub("", _KNOWN_LABEL.sub("", clean_text(text.text[s:e])))
            if _POINTER.search(sentence.partition(";")[2]):
                sentence = sentence.partition(";")[0] + "."  # "; until then, the table above applies"
            if word_count(sentence) < MIN_RULE_WORDS:
                continue
            ls, le = _sentence_lines(text, s, e)
            sentence = sentence[:1].upper() + sentence[1:]
            out.append(Candidate(sentence, section, "task", ls, le, "sentence"))
            break
    return out


__all__ = ["later_prohibitions", "open_tickets"]
