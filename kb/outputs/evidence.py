"""Evidence from a change itself: how close each changed file, hunk and the task are to a lesson,
which rare words they share, what the lesson's document quotes as the incident's cause and safeguard
(``kb.outputs.signatures``) and whether the change follows or breaks the rule
(``kb.outputs.compliance``). The gate (``kb.outputs.gate``) decides from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from kb.errors import InputError
from kb.outputs import (
    code_forms,
    compliance,
    flag_forms,
    owner_forms,
    quoted_causes,
    rule_shapes,
    signatures,
)
from kb.outputs.breaking import breaks as breaks
from kb.outputs.breaking import shape_breaks as shape_breaks
from kb.outputs.change_lines import (
    MAX_FILES,
    ChangeLines,
    adds_alerting_rules,
    change_lines,
    is_prose,
    is_prose_path,
    is_test_path,
    says_nothing,
    split_files,
)
from kb.outputs.code_forms import without_docstrings
from kb.outputs.context import CONFIDENCE_RANK
from kb.outputs.signatures import SignatureMatch
from kb.retrieval.diffs import ChangedFile, ParsedDiff
from kb.retrieval.results import Hit
from kb.text import STOPWORDS, lexical_term, stem
from kb.vocab import is_rule_record, stored_record_type

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def record_type(hit: Hit) -> str:
    """What the lesson is (``kb.vocab.stored_record_type``)."""
    return stored_record_type(getattr(hit.constraint, "record_type", None))


def is_rule(hit: Hit) -> bool:
    """An active constraint or decision (not a fact kept as told): the only records that may block."""
    rules = getattr(hit.constraint, "rules", None)
    return hit.constraint.status == "active" and is_rule_record(record_type(hit), rules)


@dataclass(frozen=True, slots=True)
class GateThresholds:
    """What a match needs to block. Similarities are cosines of MiniLM unit vectors between a
    lesson and a text made only of the change's content (added, removed and surrounding lines, keys,
    comments; never its paths) or the task. Tuned on the tune fold of tests/data/gate/cases.jsonl
    (scripts/gate_bench.py)."""

    content_similarity: float = 0.5
    task_similarity: float = 0.6
    # With a task: the content must still be about the lesson a little.
    task_content_floor: float = 0.3
    # Rare lesson words the change's content must share (identifiers split into words) for the
    # similarity-only block: one ("nginx" in an ingress change) let unrelated changes block.
    shared_terms: int = 2
    # A lesson the change's own tests are this close to counts as handled (advice, not a block).
    tested_similarity: float = 0.4
    # Advice needs the change's content or task this close to the lesson too: the retrieval's
    # confidence alone also counts path and document evidence.
    advice_similarity: float = 0.4
    # A task close to a lesson gives advice only when the change's content is about it a little too:
    # a subject that names a bucket ("tag the bucket with its cost centre") is not a change to what
    # the bucket keeps.
    advice_content_floor: float = 0.25
    # A change that acts on a lesson (brings what it asks for, adds the safeguard it speaks of, or
    # tests it) is worth a look at this closeness, below ``advice_similarity``: code that does the
    # right thing reads less like the lesson's prose than its topic does.
    acted_on_similarity: float = 0.25
    # The rule's asked-for words a change must bring for ``acted_on_similarity`` when it follows the
    # rule in words only (``compliance.follows`` itself needs two).
    followed_words: int = 3
    # A change that follows a rule in the act's shape (an allow-list extended, a guard on the number of
    # tests run) acts on it at this closeness: the shape is read only for rules about it, and the code
    # that does it (a map entry, one CI step) reads little like the rule's prose.
    acted_by_shape_similarity: float = 0.15
    # Closeness alone advises only when the change touches one of the lesson's rare words (in what it
    # brings in or takes out, a setting whose value it changes, or the scope its hunks edit): a tiny
    # edit reads close to a lesson through the lines around it (a User-Agent set beside the tenant
    # lookups, `cache: true` beside the migration lint step).
    advice_touched_terms: int = 1
    # A change that adds what the lesson's document quotes as an incident's cause (without its
    # safeguard, see kb.outputs.signatures) blocks at a lower similarity.
    signature_similarity: float = 0.35
    # A change that breaks a negative rule (does what it forbids, on what it names) blocks at this
    # similarity: the words already say it is about the rule.
    violation_similarity: float = 0.2
    # The least severe lesson that may block.
    min_severity: str = "high"
    # A postmortem's lessons were paid for by an incident; one that states no severity gets "medium"
    # at extraction, and its lessons still name the failure a change can repeat.
    postmortem_min_severity: str = "medium"


DEFAULT_THRESHOLDS: Final = GateThresholds()
CONTENT_LINES: Final = 60


@dataclass(slots=True)
class Evidence:
    """What a lesson matched in the change: the file whose content matched best, and how."""

    path: str | None
    content_similarity: float
    task_similarity: float | None
    shared_terms: list[str]
    # The best cosine of the lesson to a test file the change adds or edits (None: no test changed).
    test_similarity: float | None = None
    # What the change does with the code the lesson's document quotes as cause and as safeguard.
    signature: SignatureMatch | None = None
    # What the lesson asks for that the change brings in (a positive rule being followed).
    follows: list[str] = field(default_factory=list)
    # ``follows`` is the rule's own words found in the added lines (``compliance.follows``), not an
    # act read by its shape (an empty list rejected, alerting rules added, a rollout in waves). An act
    # read by ``rule_shapes.follows_by_shape`` is one even where a few of the rule's words are found too.
    follows_in_words: bool = False
    # For a negative rule, the words of what it forbids that the change adds (None: not negative).
    does_forbidden: list[str] | None = None
    # A negative rule the change breaks: it does what the rule forbids, on what the rule names, and
    # does not bring the rule's exception (``compliance.violates``).
    violates: bool = False
    # The change adds lines that do something (``forward_lines``): one that only adds alerting rules
    # or only deletes reads like the lesson it watches for, and similarity alone does not block it.
    adds_code: bool = True
    # How many of ``shared_terms`` only the task brings (not the change's lines).
    task_only_terms: int = 0
    # For a positive rule, what it asks for that the change's removed code held and its added code
    # does not bring back (``compliance.undoes``): the change stops doing what the rule asks.
    undoes: list[str] = field(default_factory=list)
    # The change reads what the rule is about from the source it forbids (`@Query("merchant_id")`
    # for "tenant_id from the verified token, never from a path or query parameter").
    forbidden_source: bool = False
    # ... while the change's lines also take it from the caller's verified identity (`Session.org_id
    # request` as the fallback, or in the lines it replaces): the request chosen over the token.
    over_identity: bool = False
    # What the change's code does that the rule is about, in any framework's spelling
    # (``shape_breaks``): a record loaded by a request id with no owner filter, durable state moved
    # into a cache.
    breaks_shape: list[str] = field(default_factory=list)
    # A positive rule the code the change edits already follows (the words it asks for in the
    # changed hunks, added or around, none taken out): similarity alone does not block it.
    keeps: bool = False
    # Another lesson of the same document is followed by the change (it brings what that lesson
    # asks for): the change is working on that incident's fix, so closeness to this lesson, or the
    # document's quoted cause without this lesson's safeguard, is not a repeat.
    document_followed: bool = False
    # The lesson's rare words the change touches (``touched_terms``); None when not read.
    touched_terms: list[str] | None = None
    # Of ``shared_terms``, those a lesson of another document that the change follows also holds:
    # closeness they make is the change doing what that lesson asks (a scheduled `terraform plan`
    # for drift reads close to "review lifecycle changes in a Terraform plan").
    explained_terms: int = 0

    def blocks(self, t: GateThresholds, lesson: str = "", *, on_similarity: bool = True) -> bool:
        """Whether the lesson blocks the change. ``on_similarity=False`` (a runbook's lesson: what
        to do during an incident, read close by any change to the same code) blocks only on what the
        change does (a quoted cause, a safeguard taken away, a broken negative rule), never on
        closeness and shared words alone."""
        if self.test_similarity is not None and self.test_similarity >= t.tested_similarity:
            return False  # the change's own tests exercise the lesson: it was seen and handled
        if self.forbidden_source and (
            self.content_similarity >= t.violation_similarity or self.over_identity
        ):
            return True  # the safeguard itself (an owner key), read from where the rule forbids
        if self.breaks_shape and (
            self.content_similarity >= t.violation_similarity
            # the lesson quotes the very code it is broken with (`continue-on-error` on a test step)
            or (self.signature is not None and self.signature.names_risk(lesson))
        ):
            return True  # does in code what the rule is about (`Invoice.find(params[:id])`, no scope)
        if self.signature is not None and self.signature.handles(lesson):
            return False  # the change adds the safeguard the lesson's document asks for
        if (
            self.signature is not None
            and self.signature.takes_away(lesson)
            and self.content_similarity >= t.violation_similarity
        ):
            return True  # removes or switches off the safeguard the lesson names
        if self.undoes and self.adds_code and self.content_similarity >= t.violation_similarity:
            return True  # stops doing what the rule asks for (its dead-letter send removed)
        if self.follows and not self.violates:
            return False  # brings what the lesson asks for, whatever else of its incident it names
        if (
            self.signature is not None
            and self.signature.names_risk(lesson)
            and self.content_similarity >= t.violation_similarity
            # a sibling lesson followed in the act's shape (a check that refuses first) guards it
            and not (self.document_followed and not self.signature.missing_safeguards)
        ):
            return True  # adds the very code the lesson names as the cause, with no safeguard
        if self.does_forbidden is not None and not self.does_forbidden:
            return False  # a negative rule: the change does not add what it forbids
        if self.follows:
            return False  # the change brings in what the rule asks for
        if self.signature is not None and self.signature.unguarded(lesson) and not self.document_followed:
            return True  # the incident's cause, without the safeguard this lesson asks for
        if self.signature is not None and self.signature.guards_only:
            return False  # brings the incident's safeguards and none of its causes: handling it
        if self.violates and self.content_similarity >= t.violation_similarity:
            return True  # does what the rule forbids, and is about what the rule is about
        if self.document_followed:
            return False  # brings what a sibling lesson asks for and does nothing any of them forbids
        if (
            self.signature is not None
            and self.signature.repeats
            and self.content_similarity >= t.signature_similarity
        ):
            return True
        own_terms = len(self.shared_terms) - self.explained_terms
        if self.keeps or not on_similarity or own_terms < t.shared_terms or not self.adds_code:
            return False
        # Close content alone needs its own shared words: the task's words ("replicas across zones"
        # in a commit subject) say what the author meant, not what the code shares with the lesson.
        if (
            self.content_similarity >= t.content_similarity
            and len(self.shared_terms) - self.task_only_terms >= t.shared_terms
        ):
            return True
        return (
            self.task_similarity is not None
            and self.task_similarity >= t.task_similarity
            and self.content_similarity >= t.task_content_floor
        )

    def advises(self, t: GateThresholds) -> bool:
        """Close enough to the change's content, or to its task with the content a little close
        too, to be worth a look, and the change touches a word of the lesson."""
        if (
            self.touched_terms is not None
            and len(self.touched_terms) < t.advice_touched_terms
            and not self.does_what_it_is_about()
        ):
            return False
        if self.content_similarity >= t.advice_similarity:
            return True
        return (
            self.task_similarity is not None
            and self.task_similarity >= t.advice_similarity
            and self.content_similarity >= t.advice_content_floor
        )

    def does_what_it_is_about(self) -> bool:
        """The change's code does what the lesson is about (breaks it, takes its safeguard out, or adds
        its document's quoted cause): worth a look, if it does not block, whatever words it touches."""
        repeats = self.signature is not None and self.signature.repeats
        return bool(self.breaks_shape or self.violates or self.forbidden_source or self.undoes or repeats)

    def acts_on(self, t: GateThresholds, lesson: str) -> bool:
        """The change does something about the lesson (brings what it asks for, adds a safeguard it
        speaks of, or its own tests are close to it) and its content is about it a little: worth a
        look whatever the retrieval's confidence, which ranks the lesson's prose against code."""
        by_shape = bool(self.follows) and not self.follows_in_words
        if self.content_similarity < (t.acted_by_shape_similarity if by_shape else t.acted_on_similarity):
            return False
        handles = self.signature is not None and self.signature.handles(lesson)
        tested = self.test_similarity is not None and self.test_similarity >= t.tested_similarity
        # Two of a rule's words ("currency", "minor") are in most code on its topic: following it in
        # words needs more of them to say the change does what it asks.
        followed = bool(self.follows) and (not self.follows_in_words or len(self.follows) >= t.followed_words)
        return followed or handles or tested

    def describe(self) -> str:
        parts = [f"change content similarity {self.content_similarity:.2f}"]
        if self.path:
            parts[0] += f" ({self.path})"
        if self.task_similarity is not None:
            parts.append(f"task similarity {self.task_similarity:.2f}")
        if self.shared_terms:
            parts.append("shares " + ", ".join(self.shared_terms[:5]))
        if self.test_similarity is not None:
            parts.append(f"the change's tests: similarity {self.test_similarity:.2f}")
        if self.signature is not None:
            parts.extend(self.signature.describe())
        if self.follows:
            parts.append("brings in what it asks for: " + ", ".join(self.follows))
        if self.document_followed:
            parts.append("follows another lesson of its document")
        if self.undoes:
            parts.append("removes what it asks for: " + ", ".join(self.undoes))
        if self.forbidden_source:
            parts.append("reads it from a source the rule forbids")
        if self.breaks_shape:
            parts.append("breaks it: " + "; ".join(self.breaks_shape))
        if self.does_forbidden:
            verdict = "breaks the rule" if self.violates else "adds what it forbids"
            parts.append(f"{verdict}: " + ", ".join(self.does_forbidden))
        elif self.violates:
            parts.append("breaks the rule")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "content_similarity": round(self.content_similarity, 4),
            "task_similarity": None if self.task_similarity is None else round(self.task_similarity, 4),
            "shared_terms": list(self.shared_terms),
            "test_similarity": None if self.test_similarity is None else round(self.test_similarity, 4),
            "signature": self.signature.to_dict() if self.signature is not None else None,
            "follows": list(self.follows),
            "does_forbidden": None if self.does_forbidden is None else list(self.does_forbidden),
            "violates": self.violates,
            "undoes": list(self.undoes),
            "forbidden_source": self.forbidden_source,
            "breaks_shape": list(self.breaks_shape),
            "document_followed": self.document_followed,
        }


_SYMBOLS = re.compile(r"[^\w\s.,:;!?'()-]+|_+")


def content_text(changed: ChangedFile, limit: int = CONTENT_LINES) -> str:
    """A changed file as the encoder should read it, without its path: what it adds first, then
    hunk headers, what it removes and the lines around."""
    headers = set(changed.headers)
    context = [line for line in changed.context if line.strip() not in headers]
    # What the added code does, in the lessons' words (`rules: - changes:` is a path filter), first:
    # the encoder reads a bounded number of tokens.
    parts: list[str] = code_forms.act_names(changed.added)
    for lines in (changed.added, changed.headers, changed.removed, context):
        parts.extend(line for line in lines[:limit] if line.strip())
    words = (" ".join(_SYMBOLS.sub(" ", line).split()) for line in parts)
    return "\n".join(w for w in words if w)


def _content_terms(changed: ChangedFile) -> tuple[frozenset[str], frozenset[str]]:
    """The words of a changed file's lines, with and without its comments and docstrings."""
    lines = [*changed.added, *changed.removed, *changed.headers]
    code = [*without_docstrings(changed.added), *changed.removed, *changed.headers]
    return (
        signatures.code_stems("\n".join(lines)),
        signatures.code_stems("\n".join(compliance.code_only(line) for line in code)),
    )


def touched_terms(files: Sequence[ChangedFile]) -> frozenset[str]:
    """The words a change touches: those its added lines bring in or its removed lines take out (a
    line rewritten with the same words touches none of them), the names of the settings whose value
    it changes (`max_batch: 500` to `250`), and the words of the scopes its hunks edit (the hunk
    headers: the function or block the lines belong to)."""
    added = [line for f in files for line in f.added]
    removed = [line for f in files for line in f.removed]
    brought, taken = signatures.code_stems("\n".join(added)), signatures.code_stems("\n".join(removed))
    settings = signatures.setting_words("\n".join(added)) ^ signatures.setting_words("\n".join(removed))
    names = " ".join(pair.split("=", 1)[0] for pair in settings)
    scopes = "\n".join(header for f in files for header in f.headers)
    return (brought ^ taken) | signatures.code_stems(names) | signatures.code_stems(scopes)


def gather(
    kb: KnowledgeBase, diff_text: str, diff: ParsedDiff, *, task: str | None, k: int
) -> tuple[list[Hit], dict[int, Evidence]]:
    """Hits of the whole diff (with the task), of each changed file alone and of the task alone,
    merged by lesson (the most confident hit kept); and each lesson's evidence from the content."""
    # The diff alone is always asked: a task only adds candidates, it never hides the ones the code
    # brings (a subject's words can push a document out of the whole diff's top k).
    queries: list[tuple[str | None, str | None]] = [(None, diff_text)]
    pieces = split_files(diff_text)
    if len(pieces) > 1:
        queries += [(None, piece) for piece in pieces[:MAX_FILES] if "\n+" in piece]
    if task:
        queries += [(task, diff_text), (task, None)]
    merged: dict[int, Hit] = {}
    for query_task, query_diff in queries:
        try:
            result = kb.query(task=query_task, diff=query_diff, k=k)
        except InputError:
            if query_diff is diff_text:
                raise
            continue  # a piece the parser cannot read alone; the whole diff covered it
        for hit in result.hits:
            known = merged.get(hit.id)
            if known is None or (CONFIDENCE_RANK[hit.confidence], hit.similarity) > (
                CONFIDENCE_RANK[known.confidence],
                known.similarity,
            ):
                merged[hit.id] = hit
    lines = change_lines(diff, diff_text)
    acts = rule_shapes.acts_in_lessons_words(lines.added, lines.around, lines.removed)
    # The overlays of two regions or more edited in one change reach them at once: the act is in
    # the paths, which read like no lesson's prose.
    regions = compliance.regions_changed(
        f.path for f in diff.files if f.added and not is_test_path(f.path) and not is_prose_path(f.path)
    )
    if compliance.reaches_every_region(regions):
        acts.append(rule_shapes.EVERY_REGION_AT_ONCE)
    for act in acts:
        # The act, in the lessons' words: code that reads "no items" as "every item", or takes the
        # tenant from the URL, reads like neither the rule nor its incident to the encoder.
        told = kb.query(task=act, diff=None, k=k).hits
        quoted = signature_matches(kb, told, lines)  # a document that quotes the act as its cause
        for hit in told:
            repeated = quoted.get(hit.document.id)
            statement = hit.constraint.statement
            quotes_act = repeated is not None and (
                repeated.names_risk(statement) or repeated.unguarded(statement)
            )
            spread = compliance.spreads_over_regions(statement, regions)
            followed = flag_forms.defaults_flag_off(statement, lines.added)  # a flag off: its rule's advice
            if breaks(statement, lines) or shape_breaks(statement, lines) or quotes_act or spread or followed:
                merged.setdefault(hit.id, hit)
    moved = rule_shapes.moved_settings(lines.added, lines.removed)
    for query in rule_shapes.move_queries(moved):
        # A setting moved as a document tells its incident's change moved it ("raised the flush
        # interval from 30 seconds to 10 minutes"): that document's lessons, whatever the ranking;
        told = kb.query(task=query, diff=None, k=k).hits
        repeating = rule_shapes.documents_repeating_moves(kb, [h.document.id for h in told], moved)
        for hit in told:  # or a rule against the move, whatever the document tells
            if hit.document.id in repeating or breaks(hit.constraint.statement, lines):
                merged.setdefault(hit.id, hit)
    hits = sorted(merged.values(), key=lambda h: (-h.score, h.id))
    matches = signature_matches(kb, hits, lines)
    hits += signature_candidates(kb, hits, matches)
    hits += violated_candidates(kb, hits, lines)
    evidence = content_evidence(kb, hits, diff, task=task, diff_text=diff_text, matches=matches, lines=lines)
    return hits, evidence


def signature_candidates(
    kb: KnowledgeBase, hits: Sequence[Hit], matches: dict[int, SignatureMatch]
) -> list[Hit]:
    """The rules of a document whose incident cause the change adds without its safeguard (or whose
    safeguard it takes away), that the retrieval did not bring: the code of a change reads little
    like the prose of a lesson, so the lesson about the missing timeout may rank below the change's
    other words."""
    repeated = [
        doc
        for doc, matched in matches.items()
        if (matched.risks and matched.missing_safeguards) or matched.removed_safeguards
    ]
    if not repeated:
        return []
    catalog = kb.catalog()
    present = {h.id for h in hits}
    wanted = [i for i in catalog.members_of(repeated) if i not in present]
    floor = min((h.score for h in hits), default=0.0)
    out = []
    for lesson_id, (constraint, document) in catalog.load(wanted).items():
        candidate = Hit(
            lesson_id,
            floor,
            "possible",
            ["its document's incident cause is in the change"],
            0.0,
            constraint,
            document,
        )
        matched = matches[document.id]
        if is_rule(candidate) and (
            matched.unguarded(constraint.statement) or matched.takes_away(constraint.statement)
        ):
            out.append(candidate)
    return out


def violated_candidates(kb: KnowledgeBase, hits: Sequence[Hit], lines: ChangeLines) -> list[Hit]:
    """The negative rules of the hits' documents that the change breaks (``compliance.violates``),
    that the retrieval did not bring: a document's ranking brings its closest lessons, and the rule
    the code breaks may read less like the change than its siblings do."""
    if not lines.added or not hits:
        return []
    catalog = kb.catalog()
    present = {h.id for h in hits}
    documents = sorted({h.document.id for h in hits})
    wanted = [i for i in catalog.members_of(documents) if i not in present]
    floor = min((h.score for h in hits), default=0.0)
    out = []
    for lesson_id, (constraint, document) in catalog.load(wanted).items():
        statement = constraint.statement
        if breaks(statement, lines) or shape_breaks(statement, lines):
            why = "the change does what it forbids"
        elif sibling := rule_shapes.asks_what_the_change_does(statement, lines.added, lines.removed):
            why = sibling
        else:
            continue
        candidate = Hit(lesson_id, floor, "possible", [why], 0.0, constraint, document)
        if is_rule(candidate):
            out.append(candidate)
    return out


def content_evidence(
    kb: KnowledgeBase,
    hits: Sequence[Hit],
    diff: ParsedDiff,
    *,
    task: str | None,
    diff_text: str = "",
    matches: dict[int, SignatureMatch] | None = None,
    lines: ChangeLines | None = None,
) -> dict[int, Evidence]:
    """Per lesson: its best cosine to the content of one changed file or one hunk, to the task, and
    the rare words it shares with the change's added or removed lines."""
    if not hits:
        return {}
    # Tests do not run in production: a lesson their code matches is being tested, not repeated.
    changed = [f for f in diff.files if f.added or f.removed]
    files = [f for f in changed if not is_test_path(f.path)]
    # Prose (a README, NOTES.txt, docs/) is read for closeness only when the change is prose alone,
    # and then its lines are none of the change's (``is_prose_path``): at most advice.
    # A version bumped or a descriptive label set (``says_nothing``) is read for nothing: a change of
    # only that (its subject saying so too) is closest to no lesson.
    said = [f for f in files if not says_nothing(f)]
    if files and not said:
        task = None
    files = ([f for f in said if not is_prose(f)] or said)[:MAX_FILES]
    tests = [t for t in (content_text(f) for f in changed if is_test_path(f.path)) if t][:MAX_FILES]
    units = [(f.path, content_text(f)) for f in files]
    # A risky hunk in a long file reads clearer alone than diluted by the file's other hunks.
    wanted = {f.path for f in files}
    units += [(path, text) for path, text in hunk_texts(diff_text) if path in wanted][:MAX_HUNKS]
    units = [(path, text) for path, text in units if text]
    queries = [text for _, text in units] + ([task] if task else []) + tests
    ids = [h.id for h in hits]
    lessons = kb.index().reconstruct_many(ids)
    vectors = (
        kb.embedder.embed_query(queries, max_tokens=kb.weights.query_tokens)
        if queries
        else np.zeros((0, lessons.shape[1]), np.float32)
    )
    similarity = lessons @ vectors.T if len(queries) else np.zeros((len(ids), 0))
    file_terms = [_content_terms(f) for f in files]
    touched = touched_terms(files)
    if lines is None:
        lines = change_lines(diff, diff_text)
    if matches is None:
        matches = signature_matches(kb, hits, lines)
    added, removed, around = lines.added, lines.removed, lines.around
    task_terms = word_stems(task) if task else set()
    catalog = kb.catalog()
    regions = compliance.regions_changed(f.path for f in files if not is_prose_path(f.path))
    # Alerting rules added (left out of what the change does) bring what a rule to alert asks for.
    watches = any(adds_alerting_rules(f) for f in files)
    waves = code_forms.rolls_out_in_waves(added)
    moved = rule_shapes.moved_settings(added, removed)
    repeating = rule_shapes.documents_repeating_moves(kb, [h.document.id for h in hits], moved)
    told_moves = {doc: [f"moves `{name}` as the incident's change did"] for doc, name in repeating.items()}
    out: dict[int, Evidence] = {}
    for row, hit in enumerate(hits):
        unit_sims = similarity[row, : len(units)]
        best = int(np.argmax(unit_sims)) if units else -1
        lesson = _lesson_terms(hit)
        in_content: set[str] = set()
        for terms, code_terms in file_terms:
            # A comment's words count beside code that names the lesson too: one that explains the
            # lesson over code that names none of it ("readiness sheds traffic" above a breaker's
            # state) is the author knowing it, not the code doing it.
            in_content |= lesson & terms if lesson & code_terms else set()
        shared = in_content | (lesson & task_terms)
        # The lessons' BM25 holds lexical terms (a stem less its final e).
        idf = {t: catalog.bm25.idf(lexical_term(t)) for t in shared}
        rare = sorted(shared, key=lambda t: (-idf[t], t))
        statement = hit.constraint.statement
        # Which regions a change reaches is in its paths, not its lines.
        spread = compliance.spreads_over_regions(statement, regions)
        does_forbidden = compliance.does_forbidden(statement, added, around)
        in_words = compliance.follows(statement, added, removed) or rule_shapes.follows_later_clause(
            statement, added, removed, around
        )
        if does_forbidden == []:
            does_forbidden = rule_shapes.done_by_shape(statement, added, removed, around)
        shaped = rule_shapes.follows_by_shape(statement, added, around, removed)
        out[hit.id] = Evidence(
            task_only_terms=sum(t not in in_content for t in rare if idf[t] > MIN_SHARED_IDF),
            path=units[best][0] if best >= 0 else None,
            content_similarity=float(unit_sims[best]) if best >= 0 else 0.0,
            task_similarity=float(similarity[row, len(units)]) if task else None,
            shared_terms=[t for t in rare if idf[t] > MIN_SHARED_IDF],
            test_similarity=float(similarity[row, len(units) + bool(task) :].max()) if tests else None,
            signature=matches.get(hit.document.id),
            follows=in_words
            or (["region"] if compliance.stays_in_one_region(statement, regions) else [])
            or (["wave"] if waves and compliance.asks_for_waves(statement) else [])
            or (["alert"] if watches and compliance.asks_to_alert(statement) else [])
            or shaped,
            follows_in_words=bool(in_words) and not shaped,
            does_forbidden=(does_forbidden or ["region"]) if spread else does_forbidden,
            violates=spread or breaks(statement, lines, acts_only=hit.document.kind == "runbook"),
            keeps=compliance.keeps(statement, added, around, removed),
            undoes=compliance.undoes(statement, added, removed),
            forbidden_source=compliance.takes_from_forbidden_source(statement, added),
            over_identity=owner_forms.reads_identity_owner([*added, *removed]),
            breaks_shape=shape_breaks(statement, lines) + told_moves.get(hit.document.id, []),
            adds_code=bool(added),
            touched_terms=sorted(
                t for t in lesson & touched if catalog.bm25.idf(lexical_term(t)) > MIN_SHARED_IDF
            ),
        )
    # A lesson is not followed by a change that adds its incident's cause without the safeguard the
    # lesson speaks of (`&http.Client{}` with no timeout does not follow "Provide a shared HTTP
    # client that requires explicit timeouts").
    followed = {
        hit.document.id
        for hit in hits
        if out[hit.id].follows
        and not ((found := out[hit.id].signature) and found.unguarded(hit.constraint.statement))
    }
    for hit in hits:
        out[hit.id].document_followed = hit.document.id in followed and not out[hit.id].follows
    explain_by_followed(hits, out, followed)
    return out


def explain_by_followed(hits: Sequence[Hit], out: dict[int, Evidence], followed: set[int]) -> None:
    """Count, for each lesson the change does not follow, its shared words that a followed lesson of
    another document asks for and the change brings (``Evidence.explained_terms``). Only a followed
    lesson the change is at least as close to explains closeness: a timeout set on a retry policy
    follows "set explicit timeouts" a little, which does not explain a closer "never retry a POST on
    timeout"."""
    brought: list[tuple[int, float, set[str]]] = []
    for hit in hits:
        found = out[hit.id]
        if hit.document.id in followed and found.follows:
            asked = set(found.shared_terms) & _lesson_terms(hit)
            brought.append((hit.document.id, found.content_similarity, asked))
    for hit in hits:
        found = out[hit.id]
        if found.follows:
            continue
        other = set().union(
            *(
                words
                for doc, closeness, words in brought
                if doc != hit.document.id and closeness >= found.content_similarity
            )
        )
        found.explained_terms = sum(term in other for term in found.shared_terms)


def signature_matches(
    kb: KnowledgeBase, hits: Sequence[Hit], lines: ChangeLines
) -> dict[int, SignatureMatch]:
    """What the change does with the code each hit's document quotes, for the documents where it
    does something (adds a risk or a safeguard, or removes a safeguard). Each document's text is read
    in one query and matched once; a document deleted since the query has no entry."""
    services = {h.document.id: tuple(h.document.services) for h in hits}
    out: dict[int, SignatureMatch] = {}
    for doc_id, body in kb.document_bodies(list(services)).items():
        found = signatures.extract(body, services[doc_id])
        if not found:
            continue
        matched = signatures.match(found, lines.quotable, lines.removed)
        matched = replace(matched, risks=quoted_causes.repeated(matched.risks, lines.added, lines.around))
        if matched.risks or matched.added_safeguards or matched.removed_safeguards:
            out[doc_id] = matched
    return out


MAX_HUNKS: Final = 40
_HUNK_HEADER = re.compile(r"^@@ [^@]* @@ ?(.*)$")


def hunk_texts(diff_text: str) -> list[tuple[str, str]]:
    """(path, content text) of every hunk of files with more than one hunk, read from the raw diff."""
    hunks: list[tuple[str, list[str], list[str], list[str]]] = []  # path, added, removed, context
    path = ""
    for line in diff_text.splitlines():
        if line.startswith("+++ "):
            raw = line[4:].split("\t")[0].strip()
            path = raw[2:] if raw.startswith(("a/", "b/")) else raw
            continue
        if line.startswith("--- ") or line.startswith("diff --git "):
            continue
        header = _HUNK_HEADER.match(line)
        if header:
            hunks.append((path, [], [], [header.group(1)] if header.group(1).strip() else []))
        elif hunks and line[:1] in ("+", "-", " "):
            _, added, removed, context = hunks[-1]
            {"+": added, "-": removed, " ": context}[line[0]].append(line[1:])
    counts: dict[str, int] = {}
    for hunk in hunks:
        counts[hunk[0]] = counts.get(hunk[0], 0) + 1
    out = []
    for hunk_path, added, removed, context in hunks:
        if counts[hunk_path] > 1 and (added or removed):
            lines = [ln for ln in (*added, *removed, *context) if ln.strip()]
            words = (" ".join(_SYMBOLS.sub(" ", ln).split()) for ln in lines[: 2 * CONTENT_LINES])
            out.append((hunk_path, "\n".join(w for w in words if w)))
    return out


# A shared word must be rarer than this among the lessons to count (idf of BM25).
MIN_SHARED_IDF: Final = 1.0


def _lesson_terms(hit: Hit) -> set[str]:
    c = hit.constraint
    return word_stems(c.statement) - _GENERIC


# Words of lessons that say how strongly, not what.
_GENERIC: Final = frozenset(
    stem(w) for w in ("must", "never", "always", "every", "all", "should", "use", "any")
)


def word_stems(text: str) -> set[str]:
    return {stem(w.lower()) for w in _WORD.findall(text) if len(w) >= 3 and w.lower() not in STOPWORDS}
