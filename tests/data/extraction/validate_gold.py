#!/usr/bin/env python3
"""Validate the blind corpus2 gold sets (no imports from the project).

Checks corpus2_gold.jsonl and section_roles.jsonl in this folder against the
documents under the corpus root (default /work/shared/corpus2, or --corpus /
$CORPUS2_ROOT):

  * every record parses and has exactly the expected fields and vocabularies;
  * every path exists under the corpus root;
  * lesson/section consistency: a lesson's `section` is null (document or part
    of it has no heading) or the text of a heading found in the document;
  * `state` is open/done for follow_up lessons and null for every other type;
  * `no_lesson_reason` is set exactly when `lessons` is empty;
  * folds alternate tune/test per kind in file order (gold file); later blind folds
    (LATER_FOLDS, e.g. test2) stand outside that alternation;
  * every repo folder of the corpus is covered by the gold file;
  * every (path, heading, level) of section_roles.jsonl is a heading of that
    document at that level, no duplicates, and documents that are also in the
    gold file carry the same fold (one fold per document);
  * minimum sizes (48 gold documents, 200 headings);
  * corpus_test3_gold.jsonl (fold test3, documents of ../corpus, the first corpus, beside the
    corpus2 root; --corpus1 / $CORPUS1_ROOT): the same record checks, without the alternation,
    repo-folder coverage and size checks, and no path may repeat one of extraction_gold.jsonl.
  * corpus_test4_gold.jsonl (fold test4, 30 more documents of the first corpus; --gold4): the
    same checks as test3, and no path may repeat one of extraction_gold.jsonl,
    corpus_test3_gold.jsonl or corpus2_gold.jsonl.
  * corpus_test5_gold.jsonl (fold test5, 36 more documents of the first corpus; --gold5): the
    same checks, and no path may repeat one of any earlier gold file.
  * corpus_test6_gold.jsonl (fold test6, 28 more documents of the first corpus; --gold6): the
    same checks, and no path may repeat one of any earlier gold file.
  * corpus_test7_gold.jsonl (fold test7, 30 more documents of the first corpus; --gold7): the
    same checks, and no path may repeat one of any earlier gold file.
  * corpus_test8_gold.jsonl (fold test8, about 20 more documents of the first corpus; --gold8):
    the same checks, and no path may repeat one of any earlier gold file.
  * corpus_test9_gold.jsonl (fold test9, 24 more documents of the first corpus; --gold9):
    the same checks, and no path may repeat one of any earlier gold file (test3 to test8 included).
  * corpus_test10_gold.jsonl (fold test10, 32 more documents of the first corpus; --gold10): the
    same checks, and no path may repeat one of any earlier gold file (test3 to test9 included).
    Fold test10 also has 3 corpus2 rows in corpus2_gold.jsonl, which may not repeat a path of
    any other gold file either.
  * corpus_test11_gold.jsonl (fold test11, 16 more documents of the first corpus; --gold11): the
    same checks as test10, and no path may repeat one of any earlier gold file.
  * written_test11_gold.jsonl (fold test11, postmortems written for the fold; --written11),
    checked against written/ beside this file (--written-root): paths exist, sections are
    headings of the document (.md by Markdown rules, .rst/.adoc/.html by their own heading
    readers below), the record checks of the first-corpus files.
  * written_test12_gold.jsonl (fold test12, 14 more written postmortems; --written12): the same
    checks as written test11; .jira/.wiki documents take their headings from Jira wiki markup
    `h1.`..`h6.` lines, and .txt documents (plain e-mail text, no heading syntax) must give
    every lesson a null section. No path may repeat one of written_test11_gold.jsonl.
  * written_test13_gold.jsonl (fold test13, 12 more written postmortems; --written13): the same
    checks as written test12, and no path may repeat one of the test11 or test12 written files.
  * written_test14_gold.jsonl (fold test14, 14 written documents: 6 postmortems, 4 runbooks under
    written/runbooks/ and 4 ADRs under written/adrs/; --written14): the same checks as written
    test13, the kind must match the folder, and no path may repeat one of the earlier written files.
  * written_test15_gold.jsonl (fold test15, 14 more written documents: 6 postmortems, 4 runbooks, 4
    ADRs; --written15): the same checks as written test14. .org documents take their headings from
    Org-mode `*` headline lines (text after the stars, kept verbatim; #+BEGIN_/#+END_ blocks skipped).
  * written_test16_gold.jsonl (fold test16, 14 more written documents: 6 postmortems, 4 runbooks, 4
    ADRs; --written16): the same checks as written test15, and no path may repeat one of the
    earlier written files.
  * written_test17_gold.jsonl (fold test17, 14 more written documents: 5 postmortems, 5 runbooks, 4
    ADRs; --written17): the same checks as written test16, and no path may repeat one of the
    earlier written files. Formats without a heading reader here (.xml, .mk) fall back to the
    Markdown reader, which finds one-line <hN> tags; the .mk runbook's lessons carry no section.
  * written_test18_gold.jsonl (fold test18, 14 more written documents: 5 postmortems, 5 runbooks, 4
    ADRs; --written18): the same checks as written test17, and no path may repeat one of the
    earlier written files. Its .tex, .csv, .sh, .yml and .ps1 documents fall back to the Markdown
    reader (where `#` comment lines would read as headings), so their lessons carry no section.
  * written_test19_gold.jsonl (fold test19, 12 more written documents: 5 postmortems, 4 runbooks, 3
    ADRs, mostly Markdown; --written19): the same checks as written test18, and no path may repeat
    one of the earlier written files.
  * written_test20_gold.jsonl (fold test20, 12 more written documents: 5 postmortems, 4 runbooks, 3
    ADRs in formats and templates not used before, .textile and .yaml among them; --written20): the
    same checks as written test19, and no path may repeat one of the earlier written files.
  * written_test21_gold.jsonl (fold test21, 12 more written documents: 4 postmortems, 5 runbooks, 3
    ADRs in formats and templates not used before, .xml, .qmd, .mediawiki, .8, .ipynb, .texi and
    .java among them; --written21): the same checks as written test20, and no path may repeat one
    of the earlier written files.
  * written_test22_gold.jsonl (fold test22, 12 more written documents: 5 postmortems, 4 runbooks, 3
    ADRs, mostly Markdown in everyday templates not used before, plus a Word-filtered .html, an
    .adoc, an .rst and a .txt; --written22): the same checks as written test21, and no path may
    repeat one of the earlier written files.
  * written_test23_gold.jsonl (fold test23, 12 more written documents: 5 postmortems, 4 runbooks, 3
    ADRs, mostly Markdown in everyday templates not used before, plus a Google-Docs .html, an
    .adoc and a .txt; --written23): the same checks as written test22, and no path may repeat one
    of the earlier written files.
  * written_test24_gold.jsonl (fold test24, 12 more written documents: 5 postmortems, 4 runbooks, 3
    ADRs in everyday templates not used before, plus a Notion .html export, a Sphinx .rst, a Slack
    .txt and an Org-mode .org; --written24): the same checks as written test23, and no path may
    repeat one of the earlier written files.
  * written_test25_gold.jsonl (fold test25, 12 more written documents: 5 postmortems, 4 runbooks, 3
    ADRs in everyday shapes, mostly Markdown, plus an .eml incident e-mail and a Confluence .html
    export; --written25): the same checks as written test24, and no path may repeat one of the
    earlier written files. The .eml falls back to the Markdown reader; its lessons carry no section.
Warnings (not errors): lessons that repeat 12+ consecutive words of the source,
lessons starting with a bare pronoun, headings whose text occurs several times.

Heading text convention: the heading's text as written in the source, without
the Markdown '#' markers / closing hashes, setext underlines, reST adornment,
AsciiDoc '=' markers or HTML tags; inline markup such as **bold** or `code` is
kept verbatim; HTML comments inside a heading are dropped and HTML entities
are decoded.

Exit status 0 when there are no errors.
"""
import argparse
import html
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"postmortem", "adr", "runbook"}
FOLDS = {"tune", "test"}
# Blind sets written later, outside the tune/test alternation (test2: 30 documents, Dec 2026;
# test3: 30 documents, 13 of corpus2 here and 17 of the first corpus in corpus_test3_gold.jsonl;
# test4: 30 documents of the first corpus in corpus_test4_gold.jsonl; test5: 36 more in
# corpus_test5_gold.jsonl; test6: 28 more in corpus_test6_gold.jsonl; test7: 30 more in
# corpus_test7_gold.jsonl; test8: about 20 more in corpus_test8_gold.jsonl; test9: 24 more in
# corpus_test9_gold.jsonl; test10: 32 more in corpus_test10_gold.jsonl plus 3 corpus2 rows here,
# the last corpus2 documents not yet in a gold file; test11: 16 more in corpus_test11_gold.jsonl
# plus 12 written postmortems in written_test11_gold.jsonl).
LATER_FOLDS = {"test2", "test3", "test10"}
TYPES = {"constraint", "decision", "procedure", "follow_up"}
STATES = {"open", "done"}
ROLES = {
    "summary", "impact", "timeline", "root_cause", "contributing_factors",
    "detection", "resolution", "lessons", "action_items", "what_went_well",
    "what_went_wrong", "decision", "consequences", "context", "alternatives",
    "status", "mitigation", "diagnosis", "procedure", "prerequisites", "risks",
    "references", "metadata", "other",
}
GOLD_FIELDS = {"path", "kind", "fold", "lessons", "no_lesson_reason"}
LESSON_FIELDS = {"text", "type", "state", "section"}
ROLE_FIELDS = {"path", "heading", "level", "role", "fold"}
KIND_DIRS = ("postmortems", "adrs", "runbooks", "other-formats")
LICENCE_PREFIXES = ("LICENSE", "NOTICE", "COPYING")

# ---------------------------------------------------------------- headings
FENCE = re.compile(r'^\s{0,3}(```+|~~~+)')
ATX = re.compile(r'^\s{0,3}(#{1,6})(?:[ \t]+|(?=[^#\s]))(.*?)(?:[ \t]+#+)?[ \t]*$')
HTAG = re.compile(r'<h([1-6])\b[^>]*>(.*?)</h\1\s*>', re.I | re.S)
RST_ADORN = re.compile(r'^([=\-`:\'"~^_*+#<>.])\1{2,}\s*$')
ADOC = re.compile(r'^(={1,6})\s+(\S.*?)\s*$')
JIRA = re.compile(r'^\s*h([1-6])\.\s+(\S.*?)\s*$')
ORG = re.compile(r'^(\*+)[ \t]+(\S.*?)\s*$')

def _clean_html(s):
    return html.unescape(re.sub(r'<[^>]+>', '', s)).strip()

def strip_front_matter(lines):
    if lines and lines[0].strip() == '---':
        for i in range(1, len(lines)):
            if lines[i].strip() in ('---', '...'):
                return i + 1
    return 0

def md_headings(text):
    lines = text.split('\n')
    start = strip_front_matter(lines)
    out = []
    in_fence = None
    in_comment = False
    prev = ''
    for i in range(start, len(lines)):
        ln = lines[i]
        m = FENCE.match(ln)
        if in_fence:
            if m and m.group(1)[0] == in_fence[0] and len(m.group(1)) >= len(in_fence) and not ln.strip().strip(m.group(1)[0]).strip():
                in_fence = None
            prev = ''
            continue
        if m:
            in_fence = m.group(1)
            prev = ''
            continue
        if in_comment:
            if '-->' in ln:
                in_comment = False
            prev = ''
            continue
        if ln.strip().startswith('<!--') and '-->' not in ln:
            in_comment = True
            prev = ''
            continue
        if ln.startswith('    ') or ln.startswith('\t'):
            # indented line: could be indented code; headings are not indented 4+
            prev = ln
            continue
        a = ATX.match(ln)
        if a:
            t = re.sub(r'<!--.*?-->', '', a.group(2)).strip()
            if t:
                out.append((len(a.group(1)), t))
            prev = ''
            continue
        for hm in HTAG.finditer(ln):
            out.append((int(hm.group(1)), _clean_html(hm.group(2))))
        s = ln.strip()
        if prev.strip() and re.match(r'^\s{0,3}(=+|-+)\s*$', ln) and not re.match(r'^\s*([-*+]\s|\d+[.)]\s|\||>)', prev) and not prev.strip().startswith('<'):
            lvl = 1 if s.startswith('=') else 2
            out.append((lvl, prev.strip()))
            prev = ''
            continue
        prev = ln
    return out

def rst_headings(text):
    lines = text.split('\n')
    out, styles = [], []
    i = 0
    n = len(lines)
    in_block = False
    while i < n:
        ln = lines[i]
        # overline + title + underline
        if RST_ADORN.match(ln) and i + 2 < n and lines[i+1].strip() and RST_ADORN.match(lines[i+2]) and lines[i+2].strip()[0] == ln.strip()[0]:
            style = ('over', ln.strip()[0])
            if style not in styles: styles.append(style)
            out.append((styles.index(style) + 1, lines[i+1].strip()))
            i += 3
            continue
        if ln.strip() and not RST_ADORN.match(ln) and i + 1 < n and RST_ADORN.match(lines[i+1]) \
                and len(lines[i+1].strip()) >= len(ln.strip()) and not ln.startswith(' ') \
                and (i == 0 or not lines[i-1].strip() or RST_ADORN.match(lines[i-1]) is None):
            style = ('under', lines[i+1].strip()[0])
            if style not in styles: styles.append(style)
            out.append((styles.index(style) + 1, ln.strip()))
            i += 2
            continue
        i += 1
    return out

def adoc_headings(text):
    out = []
    in_block = False
    for ln in text.split('\n'):
        if ln.strip() in ('----', '....', '```'):
            in_block = not in_block
            continue
        if in_block:
            continue
        m = ADOC.match(ln)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out

def jira_headings(text):
    # Jira wiki markup: `h2. Title` lines; text inside {code}/{noformat} blocks is not markup.
    out = []
    in_block = False
    for ln in text.split('\n'):
        if re.match(r'^\s*\{(code|noformat)(:[^}]*)?\}', ln):
            in_block = not in_block
            continue
        if in_block:
            continue
        m = JIRA.match(ln)
        if m:
            out.append((int(m.group(1)), m.group(2)))
    return out

def org_headings(text):
    # Org-mode headlines: stars in column 0, then the title; source blocks are not markup.
    out = []
    in_block = False
    for ln in text.split('\n'):
        if re.match(r'^\s*#\+BEGIN_', ln, re.I):
            in_block = True
            continue
        if re.match(r'^\s*#\+END_', ln, re.I):
            in_block = False
            continue
        if in_block:
            continue
        m = ORG.match(ln)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out

def html_headings(text):
    return [(int(m.group(1)), _clean_html(m.group(2))) for m in HTAG.finditer(text)]

def headings(path):
    text = open(path, encoding='utf-8').read()
    p = path.lower()
    if p.endswith('.rst'):
        return rst_headings(text)
    if p.endswith('.adoc'):
        return adoc_headings(text)
    if p.endswith('.html'):
        return html_headings(text)
    if p.endswith(('.jira', '.wiki')):
        return jira_headings(text)
    if p.endswith('.org'):
        return org_headings(text)
    return md_headings(text)


# ---------------------------------------------------------------- checks
class Report:
    def __init__(self):
        self.errors, self.warnings = [], []

    def err(self, where, msg):
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"warn  {where}: {msg}")


def load_jsonl(path, rep):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append((n, json.loads(line)))
            except json.JSONDecodeError as e:
                rep.err(f"{os.path.basename(path)}:{n}", f"bad JSON: {e}")
    return rows


_heading_cache = {}


def doc_headings(root, rel):
    if rel not in _heading_cache:
        _heading_cache[rel] = headings(os.path.join(root, rel))
    return _heading_cache[rel]


def words(s):
    return re.findall(r"[a-z0-9]+", s.lower())


def longest_shared_run(a, b_text):
    """Length of the longest run of consecutive words of `a` found in b_text."""
    aw = words(a)
    b = " " + " ".join(words(b_text)) + " "
    best = 0
    for i in range(len(aw)):
        for j in range(i + best + 1, len(aw) + 1):
            if " " + " ".join(aw[i:j]) + " " in b:
                best = j - i
            else:
                break
    return best


def repo_folders(root):
    out = set()
    for k in KIND_DIRS:
        d = os.path.join(root, k)
        if os.path.isdir(d):
            for r in os.listdir(d):
                if os.path.isdir(os.path.join(d, r)):
                    out.add(f"{k}/{r}")
    return out


def check_gold(root, path, rep, full=True, fold=None):
    """``full=False`` (a first-corpus file, whose records all carry ``fold``): record checks only."""
    rows = load_jsonl(path, rep)
    name = os.path.basename(path)
    seen = set()
    order = defaultdict(list)
    folds = {}
    for n, rec in rows:
        where = f"{name}:{n}"
        if not isinstance(rec, dict):
            rep.err(where, "record is not an object")
            continue
        if set(rec) != GOLD_FIELDS:
            rep.err(where, f"fields {sorted(rec)} != {sorted(GOLD_FIELDS)}")
        p = rec.get("path")
        if not isinstance(p, str) or not os.path.isfile(os.path.join(root, p or "")):
            rep.err(where, f"path does not exist: {p!r}")
            continue
        if p in seen:
            rep.err(where, f"duplicate path {p}")
        seen.add(p)
        if rec.get("kind") not in KINDS:
            rep.err(where, f"bad kind {rec.get('kind')!r}")
        top = p.split("/")[0]
        expected_kind = {"postmortems": "postmortem", "adrs": "adr", "runbooks": "runbook"}.get(top)
        if expected_kind and rec.get("kind") != expected_kind:
            rep.err(where, f"kind {rec.get('kind')} does not match folder {top}")
        if rec.get("fold") not in (FOLDS | LATER_FOLDS if full else {fold}):
            rep.err(where, f"bad fold {rec.get('fold')!r}")
        folds[p] = rec.get("fold")
        if rec.get("fold") in FOLDS:
            order[rec.get("kind")].append((where, rec.get("fold")))
        lessons = rec.get("lessons")
        reason = rec.get("no_lesson_reason")
        if not isinstance(lessons, list):
            rep.err(where, "lessons is not a list")
            continue
        if lessons and reason is not None:
            rep.err(where, "no_lesson_reason must be null when lessons exist")
        if not lessons and not (isinstance(reason, str) and reason.strip()):
            rep.err(where, "empty lessons need a no_lesson_reason")
        heads = {t for _, t in doc_headings(root, p)}
        try:
            source = open(os.path.join(root, p), encoding="utf-8").read()
        except OSError:
            source = ""
        texts = set()
        for i, les in enumerate(lessons):
            lw = f"{where} lesson {i}"
            if not isinstance(les, dict) or set(les) != LESSON_FIELDS:
                rep.err(lw, f"lesson fields {sorted(les) if isinstance(les, dict) else les!r} != {sorted(LESSON_FIELDS)}")
                continue
            t = les["text"]
            if not isinstance(t, str) or len(t.split()) < 5:
                rep.err(lw, "text missing or too short")
                continue
            if t in texts:
                rep.err(lw, "duplicate lesson text")
            texts.add(t)
            if les["type"] not in TYPES:
                rep.err(lw, f"bad type {les['type']!r}")
            if les["type"] == "follow_up":
                if les["state"] not in STATES:
                    rep.err(lw, f"follow_up needs state open/done, got {les['state']!r}")
            elif les["state"] is not None:
                rep.err(lw, f"state must be null for type {les['type']}")
            sec = les["section"]
            if sec is not None and sec not in heads:
                rep.err(lw, f"section {sec!r} is not a heading of {p}")
            if re.match(r"^(it|this|that|they|these|those)\b", t.strip(), re.I):
                rep.warn(lw, "lesson starts with a bare pronoun")
            run = longest_shared_run(t, source)
            if run >= 12:
                rep.warn(lw, f"{run} consecutive words copied from the source")
    if not full:
        return rows, folds
    for kind, items in order.items():
        for i, (where, fold) in enumerate(items):
            want = "tune" if i % 2 == 0 else "test"
            if fold != want:
                rep.err(where, f"fold {fold} breaks tune/test alternation within kind {kind} (expected {want})")
    covered = {"/".join(p.split("/")[:2]) for p in seen}
    missing = sorted(repo_folders(root) - covered)
    if missing:
        rep.err(name, f"repo folders without a gold document: {missing}")
    if len(seen) < 48:
        rep.err(name, f"only {len(seen)} documents (need >= 48)")
    return rows, folds


def check_roles(root, path, gold_folds, rep):
    rows = load_jsonl(path, rep)
    name = os.path.basename(path)
    seen = set()
    doc_fold = {}
    for n, rec in rows:
        where = f"{name}:{n}"
        if not isinstance(rec, dict) or set(rec) != ROLE_FIELDS:
            rep.err(where, f"fields {sorted(rec) if isinstance(rec, dict) else rec!r} != {sorted(ROLE_FIELDS)}")
            continue
        p = rec["path"]
        if not isinstance(p, str) or not os.path.isfile(os.path.join(root, p)):
            rep.err(where, f"path does not exist: {p!r}")
            continue
        if rec["role"] not in ROLES:
            rep.err(where, f"bad role {rec['role']!r}")
        if rec["fold"] not in FOLDS:
            rep.err(where, f"bad fold {rec['fold']!r}")
        if not isinstance(rec["level"], int) or not 1 <= rec["level"] <= 6:
            rep.err(where, f"bad level {rec['level']!r}")
        key = (p, rec["heading"], rec["level"])
        if key in seen:
            rep.err(where, f"duplicate heading entry {key}")
        seen.add(key)
        hs = doc_headings(root, p)
        levels = [lv for lv, t in hs if t == rec["heading"]]
        if not levels:
            rep.err(where, f"heading {rec['heading']!r} not found in {p}")
        elif rec["level"] not in levels:
            rep.err(where, f"heading {rec['heading']!r} has level(s) {sorted(set(levels))}, not {rec['level']}")
        elif levels.count(rec["level"]) > 1:
            rep.warn(where, f"heading {rec['heading']!r} occurs {levels.count(rec['level'])}x at level {rec['level']}; role applies to all")
        if p in doc_fold and doc_fold[p] != rec["fold"]:
            rep.err(where, f"document {p} has headings in both folds")
        doc_fold.setdefault(p, rec["fold"])
        # A later blind fold's documents may carry heading roles of either fold: the heading
        # labels came first and judge section roles only, not lessons.
        if p in gold_folds and gold_folds[p] in FOLDS and gold_folds[p] != rec["fold"]:
            rep.err(where, f"fold {rec['fold']} differs from the gold file's fold {gold_folds[p]} for {p}")
    covered = {"/".join(p.split("/")[:2]) for p, _, _ in seen}
    missing = sorted(repo_folders(root) - covered)
    if missing:
        rep.err(name, f"repo folders without any labelled heading: {missing}")
    if len(seen) < 200:
        rep.err(name, f"only {len(seen)} headings (need >= 200)")
    return rows


def summary(gold_rows, role_rows):
    gold = [r for _, r in gold_rows if isinstance(r, dict)]
    roles = [r for _, r in role_rows if isinstance(r, dict)]
    print(f"gold documents: {len(gold)}")
    print("  by kind/fold:", dict(sorted(Counter((r['kind'], r['fold']) for r in gold).items())))
    print("  other-formats docs:", sum(1 for r in gold if r['path'].startswith('other-formats/')))
    print("  without lessons:", sum(1 for r in gold if not r['lessons']))
    lessons = [l for r in gold for l in r['lessons']]
    print(f"  lessons: {len(lessons)}", dict(Counter(l['type'] for l in lessons)))
    print("  follow_up states:", dict(Counter(l['state'] for l in lessons if l['type'] == 'follow_up')))
    print("  lessons with null section:", sum(1 for l in lessons if l['section'] is None))
    print(f"section roles: {len(roles)} headings in {len({r['path'] for r in roles})} documents")
    print("  by fold:", dict(Counter(r['fold'] for r in roles)))
    print("  by top folder:", dict(Counter(r['path'].split('/')[0] for r in roles)))
    print("  by role:", dict(Counter(r['role'] for r in roles).most_common()))


def paths_of(path):
    """Document paths of a gold file (empty when the file is absent)."""
    if not os.path.isfile(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {json.loads(ln)["path"] for ln in f if ln.strip()}


def check_no_repeats(rows, name, earlier, rep):
    """A blind fold's documents must not appear in any earlier gold file."""
    for n, rec in rows:
        if not isinstance(rec, dict):
            continue
        for other, paths in earlier.items():
            if rec.get("path") in paths:
                rep.err(f"{name}:{n}", f"path already in {other}: {rec['path']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.environ.get("CORPUS2_ROOT", "/work/shared/corpus2"))
    ap.add_argument("--gold", default=os.path.join(HERE, "corpus2_gold.jsonl"))
    ap.add_argument("--roles", default=os.path.join(HERE, "section_roles.jsonl"))
    ap.add_argument("--corpus1", default=os.environ.get("CORPUS1_ROOT"),
                    help="first corpus (default: 'corpus' beside the corpus2 root)")
    ap.add_argument("--gold3", default=os.path.join(HERE, "corpus_test3_gold.jsonl"))
    ap.add_argument("--gold4", default=os.path.join(HERE, "corpus_test4_gold.jsonl"))
    ap.add_argument("--gold5", default=os.path.join(HERE, "corpus_test5_gold.jsonl"))
    ap.add_argument("--gold6", default=os.path.join(HERE, "corpus_test6_gold.jsonl"))
    ap.add_argument("--gold7", default=os.path.join(HERE, "corpus_test7_gold.jsonl"))
    ap.add_argument("--gold8", default=os.path.join(HERE, "corpus_test8_gold.jsonl"))
    ap.add_argument("--gold9", default=os.path.join(HERE, "corpus_test9_gold.jsonl"))
    ap.add_argument("--gold10", default=os.path.join(HERE, "corpus_test10_gold.jsonl"))
    ap.add_argument("--gold11", default=os.path.join(HERE, "corpus_test11_gold.jsonl"))
    ap.add_argument("--written11", default=os.path.join(HERE, "written_test11_gold.jsonl"))
    ap.add_argument("--written12", default=os.path.join(HERE, "written_test12_gold.jsonl"))
    ap.add_argument("--written13", default=os.path.join(HERE, "written_test13_gold.jsonl"))
    ap.add_argument("--written14", default=os.path.join(HERE, "written_test14_gold.jsonl"))
    ap.add_argument("--written15", default=os.path.join(HERE, "written_test15_gold.jsonl"))
    ap.add_argument("--written16", default=os.path.join(HERE, "written_test16_gold.jsonl"))
    ap.add_argument("--written17", default=os.path.join(HERE, "written_test17_gold.jsonl"))
    ap.add_argument("--written18", default=os.path.join(HERE, "written_test18_gold.jsonl"))
    ap.add_argument("--written19", default=os.path.join(HERE, "written_test19_gold.jsonl"))
    ap.add_argument("--written20", default=os.path.join(HERE, "written_test20_gold.jsonl"))
    ap.add_argument("--written21", default=os.path.join(HERE, "written_test21_gold.jsonl"))
    ap.add_argument("--written22", default=os.path.join(HERE, "written_test22_gold.jsonl"))
    ap.add_argument("--written23", default=os.path.join(HERE, "written_test23_gold.jsonl"))
    ap.add_argument("--written24", default=os.path.join(HERE, "written_test24_gold.jsonl"))
    ap.add_argument("--written25", default=os.path.join(HERE, "written_test25_gold.jsonl"))
    ap.add_argument("--written-root", default=os.path.join(HERE, "written"))
    ap.add_argument("--quiet", action="store_true", help="do not print warnings")
    a = ap.parse_args()
    rep = Report()
    gold_rows, gold_folds = check_gold(a.corpus, a.gold, rep)
    role_rows = check_roles(a.corpus, a.roles, gold_folds, rep)
    summary(gold_rows, role_rows)
    corpus1 = a.corpus1 or os.path.join(os.path.dirname(os.path.abspath(a.corpus)), "corpus")
    old_gold = os.path.join(os.path.dirname(HERE), "extraction_gold.jsonl")
    # Each first-corpus blind fold must be disjoint from the gold files written before it.
    for fold, path, earlier_files in (("test3", a.gold3, (old_gold,)),
                                      ("test4", a.gold4, (old_gold, a.gold3, a.gold)),
                                      ("test5", a.gold5, (old_gold, a.gold3, a.gold, a.gold4)),
                                      ("test6", a.gold6, (old_gold, a.gold3, a.gold, a.gold4, a.gold5)),
                                      ("test7", a.gold7, (old_gold, a.gold3, a.gold, a.gold4, a.gold5,
                                                          a.gold6)),
                                      ("test8", a.gold8, (old_gold, a.gold3, a.gold, a.gold4, a.gold5,
                                                          a.gold6, a.gold7)),
                                      ("test9", a.gold9, (old_gold, a.gold3, a.gold, a.gold4, a.gold5,
                                                          a.gold6, a.gold7, a.gold8)),
                                      ("test10", a.gold10, (old_gold, a.gold3, a.gold, a.gold4, a.gold5,
                                                            a.gold6, a.gold7, a.gold8, a.gold9)),
                                      ("test11", a.gold11, (old_gold, a.gold3, a.gold, a.gold4, a.gold5,
                                                            a.gold6, a.gold7, a.gold8, a.gold9,
                                                            a.gold10))):
        if not os.path.isfile(path):
            continue
        rows, _ = check_gold(corpus1, path, rep, full=False, fold=fold)
        earlier = {os.path.basename(f): paths_of(f) for f in earlier_files}
        check_no_repeats(rows, os.path.basename(path), earlier, rep)
        recs = [r for _, r in rows if isinstance(r, dict)]
        lessons = [l for r in recs for l in r.get("lessons", []) if isinstance(l, dict)]
        print(f"first-corpus {fold} documents: {len(recs)}", dict(Counter(r.get('kind') for r in recs)))
        print(f"  lessons: {len(lessons)}", dict(Counter(l.get('type') for l in lessons)))
    # corpus2 rows of fold test10 must be new documents. Repeats inside corpus2_gold.jsonl are
    # caught by check_gold's duplicate-path check; this also guards against a first-corpus path
    # copied into the wrong file.
    test10_c2 = [(n, r) for n, r in gold_rows if isinstance(r, dict) and r.get("fold") == "test10"]
    earlier = {os.path.basename(f): paths_of(f) for f in (old_gold, a.gold3, a.gold4, a.gold5, a.gold6,
                                                        a.gold7, a.gold8, a.gold9, a.gold10)}
    check_no_repeats(test10_c2, os.path.basename(a.gold), earlier, rep)
    print(f"corpus2 test10 documents: {len(test10_c2)}")
    # Written documents of folds test11 to test25 live under written/, their own root. The
    # heading check of check_gold covers every format: headings() picks the .rst/.adoc/.html/.jira/.org
    # reader by suffix.
    written_paths = {}
    for fold, path in (("test11", a.written11), ("test12", a.written12), ("test13", a.written13),
                       ("test14", a.written14), ("test15", a.written15),
                       ("test16", a.written16), ("test17", a.written17),
                       ("test18", a.written18), ("test19", a.written19),
                       ("test20", a.written20), ("test21", a.written21),
                       ("test22", a.written22), ("test23", a.written23),
                       ("test24", a.written24), ("test25", a.written25)):
        if not os.path.isfile(path):
            continue
        name = os.path.basename(path)
        rows, _ = check_gold(a.written_root, path, rep, full=False, fold=fold)
        earlier = {os.path.basename(f): ps for f, ps in written_paths.items()}
        check_no_repeats(rows, name, earlier, rep)
        written_paths[path] = {r.get("path") for _, r in rows if isinstance(r, dict)}
        recs = [r for _, r in rows if isinstance(r, dict)]
        for n, r in rows:
            if not isinstance(r, dict):
                continue
            # test11-test13 hold postmortems only; test14 to test25 add runbooks/ and adrs/, whose
            # kind check_gold already matches to the folder.
            mixed = fold in ("test14", "test15", "test16", "test17", "test18", "test19", "test20",
                             "test21", "test22", "test23", "test24", "test25")
            allowed = {"postmortem", "runbook", "adr"} if mixed else {"postmortem"}
            top = str(r.get("path", "")).split("/")[0]
            if r.get("kind") not in allowed:
                rep.err(f"{name}:{n}", f"written {fold} documents are {sorted(allowed)}, got {r.get('kind')!r}")
            elif mixed and top not in ("postmortems", "runbooks", "adrs"):
                rep.err(f"{name}:{n}", f"written {fold} paths start with postmortems/, runbooks/ or adrs/")
            # A plain-text e-mail has no heading syntax, so md_headings would only find
            # accidental setext lines there: its lessons carry no section.
            if str(r.get("path", "")).endswith(".txt"):
                for i, les in enumerate(r.get("lessons") or []):
                    if isinstance(les, dict) and les.get("section") is not None:
                        rep.err(f"{name}:{n} lesson {i}", "lessons of a .txt document need a null section")
        lessons = [l for r in recs for l in r.get("lessons", []) if isinstance(l, dict)]
        print(f"written {fold} documents: {len(recs)}", dict(Counter(r.get('path', '').rsplit('.', 1)[-1] for r in recs)))
        print(f"  lessons: {len(lessons)}", dict(Counter(l.get('type') for l in lessons)))
    if not a.quiet:
        for w in rep.warnings:
            print(w)
    for e in rep.errors:
        print(e)
    print(f"{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
