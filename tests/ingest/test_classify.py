"""Keyword classification: category, severity, status and scope."""

from __future__ import annotations

import pytest

from ingest import classify
from kb.vocab import CATEGORIES, SEVERITIES, STATUSES


@pytest.mark.parametrize(
    ("statement", "kind", "expected"),
    [
        ("Rotate the leaked API token and revoke old credentials", "postmortem", "security"),
        ("Enable 2FA for every maintainer account to stop phishing", "postmortem", "security"),
        ("Take a nightly backup of the database and test the restore", "postmortem", "data"),
        ("Run schema migrations before the replication switchover", "postmortem", "data"),
        ("Use a canary rollout and automatic rollback for every release", "postmortem", "delivery"),
        ("Run the integration tests in the CI pipeline before deploy", "postmortem", "delivery"),
        ("Email affected customers and offer refunds on the billing page", "postmortem", "business"),
        ("Add alerting on queue depth and page the on-call engineer", "postmortem", "operational"),
        ("Keep the team calm and write things down", "postmortem", "operational"),
        ("Split the monolith along service boundaries", "adr", "architecture"),
        ("Use Gradle for the build", "adr", "architecture"),
        ("Increase the pod memory limit", "runbook", "operational"),
    ],
)
def test_categorize(statement: str, kind: str, expected: str) -> None:
    got = classify.categorize(statement, "", kind=kind, role="decision" if kind == "adr" else "")
    assert got == expected
    assert got in CATEGORIES


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("SEV1", "critical"),
        ("sev-2", "high"),
        ("P3", "medium"),
        ("minor", "low"),
        ("Major (High Impact, Service Degradation)", "high"),
        ("critical", "critical"),
        ("warning", "medium"),
        ("Severity 4", "low"),
        ("banana", None),
        (None, None),
    ],
)
def test_severity_from_label(label: str | None, expected: str | None) -> None:
    assert classify.severity_from_label(label) == expected


def test_severity_from_impact_words() -> None:
    assert (
        classify.severity_from_impact("The API was down for all customers and data loss occurred")
        == "critical"
    )
    assert classify.severity_from_impact("Checkout was unavailable for ten minutes") == "high"
    assert classify.severity_from_impact("No data was lost; a dashboard was slow") is None
    assert classify.severity_from_impact("") is None


@pytest.mark.parametrize(
    ("doc_status", "status", "severity"),
    [
        ("accepted", "active", "high"),
        (None, "active", "high"),
        ("proposed", "proposed", "medium"),
        ("pending", "proposed", "medium"),
        ("superseded", "superseded", "low"),
        ("rejected", "rejected", "low"),
        ("deprecated", "retired", "low"),
    ],
)
def test_adr_status_mapping(doc_status: str | None, status: str, severity: str) -> None:
    assert classify.adr_constraint_status(doc_status) == status
    assert classify.adr_severity(doc_status) == severity
    assert status in STATUSES and severity in SEVERITIES


def test_technologies_canonical_names_and_aliases() -> None:
    text = "Pin the k8s node AMI, back up postgres to S3 and keep tf state in a locked bucket"
    got = classify.technologies(text)
    assert "kubernetes" in got
    assert "postgresql" in got
    assert "aws-s3" in got
    assert "aws-ec2" in got
    assert "aws" in got
    # lowercase "tf" inside ordinary prose is not enough for Terraform, "TF" or "terraform" is
    assert "terraform" not in got
    assert "terraform" in classify.technologies("Run TF plan first")
    assert classify.technologies("Go to the dashboard") == []
    assert classify.technologies("Use GitHub Actions with Route 53 and cert-manager") == [
        "github-actions",
        "aws-route53",
        "cert-manager",
        "aws",
    ]


def test_paths_from_code_spans() -> None:
    spans = [
        "deploy/k8s/*.yaml",
        "Dockerfile",
        "settings.py",
        "kubectl get pods",
        "--input",
        "https://example.org/a/b",
        "/var/lib/etcd",
        "v1.2",
        "main.tf",
    ]
    assert classify.paths_from_code(spans) == [
        "deploy/k8s/*.yaml",
        "Dockerfile",
        "settings.py",
        "main.tf",
    ]


def test_paths_from_code_drops_rates_urls_and_prose_names() -> None:
    spans = [
        "r/s",
        "request.json",
        "/.well-known/security.txt",
        "/v1/traces",
        "app.kubernetes.io/name",
        "threading.Lock",
        "~/.kube/config",
        "/etc/hosts",
        "terraform/modules",
        "modules/vpc/main.tf",
        "charts/app/Chart.yaml",
        "*.tf",
        ".dockerignore",
    ]
    assert classify.paths_from_code(spans) == [
        "modules/vpc/main.tf",
        "charts/app/Chart.yaml",
        "*.tf",
        ".dockerignore",
    ]


def test_services_in_text() -> None:
    assert classify.services_in_text("Restart the billing-api pods", ["billing-api", "search"]) == [
        "billing-api"
    ]
    assert classify.services_in_text("Research the options", ["search"]) == []


def test_severity_from_decisive_impact_words() -> None:
    assert classify.severity_from_impact("An admin token was leaked in a public image") == "critical"
    assert classify.severity_from_impact("Customer data loss for one tenant") == "critical"
    assert (
        classify.severity_from_impact("No evidence that any account was compromised; site was down") == "high"
    )


@pytest.mark.parametrize(
    ("statement", "binds"),
    [
        ("Do not store full card numbers in any system.", True),
        ("No service may accept a raw PAN in a request body.", True),
        ("We will not run our own mail server.", True),
        ("Run our own mail server on two virtual machines.", False),
        ("Use processor-issued tokens for repeat purchases.", False),
    ],
)
def test_a_rejected_adr_binds_only_its_prohibitions(statement: str, binds: bool) -> None:
    assert classify.rejected_adr_binds(statement) is binds
