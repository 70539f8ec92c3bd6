"""Parse one Markdown document into a :class:`kb.records.DocumentDraft`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from ingest import classify, record_types
from ingest.budget import check, check_table_width
from ingest.extract import Candidate, clean_text, extract_candidates, role_of, split_sentences, word_count
from ingest.extract.process_page import reading_kind
from ingest.extract.rules import text_rules_matching
from ingest.frontmatter import split_front_matter, strip_erb
from ingest.kinds import detect_kind
from ingest.raw_html import inline_raw_html
from ingest.sections import Block, Outline, build_outline
from ingest.vocabulary import INCIDENT_FIELDS
from kb.errors import DocumentError
from kb.lifecycle.staleness import REVIEW_KEYS
from kb.records import ConstraintDraft, DocumentDraft

RATIONALE_MAX_WORDS = 60

_ADR_TITLE_NUM = re.compile(r"^(?:ADR[- ]?)?(\d{1,5})[.:)]?\s+\S")
_FILE_NUM = re.compile(r"^(?:[A-Za-z]+-)*?(?:ADR-)?(?:[A-Za-z]+-)?(\d{1,5})[-_ ]")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DMY_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_DATE_LINE = re.compile(r"^\s*(?:\*\*)?date(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.+)$", re.I | re.M)
_STATUS_LINE = re.compile(r"^\s*(?:\*\*)?status(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.+)$", re.I | re.M)
_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SLUG_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]?")
_ADR_REF = re.compile(r"\bADR[- ]?\d+\b", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_NUM_PREFIX = re.compile(r"^\s*(?:ADR[- ]?)?(\d{1,5})\b")
_NA = re.compile(r"^\s*(?:n/?a|none|-+|—|tbd|tbc|no|null|~)?\s*$", re.I)
_EXT = re.compile(r"(?:\.html)?\.(?:md|markdown|mdx|qmd|rmd|erb|txt)(?:\.erb)?$", re.I)


# ---------------------------------------------------------------------------------------------
# helpers


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _iso_date(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    m = _ISO_DATE.search(s)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _DMY_DATE.search(s)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        if mo > 12 and d <= 12:
            d, mo = mo, d
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _file_stem(path: str) -> str:
    """The title a file's name gives: a slug such as ``2018-08-05-security-incident-disclosure``
    reads as "Security incident disclosure" (a blog post or incident report without a title heading);
    a name with spaces (``PM2022-009 - Bad AMI``) is kept as written."""
    name = PurePosixPath(path).name
    stem = _EXT.sub("", name).strip() or name
    if " " in stem or not re.search(r"[a-z]", stem):
        return stem
    words = re.sub(r"[-_]+", " ", _SLUG_DATE.sub("", stem)).strip()
    return words[:1].upper() + words[1:] if words else stem


def _first_sentences(text: str, max_words: int = RATIONALE_MAX_WORDS, count: int = 2) -> str:
    text = _norm(text)
    spans = split_sentences(text)
    out = ""
    for s, e in spans[:count]:
        cand = (out + " " + text[s:e]).strip()
        if out and word_count(cand) > max_words:
            break
        out = cand
    if word_count(out) > max_words:
        out = " ".join(out.split()[:max_words]).rstrip(",;:") + "…"
    return out


# ---------------------------------------------------------------------------------------------
# ADR status and supersession


def normalize_status(text: str) -> str | None:
    """Normalise an ADR status text/emoji to the ADR status vocabulary."""
    t = text.strip().lower()
    if not t:
        return None
    if re.search(r"\bsuperseded\b|⌛", t):
        return "superseded"
    if re.search(r"\bdeprecated\b|\bobsolete\b", t):
        return "deprecated"
    if re.search(r"\b(?:rejected|declined|withdrawn|abandoned|won't do)\b|❌", t):
        return "rejected"
    if re.search(r"\b(?:accepted|approved|adopted|agreed|implemented|done|decided|active)\b|✅", t):
        return "accepted"
    if re.search(r"\b(?:pending|on hold|deferred|blocked)\b", t):
        return "pending"
    if re.search(r"\b(?:proposed|draft|incomplete|in review|under review|proposal|rfc|open|wip)\b|🤔", t):
        return "proposed"
    return None


def adr_refs(raw: str) -> list[str]:
    """ADR ids or file names referenced in a status or table cell, as written."""
    refs: list[str] = []
    for m in _MD_LINK.finditer(raw):
        text, target = m.group(1).strip(), m.group(2).strip()
        num = _NUM_PREFIX.match(text)
        name = PurePosixPath(target).name if target else ""
        if _ADR_REF.fullmatch(text):
            ref = text
        elif num:
            ref = num.group(1)
        elif name and (fnum := _NUM_PREFIX.match(name)):
            ref = fnum.group(1)
        else:
            ref = name or text
        if ref and ref not in refs:
            refs.append(ref)
    without_links = _MD_LINK.sub(" ", raw)
    for m in _ADR_REF.finditer(without_links):
        if m.group(0) not in refs:
            refs.append(m.group(0))
    if not refs:
        bare = re.search(
            r"\b(?:superseded by|supersedes|replaces|replaced by)\s*:?\s*#?(\d{1,5})\b", raw, re.I
        )
        if bare:
            refs.append(bare.group(1))
    return refs


def _split_supersession(raw: str) -> tuple[list[str], list[str]]:
    """(supersedes, superseded_by) references in one status text."""
    supersedes: list[str] = []
    superseded_by: list[str] = []
    parts = re.split(r"(?=\bsuperseded\b|\bsupersedes\b|\breplaces\b|\breplaced by\b)", raw, flags=re.I)
    for part in parts:
        low = part.lower()
        if low.startswith(("superseded", "replaced by")):
            superseded_by += [r for r in adr_refs(part) if r not in superseded_by]
        elif low.startswith(("supersedes", "replaces")):
            supersedes += [r for r in adr_refs(part) if r not in supersedes]
    return supersedes, superseded_by


def _section_text(outline: Outline, pattern: re.Pattern[str]) -> tuple[str, str] | None:
    """(plain, raw) text of the first paragraph/item under the first heading matching ``pattern``."""
    blocks = outline.blocks
    for i, b in enumerate(blocks):
        if b.type == "heading" and pattern.search(b.text.text.strip()):
            depth = len(b.path)
            for nb in blocks[i + 1 :]:
                if nb.type == "heading" and len(nb.path) <= depth:
                    break
                if nb.type in ("paragraph", "item") and nb.text.text.strip():
                    return nb.text.text.strip(), nb.raw or nb.text.text
            return None
    return None


_STATUS_HEADING = re.compile(r"^status\s*:?$", re.I)
_BODY_SUPERSESSION = re.compile(
    r"\b(in part |partly |partially )?(supersedes|superseded by)\b(?=[^.]*(?:\]\(|\bADR[- #]*\d))", re.I
)


def _metadata_table(outline: Outline) -> dict[str, tuple[str, str]]:
    """Key -> (plain, raw) rows of a 2-column metadata table at the top of the document."""
    out: dict[str, tuple[str, str]] = {}
    first_table = -1
    for b in outline.blocks:
        if b.type == "heading" and b.levels and b.levels[-1] >= 2 and first_table < 0:
            continue
        if b.type != "row":
            continue
        if first_table < 0:
            first_table = b.table_id
        if b.table_id != first_table:
            break
        cells = b.cells
        if len(cells) >= 2 and len(cells[0]) <= 40 and cells[0]:
            key = cells[0].strip().rstrip(":").strip().lower()
            raw_line = outline.lines[b.line_start - 1] if 0 < b.line_start <= len(outline.lines) else ""
            raw_cells = [c.strip() for c in raw_line.strip().strip("|").split("|")]
            raw_val = raw_cells[1] if len(raw_cells) > 1 else cells[1]
            out[key] = (cells[1], raw_val)
    # also a 2-column table whose header row holds the first key (header rows are not blocks)
    return out


def adr_status(fm: dict[str, Any], outline: Outline, body: str) -> tuple[str | None, dict[str, Any]]:
    meta: dict[str, Any] = {}
    raw_status = ""
    status: str | None = None
    candidates: list[str] = []
    if isinstance(fm.get("status"), str):
        candidates.append(fm["status"])
    sec = _section_text(outline, _STATUS_HEADING)
    if sec:
        candidates.append(sec[1])
    table = _metadata_table(outline)
    if "status" in table:
        candidates.append(table["status"][1])
    m = _STATUS_LINE.search(body[:3000])
    if m:
        candidates.append(m.group(1))
    for c in candidates:
        status = normalize_status(c)
        if status:
            raw_status = c
            break
    if raw_status:
        meta["status_text"] = _norm(_MD_LINK.sub(r"\1", raw_status))[:200]
        if re.search(r"\bpartly superseded\b|\bpartially superseded\b", raw_status, re.I):
            meta["partly_superseded"] = True
    supersedes, superseded_by = _split_supersession(raw_status) if raw_status else ([], [])
    for key, target in (("supersedes", supersedes), ("superseded by", superseded_by)):
        if key in table and not _NA.match(table[key][0]):
            for r in adr_refs(table[key][1]) or [table[key][0].strip()]:
                if r not in target:
                    target.append(r)
    for key, target in (("supersedes", supersedes), ("superseded_by", superseded_by)):
        for r in _as_list(fm.get(key)) + _as_list(fm.get(key.replace("_", "-"))):
            if r not in target:
                target.append(r)
    for line in body.split("\n"):
        m = _BODY_SUPERSESSION.search(line)
        if not m:
            continue
        refs = [r for r in adr_refs(line[m.start() :]) if "://" not in r]
        if m.group(2).lower().startswith("superseded") and status == "superseded":
            superseded_by += [r for r in refs if r not in superseded_by]
        elif m.group(2).lower().startswith("supersedes"):
            supersedes += [r for r in refs if r not in supersedes]
            if m.group(1) and refs:
                meta["supersedes_partly"] = True
    if supersedes:
        meta["supersedes"] = supersedes
    if superseded_by or status == "superseded":
        meta["superseded_by"] = superseded_by
    return status, meta


# ---------------------------------------------------------------------------------------------
# incident metadata


def incident_metadata(fm: dict[str, Any], outline: Outline) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key in ("severity", "impact", "time_to_detect", "time_to_repair", "time_to_resolve"):
        for variant in (key, key.replace("_", "-"), key.replace("_", " ")):
            if variant in fm and fm[variant] not in (None, ""):
                meta[key] = fm[variant] if isinstance(fm[variant], str | int | float) else str(fm[variant])
                break
    blocks = outline.blocks
    for i, b in enumerate(blocks):
        label: str | None = None
        value = ""
        if b.type in ("item", "paragraph") and b.bold_label:
            label = b.bold_label
            value = re.sub(r"^\s*" + re.escape(label) + r"\s*:?\s*", "", b.text.text.strip(" *"))
            value = value.lstrip(":").strip()
        elif b.type == "item" and b.path and re.search(r"\bstats\b|statistics|metrics", b.path[-1], re.I):
            m = re.match(r"^\s*([^:]{2,40}):\s*(.+)$", b.text.text)
            if m:
                label, value = m.group(1), m.group(2)
        elif b.type == "row" and len(b.cells) == 2:
            label, value = b.cells[0], b.cells[1]
        if not label:
            continue
        found = INCIDENT_FIELDS.get(label.strip().rstrip(":").lower())
        if not found or found in meta:
            continue
        key = found
        if not value:
            # value in the following paragraph(s) / child bullets
            for nb in blocks[i + 1 : i + 4]:
                if nb.type == "heading" or (nb.bold_label and nb is not b):
                    break
                if nb.type in ("paragraph", "item") and nb.text.text.strip():
                    value = nb.text.text.strip()
                    break
        value = _first_sentences(value, 50, 2) if key == "impact" else _norm(value)[:80]
        if value:
            meta[key] = value
    return meta


# ---------------------------------------------------------------------------------------------
# rationale


_NAV = re.compile(r"^\s*(?:read|see|update|note|refer|click|this (?:post|page|document) (?:is|was))\b", re.I)
_SUMMARY_HEADINGS = re.compile(
    r"^(?:incident\s+)?(?:summary|overview|executive summary|tl;?dr|what happened|description|about)\b", re.I
)
_CONTEXT_HEADINGS = re.compile(
    r"context|problem statement|^why\b|background|^what$|^summary|^overview|motivation", re.I
)
_RUNBOOK_HEADINGS = re.compile(r"^(?:meaning|impact|summary|overview|description|about|purpose)\b", re.I)


def _first_paragraph(outline: Outline, pattern: re.Pattern[str] | None, kind: str) -> str:
    blocks = outline.blocks
    if pattern is not None:
        for i, b in enumerate(blocks):
            if b.type == "heading" and pattern.search(b.text.text.strip()):
                for nb in blocks[i + 1 :]:
                    if nb.type == "heading" and len(nb.path) <= len(b.path):
                        break
                    if (
                        nb.type == "paragraph"
                        and word_count(nb.text.text) >= 5
                        and not _NAV.match(nb.text.text)
                    ):
                        return nb.text.text
                    if nb.type == "item" and word_count(nb.text.text) >= 5 and not nb.bold_label:
                        return nb.text.text
        # MoJ-style fields
        for b in blocks:
            if b.bold_label and b.bold_label.lower() == "impact":
                txt = re.sub(r"^\s*impact\s*:?\s*", "", b.text.text.strip(), flags=re.I)
                if word_count(txt) >= 4:
                    return txt
    for b in blocks:
        if (
            b.type == "paragraph"
            and word_count(b.text.text) >= 6
            and not b.bold_label
            and not _NAV.match(b.text.text)
        ):
            role = role_of(b.path[-1], kind) if b.path else None
            if role not in ("skip", "options"):
                return b.text.text
    return ""


def rationale_for(kind: str, title: str, outline: Outline) -> str:
    if kind == "postmortem":
        text = _first_paragraph(outline, _SUMMARY_HEADINGS, kind)
        prefix = f"From incident '{title}'"
    elif kind == "adr":
        text = _first_paragraph(outline, _CONTEXT_HEADINGS, kind)
        prefix = f"From ADR '{title}'"
    else:
        text = _first_paragraph(outline, _RUNBOOK_HEADINGS, kind)
        prefix = f"From runbook '{title}'"
    text = clean_text(text) if text else ""
    first = _first_sentences(text, RATIONALE_MAX_WORDS - word_count(prefix) - 1, 2) if text else ""
    return f"{prefix}: {first}" if first else f"{prefix}."


# ---------------------------------------------------------------------------------------------
# template family


def template_family(kind: str, fm: dict[str, Any], outline: Outline) -> str:
    titles = [h.title.lower() for h in outline.headings]
    labels = {b.bold_label.lower() for b in outline.blocks if b.bold_label}

    def has(word: str) -> bool:
        return any(word in t for t in titles)

    if kind == "postmortem":
        if "review actions" in labels or "key events" in labels or "time to repair" in labels:
            return "moj-incident"
        if has("contributing factors") and has("stats"):
            return "dfds"
        if "authors" in fm and "tags" in fm:
            return "blog"
        return "long-form"
    if kind == "runbook":
        if has("meaning") or (has("diagnosis") and has("mitigation")):
            return "alert-runbook"
        return "how-to"
    if has("decision outcome") or has("considered options") or "decision-makers" in fm:
        return "madr"
    table = _metadata_table(outline)
    if "status" in table or ("date" in table and "authors" in table):
        return "design-doc"
    if has("status") and has("decision"):
        return "nygard"
    return "adr"


# ---------------------------------------------------------------------------------------------
# entry point


def _title(fm: dict[str, Any], outline: Outline, path: str) -> str:
    first_heading = outline.headings[0] if outline.headings else None
    if first_heading is not None and first_heading.level == 1 and first_heading.title:
        return first_heading.title.rstrip()
    fm_title = fm.get("title")
    if isinstance(fm_title, str) and fm_title.strip():
        return _norm(fm_title)
    return _file_stem(path)


def _document_date(fm: dict[str, Any], outline: Outline, body: str, path: str) -> str | None:
    for key in ("date", "created", "created_at", "incident_date", "published", "last_reviewed_on"):
        if key in fm:
            d = _iso_date(fm[key])
            if d:
                return d
    m = _DATE_LINE.search(body[:4000])
    if m:
        d = _iso_date(m.group(1))
        if d:
            return d
    table = _metadata_table(outline)
    if "date" in table:
        d = _iso_date(table["date"][0])
        if d:
            return d
    m = _FILENAME_DATE.match(PurePosixPath(path).name)
    if m:
        return _iso_date(m.group(0))
    return None


def _services(fm: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("services", "service", "components", "component", "systems", "affected_services"):
        for s in _as_list(fm.get(key)):
            if s not in out and len(s) <= 80:
                out.append(s)
    return out


def _doc_severity(kind: str, meta: dict[str, Any], fm: dict[str, Any], outline: Outline, body: str) -> str:
    if kind == "postmortem":
        sev = classify.severity_from_label(str(meta.get("severity") or fm.get("severity") or ""))
        if sev:
            return sev
        impact = str(meta.get("impact", "")) + " " + rationale_for(kind, "", outline)
        return classify.severity_from_impact(impact) or "medium"
    if kind == "runbook":
        label = fm.get("severity")
        m = re.search(r"\bseverity\s*[:=]\s*[\"']?(critical|warning|info|high|low)\b", body[:6000], re.I)
        sev = classify.severity_from_label(str(label) if label else (m.group(1) if m else None))
        if sev == "critical":
            return "high"
        return sev or "medium"
    return "medium"


def parse_document(text: str, *, path: str, sha256: str) -> DocumentDraft:
    """Parse one document. Raises :class:`DocumentError` for broken front matter or no content."""
    fmd = split_front_matter(text, path=path)
    fm = fmd.data
    fm_title = fm.get("title") if isinstance(fm.get("title"), str) else None
    body = inline_raw_html(strip_erb(fmd.body, fm_title))  # a Confluence export's raw HTML blocks
    if not body.strip():
        raise DocumentError("document has no content after front matter", path=path)
    check_table_width(body, path=path)
    original_lines = text.lstrip("\ufeff").split("\n")
    fallback_title = fm_title or _file_stem(path)
    outline = build_outline(body, offset=fmd.offset, original_lines=original_lines, title_hint=fallback_title)
    if not any(b.type != "html" and b.text.text.strip() for b in outline.blocks):
        raise DocumentError("document has no usable Markdown content", path=path)

    title = _title(fm, outline, path)
    description = fm.get("description") if isinstance(fm.get("description"), str) else ""
    lead = " ".join([str(description), *[b.text.text for b in outline.blocks if b.type == "paragraph"][:2]])
    kind = detect_kind(fm, path, [h.title for h in outline.headings], title, lead)
    # Where the stored body starts in the file: excerpts quote the stored text by file line numbers.
    metadata: dict[str, Any] = {"body_line_offset": fmd.offset}
    status: str | None = None
    if kind == "adr":
        status, adr_meta = adr_status(fm, outline, body)
        metadata.update(adr_meta)
        num = _ADR_TITLE_NUM.match(title)
        fnum = _FILE_NUM.match(PurePosixPath(path).name)
        if isinstance(fm.get("nav_order"), int) and "decision" in str(fm.get("parent", "")).lower():
            metadata["adr_number"] = fm["nav_order"]
        elif num:
            metadata["adr_number"] = int(num.group(1))
        elif fnum:
            metadata["adr_number"] = int(fnum.group(1))
    elif kind == "postmortem":
        metadata.update(incident_metadata(fm, outline))
        fm_status = fm.get("status")
        status = fm_status.strip().lower() if isinstance(fm_status, str) and fm_status.strip() else "resolved"
    else:
        fm_status = fm.get("status")
        if isinstance(fm_status, str) and fm_status.strip():
            status = fm_status.strip().lower()
    family = template_family(kind, fm, outline)
    metadata["template"] = family
    for key in ("tags", "weight", "parent", "description", *REVIEW_KEYS):
        if key in fm and key not in metadata:
            value = fm[key]
            if isinstance(value, date):  # YAML dates: kept as ISO text (the metadata column is JSON)
                value = value.isoformat()
            metadata[key if key != "tags" else "source_tags"] = value
    services = _services(fm)

    doc_severity = _doc_severity(kind, metadata, fm, outline, body)
    rationale = rationale_for(kind, title, outline)
    candidates = extract_candidates(outline, kind=kind, title=title)
    read_as = reading_kind(kind, title)
    constraints = []
    for c in candidates:
        check()
        constraints.append(
            _constraint(
                c,
                kind=kind,
                family=family,
                rationale=rationale,
                # a partly superseded decision still holds in part: its rules stay active
                doc_status="accepted" if metadata.get("partly_superseded") else status,
                doc_severity=doc_severity,
                services=services,
                raw="\n".join(original_lines[max(0, c.line_start - 1) : max(c.line_start, c.line_end)]),
                read_as=read_as,
            )
        )
    return DocumentDraft(
        path=path,
        kind=kind,
        title=title,
        sha256=sha256,
        date=_document_date(fm, outline, body, path),
        status=status,
        services=services,
        metadata=metadata,
        constraints=constraints,
        body=body,
    )


_ROLE_TAGS = {
    "action": "action-item",
    "lesson": "lesson",
    "factor": "contributing-factor",
    "decision": "decision",
    "consequence": "consequence",
    "mitigation": "mitigation",
    "prereq": "prerequisite",
    "diagnosis": "diagnosis",
    "driver": "decision-driver",
    "": "rule",
}


def _constraint(
    c: Candidate,
    *,
    kind: str,
    family: str,
    rationale: str,
    doc_status: str | None,
    doc_severity: str,
    services: list[str],
    raw: str = "",
    read_as: str = "",
) -> ConstraintDraft:
    rat = rationale
    if c.extra_rationale:
        rat = f"{rationale.rstrip('.')}. {c.extra_rationale}"
        if word_count(rat) > RATIONALE_MAX_WORDS + 20:
            rat = rationale
    # the type, category and severity follow what the statement says, not the names it borrowed
    said = c.statement.replace(c.borrowed, "") if c.borrowed else c.statement
    category = classify.categorize(said, rat, kind=kind, role=c.role)
    # a page read as another kind (an incident-process page, read as a runbook) is typed as read
    rtype, rules = record_types.record_type(
        said,
        role=c.role,
        kind=read_as or kind,
        source=c.source,
        section=c.section,
        tracked=record_types.is_tracked(raw),
        todo=record_types.is_todo(raw),
        labelled=record_types.is_state_labelled(raw),
    )
    if c.borrowed:
        rules.append("rewrite.title-names")
    state: str | None = None
    if rtype == "follow_up":
        state, state_rules = record_types.follow_up_state(raw, role=c.role)
        rules += state_rules
    # Severity follows what the statement says (and a severe incident), not the document's kind.
    severity, sev_rule = record_types.content_severity(
        said, record_type=rtype, incident=doc_severity if kind == "postmortem" else None
    )
    rules.append(sev_rule)
    if kind == "adr":
        status = classify.adr_constraint_status(doc_status)
        if status == "rejected" and classify.rejected_adr_binds(c.statement):
            status = "active"
            rules.append("status.rejection-binds")
        if status != "active" and severity in ("critical", "high"):
            severity = "medium"  # a proposed or retired decision does not bind yet (or any more)
    else:
        status = "active"
        if c.warning and severity in ("medium", "low"):
            severity = "high"
    tags = [kind, family, _ROLE_TAGS.get(c.role, c.role or "rule")]
    if c.warning and "warning" not in tags:
        tags.append("warning")
    svc = list(services) + [s for s in classify.services_in_text(c.statement, services) if s not in services]
    return ConstraintDraft(
        statement=c.statement,
        rationale=rat,
        category=category,
        severity=classify.clamp_severity(severity),
        status=status,
        services=svc,
        paths=classify.paths_from_code(c.code_spans),
        technologies=classify.technologies(c.statement + " " + " ".join(c.code_spans)),
        tags=tags,
        section=c.section,
        line_start=c.line_start,
        line_end=max(c.line_start, c.line_end),
        record_type=rtype,
        state=state,
        rules=[f"role.{c.role or 'none'}", f"source.{c.source}", *text_rules_matching(raw.strip()), *rules],
    )


__all__ = ["Block", "parse_document"]
