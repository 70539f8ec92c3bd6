"""A short record that names no system borrows the system names of its document's title (fourteenth
extraction round), and is typed on what it says, not on the names. Inputs are small documents of our
own."""

from __future__ import annotations

import pytest

from ingest.extract.subject import title_names
from ingest.parser import parse_document

ADR = """# Use @ as marker for macro names in the PyLint config

## Context

Macro names and plain values look the same in the settings dialog.

## Decision

Wrap macro names in @.

Store every macro definition in the `[macros]` table of pyproject.toml.
"""


def _records(text: str, path: str) -> dict[str, list[str]]:
    d = parse_document(text, path=path, sha256="0" * 64)
    return {c.statement: c.rules for c in d.constraints}


def test_a_short_record_without_a_name_borrows_the_title_names() -> None:
    got = _records(ADR, "adrs/0001-macro-marker.md")
    assert "Wrap macro names in @ (PyLint)." in got, got
    assert "rewrite.title-names" in got["Wrap macro names in @ (PyLint)."]


def test_a_record_that_names_something_is_left() -> None:
    got = _records(ADR, "adrs/0001-macro-marker.md")
    # a code span names what it is about
    assert any(s.startswith("Store every macro definition") and "(PyLint)" not in s for s in got), got


def test_the_names_do_not_change_the_type() -> None:
    plain = ADR.replace("PyLint config", "linter config")
    named = parse_document(ADR, path="adrs/0001-macro-marker.md", sha256="0" * 64).constraints
    bare = parse_document(plain, path="adrs/0001-macro-marker.md", sha256="0" * 64).constraints
    assert [c.statement for c in bare] != [c.statement for c in named]
    assert [(c.record_type, c.category, c.severity) for c in bare] == [
        (c.record_type, c.category, c.severity) for c in named
    ]


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("PyPI Users Email Phishing Attack", ["PyPI"]),
        ("Use # as indicator for BibTeX string constants", ["BibTeX"]),
        ("Incident on 2025-03-18 - AWS EKS Upgrade to 1.30", ["AWS", "EKS"]),
        ("PM2021-011 - Log4Shell", ["Log4Shell"]),
        # kinds of things and plain title case name no system
        ("CRUD operations on the API unavailable", []),
        ("Traefik Rule Preventing Some Inbound Traffic", []),
    ],
)
def test_title_names(title: str, names: list[str]) -> None:
    assert title_names(title) == names


def test_an_alert_runbook_keeps_its_alert_context() -> None:
    runbook = """# KubeQuotaAlmostFull

## Mitigation

- Raise the quota of the namespace.
"""
    got = _records(runbook, "runbooks/KubeQuotaAlmostFull.md")
    assert not any("(" in s for s in got), got
