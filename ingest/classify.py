"""Keyword classification of extracted lessons: category, severity, status and scope."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import PurePosixPath

from ingest.vocabulary import (
    CASE_SENSITIVE_ALIASES,
    CASE_SENSITIVE_FORMS,
    CATEGORY_KEYWORDS,
    CRITICAL_IMPACT_WORDS,
    HIGH_IMPACT_WORDS,
    PATH_EXTENSIONS,
    PATH_FILENAMES,
    SEVERITY_LABELS,
    TECHNOLOGIES,
)
from kb.vocab import CATEGORIES, SEVERITIES, STATUSES

_SEV_RE = re.compile(r"\b(sev(?:erity)?[ -]?[0-4]|p[0-4])\b", re.IGNORECASE)
_NEGATED_LOSS = re.compile(r"\bno (?:customer )?data (?:was|were) lost\b|\bwithout data loss\b", re.I)


def _keyword_regex(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _category_patterns() -> dict[str, tuple[re.Pattern[str], dict[str, float]]]:
    return {
        cat: (_keyword_regex(words), {k.lower(): v for k, v in words.items()})
        for cat, words in CATEGORY_KEYWORDS.items()
    }


@lru_cache(maxsize=1)
def _tech_patterns() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], dict[str, str]]:
    insensitive: dict[str, str] = {}
    sensitive: dict[str, str] = {}
    for canon, aliases in TECHNOLOGIES.items():
        for alias in aliases:
            if alias in CASE_SENSITIVE_ALIASES:
                sensitive[CASE_SENSITIVE_FORMS.get(alias, alias)] = canon
            else:
                insensitive[alias.lower()] = canon
    ci = _keyword_regex(insensitive)
    cs_alts = sorted((re.escape(a) for a in sensitive), key=len, reverse=True)
    cs = re.compile(r"(?<![\w-])(" + "|".join(cs_alts) + r")(?![\w-])")
    return ci, insensitive, cs, sensitive


_IMPACT_CRIT = _keyword_regex(CRITICAL_IMPACT_WORDS)
_IMPACT_HIGH = _keyword_regex(HIGH_IMPACT_WORDS)


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
        "rejected": "retired",
        "deprecated": "retired",
    }
    status = mapping.get(doc_status or "accepted", "active")
    assert status in STATUSES
    return status


def adr_severity(doc_status: str | None) -> str:
    if doc_status in (None, "accepted"):
        return "high"
    if doc_status in ("proposed", "pending"):
        return "medium"
    return "low"


def clamp_severity(value: str | None, default: str = "medium") -> str:
    return value if value in SEVERITIES else default


def technologies(text: str) -> list[str]:
    """Canonical lowercase technology names mentioned in ``text``."""
    ci, insensitive, cs, sensitive = _tech_patterns()
    found: list[str] = []
    for m in ci.finditer(text):
        canon = insensitive.get(m.group(1).lower())
        if canon and canon not in found:
            found.append(canon)
    for m in cs.finditer(text):
        canon = sensitive.get(m.group(1))
        if canon and canon not in found:
            found.append(canon)
    if any(t.startswith("aws-") for t in found) and "aws" not in found:
        found.append("aws")
    return found


_GLOB_OR_PATH = re.compile(
    r"^(?:~?/)?[\w.*?{}\[\]@~+-]+(?:/[\w.*?{}\[\]@~+-]*)+/?$|^[\w.*?-]+\.[A-Za-z0-9]+$"
)


def paths_from_code(spans: Iterable[str]) -> list[str]:
    """File names and path globs among inline code spans."""
    out: list[str] = []
    for span in spans:
        s = span.strip().strip("'\"")
        if not s or " " in s or len(s) > 200 or "://" in s or s.startswith(("-", "$")):
            continue
        name = PurePosixPath(s.rstrip("/")).name
        looks_path = "/" in s and bool(_GLOB_OR_PATH.match(s)) and not s.startswith("/api/")
        looks_file = (
            s.lower().endswith(PATH_EXTENSIONS) and bool(_GLOB_OR_PATH.match(s))
        ) or name in PATH_FILENAMES
        if (looks_path or looks_file) and s not in out:
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
