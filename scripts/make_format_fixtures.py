"""Write the binary fixtures of tests/data/formats/: two Word documents and a Notion export zip.

The Word files are built with python-docx (a test-only dependency: the ``dev`` extra) with the
built-in heading styles, a table and a bulleted list, as a person writes them in Word; the Notion
export is a zip holding a part-zip, pages whose names carry 32-hex ids, and a CSV database, as
Notion's "Export > Markdown & CSV" writes it. The text is this project's own.

    .venv/bin/python scripts/make_format_fixtures.py      # rewrites the files in place
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "tests" / "data" / "formats"
FIXED_TIME = (2024, 5, 2, 9, 0, 0)  # zip entries dated, so a rebuild gives the same bytes


def _stable_docx(build: io.BytesIO) -> bytes:
    """The docx re-zipped with fixed timestamps, so rebuilding does not change the file."""
    src = zipfile.ZipFile(build)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                data = re.sub(
                    rb"<dcterms:modified[^>]*>[^<]*<",
                    b'<dcterms:modified xsi:type="dcterms:W3CDTF">2024-05-02T09:00:00Z<',
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED  # a bare ZipInfo would store it uncompressed
            dst.writestr(entry, data)
    return out.getvalue()


def postmortem_docx() -> bytes:
    import datetime

    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.title = "Incident review: search index served stale prices"
    props.created = datetime.datetime(2024, 4, 18, 10, 0, 0)
    props.keywords = "postmortem, search"
    doc.add_heading("Incident review: search index served stale prices", level=0)  # style "Title"
    doc.add_paragraph("Incident INC-4471, 16 April 2024. Authors: Mei Lin, Daniel Okafor.")
    doc.add_heading("Summary", level=1)
    doc.add_paragraph(
        "For six hours the product search showed prices from the previous day. Orders were charged "
        "the correct price, but 1,300 customers saw a different amount at checkout than in search and "
        "support received 212 complaints."
    )
    doc.add_heading("What happened", level=1)
    doc.add_paragraph(
        "The nightly reindex job failed at 02:10 when the price feed returned HTTP 503. The job exited "
        "with status zero, so the scheduler marked it successful and nobody was paged. The search "
        "cluster kept serving the index built the night before."
    )
    doc.add_heading("Contributing factors", level=2)
    doc.add_paragraph(
        "The reindex job swallowed the feed error and exited with status zero.", style="List Bullet"
    )
    doc.add_paragraph("Nothing watched the age of the live search index.", style="List Bullet")
    doc.add_heading("Lessons", level=1)
    doc.add_paragraph(
        "Batch jobs must exit with a non-zero status when any input feed fails, so the scheduler can "
        "retry them and page someone.",
        style="List Bullet",
    )
    doc.add_heading("Action items", level=1)
    table = doc.add_table(rows=1, cols=3)
    head = table.rows[0].cells
    head[0].text, head[1].text, head[2].text = "Action item", "Owner", "Status"
    rows = (
        ("Alert when the live search index is more than 26 hours old.", "Mei Lin", "Done"),
        ("Make the reindex job exit non-zero when the price feed request fails.", "Daniel Okafor", "Open"),
        ("Show the price-feed freshness on the search team dashboard.", "Mei Lin", "Open"),
    )
    for action, owner, status in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = action, owner, status
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_docx(buf)


def runbook_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = "Runbook: Postgres replica lag"
    doc.add_heading("Runbook: Postgres replica lag", level=1)
    doc.add_paragraph(
        "The alert PostgresReplicaLagHigh fires when a read replica of the orders database is more than "
        "60 seconds behind the primary. Reads served by that replica show old order states."
    )
    doc.add_heading("Diagnosis", level=2)
    doc.add_paragraph(
        "Check the lag on every replica with SELECT now() - pg_last_xact_replay_timestamp();",
        style="List Number",
    )
    doc.add_paragraph("Look for a long-running query on the replica that blocks replay.", style="List Number")
    doc.add_heading("Mitigation", level=2)
    doc.add_paragraph(
        "Take the lagging replica out of the read pool before you cancel anything on it.", style="List Number"
    )
    doc.add_paragraph(
        "Do not promote a replica that is more than five minutes behind: the orders written in that window "
        "would be lost.",
        style="List Number",
    )
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_docx(buf)


def notion_zip() -> bytes:
    page_id = "3f9a1c2b4d5e6f708192a3b4c5d6e7f8"
    db_id = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    child_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    page = f"""# DNS outage of 7 February

Status: Resolved
Severity: SEV-1
Date: February 7, 2024

## Summary

For 47 minutes every internal service failed to resolve names under corp.internal after a change to the
resolver forwarding rules was applied to all regions at once. Customer traffic was not affected, but
deploys, CI and the VPN stopped working.

## What went wrong

- The forwarding change was pushed to every region in one apply instead of one region first.
- The change had no automated check that a known name still resolved after it.

## Follow-up

See [Action items](DNS%20outage%20of%207%20February%20{page_id}/Action%20items%20{db_id}.csv) and the
[resolver design notes](DNS%20outage%20of%207%20February%20{page_id}/Resolver%20notes%20{child_id}.md).
"""
    child = """# Resolver notes

Keep the forwarding rules for corp.internal in the same change as the resolver version, so the two
cannot drift apart.

Always apply resolver changes to one region first and wait fifteen minutes before the others.
"""
    csv = (
        "Action,Owner,Status,Due\n"
        "Roll out resolver changes one region at a time with a 15-minute pause,Lena Fischer,Done,"
        '"February 14, 2024"\n'
        "Add a synthetic check that resolves vault.corp.internal from every region every minute,Omar Haddad,"
        'In progress,"March 1, 2024"\n'
    )
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        folder = "Incidents 7d1e0c5a9b2f4e3d8c6a1b0f9e8d7c6b/"
        z.writestr(zipfile.ZipInfo(f"{folder}DNS outage of 7 February {page_id}.md", FIXED_TIME), page)
        sub = f"{folder}DNS outage of 7 February {page_id}/"
        z.writestr(zipfile.ZipInfo(f"{sub}Action items {db_id}.csv", FIXED_TIME), csv)
        z.writestr(zipfile.ZipInfo(f"{sub}Resolver notes {child_id}.md", FIXED_TIME), child)
        z.writestr(zipfile.ZipInfo(f"{sub}diagram.png", FIXED_TIME), b"\x89PNG\r\n\x1a\n" + bytes(64))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as z:
        name = "Export-5c2e9d1a-7b3f-4e8a-9c0d-1f2e3d4c5b6a-Part-1.zip"
        z.writestr(zipfile.ZipInfo(name, FIXED_TIME), inner.getvalue())
    return outer.getvalue()


def main() -> None:
    (ROOT / "docx").mkdir(parents=True, exist_ok=True)
    (ROOT / "notion").mkdir(parents=True, exist_ok=True)
    (ROOT / "docx" / "incident-review-stale-search-prices.docx").write_bytes(postmortem_docx())
    (ROOT / "docx" / "runbook-postgres-replica-lag.docx").write_bytes(runbook_docx())
    (ROOT / "notion" / "notion-export.zip").write_bytes(notion_zip())
    print(
        "wrote",
        *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.*") if p.suffix in (".docx", ".zip")),
    )


if __name__ == "__main__":
    main()
