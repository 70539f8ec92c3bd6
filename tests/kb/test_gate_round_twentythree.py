"""Round twenty-three (docs/gate.md, advice): a change that acts on a lesson (brings what it asks for,
adds the safeguard it speaks of, or tests it) is worth a look below the closeness floor and whatever
the retrieval's confidence; a task close to a lesson gives advice only when the change's content is
about it a little too. Every diff and lesson here is written for the test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import SimpleNamespace

from kb.outputs.change_lines import says_nothing
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence
from kb.outputs.gate import evaluate
from kb.outputs.signatures import SignatureMatch
from kb.retrieval.diffs import ChangedFile, parse_diff
from kb.retrieval.results import Hit

SCOPING = "Every repository method for tenant-owned data must take the caller's tenant_id and filter on it."
RETENTION = "Never expire objects of an evidence bucket before its legal retention period ends."

DIFF = """diff --git a/app/repo.py b/app/repo.py
--- a/app/repo.py
+++ b/app/repo.py
@@ -1,2 +1,4 @@
 class InvoiceRepository:
+    def list_for(self, workspace_id, status):
+        return self.db.query(Invoice).filter_by(workspace_id=workspace_id, status=status).all()
"""


def _evidence(content: float, task: float | None = None, **fields: object) -> Evidence:
    return Evidence(
        path="app/repo.py", content_similarity=content, task_similarity=task, shared_terms=[], **fields
    )


def _hit(statement: str, confidence: str = "weak") -> Hit:
    constraint = SimpleNamespace(
        statement=statement,
        status="active",
        severity="low",
        record_type="constraint",
        rules=None,
        section="Lessons",
        line_start=1,
        line_end=1,
        paths=[],
        technologies=[],
        id=7,
    )
    document = SimpleNamespace(path="adrs/0009-scoping.md", kind="adr", title="Scoping", id=3, services=[])
    return Hit(7, 0.1, confidence, ["weak retrieval"], 0.1, constraint, document)


def test_a_change_that_adds_the_lessons_safeguard_acts_on_it_below_the_floor() -> None:
    handled = SignatureMatch(added_safeguards=("tenant_id",), new_safeguards=("tenant_id",))
    found = _evidence(0.32, signature=handled)
    assert not found.advises(DEFAULT_THRESHOLDS)  # closeness alone is not enough
    assert found.acts_on(DEFAULT_THRESHOLDS, SCOPING)
    # a lesson that does not speak of that safeguard is not acted on
    assert not found.acts_on(DEFAULT_THRESHOLDS, RETENTION)
    # nor one the change is not about at all, whatever it adds
    assert not _evidence(0.1, signature=handled).acts_on(DEFAULT_THRESHOLDS, SCOPING)


def test_following_a_rule_or_testing_it_acts_on_it() -> None:
    assert _evidence(0.3, follows=["tenant", "filter"]).acts_on(DEFAULT_THRESHOLDS, SCOPING)
    # two of the rule's words in the added lines are its topic, three begin to say what it asks
    worded = _evidence(0.3, follows=["tenant", "filter"], follows_in_words=True)
    assert not worded.acts_on(DEFAULT_THRESHOLDS, SCOPING)
    assert _evidence(0.3, follows=["tenant", "filter", "repositori"], follows_in_words=True).acts_on(
        DEFAULT_THRESHOLDS, SCOPING
    )
    assert _evidence(0.3, follows=["rejects empty"]).acts_on(DEFAULT_THRESHOLDS, SCOPING)
    assert _evidence(0.3, test_similarity=0.5).acts_on(DEFAULT_THRESHOLDS, SCOPING)
    assert not _evidence(0.3, test_similarity=0.2).acts_on(DEFAULT_THRESHOLDS, SCOPING)
    assert not _evidence(0.3).acts_on(DEFAULT_THRESHOLDS, SCOPING)


def test_a_close_task_needs_some_closeness_of_the_content() -> None:
    # a subject that names the bucket, over a change that only tags it
    assert not _evidence(0.2, task=0.45).advises(DEFAULT_THRESHOLDS)
    assert _evidence(0.3, task=0.45).advises(DEFAULT_THRESHOLDS)
    assert _evidence(0.45).advises(DEFAULT_THRESHOLDS)
    assert not _evidence(0.35, task=0.2).advises(DEFAULT_THRESHOLDS)


def test_evaluate_shows_a_weakly_ranked_lesson_the_change_acts_on() -> None:
    diff = parse_diff(DIFF)
    hit = _hit(SCOPING)
    handled = _evidence(0.3, signature=SignatureMatch(added_safeguards=("tenant_id",)))
    shown = evaluate([hit], diff, evidence={hit.id: handled})
    assert [f.id for f in shown.findings] == [7] and not shown.blocking
    assert shown.findings[0].hit.confidence == "possible"  # says it is no weak match
    assert "the change acts on it" in shown.findings[0].hit.why
    # the same closeness with nothing done about the lesson stays below the floor
    hidden = evaluate([hit], diff, evidence={hit.id: _evidence(0.3)})
    assert hidden.findings == [] and hidden.below_floor == 1
    # an explicit, stricter confidence floor still holds
    strict = evaluate([hit], diff, evidence={hit.id: handled}, min_confidence="strong")
    assert strict.findings == []
    # a possible match the change does not act on needs the usual closeness
    assert (
        evaluate([replace(hit, confidence="possible")], diff, evidence={hit.id: _evidence(0.3)}).findings
        == []
    )


# --- a change that only describes: cost tags, a field of text shown to people --------------------------


def _file(added: list[str], removed: Sequence[str] = ()) -> ChangedFile:
    return ChangedFile(path="infra/x", added=list(added), removed=list(removed))


def test_cost_and_ownership_tags_and_text_fields_say_nothing() -> None:
    tagged = _file(
        ['  tags = { owner = "search", "cost-center" = "4410" }'], ['  tags = { owner = "search" }']
    )
    assert says_nothing(tagged)
    for field in (
        "    promo_headline: str = ''",
        "  readonly bannerText?: string;",
        '\tDisplayLabel string `json:"display_label"`',
        "    val emptyStateTitle: String",
    ):
        assert says_nothing(_file([field])), field


def test_tags_that_select_and_fields_that_act_are_not_descriptions() -> None:
    # a backup or retention tag selects what a policy acts on
    assert not says_nothing(_file(['  tags = { team = "ops", backup = "daily" }']))
    assert not says_nothing(_file(["  retain_until_days: int = 30"]))
    # `context` ends in "text" but is no text field; a label beside an eligibility change still acts
    assert not says_nothing(_file(["    context: str = ''"]))
    assert not says_nothing(_file(["    banner_text: str = ''", "    eligible_tiers: list[str] = []"]))
