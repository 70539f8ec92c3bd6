"""Passages: every document stays findable, as cited text that is never a rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.index.catalog import CatalogData
from kb.index.passages import excerpt, split_passages
from kb.outputs.context import prompt_context
from kb.outputs.export import export_rules
from kb.outputs.gate import check_diff
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase

NOTES = """# Zookeeper notes

Intro text about the cluster.

## Upgrades

The zookeeper ensemble lost quorum when two nodes restarted together.
Restart one member at a time and wait for the leader election.

```
# not a heading: a shell comment
```
"""


def _lesson(statement: str) -> ConstraintDraft:
    return ConstraintDraft(statement=statement, rationale="", category="operational", severity="high")


@pytest.fixture
def kb(fake_kb: KnowledgeBase) -> KnowledgeBase:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="notes/zk.md",
                kind="runbook",
                title="Zookeeper notes",
                sha256="1",
                body=NOTES,
                metadata={"body_line_offset": 4},
                constraints=[],  # extraction found nothing
            ),
            DocumentDraft(
                path="pm/disk.md",
                kind="postmortem",
                title="Disk full",
                sha256="2",
                body="# Disk full\n\nThe logging host's disk filled up.\n",
                constraints=[_lesson("Alert before the logging disks fill up.")],
            ),
        ],
    )
    return fake_kb


def test_sections_become_passages_with_heading_path_and_lines() -> None:
    passages = split_passages(NOTES)
    assert [(p.heading, p.line_start, p.line_end) for p in passages] == [
        ("Zookeeper notes", 3, 3),
        ("Zookeeper notes > Upgrades", 7, 12),  # a '#' inside fenced code opens no section
    ]
    assert excerpt(NOTES, 7, 8) == (
        "The zookeeper ensemble lost quorum when two nodes restarted together. "
        "Restart one member at a time and wait for the leader election."
    )
    assert excerpt(NOTES, 7, 8, limit=30) == "The zookeeper ensemble lost …"


def test_a_long_section_is_cut_at_line_boundaries() -> None:
    body = "# T\n" + "\n".join(f"word{i} " * 10 for i in range(30))
    passages = split_passages(body, words=50)
    assert len(passages) == 6 and all(p.heading == "T" for p in passages)
    assert [p.line_start for p in passages] == [2, 7, 12, 17, 22, 27]


def test_a_document_without_lessons_is_returned_as_a_cited_passage(kb: KnowledgeBase) -> None:
    result = kb.query(task="zookeeper quorum restart", k=3)
    assert [p.document.path for p in result.passages] == ["notes/zk.md"]
    passage = result.passages[0].to_dict()
    assert passage["match"] == "passage" and passage["type"] == "passage"
    assert passage["source"]["section"] == "Zookeeper notes > Upgrades"
    # Lines are the source file's: the stored body starts after 4 lines of front matter.
    assert passage["source"]["lines"] == [11, 16]
    assert passage["excerpt"].startswith("The zookeeper ensemble lost quorum")
    assert passage["confidence"] == "weak"  # lexical evidence only: never strong
    assert "no lesson extracted from this document" in passage["why"]
    # The contract only grows: lessons keep every field and say what they are.
    out = result.to_dict()
    assert set(out) == {"query", "results", "passages"}
    assert all(r["match"] == "lesson" and "statement" in r for r in out["results"])
    # It ranks above the unrelated lesson, and the evaluator's merged list says so.
    assert result.ranked()[0] is result.passages[0]


def test_passages_off_leaves_lessons_only(kb: KnowledgeBase) -> None:
    from dataclasses import replace

    from kb.retrieval.search import DEFAULT_WEIGHTS

    kb.weights = replace(DEFAULT_WEIGHTS, passage_candidates=0)
    assert kb.query(task="zookeeper quorum restart", k=3).passages == []


def test_a_passage_never_blocks_and_is_never_exported(kb: KnowledgeBase, tmp_path: Path) -> None:
    diff = (
        "diff --git a/deploy/zookeeper.yaml b/deploy/zookeeper.yaml\n"
        "--- a/deploy/zookeeper.yaml\n+++ b/deploy/zookeeper.yaml\n@@ -1,2 +1,2 @@\n"
        " zookeeper:\n-  restart: one-at-a-time\n+  restart: zookeeper quorum all members together\n"
    )
    assert kb.query(diff=diff, k=5).passages, "the lessonless document matches the diff"
    result = check_diff(kb, diff)
    assert all(f.hit.document.path != "notes/zk.md" for f in result.findings)
    assert result.exit_code == 0
    out = tmp_path / "rules"
    out.mkdir()
    report = export_rules(kb.all_constraints(), target="agents-md", out_dir=out, min_severity="low")
    written = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert "logging disks" in written
    assert report.to_dict() and "zookeeper" not in written.lower()


@pytest.mark.parametrize("fmt", ["markdown", "xml", "json"])
def test_a_prompt_block_cites_the_passage_as_reference_not_as_a_lesson(kb: KnowledgeBase, fmt: str) -> None:
    block = prompt_context(kb, task="zookeeper quorum restart", diff=None, fmt=fmt, min_confidence="weak")
    passages = [item for item in block.included if item.match == "passage"]
    assert len(passages) == 1 and passages[0].citation.startswith("notes/zk.md:11-16")
    # Lessons come first: a passage is reference text, not a rule.
    assert [item.match for item in block.included][-1] == "passage"
    if fmt == "json":
        payload = json.loads(block.text)
        assert payload["passages"][0]["match"] == "passage"
        assert all("notes/zk.md" not in c["source"] for c in payload["constraints"])
        assert 0 not in payload["omitted"]["ids"]
    elif fmt == "xml":
        assert "<passage " in block.text and 'rule="no"' in block.text
    else:
        assert "(cited text, not a rule)" in block.text and "notes/zk.md:11-16" in block.text


def test_the_catalog_keeps_every_document_and_its_passages(kb: KnowledgeBase) -> None:
    kb.reindex()
    data = CatalogData.load(kb.settings.index_dir)
    assert len(data.doc_ids) == 2  # the lessonless document too
    assert len(data.passages) == 3
    lessonless = int(data.passages.documents[0])
    assert kb.catalog().by_document[lessonless] == []
    assert {data.passages.heading(i) for i in range(len(data.passages))} == {
        "Zookeeper notes",
        "Zookeeper notes > Upgrades",
        "Disk full",
    }


def test_another_teams_document_gives_no_passage(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(path="z.md", kind="runbook", title="Z", sha256="1", body=NOTES, constraints=[]),
            DocumentDraft(
                path="d.md", kind="postmortem", title="D", sha256="2", body="d", constraints=[_lesson("D.")]
            ),
        ],
        team="red",
    )
    assert fake_kb.query(task="zookeeper quorum", k=3, teams=["blue"]).passages == []
    assert fake_kb.query(task="zookeeper quorum", k=3, teams=["red"]).passages
