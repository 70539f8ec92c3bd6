"""The knowledge base facade: one object per process that adapters (CLI, HTTP, MCP) call.

It owns the store, the embedder and the vector index, all created lazily on first use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from kb.embedding import Embedder, embedder_for
from kb.errors import ConfigError, IndexMismatchError, InputError, NotFoundError
from kb.index.catalog import Catalog, CatalogData, read_catalog_rows
from kb.index.vectors import IndexInfo, VectorIndex
from kb.outputs.contract import embedding_text
from kb.records import (
    ChangeRecord,
    ConstraintRecord,
    DocumentDraft,
    DocumentRecord,
    FailureRecord,
    FeedbackCounts,
    KeyRecord,
    ReviewRecord,
)
from kb.retrieval.confidence import settle_first_result
from kb.retrieval.diffs import parse_diff
from kb.retrieval.rerank import lead_by_whole_text
from kb.retrieval.results import PassageHit, QueryResult, ScoredPassage, pair
from kb.retrieval.search import DEFAULT_WEIGHTS, RankingWeights, search
from kb.settings import Settings
from kb.storage.local import private_home
from kb.storage.sqlite_reads import SQLiteReads, sqlite_file
from kb.vocab import CATEGORIES, DOCUMENT_KINDS, SEVERITIES, SHARED_TEAM, STATUSES

if TYPE_CHECKING:
    from kb.auth import Principal

    # The store imports SQLAlchemy and SQLModel (about 0.3 s): a query on SQLite never needs it.
    from kb.index.catalog import DocumentLoader, RowLoader
    from kb.lifecycle.staleness import ReviewState
    from kb.storage.store import Store, Teams

log = logging.getLogger(__name__)

# A constraint with the document it came from: what the facade's reads hand out.
Lesson = tuple[ConstraintRecord, DocumentRecord]

# History events that are not a person's decision (``changes`` leaves them to ``history``).
_NOT_DECISIONS = frozenset({"ingest", "propose", "reingest", "conflict", "feedback"})

MAX_K = 100
MAX_QUERY_CHARS = 20_000
MAX_DIFF_BYTES = 2 * 1024 * 1024


class KnowledgeBase:
    """Documents, constraints and their retrieval, over one database and one data directory."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        weights: RankingWeights = DEFAULT_WEIGHTS,
    ) -> None:
        self.settings = settings
        self.weights = weights
        self._store: Store | None = None
        self._reads: SQLiteReads | Store | None = None
        self._embedder = embedder
        self._index: VectorIndex | None = None
        self._catalogs: dict[tuple[str, ...] | None, Catalog] = {}
        self._catalog_data: CatalogData | None = None
        self._lock = threading.RLock()
        self._vector_model_checked = False

    # --- lazily built parts ------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            from kb.storage.store import Store

            if not self.settings.database_url:
                private_home(self.settings)  # 0700 folder, 0600 database: lessons are private
            self._store = Store.from_url(self.settings.resolved_database_url)
        return self._store

    @property
    def reads(self) -> SQLiteReads | Store:
        """Where queries read SQL (the revision, their hits' rows): a SQLite file at the newest
        schema through the standard library's driver, anything else through the store."""
        with self._lock:  # one connection, even when the first queries arrive together
            if self._reads is None:
                from kb.storage.migrations import HEAD

                path = sqlite_file(self.settings.resolved_database_url)
                reads = SQLiteReads.open(path, schema=HEAD) if path is not None else None
                self._reads = reads if reads is not None else self.store
            return self._reads

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = embedder_for(self.settings)
        return self._embedder

    def close(self) -> None:
        if isinstance(self._reads, SQLiteReads):
            self._reads.close()
        self._reads = None
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- writes ------------------------------------------------------------------------------------

    def stored_hashes(self, source: str, *, team: str = SHARED_TEAM) -> dict[str, str]:
        # A document stored before its body was kept (migration 0002) counts as changed: the next
        # ingest reads it again, so the document ranker sees its text (lessons keep their ids).
        return {
            path: doc.sha256 if doc.has_body else ""
            for path, doc in self.store.stored_hashes(source, team=team).items()
        }

    def add_documents(
        self,
        source: str,
        drafts: Sequence[DocumentDraft],
        *,
        team: str = SHARED_TEAM,
        actor: str | None = None,
    ) -> list[int]:
        """Embed and store a batch of parsed documents in one transaction; returns document ids.
        ``actor`` is who the history names (default: ``ingest:<source>``)."""
        from kb.safety.sanitize import sanitize_drafts  # secrets redacted, instruction-like text flagged

        if not self._vector_model_checked:
            self._refuse_other_vector_models(sample=True)  # before vectors of two models mix
            self._vector_model_checked = True
        drafts = sanitize_drafts(drafts, self.settings)
        texts = [embedding_text(c.statement, c.rationale) for d in drafts for c in d.constraints]
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dimension), np.float32)
        from kb.storage.store import EmbeddedDraft

        items: list[EmbeddedDraft] = []
        offset = 0
        for draft in drafts:
            n = len(draft.constraints)
            items.append(
                EmbeddedDraft(
                    source=source, draft=draft, vectors=vectors[offset : offset + n], team=team, actor=actor
                )
            )
            offset += n
        with self._lock:
            ids = self.store.write_documents(items, model=self.embedder.name)
            self._catalogs.clear()
        return ids

    def record_failure(self, *, source: str, path: str, message: str, team: str = SHARED_TEAM) -> None:
        from kb.safety.redaction import redact_text

        self.store.record_failure(source=source, path=path, message=redact_text(message), team=team)

    def delete_document(self, document_id: int, *, teams: Teams = None) -> None:
        with self._lock:
            self.store.delete_document(document_id, teams=teams)
            self._catalogs.clear()

    # --- the index -----------------------------------------------------------------------------------

    def index(self, *, revision: int | None = None) -> VectorIndex:
        """The vector index in step with SQL: loaded from disk, or rebuilt from stored vectors."""
        with self._lock:
            revision = self.reads.revision() if revision is None else revision
            if self._index is not None and self._index.info.revision == revision:
                return self._index
            try:
                # Every write bumps the revision, so it identifies the vectors; counting them would
                # scan the vector table (a second at a million rows) on every cold start.
                self._index = VectorIndex.load(
                    self.settings.index_dir,
                    model=self.embedder.name,
                    dimension=self.embedder.dimension,
                    revision=revision,
                )
            except IndexMismatchError as exc:
                log.info("rebuilding the vector index: %s", exc.message)
                self._build_index(revision)
            assert self._index is not None
            return self._index

    def loaded_index_size(self) -> int:
        """Vectors in the index this process holds now (no freshness check, no SQL round trip)."""
        return self._index.count if self._index is not None else 0

    def reindex(self) -> IndexInfo:
        """Rebuild the FAISS index and the catalog from SQL (no re-embedding) and save them."""
        with self._lock:
            revision = self.store.revision()
            info = self._build_index(revision)
            self._build_catalog_data(revision)
            return info

    def _refuse_other_vector_models(self, *, sample: bool) -> None:
        """A knowledge base embedded with another model or precision is refused, not half-searched:
        its vectors would be left out of the index, or compared with vectors of another space."""
        others = self.store.other_vector_models(self.embedder.name, sample=sample)
        if others:
            raise ConfigError(
                f"the knowledge base's lessons were embedded with {', '.join(map(repr, others))}, "
                f"this process embeds with {self.embedder.name!r}: set KB_EMBEDDER, KB_MODEL_PATH and "
                "KB_EMBEDDING_PRECISION as they were when it was built, or ingest into a new KB_HOME"
            )

    def _build_index(self, revision: int) -> IndexInfo:
        self._refuse_other_vector_models(sample=False)
        ids, vectors = self.store.vectors(model=self.embedder.name)
        index = VectorIndex.build(
            ids,
            vectors,
            model=self.embedder.name,
            dimension=self.embedder.dimension,
            revision=revision,
            ann_threshold=self.settings.ann_threshold,
            ef_search=self.settings.hnsw_ef_search,
        )
        index.save(self.settings.index_dir)
        self._index = index
        return index.info

    def _build_catalog_data(self, revision: int) -> CatalogData:
        rows, documents = read_catalog_rows(self.store)
        data = CatalogData.build(rows, documents, revision=revision)
        data.save(self.settings.index_dir)
        self._catalog_data = data
        self._catalogs.clear()
        return data

    def catalog_data(self, *, revision: int | None = None) -> CatalogData:
        """Every constraint's ranking columns: memory-mapped from disk, rebuilt when SQL moved on."""
        with self._lock:
            revision = self.reads.revision() if revision is None else revision
            if self._catalog_data is not None and self._catalog_data.revision == revision:
                return self._catalog_data
            self._catalogs.clear()
            try:
                self._catalog_data = CatalogData.load(self.settings.index_dir, revision=revision)
            except IndexMismatchError as exc:
                log.info("rebuilding the catalog: %s", exc.message)
                self._build_catalog_data(revision)
            assert self._catalog_data is not None
            return self._catalog_data

    def catalog(self, *, teams: Teams = None, revision: int | None = None) -> Catalog:
        """The lexical/scope view of the constraints ``teams`` may see, in step with SQL."""
        key = tuple(sorted(teams)) if teams is not None else None
        with self._lock:
            data = self.catalog_data(revision=revision)
            catalog = self._catalogs.get(key)
            if catalog is None or catalog.revision != data.revision:
                reads = self.reads
                # Duck-typed rows: ORM objects from the store, plain records from SQLiteReads.
                loader = cast("RowLoader", partial(reads.constraints_by_ids, teams=teams))
                document_loader = cast("DocumentLoader", partial(reads.get_document, teams=teams))
                catalog = Catalog.from_data(data, teams=teams, loader=loader, document_loader=document_loader)
                self._catalogs[key] = catalog
            return catalog

    # --- reads ---------------------------------------------------------------------------------------

    def query(
        self,
        *,
        task: str | None = None,
        diff: str | None = None,
        k: int = 5,
        include_inactive: bool = False,
        include_proposed: bool = False,
        teams: Teams = None,
    ) -> QueryResult:
        """The constraints that matter for a task description and/or a unified diff. Unreviewed
        proposals only with ``include_proposed`` (marked in ``why``): they must not steer."""
        task = _valid_text(task or "").strip() or None
        diff = _valid_text(diff) if diff is not None else None
        if task is None and not (diff or "").strip():
            raise InputError("give a task description, a diff, or both")
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}, got {k}")
        if task and len(task) > MAX_QUERY_CHARS:
            raise InputError(f"the task description is longer than {MAX_QUERY_CHARS} characters")
        if diff is not None and len(diff.encode("utf-8", "replace")) > MAX_DIFF_BYTES:
            raise InputError(f"the diff is larger than {MAX_DIFF_BYTES // 1024} KiB")
        parsed = parse_diff(diff) if diff and diff.strip() else None
        revision = self.reads.revision()  # one round trip for both freshness checks
        catalog = self.catalog(teams=teams, revision=revision)
        index = self.index(revision=revision)
        ranking = search(
            catalog=catalog,
            index=index,
            embedder=self.embedder,
            task=task,
            diff=parsed,
            k=k,
            weights=self.weights,
            include_inactive=include_inactive,
            include_proposed=include_proposed,
        )
        # Ranking worked on catalog columns; the hits' records are read once, in one query.
        result = pair(ranking, catalog.load([s.id for s in ranking.scored]))
        result.passages.extend(self._passage_hits(ranking.passages, teams=teams))
        from kb.lifecycle.ranking import apply_lifecycle

        feedback = self.reads.feedback_counts([hit.id for hit in result.hits])
        repeated = [hit.id for hit in result.hits if hit.constraint.recurrence > 1]
        repeats = self.reads.repeats_of(repeated) if repeated else {}
        apply_lifecycle(
            result,
            feedback,
            policy=self.settings.review_policy,
            repeats=repeats,
            evidence_share=self.weights.lifecycle_share,
        )
        if parsed is None and catalog.body_bm25 is not None:
            lead_by_whole_text(
                result,
                task=task or "",
                bodies=partial(self.document_bodies, teams=teams),
                idf=catalog.body_bm25.idf,
                documents=self.weights.lead_documents,
                margin=self.weights.task_document_lead,
            )
        # Which result is first is known only now that the lifecycle stage and the second look at the
        # first documents have re-sorted them.
        settle_first_result(result.hits)
        return result

    def _passage_hits(self, passages: Sequence[ScoredPassage], *, teams: Teams) -> list[PassageHit]:
        """The ranked passages with their documents and an excerpt of the stored body (SQL is the
        truth: the catalog only knows each passage's lines). A document deleted meanwhile drops out."""
        if not passages:
            return []
        from kb.index.passages import excerpt

        ids = sorted({p.document_id for p in passages})
        bodies = self.reads.document_bodies(ids, teams=teams)
        out: list[PassageHit] = []
        for p in passages:
            body = bodies.get(p.document_id)
            if body is None:
                continue
            try:
                document = self.reads.get_document(p.document_id, teams=teams)
            except NotFoundError:
                continue
            raw_offset = document.meta.get("body_line_offset")
            offset = raw_offset if isinstance(raw_offset, int) and raw_offset >= 0 else 0
            out.append(
                PassageHit(
                    document=document,
                    heading=p.heading,
                    line_start=p.line_start + offset,
                    line_end=p.line_end + offset,
                    excerpt=excerpt(body, p.line_start, p.line_end),
                    score=p.score,
                    confidence=p.confidence,
                    why=list(p.why),
                )
            )
        return out

    def get(self, constraint_id: int, *, teams: Teams = None) -> Lesson:
        """One constraint with its document (body included), if ``teams`` may see it."""
        return self.store.get_constraint(constraint_id, teams=teams)

    def update_constraint(
        self, constraint_id: int, changes: dict[str, Any], *, actor: str, teams: Teams = None
    ) -> Lesson:
        """Change a lesson's statement, rationale, category, status, severity or scope; the change is
        logged with its actor, and re-ingest keeps it (a source change under it becomes a review item)."""
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name in ("statement", "rationale"):
                if not isinstance(value, str):
                    raise InputError(f"{name} must be text")
                value = _valid_text(value).strip()
                if name == "statement" and not value:
                    raise InputError("the statement cannot be empty")
                if len(value) > (1_000 if name == "statement" else 8_000):
                    raise InputError(f"the {name} is too long")
            elif name == "category":
                _check_choice("category", value, CATEGORIES)
            elif name == "status":
                _check_choice("status", value, STATUSES)
            elif name == "severity":
                _check_choice("severity", value, SEVERITIES)
            elif name in ("services", "paths", "technologies", "tags"):
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise InputError(f"{name} must be a list of non-empty strings")
                value = [v.strip() for v in value]
            else:
                raise InputError(
                    f"cannot change {name!r}: only statement, rationale, category, status, severity and scope"
                )
            clean[name] = value
        if not clean:
            raise InputError(
                "nothing to change: give a statement, rationale, category, status, severity or scope"
            )
        vector = None
        if "statement" in clean or "rationale" in clean:
            current, _document = self.get(constraint_id, teams=teams)
            text = embedding_text(
                clean.get("statement", current.statement), clean.get("rationale", current.rationale)
            )
            embedded = np.ascontiguousarray(self.embedder.embed([text])[0], dtype="<f4")
            vector = (self.embedder.name, embedded.tobytes(), int(embedded.shape[0]))
        with self._lock:
            lesson = self.store.update_constraint(
                constraint_id, clean, actor=actor, teams=teams, vector=vector
            )
            self._catalogs.clear()
        return lesson

    # --- lifecycle: review, history, dedupe, staleness, feedback ------------------------------------------

    def propose(
        self, *, actor: str, team: str = SHARED_TEAM, teams: Teams = None, **fields: Any
    ) -> tuple[Lesson, bool]:
        """Store a proposed lesson (``kb.lifecycle.proposals.propose_lesson`` says which fields);
        returns it and whether the same statement was already stored (then nothing is added)."""
        from kb.lifecycle.proposals import propose_lesson

        return propose_lesson(self, proposed_by=actor, team=team, teams=teams, **fields)

    def review_queue(self, *, teams: Teams = None) -> list[ReviewRecord]:
        """What waits for a person's decision: proposals, conflicts, duplicates, supersessions, stale."""
        from kb.lifecycle.review import review_queue

        return review_queue(self, teams=teams)

    def review_entries(self, *, teams: Teams = None) -> list[dict[str, Any]]:
        """The review queue in the contract's shape, each entry with its lesson's record."""
        from kb.outputs.contract import review_dict

        items = self.review_queue(teams=teams)
        lessons = self.store.constraints_by_ids([i.constraint_id for i in items], teams=teams)
        return [
            review_dict(i, self.describe(lessons[i.constraint_id]) if i.constraint_id in lessons else None)
            for i in items
        ]

    def accept(self, constraint_id: int, *, actor: str, teams: Teams = None, note: str = "") -> Lesson:
        from kb.lifecycle.review import accept

        return self._changed(lambda: accept(self, constraint_id, actor=actor, teams=teams, note=note))

    def reject(self, constraint_id: int, *, reason: str, actor: str, teams: Teams = None) -> Lesson:
        from kb.lifecycle.review import reject

        return self._changed(lambda: reject(self, constraint_id, reason=reason, actor=actor, teams=teams))

    def retire(self, constraint_id: int, *, reason: str, actor: str, teams: Teams = None) -> Lesson:
        from kb.lifecycle.review import retire

        return self._changed(lambda: retire(self, constraint_id, reason=reason, actor=actor, teams=teams))

    def edit(self, constraint_id: int, changes: dict[str, Any], *, actor: str, teams: Teams = None) -> Lesson:
        """A person's edit (the CLI's ``edit``, the API's PATCH): same as ``update_constraint``."""
        return self.update_constraint(constraint_id, changes, actor=actor, teams=teams)

    def _changed(self, decision: Any) -> Lesson:
        with self._lock:
            lesson: Lesson = decision()
            self._catalogs.clear()
        return lesson

    def history(self, constraint_id: int, *, teams: Teams = None) -> list[ChangeRecord]:
        """Every event of one lesson ``teams`` may see, oldest first."""
        self.store.get_constraint(constraint_id, teams=teams)  # NotFoundError for another team's id
        return self.store.curation.history(constraint_id)

    def sources(self, constraint_id: int, *, teams: Teams = None) -> list[Lesson]:
        """Every document that states this lesson, as the lesson found in each (oldest first)."""
        return self.store.curation.sources(constraint_id, teams=teams)

    def feedback(
        self, constraint_id: int, *, helpful: bool, actor: str, task: str | None = None, teams: Teams = None
    ) -> FeedbackCounts:
        """Record "helpful" or "not helpful" on a lesson (with the task it answered)."""
        task = _valid_text(task or "").strip()
        if len(task) > MAX_QUERY_CHARS:
            raise InputError(f"the task is longer than {MAX_QUERY_CHARS} characters")
        return self.store.curation.add_feedback(
            constraint_id, helpful=helpful, task=task, actor=actor, teams=teams
        )

    def feedback_counts(self, constraint_id: int) -> FeedbackCounts:
        return self.store.curation.feedback_counts([constraint_id]).get(constraint_id, FeedbackCounts())

    def review_state(self, constraint: ConstraintRecord, document: DocumentRecord) -> ReviewState:
        from kb.lifecycle.staleness import review_state

        return review_state(constraint, document, policy=self.settings.review_policy)

    def describe(self, lesson: Lesson, *, full: bool = False, teams: Teams = None) -> dict[str, Any]:
        """A lesson in the contract's shape with its review state; ``full`` adds every source and
        the feedback counts (``show``)."""
        from kb.lifecycle.ranking import effective_severity
        from kb.outputs.contract import constraint_dict, source_dict

        constraint, document = lesson
        record = constraint_dict(constraint, document)
        record["severity"] = effective_severity(constraint, document)
        record.update(self.review_state(constraint, document).to_dict())
        if full:
            record["sources"] = [source_dict(c, d) for c, d in self.sources(constraint.id, teams=teams)]
            counts = self.feedback_counts(constraint.id)
            record["feedback"] = {"helpful": counts.helpful, "not_helpful": counts.not_helpful}
        return record

    def scan_duplicates(
        self,
        constraint_ids: Sequence[int] | None = None,
        *,
        document_ids: Sequence[int] | None = None,
        threshold: float | None = None,
    ) -> int:
        """Put near-duplicate lessons of different documents to review (the lessons given, those of
        the documents given, or all); returns how many items were stored."""
        from kb.lifecycle.review import NEAR_DUPLICATE, scan_duplicates

        if document_ids is not None:
            constraint_ids = self.catalog().members_of(document_ids)
        limit = NEAR_DUPLICATE if threshold is None else threshold
        return scan_duplicates(self, constraint_ids, threshold=limit)

    def list_constraints(
        self,
        *,
        kind: str | None = None,
        category: str | None = None,
        status: str | None = None,
        severity: str | None = None,
        stale: bool | None = None,
        limit: int = 50,
        offset: int = 0,
        teams: Teams = None,
    ) -> list[Lesson]:
        """Lessons ``teams`` may see, filtered, by id; ``stale`` keeps only lessons past (True) or
        within (False) their review date."""
        _check_choice("kind", kind, DOCUMENT_KINDS)
        _check_choice("category", category, CATEGORIES)
        _check_choice("status", status, STATUSES)
        _check_choice("severity", severity, SEVERITIES)
        if limit < 1 or offset < 0:
            raise InputError("limit must be at least 1 and offset at least 0")
        filters: dict[str, Any] = {"kind": kind, "category": category, "status": status, "severity": severity}
        if stale is None:
            return self.store.list_constraints(teams=teams, limit=limit, offset=offset, **filters)
        # Staleness is computed (front matter, policy, confirmations), so the filter runs here.
        every = self.store.list_constraints(teams=teams, limit=2**31 - 1, offset=0, **filters)
        kept = [lesson for lesson in every if self.review_state(*lesson).stale == stale]
        return kept[offset : offset + limit]

    def all_constraints(self, *, teams: Teams = None) -> list[Lesson]:
        """Every constraint ``teams`` may see, by id (exports read the whole set)."""
        return self.store.all_constraints(teams=teams)

    def changes(self, constraint_id: int, *, teams: Teams = None) -> list[ChangeRecord]:
        """What people decided on one lesson ``teams`` may see (edits, reviews, merges), oldest first;
        ``history`` also has what ingest and feedback did."""
        return [c for c in self.history(constraint_id, teams=teams) if c.action not in _NOT_DECISIONS]

    def stats(self, *, teams: Teams = None) -> dict[str, Any]:
        return self.store.stats(teams=teams)

    def failures(self, *, teams: Teams = None) -> list[FailureRecord]:
        """The last ingest error of each file that failed and has not ingested cleanly since."""
        return self.store.failures(teams=teams)

    def revision(self) -> int:
        """The SQL change counter (every write bumps it): what the index must be in step with."""
        return self.reads.revision()

    # --- documents -------------------------------------------------------------------------------------

    def get_document(self, document_id: int, *, teams: Teams = None) -> tuple[DocumentRecord, int]:
        """One document ``teams`` may see, with the number of its constraints."""
        document = self.store.get_document(document_id, teams=teams)
        return document, self.store.count_constraints(document_id)

    def document_bodies(self, document_ids: Sequence[int], *, teams: Teams = None) -> dict[int, str]:
        """The stored (redacted) text of documents, by id, read on the query path (no ORM on SQLite)."""
        return self.reads.document_bodies(document_ids, teams=teams)

    def list_documents(
        self, *, kind: str | None = None, limit: int = 50, offset: int = 0, teams: Teams = None
    ) -> list[tuple[DocumentRecord, int]]:
        """Documents ``teams`` may see, by id, each with the number of its constraints."""
        _check_choice("kind", kind, DOCUMENT_KINDS)
        return self.store.list_documents(teams=teams, kind=kind, limit=limit, offset=offset)

    # --- API keys ----------------------------------------------------------------------------------------

    def create_key(self, *, team: str, role: str, name: str = "") -> tuple[KeyRecord, str]:
        """A new key and its plaintext, which is never stored or shown again."""
        from kb.auth import create_key

        return create_key(self.store, team=team, role=role, name=name)

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a presented key, or None for an unknown, malformed or revoked one."""
        from kb.auth import authenticate

        return authenticate(self.store, token)

    def list_keys(self, *, team: str | None = None) -> list[KeyRecord]:
        return self.store.list_keys(team=team)

    def revoke_key(self, key_id: int, *, team: str | None = None) -> KeyRecord:
        return self.store.revoke_key(key_id, team=team)


def _valid_text(text: str) -> str:
    """Replace lone surrogates (possible in JSON input) that no encoder or database accepts."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _check_choice(name: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        raise InputError(f"unknown {name} {value!r}: choose one of {', '.join(allowed)}")
