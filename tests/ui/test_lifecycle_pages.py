"""The lifecycle on the pages (in-process, fake embedder): a lesson learned twice shows its
recurrence and both sources, an overdue runbook's lesson is marked stale and can be filtered,
proposals wait in the review queue, and a lesson page shows its history and feedback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from ingest.loader import Upload, ingest_uploads
from kb.embedding.fake import HashingEmbedder
from kb.service import KnowledgeBase
from kb.settings import Settings

RULE = "Guard the zebra refund batch with a distributed lock so a failover cannot start it twice."
POSTMORTEM = (
    "---\ntitle: Refunds ran twice {n}\ndate: 2025-0{n}-03\n---\n"
    "# Refunds ran twice {n}\n\n## Action Items\n\n- {rule}\n"
)
RUNBOOK = (
    "---\ntitle: Rotate quokka keys\nlast_reviewed_on: 2020-01-01\nreview_in: 6 months\n---\n"
    "# Rotate quokka keys\n\n## Steps\n\n- Always rotate the quokka signing key before it is a year old.\n"
)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[KnowledgeBase, TestClient]]:
    kb = KnowledgeBase(Settings(home=tmp_path, embedder="hashing"), embedder=HashingEmbedder())
    uploads = [
        Upload(f"postmortems/refunds-{n}.md", POSTMORTEM.format(n=n, rule=RULE).encode()) for n in (1, 2)
    ]
    uploads.append(Upload("runbooks/rotate-quokka-keys.md", RUNBOOK.encode()))
    ingest_uploads(kb, uploads, source="seed")
    with TestClient(create_app(kb.settings, kb=kb, auth=False), base_url="http://127.0.0.1") as test_client:
        yield kb, test_client
    kb.close()


def _lesson(kb: KnowledgeBase, words: str) -> int:
    return next(c.id for c, _ in kb.all_constraints() if words in c.statement and c.status == "active")


def test_recurrence_sources_and_stale_badges(client: tuple[KnowledgeBase, TestClient]) -> None:
    kb, http = client
    refund = _lesson(kb, "zebra refund")
    page = http.get(f"/ui/constraints/{refund}").text
    assert "learned 2×" in page and "Learned 2 times" in page
    assert "postmortems/refunds-1.md" in page and "postmortems/refunds-2.md" in page
    recurring = http.get("/ui/browse?by=recurring").text
    assert f"/ui/constraints/{refund}" in recurring
    stale = _lesson(kb, "quokka")
    assert "stale since 2020-06-29" in http.get(f"/ui/constraints/{stale}").text
    results = http.get("/ui/search?q=rotate+quokka+signing+key&f_stale=stale").text
    assert f"/ui/constraints/{stale}" in results and "zebra" not in results
    assert "stale" in http.get("/ui/review").text  # the overdue lesson waits for review


def test_history_and_feedback_on_the_lesson_page(client: tuple[KnowledgeBase, TestClient]) -> None:
    kb, http = client
    (proposal, _), _duplicate = kb.propose(
        actor="sam", statement="Page on-call when quokka keys near expiry."
    )
    queue = http.get("/ui/review").text
    assert f'value="accept:{proposal.id}"' in queue and "proposed by sam" in queue
    token = re.search(r'name="csrf" value="([^"]+)"', queue)
    assert token
    done = http.post("/ui/review", data={"csrf": token.group(1), "one": f"accept:{proposal.id}"})
    assert done.status_code == 200 and kb.get(proposal.id)[0].status == "active"
    vote = {"csrf": token.group(1), "helpful": "no", "task": "rotate keys"}
    assert http.post(f"/ui/constraints/{proposal.id}/feedback", data=vote).status_code == 200
    page = http.get(f"/ui/constraints/{proposal.id}").text
    assert "0 helpful, 1 not helpful" in page
    history = page.split('id="hist-h"', 1)[1]
    assert "sam" in history and "propose" in history and "accept" in history and "feedback" in history
