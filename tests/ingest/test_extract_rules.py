"""Every extraction rule has a name, a pattern that exists, and examples that still hold."""

from __future__ import annotations

import importlib
import re

import pytest

from ingest import record_types
from ingest.extract.rules import RULES, STAGES, Rule

MODULES = (
    "patterns",
    "text",
    "splitting",
    "noun_items",
    "candidate",
    "extractor",
    "finalize",
    "subject",
    "findings",
    "changes_made",
    "participle_subject",
    "owner_lead",
    "covered_factors",
    "decision_records",
    "runbook_checks",
    "courtesy",
    "arrows",
    "lesson_rows",
    "step_tables",
    "runbook_rules",
    "reader_cases",
    "work_tables",
    "fact_lessons",
    "flowcharts",
    "chat_logs",
    "step_rules",
    "faq_answers",
)


def _compiled_patterns() -> set[str]:
    """Every module-level compiled pattern (or pattern table) of the extractor, as "module._NAME"."""
    out: set[str] = set()
    for name in MODULES:
        mod = importlib.import_module(f"ingest.extract.{name}")
        for const, value in vars(mod).items():
            if not const.startswith("_") or not const[1:2].isupper():
                continue
            table = isinstance(value, tuple) and value and isinstance(value[0], tuple)
            if not (isinstance(value, re.Pattern) or table):
                continue
            home = next(m for m in MODULES if const in vars(importlib.import_module(f"ingest.extract.{m}")))
            out.add(f"{home}.{const}")
    return out


def test_rule_names_are_unique_and_staged() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(r.stage in STAGES for r in RULES)
    assert len(RULES) >= 100


def test_every_compiled_pattern_has_a_rule() -> None:
    """A new pattern without a row in rules.toml fails here."""
    listed = {r.source.split(".")[1] for r in RULES}
    missing = {p for p in _compiled_patterns() if p.split(".")[1] not in listed}
    assert missing == set()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_examples(rule: Rule) -> None:
    assert rule.examples, f"{rule.name} has no example"
    assert rule.produces.strip()
    for given, expected in rule.examples:
        assert rule.matches(given) or rule.matches(given.strip()), f"{rule.name}: pattern misses {given!r}"
        assert rule.apply(given) == expected


@pytest.mark.parametrize("rule", record_types.RULES, ids=lambda r: r.name)
def test_record_type_rule_examples(rule: record_types.TypeRule) -> None:
    assert rule.examples, f"{rule.name} has no example"
    for given, expected in rule.examples:
        # a section rule reads the heading, the others the statement
        assert rule.pattern.search(rule.section or given), f"{rule.name}: pattern misses {given!r}"
        if rule.name.startswith("state."):
            assert record_types.follow_up_state(given, role=rule.role)[0] == expected
        else:
            got = record_types.record_type(
                given,
                role=rule.role,
                kind=rule.kind,
                section=rule.section,
                tracked=rule.tracked,
                todo=rule.todo,
                source=rule.source,
            )
            assert got[0] == expected, f"{rule.name}: {given!r} typed {got}"
