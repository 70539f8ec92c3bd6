"""The CI gate: which lessons a diff runs into, which of them block it, and acknowledgements.

A finding blocks when its constraint is active, critical or high, matched with strong
confidence, and not acknowledged. Acknowledgements name constraint ids, given directly or as
``Hindsight-Ack: 42, 43`` trailer lines in commit messages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from kb.errors import InputError
from kb.outputs.context import CONFIDENCE_RANK, citation
from kb.retrieval.diffs import ChangedFile, ParsedDiff, parse_diff
from kb.retrieval.results import Hit
from kb.text import STOPWORDS, stem
from kb.vocab import SEVERITY_RANK

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

EXIT_PASS: Final = 0
EXIT_BLOCKED: Final = 1
EXIT_ERROR: Final = 2

BLOCKING_SEVERITIES: Final = ("critical", "high")
TRAILER_KEY: Final = "Hindsight-Ack"
MARKER: Final = "<!-- hindsight-check -->"

_TRAILER = re.compile(rf"^\s*{TRAILER_KEY}\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)
_ACK_TOKEN = re.compile(r"^(?:#|HS)?(\d+)$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def parse_ack_values(values: Iterable[str]) -> set[int]:
    """Constraint ids from ``--ack`` values: ``42``, ``#42``, ``HS42``, comma or space separated."""
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
    """Ids from every ``Hindsight-Ack:`` line of a commit message (case-insensitive key).

    Unreadable values are ignored rather than fatal: a commit message is prose, not a config file.
    """
    ids: set[int] = set()
    for match in _TRAILER.finditer(message):
        for token in re.split(r"[\s,]+", match.group(1).strip()):
            ack = _ACK_TOKEN.match(token)
            if ack:
                ids.add(int(ack.group(1)))
    return ids


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

    @property
    def id(self) -> int:
        return self.hit.id

    @property
    def rule_id(self) -> str:
        return f"HS{self.hit.id}"

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
        return record


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    acks: set[int] = field(default_factory=set)
    diff_files: list[str] = field(default_factory=list)

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
            "findings": [f.to_dict() for f in self.findings],
        }


def is_blocking_candidate(hit: Hit) -> bool:
    c = hit.constraint
    return c.status == "active" and c.severity in BLOCKING_SEVERITIES and hit.confidence == "strong"


def evaluate(
    hits: Sequence[Hit],
    diff: ParsedDiff,
    *,
    acks: Iterable[int] = (),
    min_confidence: str = "possible",
) -> CheckResult:
    """Turn retrieval hits for a diff into findings; only live, serious, strong matches block."""
    ack_set = set(acks)
    floor = CONFIDENCE_RANK[min_confidence]
    result = CheckResult(acks=ack_set, diff_files=diff.paths)
    for hit in hits:
        if hit.constraint.status not in ("active", "proposed"):
            continue
        if CONFIDENCE_RANK.get(hit.confidence, 0) < floor:
            continue
        candidate = is_blocking_candidate(hit)
        acknowledged = candidate and hit.id in ack_set
        result.findings.append(
            Finding(
                hit=hit,
                blocking=candidate and not acknowledged,
                acknowledged=acknowledged,
                location=locate(hit, diff),
            )
        )
    result.findings.sort(
        key=lambda f: (
            not f.would_block,
            -SEVERITY_RANK.get(f.hit.constraint.severity, -1),
            -CONFIDENCE_RANK.get(f.hit.confidence, 0),
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
) -> CheckResult:
    """Query the knowledge base with a diff and decide. An empty diff passes with no findings."""
    if min_confidence not in CONFIDENCE_RANK:
        raise InputError(f"unknown confidence {min_confidence!r}: choose strong, possible or weak")
    if not diff_text.strip():
        return CheckResult(acks=set(acks))
    diff = parse_diff(diff_text)
    result = kb.query(task=task, diff=diff_text, k=k)
    return evaluate(result.hits, diff, acks=acks, min_confidence=min_confidence)


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


def locate(hit: Hit, diff: ParsedDiff) -> Location | None:
    """The changed file and first added line a lesson most plausibly concerns.

    A matching path glob decides the file; otherwise the file (and hunk) sharing the most
    words with the lesson; ties go to the first file with added lines.
    """
    from kb.retrieval.scope import glob_matches

    files = [f for f in diff.files if f.added_at] or list(diff.files)
    if not files:
        return None
    constraint = hit.constraint
    chosen: ChangedFile | None = None
    for pattern in constraint.paths:
        chosen = next((f for f in files if glob_matches(pattern, f.path)), None)
        if chosen:
            break
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
        return "Hindsight: no lesson matches this change.\n"
    lines: list[str] = []
    for finding in result.findings:
        c = finding.hit.constraint
        state = "BLOCKING" if finding.blocking else "acknowledged" if finding.acknowledged else "advice"
        lines.append(f"{state:<12} {finding.rule_id} [{c.severity}, {finding.hit.confidence}] {c.statement}")
        lines.append(f"{'':<12} at {_where(finding)}; source {finding.citation}")
        lines.append(f"{'':<12} why: {'; '.join(finding.hit.why)}")
    lines.append("")
    lines.append(_summary(result))
    if result.blocking:
        ids = ", ".join(str(f.id) for f in result.blocking)
        lines.append(
            f"Once handled, acknowledge with --ack {ids.replace(', ', ' --ack ')} "
            f"or a '{TRAILER_KEY}: {ids}' commit-message trailer."
        )
    return "\n".join(lines) + "\n"


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
        lines.append("### Hindsight: no lesson from past incidents matches this change")
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
            lines.append(f"  - Where: `{_where(finding)}`; why: {_md('; '.join(finding.hit.why))}")
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
