"""scripts/extraction_misses.py: the source sentences it compares a missed lesson with."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from ingest.parser import parse_document

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _load() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))  # the script imports its sibling extraction_eval
    try:
        spec = importlib.util.spec_from_file_location("extraction_misses", SCRIPTS / "extraction_misses.py")
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(SCRIPTS))


DOC = """# Queue outage

## Timeline

- 10:02 The consumer group stalled after the broker upgrade.

## Action items

- Pin the broker client version in the consumer image.
"""


def test_source_sentences_carry_their_section_and_role() -> None:
    misses = _load()
    draft = parse_document(DOC, path="postmortems/queue.md", sha256="f" * 64)
    found = {
        s: (section, role)
        for s, section, role, _, _ in misses.source_sentences(draft, draft.kind, draft.title)
    }
    assert found["Pin the broker client version in the consumer image."] == (
        "Queue outage > Action items",
        "action",
    )
    stalled = next(s for s in found if "stalled" in s)
    assert found[stalled][0] == "Queue outage > Timeline"
    assert found[stalled][1] != "action"
