"""Ingest from files: idempotent by content hash, per-file errors, nothing stored is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loader import ingest_path, is_ignored, is_template
from kb.service import KnowledgeBase

POSTMORTEM = """---
title: Checkout timeouts
date: 2024-03-02
services: [checkout-web]
---
# Checkout timeouts

## Summary

Checkout calls to the tax service hung for 40 minutes and 12% of orders failed.

## Action Items

- Set a two-second timeout on every call from checkout to the tax service.
- Add an alert when checkout error rate exceeds two percent for five minutes.
"""

ADR = """# 4. Use a queue for label printing

Date: 2024-01-10

## Status

Accepted

## Context

Label printing blocked checkout when the printer API was slow.

## Decision

All label printing requests must go through the label queue, never directly from checkout.
"""


def _write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _ids_by_path(kb: KnowledgeBase) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for constraint, document in kb.store.all_constraints():
        out.setdefault(document.path, []).append(constraint.id or 0)
    return out


def test_ingest_then_reingest_is_idempotent(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    _write(root, "postmortems/checkout.md", POSTMORTEM)
    _write(root, "adrs/0004-label-queue.md", ADR)
    first = ingest_path(fake_kb, root)
    assert first.summary()["added"] == 2 and first.summary()["failed"] == 0
    assert first.source == "docs"
    ids = _ids_by_path(fake_kb)
    assert set(ids) == {"postmortems/checkout.md", "adrs/0004-label-queue.md"}
    assert all(ids.values())
    revision = fake_kb.store.revision()

    second = ingest_path(fake_kb, root)
    assert second.summary() == {"added": 0, "updated": 0, "unchanged": 2, "skipped": 0, "failed": 0}
    assert _ids_by_path(fake_kb) == ids
    assert fake_kb.store.revision() == revision


def _statement_ids(kb: KnowledgeBase, path: str) -> dict[str, int]:
    return {c.statement: c.id or 0 for c, d in kb.store.all_constraints() if d.path == path}


def test_a_changed_file_replaces_only_its_constraints(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    _write(root, "postmortems/checkout.md", POSTMORTEM)
    _write(root, "adrs/0004-label-queue.md", ADR)
    ingest_path(fake_kb, root)
    before = _ids_by_path(fake_kb)
    old = _statement_ids(fake_kb, "postmortems/checkout.md")
    timeout_id = next(i for s, i in old.items() if "timeout" in s)
    alert_id = next(i for s, i in old.items() if "alert" in s.lower())
    # A person curates the timeout lesson; the alert lesson is reworded in the document.
    fake_kb.update_constraint(timeout_id, {"severity": "critical"}, actor="test")
    changed = POSTMORTEM.replace("exceeds two percent", "exceeds three percent") + (
        "- Page the payments on-call when tax calls time out.\n"
    )
    _write(root, "postmortems/checkout.md", changed)

    report = ingest_path(fake_kb, root)
    assert report.summary()["updated"] == 1 and report.summary()["unchanged"] == 1
    after = _ids_by_path(fake_kb)
    assert after["adrs/0004-label-queue.md"] == before["adrs/0004-label-queue.md"]  # nothing else moves
    new = _statement_ids(fake_kb, "postmortems/checkout.md")
    # The unchanged lesson keeps its id (acks and links cite it) and its curated severity.
    assert new[next(s for s in new if "timeout" in s)] == timeout_id
    assert fake_kb.get(timeout_id)[0].severity == "critical"
    # The reworded lesson is a new record; the old wording is gone.
    assert alert_id not in new.values()
    assert any("three percent" in s for s in new)
    assert any("on-call" in s for s in new)
    assert fake_kb.index().count == sum(len(v) for v in after.values())


def test_bad_files_fail_one_by_one_and_lose_nothing(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    good = _write(root, "postmortems/checkout.md", POSTMORTEM)
    ingest_path(fake_kb, root)
    stored = _ids_by_path(fake_kb)

    # The good file turns bad: its stored lesson must survive the failed re-ingest.
    good.write_text("---\ntitle: [unclosed\n---\n# Broken\n\n- Always do the thing.\n", encoding="utf-8")
    _write(root, "runbooks/binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    _write(
        root, "runbooks/latin1.md", "# Caf\xe9 runbook\n\n- Never restart the caf\xe9.\n".encode("latin-1")
    )
    _write(root, "runbooks/empty.md", "  \n\n")
    _write(root, "runbooks/huge.md", "# Big\n\n" + "- Always keep it small.\n" * 200_000)
    _write(root, "adrs/0004-label-queue.md", ADR)

    report = ingest_path(fake_kb, root)
    outcomes = {f.path: f for f in report.files}
    assert outcomes["adrs/0004-label-queue.md"].status == "added"
    errors = {path: (o.error or "") for path, o in outcomes.items() if o.status == "failed"}
    assert set(errors) == {
        "postmortems/checkout.md",
        "runbooks/binary.md",
        "runbooks/latin1.md",
        "runbooks/empty.md",
        "runbooks/huge.md",
    }
    assert "front matter" in errors["postmortems/checkout.md"]
    assert "binary" in errors["runbooks/binary.md"]
    assert "UTF-8" in errors["runbooks/latin1.md"]
    assert "empty" in errors["runbooks/empty.md"]
    assert "limit" in errors["runbooks/huge.md"]
    after = _ids_by_path(fake_kb)
    assert after["postmortems/checkout.md"] == stored["postmortems/checkout.md"]
    assert fake_kb.stats()["failed"] == 5


def test_templates_licences_and_images_are_not_documents(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    _write(root, "LICENSE", "MIT License\n\nPermission is hereby granted...\n")
    _write(root, "diagram.drawio", "<mxfile/>")
    _write(root, "adr-template.md", "# Title\n\n## Decision\n\n- We must [describe].\n")
    _write(root, ".hidden/notes.md", "# x\n\n- Always y.\n")
    _write(root, "PM2022-009 - Exported incident without extension", POSTMORTEM)
    report = ingest_path(fake_kb, root)
    statuses = {f.path: f.status for f in report.files}
    assert statuses == {
        "PM2022-009 - Exported incident without extension": "added",
        "adr-template.md": "skipped",
    }


def test_boilerplate_is_matched_by_name_not_by_a_prose_prefix(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    """A runbook called "notice-of-outage.md" is a document; NOTICE.txt and LICENSE-MIT are not."""
    root = tmp_path / "docs"
    for name in ("LICENSE-MIT", "CHANGELOG.md", "CHANGES.md", "NOTICE.txt", "CODEOWNERS", "COPYING.LESSER"):
        _write(root, name, "Project boilerplate, not an incident document.\n")
    for name in ("changelog-style-decisions.md", "notice-of-outage.md", "copying-backups-offsite.md"):
        _write(root, f"postmortems/{name}", POSTMORTEM)
    report = ingest_path(fake_kb, root)
    statuses = {f.path: f.status for f in report.files}
    assert statuses == {
        "postmortems/changelog-style-decisions.md": "added",
        "postmortems/notice-of-outage.md": "added",
        "postmortems/copying-backups-offsite.md": "added",
    }


def test_markdown_dialects_are_ingested_as_markdown(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    """Quarto and R Markdown incident reports are Markdown with front matter and code cells."""
    root = tmp_path / "docs"
    quarto = POSTMORTEM.replace("# Checkout timeouts\n", "```{python}\nprint('cell')\n```\n")
    _write(root, "incidents/2024-03-02-checkout.qmd", quarto)
    _write(root, "decisions/0004-label-queue.Rmd", ADR)
    report = ingest_path(fake_kb, root)
    assert {f.path: f.status for f in report.files} == {
        "incidents/2024-03-02-checkout.qmd": "added",
        "decisions/0004-label-queue.Rmd": "added",
    }
    documents = {d.path: d for d, _ in fake_kb.store.list_documents()}
    assert documents["incidents/2024-03-02-checkout.qmd"].title == "Checkout timeouts"
    assert documents["incidents/2024-03-02-checkout.qmd"].kind == "postmortem"
    assert documents["decisions/0004-label-queue.Rmd"].kind == "adr"
    statements = [c.statement for c, _ in fake_kb.store.all_constraints()]
    assert any("timeout" in s and "tax service" in s for s in statements)
    assert any("label queue" in s for s in statements)


def test_a_forewarnignore_file_leaves_out_what_it_names(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    _write(root, ".forewarnignore", "# index pages and drafts\nREADME.md\ndrafts/\nadrs/0000-*.md\n\n")
    _write(root, "README.md", "# Our postmortems\n\n- Always write one after a SEV2.\n")
    _write(root, "postmortems/README.md", "# Index\n\n- Never skip the review.\n")
    _write(root, "drafts/pm-wip.md", POSTMORTEM)
    _write(root, "adrs/0000-example.md", ADR)
    _write(root, "adrs/0004-label-queue.md", ADR)
    _write(root, "postmortems/2024-03-02-checkout.md", POSTMORTEM)
    report = ingest_path(fake_kb, root)
    assert sorted(f.path for f in report.files) == [
        "adrs/0004-label-queue.md",
        "postmortems/2024-03-02-checkout.md",
    ]
    assert all(f.status == "added" for f in report.files)


def test_ignore_patterns_read_like_gitignore() -> None:
    assert is_ignored("README.md", ["README.md"]) and is_ignored("a/b/README.md", ["README.md"])
    assert is_ignored("drafts/x.md", ["drafts/"]) and is_ignored("a/drafts/x.md", ["drafts/"])
    assert not is_ignored("drafts", ["drafts/"])  # a file named like the folder stays
    assert is_ignored("adrs/0000-x.md", ["/adrs/0000-*.md"]) and not is_ignored(
        "old/adrs/0000-x.md", ["adrs/0000-*.md"]
    )
    assert is_ignored("notes.draft.md", ["*.draft.md"]) and not is_ignored("notes.md", ["*.draft.md"])
    assert not is_ignored("postmortems/readme-is-not-me.md", ["README.md"])


def test_single_file_paths_are_relative_to_its_folder(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _write(tmp_path / "docs", "adrs/0004-label-queue.md", ADR)
    report = ingest_path(fake_kb, path)
    assert [f.path for f in report.files] == ["0004-label-queue.md"]
    assert report.source == "adrs"


OLD_ADR = """# 1. Call the carrier API from checkout

Date: 2023-01-05

## Status

Accepted

## Context

Checkout needs a shipping label before it confirms an order.

## Decision

Checkout must call the carrier API synchronously before confirming an order.
"""

NEW_ADR = """# 2. Buy labels asynchronously

Date: 2024-02-01

## Status

Accepted

Supersedes [ADR-0001](0001-call-carrier-from-checkout.md)

## Context

Synchronous carrier calls failed checkout whenever a carrier was slow.

## Decision

Label purchases must go through the label queue, never inside the checkout request.
"""


def test_a_new_adr_supersedes_an_unchanged_one_from_an_earlier_run(
    fake_kb: KnowledgeBase, tmp_path: Path
) -> None:
    root = tmp_path / "docs"
    _write(root, "adrs/0001-call-carrier-from-checkout.md", OLD_ADR)
    ingest_path(fake_kb, root)
    [(old, _)] = [(c, d) for c, d in fake_kb.store.all_constraints() if d.path.startswith("adrs/0001")]
    assert old.status == "active"

    _write(root, "adrs/0002-buy-labels-asynchronously.md", NEW_ADR)
    report = ingest_path(fake_kb, root)
    assert report.summary()["added"] == 1
    assert {f.path: f.status for f in report.files}["adrs/0001-call-carrier-from-checkout.md"] == "updated"
    record, _ = fake_kb.get(old.id or 0)  # same lesson, same id
    assert record.status == "superseded"
    assert "superseded-by:adrs/0002-buy-labels-asynchronously.md" in record.tags
    successor = fake_kb.store.stored_hashes("docs")["adrs/0002-buy-labels-asynchronously.md"]
    assert fake_kb.store.get_document(successor.id).meta["supersedes_paths"] == [
        "adrs/0001-call-carrier-from-checkout.md"
    ]
    # Nothing changed on disk: the next run rewrites nothing.
    again = ingest_path(fake_kb, root)
    assert again.summary()["unchanged"] == 2 and again.summary()["updated"] == 0


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("adr-template.md", True),
        ("template.md", True),
        ("adr-template-bare-minimal.md", True),
        ("ODH-ADR-0000-template.md", True),
        ("PMyyyy-nnn - Postmortem template.md", True),
        ("0039-use-apache-velocity-as-template-engine.md", False),
        ("0010-django-templates.md", False),
        ("SSPTemplateValidatorDown.md", False),
        ("2024-03-01-launch-template-drift.md", False),
    ],
)
def test_only_blank_templates_are_skipped_by_name(name: str, template: bool) -> None:
    """A document about templates is a document; only a file named as a blank template is skipped."""
    assert is_template(Path(name)) is template


def test_a_document_about_templates_is_ingested(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    _write(
        root,
        "0039-use-a-template-engine-for-exports.md",
        "# Use a template engine\n\n## Decision\n\n"
        "- Render every export with the template engine; never concatenate strings.\n",
    )
    _write(root, "adr-template.md", "# Title\n\n## Decision\n\n- We must [describe].\n")
    report = ingest_path(fake_kb, root)
    statuses = {f.path: f.status for f in report.files}
    assert statuses == {"0039-use-a-template-engine-for-exports.md": "added", "adr-template.md": "skipped"}
