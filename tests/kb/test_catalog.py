"""The catalog: columns of every constraint, saved next to the index and refused when stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb.errors import IndexMismatchError
from kb.index.catalog import CatalogData, CatalogDocument, CatalogRow
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase


def _data(revision: int = 3) -> CatalogData:
    rows = [
        CatalogRow(1, 1, "Retry payment captures with an idempotency key.", "", "", "active", [], [], []),
        CatalogRow(
            2, 1, "Never retry without a key.", "", "", "superseded", ["payments"], ["pay/**"], ["stripe"]
        ),
        CatalogRow(
            3, 2, "Drain nodes before upgrading kubernetes.", "", "", "active", [], [], ["kubernetes"]
        ),
    ]
    documents = [
        CatalogDocument(1, "Double charge", "shared", ["payments"], "postmortem"),
        CatalogDocument(2, "Node upgrades", "infra", [], "runbook"),
    ]
    return CatalogData.build(rows, documents, revision=revision)


def _loader(ids: object) -> dict[int, tuple[object, object]]:
    raise AssertionError("ranking fields must not load rows")


def test_saved_catalog_loads_memory_mapped_and_ranks_the_same(tmp_path: Path) -> None:
    data = _data()
    data.save(tmp_path)
    loaded = CatalogData.load(tmp_path, revision=3)
    query = {"retri": 1.0, "kei": 1.0, "drain": 1.0}
    assert loaded.bm25.search(query, 5) == data.bm25.search(query, 5)
    assert loaded.document_bm25.search(query, 5) == data.document_bm25.search(query, 5)
    assert loaded.scope == data.scope and loaded.kinds == data.kinds


def test_stale_or_missing_catalog_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IndexMismatchError, match="no saved catalog"):
        CatalogData.load(tmp_path)
    _data(revision=3).save(tmp_path)
    with pytest.raises(IndexMismatchError, match="revision"):
        CatalogData.load(tmp_path, revision=4)
    _data(revision=4).save(tmp_path)  # replaces the folder whole
    assert CatalogData.load(tmp_path, revision=4).revision == 4


def test_view_carries_ranking_fields_and_respects_teams() -> None:
    from kb.index.catalog import Catalog

    data = _data()
    everyone = Catalog.from_data(data, loader=_loader)  # type: ignore[arg-type]
    assert len(everyone.rows) == 3 and 2 in everyone.rows and 9 not in everyone.rows
    constraint, document = everyone.rows[2]
    assert (constraint.status, constraint.paths, constraint.technologies) == (
        "superseded",
        ["pay/**"],
        ["stripe"],
    )
    assert (document.id, document.kind, document.services) == (1, "postmortem", ["payments"])
    assert everyone.known_services == {"payments"}
    assert everyone.constraints_by_pattern() == {"pay/**": [2]}
    assert everyone.patterns_of(2) == ["pay/**"] and everyone.patterns_of(3) == []
    assert everyone.by_document.get(1) == [1, 2]

    shared = Catalog.from_data(data, teams=["shared"], loader=_loader)  # type: ignore[arg-type]
    assert set(shared.rows) == {1, 2} and 3 not in shared.rows
    infra = Catalog.from_data(data, teams=["infra"], loader=_loader)  # type: ignore[arg-type]
    assert infra.known_services == set() and infra.constraints_by_pattern() == {}
    assert infra.patterns_of(2) == []  # not this team's lesson
    assert shared.known_services == {"payments"} and shared.constraints_by_pattern() == {"pay/**": [2]}
    assert shared.by_document.get(2) is None
    assert [cid for cid, _, _ in shared.bm25.search({"drain": 1.0}, 5)] == []
    assert [d for d, _, _ in shared.document_bm25.search({"drain": 1.0}, 5)] == []
    # Ranking (what retrieval calls) hides them too, so they never take a top-k slot.
    assert shared.bm25.rank({"drain": 1.0}, 5).ids.tolist() == []
    assert shared.document_bm25.rank({"drain": 1.0}, 5).ids.tolist() == []


def test_knowledge_base_saves_the_catalog_and_hydrates_hits(fake_kb: KnowledgeBase) -> None:
    draft = DocumentDraft(
        path="a.md",
        kind="postmortem",
        title="Double charge",
        sha256="1",
        constraints=[
            ConstraintDraft(
                statement="Retry payment captures with an idempotency key.",
                rationale="A retry charged customers twice.",
                category="reliability",
                severity="high",
            )
        ],
    )
    fake_kb.add_documents("src", [draft])
    result = fake_kb.query(task="retry the payment capture", k=3)
    assert result.hits and result.hits[0].constraint.rationale == "A retry charged customers twice."
    assert result.hits[0].to_dict()["source"]["path"] == "a.md"
    assert (fake_kb.settings.index_dir / "catalog" / "meta.json").is_file()
    revision = fake_kb.store.revision()
    assert CatalogData.load(fake_kb.settings.index_dir, revision=revision).revision == revision


def test_body_index_reads_the_documents_own_text_and_respects_teams(tmp_path: Path) -> None:
    from kb.index.catalog import BODY_INDEX_CHARS, Catalog

    rows = [
        CatalogRow(1, 1, "Retry payment captures with an idempotency key.", "", "", "active", [], [], []),
        CatalogRow(2, 2, "Drain nodes before upgrading.", "", "", "active", [], [], []),
        CatalogRow(3, 3, "Page the on-call.", "", "", "active", [], [], []),
    ]
    documents = [
        CatalogDocument(1, "Double charge", "shared", [], "postmortem", "The stripe webhook timed out."),
        CatalogDocument(2, "Node upgrades", "infra", [], "runbook", "Cordon then drain; karpenter resumes."),
        # Only the first BODY_INDEX_CHARS count: a word past them is not indexed.
        CatalogDocument(3, "Pager", "shared", [], "runbook", "x " * BODY_INDEX_CHARS + "zookeeper"),
    ]
    data = CatalogData.build(rows, documents, revision=1)
    # Words found only in the bodies, not in any lesson or title.
    assert [d for d, _, _ in data.body_bm25.search({"webhook": 1.0}, 5)] == [1]
    assert [d for d, _, _ in data.document_bm25.search({"webhook": 1.0}, 5)] == []
    assert data.body_bm25.search({"zookeeper": 1.0}, 5) == []
    data.save(tmp_path)
    loaded = CatalogData.load(tmp_path, revision=1)
    assert loaded.body_bm25.search({"karpenter": 1.0}, 5) == data.body_bm25.search({"karpenter": 1.0}, 5)
    shared = Catalog.from_data(loaded, teams=["shared"], loader=_loader)  # type: ignore[arg-type]
    assert shared.body_bm25 is not None
    assert shared.body_bm25.search({"karpenter": 1.0}, 5) == []


def test_scope_counts_match_set_intersection_per_candidate() -> None:
    """Scope evidence by postings gives what intersecting each candidate's own lists gave."""
    import random

    from kb.index.catalog import Catalog

    rng = random.Random(4)
    techs = ["kubernetes", "terraform", "postgres", "redis", "kafka"]
    services = ["Payments", "orders", "auth", "search"]
    documents = [
        CatalogDocument(d, f"doc {d}", ["a", "b"][d % 2], rng.sample(services, rng.randint(0, 2)), "runbook")
        for d in range(1, 21)
    ]
    rows = [
        CatalogRow(
            cid,
            rng.randint(1, 20),
            f"lesson {cid}",
            "",
            "",
            "active",
            rng.sample(services, rng.randint(0, 2)),
            [],
            rng.sample(techs, rng.randint(0, 3)),
        )
        for cid in range(1, 301, 2)  # ids with gaps: positions are not ids
    ]
    data = CatalogData.build(rows, documents, revision=1)
    doc_services = {d.id: d.services for d in documents}
    for teams in (None, ["a"]):
        catalog = Catalog.from_data(data, teams=teams, loader=_loader)  # type: ignore[arg-type]
        columns = catalog.columns(rng.sample([r.id for r in rows], 60))
        query_techs, query_services = {"kubernetes", "postgres", "mongo"}, {"payments", "auth"}
        by_id = {r.id: r for r in rows}
        expected_techs = [len(query_techs & set(by_id[c].technologies)) for c in columns.ids.tolist()]
        expected_services = [
            len(
                query_services
                & {s.lower() for s in [*by_id[c].services, *doc_services[by_id[c].document_id]]}
            )
            for c in columns.ids.tolist()
        ]
        assert catalog.technology_counts(query_techs, columns).tolist() == expected_techs
        assert catalog.service_counts(query_services, columns).tolist() == expected_services
        assert sum(expected_techs) > 0 and sum(expected_services) > 0  # the sample exercises both


def test_scope_postings_are_saved_and_loaded_memory_mapped(tmp_path: Path) -> None:
    data = _data()
    data.save(tmp_path)
    loaded = CatalogData.load(tmp_path, revision=3)
    for built, read in (
        (data.technology_postings(), loaded.technology_postings()),
        (data.service_postings(), loaded.service_postings()),
    ):
        assert built.names == read.names and read.names
        assert isinstance(read.rows.base, np.memmap)
        assert all(built.rows_of(n).tolist() == read.rows_of(n).tolist() for n in built.names)
    # Row positions: lesson 2 carries stripe; its document's service reaches lessons 1 and 2.
    assert loaded.technology_postings().rows_of("stripe").tolist() == [1]
    assert loaded.service_postings().rows_of("payments").tolist() == [0, 1]
    assert loaded.service_postings().rows_of("nothing").tolist() == []


def test_list_columns_round_trip_and_behave_as_mappings(tmp_path: Path) -> None:
    from kb.index.catalog import ListColumn, ScopeLists

    lists = {7: ["b", "a"], 3: ["a"], 9: [], 12: ["c", "a", "c"]}
    column = ListColumn.from_lists(lists)
    assert dict(column) == {3: ["a"], 7: ["b", "a"], 12: ["c", "a", "c"]}  # empty lists left out
    assert list(column) == [3, 7, 12] and len(column) == 3
    assert 9 not in column and column.get(9) is None and column.get(4, []) == []
    with pytest.raises(KeyError):
        column[9]
    ids, codes = column.pairs()
    assert [(int(i), column.names[c]) for i, c in zip(ids, codes, strict=True)] == [
        (3, "a"),
        (7, "b"),
        (7, "a"),
        (12, "c"),
        (12, "a"),
        (12, "c"),
    ]
    assert column.names_of() == {"a", "b", "c"}
    assert column.names_of(np.array([False, True, False])) == {"a", "b"}
    column.save(tmp_path, "x")
    loaded = ListColumn.load(tmp_path, "x")
    assert loaded == column and dict(loaded) == dict(column)

    scope = {1: (["pay"], [], []), 2: ([], ["a/**"], ["go"]), 5: (["x"], ["b"], ["py", "go"])}
    table = ScopeLists(*(ListColumn.from_lists({k: v[i] for k, v in scope.items()}) for i in range(3)))
    assert table == scope and list(table) == [1, 2, 5] and 3 not in table
    assert table.get(3) is None and table[2] == ([], ["a/**"], ["go"])
    table.save(tmp_path)
    assert ScopeLists.load(tmp_path) == scope
    empty = ListColumn.from_lists({})
    assert len(empty) == 0 and empty.names_of() == set() and 1 not in empty
