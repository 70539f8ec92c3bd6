"""ADR register entries in YAML and documents kept in source files' doc comments."""

from __future__ import annotations

from ingest import formats
from ingest.formats import doc_comments, register_yaml

REGISTER = b"""# register entry, generated page
id: ADR-9
title: Queue workers read one tenant at a time
status: accepted
date: 2025-02-03
context: >
  Large tenants starved small ones when every worker took the oldest job first.
decision: >
  Workers pick the next job from the tenant furthest below its share.
rules:
  - A tenant share above eight needs its own decision record.
consequences:
  negative:
    - Job selection costs one more query per job.
actions:
  - task: Add the share column to the jobs table
    state: done
  - task: Alert when one tenant waits over ten minutes
    state: open
"""


def test_register_entry_reads_as_an_adr() -> None:
    [source] = formats.sources("adr/ADR-9.yaml", REGISTER, max_bytes=1_000_000)
    assert source.format == "adr-register"
    md = formats.convert(source).markdown
    assert "# ADR-9: Queue workers read one tenant at a time" in md
    assert "## Decision\n\nWorkers pick the next job" in md
    assert "## Rules\n\n- A tenant share above eight" in md
    assert "### Negative\n\n- Job selection costs" in md
    assert "- [x] Add the share column to the jobs table" in md
    assert "- [ ] Alert when one tenant waits over ten minutes" in md
    assert "status: accepted" in md.split("---")[1]


def test_other_yaml_and_broken_yaml_are_skipped() -> None:
    for data in (b"title: x\nimage: nginx\n", b"decision: [unclosed\n", b"- a\n- b\n"):
        [source] = formats.sources("conf.yaml", data, max_bytes=1_000_000)
        assert source.format == "" and source.skip
    assert not register_yaml.is_register_entry({"decision": "no title or id"})


JAVA = b"""/*
 * Copyright 2025 Example Ltd. All rights reserved.
 */

/**
 * Client for the billing ledger, and the decision that shapes it.
 *
 * <h2>ADR-3: one writer for the ledger</h2>
 *
 * <p><b>Context.</b> Two services wrote ledger rows and each retried on its own, so some
 * payments were posted twice before anyone noticed the drift in the daily totals.
 *
 * <p><b>Decision.</b> Only {@link LedgerWriter} writes ledger rows, with a key derived from
 * the payment id so a retry never posts twice.
 *
 * <h3>Rules</h3>
 * <ul>
 *   <li>Other services never write to the {@code ledger} table directly, even in a backfill
 *       or a data fix run by hand.</li>
 * </ul>
 * @see <a href="https://wiki.example/adr-3">discussion</a>
 */
package example.ledger;

// TODO(LED-12): build check that fails on direct ledger writes.
// DONE(LED-9): retry loop removed from the payments service.
"""


def test_javadoc_package_comment_reads_as_a_document() -> None:
    [source] = formats.sources("src/example/ledger/package-info.java", JAVA, max_bytes=1_000_000)
    assert source.format == "doc-comments"
    md = formats.convert(source).markdown
    assert md.startswith("# ADR-3: one writer for the ledger\n")
    assert "Copyright" not in md and "@see" not in md
    assert "### Decision\n\nOnly LedgerWriter writes ledger rows" in md
    assert "- Other services never write to the `ledger` table directly" in md
    assert "- [ ] build check that fails on direct ledger writes." in md
    assert "- [x] retry loop removed from the payments service." in md


def test_code_without_prose_is_skipped_not_failed() -> None:
    code = b"package x;\n// helper\npublic class A { /* tiny */ int b = 1; }\n"
    [source] = formats.sources("src/A.java", code, max_bytes=1_000_000)
    assert source.skip and not source.error
    [broken] = formats.sources("src/B.go", b"\x00\x01binary", max_bytes=1_000_000)
    assert broken.error and not broken.format
    assert formats.handles("doc.go") and not doc_comments.is_document("// one line\n")


def test_go_package_comment_headings_and_lists() -> None:
    words = " ".join(["Operators restart the relay only after draining its queue first."] * 8)
    src = f"// Package relay forwards events.\n//\n// # Rules\n//\n// {words}\npackage relay\n"
    md = doc_comments.to_markdown(src)
    assert md.startswith("# Rules\n") or "## Rules" in md
    assert "Operators restart the relay" in md


def test_function_comments_below_the_package_line_do_not_make_a_document() -> None:
    doc = "// Fetch reads the record and retries twice on a timeout before it gives up.\n" * 12
    src = f"package store\n\n{doc}func Fetch() {{}}\n"
    assert not doc_comments.is_document(src)
    [source] = formats.sources("store/fetch.go", src.encode(), max_bytes=1_000_000)
    assert source.skip
