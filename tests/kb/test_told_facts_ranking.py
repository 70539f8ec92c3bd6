"""Facts kept as told (a postmortem's cause sentences, ``kb.vocab.TOLD_AS_FACT_RULES``) never block
and are no lessons to rank: the double-capture postmortem's cause sentences once took both of its
places (``max_per_document``) and pushed its idempotency rule out of every result. They stay in the
store; their words reach a query through the document's passages."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from kb.outputs.evidence import Evidence
from kb.outputs.gate import is_blocking_candidate
from kb.records import ConstraintDraft, DocumentDraft
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
        assert [h.constraint.statement for h in hits] == [RULE], task


def test_a_told_cause_never_blocks(fake_kb: KnowledgeBase) -> None:
    kb = _kb(fake_kb)
    strong = Evidence(
        path="a.py", content_similarity=0.95, task_similarity=0.95, shared_terms=["retry", "decorator"]
    )
    rule = replace(kb.query(task=CAUSE, k=5).hits[0], confidence="strong")
    assert rule.constraint.statement == RULE and is_blocking_candidate(rule, strong)
    for rules in (["type.story-cause"], ["role.told-factor", "type.untold-factor"]):
        fact = SimpleNamespace(
            status="active", severity="critical", statement=CAUSE, record_type="constraint", rules=rules
        )
        assert not is_blocking_candidate(replace(rule, constraint=fact), strong)  # type: ignore[arg-type]
