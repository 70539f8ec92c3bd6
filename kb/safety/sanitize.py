"""Cleaning a whole draft once, before anything is stored.

:func:`sanitize_draft` is the one place every write path goes through (``KnowledgeBase.add_documents``
calls it, so ingest, HTTP upload and proposals are all covered):

* secrets and personal data become ``[REDACTED:<type>]`` in the body, title, lessons and metadata
  (:mod:`kb.safety.redaction`);
* text that reads as an instruction to a model is neutralised, and its lesson tagged
  :data:`~kb.safety.injection.FLAG_TAG` for review (:mod:`kb.safety.injection`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kb.records import ConstraintDraft, DocumentDraft
from kb.safety.injection import FLAG_TAG, neutralize
from kb.safety.redaction import Redaction, RedactionPolicy, redact_text

if TYPE_CHECKING:
    from kb.settings import Settings

__all__ = [
    "FLAG_TAG",
    "RedactionPolicy",
    "SafetyReport",
    "redact_text",
    "sanitize_draft",
    "sanitize_drafts",
    "sanitize_value",
]

log = logging.getLogger(__name__)


@dataclass
class SafetyReport:
    """What cleaning one draft changed: counts by type, never the values."""

    redacted: Counter[str] = field(default_factory=Counter)
    injection: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.redacted or self.injection)


class Redacts(Protocol):
    """What cleaning needs of a policy: :meth:`RedactionPolicy.redact`."""

    def redact(self, text: str) -> Redaction: ...


class RememberingPolicy:
    """A policy whose redactions are remembered by text, for one batch of drafts.

    A document's section titles, tags and services come back on each of its lessons, and short
    statements repeat across documents: of the 39,000 texts an ingest of the shared corpora redacts,
    11,000 are distinct.
    The policy's rules are a pure function of the text, so the remembered result is the result.
    """

    def __init__(self, policy: RedactionPolicy) -> None:
        self.policy = policy
        self._seen: dict[str, Redaction] = {}

    def redact(self, text: str) -> Redaction:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self.policy.redact(text)
        return found


def sanitize_value(value: Any, policy: Redacts, report: SafetyReport | None = None) -> Any:
    """Strings redacted inside any JSON-like value (metadata), keys included."""
    if isinstance(value, str):
        result = policy.redact(value)
        if report is not None:
            report.redacted.update(f.type for f in result.findings)
        return result.text
    if isinstance(value, list):
        return [sanitize_value(v, policy, report) for v in value]
    if isinstance(value, tuple):
        return tuple(sanitize_value(v, policy, report) for v in value)
    if isinstance(value, dict):
        return {
            sanitize_value(k, policy, report): sanitize_value(v, policy, report) for k, v in value.items()
        }
    return value


class _Known:
    """Values already found in a document: lessons are extracted from its body, sometimes with the
    context around a value rewritten (``postgres: //…``), so a value found once is removed wherever
    it appears again, whatever surrounds it."""

    def __init__(self, policy: Redacts, report: SafetyReport) -> None:
        self.policy = policy
        self.report = report
        self.values: dict[str, str] = {}

    def redact(self, text: str) -> str:
        result = self.policy.redact(text)
        self.report.redacted.update(f.type for f in result.findings)
        for f in result.findings:
            value = text[f.start : f.end]
            self.values.setdefault(value, f.type)
            for piece in value.split():  # the lines of a key block, each on its own
                if len(piece) >= 16 and not piece.startswith("-----"):
                    self.values.setdefault(piece, f.type)
        out = result.text
        for value in sorted(self.values, key=len, reverse=True):
            if len(value) >= 6 and value in out:
                out = out.replace(value, f"[REDACTED:{self.values[value]}]")
        return out

    def clean(self, text: str) -> tuple[str, tuple[str, ...]]:
        neutral = neutralize(self.redact(text))
        self.report.injection.update(neutral.techniques)
        return neutral.text, neutral.techniques


def _clean_constraint(c: ConstraintDraft, known: _Known) -> ConstraintDraft:
    statement, flags_s = known.clean(c.statement)
    rationale, flags_r = known.clean(c.rationale)
    tags = list(c.tags)
    if (flags_s or flags_r) and FLAG_TAG not in tags:
        tags.append(FLAG_TAG)
    return dataclasses.replace(
        c,
        statement=statement,
        rationale=rationale,
        section=known.redact(c.section),
        tags=[known.redact(t) for t in tags],
    )


def sanitize_draft(draft: DocumentDraft, policy: Redacts | None = None) -> tuple[DocumentDraft, SafetyReport]:
    """A copy of ``draft`` with secrets redacted and instruction-like text neutralised and flagged.

    Pure: the draft given is not changed. The file's ``sha256`` is kept (it identifies the source
    file, so an unchanged file is still skipped on the next ingest).
    """
    policy = policy or RedactionPolicy()
    report = SafetyReport()
    known = _Known(policy, report)
    body_flags: tuple[str, ...] = ()
    body = draft.body
    if body is not None:  # first: what it holds is then removed from every other field
        body, body_flags = known.clean(body)
    title, title_flags = known.clean(draft.title)
    metadata = sanitize_value(draft.metadata, policy, report)
    if title_flags or body_flags:
        metadata["flags"] = sorted({*metadata.get("flags", []), "injection", *title_flags, *body_flags})
    constraints = [_clean_constraint(c, known) for c in draft.constraints]
    if report.changed:
        # Counts and types only: the values must not reach a log either.
        log.info(
            "%s: redacted %s; instruction-like text %s",
            policy.redact(draft.path).text,
            dict(report.redacted) or "nothing",
            dict(report.injection) or "none",
        )
    cleaned = dataclasses.replace(
        draft,
        title=title,
        body=body,
        metadata=metadata,
        services=[known.redact(s) for s in draft.services],
        constraints=constraints,
    )
    return cleaned, report


def sanitize_drafts(drafts: Iterable[DocumentDraft], settings: Settings) -> list[DocumentDraft]:
    """Every draft cleaned with the policy the settings name: the call every write path makes."""
    policy = RememberingPolicy(RedactionPolicy.from_settings(settings))
    return [sanitize_draft(d, policy)[0] for d in drafts]
