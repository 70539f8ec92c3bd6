"""Rule-file export: scoping, citations, the team's own text left alone, budgets, stale files removed."""

from __future__ import annotations

from pathlib import Path

from kb.outputs.export import BEGIN, END, MANIFEST, cursor_globs, export_rules, scope_dir
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase


def _lesson(statement: str, severity: str = "high", paths: list[str] | None = None, status: str = "active"):
    return ConstraintDraft(
        statement=statement,
        rationale="",
        category="operational",
        severity=severity,
        status=status,
        paths=paths or [],
        section="Lessons Learned",
        line_start=10,
        line_end=11,
    )


def _kb(fake_kb: KnowledgeBase, *lessons: ConstraintDraft) -> KnowledgeBase:
    fake_kb.add_documents(
        "seed",
        [
            DocumentDraft(
                path="postmortems/PM-1.md",
                kind="postmortem",
                title="Double capture",
                sha256="x",
                constraints=list(lessons),
            )
        ],
    )
    return fake_kb


def test_scope_dirs_and_cursor_globs() -> None:
    assert scope_dir("services/payments/capture.py") == "services/payments"
    assert scope_dir("services/labels/carriers/") == "services/labels/carriers"
    assert scope_dir("deploy/k8s/*.yaml") == "deploy/k8s"
    assert scope_dir("**/*.sql") == ""
    assert scope_dir("pkg/httpclient") == "pkg/httpclient"
    assert cursor_globs("services/labels/carriers/") == ["services/labels/carriers/**"]
    assert cursor_globs("deploy/k8s/*.yaml") == ["deploy/k8s/*.yaml"]
    assert cursor_globs("pkg/httpclient") == ["pkg/httpclient", "pkg/httpclient/**"]


def test_agents_md_is_nearest_directory_scoped_and_keeps_the_teams_text(
    fake_kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb = _kb(
        fake_kb,
        _lesson("Send an idempotency key on every capture retry.", "critical"),
        _lesson("Never disable the idempotency check.", paths=["services/payments/capture.py"]),
        _lesson("Probe only local health.", paths=["deploy/k8s/*.yaml"]),
        _lesson("A medium lesson.", "medium"),
        _lesson("A proposed lesson.", "critical", status="proposed"),
    )
    (tmp_path / "services" / "payments").mkdir(parents=True)
    (tmp_path / "AGENTS.md").write_text("# Our conventions\n\nUse tabs.\n")
    report = export_rules(kb.store.all_constraints(), target="agents-md", out_dir=tmp_path)

    root = (tmp_path / "AGENTS.md").read_text()
    assert root.startswith("# Our conventions\n\nUse tabs.\n")
    assert root.count(BEGIN) == 1 and root.count(END) == 1
    assert "Send an idempotency key" in root
    assert "Source: Double capture, postmortems/PM-1.md:10-11" in root
    # deploy/k8s does not exist here: the rule falls back to the root file with its scope.
    assert "Probe only local health.” (applies to `deploy/k8s/*.yaml`)" in root
    assert "A medium lesson" not in root and "A proposed lesson" not in root
    scoped = (tmp_path / "services" / "payments" / "AGENTS.md").read_text()
    assert "Never disable the idempotency check." in scoped
    assert "Never disable" not in root
    assert {f.path for f in report.files} == {"AGENTS.md", "services/payments/AGENTS.md"}

    # A second export replaces the section in place; a folder no longer scoped is cleaned up.
    (tmp_path / "services" / "payments" / "AGENTS.md").write_text(
        scoped + "\nTeam note kept.\n", encoding="utf-8"
    )
    kb.add_documents(
        "seed",
        [
            DocumentDraft(
                path="postmortems/PM-1.md",
                kind="postmortem",
                title="Double capture",
                sha256="y",
                constraints=[_lesson("Send an idempotency key on every capture retry.", "critical")],
            )
        ],
    )
    again = export_rules(kb.store.all_constraints(), target="agents-md", out_dir=tmp_path)
    assert again.removed == ["services/payments/AGENTS.md"]
    assert (tmp_path / "services" / "payments" / "AGENTS.md").read_text() == "Team note kept.\n"
    assert (tmp_path / "AGENTS.md").read_text().count(BEGIN) == 1


def test_cursor_rules_carry_globs_and_an_always_applied_general_file(
    fake_kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb = _kb(
        fake_kb,
        _lesson("Send an idempotency key on every capture retry.", "critical"),
        _lesson("Probe only local health.", paths=["deploy/k8s/*.yaml", "helm/"]),
    )
    report = export_rules(kb.store.all_constraints(), target="cursor-rules", out_dir=tmp_path)
    rules = tmp_path / ".cursor" / "rules"
    general = (rules / "forewarn-general.mdc").read_text()
    assert general.startswith("---\ndescription: ") and "alwaysApply: true" in general
    k8s = (rules / "forewarn-deploy-k8s.mdc").read_text()
    assert "globs: deploy/k8s/*.yaml\n" in k8s and "alwaysApply: false" in k8s
    assert "globs: helm/**\n" in (rules / "forewarn-helm.mdc").read_text()
    assert "(Forewarn #" in k8s and "postmortems/PM-1.md:10-11" in k8s
    assert len(report.files) == 3


def test_an_export_made_under_the_first_name_is_replaced_in_place(
    fake_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """Files written when the product was called Hindsight: its section, manifest and rule files."""
    kb = _kb(fake_kb, _lesson("Send an idempotency key on every capture retry.", "critical"))
    (tmp_path / "AGENTS.md").write_text(
        "# Team\n\nOur note.\n\n<!-- hindsight:begin -->\nold rules\n<!-- hindsight:end -->\n"
    )
    rules = tmp_path / ".cursor" / "rules"
    rules.mkdir(parents=True)
    (rules / "hindsight-general.mdc").write_text("old\n")
    (tmp_path / ".hindsight-export.json").write_text(
        '{"agents-md": ["AGENTS.md"], "cursor-rules": [".cursor/rules/hindsight-general.mdc"]}\n'
    )
    export_rules(kb.store.all_constraints(), target="agents-md", out_dir=tmp_path)
    text = (tmp_path / "AGENTS.md").read_text()
    assert text.startswith("# Team\n\nOur note.\n\n" + BEGIN)
    assert "hindsight:" not in text and "old rules" not in text and text.count(BEGIN) == 1
    assert (tmp_path / MANIFEST).is_file() and not (tmp_path / ".hindsight-export.json").exists()

    (tmp_path / MANIFEST).write_text('{"cursor-rules": [".cursor/rules/hindsight-general.mdc"]}\n')
    report = export_rules(kb.store.all_constraints(), target="cursor-rules", out_dir=tmp_path)
    assert report.removed == [".cursor/rules/hindsight-general.mdc"]
    assert sorted(p.name for p in rules.iterdir()) == ["forewarn-general.mdc"]


def test_a_size_budget_lists_what_did_not_fit(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    lessons = [_lesson(f"Lesson {n}: " + "keep payments safe " * 8, "critical") for n in range(20)]
    kb = _kb(fake_kb, *lessons)
    report = export_rules(kb.store.all_constraints(), target="claude-md", out_dir=tmp_path, max_bytes=2000)
    (file,) = report.files
    text = (tmp_path / "CLAUDE.md").read_text()
    assert len(text.encode()) <= 2000 and file.bytes <= 2000
    assert file.included and file.omitted
    assert len(file.included) + len(file.omitted) == 20
    listed = ", ".join(f"#{r.id}" for r in file.omitted)
    assert f"{len(file.omitted)} more rules did not fit the 2000-byte budget: {listed}" in text
    assert report.omitted == sorted(r.id for r in file.omitted)


def test_only_rules_are_exported(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    """Procedures (runbook steps) and follow-ups (one-off tickets) are context, not rules."""
    from dataclasses import replace

    rule = _lesson("Send an Idempotency-Key with every capture retry.", "critical")
    decision = replace(
        _lesson("Payments use PostgreSQL as the system of record.", "critical"), record_type="decision"
    )
    step = replace(
        _lesson("Restart the capture worker after rotating its key.", "critical"), record_type="procedure"
    )
    ticket = replace(_lesson("Write a wiki page on capture retries.", "critical"), record_type="follow_up")
    kb = _kb(fake_kb, rule, decision, step, ticket)
    report = export_rules(kb.store.all_constraints(), target="agents-md", out_dir=tmp_path)
    text = (tmp_path / "AGENTS.md").read_text()
    assert "Idempotency-Key" in text and "system of record" in text
    assert "Restart the capture worker" not in text and "wiki page" not in text
    assert sum(len(f.included) for f in report.files) == 2
