"""One vocabulary and one tokenizer per concept: ingest and query read text the same way."""

from __future__ import annotations

import pytest

import ingest.classify
import kb.retrieval.scope
import kb.retrieval.search
from kb.index.lexical import BM25
from kb.retrieval.diffs import parse_diff
from kb.retrieval.search import DEFAULT_WEIGHTS, _query_terms
from kb.technologies import TECHNOLOGIES, technologies_in_text
from kb.text import tokens, word_terms

TEXTS = [
    "Upgrade the OpenSearch domain before the Kibana dashboards move",
    "Alertmanager routes page the on-call through PagerDuty",
    "pgbouncer pool size must stay below max_connections on Postgres",
    "Rotate the S3 bucket keys used by the CI pipeline and the DB backups",
    "The Go service reads PG settings from TF outputs",
    "A pod restart loop after the ingress certificate expired",
]


@pytest.mark.parametrize("text", TEXTS)
def test_ingest_and_query_name_the_same_technologies(text: str) -> None:
    tagged = set(ingest.classify.technologies(text))
    asked = kb.retrieval.scope.technologies_in_text(text)
    assert tagged == asked
    assert tagged  # every sample names at least one technology


def test_both_sides_call_the_one_vocabulary() -> None:
    assert ingest.classify.technologies_in_text is technologies_in_text
    assert kb.retrieval.scope.named_technologies is technologies_in_text
    # The mismatches that gave wrong answers: each side now says the same.
    assert technologies_in_text("OpenSearch") == ["opensearch"]
    assert technologies_in_text("Alertmanager") == ["alertmanager"]
    assert technologies_in_text("pgbouncer") == ["postgresql"]
    assert all(name == name.lower() for name in TECHNOLOGIES)


@pytest.mark.parametrize("word", ["db", "ci", "s3", "captureRetry", "OpenSearch", "pgbouncer"])
def test_a_word_indexed_is_a_word_the_query_can_match(word: str) -> None:
    index = BM25([1], [f"Lesson about {word} here"])
    query = _query_terms(f"change the {word}", None, DEFAULT_WEIGHTS)
    indexed = set(tokens(word))
    assert indexed, word
    assert indexed <= set(query.weights)  # the query asks for every term the index holds
    assert all(index.idf(term) > 0 for term in indexed)


def test_diff_words_go_through_the_same_tokenizer() -> None:
    diff = parse_diff(
        "diff --git a/ci/db.yaml b/ci/db.yaml\n--- a/ci/db.yaml\n+++ b/ci/db.yaml\n"
        "@@ -1 +1 @@\n-s3_bucket: old\n+s3_bucket: backupsBucket\n"
    )
    terms = _query_terms(None, diff, DEFAULT_WEIGHTS)
    assert {"s3", "backup", "bucket"} <= set(terms.weights)
    assert dict(word_terms("backupsBucket")).keys() <= set(terms.weights)
    assert kb.retrieval.search.word_terms is word_terms
