"""Retrieval mechanics with the fast fake embedder: fusion, scope evidence, caps, statuses, why."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kb.errors import InputError
from kb.records import ConstraintDraft, DocumentDraft
from kb.retrieval.scope import glob_matches, technologies_for_path, technologies_in_text
from kb.retrieval.search import DEFAULT_WEIGHTS, _document_similarity
from kb.service import KnowledgeBase
from kb.text import lexical_stem, stem, tokens


def _c(statement: str, **kw: object) -> ConstraintDraft:
    base: dict[str, object] = {"rationale": "", "category": "operational", "severity": "high"}
    base.update(kw)
    return ConstraintDraft(statement=statement, **base)  # type: ignore[arg-type]


@pytest.fixture
def kb(fake_kb: KnowledgeBase) -> KnowledgeBase:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="pm/payments.md",
                kind="postmortem",
                title="Double capture",
                sha256="1",
                services=["payments-api"],
                constraints=[
                    _c(
                        "Payment capture retries must carry an idempotency key.",
                        paths=["services/payments/*.py"],
                    ),
                    _c("Alert on duplicate payment capture attempts."),
                    _c("Reconcile payment captures with the provider daily."),
                ],
            ),
            DocumentDraft(
                path="adr/0001.md",
                kind="adr",
                title="Migrations",
                sha256="2",
                constraints=[
                    _c(
                        "Create PostgreSQL indexes concurrently in migrations.",
                        technologies=["postgresql", "sql"],
                    ),
                    _c("Old rule about payment capture retries.", status="superseded"),
                    _c("Retired rule about payment capture retries.", status="retired"),
                ],
            ),
        ],
    )
    return fake_kb


def test_lexical_and_dense_find_the_lesson_and_say_why(kb: KnowledgeBase) -> None:
    result = kb.query(task="add retries to the payment capture call", k=3)
    top = result.hits[0]
    assert "idempotency" in top.constraint.statement
    assert any(reason.startswith("key terms:") and "capture" in reason for reason in top.why)
    assert any(reason.startswith("semantic similarity") for reason in top.why)
    assert result.to_dict()["query"] == {"task": "add retries to the payment capture call", "diff_files": []}


def test_at_most_two_results_per_document(kb: KnowledgeBase) -> None:
    result = kb.query(task="payment capture", k=10)
    per_doc: dict[str, int] = {}
    for hit in result.hits:
        per_doc[hit.document.path] = per_doc.get(hit.document.path, 0) + 1
    assert max(per_doc.values()) <= 2


def test_retired_excluded_superseded_demoted(kb: KnowledgeBase) -> None:
    statements = [h.constraint.statement for h in kb.query(task="payment capture retries rule", k=10).hits]
    assert not any(s.startswith("Retired") for s in statements)
    with_inactive = kb.query(task="payment capture retries rule", k=10, include_inactive=True)
    assert any(h.constraint.status == "retired" for h in with_inactive.hits)
    superseded = [h for h in with_inactive.hits if h.constraint.status == "superseded"]
    assert superseded and "superseded: kept as context" in superseded[0].why


def test_path_glob_and_service_are_evidence_from_a_diff(kb: KnowledgeBase) -> None:
    diff = (
        "--- a/services/payments/client.py\n+++ b/services/payments/client.py\n"
        "@@ -1,1 +1,1 @@\n-x = 1\n+x = 2\n"
    )
    result = kb.query(diff=diff, k=3)
    top = result.hits[0]
    assert "idempotency" in top.constraint.statement
    assert "path services/payments/*.py matches services/payments/client.py" in top.why
    assert result.diff_files == ["services/payments/client.py"]


def test_technology_evidence_from_a_migration_diff(kb: KnowledgeBase) -> None:
    diff = (
        "--- a/migrations/0042.sql\n+++ b/migrations/0042.sql\n"
        "@@ -0,0 +1 @@\n+CREATE INDEX orders_created ON orders (created_at);\n"
    )
    top = kb.query(diff=diff, k=1).hits[0]
    assert "concurrently" in top.constraint.statement
    assert any(r.startswith("technology: ") and "sql" in r for r in top.why)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give a task"),
        ({"task": "   "}, "give a task"),
        ({"task": "x", "k": 0}, "k must be"),
        ({"task": "x", "k": 1000}, "k must be"),
        ({"diff": "not a diff at all"}, "not a unified diff"),
    ],
)
def test_bad_queries_are_input_errors(kb: KnowledgeBase, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        kb.query(**kwargs)  # type: ignore[arg-type]


def test_empty_knowledge_base_answers_nothing(fake_kb: KnowledgeBase) -> None:
    assert fake_kb.query(task="anything at all", k=5).hits == []


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("services/payments/*.py", "services/payments/capture.py", True),
        ("services/payments/*.py", "repo/services/payments/capture.py", True),
        ("*.tf", "infra/modules/s3/main.tf", True),
        ("Dockerfile", "build/Dockerfile", True),
        ("migrations/", "db/migrations/0001.sql", True),
        ("services/payments", "services/payments/x/y.go", True),
        ("services/payments/*.py", "services/orders/capture.py", False),
        ("*.tf", "main.py", False),
    ],
)
def test_glob_matching(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


def test_technology_detection() -> None:
    assert {"kubernetes", "postgresql", "kafka"} <= technologies_in_text("Postgres on k8s with a Kafka topic")
    assert technologies_in_text("we wrote a plan") == set()
    assert technologies_for_path("infra/main.tf") == {"terraform"}
    assert "github-actions" in technologies_for_path(".github/workflows/ci.yml")


def test_tokens_meet_across_inflections() -> None:
    assert stem("retries") == stem("retry")
    assert stem("timeouts") == stem("timeout")
    assert lexical_stem("capture") in tokens("captureRetry")


def test_lexical_terms_meet_a_singular_and_its_plural() -> None:
    # stem() keeps the final e of the bare word and drops it before a suffix; the lexical terms do not
    # depend on which form a text uses.
    for singular, plural in (("node", "nodes"), ("exercise", "exercises"), ("database", "databases")):
        assert stem(singular) != stem(plural)
        assert tokens(singular) == tokens(plural) == [lexical_stem(plural)]
    assert tokens("captures captured capturing") == [lexical_stem("capture")] * 3
    # Short stems keep their e: "use" is not "us".
    assert lexical_stem("use") == "use"


def test_a_postmortem_lesson_outranks_the_same_runbook_step_and_says_so(fake_kb: KnowledgeBase) -> None:
    # Worded a little differently: the very same statement would be merged into one lesson.
    statements = {
        "runbook": "Drain the node before replacing its boot volume.",
        "postmortem": "Drain the node before replacing the boot volume.",
    }
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path=f"{kind}s/node.md",
                kind=kind,
                title="Node volume",
                sha256=kind,
                constraints=[_c(statement)],
            )
            for kind, statement in statements.items()
        ],
    )
    hits = fake_kb.query(task="replace the boot volume of a node", k=5).hits
    assert [h.document.kind for h in hits] == ["postmortem", "runbook"]
    assert "from a postmortem" in hits[0].why
    assert not any(reason.startswith("from a") for reason in hits[1].why)


def test_a_task_alone_weighs_the_kind_prior_at_its_share_and_a_diff_in_full(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="pm/node.md",
                kind="postmortem",
                title="Node volume",
                sha256="pm",
                constraints=[_c("Drain the node before replacing the boot volume.")],
            )
        ],
    )
    diff = (
        "diff --git a/ops/node.sh b/ops/node.sh\n--- a/ops/node.sh\n+++ b/ops/node.sh\n"
        "@@ -1,1 +1,2 @@\n x=1\n+# drain the node before replacing the boot volume\n"
    )

    def score(bonus: float, **query: str) -> float:
        # On the weighted sum (no rank fusion) the prior is added to the score as is.
        fake_kb.weights = replace(DEFAULT_WEIGHTS, fusion_k=0, kind_bonus=(("postmortem", bonus),))
        (hit,) = fake_kb.query(k=1, **query).hits
        return hit.score

    task = "replace the boot volume of a node"
    share = DEFAULT_WEIGHTS.task_kind_share
    assert 0 < share < 1
    assert score(0.25, task=task) - score(0.0, task=task) == pytest.approx(0.25 * share, abs=1e-5)
    assert score(0.25, diff=diff) - score(0.0, diff=diff) == pytest.approx(0.25, abs=1e-5)


def test_hit_json_keeps_the_contract(kb: KnowledgeBase) -> None:
    record = kb.query(task="payment capture retries", k=1).to_dict()["results"][0]
    expected = {"id", "statement", "rationale", "category", "severity", "status", "scope", "source", "team"}
    assert expected | {"score", "confidence", "similarity", "why"} <= set(record)
    assert record["confidence"] in {"strong", "possible", "weak"}


def test_why_names_only_evidence_that_counted(kb: KnowledgeBase) -> None:
    task = "reconcile payment captures with the provider"
    assert any(r.startswith("key terms:") for h in kb.query(task=task, k=5).hits for r in h.why)
    kb.weights = replace(
        DEFAULT_WEIGHTS,
        lexical_weight=0.0,
        document_weight=0.0,
        document_dense_weight=0.0,
        kind_bonus=(),
        feedback_weight=0.0,
    )
    for hit in kb.query(task=task, k=5).hits:
        assert not any(
            r.startswith(("key terms:", "document about:", "document similarity", "from a", "similar to"))
            for r in hit.why
        )
        assert any(r.startswith("semantic similarity") for r in hit.why)


def test_shared_globs_are_matched_once_and_each_lesson_cites_its_own(fake_kb: KnowledgeBase) -> None:
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path=f"pm/{name}.md",
                kind="postmortem",
                title=name,
                sha256=name,
                constraints=[_c(f"Lesson {name} about terraform state.", paths=globs)],
            )
            for name, globs in [
                ("a", ["docs/*.md", "infra/*.tf"]),
                ("b", ["infra/*.tf"]),
                ("c", ["charts/*.yaml"]),
            ]
        ],
    )
    catalog = fake_kb.catalog()
    assert sorted(catalog.constraints_by_pattern()) == ["charts/*.yaml", "docs/*.md", "infra/*.tf"]
    assert len(catalog.constraints_by_pattern()["infra/*.tf"]) == 2
    diff = "--- a/infra/main.tf\n+++ b/infra/main.tf\n@@ -1 +1 @@\n-a = 1\n+a = 2\n"
    hits = {h.constraint.statement: h.why for h in fake_kb.query(diff=diff, k=5).hits}
    for name in ("a", "b"):
        assert "path infra/*.tf matches infra/main.tf" in hits[f"Lesson {name} about terraform state."]
    assert not any("path" in reason for reason in hits.get("Lesson c about terraform state.", []))


def test_document_similarity_is_the_mean_of_the_documents_candidates() -> None:
    # A negative similarity counts as none, like the lesson's own dense score.
    scores = _document_similarity(np.array([1, 2, 1]), np.array([0.8, -0.2, 0.4], dtype=np.float32))
    assert scores.tolist() == pytest.approx([0.6, 0.0, 0.6])


def test_document_similarity_is_named_in_why(kb: KnowledgeBase) -> None:
    hits = kb.query(task="payment capture retries", k=3).hits
    assert all(any(r.startswith("document similarity ") for r in h.why) for h in hits)


def test_body_evidence_brings_a_document_whose_text_alone_names_the_query(fake_kb: KnowledgeBase) -> None:
    body = "The zookeeper ensemble lost quorum when two nodes restarted together during the upgrade."
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="pm/quorum.md",
                kind="postmortem",
                title="Outage",
                sha256="1",
                body=body,
                constraints=[_c("Restart one member at a time.")],
            ),
            DocumentDraft(
                path="pm/other.md",
                kind="postmortem",
                title="Other outage",
                sha256="2",
                body="Disk filled up on the logging host.",
                constraints=[_c("Alert before disks fill.")],
            ),
        ],
    )
    task = "zookeeper quorum"
    with_body = fake_kb.query(task=task, k=2).hits
    assert with_body[0].document.path == "pm/quorum.md"
    assert "document text mentions: quorum, zookeeper" in with_body[0].why
    # The body's contribution to the lesson's own score (ranks fused with whole-document BM25 are
    # another scale, so both sides are compared without the fusion).
    fake_kb.weights = replace(DEFAULT_WEIGHTS, fusion_k=0)
    linear = fake_kb.query(task=task, k=2).hits
    fake_kb.weights = replace(DEFAULT_WEIGHTS, body_weight=0.0, fusion_k=0)
    without = fake_kb.query(task=task, k=2).hits
    # The lessons never say "zookeeper": without the body nothing lexical favours the document.
    quorum = next(h.score for h in without if h.document.path == "pm/quorum.md")
    assert linear[0].document.path == "pm/quorum.md" and linear[0].score > quorum


def test_ranks_are_fused_with_whole_document_bm25() -> None:
    import numpy as np

    from kb.retrieval.fusion import fuse_with_documents

    scores = np.array([3.0, 2.0, 1.0], dtype=np.float32)
    ids = np.array([1, 2, 3])
    documents = np.array([10, 20, 30])
    # Document 30 reads best by its text, 20 second; 10 is not among the body matches at all.
    fused = fuse_with_documents(scores, ids, documents, [np.array([30, 20])], 60)
    assert list(np.argsort(-fused)) == [2, 1, 0]
    assert fused[2] == pytest.approx(1 / 63 + 1 / 61, abs=1e-6)
    assert fused[0] == pytest.approx(1 / 61, abs=1e-6)
    # Lessons that swap places in the two rankings tie on ranks; their own evidence decides.
    tied = fuse_with_documents(
        np.array([2.0, 1.0]), np.array([1, 2]), np.array([10, 20]), [np.array([20, 10])], 60
    )
    assert tied[0] > tied[1]


def test_a_diff_word_only_a_document_body_holds_survives_the_term_cut(fake_kb: KnowledgeBase) -> None:
    # Query terms are ordered by the lessons' idf, so a word no lesson holds comes last; with 25
    # words the lessons know, the cut must still leave room for it (it was 20 terms, which dropped it).
    known = [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliet",
        "kilo",
        "lima",
        "mike",
        "november",
        "oscar",
        "papa",
        "quebec",
        "romeo",
        "sierra",
        "tango",
        "uniform",
        "victor",
        "whiskey",
        "xray",
        "yankee",
    ]
    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="pm/semester.md",
                kind="postmortem",
                title="Outage",
                sha256="1",
                body="Every student logged in at the start of the semester and the hub ran out of memory.",
                constraints=[_c("Raise the hub's memory before term starts.")],
            ),
            DocumentDraft(
                path="pm/words.md",
                kind="postmortem",
                title="Other outage",
                sha256="2",
                body="Disk filled up on the logging host.",
                constraints=[_c(" ".join(known) + "."), _c("Alert before disks fill.")],
            ),
        ],
    )
    added = "\n".join(f"+{word}: {word}" for word in known)
    diff = f"--- a/hub.yaml\n+++ b/hub.yaml\n@@ -1,1 +1,26 @@\n # semester\n{added}\n"
    hits = fake_kb.query(diff=diff, k=4).hits
    semester = next(h for h in hits if h.document.path == "pm/semester.md")
    text_reasons = [r for r in semester.why if r.startswith("document text mentions:")]
    assert text_reasons and "semester" in text_reasons[0]


def test_meaning_ranking_lists_documents_whose_best_lesson_reaches_the_threshold() -> None:
    from kb.retrieval.fusion import meaning_ranking

    documents = np.array([10, 20, 20, 30, 40])
    similarity = np.array([0.56, 0.40, 0.80, 0.70, 0.54], dtype=np.float32)
    # Each document once, by its best lesson; 40 (0.54) is below the threshold and has no say.
    assert meaning_ranking(documents, similarity, 0.55).tolist() == [20, 30, 10]
    assert meaning_ranking(documents, similarity, 0.9).tolist() == []


def _lexically_busy_postmortem_and_a_plainly_matching_decision(kb: KnowledgeBase) -> None:
    # The postmortem's body repeats the task's words (body BM25 ranks it first, and it has the kind
    # prior); the decision's lesson says what the task says, but its body shares no word with it.
    kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="adr/rotation.md",
                kind="adr",
                title="Vault job",
                sha256="1",
                body="# Vault job\n\nA scheduled job in the vault cluster.\n",
                constraints=[_c("Rotate the database credentials every ninety days with the vault job.")],
            ),
            DocumentDraft(
                path="pm/leak.md",
                kind="postmortem",
                title="Database credentials leaked",
                sha256="2",
                body="# Database credentials leaked\n\nThe database credentials were not rotated for "
                "years. Rotate database credentials; the database credentials leaked. Ninety days.\n",
                constraints=[
                    _c("Database credentials leaked in build logs were valid for years."),
                    _c("Scan build logs for database credentials before publishing them."),
                ],
            ),
        ],
    )


def test_for_a_task_a_document_the_encoder_finds_about_the_same_thing_gets_a_vote(
    fake_kb: KnowledgeBase,
) -> None:
    _lexically_busy_postmortem_and_a_plainly_matching_decision(fake_kb)
    # The vote is a first-stage option; the second stage's whole-text lead (kb.retrieval.rerank) would
    # put the postmortem, whose body repeats the task, first again.
    first_stage = replace(DEFAULT_WEIGHTS, task_document_lead=0.0)
    fake_kb.weights = replace(first_stage, task_meaning_vote=True)  # an option, off by default
    task = "Rotate the database credentials every ninety days"
    first = fake_kb.query(task=task, k=4).hits[0]
    assert first.document.path == "adr/rotation.md" and first.confidence == "strong"
    # Without the vote the lexical evidence and the kind prior put the postmortem first.
    fake_kb.weights = replace(first_stage, task_meaning_vote=False)
    assert fake_kb.query(task=task, k=4).hits[0].document.path == "pm/leak.md"


def test_a_diff_gets_no_meaning_vote(fake_kb: KnowledgeBase) -> None:
    _lexically_busy_postmortem_and_a_plainly_matching_decision(fake_kb)
    diff = (
        "diff --git a/db/rotate.py b/db/rotate.py\n--- a/db/rotate.py\n+++ b/db/rotate.py\n"
        "@@ -1,1 +1,2 @@\n x = 1\n+# Rotate the database credentials every ninety days\n"
    )
    fake_kb.weights = replace(DEFAULT_WEIGHTS, task_meaning_vote=True)
    with_vote = [(h.id, h.score) for h in fake_kb.query(diff=diff, k=4).hits]
    fake_kb.weights = replace(DEFAULT_WEIGHTS, task_meaning_vote=False)
    assert [(h.id, h.score) for h in fake_kb.query(diff=diff, k=4).hits] == with_vote
    assert fake_kb.query(diff=diff, k=4).hits[0].document.path == "pm/leak.md"


@pytest.mark.parametrize("meaning_vote", [False, True])
def test_the_strong_threshold_relabels_results_without_moving_them(
    fake_kb: KnowledgeBase, meaning_vote: bool
) -> None:
    _lexically_busy_postmortem_and_a_plainly_matching_decision(fake_kb)
    task = "Rotate the database credentials every ninety days"
    fake_kb.weights = replace(DEFAULT_WEIGHTS, task_meaning_vote=meaning_vote)
    hits = fake_kb.query(task=task, k=4).hits
    similarities = sorted({h.similarity for h in hits})
    assert len(similarities) > 1 and similarities[-1] >= DEFAULT_WEIGHTS.possible_similarity
    # Strong from the highest similarity (no margin asked): only the hits that reach it are strong,
    # and only on the first result's document ...
    fake_kb.weights = replace(fake_kb.weights, strong_similarity=similarities[-1], strong_margin=0.0)
    relabelled = fake_kb.query(task=task, k=4).hits
    assert [(h.id, h.score) for h in relabelled] == [(h.id, h.score) for h in hits]
    first_document = relabelled[0].document.id
    for hit in relabelled:
        path_matched = any(w.startswith("path ") for w in hit.why)
        closest_and_first = hit.similarity >= similarities[-1] and hit.document.id == first_document
        assert (hit.confidence == "strong") == (closest_and_first or path_matched)
    # ... and from above it, none is: the ranking stays the same.
    fake_kb.weights = replace(fake_kb.weights, strong_similarity=similarities[-1] + 0.01)
    above = fake_kb.query(task=task, k=4).hits
    assert [(h.id, h.score) for h in above] == [(h.id, h.score) for h in hits]
    assert all(h.confidence != "strong" for h in above)
