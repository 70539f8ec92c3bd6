"""A runbook's run of short steps as one procedure, and the noise a runbook page carries around its
steps (nineteenth extraction round). Inputs are small documents of our own."""

from __future__ import annotations

from ingest.parser import parse_document

STEPS = """# Rotate the registry token

## Rotate the token

1. Open the registry console.
2. Create a new pull token.
3. Paste the token into the secret store.
4. Never reuse a token across clusters, because a leak then spreads.

Below are the list of clusters that read the token.

Contact #registry-help for any queries.
"""

RUNBOOK_STEP = """# Defragment the store

## Mitigation

Run the defrag command in all store pods.
"""


def _records(text: str, path: str = "runbooks/x/rotate.md") -> list[tuple[str, str]]:
    d = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type) for c in d.constraints]


def test_short_steps_fold_into_one_procedure_and_a_rule_keeps_its_record() -> None:
    got = _records(STEPS)
    stmts = [s for s, _ in got]
    assert (
        "Open the registry console, create a new pull token and paste the token into the secret store."
        in stmts
    )
    assert any(s.startswith("Never reuse a token") for s in stmts)
    assert not any("Below are" in s or "for any queries" in s for s in stmts)


def test_a_step_scoped_to_all_pods_stays_a_procedure() -> None:
    assert _records(RUNBOOK_STEP) == [("Run the defrag command in all store pods.", "procedure")]


MEANS = """# 7. Copy build artefacts between environments

## Status

Accepted

## Decision

We will copy each artefact to the next environment when it is created.

### Example

We will use the billing and search services as examples.

## Consequences

Copies start only when a new artefact is created. This means that when we first build an environment,
we will have to run the release jobs again in the source environment.
"""


def test_this_means_lead_is_dropped_and_as_examples_is_no_decision() -> None:
    stmts = [s for s, _ in _records(MEANS, path="adrs/x/0007-copy.md")]
    lead = "When we first build an environment, we will have to run the release jobs"
    assert any(s.startswith(lead) for s in stmts)
    assert not any("as examples" in s for s in stmts)
