"""A task's whole-text lead (round fourteen): among a task's first documents, the one whose whole
text holds the task's words far more than the next comes first (kb.retrieval.rerank)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from kb.records import ConstraintDraft, DocumentDraft
from kb.retrieval.rerank import WHOLE_TEXT_REASON, decisive_position, whole_text_scores
from kb.retrieval.search import DEFAULT_WEIGHTS
from kb.service import KnowledgeBase
from kb.text import tokens


def _c(statement: str, **kw: object) -> ConstraintDraft:
    base: dict[str, object] = {"rationale": "", "category": "operational", "severity": "high"}
    base.update(kw)
    return ConstraintDraft(statement=statement, **base)  # type: ignore[arg-type]


def _terms(text: str) -> dict[str, float]:
    return {term: float(n) for term, n in Counter(tokens(text)).items()}


def test_whole_text_scores_weigh_rare_words_and_saturate_repeats() -> None:
    idf = {"signer": 3.0, "etcd": 1.0}.get
    texts = ["etcd etcd etcd etcd", "etcd signer", "nothing shared here"]
    scores = whole_text_scores(texts, _terms("etcd signer"), lambda t: idf(t) or 0.0)
    assert scores[1] > scores[0] > 0
    assert scores[2] == 0.0
    # A word the knowledge base does not know (idf 0) adds nothing.
    assert whole_text_scores(["etcd signer"], _terms("quorum"), lambda t: 1.0) == [0.0]


def test_a_position_leads_only_by_the_margin() -> None:
    assert decisive_position([2.0, 11.5, 10.0], 1.15) == 1
    assert decisive_position([2.0, 11.4, 10.0], 1.15) is None
    assert decisive_position([5.0, 0.0], 1.15) == 0
    # Off, nothing to compare with, or nothing matched.
    assert decisive_position([5.0, 1.0], 0.0) is None
    assert decisive_position([5.0], 1.15) is None
    assert decisive_position([0.0, 0.0], 1.15) is None


SIGNER_RUNBOOK = (
    "# Control plane certificates\n\n"
    + "General notes on the cluster.\n"
    + ("-" * 79 + "\n") * 70  # characters, no words
    + "\n## When the etcd signer CA expires\n\n"
    "The etcd signer CA expires after four years. Rotate the etcd signer CA before it expires: "
    "once the signer CA has expired the etcd members stop trusting each other.\n"
)
TASK = "Rotate the etcd signer CA before it expires"


@pytest.fixture
def certs_kb(fake_kb: KnowledgeBase) -> KnowledgeBase:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="runbooks/control-plane.md",
                kind="runbook",
                title="Control plane certificates",
                sha256="1",
                body=SIGNER_RUNBOOK,
                constraints=[_c("Keep the control plane runbook current.")],
            ),
            DocumentDraft(
                path="pm/etcd-expiry.md",
                kind="postmortem",
                title="Etcd outage after a certificate expired",
                sha256="2",
                body="The etcd cluster failed when a certificate expired.",
                constraints=[_c("Rotate etcd certificates before they expire.")],
            ),
            DocumentDraft(
                path="pm/disk.md",
                kind="postmortem",
                title="Disk full",
                sha256="3",
                body="The logging host's disk filled up with the request signer's debug logs.",
                constraints=[_c("Alert before disks fill.")],
            ),
        ],
    )
    return fake_kb


def test_a_task_whose_words_one_whole_document_holds_far_more_ranks_it_first(
    certs_kb: KnowledgeBase,
) -> None:
    # The runbook's words are past the body index's first 5,000 characters and in no lesson: without
    # the second look, the postmortem whose lesson repeats the task comes first. ("signer" is known to
    # the knowledge base from the disk postmortem: a word no body index holds weighs nothing.)
    certs_kb.weights = replace(DEFAULT_WEIGHTS, task_document_lead=0.0)
    without = [h.document.path for h in certs_kb.query(task=TASK, k=3).ranked()]
    certs_kb.weights = DEFAULT_WEIGHTS
    ranked = certs_kb.query(task=TASK, k=3).ranked()
    assert without[0] == "pm/etcd-expiry.md"
    assert "runbooks/control-plane.md" in without
    assert ranked[0].document.path == "runbooks/control-plane.md"
    assert WHOLE_TEXT_REASON in ranked[0].why
    assert not any(
        WHOLE_TEXT_REASON in item.why for item in ranked if item.document.path != ranked[0].document.path
    )
    # The others keep their order.
    rest = [p for p in without if p != "runbooks/control-plane.md"]
    assert [item.document.path for item in ranked if item.document.path != ranked[0].document.path][
        : len(rest)
    ] == rest


def test_a_diff_is_not_led_by_the_whole_text(certs_kb: KnowledgeBase) -> None:
    diff = (
        "diff --git a/pki/etcd.yaml b/pki/etcd.yaml\n--- a/pki/etcd.yaml\n+++ b/pki/etcd.yaml\n"
        "@@ -1,2 +1,3 @@\n+signer_ca_rotation: etcd signer CA expires\n"
    )
    certs_kb.weights = replace(DEFAULT_WEIGHTS, task_document_lead=0.0)
    without = [(h.id, h.score) for h in certs_kb.query(diff=diff, k=3).hits]
    certs_kb.weights = DEFAULT_WEIGHTS
    assert [(h.id, h.score) for h in certs_kb.query(diff=diff, k=3).hits] == without
