"""Document HTML: the front-matter shift found from the records, records highlighted where they
come from, sections without a record listed, and markup sanitized."""

from __future__ import annotations

from api.web.ui.document import Cited, body_offset, context_lines, render

FRONT = "---\ntitle: Lease outage\ndate: 2025-01-01\nservices: [scanner]\n---\n"
BODY = (
    "# Lease outage\n\n## Summary\n\nScanners lost their leases.\n\n## Action Items\n\n"
    "- Renew scanner leases before half their lifetime has passed.\n"
    "- Alert when a lease renewal fails twice.\n\n## Timeline\n\n- 10:00 scanners stopped.\n"
)


def cited_in_file() -> list[Cited]:
    lines = (FRONT + BODY).split("\n")
    found = []
    for number, line in enumerate(lines, 1):
        if line.startswith("- Renew") or line.startswith("- Alert"):
            found.append(Cited(len(found) + 1, number, number, line[2:].rstrip(".") + "."))
    return found


def test_the_front_matter_shift_is_found_from_the_records() -> None:
    cited = cited_in_file()
    assert body_offset(BODY.split("\n"), cited) == FRONT.count("\n")
    assert body_offset(BODY.split("\n"), []) == 0
    lines = context_lines(BODY, cited[0], FRONT.count("\n"), around=1)
    assert [hit for _, _, hit in lines] == [False, True, False]
    assert lines[1][1].startswith("- Renew scanner leases") and lines[1][0] == cited[0].start


def test_records_are_highlighted_and_silent_sections_listed() -> None:
    cited = cited_in_file()
    rendered = render(BODY, cited, FRONT.count("\n"))
    assert rendered.html.count('class="rec"') == 2
    assert 'id="rec-1"' in rendered.html and 'id="rec-2"' in rendered.html
    assert [s.title for s in rendered.empty_sections] == ["Summary", "Timeline"]


def test_markup_is_sanitized() -> None:
    body = (
        "# T\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [a](javascript:alert(3))\n"
        '<a href="https://example.com" onclick="alert(4)">ok</a> <style>body{}</style>\n'
    )
    html = render(body, [], 0).html
    for bad in ("<script", "alert(1)", "onerror", 'href="javascript', "onclick", "<style"):
        assert bad not in html, bad
    assert 'href="https://example.com"' in html and "noopener" in html
