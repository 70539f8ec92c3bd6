"""Grid tables docutils rejects are read by their separators (``ingest/formats/rst_tables.py``)."""

from __future__ import annotations

from ingest.formats import rst

# the second row's text overflows its column by one character: docutils rejects the whole table
_PAGE = """\
Postmortem: broker outage
=========================

Action Items
------------

+--------------------------------------------+----------+-----------+
| Action Item                                | Priority | Bug       |
+============================================+==========+===========+
| Add backoff with jitter to the quota       | P0       | b/401122  |
| client                                     |          | **DONE**  |
+--------------------------------------------+----------+-----------+
| Enforce the bake time in the rollout tool (no override)| P1       | b/401130  |
+--------------------------------------------+----------+-----------+
"""

_GOOD = """\
Title
=====

+--------+-------+
| Region | Hosts |
+========+=======+
| eu     | 16    |
+--------+-------+
"""


def _markdown(text: str) -> str:
    return rst.convert(text.encode(), path="postmortems/broker.rst", text=text).markdown


def test_a_table_docutils_rejects_keeps_its_rows() -> None:
    md = _markdown(_PAGE)
    assert "- [x] Add backoff with jitter to the quota client" in md  # done by its Bug cell's mark
    assert "- [ ] Enforce the bake time in the rollout tool (no override)" in md


def test_a_table_docutils_reads_is_left_as_it_is() -> None:
    md = _markdown(_GOOD)
    assert "| Region | Hosts |" in md and "| eu | 16 |" in md
