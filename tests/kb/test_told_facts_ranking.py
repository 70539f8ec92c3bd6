"""Facts kept as told (a postmortem's cause sentences, ``kb.vocab.TOLD_AS_FACT_RULES``) never block,
and never take the places (``max_per_document``) of their own document's rules in a ranking: the
double-capture postmortem's cause sentences once pushed its idempotency rule out of every result."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from kb.outputs.evidence import Evidence
from kb.outputs.gate import is_blocking_candidate
from kb.records import ConstraintDraft, DocumentDraft
from kb.retrieval.fusion import rules_first
from kb.service import KnowledgeBase

CAUSE = "The shared retry decorator treats all timeouts on the capture call as safe to retry."
CAUSE_TOO = "The capture retries on timeout carried no idempotency key to the processor."
RULE = "Send an Idempotency-Key derived from the order id on every capture retry."


def _c(statement: str, rules: list[str]) -> ConstraintDraft:
    return ConstraintDraft(
        statement=statement, rationale="", category="operational", severity="critical", rules=rules
    )


def _kb(fake_kb: KnowledgeBase) -> KnowledgeBase:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="postmortems/capture.md",
                kind="postmortem",
                title="Double capture",
                sha256="1",
                constraints=[
                    _c(CAUSE, ["type.story-cause"]),
                    _c(CAUSE_TOO, ["type.untold-factor"]),
                    _c(RULE, ["type.durable-wording"]),
                ],
            ),
            DocumentDraft(
                path="runbooks/other.md",
                kind="runbook",
                title="Other",
                sha256="2",
                constraints=[_c("Drain the node before upgrading the kubelet.", [])],
            ),
        ],
    )
    return fake_kb


def test_told_causes_do_not_push_their_documents_rule_out(fake_kb: KnowledgeBase) -> None:
    kb = _kb(fake_kb)
    for task in (CAUSE, CAUSE_TOO, "retry decorator timeouts capture call idempotency key"):
        hits = [h for h in kb.query(task=task, k=5).hits if h.document.path == "postmortems/capture.md"]
        assert hits and hits[0].constraint.statement == RULE, [h.constraint.statement for h in hits]


def test_a_told_cause_never_blocks(fake_kb: KnowledgeBase) -> None:
    kb = _kb(fake_kb)
    strong = Evidence(
        path="a.py", content_similarity=0.95, task_similarity=0.95, shared_terms=["retry", "decorator"]
    )
    hits = [h for h in kb.query(task=CAUSE, k=5).hits if h.document.path == "postmortems/capture.md"]
    # the document's one rule first, then one of its facts in the second place
    assert [h.constraint.statement == RULE for h in hits] == [True, False]
    rule, fact = (replace(h, confidence="strong") for h in hits)
    assert is_blocking_candidate(rule, strong)
    assert not is_blocking_candidate(fact, strong)


def test_rules_first_hands_a_documents_places_to_its_rules() -> None:
    scores = np.array([0.9, 0.8, 0.5, 0.7], dtype=np.float32)
    documents = np.array([1, 1, 1, 2])
    facts = np.array([True, True, False, False])
    out = rules_first(scores, documents, facts)
    assert out.tolist() == np.array([0.8, 0.5, 0.9, 0.7], dtype=np.float32).tolist()
    # a document without facts keeps its order
    assert rules_first(scores, documents, np.zeros(4, dtype=bool)).tolist() == scores.tolist()
