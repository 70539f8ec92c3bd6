"""The CI gate: the decision, acknowledgements, and ``kb check`` as a process with exact exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seedhome import PAYMENT_DIFF, run_kb, seed_home

from kb.errors import InputError
from kb.outputs.gate import MARKER, check_diff, parse_ack_values, parse_trailers, render_text
from kb.service import KnowledgeBase

DOCS_DIFF = """diff --git a/docs/intro.md b/docs/intro.md
--- a/docs/intro.md
+++ b/docs/intro.md
@@ -1,1 +1,2 @@
 # Welcome
+Our team photo from the 2023 summer picnic is below.
"""


def test_trailers_are_read_from_any_line_of_a_commit_message() -> None:
    message = (
        "Add capture retries\n\nUses the order id as key.\n\nForewarn-Ack: 42, #43\nforewarn-ack: FW7 8\n"
    )
    assert parse_trailers(message) == {42, 43, 7, 8}
    assert parse_trailers("Mentions Forewarn-Ack in prose: nothing") == set()


def test_trailers_and_rule_ids_of_the_first_name_still_count() -> None:
    """Commits pushed while the product was called Hindsight keep their acknowledgements."""
    assert parse_trailers("Retry\n\nHindsight-Ack: 42, HS43\nhindsight-ack: fw7\n") == {42, 43, 7}
    assert parse_ack_values(["HS42", "fw43"]) == {42, 43}


def test_ack_values_accept_lists_and_refuse_nonsense() -> None:
    assert parse_ack_values(["42,43", "FW7", " #8 "]) == {42, 43, 7, 8}
    with pytest.raises(InputError, match="cannot read 'abc'"):
        parse_ack_values(["abc"])


@pytest.mark.model
def test_a_payment_retry_diff_is_blocked_by_the_idempotency_lesson(seed_kb: KnowledgeBase) -> None:
    result = check_diff(seed_kb, PAYMENT_DIFF)
    assert result.exit_code == 1
    blocking = result.blocking
    assert blocking
    for finding in blocking:
        c = finding.hit.constraint
        assert c.status == "active" and c.severity in ("critical", "high")
        assert finding.hit.confidence == "strong"
        assert finding.location is not None
        assert finding.location.path == "services/checkout/payment_client.py"
        assert finding.location.line == 11  # the first added line of the hunk
    statements = " ".join(f.hit.constraint.statement.lower() for f in blocking)
    assert "idempoten" in statements
    assert any(f.hit.document.path.startswith("postmortems/PM-2024-003") for f in blocking)

    acked = check_diff(seed_kb, PAYMENT_DIFF, acks={f.id for f in blocking})
    assert acked.exit_code == 0
    assert {f.id for f in acked.acknowledged} == {f.id for f in blocking}
    assert acked.unused_acks == []


@pytest.mark.model
def test_an_unrelated_diff_passes(seed_kb: KnowledgeBase) -> None:
    result = check_diff(seed_kb, DOCS_DIFF)
    assert result.exit_code == 0
    assert result.blocking == []


def test_an_empty_diff_passes_without_a_lookup(fake_kb: KnowledgeBase) -> None:
    assert check_diff(fake_kb, "  \n").exit_code == 0


# --- the command, as CI runs it ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory.getbasetemp())


@pytest.mark.model
def test_kb_check_exits_1_with_valid_sarif_then_0_with_acks(home: Path, tmp_path: Path) -> None:
    import jsonschema

    sarif_path = tmp_path / "forewarn.sarif"
    out = run_kb(home, "check", "--format", "markdown", "--sarif-out", str(sarif_path), input=PAYMENT_DIFF)
    assert out.returncode == 1, out.stderr
    assert out.stdout.startswith(MARKER + "\n")
    assert "block this change" in out.stdout

    sarif = json.loads(sarif_path.read_text())
    schema = json.loads((Path(__file__).parents[1] / "data" / "sarif-2.1.0.schema.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "Forewarn"
    errors = [r for r in run["results"] if r["level"] == "error"]
    assert errors
    location = errors[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "services/checkout/payment_client.py"
    assert location["region"]["startLine"] == 11
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= rule_ids
    assert all(r["ruleId"].startswith("FW") for r in errors)
    blocking_ids = [r["ruleId"].removeprefix("FW") for r in errors]

    diff_file = tmp_path / "change.diff"
    diff_file.write_text(PAYMENT_DIFF)
    acked = run_kb(
        home, "check", "--diff", str(diff_file), "--ack", ",".join(blocking_ids), "--format", "json"
    )
    assert acked.returncode == 0, acked.stdout + acked.stderr
    report = json.loads(acked.stdout)
    assert report["blocking"] == []
    assert sorted(map(str, report["acknowledged"])) == sorted(blocking_ids)

    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text(f"Retry captures with a key\n\nForewarn-Ack: {', '.join(blocking_ids)}\n")
    trailer = run_kb(home, "check", "--diff", str(diff_file), "--commit-msg", str(message))
    assert trailer.returncode == 0, trailer.stdout + trailer.stderr
    assert "acknowledged" in trailer.stdout


@pytest.mark.model
def test_kb_check_exits_2_on_errors(home: Path, tmp_path: Path) -> None:
    missing = run_kb(home, "check", "--diff", str(tmp_path / "nope.diff"))
    assert missing.returncode == 2
    assert "no such diff file" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    garbage = run_kb(home, "check", "--diff", "-", input="this is not a diff\n")
    assert garbage.returncode == 2
    assert "not a unified diff" in garbage.stderr
    bad_format = run_kb(home, "check", "--format", "xml", input=DOCS_DIFF)
    assert bad_format.returncode == 2


CARD_VAULT_DIFF = """diff --git a/services/payments/vault.py b/services/payments/vault.py
new file mode 100644
--- /dev/null
+++ b/services/payments/vault.py
@@ -0,0 +1,4 @@
+# Store the card number (PAN) and expiry in our own vault so charges can be routed to any processor.
+def store_card(customer_id: str, pan: str, expiry: str) -> None:
+    vault.put(customer_id, {"pan": pan, "expiry": expiry})
+    log.info("stored card for %s", customer_id)
"""


@pytest.mark.model
def test_a_rejected_decision_is_context_never_a_finding(seed_kb: KnowledgeBase) -> None:
    result = seed_kb.query(task="store customers' card numbers in our own vault to route charges", k=10)
    rejected = [h for h in result.hits if h.constraint.status == "rejected"]
    assert rejected, [h.document.path for h in result.hits]
    assert all(h.document.path.startswith("adrs/0011") for h in rejected)
    assert all("rejected decision: kept as context" in h.why for h in rejected)
    check = check_diff(seed_kb, CARD_VAULT_DIFF)
    assert all(f.hit.constraint.status != "rejected" for f in check.findings)


# --- decisions from the change itself (fast: the hashing embedder) ----------------------------------------

PROBE_LESSON = "Never make a liveness probe depend on the database; a slow database then restarts every pod."


def _kb_with_lessons(kb: KnowledgeBase, *lessons: tuple[str, str, str, list[str]]) -> KnowledgeBase:
    """Lessons as (statement, severity, record type, path globs) in one postmortem, with unrelated
    ones (a word is rare, and telling, only among several lessons)."""
    from kb.records import ConstraintDraft, DocumentDraft

    lessons = (*lessons, *((text, "medium", "procedure", []) for text in OTHER_LESSONS))

    drafts = [
        ConstraintDraft(
            statement=statement,
            rationale="",
            category="operational",
            severity=severity,
            record_type=record_type,
            paths=paths,
            section="Lessons",
            line_start=n + 3,
            line_end=n + 3,
        )
        for n, (statement, severity, record_type, paths) in enumerate(lessons)
    ]
    document = DocumentDraft(
        path="postmortems/pm-1.md",
        kind="postmortem",
        title="Probe outage",
        sha256="0" * 64,
        constraints=drafts,
    )
    kb.add_documents("seed", [document])
    return kb


OTHER_LESSONS = (
    "Announce credential rotations in the ops channel thirty minutes ahead.",
    "Keep the previous rendered manifest at hand to revert without Argo CD.",
    "Record the count of deleted documents in the incident ticket.",
    "Schedule migrations outside the trading peaks.",
    "Page the security on-call before deleting evidence.",
)


K8S_TLS_DIFF = """diff --git a/deploy/k8s/ingress/shop.yaml b/deploy/k8s/ingress/shop.yaml
--- a/deploy/k8s/ingress/shop.yaml
+++ b/deploy/k8s/ingress/shop.yaml
@@ -3,3 +3,4 @@ metadata:
   annotations:
     cert-manager.io/cluster-issuer: letsencrypt-prod
+    nginx.ingress.kubernetes.io/proxy-body-size: 10m
"""

PROBE_DIFF = """diff --git a/deploy/k8s/api/deployment.yaml b/deploy/k8s/api/deployment.yaml
--- a/deploy/k8s/api/deployment.yaml
+++ b/deploy/k8s/api/deployment.yaml
@@ -20,3 +20,5 @@ spec:
           livenessProbe:
+            # Never make a liveness probe depend on the database; a slow database then restarts every pod.
+            httpGet: {path: /healthz/database}
"""


def test_a_path_glob_alone_never_blocks(fake_kb: KnowledgeBase) -> None:
    _kb_with_lessons(fake_kb, (PROBE_LESSON, "critical", "constraint", ["deploy/k8s/**"]))
    result = check_diff(fake_kb, K8S_TLS_DIFF)
    assert result.exit_code == 0
    assert result.blocking == []


def test_the_change_content_blocks_and_says_where(fake_kb: KnowledgeBase) -> None:
    _kb_with_lessons(fake_kb, (PROBE_LESSON, "critical", "constraint", []))
    result = check_diff(fake_kb, PROBE_DIFF)
    assert result.exit_code == 1, result.to_dict()
    finding = result.blocking[0]
    assert finding.evidence is not None and finding.evidence.path == "deploy/k8s/api/deployment.yaml"
    assert finding.location is not None and finding.location.line == 21  # the first added line
    assert "change content similarity" in render_text(result)


def test_an_unrelated_file_does_not_hide_a_risky_one(fake_kb: KnowledgeBase) -> None:
    _kb_with_lessons(fake_kb, (PROBE_LESSON, "critical", "constraint", []))
    noise = "".join(
        f"+Paragraph {n} of the onboarding guide: coffee, chairs and the team calendar.\n" for n in range(80)
    )
    header = "diff --git a/docs/guide.md b/docs/guide.md\n--- a/docs/guide.md\n+++ b/docs/guide.md\n"
    docs = f"{header}@@ -1,0 +1,80 @@\n{noise}"
    result = check_diff(fake_kb, docs + PROBE_DIFF)
    assert [f.evidence.path for f in result.blocking if f.evidence] == ["deploy/k8s/api/deployment.yaml"]


def test_only_active_constraints_and_decisions_block(fake_kb: KnowledgeBase) -> None:
    from dataclasses import replace
    from types import SimpleNamespace

    from kb.outputs.gate import Evidence, is_blocking_candidate

    _kb_with_lessons(fake_kb, (PROBE_LESSON, "critical", "constraint", []))
    hit = fake_kb.query(task=PROBE_LESSON, k=1).hits[0]
    strong = Evidence(
        path="a.yaml", content_similarity=0.9, task_similarity=0.9, shared_terms=["liveness", "database"]
    )
    weak = Evidence(path="a.yaml", content_similarity=0.2, task_similarity=0.2, shared_terms=["liveness"])

    def lesson(**fields: str) -> object:
        return SimpleNamespace(
            **({"status": "active", "severity": "critical", "statement": PROBE_LESSON} | fields)
        )

    # Stored rows may carry no record type yet: missing counts as a constraint.
    assert is_blocking_candidate(replace(hit, constraint=lesson()), strong)  # type: ignore[arg-type]
    assert not is_blocking_candidate(replace(hit, constraint=lesson()), weak)  # type: ignore[arg-type]
    for record_type, blocks in (
        ("constraint", True),
        ("decision", True),
        ("procedure", False),
        ("follow_up", False),
    ):
        candidate = replace(hit, constraint=lesson(record_type=record_type))  # type: ignore[arg-type]
        assert is_blocking_candidate(candidate, strong) is blocks, record_type
    for status in ("superseded", "rejected", "proposed", "retired"):
        assert not is_blocking_candidate(replace(hit, constraint=lesson(status=status)), strong)  # type: ignore[arg-type]


def test_an_empty_knowledge_base_is_an_error_unless_allowed(fake_kb: KnowledgeBase, tmp_path: Path) -> None:
    from kb.outputs.gate import EmptyKnowledgeBaseError
    from kb.settings import Settings

    fake_kb.store.stats()  # the database exists, with no lesson
    with pytest.raises(EmptyKnowledgeBaseError, match="has no lessons"):
        check_diff(fake_kb, PROBE_DIFF)
    assert check_diff(fake_kb, PROBE_DIFF, allow_empty=True).exit_code == 0
    missing = KnowledgeBase(Settings(home=tmp_path / "nowhere", embedder="hashing"))
    with pytest.raises(EmptyKnowledgeBaseError, match="no knowledge base at"):
        check_diff(missing, PROBE_DIFF)
    assert not (tmp_path / "nowhere").exists()  # reported, not created


def test_files_hunks_and_subjects_are_read_from_raw_text() -> None:
    from kb.outputs.change_lines import is_test_path, split_files
    from kb.outputs.evidence import hunk_texts
    from kb.outputs.gate import commit_subject

    two = PROBE_DIFF + K8S_TLS_DIFF
    assert split_files(two) == [PROBE_DIFF, K8S_TLS_DIFF]
    assert split_files(PROBE_DIFF) == [PROBE_DIFF]
    two_hunks = PROBE_DIFF + "@@ -40,2 +42,3 @@ spec:\n   replicas: 2\n+  minReadySeconds: 10\n"
    texts = hunk_texts(two_hunks)
    assert [path for path, _ in texts] == ["deploy/k8s/api/deployment.yaml"] * 2
    assert "minReadySeconds" in texts[1][1] and "liveness" not in texts[1][1]
    assert commit_subject("# comment\n\nFix probes\n\nbody\n") == "Fix probes"
    assert commit_subject("") == ""
    for path in ("tests/test_x.py", "svc/tests/authz/test_a.py", "pkg/a_test.go", "src/a.test.ts"):
        assert is_test_path(path), path
    for path in ("services/testing_tools.py", "src/contest.py", "deploy/k8s/api.yaml"):
        assert not is_test_path(path), path


def test_no_match_says_how_many_weaker_matches_were_left_out(fake_kb: KnowledgeBase) -> None:
    _kb_with_lessons(
        fake_kb, ("Rotate the TLS certificates of the payment gateway yearly.", "high", "constraint", [])
    )
    result = check_diff(fake_kb, DOCS_DIFF, min_confidence="strong")
    assert result.findings == [] and result.searched
    text = render_text(result)
    if result.below_floor:
        assert f"{result.below_floor} weaker" in text
    assert "no lesson from past incidents matches this change" in text


# --- the command fails closed ------------------------------------------------------------


def test_kb_check_on_a_missing_or_empty_knowledge_base_exits_2(tmp_path: Path) -> None:
    diff_file = tmp_path / "change.diff"
    diff_file.write_text(PROBE_DIFF)
    missing = run_kb(tmp_path / "no-kb", "check", "--diff", str(diff_file))
    assert missing.returncode == 2, missing.stdout + missing.stderr
    assert "no knowledge base at" in missing.stderr and "forewarn ingest" in missing.stderr
    assert missing.stdout == ""
    empty_home = tmp_path / "empty-kb"
    assert run_kb(empty_home, "stats").returncode == 0  # creates the database, no lesson
    empty = run_kb(empty_home, "check", "--diff", str(diff_file))
    assert empty.returncode == 2 and "has no lessons" in empty.stderr
    allowed = run_kb(empty_home, "check", "--diff", str(diff_file), "--allow-empty")
    assert allowed.returncode == 0, allowed.stderr
    assert "nothing was checked" in allowed.stdout


def test_a_task_only_adds_queries_to_the_diffs_own() -> None:
    """The subject's words can push a document out of the whole diff's top k; the diff alone is still
    asked, so a subject never hides a candidate the code brings."""
    from types import SimpleNamespace

    from kb.outputs.evidence import gather
    from kb.retrieval.diffs import parse_diff

    class RecordingKB:
        def __init__(self) -> None:
            self.asked: list[tuple[str | None, str | None]] = []

        def query(self, *, task: str | None, diff: str | None, k: int) -> SimpleNamespace:
            self.asked.append((task, diff))
            return SimpleNamespace(hits=[])

        def document_bodies(self, ids: list[str]) -> dict[str, str]:
            return {}

    diff_text = (
        "diff --git a/ci.yml b/ci.yml\n--- a/ci.yml\n+++ b/ci.yml\n@@ -1,2 +1,3 @@\n on:\n"
        "+  continue-on-error: true\n   push:\n"
    )
    alone, with_task = RecordingKB(), RecordingKB()
    gather(alone, diff_text, parse_diff(diff_text), task=None, k=5)  # type: ignore[arg-type]
    gather(with_task, diff_text, parse_diff(diff_text), task="ci: speed up", k=5)  # type: ignore[arg-type]
    assert set(alone.asked) <= set(with_task.asked)
    assert ("ci: speed up", diff_text) in with_task.asked
