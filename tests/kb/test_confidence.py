"""The confidence levels (kb.retrieval.confidence): strong needs a clear lead in meaning, and a lead
in meaning stays strong only on the first result; the levels never move the ranking."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from kb.records import ConstraintDraft, DocumentDraft
from kb.retrieval.confidence import ClosestDocuments, lesson_confidence, settle_first_result
from kb.retrieval.search import DEFAULT_WEIGHTS
from kb.service import KnowledgeBase

TASK = "Rotate the database credentials every ninety days"


def _c(statement: str) -> ConstraintDraft:
    return ConstraintDraft(statement=statement, rationale="", category="operational", severity="high")


def test_the_margin_is_measured_against_the_closest_other_document() -> None:
    documents = np.array([7, 7, 8, 9])
    similarity = np.array([0.70, 0.50, 0.66, 0.20], dtype=np.float32)
    closest = ClosestDocuments.among(documents, similarity)
    assert closest.document_id == 7
    # Document 7's own second lesson is no rival; document 8 is.
    assert closest.margin(7, 0.70) == pytest.approx(0.04, abs=1e-6)
    # Any other document measures against document 7.
    assert closest.margin(8, 0.66) == pytest.approx(-0.04, abs=1e-6)
    assert ClosestDocuments.among(np.array([3, 3]), np.array([0.8, 0.1])).margin(3, 0.8) == pytest.approx(0.8)


def test_a_similar_rival_document_takes_strong_away_but_not_a_path_match() -> None:
    w = replace(DEFAULT_WEIGHTS, strong_similarity=0.67, strong_margin=0.03)
    alone = lesson_confidence(similarity=0.70, margin=0.04, path_match=False, lexical_match=True, w=w)
    assert alone.level == "strong" and alone.by_meaning_alone
    rivalled = lesson_confidence(similarity=0.70, margin=0.02, path_match=False, lexical_match=True, w=w)
    assert rivalled.level == "possible"
    by_path = lesson_confidence(similarity=0.45, margin=-0.2, path_match=True, lexical_match=True, w=w)
    assert by_path.level == "strong" and not by_path.by_meaning_alone


def test_a_decisive_lexical_lead_on_the_same_document_needs_only_the_closest_in_meaning() -> None:
    w = replace(DEFAULT_WEIGHTS, strong_similarity=0.67, strong_margin=0.08)
    # Meaning alone: a lead of 0.05 over the next document is not enough.
    alone = lesson_confidence(similarity=0.70, margin=0.05, path_match=False, lexical_match=True, w=w)
    assert alone.level == "possible"
    # The body or passage match that put this document first agrees: closest in meaning suffices.
    agreed = lesson_confidence(
        similarity=0.70, margin=0.0, path_match=False, lexical_match=True, w=w, lexical_lead=True
    )
    assert agreed.level == "strong" and agreed.by_meaning_alone
    # Another document is closer in meaning: the lead does not make it strong.
    outrun = lesson_confidence(
        similarity=0.70, margin=-0.01, path_match=False, lexical_match=True, w=w, lexical_lead=True
    )
    assert outrun.level == "possible"
    # Nor does it lower the similarity threshold.
    far = lesson_confidence(
        similarity=0.60, margin=0.2, path_match=False, lexical_match=True, w=w, lexical_lead=True
    )
    assert far.level == "possible"


def _two_documents_one_about_the_task(kb: KnowledgeBase, *, rival: bool) -> None:
    drafts = [
        DocumentDraft(
            path="adr/rotation.md",
            kind="adr",
            title="Credential rotation",
            sha256="1",
            body="# Credential rotation\n\nRotate the database credentials every ninety days.\n",
            constraints=[_c("Rotate the database credentials every ninety days with the vault job.")],
        ),
        DocumentDraft(
            path="runbooks/dns.md",
            kind="runbook",
            title="DNS",
            sha256="2",
            body="# DNS\n\nCheck the resolver before anything else.\n",
            constraints=[_c("Check the resolver configuration before changing DNS records.")],
        ),
    ]
    if rival:
        drafts.append(
            DocumentDraft(
                path="adr/rotation-again.md",
                kind="adr",
                title="Credential rotation, again",
                sha256="3",
                body="# Credential rotation, again\n\nRotate the database credentials every ninety days.\n",
                constraints=[_c("Rotate the database credentials every ninety days with a vault cron job.")],
            )
        )
    kb.add_documents("src", drafts)


def test_strong_needs_a_lead_over_every_other_document(fake_kb: KnowledgeBase) -> None:
    fake_kb.weights = replace(DEFAULT_WEIGHTS, strong_similarity=0.5)
    _two_documents_one_about_the_task(fake_kb, rival=False)
    alone = fake_kb.query(task=TASK, k=4).hits
    assert alone[0].document.path == "adr/rotation.md" and alone[0].confidence == "strong"


def test_a_rival_within_the_margin_takes_strong_away_without_moving_anything(
    fake_kb: KnowledgeBase,
) -> None:
    fake_kb.weights = replace(DEFAULT_WEIGHTS, strong_similarity=0.5, strong_margin=0.0)
    _two_documents_one_about_the_task(fake_kb, rival=True)
    hits = fake_kb.query(task=TASK, k=4).hits
    first = hits[0]
    assert first.similarity >= 0.5 and first.document.path.startswith("adr/rotation")
    assert first.confidence == "strong"
    # The rival is nearly as close, yet not strong: it is not the first result.
    rival = max((h for h in hits if h.document.id != first.document.id), key=lambda h: h.similarity)
    assert rival.similarity >= 0.5 and rival.confidence == "possible"
    # Ask for a lead a little larger than the first result has over the rival: no longer strong,
    # and the ranking is the same (every lesson is a candidate here, so the hits hold the rival).
    lead = first.similarity - rival.similarity
    fake_kb.weights = replace(fake_kb.weights, strong_margin=lead + 0.01)
    relabelled = fake_kb.query(task=TASK, k=4).hits
    assert [(h.id, h.score) for h in relabelled] == [(h.id, h.score) for h in hits]
    assert all(hit.confidence != "strong" for hit in relabelled)
    fake_kb.weights = replace(fake_kb.weights, strong_margin=lead - 0.01)
    assert fake_kb.query(task=TASK, k=4).hits[0].confidence == "strong"


def _hit(document_id: int, confidence: str, by_meaning_alone: bool) -> Any:
    return SimpleNamespace(
        document=SimpleNamespace(id=document_id),
        confidence=confidence,
        strong_by_meaning_alone=by_meaning_alone,
    )


def test_a_lead_in_meaning_stays_strong_only_on_the_first_result() -> None:
    hits = [
        _hit(1, "possible", False),
        _hit(2, "strong", True),  # closest in meaning, but ranked second
        _hit(3, "strong", False),  # a matched path: strong wherever it ranks
        _hit(1, "possible", False),
    ]
    settle_first_result(hits)
    assert [h.confidence for h in hits] == ["possible", "possible", "strong", "possible"]
    first = [_hit(2, "strong", True), _hit(2, "strong", True), _hit(1, "possible", False)]
    settle_first_result(first)
    assert [h.confidence for h in first] == ["strong", "strong", "possible"]
