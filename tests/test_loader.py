"""Ingest from files: idempotent by content hash, per-file errors, nothing stored is lost."""

from __future__ import annotations

from pathlib import Path

from ingest.loader import ingest_path
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


def test_a_changed_file_replaces_only_its_constraints(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    _write(root, "postmortems/checkout.md", POSTMORTEM)
    _write(root, "adrs/0004-label-queue.md", ADR)
    ingest_path(fake_kb, root)
    before = _ids_by_path(fake_kb)
    _write(
        root, "postmortems/checkout.md", POSTMORTEM + "- Page the payments on-call when tax calls time out.\n"
    )
    report = ingest_path(fake_kb, root)
    assert report.summary()["updated"] == 1 and report.summary()["unchanged"] == 1
    after = _ids_by_path(fake_kb)
    assert after["adrs/0004-label-queue.md"] == before["adrs/0004-label-queue.md"]
    assert set(after["postmortems/checkout.md"]).isdisjoint(before["postmortems/checkout.md"])
    statements = [
        c.statement for c, d in fake_kb.store.all_constraints() if d.path == "postmortems/checkout.md"
    ]
    assert any("on-call" in s for s in statements)
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


def test_single_file_paths_are_relative_to_its_folder(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _write(tmp_path / "docs", "adrs/0004-label-queue.md", ADR)
    report = ingest_path(fake_kb, path)
    assert [f.path for f in report.files] == ["0004-label-queue.md"]
    assert report.source == "adrs"
