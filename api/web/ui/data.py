"""What pages show, read through the facade only: every visible lesson (cached per SQL revision
and team set), search facets, browse groupings, and a record's place in its document.

The facade has no "lessons of one document" read; browse and document pages group
``all_constraints`` instead, once per revision (a few ms on the seed, rebuilt after any write).
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from api.web.ui.document import Cited, body_offset
from kb.outputs.contract import constraint_dict
from kb.records import ConstraintRecord, DocumentRecord
from kb.service import KnowledgeBase

Lesson = tuple[ConstraintRecord, DocumentRecord]
Teams = tuple[str, ...] | None
# A lesson as the contract's dict (``constraint_dict``, or the facade's ``describe`` with review state).
Describe = Callable[[Lesson], dict[str, Any]]

# Facets of search results: name -> how to read the values of one result (a contract dict).
FACETS: dict[str, Any] = {
    "kind": lambda r: [r["source"]["kind"]],
    "type": lambda r: [r.get("type")],
    "category": lambda r: [r["category"]],
    "severity": lambda r: [r["severity"]],
    "status": lambda r: [r["status"]],
    "service": lambda r: r["scope"]["services"] or ["(none)"],
    "team": lambda r: [r["team"]],
    "stale": lambda r: [] if "stale" not in r else ["stale" if r["stale"] else "fresh"],
}
MAX_CACHED_TEAM_SETS = 64


@dataclass(slots=True)
class Catalogue:
    revision: int
    lessons: list[Lesson]
    by_document: dict[int, list[Lesson]] = field(default_factory=dict)
    offsets: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for lesson in self.lessons:
            self.by_document.setdefault(lesson[1].id, []).append(lesson)

    def offset(self, document: DocumentRecord) -> int:
        """Front-matter lines of ``document``, aligned on all of its visible records."""
        if document.id not in self.offsets:
            lines = (document.body or "").split("\n")
            self.offsets[document.id] = body_offset(lines, cited(self.by_document.get(document.id, [])))
        return self.offsets[document.id]


class Catalogues:
    """One app's cache: a catalogue per team set, each valid for one SQL revision."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_teams: dict[Teams, Catalogue] = {}


def catalogue(kb: KnowledgeBase, teams: Teams, caches: Catalogues) -> Catalogue:
    """Every lesson ``teams`` may see, read again only when SQL moved on."""
    revision = kb.revision()
    per_kb = caches.by_teams
    with caches.lock:
        found = per_kb.get(teams)
        if found is not None and found.revision == revision:
            return found
    built = Catalogue(revision=revision, lessons=kb.all_constraints(teams=teams))
    with caches.lock:
        if len(per_kb) >= MAX_CACHED_TEAM_SETS:
            per_kb.clear()
        per_kb[teams] = built
    return built


def cited(lessons: Iterable[Lesson]) -> list[Cited]:
    return [Cited(c.id, c.line_start, max(c.line_start, c.line_end), c.statement) for c, _ in lessons]


def facet_counts(results: Sequence[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for result in results:
        for name, read in FACETS.items():
            counts[name].update(str(v) for v in read(result) if v is not None)
    return {name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for name, c in counts.items() if c}


def apply_facets(results: Sequence[dict[str, Any]], chosen: dict[str, str]) -> list[dict[str, Any]]:
    return [
        r
        for r in results
        if all(value in {str(v) for v in FACETS[name](r)} for name, value in chosen.items())
    ]


def plain(lesson: Lesson) -> dict[str, Any]:
    return constraint_dict(*lesson)


def lesson_dicts(lessons: Iterable[Lesson], describe: Describe = plain) -> list[dict[str, Any]]:
    return [describe(lesson) for lesson in lessons]


def by_service(
    lessons: Sequence[Lesson], describe: Describe = plain
) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c, d in lessons:
        record = describe((c, d))
        for service in c.services or d.services or ["(no service)"]:
            groups[service].append(record)
    return sorted(groups.items(), key=lambda kv: (kv[0].startswith("("), kv[0]))


def timeline(
    lessons: Sequence[Lesson], describe: Describe = plain
) -> list[tuple[DocumentRecord, list[dict[str, Any]]]]:
    """Postmortems by date, newest first, each with its lessons."""
    documents: dict[int, DocumentRecord] = {}
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c, d in lessons:
        if d.kind == "postmortem":
            documents[d.id] = d
            grouped[d.id].append(describe((c, d)))
    ordered = sorted(documents.values(), key=lambda d: (d.date or "", d.id), reverse=True)
    return [(d, grouped[d.id]) for d in ordered]


def recently_changed(
    lessons: Sequence[Lesson], limit: int = 40, describe: Describe = plain
) -> list[dict[str, Any]]:
    newest = sorted(lessons, key=lambda lesson: (lesson[0].updated_at, lesson[0].id), reverse=True)
    out = []
    for c, d in newest[:limit]:
        record = describe((c, d))
        record["updated_at"] = c.updated_at
        out.append(record)
    return out


def most_recurring(
    lessons: Sequence[Lesson], limit: int = 40, describe: Describe = plain
) -> list[dict[str, Any]]:
    """Lessons learned more than once, most often first (needs the contract's ``recurrence``)."""
    records = [r for r in lesson_dicts(lessons, describe) if int(r.get("recurrence") or 1) > 1]
    return sorted(records, key=lambda r: (-int(r["recurrence"]), r["id"]))[:limit]
