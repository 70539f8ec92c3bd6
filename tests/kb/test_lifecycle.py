"""Lessons that live (fast path, fake embedder): dedupe and recurrence, history, review decisions,
conflicts on re-ingest, staleness and feedback. The real CLI, HTTP and MCP paths are tested in
tests/integration/test_lifecycle_real.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kb.errors import InputError, NotFoundError
from kb.lifecycle.feedback import FEEDBACK_WEIGHT, decayed_counts, feedback_factor
from kb.lifecycle.staleness import parse_interval, parse_policy, review_state
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase

LESSON = "Send an idempotency key with every payment capture retry."


def _draft(
    path: str, *statements: str, kind: str = "postmortem", sha: str | None = None, **meta: object
) -> DocumentDraft:
    return DocumentDraft(
        path=path,
        kind=kind,
        title=path,
        sha256=sha or path,
        metadata=dict(meta),
        constraints=[
            ConstraintDraft(
                statement=s, rationale="", category="operational", severity="high", section="Lessons"
            )
            for s in statements
        ],
    )


def _ids(kb: KnowledgeBase) -> dict[str, int]:
    return {c.statement: c.id for c, _d in kb.store.all_constraints()}


# --- dedupe and recurrence ------------------------------------------------------------------------------


def test_two_documents_stating_one_lesson_give_one_result_with_both_sources(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON, "Page the payments on-call first.")])
    fake_kb.add_documents("pm", [_draft("b.md", "send an idempotency key with every payment capture retry")])
    hits = fake_kb.query(task="retry the payment capture call", k=10).hits
    matching = [h for h in hits if "idempotency" in h.constraint.statement.lower()]
    assert len(matching) == 1
    hit = matching[0]
    assert hit.constraint.recurrence == 2
    assert "learned in 2 documents" in hit.why
    assert hit.to_dict()["recurrence"] == 2
    sources = fake_kb.sources(hit.id)
    assert [d.path for _c, d in sources] == ["a.md", "b.md"]
    record = fake_kb.describe(fake_kb.get(hit.id), full=True)
    assert [s["path"] for s in record["sources"]] == ["a.md", "b.md"]
    # Lists show the lesson once too; the merged one is still readable by its id.
    assert sum("idempotency" in c.statement.lower() for c, _ in fake_kb.list_constraints(limit=100)) == 1
    duplicate = next(c for c, _d in sources if c.id != hit.id)
    assert fake_kb.get(duplicate.id)[0].duplicate_of == hit.id
    actions = [e.action for e in fake_kb.history(hit.id)]
    assert actions == ["ingest", "merge"]


def test_the_duplicate_key_ignores_case_punctuation_and_articles_only() -> None:
    from kb.storage.curation import dedupe_key

    assert dedupe_key("Use the idempotency key!") == dedupe_key("use an  Idempotency-Key")
    assert dedupe_key("Retry 3 times") != dedupe_key("Retry 30 times")
    assert dedupe_key("Do not retry captures") != dedupe_key("Do retry captures")


def test_a_hit_learned_twice_cites_both_documents(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON)])
    fake_kb.add_documents("pm", [_draft("b.md", LESSON)])
    (hit,) = fake_kb.query(task="payment capture retry", k=5).hits
    assert [s["path"] for s in hit.to_dict()["sources"]] == ["a.md", "b.md"]


def test_a_lesson_three_incidents_taught_is_one_level_more_serious(fake_kb: KnowledgeBase) -> None:
    for name in ("a.md", "b.md", "c.md"):
        fake_kb.add_documents("pm", [_draft(name, LESSON)])
    (hit,) = fake_kb.query(task="payment capture retry", k=5).hits
    assert hit.constraint.severity == "critical"  # extracted as high
    assert "severity raised to critical: learned in 3 incidents" in hit.why
    assert fake_kb.describe(fake_kb.get(hit.id))["severity"] == "critical"
    # A person's severity wins.
    fake_kb.edit(hit.id, {"severity": "medium"}, actor="gina")
    assert fake_kb.query(task="payment capture retry", k=5).hits[0].constraint.severity == "medium"


def test_a_lesson_in_the_same_document_twice_is_not_a_recurrence(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON, LESSON + "  ")])
    assert all(c.recurrence == 1 and c.duplicate_of is None for c, _ in fake_kb.store.all_constraints())


def test_deleting_the_shown_source_hands_the_lesson_to_the_next_one(fake_kb: KnowledgeBase) -> None:
    (first,) = fake_kb.add_documents("pm", [_draft("a.md", LESSON)])
    fake_kb.add_documents("pm", [_draft("b.md", LESSON)])
    fake_kb.add_documents("pm", [_draft("c.md", LESSON)])
    (shown,) = [c for c, _ in fake_kb.store.all_constraints()]
    assert shown.recurrence == 3
    fake_kb.delete_document(first)
    (shown_now,) = [c for c, _ in fake_kb.store.all_constraints()]
    assert shown_now.id != shown.id and shown_now.recurrence == 2
    assert [d.path for _c, d in fake_kb.sources(shown_now.id)] == ["b.md", "c.md"]
    assert "unmerge" in [e.action for e in fake_kb.history(shown_now.id)]


def test_reingest_of_unchanged_lessons_adds_no_event(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON)])
    fake_kb.add_documents("pm", [_draft("a.md", LESSON, sha="v2")])
    (cid,) = _ids(fake_kb).values()
    assert [e.action for e in fake_kb.history(cid)] == ["ingest"]


# --- proposals, review, decisions -----------------------------------------------------------------------


def test_a_proposal_goes_through_review_to_active_with_its_history(fake_kb: KnowledgeBase) -> None:
    (lesson, duplicate) = fake_kb.propose(
        actor="alice", statement="Pin the base image digest in Dockerfiles."
    )
    assert not duplicate and lesson[0].status == "proposed"
    queue = fake_kb.review_queue()
    assert [(i.reason, i.constraint_id) for i in queue] == [("proposal", lesson[0].id)]
    accepted, _ = fake_kb.accept(lesson[0].id, actor="bob")
    assert accepted.status == "active" and accepted.last_confirmed is not None
    history = fake_kb.history(lesson[0].id)
    assert [(e.action, e.actor) for e in history] == [("propose", "alice"), ("accept", "bob")]
    assert history[1].before == {"status": "proposed"} and history[1].after == {"status": "active"}
    assert fake_kb.review_queue() == []
    with pytest.raises(InputError, match="nothing waits"):
        fake_kb.accept(lesson[0].id, actor="bob")


def test_rejecting_twice_and_unknown_ids_are_clear_errors(fake_kb: KnowledgeBase) -> None:
    (lesson, _dup) = fake_kb.propose(actor="alice", statement="Never run migrations at peak traffic.")
    with pytest.raises(InputError, match="reason"):
        fake_kb.reject(lesson[0].id, reason="  ", actor="bob")
    rejected, _ = fake_kb.reject(lesson[0].id, reason="already covered by ADR 7", actor="bob")
    assert rejected.status == "rejected"
    with pytest.raises(InputError, match="already rejected"):
        fake_kb.reject(lesson[0].id, reason="again", actor="bob")
    with pytest.raises(NotFoundError):
        fake_kb.accept(987654, actor="bob")
    # A rejected proposal is not a lesson: queries never return it, its history keeps the reason.
    assert all(h.id != lesson[0].id for h in fake_kb.query(task="run migrations at peak traffic", k=20).hits)
    assert fake_kb.history(lesson[0].id)[-1].note == "already covered by ADR 7"


def test_another_teams_lesson_is_not_found_for_every_decision(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON)], team="payments")
    (cid,) = _ids(fake_kb).values()
    theirs = ("logistics", "shared")
    for call in (
        lambda: fake_kb.accept(cid, actor="x", teams=theirs),
        lambda: fake_kb.reject(cid, reason="no", actor="x", teams=theirs),
        lambda: fake_kb.retire(cid, reason="no", actor="x", teams=theirs),
        lambda: fake_kb.edit(cid, {"severity": "low"}, actor="x", teams=theirs),
        lambda: fake_kb.history(cid, teams=theirs),
        lambda: fake_kb.feedback(cid, helpful=False, actor="x", teams=theirs),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert fake_kb.get(cid)[0].severity == "high"  # nothing changed
    assert fake_kb.feedback_counts(cid).not_helpful == 0


def test_retire_needs_a_reason_and_happens_once(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON)])
    (cid,) = _ids(fake_kb).values()
    with pytest.raises(InputError, match="reason"):
        fake_kb.retire(cid, reason="", actor="bob")
    assert fake_kb.retire(cid, reason="the processor is gone", actor="bob")[0].status == "retired"
    with pytest.raises(InputError, match="already retired"):
        fake_kb.retire(cid, reason="again", actor="bob")


def test_an_edited_statement_survives_reingest_and_a_source_change_becomes_a_conflict(
    fake_kb: KnowledgeBase,
) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON)])
    (cid,) = _ids(fake_kb).values()
    fake_kb.edit(
        cid,
        {"statement": "Every capture retry carries the original idempotency key.", "severity": "critical"},
        actor="carol",
    )
    # Same source again: the edit stays, the id stays, nothing waits.
    fake_kb.add_documents("pm", [_draft("a.md", LESSON, sha="v2")])
    constraint, _ = fake_kb.get(cid)
    assert constraint.statement.startswith("Every capture retry") and constraint.severity == "critical"
    assert fake_kb.review_queue() == []
    # The source changes the severity a person set: a review item, not a silent overwrite.
    changed = _draft("a.md", LESSON, sha="v3")
    changed.constraints[0].severity = "medium"
    fake_kb.add_documents("pm", [changed])
    assert fake_kb.get(cid)[0].severity == "critical"
    (item,) = fake_kb.review_queue()
    assert item.reason == "conflict" and item.constraint_id == cid and "severity" in item.detail
    accepted, _ = fake_kb.accept(cid, actor="carol")
    assert accepted.severity == "medium" and "severity" not in accepted.curated
    assert fake_kb.review_queue() == []
    assert [e.action for e in fake_kb.history(cid)][-3:] == ["edit", "conflict", "accept"]


def test_near_duplicates_are_asked_once_and_merged_only_on_accept(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", "Always set a timeout on payment processor calls.")])
    fake_kb.add_documents(
        "pm", [_draft("b.md", "Always set a timeout on the payment processor calls today.")]
    )
    ids = sorted(_ids(fake_kb).values())
    assert fake_kb.scan_duplicates(threshold=0.5) == 1
    assert fake_kb.scan_duplicates(threshold=0.5) == 0  # never asked twice
    (item,) = fake_kb.review_queue()
    assert (item.reason, item.constraint_id, item.other_id) == ("duplicate", ids[1], ids[0])
    assert fake_kb.get(ids[0])[0].recurrence == 1  # nothing merged yet
    fake_kb.accept(ids[1], actor="dana")
    assert fake_kb.get(ids[0])[0].recurrence == 2
    assert len(fake_kb.query(task="timeout payment processor", k=10).hits) == 1


# --- staleness --------------------------------------------------------------------------------------------


def test_review_dates_come_from_front_matter_then_policy() -> None:
    from kb.records import ConstraintRecord, DocumentRecord

    now = datetime(2026, 1, 1, tzinfo=UTC)

    def state(kind: str, date_: str | None, **meta: object) -> tuple[date | None, bool]:
        c = ConstraintRecord(
            1, 1, "s", "", "operational", "low", "active", [], [], [], [], "", 0, 0, [], now, now
        )
        d = DocumentRecord(1, "shared", "src", "p.md", kind, "t", "h", date_, None, [], dict(meta), now, now)
        result = review_state(c, d, today=date(2026, 12, 3))
        return result.review_due, result.stale

    assert state("runbook", None, last_reviewed_on="2025-07-15", review_in="6 months") == (
        date(2026, 1, 11),
        True,
    )
    assert state("runbook", None, last_reviewed_on="2026-11-01", review_in="6 months") == (
        date(2027, 4, 30),
        False,
    )
    assert state("postmortem", None, review_by="2026-06-01") == (date(2026, 6, 1), True)
    assert state("runbook", "2024-02-01") == (date(2025, 1, 31), True)  # yearly by default
    assert state("runbook", None) == (date(2027, 1, 1), False)  # from when it was stored
    assert state("postmortem", "2019-01-01") == (None, False)  # a record of its time
    assert parse_interval("2 weeks") == timedelta(days=14) and parse_interval("soon") is None
    assert parse_policy('{"postmortem": 30}')["postmortem"] == 30
    with pytest.raises(ValueError, match="unknown kind"):
        parse_policy('{"wiki": 3}')


def test_a_stale_runbook_is_listed_ranks_lower_and_review_confirms_it(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents(
        "rb",
        [
            _draft(
                "old.md",
                "Drain the queue before restarting the broker.",
                kind="runbook",
                last_reviewed_on="2024-01-10",
                review_in="6 months",
            ),
            _draft(
                "new.md",
                "Drain the queue before you restart the broker node.",
                kind="runbook",
                last_reviewed_on=date.today().isoformat(),
                review_in="6 months",
            ),
        ],
    )
    stale = fake_kb.list_constraints(stale=True)
    assert [d.path for _c, d in stale] == ["old.md"]
    record = fake_kb.describe(stale[0])
    assert record["stale"] is True and record["review_due"] == "2024-07-08"
    hits = fake_kb.query(task="restart the broker", k=5).hits
    old_hit = next(h for h in hits if h.document.path == "old.md")
    assert any(w.startswith("stale since 2024-07-08") for w in old_hit.why)
    assert old_hit.to_dict()["stale"] is True
    (item,) = [i for i in fake_kb.review_queue() if i.reason == "stale"]
    fake_kb.accept(item.constraint_id, actor="erin")
    assert fake_kb.list_constraints(stale=True) == []
    assert fake_kb.history(item.constraint_id)[-1].action == "accept"


def test_staleness_acts_at_the_rankings_lifecycle_share(fake_kb: KnowledgeBase) -> None:
    from dataclasses import replace

    from kb.lifecycle.staleness import STALE_FACTOR
    from kb.retrieval.search import DEFAULT_WEIGHTS

    fake_kb.add_documents(
        "rb",
        [
            _draft(
                "old.md",
                "Drain the queue before restarting the broker.",
                kind="runbook",
                review_by="2024-01-10",
            )
        ],
    )

    def score(share: float) -> float:
        fake_kb.weights = replace(DEFAULT_WEIGHTS, lifecycle_share=share)
        (hit,) = fake_kb.query(task="restart the broker", k=1).hits
        assert any(w.startswith("stale since 2024-01-10") for w in hit.why)
        return hit.score

    unscaled = score(0.0)
    # The ranking's scores are reciprocal ranks (about 1% apart at the top): the full x0.9 was
    # dozens of places, so a stale lesson loses a share of it (docs/relevance.md, round five).
    assert score(1.0) == pytest.approx(unscaled * STALE_FACTOR, rel=1e-6)
    share = DEFAULT_WEIGHTS.lifecycle_share
    assert 0 < share < 1
    assert score(share) == pytest.approx(unscaled * (1 - share * (1 - STALE_FACTOR)), rel=1e-6)


# --- feedback -------------------------------------------------------------------------------------------


def test_feedback_is_counted_decays_and_one_vote_cannot_bury_a_lesson(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents("pm", [_draft("a.md", LESSON, "Alert on capture error rates above one percent.")])
    task = "add retries to the payment capture"
    before = fake_kb.query(task=task, k=2).hits
    top = before[0].id
    counts = fake_kb.feedback(top, helpful=False, task=task, actor="frank")
    assert (counts.helpful, counts.not_helpful) == (0, 1)
    assert fake_kb.describe(fake_kb.get(top), full=True)["feedback"] == {"helpful": 0, "not_helpful": 1}
    after = fake_kb.query(task=task, k=2).hits
    assert after[0].id == top  # one click moves it by a few percent, not to the bottom
    assert after[0].score == pytest.approx(before[0].score * feedback_factor(-1.0), rel=1e-6)
    assert "feedback: 0 helpful, 1 not helpful" in after[0].why
    assert fake_kb.history(top)[-1].action == "feedback"
    # Bounded and decaying.
    assert 1 - FEEDBACK_WEIGHT <= feedback_factor(-1_000) < feedback_factor(-1) < 1 < feedback_factor(1)
    now = datetime(2026, 12, 3, tzinfo=UTC)
    old = decayed_counts([(1, False, now - timedelta(days=90))], now)[1]
    assert old.not_helpful == 1 and old.balance == pytest.approx(-0.5)


def test_feedback_needs_a_known_lesson(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        fake_kb.feedback(424242, helpful=True, actor="x")


def test_review_keys_in_front_matter_reach_the_review_date(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    from ingest.loader import ingest_path

    runbooks = tmp_path / "docs" / "runbooks"
    runbooks.mkdir(parents=True)
    (runbooks / "failover.md").write_text(
        "---\ntitle: Failover the primary\nreview_by: 2025-01-31\n---\n# Failover the primary\n\n"
        "## Rules\n\n- Never fail over while a backup is being taken.\n",
        encoding="utf-8",
    )
    (runbooks / "cache.md").write_text(
        "---\ntitle: Restart the cache\nlast_reviewed: 2023-03-01\nreview_frequency: 1 year\n---\n"
        "# Restart the cache\n\n## Rules\n\n- Drain connections before restarting the cache nodes.\n",
        encoding="utf-8",
    )
    assert ingest_path(fake_kb, tmp_path / "docs").count("failed") == 0
    due = {d.path: fake_kb.describe((c, d))["review_due"] for c, d in fake_kb.list_constraints(stale=True)}
    assert due == {"runbooks/failover.md": "2025-01-31", "runbooks/cache.md": "2024-02-29"}
