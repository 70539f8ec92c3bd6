"""Parse every document of the shared corpus: robustness, kinds, statement limits, key examples."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.parser import parse_document
from kb.errors import DocumentError
from kb.records import DocumentDraft
from kb.vocab import CATEGORIES, SEVERITIES, STATUSES

# ../shared/corpus from the main checkout, ../../shared/corpus from a worktree under wt/
_ROOT = Path(__file__).resolve().parents[1]
CORPUS = next(
    (p / "shared" / "corpus" for p in _ROOT.parents[:2] if (p / "shared" / "corpus").is_dir()),
    _ROOT.parent / "shared" / "corpus",
)
TOP_KINDS = {"postmortems": "postmortem", "runbooks": "runbook", "adrs": "adr"}


def _corpus_files() -> list[Path]:
    files = []
    for p in sorted(CORPUS.rglob("*")):
        if not p.is_file() or p.name.startswith(("LICENSE", "LICENCE")) or p.suffix == ".drawio":
            continue
        rel = p.relative_to(CORPUS)
        if len(rel.parts) < 2:
            continue  # SOURCES.md at the root describes the corpus itself
        if p.suffix in (".md", ".erb") or "." not in p.name or p.name.endswith(" issues"):
            files.append(p)
    return files


@pytest.fixture(scope="module")
def parsed() -> dict[str, DocumentDraft | DocumentError]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    out: dict[str, DocumentDraft | DocumentError] = {}
    for p in _corpus_files():
        rel = p.relative_to(CORPUS).as_posix()
        text = p.read_text(encoding="utf-8")
        try:
            out[rel] = parse_document(text, path=rel, sha256=hashlib.sha256(text.encode()).hexdigest())
        except DocumentError as exc:  # anything else propagates and fails the test run
            out[rel] = exc
    return out


def _docs(parsed: dict[str, DocumentDraft | DocumentError]) -> dict[str, DocumentDraft]:
    return {k: v for k, v in parsed.items() if isinstance(v, DocumentDraft)}


def test_corpus_parses(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    assert len(parsed) > 800
    docs = _docs(parsed)
    assert len(docs) / len(parsed) >= 0.95
    for rel, err in parsed.items():
        if isinstance(err, DocumentError):
            assert err.path == rel
            assert err.message


def test_kind_matches_top_level_folder(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    docs = _docs(parsed)
    matching = sum(1 for rel, d in docs.items() if TOP_KINDS[rel.split("/")[0]] == d.kind)
    assert matching / len(docs) >= 0.95


def test_every_kind_yields_constraints(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    docs = _docs(parsed)
    for kind in TOP_KINDS.values():
        total = sum(len(d.constraints) for d in docs.values() if d.kind == kind)
        assert total >= 100, kind


def test_constraint_invariants(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    for rel, d in _docs(parsed).items():
        n_lines = len((CORPUS / rel).read_text(encoding="utf-8").split("\n"))
        assert d.title.strip(), rel
        for c in d.constraints:
            words = c.statement.split()
            assert 0 < len(words) <= 40, (rel, c.statement)
            assert c.category in CATEGORIES, (rel, c.category)
            assert c.severity in SEVERITIES, (rel, c.severity)
            assert c.status in STATUSES, (rel, c.status)
            assert 1 <= c.line_start <= c.line_end <= n_lines, (rel, c.line_start, c.line_end)
            assert c.rationale and len(c.rationale.split()) <= 90, (rel, c.rationale)
            assert c.section, rel
            assert not c.statement.lower().startswith(("we will ", "we should ", "we need to ")), c.statement


def test_dfds_ami_action_item(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    rel = "postmortems/dfds-postmortems/PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues"
    doc = parsed[rel]
    assert isinstance(doc, DocumentDraft)
    assert doc.kind == "postmortem"
    ami = [
        c
        for c in doc.constraints
        if "AMI" in c.statement and ("specif" in c.statement or "pin" in c.statement)
    ]
    assert ami, [c.statement for c in doc.constraints]
    assert ami[0].section.endswith("Action Items")
    assert "aws-ec2" in ami[0].technologies
    statements = " ".join(c.statement for c in doc.constraints)
    for initials in ("RF", "ED", "JB"):  # attendees are never constraints
        assert f" {initials} " not in f" {statements} "
    assert doc.metadata["time_to_detect"] == "7 hours"


@pytest.mark.parametrize(
    ("rel", "expected_ref"),
    [
        ("adrs/jabref-jabref/docs/decisions/0045-use-input-flag-always-for-input-files.md", "ADR-0057"),
        (
            "adrs/alphagov-govuk-aws/docs/architecture/decisions/0004-dns-definitions-for-hosts-and-services.md",
            "0015",
        ),
        ("adrs/cisagov-manage.get.gov/docs/architecture/decisions/0012-user-models.md", "20"),
        (
            "adrs/ministryofjustice-modernisation-platform/architecture-decision-record/"
            "0004-use-bash-node-python-as-core-languages.md",
            "0019",
        ),
        ("adrs/ministryofjustice-cloud-platform/architecture-decision-record/021-Multi-cluster.md", "036"),
    ],
)
def test_superseded_adrs(
    parsed: dict[str, DocumentDraft | DocumentError], rel: str, expected_ref: str
) -> None:
    doc = parsed[rel]
    assert isinstance(doc, DocumentDraft)
    assert doc.status == "superseded"
    assert expected_ref in doc.metadata["superseded_by"]
    assert all(c.status == "superseded" for c in doc.constraints)


def test_superseding_adr_records_supersedes(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    doc = parsed["adrs/jabref-jabref/docs/decisions/0057-allow-positional-input-file-argument.md"]
    assert isinstance(doc, DocumentDraft)
    assert doc.status == "accepted"
    assert doc.metadata["supersedes"] == ["ADR-0045"]


def test_moj_review_actions(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    doc = parsed[
        "postmortems/ministryofjustice-cloud-platform/source/incidents/2024-09-20-eks-subnet-route-table.html.md.erb"
    ]
    assert isinstance(doc, DocumentDraft)
    assert doc.date == "2024-09-20"
    assert doc.metadata["time_to_repair"] == "11m"
    actions = [c for c in doc.constraints if c.section.endswith("Review actions")]
    assert len(actions) == 3
    # the rest is what the resolution list tells (the fifteenth round's repairs)
    rest = [c for c in doc.constraints if c not in actions]
    assert all(c.section.endswith("Resolution") and "role.repair" in c.rules for c in rest)


def test_corpus_supersession_links_successors(parsed: dict[str, DocumentDraft | DocumentError]) -> None:
    from ingest.supersession import resolve_supersession

    adrs = [d for d in _docs(parsed).values() if d.kind == "adr"]
    resolve_supersession(adrs)
    by_path = {d.path: d for d in adrs}
    expected = {
        "adrs/jabref-jabref/docs/decisions/0045-use-input-flag-always-for-input-files.md": (
            "adrs/jabref-jabref/docs/decisions/0057-allow-positional-input-file-argument.md"
        ),
        "adrs/alphagov-govuk-aws/docs/architecture/decisions/"
        "0004-dns-definitions-for-hosts-and-services.md": (
            "adrs/alphagov-govuk-aws/docs/architecture/decisions/0015-dns-infrastructure.md"
        ),
        "adrs/cisagov-manage.get.gov/docs/architecture/decisions/0012-user-models.md": (
            "adrs/cisagov-manage.get.gov/docs/architecture/decisions/0020-user-models-revisited-plus-whois.md"
        ),
        "adrs/ministryofjustice-modernisation-platform/architecture-decision-record/"
        "0004-use-bash-node-python-as-core-languages.md": (
            "adrs/ministryofjustice-modernisation-platform/architecture-decision-record/"
            "0019-use-bash-go-as-core-languages.md"
        ),
        "adrs/ministryofjustice-cloud-platform/architecture-decision-record/021-Multi-cluster.md": (
            "adrs/ministryofjustice-cloud-platform/architecture-decision-record/036-multi-cluster.md"
        ),
    }
    for old, new in expected.items():
        assert by_path[old].metadata["superseded_by_paths"] == [new], old
        assert old in by_path[new].metadata["supersedes_paths"]
        assert all(
            f"superseded-by:{new}" in c.tags and c.status == "superseded" for c in by_path[old].constraints
        )
    partly = by_path["adrs/alphagov-govuk-aws/docs/architecture/decisions/0003-aws-networking-outline.md"]
    assert partly.metadata["superseded_by_paths"] == [
        "adrs/alphagov-govuk-aws/docs/architecture/decisions/0033-ip-ranges.md"
    ]
    assert all(c.status == "active" for c in partly.constraints)
