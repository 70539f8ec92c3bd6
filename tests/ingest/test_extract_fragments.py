"""Seventh-round precision filters: statements that do not stand alone are dropped, and only those."""

from __future__ import annotations

import pytest

from ingest.extract.candidate import Candidate
from ingest.extract.finalize import merge_shared_condition, not_a_lesson


@pytest.mark.parametrize(
    ("given", "kind", "rule"),
    [
        # a lead that points at the sentence before
        ("In order to do that you need to change your MAVEN_CLI_OPTIONS.", "runbook", "filter.pointing-lead"),
        ("On top of this, we must also decide on the interface.", "adr", "filter.pointing-lead"),
        ("Ideally these should result in concrete action items.", "postmortem", "filter.pointing-lead"),
        ("Ideally, alerts should page the owning team.", "postmortem", None),
        ("To do this safely, drain the node before rebooting it.", "runbook", "filter.pointing-lead"),
        # a verb that lost its object
        ("Create on every transaction.", "postmortem", "filter.missing-object"),
        ("Treat as active until confirmed otherwise.", "runbook", "filter.missing-object"),
        ("Create an index on every foreign key.", "adr", None),
        ("Treat every leaked key as compromised.", "runbook", None),
        # only says that more may be needed
        ("Depending on your situation, additional steps may be required.", "runbook", "filter.vague-more"),
        ("Additional replicas must be added before the sale.", "runbook", None),
        # a user-interface step in a runbook, unless it states a rule
        ("Check the Allow write access box and click the Add key button.", "runbook", "filter.ui-click"),
        ("In the project's settings, go to Deploy keys > Add deploy key.", "runbook", "filter.ui-click"),
        ("Never click the Delete button on the production database.", "runbook", None),
        ("Disable the option to pass secrets to builds from forked pull requests.", "runbook", None),
        ("Click the Delete button to remove the stale key.", "postmortem", None),
        ("Enter github.com for Hostname, then click Add SSH Key to save.", "runbook", "filter.ui-click"),
        # an appeal, a best effort, a hoped-for effect
        ("Consider contributing code reviews or donate through Patreon.", "postmortem", "filter.appeal"),
        ("Try the best to respond to security issues as a company would.", "postmortem", "filter.appeal"),
        ("Keeping the reporter informed should also help to build trust.", "postmortem", "filter.appeal"),
        ("Volunteers must not be paged outside their agreed hours.", "runbook", None),
        ("Runbooks should link the dashboards that help responders.", "runbook", None),
        # a belief whose "we" was rewritten away
        ("Do not anticipate too much complexity.", "adr", "filter.lost-we"),
        ("Expect different root causes to show the same symptoms.", "runbook", None),
    ],
)
def test_fragment_filters(given: str, kind: str, rule: str | None) -> None:
    assert not_a_lesson(given, kind) == rule


def _cand(stmt: str, section: str = "Steps") -> Candidate:
    return Candidate(stmt, section, "mitigation", 1, 1, "item")


def test_steps_under_one_condition_become_one_record() -> None:
    out = merge_shared_condition(
        [
            _cand("Back up the volumes."),
            _cand("If it overruns, update #infra."),
            _cand("If it overruns, alert #mods so they can field questions."),
        ]
    )
    assert [c.statement for c in out] == [
        "Back up the volumes.",
        "If it overruns, update #infra and alert #mods so they can field questions.",
    ]


def test_items_of_one_lead_in_become_one_record() -> None:
    out = merge_shared_condition(
        [_cand("Ask authors to: state the motivation."), _cand("Ask authors to: state the risks.")]
    )
    assert [c.statement for c in out] == ["Ask authors to state the motivation and state the risks."]


@pytest.mark.parametrize(
    ("first", "second", "same_section"),
    [
        ("If the disk fills, delete snapshots.", "If the disk fills up, page storage.", True),  # other case
        ("If the disk fills, delete snapshots.", "If the disk fills, page storage.", False),  # other section
        ("If the disk fills, delete snapshots.", "If the disk fills, the pager fires.", True),  # no step
    ],
)
def test_steps_are_merged_only_under_the_same_condition_in_one_section(
    first: str, second: str, same_section: bool
) -> None:
    out = merge_shared_condition([_cand(first), _cand(second, "Steps" if same_section else "Other")])
    assert len(out) == 2
