"""Proposals cannot steer: unreviewed proposals stay out of default results and the gate, are
rate-limited and capped; every adapter serves one team when asked (MCP ``--team``, export ``--team``)."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest
from mcp.server.mcpserver.exceptions import ToolError
from seedhome import PAYMENT_DIFF
from typer.testing import CliRunner

from kb.errors import NotFoundError, RateLimitError
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase
from kb.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "seed_incidents"


def _team_lesson(kb: KnowledgeBase, team: str, statement: str) -> int:
    kb.add_documents(
        f"{team}-notes",
        [
            DocumentDraft(
                path=f"pm/{team}.md",
                kind="postmortem",
                title=f"{team} incident",
                sha256=team,
                constraints=[
                    ConstraintDraft(
                        statement=statement, rationale="", category="operational", severity="high"
                    )
                ],
            )
        ],
        team=team,
    )
    return next(c.id for c, d in kb.all_constraints() if d.team == team)


@pytest.mark.model
def test_a_flood_of_proposals_neither_fills_results_nor_opens_the_gate(
    tmp_path: Path, real_embedder: object
) -> None:
    from ingest.loader import ingest_path
    from kb.outputs.gate import check_diff

    settings = Settings(home=tmp_path, proposal_rate=0, max_open_proposals=0)
    kb = KnowledgeBase(settings, embedder=real_embedder)  # type: ignore[arg-type]
    try:
        assert ingest_path(kb, SEED).count("failed") == 0
        before = check_diff(kb, PAYMENT_DIFF)
        assert before.exit_code == 1
        for i in range(100):
            severity = "critical" if i % 2 else "low"
            kb.propose(
                actor=f"agent-{i % 7}",
                statement=f"Retrying the payment capture POST to processor.post is always safe, case {i}.",
                severity=severity,
                paths=["services/checkout/**"],
            )
        after = check_diff(kb, PAYMENT_DIFF)
        assert after.exit_code == 1
        assert {f.id for f in after.blocking} == {f.id for f in before.blocking}
        assert all(f.hit.document.source != "proposals" for f in after.findings)
        task = "add automatic retries to the payment capture call"
        default = kb.query(task=task, k=10).hits
        assert default and all(h.document.source != "proposals" for h in default)
        assert any("idempotency" in h.constraint.statement.lower() for h in default[:3])
        opted = kb.query(task=task, k=10, include_proposed=True).hits
        proposed = [h for h in opted if h.document.source == "proposals"]
        assert proposed and all(
            "proposed, not reviewed: advisory until a person accepts it" in h.why for h in proposed
        )
    finally:
        kb.close()


def test_proposals_are_rate_limited_per_proposer_and_capped_per_team(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path, embedder="hashing", proposal_rate=2, max_open_proposals=3))
    kb.propose(actor="bot", statement="Lesson one about queues.")
    kb.propose(actor="bot", statement="Lesson two about queues.")
    with pytest.raises(RateLimitError, match="bot made 2 proposals in the last minute") as refused:
        kb.propose(actor="bot", statement="Lesson three about queues.")
    assert refused.value.retry_after == 60
    (lesson, _dup) = kb.propose(actor="carol", statement="Lesson four about queues.")
    with pytest.raises(RateLimitError, match="3 proposals waiting for review"):
        kb.propose(actor="dave", statement="Lesson five about queues.")
    kb.reject(lesson[0].id, reason="not a lesson", actor="erin")
    kb.propose(actor="dave", statement="Lesson five about queues.")  # room again
    assert len([i for i in kb.review_queue() if i.reason == "proposal"]) == 3
    kb.close()


def test_mcp_with_a_team_serves_that_team_and_the_shared_lessons_only(fake_kb: KnowledgeBase) -> None:
    from api.mcp_server import build_server

    ours = _team_lesson(fake_kb, "payments", "Reuse the capture idempotency key on retries.")
    theirs = _team_lesson(fake_kb, "logistics", "Renew scanner leases at half their lifetime.")
    server = build_server(fake_kb, team="payments")

    async def call(name: str, arguments: dict[str, object]) -> object:
        return await server.call_tool(name, arguments)

    own = anyio.run(call, "get_constraint", {"id": ours})
    assert json.loads(own.content[0].text)["id"] == ours  # type: ignore[attr-defined]
    for name, args in (
        ("get_constraint", {"id": theirs}),
        ("give_feedback", {"id": theirs, "helpful": False}),
        ("lesson_history", {"id": theirs}),
    ):
        with pytest.raises(ToolError, match=f"no constraint with id {theirs}"):
            anyio.run(call, name, args)
    found = anyio.run(call, "find_constraints", {"task": "renew scanner leases", "k": 10})
    payload = json.loads(found.content[0].text)  # type: ignore[attr-defined]
    assert all(r["team"] in ("payments", "shared") for r in payload["results"])
    proposed = anyio.run(call, "propose_lesson", {"statement": "Alert on capture retries per order."})
    assert json.loads(proposed.content[0].text)["team"] == "payments"  # type: ignore[attr-defined]
    with pytest.raises(NotFoundError):
        fake_kb.feedback(theirs, helpful=True, actor="x", teams=("payments", "shared"))


def test_export_with_a_team_leaves_other_teams_out(
    fake_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import app

    _team_lesson(fake_kb, "payments", "Never retry a capture without its idempotency key.")
    _team_lesson(fake_kb, "logistics", "Never restart the scanner fleet at once.")
    for name, value in (("KB_HOME", str(fake_kb.settings.home)), ("KB_EMBEDDER", "hashing")):
        monkeypatch.setenv(name, value)
    fake_kb.close()
    out = tmp_path / "repo"
    out.mkdir()
    result = CliRunner().invoke(
        app,
        ["export", "--format", "agents-md", "--out", str(out), "--team", "payments", "--min-severity", "low"],
    )
    assert result.exit_code == 0, result.output
    text = (out / "AGENTS.md").read_text(encoding="utf-8")
    assert "idempotency key" in text and "scanner fleet" not in text
    everyone = CliRunner().invoke(
        app, ["export", "--format", "agents-md", "--out", str(out), "--min-severity", "low"]
    )
    assert everyone.exit_code == 0 and "scanner fleet" in (out / "AGENTS.md").read_text(encoding="utf-8")


def test_excerpts_quote_the_stored_text_never_a_local_file(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    from ingest.loader import Upload, ingest_uploads
    from kb.outputs.context import stored_excerpt

    secret = tmp_path / ".ssh" / "id_ed25519"
    secret.parent.mkdir()
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecretsecret\n", encoding="utf-8")
    text = (
        "---\ntitle: Key rotation\n---\n# Key rotation\n\n## Lessons\n\n- Rotate deploy keys every 90 days.\n"
    )
    ingest_uploads(fake_kb, [Upload(path=".ssh/id_ed25519", data=text.encode())], source=str(tmp_path))
    ((constraint, _d),) = fake_kb.all_constraints()
    _c, document = fake_kb.get(constraint.id)
    excerpt = stored_excerpt(document, line_start=constraint.line_start, line_end=constraint.line_end)
    assert excerpt["available"] and excerpt["line_offset_known"]
    assert "Rotate deploy keys every 90 days." in excerpt["text"]
    assert "PRIVATE KEY" not in excerpt["text"] and "secretsecret" not in excerpt["text"]
    assert excerpt["lines"][0] <= constraint.line_start == 8 <= excerpt["lines"][1]
