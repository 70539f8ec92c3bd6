"""A diff's decisive body match (round six): where one document's text holds the diff's words far
more than any other's, its lessons come first (kb.retrieval.fusion.decisive_lead); a task's
decisive passage match (round eleven): the same rule on the passage ranking."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kb.records import ConstraintDraft, DocumentDraft
from kb.retrieval.fusion import best_per_document, decisive_lead, fuse_with_documents
from kb.retrieval.search import DEFAULT_WEIGHTS
from kb.service import KnowledgeBase


def _c(statement: str, **kw: object) -> ConstraintDraft:
    base: dict[str, object] = {"rationale": "", "category": "operational", "severity": "high"}
    base.update(kw)
    return ConstraintDraft(statement=statement, **base)  # type: ignore[arg-type]


def test_the_first_document_leads_only_by_the_margin() -> None:
    ids = np.array([7, 3, 9])
    assert decisive_lead(ids, np.array([13.0, 10.0, 2.0]), 1.3).tolist() == [7]
    assert decisive_lead(ids, np.array([12.9, 10.0, 2.0]), 1.3).tolist() == []
    # Off, and rankings with nothing to compare the first with.
    assert decisive_lead(ids, np.array([13.0, 1.0, 0.5]), 0.0).tolist() == []
    assert decisive_lead(np.array([7]), np.array([13.0]), 1.3).tolist() == []
    assert decisive_lead(np.zeros(0, np.int64), np.zeros(0, np.float32), 1.3).tolist() == []


def test_the_lead_fused_as_a_ranking_of_one_puts_its_document_first() -> None:
    # Document 30's lesson is last by its own score and second in the body ranking; document 10's
    # lesson is first by both: no other evidence can reach what the lead adds.
    scores = np.array([3.0, 2.0, 1.0])
    ids, documents = np.array([1, 2, 3]), np.array([10, 20, 30])
    body = np.array([10, 30, 20])
    assert int(np.argmax(fuse_with_documents(scores, ids, documents, [body], 60))) == 0
    lead = np.array([30])
    fused = fuse_with_documents(scores, ids, documents, [body, lead], 60)
    assert int(np.argmax(fused)) == 2
    assert fused[2] == pytest.approx(1 / 63 + 1 / 62 + 1 / 61, abs=1e-6)


RFC_BODY = (
    "# Insecure sources\n"
    "A HelmRepository or GitRepository may point at a chartmuseum over plain http only with "
    "insecure set. The insecure flag on a HelmRepository turns off TLS for the chartmuseum: an "
    "insecure http source can be spoofed. Keep insecure sources inside the cluster network."
)
DIFF = """diff --git a/clusters/prod/sources/charts.yaml b/clusters/prod/sources/charts.yaml
--- a/clusters/prod/sources/charts.yaml
+++ b/clusters/prod/sources/charts.yaml
@@ -1,3 +1,8 @@
+kind: HelmRepository
+spec:
+  interval: 10m
+  url: http://chartmuseum.tools.svc.cluster.local:8080
+  insecure: true
"""


@pytest.fixture
def sources_kb(fake_kb: KnowledgeBase) -> KnowledgeBase:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="rfcs/insecure.md",
                kind="adr",
                title="Insecure sources",
                sha256="1",
                body=RFC_BODY,
                constraints=[_c("Plain transport needs an explicit opt-in per source.")],
            ),
            DocumentDraft(
                path="pm/helm-interval.md",
                kind="postmortem",
                title="Chart fetches overloaded the registry",
                sha256="2",
                body="Every HelmRepository polled the registry each minute; the interval was too short.",
                constraints=[
                    _c("A HelmRepository interval must be at least 10m."),
                    _c("Chart repository polling must be spread out."),
                ],
            ),
            DocumentDraft(
                path="pm/disk.md",
                kind="postmortem",
                title="Disk full",
                sha256="3",
                body="The logging host's disk filled up.",
                constraints=[_c("Alert before disks fill.")],
            ),
        ],
    )
    return fake_kb


def test_a_diff_whose_words_one_document_holds_far_more_ranks_it_first(sources_kb: KnowledgeBase) -> None:
    # Without the lead, the postmortem (kind prior, lessons that repeat the diff's key) comes first.
    sources_kb.weights = replace(DEFAULT_WEIGHTS, diff_body_lead=0.0)
    without = [h.document.path for h in sources_kb.query(diff=DIFF, k=3).hits]
    sources_kb.weights = DEFAULT_WEIGHTS
    hits = sources_kb.query(diff=DIFF, k=3).hits
    assert without[0] == "pm/helm-interval.md"
    assert hits[0].document.path == "rfcs/insecure.md"
    lead_reason = "document text matches the diff far better than any other document's"
    assert lead_reason in hits[0].why
    assert not any(lead_reason in h.why for h in hits[1:])


def test_a_task_is_not_led_by_the_body(sources_kb: KnowledgeBase) -> None:
    task = "insecure http HelmRepository chartmuseum interval"
    sources_kb.weights = replace(DEFAULT_WEIGHTS, diff_body_lead=0.0)
    without = [(h.id, h.score) for h in sources_kb.query(task=task, k=3).hits]
    sources_kb.weights = replace(DEFAULT_WEIGHTS, diff_body_lead=1.0)
    assert [(h.id, h.score) for h in sources_kb.query(task=task, k=3).hits] == without


def test_a_ranking_of_passages_reads_as_documents_by_their_best_passage() -> None:
    documents, scores = best_per_document(np.array([4, 4, 9, 2, 9]), np.array([8.0, 7.0, 6.0, 5.0, 4.0]))
    assert documents.tolist() == [4, 9, 2]
    assert scores.tolist() == [8.0, 6.0, 5.0]
    # Document 4 leads document 9 by 8/6: led from a margin of 1.3, not from 1.4.
    assert decisive_lead(documents, scores, 1.3).tolist() == [4]
    assert decisive_lead(documents, scores, 1.4).tolist() == []


CERTS_RUNBOOK = (
    "# Certificate rotation\n\nGeneral notes on the cluster.\n\n"
    "## When the etcd signer CA expires\n\n"
    "The etcd signer CA expires after four years; renew the etcd signer CA before it expires, "
    "or the etcd members stop trusting each other and the control plane fails.\n"
)
TASK_LEAD_REASON = "a section of the document matches the task far better than any other document's"


def test_a_task_whose_words_one_section_holds_far_more_ranks_its_document_first(
    fake_kb: KnowledgeBase,
) -> None:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="runbooks/certs.md",
                kind="runbook",
                title="Certificate rotation",
                sha256="1",
                body=CERTS_RUNBOOK,
                constraints=[_c("Rotate certificates before they expire.")],
            ),
            DocumentDraft(
                path="pm/control-plane.md",
                kind="postmortem",
                title="Control plane outage",
                sha256="2",
                body="The control plane certificates expired and the cluster control plane failed.",
                constraints=[
                    _c("Control plane certificates must be renewed before they expire."),
                    _c("Alert on control plane certificate expiry."),
                ],
            ),
        ],
    )
    task = "etcd signer CA expires: control plane certificates"
    # Without the lead, the postmortem whose lessons repeat more of the task's words comes first. (The
    # whole-text lead of the second stage, kb.retrieval.rerank, is off: this is the first stage's rule.)
    alone = replace(DEFAULT_WEIGHTS, task_document_lead=0.0)
    fake_kb.weights = replace(alone, task_passage_lead=0.0)
    without = fake_kb.query(task=task, k=3).hits
    fake_kb.weights = alone
    hits = fake_kb.query(task=task, k=3).hits
    assert without[0].document.path == "pm/control-plane.md"
    assert not any(TASK_LEAD_REASON in h.why for h in without)
    assert hits[0].document.path == "runbooks/certs.md"
    assert TASK_LEAD_REASON in hits[0].why
    assert not any(TASK_LEAD_REASON in h.why for h in hits[1:])


def test_a_diff_is_not_led_by_its_passages(sources_kb: KnowledgeBase) -> None:
    sources_kb.weights = replace(DEFAULT_WEIGHTS, task_passage_lead=0.0)
    without = [(h.id, h.score, h.why) for h in sources_kb.query(diff=DIFF, k=3).hits]
    sources_kb.weights = replace(DEFAULT_WEIGHTS, task_passage_lead=1.0)
    assert [(h.id, h.score, h.why) for h in sources_kb.query(diff=DIFF, k=3).hits] == without
