"""Cleaning a batch of drafts remembers each text's redaction: the same drafts, fewer rule runs."""

from __future__ import annotations

from pathlib import Path

from kb.records import ConstraintDraft, DocumentDraft
from kb.safety.redaction import Redaction, RedactionPolicy
from kb.safety.sanitize import RememberingPolicy, sanitize_draft, sanitize_drafts
from kb.settings import Settings

KEY = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"


def _draft(path: str) -> DocumentDraft:
    lesson = ConstraintDraft(
        statement=f"Rotate the deploy key {KEY} after every incident.",
        rationale="The key leaked in a build log.",
        category="security",
        severity="high",
        tags=["postmortem", "keys"],
        section="Action items",
    )
    repeated = ConstraintDraft(
        statement="Page the owner before a failover.",
        rationale="The key leaked in a build log.",
        category="reliability",
        severity="medium",
        tags=["postmortem"],
        section="Action items",
    )
    return DocumentDraft(
        path=path,
        kind="postmortem",
        title="Deploy key leak",
        sha256="0" * 64,
        services=["deploy"],
        metadata={"owner": "team-a"},
        constraints=[lesson, repeated],
        body=f"# Deploy key leak\n\nThe key {KEY} was printed.\n\n## Action items\n- Rotate it.\n",
    )


def test_a_remembering_policy_gives_the_policys_result_and_runs_it_once_per_text() -> None:
    calls: list[str] = []

    class Counting(RedactionPolicy):
        def redact(self, text: str) -> Redaction:
            calls.append(text)
            return super().redact(text)

    policy = Counting()
    remembering = RememberingPolicy(policy)
    first = remembering.redact(f"key {KEY}")
    assert first == RedactionPolicy().redact(f"key {KEY}")
    assert remembering.redact(f"key {KEY}") is first
    assert calls == [f"key {KEY}"]


def test_a_batch_is_cleaned_as_each_draft_alone(tmp_path: Path) -> None:
    drafts = [_draft("a.md"), _draft("b.md")]
    batch = sanitize_drafts(drafts, Settings(home=tmp_path))
    alone = [sanitize_draft(d, RedactionPolicy.from_settings(Settings(home=tmp_path)))[0] for d in drafts]
    assert batch == alone
    assert KEY not in repr(batch) and "[REDACTED:github-token]" in batch[1].constraints[0].statement
