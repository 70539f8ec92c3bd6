"""The CI gate: which lessons a diff runs into, which of them block it, and acknowledgements.

A finding blocks when its constraint is active, critical or high, matched with strong
confidence, and not acknowledged. Acknowledgements name constraint ids, given directly or as
``Forewarn-Ack: 42, 43`` trailer lines in commit messages (``Hindsight-Ack:``, the product's first
name, is still read).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from kb.errors import InputError, KBError
from kb.outputs.context import CONFIDENCE_RANK, citation
from kb.retrieval.diffs import ChangedFile, ParsedDiff, parse_diff
from kb.retrieval.results import Hit
from kb.text import STOPWORDS, split_identifier, stem
from kb.vocab import RULE_TYPES, SEVERITY_RANK

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

EXIT_PASS: Final = 0
EXIT_BLOCKED: Final = 1
EXIT_ERROR: Final = 2

BLOCKING_SEVERITIES: Final = ("critical", "high")
TRAILER_KEY: Final = "Forewarn-Ack"
# The product's first name: commits already pushed with these trailers and rule ids still count.
LEGACY_TRAILER_KEY: Final = "Hindsight-Ack"
RULE_PREFIX: Final = "FW"
LEGACY_RULE_PREFIX: Final = "HS"
MARKER: Final = "<!-- forewarn-check -->"
LEGACY_MARKER: Final = "<!-- hindsight-check -->"

_TRAILER = re.compile(
    rf"^\s*(?:{TRAILER_KEY}|{LEGACY_TRAILER_KEY})\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE
)
_ACK_TOKEN = re.compile(rf"^(?:#|{RULE_PREFIX}|{LEGACY_RULE_PREFIX})?(\d+)$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def parse_ack_values(values: Iterable[str]) -> set[int]:
    """Constraint ids from ``--ack`` values: ``42``, ``#42``, ``FW42`` (or ``HS42``), comma or space
    separated."""
    ids: set[int] = set()
    for value in values:
        for token in re.split(r"[\s,]+", value.strip()):
            if not token:
                continue
            match = _ACK_TOKEN.match(token)
            if not match:
                raise InputError(f"cannot read {token!r} as a constraint id to acknowledge (use e.g. 42)")
            ids.add(int(match.group(1)))
    return ids


def parse_trailers(message: str) -> set[int]:
    """Ids from every ``Forewarn-Ack:`` (or ``Hindsight-Ack:``) line of a commit message (any case).

    Unreadable values are ignored rather than fatal: a commit message is prose, not a config file.
    """
    ids: set[int] = set()
    for match in _TRAILER.finditer(message):
        for token in re.split(r"[\s,]+", match.group(1).strip()):
            ack = _ACK_TOKEN.match(token)
            if ack:
                ids.add(int(ack.group(1)))
    return ids


def commit_subject(message: str) -> str:
    """The subject of a commit message: its first line that is neither blank nor a ``#`` comment."""
    for line in message.splitlines():
        if line.strip() and not line.startswith("#"):
            return line.strip()
    return ""


@dataclass(slots=True)
class Location:
    path: str
    line: int | None  # first added line of the chosen hunk; None for a file without added lines


@dataclass(slots=True)
class Finding:
    hit: Hit
    blocking: bool
    acknowledged: bool
    location: Location | None
    # What the change's own content matched (None for findings built from a plain query).
    evidence: Evidence | None = None

    @property
    def id(self) -> int:
        return self.hit.id

    @property
    def rule_id(self) -> str:
        return f"{RULE_PREFIX}{self.hit.id}"

    @property
    def would_block(self) -> bool:
        """Blocks unless acknowledged."""
        return self.blocking or self.acknowledged

    @property
    def citation(self) -> str:
        c, d = self.hit.constraint, self.hit.document
        return citation(d.path, c.section, c.line_start, c.line_end)

    def fingerprint(self) -> str:
        """Stable across line shifts and reruns: the rule and the file, not the line."""
        path = self.location.path if self.location else ""
        return hashlib.sha256(f"{self.rule_id}:{path}".encode()).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        record = self.hit.to_dict()
        record["rule_id"] = self.rule_id
        record["blocking"] = self.blocking
        record["acknowledged"] = self.acknowledged
        record["location"] = (
            {"path": self.location.path, "line": self.location.line} if self.location else None
        )
        record["evidence"] = self.evidence.to_dict() if self.evidence else None
        return record

    def why(self) -> str:
        """The retrieval's reasons, then what the change's content matched."""
        parts = list(self.hit.why)
        if self.evidence is not None:
            parts.append(self.evidence.describe())
        return "; ".join(parts)


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    acks: set[int] = field(default_factory=set)
    diff_files: list[str] = field(default_factory=list)
    # True once lessons were searched (a non-empty diff against a knowledge base with lessons).
    searched: bool = False
    # Matches left out for being below the confidence floor (said, so "no match" is never a lie).
    below_floor: int = 0

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def acknowledged(self) -> list[Finding]:
        return [f for f in self.findings if f.acknowledged]

    @property
    def unused_acks(self) -> list[int]:
        """Acknowledged ids that no blocking finding needed (stale or mistyped acks)."""
        return sorted(self.acks - {f.id for f in self.findings if f.acknowledged})

    @property
    def exit_code(self) -> int:
        return EXIT_BLOCKED if self.blocking else EXIT_PASS

    def to_dict(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "blocking": [f.id for f in self.blocking],
            "acknowledged": [f.id for f in self.acknowledged],
            "unused_acks": self.unused_acks,
            "diff_files": list(self.diff_files),
            "searched": self.searched,
            "below_floor": self.below_floor,
            "findings": [f.to_dict() for f in self.findings],
        }


def record_type(hit: Hit) -> str:
    """What the lesson is; records stored before record types existed count as constraints."""
    return getattr(hit.constraint, "record_type", None) or "constraint"


def is_rule(hit: Hit) -> bool:
    """An active constraint or decision: the only records that may block."""
    return hit.constraint.status == "active" and record_type(hit) in RULE_TYPES


def is_blocking_candidate(
    hit: Hit, evidence: Evidence | None = None, thresholds: GateThresholds | None = None
) -> bool:
    """An active, serious rule that the change's content (or its task) matches.

    Without ``evidence`` (hits from a plain query) the retrieval confidence decides, as before.
    """
    t = thresholds or DEFAULT_THRESHOLDS
    floor = t.postmortem_min_severity if hit.document.kind == "postmortem" else t.min_severity
    if not is_rule(hit) or SEVERITY_RANK.get(hit.constraint.severity, -1) < SEVERITY_RANK[floor]:
        return False
    if evidence is None:
        return hit.confidence == "strong"
    return evidence.blocks(t)


def evaluate(
    hits: Sequence[Hit],
    diff: ParsedDiff,
    *,
    acks: Iterable[int] = (),
    min_confidence: str = "possible",
    evidence: dict[int, Evidence] | None = None,
    thresholds: GateThresholds | None = None,
) -> CheckResult:
    """Turn retrieval hits for a diff into findings; only live, serious rules the change's content
    matches block (see ``Evidence.blocks``)."""
    ack_set = set(acks)
    floor = CONFIDENCE_RANK[min_confidence]
    result = CheckResult(acks=ack_set, diff_files=diff.paths, searched=True)
    for hit in hits:
        if hit.constraint.status not in ("active", "proposed"):
            continue
        found = evidence.get(hit.id) if evidence is not None else None
        candidate = is_blocking_candidate(hit, found, thresholds)
        if not candidate and (
            CONFIDENCE_RANK.get(hit.confidence, 0) < floor
            or (found is not None and not found.advises(thresholds or DEFAULT_THRESHOLDS))
        ):
            result.below_floor += 1
            continue
        acknowledged = candidate and hit.id in ack_set
        result.findings.append(
            Finding(
                hit=hit,
                blocking=candidate and not acknowledged,
                acknowledged=acknowledged,
                location=locate(hit, diff, prefer=found.path if found else None),
                evidence=found,
            )
        )
    result.findings.sort(
        key=lambda f: (
            not f.would_block,
            -CONFIDENCE_RANK.get(f.hit.confidence, 0),
            -SEVERITY_RANK.get(f.hit.constraint.severity, -1),
            -f.hit.score,
            f.id,
        )
    )
    return result


def check_diff(
    kb: KnowledgeBase,
    diff_text: str,
    *,
    acks: Iterable[int] = (),
    task: str | None = None,
    k: int = 10,
    min_confidence: str = "possible",
    allow_empty: bool = False,
    thresholds: GateThresholds | None = None,
) -> CheckResult:
    """Query the knowledge base with a diff, file by file and as a whole, and decide.

    An empty diff passes with no findings. A knowledge base without lessons is an error
    (:class:`EmptyKnowledgeBaseError`) unless ``allow_empty``: a gate with nothing to match must not
    read as a pass.
    """
    if min_confidence not in CONFIDENCE_RANK:
        raise InputError(f"unknown confidence {min_confidence!r}: choose strong, possible or weak")
    if not diff_text.strip():
        return CheckResult(acks=set(acks))
    diff = parse_diff(diff_text)
    if lesson_count(kb) == 0:
        if allow_empty:
            return CheckResult(acks=set(acks), diff_files=diff.paths)
        raise EmptyKnowledgeBaseError(_empty_message(kb))
    task = (task or "").strip() or None
    hits, evidence = gather(kb, diff_text, diff, task=task, k=k)
    return evaluate(
        hits, diff, acks=acks, min_confidence=min_confidence, evidence=evidence, thresholds=thresholds
    )


# --- the knowledge base must have lessons -------------------------------------------------------------


class EmptyKnowledgeBaseError(KBError):
    """The gate has no lessons to match: missing, empty or unreadable knowledge base."""

    code = "empty_knowledge_base"


def lesson_count(kb: KnowledgeBase) -> int:
    """Lessons in the knowledge base; raises EmptyKnowledgeBaseError when it is missing or unreadable.

    A missing SQLite file is reported without creating it (opening the store would).
    """
    from kb.storage.sqlite_reads import sqlite_file

    url = kb.settings.resolved_database_url
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise EmptyKnowledgeBaseError(
            f"no knowledge base at {path}: set KB_HOME (or KB_DATABASE_URL) to the knowledge base the "
            "gate should use, or build one with `kb ingest DIR`; --allow-empty passes without one"
        )
    try:
        return kb.index().count
    except KBError as exc:
        raise EmptyKnowledgeBaseError(
            f"cannot read the knowledge base ({exc.message}); check KB_HOME"
        ) from exc
    except Exception as exc:  # sqlite3/SQLAlchemy errors on a file that is not a knowledge base
        raise EmptyKnowledgeBaseError(
            f"cannot read the knowledge base at {path or url} ({exc.__class__.__name__}: {exc}); "
            "check KB_HOME or KB_DATABASE_URL"
        ) from exc


def _empty_message(kb: KnowledgeBase) -> str:
    return (
        f"the knowledge base at {kb.settings.home} has no lessons, so nothing can be checked: ingest "
        "postmortems, runbooks or ADRs with `kb ingest DIR`, point KB_HOME at the right one, or pass "
        "--allow-empty to let changes pass"
    )


# --- evidence from the change itself ---------------------------------------------------------------


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
    # Rare lesson words the change's content must share (identifiers split into words).
    shared_terms: int = 1
    # A lesson the change's own tests are this close to counts as handled (advice, not a block).
    tested_similarity: float = 0.4
    # Advice needs the change's content or task this close to the lesson too: the retrieval's
    # confidence alone also counts path and document evidence.
    advice_similarity: float = 0.4
    # The least severe lesson that may block.
    min_severity: str = "high"
    # A postmortem's lessons were paid for by an incident; one that states no severity gets "medium"
    # at extraction, and its lessons still name the failure a change can repeat.
    postmortem_min_severity: str = "medium"


DEFAULT_THRESHOLDS: Final = GateThresholds()
# Changed files queried on their own (beyond that, the whole diff's query still covers them).
MAX_FILES: Final = 20
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

    def blocks(self, t: GateThresholds) -> bool:
        if len(self.shared_terms) < t.shared_terms:
            return False
        if self.test_similarity is not None and self.test_similarity >= t.tested_similarity:
            return False  # the change's own tests exercise the lesson: it was seen and handled
        if self.content_similarity >= t.content_similarity:
            return True
        return (
            self.task_similarity is not None
            and self.task_similarity >= t.task_similarity
            and self.content_similarity >= t.task_content_floor
        )

    def advises(self, t: GateThresholds) -> bool:
        """Close enough to the change's content or task to be worth a look."""
        return max(self.content_similarity, self.task_similarity or 0.0) >= t.advice_similarity

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
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "content_similarity": round(self.content_similarity, 4),
            "task_similarity": None if self.task_similarity is None else round(self.task_similarity, 4),
            "shared_terms": list(self.shared_terms),
            "test_similarity": None if self.test_similarity is None else round(self.test_similarity, 4),
        }


def split_files(diff_text: str) -> list[str]:
    """The diff cut into one diff per changed file (``diff --git`` sections, else ``---``/``+++`` pairs)."""
    lines = diff_text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("diff --git ")]
    if not starts:
        starts = [
            i
            for i, line in enumerate(lines)
            if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ ")
        ]
    if len(starts) <= 1:
        return [diff_text]
    bounds = [*starts, len(lines)]
    return ["".join(lines[a:b]) for a, b in itertools.pairwise(bounds)]


_SYMBOLS = re.compile(r"[^\w\s.,:;!?'()-]+|_+")


def content_text(changed: ChangedFile, limit: int = CONTENT_LINES) -> str:
    """A changed file as the encoder should read it, without its path: what it adds first, then
    hunk headers, what it removes and the lines around."""
    headers = set(changed.headers)
    context = [line for line in changed.context if line.strip() not in headers]
    parts: list[str] = []
    for lines in (changed.added, changed.headers, changed.removed, context):
        parts.extend(line for line in lines[:limit] if line.strip())
    words = (" ".join(_SYMBOLS.sub(" ", line).split()) for line in parts)
    return "\n".join(w for w in words if w)


def _content_terms(changed: ChangedFile) -> set[str]:
    text = "\n".join([*changed.added, *changed.removed, *changed.headers])
    found: set[str] = set()
    for raw in _WORD.findall(text):
        for part in {raw, *split_identifier(raw), *raw.split("_")}:
            word = part.lower()
            if len(word) >= 3 and word not in STOPWORDS:
                found.add(stem(word))
    return found


def gather(
    kb: KnowledgeBase, diff_text: str, diff: ParsedDiff, *, task: str | None, k: int
) -> tuple[list[Hit], dict[int, Evidence]]:
    """Hits of the whole diff (with the task), of each changed file alone and of the task alone,
    merged by lesson (the most confident hit kept); and each lesson's evidence from the content."""
    queries: list[tuple[str | None, str | None]] = [(task, diff_text)]
    pieces = split_files(diff_text)
    if len(pieces) > 1:
        queries += [(None, piece) for piece in pieces[:MAX_FILES] if "\n+" in piece]
    if task:
        queries.append((task, None))
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
    hits = sorted(merged.values(), key=lambda h: (-h.score, h.id))
    return hits, content_evidence(kb, hits, diff, task=task, diff_text=diff_text)


def content_evidence(
    kb: KnowledgeBase,
    hits: Sequence[Hit],
    diff: ParsedDiff,
    *,
    task: str | None,
    diff_text: str = "",
) -> dict[int, Evidence]:
    """Per lesson: its best cosine to the content of one changed file or one hunk, to the task, and
    the rare words it shares with the change's added or removed lines."""
    if not hits:
        return {}
    # Tests do not run in production: a lesson their code matches is being tested, not repeated.
    changed = [f for f in diff.files if f.added or f.removed]
    files = [f for f in changed if not is_test_path(f.path)][:MAX_FILES]
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
    task_terms = _terms(task) if task else set()
    catalog = kb.catalog()
    out: dict[int, Evidence] = {}
    for row, hit in enumerate(hits):
        unit_sims = similarity[row, : len(units)]
        best = int(np.argmax(unit_sims)) if units else -1
        lesson = _lesson_terms(hit)
        shared = lesson & task_terms
        for terms in file_terms:
            shared |= lesson & terms
        rare = sorted(shared, key=lambda t: (-catalog.bm25.idf(t), t))
        out[hit.id] = Evidence(
            path=units[best][0] if best >= 0 else None,
            content_similarity=float(unit_sims[best]) if best >= 0 else 0.0,
            task_similarity=float(similarity[row, len(units)]) if task else None,
            shared_terms=[t for t in rare if catalog.bm25.idf(t) > MIN_SHARED_IDF],
            test_similarity=float(similarity[row, len(units) + bool(task) :].max()) if tests else None,
        )
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


_TEST_PATH = re.compile(
    r"(^|/)(tests?|__tests__|spec)/|(^|/)test_[^/]*$|_test\.[a-z]+$|\.(test|spec)\.[a-z]+$|(^|/)conftest\.py$"
)


def is_test_path(path: str) -> bool:
    """Whether a changed file is a test (by the usual layouts of Python, Go and JavaScript)."""
    return bool(_TEST_PATH.search(path))


# A shared word must be rarer than this among the lessons to count (idf of BM25).
MIN_SHARED_IDF: Final = 1.0


def _lesson_terms(hit: Hit) -> set[str]:
    c = hit.constraint
    return _terms(c.statement) - _GENERIC


# Words of lessons that say how strongly, not what.
_GENERIC: Final = frozenset(
    stem(w) for w in ("must", "never", "always", "every", "all", "should", "use", "any")
)


# --- where in the diff a lesson applies -------------------------------------------------------------


def _terms(text: str) -> set[str]:
    return {stem(w.lower()) for w in _WORD.findall(text) if len(w) >= 3 and w.lower() not in STOPWORDS}


def _hunks(changed: ChangedFile) -> list[list[tuple[int, str]]]:
    """Added lines grouped into runs of consecutive line numbers (one run per hunk, roughly)."""
    runs: list[list[tuple[int, str]]] = []
    for line_no, text in changed.added_at:
        if runs and line_no == runs[-1][-1][0] + 1:
            runs[-1].append((line_no, text))
        else:
            runs.append([(line_no, text)])
    return runs


def locate(hit: Hit, diff: ParsedDiff, *, prefer: str | None = None) -> Location | None:
    """The changed file and first added line a lesson most plausibly concerns.

    ``prefer`` (the file whose content matched the lesson best) decides the file, else a matching
    path glob, else the file (and hunk) sharing the most words with the lesson; ties go to the first
    file with added lines.
    """
    from kb.retrieval.scope import glob_matches

    files = [f for f in diff.files if f.added_at] or list(diff.files)
    if not files:
        return None
    constraint = hit.constraint
    chosen: ChangedFile | None = next((f for f in files if f.path == prefer), None) if prefer else None
    for pattern in constraint.paths:
        if chosen:
            break
        chosen = next((f for f in files if glob_matches(pattern, f.path)), None)
    terms = _terms(f"{constraint.statement} {' '.join(constraint.technologies)}")
    if chosen is None:
        best = -1
        for changed in files:
            overlap = len(terms & _terms(changed.path.replace("/", " ") + " " + "\n".join(changed.added)))
            if overlap > best:
                best, chosen = overlap, changed
    assert chosen is not None
    runs = _hunks(chosen)
    if not runs:
        return Location(path=chosen.path, line=None)
    best_run = max(runs, key=lambda run: len(terms & _terms(" ".join(t for _, t in run))))
    return Location(path=chosen.path, line=best_run[0][0] or 1)


# --- human-readable reports ---------------------------------------------------------------------------


def _where(finding: Finding) -> str:
    if finding.location is None:
        return "the diff"
    if finding.location.line:
        return f"{finding.location.path}:{finding.location.line}"
    return finding.location.path


def render_text(result: CheckResult) -> str:
    """Plain text for a terminal or a CI log."""
    if not result.findings:
        return f"Hindsight: {_nothing(result)}\n"
    lines: list[str] = []
    for finding in result.findings:
        c = finding.hit.constraint
        state = "BLOCKING" if finding.blocking else "acknowledged" if finding.acknowledged else "advice"
        lines.append(f"{state:<12} {finding.rule_id} [{c.severity}, {finding.hit.confidence}] {c.statement}")
        lines.append(f"{'':<12} at {_where(finding)}; source {finding.citation}")
        lines.append(f"{'':<12} why: {finding.why()}")
    lines.append("")
    lines.append(_summary(result))
    if result.blocking:
        ids = ", ".join(str(f.id) for f in result.blocking)
        lines.append(
            f"Once handled, acknowledge with --ack {ids.replace(', ', ' --ack ')} "
            f"or a '{TRAILER_KEY}: {ids}' commit-message trailer."
        )
    return "\n".join(lines) + "\n"


def _nothing(result: CheckResult) -> str:
    """Why there is no finding, without claiming more than was checked."""
    if not result.searched:
        return "nothing was checked (empty diff or no lessons)."
    text = "no lesson from past incidents matches this change"
    if result.below_floor:
        n = result.below_floor
        text += f" above the confidence floor ({n} weaker {'match' if n == 1 else 'matches'} not shown)"
    return text + "."


def _summary(result: CheckResult) -> str:
    blocking, acked = len(result.blocking), len(result.acknowledged)
    advice = len(result.findings) - blocking - acked
    verdict = "blocked" if blocking else "passed"
    text = f"Hindsight check {verdict}: {blocking} blocking, {acked} acknowledged, {advice} advisory"
    if result.unused_acks:
        text += f"; acks not needed: {', '.join(str(i) for i in result.unused_acks)}"
    return text + "."


def render_markdown(result: CheckResult) -> str:
    """A pull-request comment; the first line is a hidden marker a bot finds to update it in place."""
    lines = [MARKER]
    if result.blocking:
        n = len(result.blocking)
        noun = "lesson" if n == 1 else "lessons"
        lines.append(f"### Hindsight: {n} {noun} from past incidents block this change")
    elif result.findings:
        lines.append("### Hindsight: no blocking lesson, some worth a look")
    else:
        lines.append(f"### Hindsight: {_nothing(result)}")
    groups = (
        ("Blocking", result.blocking),
        ("Acknowledged", result.acknowledged),
        ("Worth a look (does not block)", [f for f in result.findings if not f.would_block]),
    )
    for title, findings in groups:
        if not findings:
            continue
        lines += ["", f"**{title}**", ""]
        for finding in findings:
            c = finding.hit.constraint
            lines.append(
                f"- **{finding.rule_id}** · {c.severity} · {finding.hit.confidence} match: {_md(c.statement)}"
            )
            lines.append(f"  - Where: `{_where(finding)}`; why: {_md(finding.why())}")
            lines.append(f"  - Source: `{finding.citation}` ({_md(finding.hit.document.title)})")
    if result.blocking:
        ids = ", ".join(str(f.id) for f in result.blocking)
        lines += [
            "",
            "If the change already handles these lessons, acknowledge them with a commit-message "
            f"trailer `{TRAILER_KEY}: {ids}` (or `kb check --ack ID`).",
        ]
    lines += ["", f"<sub>{_summary(result)}</sub>"]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Keep a lesson's text from opening tags, tables or links in a comment."""
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "|"):
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())
