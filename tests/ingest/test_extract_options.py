"""An ADR's rejected options and a postmortem's story findings as records (sixteenth extraction
round). The reasons against an option the ADR did not choose ("Bad, because X" under that option)
are kept as "<option>: bad, because X"; the chosen option's cons are not. A future consequence of
the decision ("There will be no sharing of secrets across accounts") is kept. A timeline entry
that reports a finding with its cause is kept as the finding; one that only logs work is not.
Inputs are small documents of our own."""

from __future__ import annotations

from ingest.extract.findings import _STORY_CAUSE, _STORY_FINDING
from ingest.extract.options import is_chosen
from ingest.extract.patterns import _BAD_BECAUSE
from ingest.parser import parse_document

MADR = """# Use tabs to indent configuration files

## Context and Problem Statement

Configuration files are indented in three different ways across the repositories.

## Considered Options

* Use tabs
* Use two spaces
* Use four spaces

## Decision Outcome

Chosen option: "Use tabs", because each reader picks the width they like.

### Consequences

* Editors of every contributor will need an editorconfig file to show tabs at a sane width.
* There will be no alignment of continuation lines across the files.

## Pros and Cons of the Options

### Use tabs

* Good, because each reader picks the width
* Bad, because alignment of continuation lines breaks when tab widths differ

### Use two spaces

* Good, because compact
* Bad, because deeply nested YAML blocks become hard to follow at a glance
* Bad, because it differs from the Python files in the same repositories

### Use four spaces

* Bad, because long lines wrap in side-by-side diff views
"""

STORY = """# Checkout errors after a gateway release

## Summary

Checkout requests failed for forty minutes.

## Timeline

| Time | Event |
|---|---|
| 10:02 | Gateway release 4.2 deployed |
| 10:20 | Identified a header rewrite rule in the release which caused the session cookie to be dropped |
| 10:25 | Rolled back the gateway release on every node |

## Action items

- Add a contract test for the session cookie header
"""


def _records(text: str, path: str) -> dict[str, tuple[str, list[str]]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return {c.statement: (c.record_type, c.rules) for c in doc.constraints}


def test_the_reasons_against_rejected_options_are_records() -> None:
    got = _records(MADR, "adrs/0001-tabs.md")
    rejected = {s: r for s, r in got.items() if "role.rejected" in r[1]}
    assert (
        "Use two spaces: bad, because deeply nested YAML blocks become hard to follow at a glance."
        in rejected
    )
    assert "Use four spaces: bad, because long lines wrap in side-by-side diff views." in rejected
    assert all(t == "constraint" and "type.rejected-option" in rules for t, rules in rejected.values())
    # the chosen option's con is a cost of the choice, not a reason against it
    assert not any(s.startswith("Use tabs: bad") for s in got)


def test_future_consequences_of_an_adr_are_records() -> None:
    got = _records(MADR, "adrs/0001-tabs.md")
    assert "There will be no alignment of continuation lines across the files." in got


def test_a_timeline_finding_with_its_cause_is_a_record() -> None:
    got = _records(STORY, "postmortems/2031-checkout.md")
    finding = "A header rewrite rule in the release which caused the session cookie to be dropped."
    assert finding in got
    assert got[finding][0] == "constraint" and "type.story-finding" in got[finding][1]
    assert not any("Rolled back" in s or "Roll back" in s for s in got)


def test_option_names_and_the_chosen_one() -> None:
    assert is_chosen("Use tabs", "Use tabs", "Use tabs to indent configuration files")
    assert not is_chosen("Use two spaces", "Use tabs", "Use tabs to indent configuration files")
    assert _BAD_BECAUSE.match("Bad, because it is slow") and not _BAD_BECAUSE.match("Good, because fast")
    assert _STORY_FINDING.match("10:20 Team identified that the disk was full")
    assert _STORY_CAUSE.search("the pods restarted due to the new limit")


# round nineteen: a quoted chosen option read to its closing quote, and the title as its subject
TITLED = """# Record reviewers of each ADR

## Context and Problem Statement

Readers cannot tell who looked at a decision before it was accepted.

## Considered Options

* Add a field "Reviewed by" in the header
* List names in section 'More Information'

## Decision Outcome

Chosen option: "List names in section 'More Information'", because it comes out best.
"""

NEUTRAL = """# Allow "mixed" verdicts

## Context and Problem Statement

Some verdicts are neither a pass nor a fail.

## Considered Options

* Mixed, because ...
* Partial, because ...

## Decision Outcome

Chosen option: "Mixed, because ...", because it reads best.
"""


def _decisions(text: str) -> list[str]:
    d = parse_document(text, path="adrs/x/0001-x.md", sha256="0" * 64)
    return [c.statement for c in d.constraints if c.record_type == "decision"]


def test_quoted_chosen_option_keeps_inner_quotes_and_takes_the_title() -> None:
    assert _decisions(TITLED) == ["Record reviewers of each ADR: List names in section 'More Information'."]


def test_quoted_chosen_option_with_its_own_because() -> None:
    stmts = _decisions(NEUTRAL)
    assert len(stmts) == 1 and stmts[0].startswith('Allow "mixed" verdicts: Mixed, because')


def test_use_title_keeps_the_bare_choice() -> None:
    stmts = _decisions(MADR)
    assert stmts and not stmts[0].startswith("Use tabs to indent configuration files:")
