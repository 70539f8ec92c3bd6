"""Reports in LaTeX, runbooks kept as Ansible playbooks and retro boards exported as CSV (round
twenty-nine); other YAML and CSV stay skipped."""

from __future__ import annotations

from ingest.formats import board_csv, convert, handles, latex, playbook, sources
from ingest.loader import parse_file

REPORT = r"""\documentclass{article}
\newcommand{\yes}{$\boxtimes$}
\newcommand{\no}{$\square$}
\title{Review 12:\\Lost uploads on the media store}
\begin{document}
\maketitle
\begin{abstract}
Uploads made during a failover were written to the old primary and lost.
\end{abstract}
\section{What happened}
The failover script promoted the replica but clients kept the old address for 40~minutes.
\section{Lessons}
\begin{itemize}[nosep]
  \item Clients must resolve the primary through the service name, never a cached address.
  \item Before a failover, lower the record's TTL to 30\,s.
\end{itemize}
\section{Actions}
\begin{tabular}{@{}lll@{}}
\toprule
 & Action & Owner \\
\midrule
\yes & Drop the cached address from the \texttt{upload} client & Mira \\
\no & Alert on writes to a demoted primary & Ops \\
\bottomrule
\end{tabular}
\end{document}
"""

PLAYBOOK = """\
# Runbook: rotate the TLS certificates of the edge proxies, one proxy at a time.
# Owner: Edge team. The task names below are the steps; read every comment first.
#
# Rules for whoever runs this playbook:
#   - Never rotate more than one proxy at once; the pool must keep two healthy members.
#   - Do not run it on a Friday afternoon or during a sales event of any kind.
#   - Run it with --check against the staging proxies in the same change window first.

- name: Rotate edge certificates
  hosts: edge_proxies
  serial: 1
  tasks:
    - name: "Step 1 - Take the proxy out of the load balancer pool"
      ansible.builtin.command: lbctl drain {{ inventory_hostname }}
      # Wait until open connections drop below ten before going on.

    - name: Copy the new certificate and key into place
      ansible.builtin.copy:
        src: certs/edge.pem
        dest: /etc/proxy/edge.pem

# TODO  EDGE-12  Check certificate expiry dates before the play starts
# DONE  EDGE-9   Keep private keys in the vault, not the repository
"""

MANIFEST = """\
# the web deployment, applied by CI
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
"""

BOARD = """\
Board,Column,Card,Votes,Owner,Status
Retro: cache stampede,Went well,Paging worked within two minutes,3,,
Retro: cache stampede,Learnings,Cache refills must be spread with jitter so keys never expire together,7,,
Retro: cache stampede,Action items,Add jitter to the refill timer,0,Ana,Done
Retro: cache stampede,Action items,Alert on a cache hit rate drop,0,Bo,In progress
"""

DATA = """\
date,region,requests,errors
2026-01-01,eu,1200,3
2026-01-02,eu,1300,1
"""


def test_new_suffixes_are_handled() -> None:
    assert handles("reports/review.tex") and handles("boards/retro.csv")
    assert latex.looks_like_latex(REPORT)


def test_latex_sections_lists_and_boxed_tables() -> None:
    md = latex.to_markdown(REPORT)
    assert md.startswith("# Review 12: Lost uploads on the media store\n")
    assert "## Abstract" in md and "## Lessons" in md
    assert "- Clients must resolve the primary through the service name, never a cached address." in md
    assert "- Before a failover, lower the record's TTL to 30 s." in md
    assert "40 minutes" in md
    assert "- [x] Drop the cached address from the `upload` client (Owner: Mira)" in md
    assert "- [ ] Alert on writes to a demoted primary (Owner: Ops)" in md
    assert "\\" not in md


def test_latex_report_is_parsed_with_its_lessons() -> None:
    drafts = dict(parse_file("postmortems/review-12.tex", REPORT.encode()))
    draft = drafts["postmortems/review-12.tex"]
    assert draft.title.startswith("Review 12")
    texts = [c.statement for c in draft.constraints]
    assert any("service name" in t for t in texts)
    assert any("demoted primary" in t for t in texts)


def test_playbook_task_names_are_steps_and_comments_the_rules() -> None:
    assert playbook.is_playbook([{"hosts": "all", "tasks": []}])
    assert not playbook.is_playbook({"apiVersion": "v1"})
    assert not playbook.is_playbook([{"name": "x", "image": "y"}])  # a list, but not of plays
    md = playbook.convert(PLAYBOOK).markdown
    assert "1. Take the proxy out of the load balancer pool" in md
    assert "   Wait until open connections drop below ten before going on." in md
    assert "2. Copy the new certificate and key into place" in md
    assert "Rotate edge certificates" not in md  # a play's name is not a step
    assert "- [x] EDGE-9   Keep private keys in the vault, not the repository" in md
    assert "dest:" not in md
    (source,) = sources("ops/rotate.yml", PLAYBOOK.encode(), max_bytes=1 << 20)
    assert source.format == "ansible-playbook"


def test_other_yaml_and_a_bare_playbook_stay_skipped() -> None:
    (manifest,) = sources("deploy/web.yaml", MANIFEST.encode(), max_bytes=1 << 20)
    assert manifest.skip and not manifest.format
    bare = "- hosts: all\n  tasks:\n    - name: ping\n      ansible.builtin.ping:\n"
    (source,) = sources("site.yml", bare.encode(), max_bytes=1 << 20)
    assert source.skip and "playbook" in source.skip


def test_board_csv_columns_become_sections_and_actions_tasks() -> None:
    assert board_csv.is_board(BOARD) and not board_csv.is_board(DATA)
    (source,) = sources("retros/stampede.csv", BOARD.encode(), max_bytes=1 << 20)
    assert source.format == "board-csv"
    md = convert(source).markdown
    assert md.startswith("# Retro: cache stampede\n")
    assert "## Learnings" in md
    assert "- [x] Add jitter to the refill timer (owner: Ana)" in md
    assert "- [ ] Alert on a cache hit rate drop (owner: Bo)" in md


def test_data_csv_is_skipped_with_a_reason() -> None:
    (source,) = sources("metrics/requests.csv", DATA.encode(), max_bytes=1 << 20)
    assert source.skip and "CSV" in source.skip and not source.format


RFD = """\
= RFD 7 Shorter sessions

== Determinations

. Sessions expire after eight hours of inactivity.

== Open questions and follow-up work

[cols="3,1,1"]
|===
|Item |Owner |State

|Shorten the refresh token lifetime
|Identity team
|Done

|Measure how often users sign in again
|Web team
|Open
|===
"""


def test_asciidoc_table_written_a_cell_a_line_stays_one_table() -> None:
    from ingest.formats import asciidoc

    md = asciidoc.convert(RFD.encode(), path="adrs/rfd-7.adoc", text=RFD).markdown
    assert len(md.split("\n")) == len(RFD.split("\n"))  # lines after the table keep their numbers
    assert "- [x] Shorten the refresh token lifetime" in md
    assert "- [ ] Measure how often users sign in again" in md


def test_item_owner_state_table_is_work_owed() -> None:
    from ingest.formats.html import action_columns

    assert action_columns(["Item", "Owner", "State"]) == (0, 2)
    assert action_columns(["Item", "Price"]) is None  # no owner nor state: not a list of work


def test_open_questions_with_follow_up_work_is_not_skipped() -> None:
    from ingest.extract.candidate import known_role

    assert known_role("Open questions", "adr") == "skip"
    assert known_role("Open questions and follow-up work", "adr") != "skip"


def test_asciidoc_plain_table_rows_stay_together() -> None:
    from ingest.formats import asciidoc

    text = "= Costs\n\n|===\n|Option |Cost\n\n|Keep\n|low\n\n|Move\n|high\n|===\n\nAfter.\n"
    md = asciidoc.convert(text.encode(), path="adrs/costs.adoc", text=text).markdown
    assert "| Keep | low |\n| Move | high |" in md
    assert md.split("\n").index("After.") == text.split("\n").index("After.")
