"""The extractor's rules as a table: name, pattern, stage, what it produces, examples.

The table is ``rules.toml`` beside this module: one row per compiled pattern the extractor
matches statements with (a test fails on a pattern without a row, and on a row without an
example). A row names the pattern by where it lives (``"patterns._NEVER_WE"``), so the table and
the code cannot drift apart.

Stages say how an example is checked (``tests/test_extract_rules.py``):

- ``clean``: ``clean_text(input) == output``
- ``rewrite``: ``rewrite_imperative(clean_text(input), role=..., item=...) == output``
- ``past``: ``past_to_imperative(clean_text(input)) == output``
- ``passive``: ``past_passive_to_imperative(clean_text(input)) == output``
- ``noun``: ``noun_item_to_imperative(clean_text(input)) == output``
- ``match``: the pattern matches the input (filters, acceptance tests, splitting, roles, tables);
  ``output`` is ``"match"``

To add a rule: compile the pattern beside its peers, add a row with a name (``stage.what``), one
line on what it produces and at least one example taken from a real document.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Final

STAGES: Final = ("clean", "rewrite", "past", "passive", "noun", "match")
TEXT_STAGES: Final = frozenset({"clean", "rewrite", "past", "passive", "noun"})


@dataclass(frozen=True)
class Rule:
    name: str
    source: str  # "module._CONSTANT" inside ingest.extract
    stage: str
    produces: str
    examples: tuple[tuple[str, str], ...]
    role: str = ""
    item: bool = False

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        module, const = self.source.split(".")
        value = getattr(importlib.import_module(f"ingest.extract.{module}"), const)
        if isinstance(value, re.Pattern):
            return (value,)
        return tuple(p for p, _ in value)  # a table of (pattern, role) pairs

    def matches(self, text: str) -> bool:
        return any(p.search(text) or p.search(text.lower()) for p in self.patterns)

    def apply(self, text: str) -> str:
        """What the rule's stage makes of ``text`` (``"match"`` or ``""`` for match-stage rules)."""
        from ingest.extract.noun_items import noun_item_to_imperative
        from ingest.extract.text import (
            clean_text,
            past_passive_to_imperative,
            past_to_imperative,
            rewrite_imperative,
        )

        if self.stage == "match":
            return "match" if self.matches(text) else ""
        cleaned = clean_text(text)
        if self.stage == "clean":
            return cleaned
        if self.stage == "rewrite":
            return rewrite_imperative(cleaned, role=self.role, item=self.item)
        if self.stage == "past":
            return past_to_imperative(cleaned)
        if self.stage == "passive":
            return past_passive_to_imperative(cleaned)
        return noun_item_to_imperative(cleaned)


TABLE: Final = Path(__file__).with_name("rules.toml")


def load_rules(path: Path = TABLE) -> tuple[Rule, ...]:
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["rule"]
    return tuple(
        Rule(
            name=r["name"],
            source=r["pattern"],
            stage=r["stage"],
            produces=r["produces"],
            examples=tuple((str(i), str(o)) for i, o in r.get("examples", [])),
            role=r.get("role", ""),
            item=bool(r.get("item", False)),
        )
        for r in rows
    )


RULES: Final[tuple[Rule, ...]] = load_rules()

# rules that match nearly every line: naming them on a record says nothing
_EVERYWHERE: Final = frozenset({"clean.spaces", "clean.space-before-punct", "clean.leading-junk"})

BY_NAME: Final[dict[str, Rule]] = {r.name: r for r in RULES}


def text_rules_matching(text: str) -> list[str]:
    """Names of the cleaning and rewriting rules whose pattern matches ``text`` (for review)."""
    return [r.name for r in RULES if r.stage in TEXT_STAGES and r.name not in _EVERYWHERE and r.matches(text)]


__all__ = ["BY_NAME", "RULES", "STAGES", "Rule", "text_rules_matching"]
