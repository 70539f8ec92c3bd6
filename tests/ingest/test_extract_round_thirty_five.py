# ruff: noqa: E501  (Markdown tables are one line a row)
"""Round thirty-five: an e-mail saved as .eml (transport headers with folded lines, body read as
plain text, run-in section names, DONE/TODO follow-up items, the sign-off left out); a runbook's
decision table with "What the log says", "Do this" and "Don't" columns."""

from __future__ import annotations

import base64

from ingest.formats import Source, convert, detect, mail, plain_text
from ingest.parser import parse_document


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in doc.constraints]


MAIL = """\
Return-Path: <a.lind@example.com>
Received: from mx1.example.net (mx1.example.net [192.0.2.1])
        by mx.example.com with ESMTPS id 1a2b3c
        for <eng@example.com>; Mon, 2 Mar 2026 10:00:00 +0000
From: Ana Lind <a.lind@example.com>
To: eng@example.com
Subject: Incident summary: queue consumers stalled
Date: Mon, 2 Mar 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Hi all,

What happened
On Friday the order queue consumers stalled for two hours because the broker
certificate expired and every consumer reconnect failed with a TLS error.

What we take away from it
1. Broker certificates are renewed by the certificate operator, never by hand,
   because a hand-made certificate has no renewal.

Follow-ups
- DONE  move the broker certificate to the certificate operator (Bo, OPS-12)
- TODO  alert 14 days before any broker certificate expires (Ana, OPS-13)

Thanks to the on-call team for the fast fix.

Ana

--
Ana Lind
"""


def test_eml_is_read_as_mail_and_headers_are_dropped() -> None:
    assert detect("summary.eml", MAIL.encode()) == "email"
    out = mail.convert(MAIL).markdown.split("\n")
    assert out[0] == "# Incident summary: queue consumers stalled"
    assert len(out) == len(MAIL.split("\n"))  # each body line stays on its line
    assert not any("Received" in line or "ESMTPS" in line for line in out)
    assert "## What happened" in out and "## Follow-ups" in out
    assert "- [x] move the broker certificate to the certificate operator (Bo, OPS-12)" in out
    assert "- [ ] alert 14 days before any broker certificate expires (Ana, OPS-13)" in out
    assert not any("Thanks to the on-call" in line or "Ana Lind" in line for line in out)


def test_eml_lessons_are_read_from_the_body() -> None:
    converted = convert(Source("summary.eml", MAIL.encode(), "email"))
    doc = parse_document(converted.markdown, path="summary.eml", sha256="0" * 64)
    statements = " ".join(c.statement for c in doc.constraints)
    assert "certificate operator" in statements
    assert "14 days" in statements
    assert "on-call team for the fast fix" not in statements


def test_encoded_mail_body_is_decoded() -> None:
    body = "What happened\nThe nightly export job failed for three nights because its token expired.\n"
    encoded = base64.b64encode(body.encode()).decode()
    text = (
        "From: a@example.com\nSubject: Export failures\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n"
    )
    markdown = mail.convert(text).markdown
    assert markdown.startswith("# Export failures")
    assert "## What happened" in markdown and "token expired" in markdown


def test_text_without_mail_headers_is_plain_text() -> None:
    assert mail.header_lines(["Status: draft", "", "Body"]) == 0  # one line is no header block
    assert (
        mail.convert("Notes\n\nSome text here.\n").markdown
        == plain_text.convert("Notes\n\nSome text here.\n").markdown
    )


def test_run_in_section_name_needs_a_long_line_or_a_list_under_it() -> None:
    heading = plain_text.to_markdown(
        "Intro.\n\nCause\nThe certificate expired at midnight and nobody was paged about it.\n"
    )
    assert "## Cause" in heading
    listed = plain_text.to_markdown("Intro.\n\nHow we fixed it\n- renewed the certificate\n")
    assert "## How we fixed it" in listed
    # a short line over a short one is an address or a name, not a section
    plain = plain_text.to_markdown("Intro.\n\nAna Lind\nEngineering Manager\n")
    assert "##" not in plain


DECISION_TABLE = """\
# Runbook: ExportJobFailed

## Decision table

| What the log says | Likely cause | Do this | Don't |
|---|---|---|---|
| `token expired` | the service token was rotated | Pull the current token from the vault and re-run the job. | Don't create a new service account — its grants are reviewed once a year. |
| `disk full` | the spool filled up | Clear the spool with `export-clean`, then re-run. | Don't delete the spool while a job is running. |
"""


def test_decision_table_reads_do_this_and_dont_columns() -> None:
    records = _records(DECISION_TABLE, "runbooks/export-job-failed.md")
    statements = [s for s, _, _ in records]
    assert any(s.startswith("If token expired, pull the current token") for s in statements)
    assert any(s.startswith("Don't delete the spool while a job is running") for s in statements)
    rules = [s for s, t, _ in records if t == "constraint"]
    assert any("spool" in s for s in rules)
