"""Keyword classification of extracted lessons: category, severity, status and scope."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Final

from ingest.vocabulary import (
    BARE_FILE_EXTENSIONS,
    CATEGORY_KEYWORDS,
    CRITICAL_IMPACT_WORDS,
    DECISIVE_IMPACT_WORDS,
    HIGH_IMPACT_WORDS,
    PATH_EXTENSIONS,
    PATH_FILENAMES,
    SEVERITY_LABELS,
)
from kb.technologies import technologies_in_text
from kb.vocab import CATEGORIES, SEVERITIES, STATUSES

_SEV_RE = re.compile(r"\b(sev(?:erity)?[ -]?[0-4]|p[0-4])\b", re.IGNORECASE)
_NEGATED_LOSS = re.compile(
    r"\bno (?:customer |user )?data (?:was|were|has been) (?:lost|leaked|compromised)\b|"
    r"\bwithout (?:any )?data loss\b|"
    r"\bno (?:evidence|indication|sign) (?:of|that) [^.]{0,60}\b(?:breach|compromised?|leak(?:ed)?)\b|"
    r"\bno (?:data )?(?:loss|breach)\b|\b(?:was|were) not (?:compromised|leaked|breached)\b",
    re.I,
)


def _keyword_regex(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _category_patterns() -> dict[str, tuple[re.Pattern[str], dict[str, float]]]:
    return {
        cat: (_keyword_regex(words), {k.lower(): v for k, v in words.items()})
        for cat, words in CATEGORY_KEYWORDS.items()
    }


_IMPACT_CRIT = _keyword_regex(CRITICAL_IMPACT_WORDS)
_IMPACT_HIGH = _keyword_regex(HIGH_IMPACT_WORDS)
_IMPACT_DECISIVE = _keyword_regex(DECISIVE_IMPACT_WORDS)


def categorize(statement: str, rationale: str = "", *, kind: str = "", role: str = "") -> str:
    """Pick the category with the highest keyword score; ``operational`` when nothing matches."""
    scores: dict[str, float] = dict.fromkeys(CATEGORIES, 0.0)
    for cat, (pattern, weights) in _category_patterns().items():
        for text, factor in ((statement, 1.0), (rationale, 0.35)):
            for m in pattern.finditer(text):
                scores[cat] += weights.get(m.group(1).lower(), 1.0) * factor
    if kind == "adr" and role in ("decision", "consequence", ""):
        scores["architecture"] += 2.5
    if kind == "runbook":
        scores["operational"] += 1.0
    best = max(CATEGORIES, key=lambda c: (scores[c], c == "operational"))
    if scores[best] <= 0.0:
        return "architecture" if kind == "adr" else "operational"
    return best


def severity_from_label(value: str | None) -> str | None:
    """Map a free-form severity label (SEV1, P2, major, warning...) to the vocabulary."""
    if not value:
        return None
    low = value.strip().lower()
    if low in SEVERITY_LABELS:
        return SEVERITY_LABELS[low]
    m = _SEV_RE.search(low)
    if m:
        key = re.sub(r"severity[ -]?", "sev", m.group(1).lower()).replace(" ", "").replace("-", "")
        return SEVERITY_LABELS.get(key)
    for word, sev in SEVERITY_LABELS.items():
        if len(word) > 3 and re.search(rf"\b{re.escape(word)}\b", low):
            return sev
    return None


def severity_from_impact(text: str) -> str | None:
    """Severity suggested by impact wording (outage, data loss, breach...)."""
    if not text:
        return None
    cleaned = _NEGATED_LOSS.sub(" ", text)
    if _IMPACT_DECISIVE.search(cleaned):
        return "critical"
    if _IMPACT_CRIT.search(cleaned):
        return "critical" if len(_IMPACT_CRIT.findall(cleaned)) >= 2 else "high"
    if _IMPACT_HIGH.search(cleaned):
        return "high"
    return None


def adr_constraint_status(doc_status: str | None) -> str:
    """Constraint status implied by an ADR's own status."""
    mapping = {
        "accepted": "active",
        "proposed": "proposed",
        "pending": "proposed",
        "superseded": "superseded",
        # A rejected decision is context ("we considered X and said no"), not a rule, and not gone.
        "rejected": "rejected",
        "deprecated": "retired",
    }
    status = mapping.get(doc_status or "accepted", "active")
    assert status in STATUSES
    return status


# What a rejection binds: a prohibition ("Do not store card numbers", "no service may accept a raw
# PAN") in a rejected ADR states the rejection itself, not the proposal that was turned down.
_PROHIBITION: Final = re.compile(
    r"^(?:never|do not|don't|avoid)\b|\b(?:must not|mustn't|may not|shall not|will not|won't|never)\b"
    r"|\bno (?:\w+ ){0,3}(?:may|must|shall|can|should)\b",
    re.IGNORECASE,
)


def rejected_adr_binds(statement: str) -> bool:
    """A record of a rejected ADR that forbids what was rejected: it stays an active rule."""
    return bool(_PROHIBITION.search(statement))


def adr_severity(doc_status: str | None) -> str:
    if doc_status in (None, "accepted"):
        return "high"
    if doc_status in ("proposed", "pending"):
        return "medium"
    return "low"


def clamp_severity(value: str | None, default: str = "medium") -> str:
    return value if value in SEVERITIES else default


def technologies(text: str) -> list[str]:
    """Canonical lowercase technology names mentioned in ``text`` (the query side reads the same)."""
    return technologies_in_text(text)


_PATH_CHARS = re.compile(r"^[\w.*?{}\[\]@+-]+(?:/[\w.*?{}\[\]@+-]*)*/?$")
_GLOB = re.compile(r"[*?]|\{[^}]*,[^}]*\}")
# "ssp.kubevirt.io/dict", "example.com/x": annotation keys and hosts, not files
_DOMAIN_PREFIX = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:io|com|org|net|dev|sh|cloud|gov|uk|k8s)(?:/|$)", re.I)


def paths_from_code(spans: Iterable[str]) -> list[str]:
    """Repository file names, paths and globs among inline code spans.

    Kept: a known file name (``Dockerfile``), a file name with a source/config extension
    (``main.tf``), or a relative path with a slash that ends in a known extension or holds a glob
    (``deploy/k8s/*.yaml``). Dropped: commands, URLs and URL paths (``/.well-known/x``, ``/v1/traces``),
    absolute or home paths on a machine (``/etc/hosts``, ``~/.kube/config``), rates such as ``r/s``,
    annotation keys (``app.kubernetes.io/name``) and dotted code names (``threading.Lock``).
    """
    out: list[str] = []
    for span in spans:
        s = span.strip().strip("'\"")
        odd = not s or " " in s or len(s) > 200 or "://" in s or s.startswith(("-", "$", "/", "~", "."))
        if odd and s not in PATH_FILENAMES:
            continue
        if not _PATH_CHARS.match(s) and s not in PATH_FILENAMES:
            continue
        if _DOMAIN_PREFIX.match(s):
            continue
        name = PurePosixPath(s.rstrip("/")).name
        low = name.lower()
        known_name = name in PATH_FILENAMES
        if "/" in s:
            keep = known_name or low.endswith(PATH_EXTENSIONS) or bool(_GLOB.search(s))
        else:
            keep = known_name or (name.endswith(BARE_FILE_EXTENSIONS) and "." in low.lstrip("*."))
            keep = keep or bool(_GLOB.search(s) and low.endswith(PATH_EXTENSIONS))
        if keep and s not in out:
            out.append(s)
    return out


def services_in_text(text: str, known: Iterable[str]) -> list[str]:
    out: list[str] = []
    low = text.lower()
    for svc in known:
        s = svc.strip()
        if s and re.search(rf"(?<![\w-]){re.escape(s.lower())}(?![\w-])", low) and s not in out:
            out.append(s)
    return out
