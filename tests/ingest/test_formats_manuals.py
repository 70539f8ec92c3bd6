"""Man pages (troff -man) and Texinfo manuals as Markdown."""

from __future__ import annotations

from ingest import formats
from ingest.formats import manuals

MAX = 1_000_000

MAN = rb""".\" cachectl-flush.8, ops manual
.TH CACHECTL-FLUSH 8 "2026-01-02" "cachectl 2" "Ops"
.SH NAME
cachectl\-flush \- empty one cache tier safely
.SH OPTIONS
.TP
.B \-\-tier
The tier to flush. Never the origin tier.
.SH PROCEDURE
.IP 1. 4
Drain traffic with
.B cachectl drain
first.
.IP 2. 4
Flush, then watch the hit rate.
.SH EXAMPLE
.nf
cachectl flush \-\-tier edge
.fi
"""


def test_man_page() -> None:
    [source] = formats.sources("man/cachectl-flush.8", MAN, max_bytes=MAX)
    assert source.format == "man"
    md = formats.convert(source).markdown
    assert md.startswith("# cachectl-flush - empty one cache tier safely\n")
    assert "## Procedure" in md and "cachectl.8" not in md and '.\\"' not in md
    assert "1. Drain traffic with **cachectl drain** first." in md
    assert "2. Flush, then watch the hit rate." in md
    assert "The tier to flush. Never the origin tier." in md
    assert "```\ncachectl flush --tier edge\n```" in md


def test_numbered_file_that_is_not_a_man_page_stays_text() -> None:
    [source] = formats.sources("notes/release-2026.1", b"Release notes\n\nNothing here.\n", max_bytes=MAX)
    assert source.format != "man"
    assert manuals.man_to_markdown(".TH X 1\n.nf\nunclosed").endswith("```\n")


TEXI = b"""@c -*-texinfo-*-
@node Failover
@chapter Failing over the queue
@cindex failover

@strong{Warning:} the standby lags by up to a minute.

@menu
* Steps::
@end menu

@section Steps
@enumerate
@item
Stop the producers with @code{qctl pause}.
@item
Promote the standby.
@end enumerate

@table @asis
@item Lag alarm
It pages nobody yet (OPS-9, open).
@end table

@quotation Note
Never promote both nodes.
@end quotation

@example
qctl promote standby
@end example
"""


def test_texinfo_chapter() -> None:
    [source] = formats.sources("manual/queue.texi", TEXI, max_bytes=MAX)
    assert source.format == "texinfo"
    md = formats.convert(source).markdown
    assert md.startswith("# Failing over the queue\n")
    assert "**Warning:** the standby lags by up to a minute." in md
    assert "Steps::" not in md and "failover" not in md.split("\n", 2)[1]
    assert "## Steps" in md and "1. Stop the producers with `qctl pause`." in md
    assert "- **Lag alarm**: It pages nobody yet (OPS-9, open)." in md
    assert "> **Note:**\n> Never promote both nodes." in md
    assert "```\nqctl promote standby\n```" in md


def test_unclosed_texinfo_blocks_do_not_crash() -> None:
    md = manuals.texinfo_to_markdown("@chapter T\n@example\ncode\n@itemize\n@item x\n")
    assert md.startswith("# T") and "code" in md


def test_rotated_logs_are_not_taken_for_man_pages() -> None:
    assert formats.handles("zonectl-rollback.8")
    assert not formats.handles("app.log.1") and not formats.handles("2026.1")
