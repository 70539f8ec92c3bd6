"""Jira XML exports, Confluence storage format, Jupyter notebooks, MediaWiki and DokuWiki."""

from __future__ import annotations

import json

import pytest

from ingest import formats
from ingest.formats import wiki_markup

MAX = 1_000_000

JIRA_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="0.92"><channel><title>Example Jira</title>
<item>
  <title>[OPS-7] Review: cache warmer stampede</title>
  <key>OPS-7</key><type>Post-incident review</type><status>Open</status>
  <labels><label>cache</label></labels>
  <description>&lt;h2&gt;Lessons&lt;/h2&gt;
&lt;ul&gt;&lt;li&gt;Warmers never start all at once after a deploy; they start in waves.&lt;/li&gt;&lt;/ul&gt;
</description>
  <customfields><customfield id="c1"><customfieldname>Root cause</customfieldname>
    <customfieldvalues><customfieldvalue><![CDATA[All warmers shared one start timer.]]></customfieldvalue>
    </customfieldvalues></customfield></customfields>
  <comments><comment id="1" author="ana" created="Mon, 2 Nov 2026 10:00:00 +0000">
    &lt;p&gt;Next time, page the cache owner before a restart.&lt;/p&gt;</comment></comments>
</item></channel></rss>
"""


def test_jira_xml_export_reads_description_fields_and_comments() -> None:
    [source] = formats.sources("pir/OPS-7.xml", JIRA_XML, max_bytes=MAX)
    assert source.format == "jira-xml"
    md = formats.convert(source).markdown
    assert "# [OPS-7] Review: cache warmer stampede" in md
    assert "- Warmers never start all at once after a deploy; they start in waves." in md
    assert "## Root cause\n\nAll warmers shared one start timer." in md
    assert "## Comments" in md and "Next time, page the cache owner before a restart." in md
    assert "key: OPS-7" in md and "- cache" in md


def test_xml_with_entities_is_refused_and_other_xml_skipped() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + JIRA_XML.split(b"?>", 1)[1]
    )
    [source] = formats.sources("evil.xml", evil, max_bytes=MAX)
    assert source.format == "jira-xml"
    with pytest.raises(Exception, match="document type declaration"):
        formats.convert(source)
    broken = JIRA_XML.replace(b"</item>", b"")
    [bad] = formats.sources("bad.xml", broken, max_bytes=MAX)
    with pytest.raises(Exception, match="not well-formed XML"):
        formats.convert(bad)
    [pom] = formats.sources("pom.xml", b"<project><version>1</version></project>", max_bytes=MAX)
    assert pom.skip and not pom.format


def test_confluence_storage_page_goes_through_the_html_reader() -> None:
    page = (
        b'<ac:confluence xmlns:ac="http://atlassian.com/content">'
        b"<h1>PIR: queue outage</h1><h2>Lessons</h2><ol><li>Queues are drained before a resize.</li></ol>"
        b"<ac:task-list><ac:task><ac:task-status>incomplete</ac:task-status>"
        b"<ac:task-body>Add a drain check to the resize job</ac:task-body></ac:task></ac:task-list>"
        b"</ac:confluence>"
    )
    [source] = formats.sources("space/page.xml", page, max_bytes=MAX)
    assert source.format == "confluence-storage"
    md = formats.convert(source).markdown
    assert "# PIR: queue outage" in md and "1. Queues are drained before a resize." in md
    assert "- [ ] Add a drain check to the resize job" in md


def _notebook(cells: list[dict[str, object]]) -> bytes:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}).encode()


def test_notebook_markdown_cells_and_code_comments() -> None:
    data = _notebook(
        [
            {
                "cell_type": "markdown",
                "source": ["# Rebuild the search index\n", "\n", "Use when hits drop."],
            },
            {
                "cell_type": "code",
                "source": "# Never run this cell twice: it drops the alias.\nindex.drop_alias()\n",
                "outputs": [{"text": "SECRET OUTPUT"}],
            },
        ]
    )
    [source] = formats.sources("runbooks/reindex.ipynb", data, max_bytes=MAX)
    md = formats.convert(source).markdown
    assert md.startswith("# Rebuild the search index")
    assert "Never run this cell twice: it drops the alias." in md
    assert "```python\nindex.drop_alias()" in md and "SECRET OUTPUT" not in md


@pytest.mark.parametrize(
    "data",
    [b"{not json", b'{"cells": []}', _notebook([{"cell_type": "code", "source": "x = 1\n"}])],
)
def test_bad_notebooks_fail_with_a_reason(data: bytes) -> None:
    [source] = formats.sources("n.ipynb", data, max_bytes=MAX)
    with pytest.raises(Exception, match="notebook"):
        formats.convert(source)


MEDIAWIKI = """{{Incident
| id = PIR-4
| owner = [[User:Ana|Ana]]
}}
__TOC__
== Lessons ==
# Backups are restored once a quarter, not only taken.
## A restore test names the ''oldest'' backup it read.
* '''Never''' delete a snapshot during an incident.

== Actions ==
{| class="wikitable"
! Action !! Owner
|-
| Add a restore drill || DBA
|}
"""


def test_mediawiki_source() -> None:
    [source] = formats.sources("wiki/PIR-4.mediawiki", MEDIAWIKI.encode(), max_bytes=MAX)
    assert source.format == "mediawiki"
    md = formats.convert(source).markdown
    assert "- Owner: Ana" in md and "__TOC__" not in md
    assert "## Lessons" in md and "1. Backups are restored once a quarter, not only taken." in md
    assert "   1. A restore test names the *oldest* backup it read." in md
    assert "- **Never** delete a snapshot during an incident." in md
    assert "| Action | Owner |\n| --- | --- |\n| Add a restore drill | DBA |" in md
    # the same source under MediaWiki's other extension; Jira wiki markup there stays Jira
    [wiki] = formats.sources("PIR-4.wiki", MEDIAWIKI.encode(), max_bytes=MAX)
    assert wiki.format == "mediawiki"
    [jira] = formats.sources("x.wiki", b"h1. Title\n\nh2. Lessons\n* one\n", max_bytes=MAX)
    assert jira.format == "jira-wiki"


DOKUWIKI = """====== Rotate the signing key ======

//Owner: platform//

===== Steps =====

  - Check ''keyctl list'' shows two keys.
  - Promote the new key.<code bash>
keyctl promote new
</code>
  * Never delete the old key the same day.

^ When ^ Who ^
| after promote | on-call |

<todo done @ana>Script the promotion</todo>
<todo>Alert on a key older than a year</todo>
"""


def test_dokuwiki_page() -> None:
    [source] = formats.sources("wiki/rotate.txt", DOKUWIKI.encode(), max_bytes=MAX)
    assert source.format == "dokuwiki"
    md = formats.convert(source).markdown
    assert md.startswith("# Rotate the signing key\n") and "## Steps" in md
    assert "1. Check `keyctl list` shows two keys." in md
    assert "```\nkeyctl promote new\n```" in md
    assert "- Never delete the old key the same day." in md
    assert "| When | Who |\n| --- | --- |\n| after promote | on-call |" in md
    assert "- [x] Script the promotion" in md and "- [ ] Alert on a key older than a year" in md


def test_plain_text_and_asciidoc_are_not_taken_for_wikis() -> None:
    assert not wiki_markup.looks_like_dokuwiki("= Title\n\n== Section\n\nText.\n")
    assert not wiki_markup.looks_like_mediawiki("Notes\n\nno headings here\n")
    [adoc] = formats.sources("a.adoc", b"= T\n\n== S\n\n* item\n", max_bytes=MAX)
    assert adoc.format == "asciidoc"
    # unclosed blocks do not crash
    assert "x" in wiki_markup.mediawiki_to_markdown("{|\n! a\n|-\n| x\n<pre>\ncode\n{{Box\n| a = 1\n")
    assert "y" in wiki_markup.dokuwiki_to_markdown("<code>\ny\n")


def test_html_mail_layout_tables_are_unwrapped_but_data_tables_kept() -> None:
    from ingest.formats.html import html_to_markdown

    mail = (
        '<html><body><table role="presentation"><tr><td><table><tr><td>'
        "<h1>An update on the outage</h1><p>We are sorry.</p><h2>What we changed</h2>"
        "<p>Payment files are compared with approved totals.</p>"
        "</td></tr></table></td></tr></table>"
        "<table><tr><th>Time</th><th>Event</th></tr><tr><td>02:14</td><td>Failover</td></tr></table>"
        "</body></html>"
    )
    md = html_to_markdown(mail, path="mail.html")
    assert "# An update on the outage" in md and "## What we changed" in md
    assert "Payment files are compared with approved totals." in md
    assert "| Time | Event |" in md and "| 02:14 | Failover |" in md


def test_textile_header_cells_and_code_in_the_wiki_reader() -> None:
    text = (
        "h1. Review\n\n|_. When |_. What |\n| 09:00 | restart |\n\n"
        "Check the @gw@ log; mail ops@example.org.\n"
    )
    [source] = formats.sources("wiki/review.textile", text.encode(), max_bytes=MAX)
    md = formats.convert(source).markdown
    assert "| When | What |\n| --- | --- |\n| 09:00 | restart |" in md
    assert "Check the `gw` log; mail ops@example.org." in md


def test_data_table_whose_cells_hold_paragraphs_stays_a_table() -> None:
    from ingest.formats.html import html_to_markdown

    page = (
        "<body><h1>A3</h1><table><tr><th><p>Cause</p></th><th><p>Counter-measure</p></th></tr>"
        "<tr><td><p>Disk full</p></td><td><ul><li>Prune images nightly</li></ul></td></tr></table></body>"
    )
    md = html_to_markdown(page, path="a3.html")
    assert "| Cause | Counter-measure |" in md
