"""Unified diff parsing: paths, added/removed lines, technologies, and clear errors."""

from __future__ import annotations

import pytest

from kb.errors import InputError
from kb.retrieval.diffs import parse_diff

GIT_DIFF = """diff --git a/deploy/k8s/payments.yaml b/deploy/k8s/payments.yaml
index 1111111..2222222 100644
--- a/deploy/k8s/payments.yaml
+++ b/deploy/k8s/payments.yaml
@@ -10,4 +10,5 @@ spec:
   containers:
     - name: payments
-      livenessProbe: {timeoutSeconds: 5}
+      livenessProbe:
+        timeoutSeconds: 1
diff --git a/terraform/main.tf b/terraform/main.tf
new file mode 100644
--- /dev/null
+++ b/terraform/main.tf
@@ -0,0 +1,2 @@
+resource "aws_s3_bucket" "labels" {
+}
"""


def test_git_diff_gives_paths_lines_and_technologies() -> None:
    diff = parse_diff(GIT_DIFF)
    assert diff.paths == ["deploy/k8s/payments.yaml", "terraform/main.tf"]
    first, second = diff.files
    assert first.added == ["      livenessProbe:", "        timeoutSeconds: 1"]
    assert first.removed == ["      livenessProbe: {timeoutSeconds: 5}"]
    assert first.added_at[0][0] == 12
    assert second.is_new and second.added_at[0] == (1, 'resource "aws_s3_bucket" "labels" {')
    assert {"kubernetes", "terraform"} <= diff.technologies()


def test_hand_edited_diff_with_wrong_hunk_counts_is_read_leniently() -> None:
    text = (
        "--- a/services/payments/capture.py\n+++ b/services/payments/capture.py\n"
        "@@ -1,9 +1,9 @@\n-x = 1\n+x = retry(capture)\n"
    )
    diff = parse_diff(text)
    assert diff.paths == ["services/payments/capture.py"]
    assert diff.files[0].added == ["x = retry(capture)"]
    assert "python" in diff.technologies()


@pytest.mark.parametrize("text", ["", "   \n", "just some words\nnot a diff\n"])
def test_text_that_is_not_a_diff_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError):
        parse_diff(text)


def test_context_lines_changed_keys_and_a_description_for_the_encoder() -> None:
    text = (
        "--- a/infra/eks/nodes.tf\n+++ b/infra/eks/nodes.tf\n"
        '@@ -3,3 +3,3 @@ resource "aws_eks_node_group" "workers" {\n'
        "   cluster_name = var.cluster\n"
        '-  release_version = "1.29"\n'
        "+  release_version = data.aws_ssm_parameter.latest.value\n"
    )
    diff = parse_diff(text)
    changed = diff.files[0]
    assert 'resource "aws_eks_node_group" "workers" {' in changed.context
    assert "  cluster_name = var.cluster" in changed.context
    keys = diff.changed_keys()
    assert "aws_eks_node_group" in keys and "release_version" in keys
    assert {"terraform", "aws-eks"} <= diff.technologies()
    assert diff.describe().startswith("Change to ") and "release version" in diff.describe()


def test_lenient_parser_keeps_context_and_hunk_headers() -> None:
    text = (
        "--- a/k8s/app.yaml\n+++ b/k8s/app.yaml\n"
        "@@ -1,9 +1,9 @@ spec:\n kind: Deployment\n-  replicas: 2\n+  replicas: 1\n"
    )
    diff = parse_diff(text)
    assert diff.files[0].context[:2] == ["spec:", "kind: Deployment"]
    assert "replicas" in diff.changed_keys()


def test_dense_text_reads_like_the_change() -> None:
    text = (
        "--- a/k8s/logging/fluentd-configmap.yaml\n+++ b/k8s/logging/fluentd-configmap.yaml\n"
        "@@ -1,2 +1,3 @@ data:\n   flush_interval 5s\n-  retry_limit 3\n"
        "+  # keep retrying while CloudWatch throttles us\n+  retry_forever true\n"
    )
    diff = parse_diff(text)
    assert diff.path_words() == ["k8s logging fluentd configmap"]
    assert diff.comments() == ["keep retrying while CloudWatch throttles us"]
    lines = diff.dense_text().splitlines()
    assert lines[0] == "k8s logging fluentd configmap"
    assert lines[1] == "keep retrying while CloudWatch throttles us"
    # Words, not code: underscores and symbols would each cost the encoder a word piece.
    assert "retry limit 3" in lines and "retry forever true" in lines and "flush interval 5s" in lines
    assert not any(line.startswith(("+", "-")) for line in lines)
    # The hunk's header (once), then added, removed and context lines: the encoder reads only the
    # start of a long diff.
    assert lines.count("data:") == 1
    assert (
        lines.index("data:")
        < lines.index("retry forever true")
        < lines.index("retry limit 3")
        < lines.index("flush interval 5s")
    )
    assert diff.files[0].headers == ["data:"] and "data:" in diff.files[0].context  # terms still see it


def test_encoder_words_drop_code_symbols_and_keep_prose_punctuation() -> None:
    from kb.retrieval.diffs import _encoder_words

    assert _encoder_words('resource "aws_db_instance" "orders" {') == "resource aws db instance orders"
    assert _encoder_words('    return payments.post("/captures", json=request)') == (
        "return payments.post( captures , json request)"
    )
    assert _encoder_words("Don't retry: it's not idempotent!") == "Don't retry: it's not idempotent!"
    assert _encoder_words("}") == "" and _encoder_words("__init__") == "init"


def test_pattern_prefilter_words_never_hide_a_match() -> None:
    """Each technology and key pattern is skipped when none of its words is in the text: on texts
    the patterns match, the skip must never fire (upper case included)."""
    from kb.retrieval.diffs import _KEY_PATTERNS
    from kb.retrieval.scope import _CONTENT_RULES

    samples = [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "  kind: ClusterIssuer",
        'resource "aws_db_instance" "main" {',
        'module "vpc" {',
        'provider "aws" {',
        'data "aws_iam_policy" "x" {',
        "FROM python:3.11-slim",
        "RUN pip install -r requirements.txt",
        "ENV PORT=8080",
        "ARG VERSION",
        "ENTRYPOINT ./run.sh",
        "create index concurrently if not exists idx_orders on orders (id);",
        "ALTER TABLE orders ADD COLUMN note text;",
        "cert-manager.io/cluster-issuer: letsencrypt",
        "runs-on: ubuntu-latest",
        "  uses: actions/checkout@v4",
        'resource "aws_eks_node_group" "ng" {',
        'resource "aws_s3_bucket" "b" {',
        'resource "aws_instance" "vm" {',
        'resource "aws_rds_cluster" "db" {',
        "npm ci && yarn add left-pad && pnpm install",
        "python -m pytest",
        "func (s *Server) Start() error {",
        "def handle_payment(order):",
        "function retryCapture(order) {",
        "max_connections = 200",
        "  - name: web",
    ]
    for text in samples:
        lowered = text.lower()
        for needles, pattern, _name in _CONTENT_RULES:
            if pattern.search(text):
                assert any(n in lowered for n in needles), (pattern.pattern, text)
        for needles, key_pattern in _KEY_PATTERNS:
            if key_pattern.search(text):
                assert any(n in lowered for n in needles), (key_pattern.pattern, text)
    # And the samples reach every rule at least once, so none goes untested.
    assert all(any(p.search(t) for t in samples) for _, p, _ in _CONTENT_RULES)
    assert all(any(p.search(t) for t in samples) for _, p in _KEY_PATTERNS)


def test_encoder_words_by_table_equal_the_regex_definition() -> None:
    """ASCII text goes through a byte table, other text through the regex: the same words either way."""
    import random
    import re

    from kb.retrieval.diffs import _CODE_SYMBOLS, _encoder_words

    def by_regex(text: str) -> str:
        lines = (" ".join(line.split()) for line in _CODE_SYMBOLS.sub(" ", text).split("\n"))
        return "\n".join(line for line in lines if line)

    rng = random.Random(3)
    alphabet = [chr(c) for c in range(128)] + list("éüß東京→©“”_\u00a0\u2028")
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert _encoder_words(text) == by_regex(text), repr(text)
        ascii_only = text.encode("ascii", "ignore").decode()
        assert _encoder_words(ascii_only) == by_regex(ascii_only), repr(ascii_only)
    assert re.search(r"\w", _encoder_words("naïve_café → ok")) and "→" not in _encoder_words("a → b")
