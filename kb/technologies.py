"""The one technology vocabulary: canonical names, their aliases, and how text names them.

Ingest tags a lesson's technologies with :func:`technologies_in_text` and a query reads the same
names out of a task or diff with the same function, so both sides speak one vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

# canonical name -> aliases (matched on word boundaries, case-insensitive unless listed in
# CASE_SENSITIVE_ALIASES).
TECHNOLOGIES: Final[dict[str, tuple[str, ...]]] = {
    "kubernetes": (
        "kubernetes",
        "k8s",
        "kubectl",
        "kubelet",
        "kube-apiserver",
        "pod",
        "pods",
        "deployment.yaml",
        "ingress",
    ),
    "terraform": ("terraform", "tf", "tfstate", "terragrunt"),
    "postgresql": ("postgresql", "postgres", "pg", "psql", "pgbouncer", "pg_dump", "rds postgres"),
    "mysql": ("mysql", "mariadb"),
    "mongodb": ("mongodb", "mongo", "documentdb"),
    "redis": ("redis", "elasticache"),
    "kafka": ("kafka", "msk", "consumer lag", "consumer group"),
    "rabbitmq": ("rabbitmq", "amqp"),
    "elasticsearch": ("elasticsearch", "elastic search", "kibana"),
    "opensearch": ("opensearch",),
    "prometheus": ("prometheus", "promql", "thanos"),
    "grafana": ("grafana",),
    "alertmanager": ("alertmanager",),
    "helm": ("helm", "helm chart", "helmfile", "chart.yaml"),
    "docker": ("docker", "dockerfile", "docker hub", "docker-compose", "container image"),
    "nginx": ("nginx", "ingress-nginx"),
    "traefik": ("traefik",),
    "cert-manager": ("cert-manager", "certmanager"),
    "istio": ("istio",),
    "coredns": ("coredns",),
    "aws": ("aws", "amazon web services"),
    "aws-s3": ("s3",),
    "aws-eks": ("eks",),
    "aws-rds": ("rds",),
    "aws-iam": ("iam",),
    "aws-route53": ("route 53", "route53"),
    "aws-cloudfront": ("cloudfront",),
    "aws-lambda": ("lambda", "lambdas"),
    "aws-ec2": ("ec2", "ami", "amis", "autoscaling group", "auto scaling group"),
    "aws-elb": ("elb", "alb", "nlb", "load balancer"),
    "aws-cloudwatch": ("cloudwatch", "cwl"),
    "aws-ecr": ("ecr",),
    "aws-vpc": ("vpc", "subnet", "subnets", "vpc-cni"),
    "aws-ses": ("ses",),
    "aws-acm": ("acm",),
    "gcp": ("gcp", "google cloud"),
    "azure": ("azure", "azure devops"),
    "github": ("github",),
    "github-actions": (
        "github actions",
        "github action",
        "github workflow",
        "github workflows",
        ".github/workflows",
    ),
    "jenkins": ("jenkins", "jenkinsfile"),
    "concourse": ("concourse",),
    "circleci": ("circleci",),
    "argocd": ("argocd", "argo cd"),
    "flux": ("flux", "fluxcd"),
    "vault": ("vault", "hashicorp vault"),
    "etcd": ("etcd",),
    "openshift": ("openshift", "ocp"),
    "ceph": ("ceph", "odf"),
    "python": ("python", "flask", "fastapi"),
    "go": ("golang",),
    "java": ("java", "jvm", "spring"),
    "javascript": ("javascript", "node.js", "nodejs", "npm", "typescript"),
    "django": ("django",),
    "pypi": ("pypi",),
    "dns": ("dns", "cname"),
    "tls": ("tls", "ssl", "https", "certificate", "certificates", "x509"),
    "oauth": ("oauth", "oidc", "openid connect", "jwt"),
    "puppet": ("puppet",),
    "ansible": ("ansible",),
    "gradle": ("gradle",),
    "maven": ("maven",),
    "log4j": ("log4j", "log4shell"),
    "pagerduty": ("pagerduty",),
    "pingdom": ("pingdom",),
    "auth0": ("auth0",),
    "fluent-bit": ("fluent-bit", "fluentbit", "fluentd"),
    "linux": ("linux", "kernel"),
    "git": ("git",),
    "kserve": ("kserve",),
    "gitlab-ci": ("gitlab-ci", "gitlab ci"),
    "sql": ("sql", "migration", "migrations", "alter table", "create index"),
}
# short aliases that are ordinary words in lowercase; they only match in this exact case
CASE_SENSITIVE_ALIASES: Final = frozenset({"go", "pg", "tf", "ses", "acm", "ocp", "odf", "ami", "Go"})
CASE_SENSITIVE_FORMS: Final[dict[str, str]] = {
    "pg": "PG",
    "tf": "TF",
    "ses": "SES",
    "acm": "ACM",
    "ocp": "OCP",
    "odf": "ODF",
    "ami": "AMI",
}


def _alternation(words: list[str]) -> str:
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], dict[str, str]]:
    insensitive: dict[str, str] = {}
    sensitive: dict[str, str] = {}
    for canon, aliases in TECHNOLOGIES.items():
        for alias in aliases:
            if alias in CASE_SENSITIVE_ALIASES:
                sensitive[CASE_SENSITIVE_FORMS.get(alias, alias)] = canon
            else:
                insensitive[alias.lower()] = canon
    folded = re.compile(r"(?<![\w-])(" + _alternation(list(insensitive)) + r")(?![\w-])", re.IGNORECASE)
    exact = re.compile(r"(?<![\w-])(" + _alternation(list(sensitive)) + r")(?![\w-])")
    return folded, insensitive, exact, sensitive


def technologies_in_text(text: str) -> list[str]:
    """Canonical technology names mentioned in ``text``, in the order first seen."""
    folded, insensitive, exact, sensitive = _patterns()
    found: list[str] = []
    for m in folded.finditer(text):
        canon = insensitive.get(m.group(1).lower())
        if canon and canon not in found:
            found.append(canon)
    for m in exact.finditer(text):
        canon = sensitive.get(m.group(1))
        if canon and canon not in found:
            found.append(canon)
    if any(t.startswith("aws-") for t in found) and "aws" not in found:
        found.append("aws")
    return found
