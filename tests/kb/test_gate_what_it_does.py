"""The gate blocks on what a change does, not on what it says: a runbook's lesson matched only by
similarity is advice, and a comment line neither adds an incident's quoted cause nor does what a rule
forbids (docs/gate.md, round six; test5 g209 and g218)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from kb.outputs import compliance, signatures
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence, change_lines
from kb.outputs.gate import check_diff, is_blocking_candidate
from kb.retrieval.diffs import parse_diff
from kb.service import KnowledgeBase
from tests.gate_lessons import add_lessons

PROBE_LESSON = "Never make a liveness probe depend on the database; a slow database then restarts every pod."
REPLAY_LESSON = "Never replay failed capture requests without their original idempotency key."


def _close(**fields: object) -> Evidence:
    """Evidence of a change that reads like the lesson and shares its rare words, and no more."""
    evidence = Evidence(
        path="checkout/clients/payments.py",
        content_similarity=0.64,
        task_similarity=None,
        shared_terms=["capture", "idempotency", "replay"],
    )
    for name, value in fields.items():
        setattr(evidence, name, value)
    return evidence


# --- a runbook's lesson blocks only on what the change does ----------------------------------------------


def test_similarity_alone_blocks_unless_told_not_to() -> None:
    close = _close()
    assert close.blocks(DEFAULT_THRESHOLDS, REPLAY_LESSON)
    assert not close.blocks(DEFAULT_THRESHOLDS, REPLAY_LESSON, on_similarity=False)
    # What the change does still blocks: it breaks the rule.
    broken = _close(violates=True, does_forbidden=["capture", "replay"])
    assert broken.blocks(DEFAULT_THRESHOLDS, REPLAY_LESSON, on_similarity=False)


def test_a_runbook_lesson_matched_only_by_similarity_is_advice(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "runbook", REPLAY_LESSON)
    hit = fake_kb.query(task=REPLAY_LESSON, k=1).hits[0]
    assert hit.document.kind == "runbook"
    close = _close()
    assert not is_blocking_candidate(hit, close)
    # The same lesson from a postmortem, or an ADR, blocks on the same evidence.
    for kind in ("postmortem", "adr"):
        document = SimpleNamespace(kind=kind, path=hit.document.path)
        assert is_blocking_candidate(replace(hit, document=document), close), kind  # type: ignore[arg-type]
    # A runbook's lesson the change breaks blocks.
    assert is_blocking_candidate(hit, _close(violates=True, does_forbidden=["capture", "replay"]))


# --- a comment says, it does not do ---------------------------------------------------------------------


def test_a_comment_does_not_do_what_a_rule_forbids() -> None:
    drop = "Never drop or rename a column in the same release that stops using it."
    comment = "    # The contract migration dropping the column ships in a later release."
    code = '    op.add_column("orders", sa.Column("ship_city", sa.String(100), nullable=True))'
    assert compliance.does_forbidden(drop, [comment, code]) == []
    assert compliance.does_forbidden(drop, [code, '    op.drop_column("orders", "shipping_address")'])
    # A comment at the end of a line of code leaves the code.
    trailing = '    op.drop_column("orders", "shipping_address")  # contract step'
    assert compliance.does_forbidden(drop, [trailing]) == ["column", "drop"]
    # A comment around the added lines does not bring the verb either.
    log = "Never log request bodies."
    assert compliance.does_forbidden(log, ["    body: req.body,"], ["  // fields of the log line"]) == []
    assert compliance.does_forbidden(log, ["    body: req.body,"], ["  logger.info({"])


def test_a_probe_made_to_depend_on_the_database_is_read_with_the_probe_around_it() -> None:
    edit = ["            httpGet: {path: /healthz/database}"]
    assert compliance.does_forbidden(PROBE_LESSON, edit, ["          livenessProbe:"])
    assert compliance.violates(PROBE_LESSON, edit, ["          livenessProbe:"])
    # A readiness probe the change adds is a probe of its own, whatever is around it.
    readiness = ["          readinessProbe:", *edit]
    assert compliance.does_forbidden(PROBE_LESSON, readiness, ["          livenessProbe:"]) == []
    # Nothing of the database added, or the probe only in a comment: not done.
    assert compliance.does_forbidden(PROBE_LESSON, ["  httpGet: {path: /healthz}"], ["livenessProbe:"]) == []
    assert compliance.does_forbidden(PROBE_LESSON, edit, ["  # livenessProbe: see below"]) == []


MIGRATION_POSTMORTEM = """# Orders failed after the address migration

## Root cause

The release dropped `shipping_address` while the previous release still read it; rollback failed with
`column orders.shipping_address does not exist`.
"""

EXPAND_DIFF = """diff --git a/migrations/versions/a1_expand.py b/migrations/versions/a1_expand.py
new file mode 100644
--- /dev/null
+++ b/migrations/versions/a1_expand.py
@@ -0,0 +1,4 @@
+def upgrade() -> None:
+    # Expand only: shipping_address stays; dropping it ships in a later release.
+    op.add_column("orders", sa.Column("ship_city", sa.String(100), nullable=True))
+    op.add_column("orders", sa.Column("ship_street", sa.String(200), nullable=True))
"""


def test_a_comment_naming_a_quoted_cause_does_not_add_it() -> None:
    found = signatures.extract(MIGRATION_POSTMORTEM)
    lines = change_lines(parse_diff(EXPAND_DIFF), EXPAND_DIFF)
    assert all("#" not in line for line in lines.quotable)
    assert not signatures.match(found, lines.quotable, lines.removed).risks
    # The same name in code is the cause.
    contract = EXPAND_DIFF.replace(
        '+    op.add_column("orders", sa.Column("ship_street", sa.String(200), nullable=True))',
        '+    op.drop_column("orders", "shipping_address")',
    )
    lines = change_lines(parse_diff(contract), contract)
    assert signatures.match(found, lines.quotable, lines.removed).risks


PROBE_CODE_DIFF = """diff --git a/deploy/k8s/api/deployment.yaml b/deploy/k8s/api/deployment.yaml
--- a/deploy/k8s/api/deployment.yaml
+++ b/deploy/k8s/api/deployment.yaml
@@ -20,2 +20,2 @@ spec:
           livenessProbe:
-            httpGet: {path: /healthz}
+            httpGet: {path: /healthz/database}
"""

PROBE_COMMENT_DIFF = """diff --git a/deploy/k8s/api/deployment.yaml b/deploy/k8s/api/deployment.yaml
--- a/deploy/k8s/api/deployment.yaml
+++ b/deploy/k8s/api/deployment.yaml
@@ -20,2 +20,3 @@ spec:
           livenessProbe:
+            # Never make a liveness probe depend on the database; a slow database then restarts every pod.
             httpGet: {path: /healthz}
"""


def test_the_gate_blocks_the_code_and_not_the_comment(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", PROBE_LESSON)
    # The hashing embedder reads little of two YAML lines (cosine 0.12 where MiniLM reads more): the
    # decision is under test here, not the model.
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=0.1)
    assert check_diff(fake_kb, PROBE_CODE_DIFF, thresholds=t).exit_code == 1
    # The lesson's own words, pasted as a comment above an unchanged probe, read far closer to it
    # (similarity and shared words) and do nothing.
    result = check_diff(fake_kb, PROBE_COMMENT_DIFF, thresholds=t)
    assert result.findings and result.findings[0].evidence is not None
    assert result.findings[0].evidence.content_similarity >= t.content_similarity
    assert result.exit_code == 0, [f.why() for f in result.blocking]
