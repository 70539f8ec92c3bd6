"""The CI gate: which lessons a diff runs into, which of them block it, and acknowledgements.

A finding blocks when its constraint is active, critical or high, matched with strong
confidence, and not acknowledged. Acknowledgements name constraint ids, given directly or as
``Forewarn-Ack: 42, 43`` trailer lines in commit messages (``Hindsight-Ack:``, the product's first
name, is still read).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from kb import product
from kb.errors import InputError, KBError
from kb.outputs.context import CONFIDENCE_RANK, citation, dedupe_why
from kb.outputs.evidence import (
    DEFAULT_THRESHOLDS,
    Evidence,
    GateThresholds,
    gather,
    is_rule,
    word_stems,
)
from kb.retrieval.diffs import ChangedFile, ParsedDiff, parse_diff
from kb.retrieval.results import Hit
from kb.vocab import SEVERITY_RANK

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
        """The retrieval's reasons, each word once and without its ranking figures (the change's own
        similarity follows), then what the change's content matched."""
        parts = dedupe_why(self.hit.why) if self.evidence is not None else list(self.hit.why)
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


def is_blocking_candidate(
    hit: Hit, evidence: Evidence | None = None, thresholds: GateThresholds | None = None
) -> bool:
    """An active, serious rule that the change's content (or its task) matches.

    Without ``evidence`` (hits from a plain query) the retrieval confidence decides, as before. A
    runbook's lesson blocks only on what the change does, never on similarity alone
    (``Evidence.blocks``): its steps are written for the incident, and any change to the code they
    name reads close to them.
    """
    t = thresholds or DEFAULT_THRESHOLDS
    floor = t.postmortem_min_severity if hit.document.kind == "postmortem" else t.min_severity
    if not is_rule(hit) or SEVERITY_RANK.get(hit.constraint.severity, -1) < SEVERITY_RANK[floor]:
        return False
    if evidence is None:
        return hit.confidence == "strong"
    return evidence.blocks(t, hit.constraint.statement, on_similarity=hit.document.kind != "runbook")


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
    possible = CONFIDENCE_RANK["possible"]
    t = thresholds or DEFAULT_THRESHOLDS
    result = CheckResult(acks=ack_set, diff_files=diff.paths, searched=True)
    for hit in hits:
        if hit.constraint.status not in ("active", "proposed"):
            continue
        found = evidence.get(hit.id) if evidence is not None else None
        candidate = is_blocking_candidate(hit, found, thresholds)
        retrieved = CONFIDENCE_RANK.get(hit.confidence, 0)
        # A change that acts on the lesson (follows it, adds its safeguard, tests it) counts as a
        # possible match however weakly the retrieval ranked its prose against the code.
        acted_on = found is not None and found.acts_on(t, hit.constraint.statement)
        rank = max(retrieved, possible) if acted_on else retrieved
        if not candidate and (rank < floor or (found is not None and not acted_on and not found.advises(t))):
            result.below_floor += 1
            continue
        acknowledged = candidate and hit.id in ack_set
        if acted_on and not candidate and retrieved < possible:
            hit = replace(hit, confidence="possible", why=[*hit.why, "the change acts on it"])
        if candidate and hit.confidence != "strong":
            # The change's own content confirms what the retrieval found only possible: a finding that
            # blocks is a strong match, and says why.
            hit = replace(hit, confidence="strong", why=[*hit.why, "confirmed by the change's content"])
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
            "gate should use, or build one with `forewarn ingest DIR`; --allow-empty passes without one"
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
        "postmortems, runbooks or ADRs with `forewarn ingest DIR`, point KB_HOME at the right one, or pass "
        "--allow-empty to let changes pass"
    )


# --- where in the diff a lesson applies -------------------------------------------------------------


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
    terms = word_stems(f"{constraint.statement} {' '.join(constraint.technologies)}")
    if chosen is None:
        best = -1
        for changed in files:
            overlap = len(terms & word_stems(changed.path.replace("/", " ") + " " + "\n".join(changed.added)))
            if overlap > best:
                best, chosen = overlap, changed
    assert chosen is not None
    runs = _hunks(chosen)
    if not runs:
        return Location(path=chosen.path, line=None)
    best_run = max(runs, key=lambda run: len(terms & word_stems(" ".join(t for _, t in run))))
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
        return f"{product.NAME}: {_nothing(result)}\n"
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
    text = f"{product.NAME} check {verdict}: {blocking} blocking, {acked} acknowledged, {advice} advisory"
    if result.unused_acks:
        text += f"; acks not needed: {', '.join(str(i) for i in result.unused_acks)}"
    return text + "."


def render_markdown(result: CheckResult) -> str:
    """A pull-request comment; the first line is a hidden marker a bot finds to update it in place."""
    lines = [MARKER]
    if result.blocking:
        n = len(result.blocking)
        noun = "lesson" if n == 1 else "lessons"
        lines.append(f"### {product.NAME}: {n} {noun} from past incidents block this change")
    elif result.findings:
        lines.append(f"### {product.NAME}: no blocking lesson, some worth a look")
    else:
        lines.append(f"### {product.NAME}: {_nothing(result)}")
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
            f"trailer `{TRAILER_KEY}: {ids}` (or `forewarn check --ack ID`).",
        ]
    lines += ["", f"<sub>{_summary(result)}</sub>"]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Keep a lesson's text from opening tags, tables or links in a comment."""
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "|"):
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())
