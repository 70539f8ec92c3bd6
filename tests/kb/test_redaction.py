# ruff: noqa: E501  (the planted postmortem keeps its long Markdown lines)
"""Redaction: the planted set's thresholds, the rules' edges, settings, and every place a secret
could come back from (SQLite file, list/query/context/export, logs), with the real CLI."""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.embedding.fake import HashingEmbedder
from kb.safety.redaction import RedactionPolicy, find_secrets, luhn_ok, redact_text
from kb.safety.sanitize import sanitize_draft
from kb.service import KnowledgeBase
from kb.settings import Settings

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import redaction_eval  # noqa: E402

# Fake values in the planted set's formats (none ever issued).
PLANTED = {
    "AKIAC26TTP2KFTTOL3YX": "aws-access-key",
    "ghp_8uNkqseTISWFylNoKGFqqaICflQ1ZlZCqDPf": "github-token",
    "xoxb-862246617611-9379836784619-0IRbIPITLk0nMO8oDiYjZWQF": "slack-token",
    "CvMq8JuFc9dujUoHL7": "password-in-url",
    "priya.sato@gmx.de": "email",
    "+44 7700 900256": "phone",
    "4893278065403507": "credit-card",
    "85.150.65.213": "ipv4",
}

POSTMORTEM = """---
title: Leaked deploy credentials in the checkout runbook
date: 2024-05-02
services:
  - checkout
---

# Leaked deploy credentials in the checkout runbook

- **Impact**: the AWS key AKIAC26TTP2KFTTOL3YX and the token ghp_8uNkqseTISWFylNoKGFqqaICflQ1ZlZCqDPf
  were pasted into the public incident channel by priya.sato@gmx.de; the duty manager on
  +44 7700 900256 rotated them. The attacker came from 85.150.65.213.
- **Root cause**: `DATABASE_URL=postgres://app_rw:CvMq8JuFc9dujUoHL7@pg-1.internal:5432/orders` sat in
  the runbook; a card number 4893278065403507 was in a debug log with
  `SLACK_BOT_TOKEN=xoxb-862246617611-9379836784619-0IRbIPITLk0nMO8oDiYjZWQF`.

## Action items

- Never paste credentials such as AKIAC26TTP2KFTTOL3YX into chat; rotate every key that was shown, because chat history is searchable by every member.
- Store database passwords in Vault instead of postgres://app_rw:CvMq8JuFc9dujUoHL7@pg-1.internal:5432/orders connection strings, because runbooks are copied everywhere.
"""


# --- the planted set -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scores() -> dict[str, redaction_eval.FoldScore]:
    """The tuning folds (every fold but the held-out one)."""
    return redaction_eval.evaluate(folds=redaction_eval.TUNING_FOLDS)


def test_test_fold_holds_what_was_measured(scores: dict[str, redaction_eval.FoldScore]) -> None:
    """The old test fold, now tuning data (it was looked at and tuned on): 130/130, 42/42, 171/171
    since 733b946; the floors are those of its last blind reading (128/130, 42/42, precision 0.97)."""
    test = scores["test"]
    assert test.total["secret"] == 130 and test.total["personal"] == 42 and test.negatives == 171
    assert test.recall("secret") >= 0.98, test.summary()
    assert test.recall("personal") >= 0.95, test.summary()
    assert test.precision >= 0.9, test.summary()


@dataclass(frozen=True)
class FoldFloor:
    """What a planted fold holds now: its size (secret and personal positives, look-alikes) and the
    least the redactor must still find, the most look-alikes it may touch, and the least found values
    whose line is otherwise unchanged (``exact``)."""

    fold: str
    secret_rows: int
    personal_rows: int
    negative_rows: int
    secrets: int
    personal: int
    false_positives: int
    exact: int = 0


# test2 to test65 were each written blind, committed before the redactor ran on them, read once
# (the first readings are in tests/data/redaction/README.md), then tuned on: these are the tuned
# floors. A floor below its fold's size is a labelling disagreement or a miss kept on purpose,
# explained in the README (test6, test8, test9, test11, test12, test18; test31, test33, test34,
# test35 and test36 keep a Twilio account SID their writers called public redacted on purpose;
# test37 labels ``B2_APPLICATION_KEY_ID=`` an id where test19 labels the same line a secret; test39
# labels a PostgreSQL md5 verifier a hash, which stays redacted because md5 authentication accepts it;
# test40 labels a Twilio API key SID ``SK…`` an id where eighteen earlier folds label ``SK…`` secrets;
# test41 labels both Twilio SIDs, ``AC…`` and ``SK…``, ids; test43, test44 and test45 label a Twilio
# account SID an id; test45 labels ``B2_APPLICATION_KEY_ID=`` an id, as test37 does; test28 labels
# two Junos ``$9$`` RADIUS/TACACS+ secrets kept "encrypted values" where test47 labels the same
# position a secret: ``$9$`` is reversible, like Cisco type 7, so round 44 redacts them; test48
# labels a Twilio account SID an id, as test43 to test45 do; test62 labels a Twilio account SID an id,
# kept redacted as round 28 decided).
FOLD_FLOORS = (
    FoldFloor("test2", 148, 48, 159, secrets=148, personal=48, false_positives=0, exact=0),
    FoldFloor("test3", 132, 43, 132, secrets=132, personal=43, false_positives=0, exact=0),
    FoldFloor("test4", 212, 54, 228, secrets=212, personal=54, false_positives=0, exact=0),
    FoldFloor("test5", 204, 52, 208, secrets=204, personal=52, false_positives=0, exact=0),
    FoldFloor("test6", 204, 50, 206, secrets=202, personal=50, false_positives=0, exact=0),
    FoldFloor("test7", 210, 56, 208, secrets=210, personal=56, false_positives=0, exact=0),
    FoldFloor("test8", 242, 50, 206, secrets=235, personal=50, false_positives=0, exact=0),
    FoldFloor("test9", 202, 56, 208, secrets=197, personal=56, false_positives=1, exact=0),
    FoldFloor("test10", 201, 60, 206, secrets=201, personal=60, false_positives=0, exact=261),
    FoldFloor("test11", 254, 65, 218, secrets=253, personal=65, false_positives=1, exact=316),
    FoldFloor("test12", 256, 73, 268, secrets=255, personal=73, false_positives=0, exact=325),
    FoldFloor("test13", 290, 73, 267, secrets=290, personal=73, false_positives=0, exact=359),
    FoldFloor("test14", 276, 73, 231, secrets=276, personal=73, false_positives=0, exact=346),
    FoldFloor("test15", 264, 76, 226, secrets=264, personal=76, false_positives=0, exact=334),
    FoldFloor("test16", 255, 72, 232, secrets=255, personal=72, false_positives=0, exact=319),
    FoldFloor("test17", 266, 68, 227, secrets=266, personal=68, false_positives=0, exact=325),
    FoldFloor("test18", 269, 67, 258, secrets=268, personal=67, false_positives=0, exact=329),
    FoldFloor("test19", 279, 73, 290, secrets=279, personal=73, false_positives=0, exact=345),
    FoldFloor("test20", 276, 77, 284, secrets=276, personal=77, false_positives=0, exact=347),
    FoldFloor("test21", 270, 74, 283, secrets=270, personal=74, false_positives=0, exact=341),
    FoldFloor("test22", 150, 40, 151, secrets=150, personal=40, false_positives=0, exact=189),
    FoldFloor("test23", 156, 44, 163, secrets=156, personal=44, false_positives=0, exact=198),
    FoldFloor("test24", 156, 42, 158, secrets=156, personal=42, false_positives=0, exact=197),
    FoldFloor("test25", 133, 36, 129, secrets=133, personal=36, false_positives=0, exact=167),
    FoldFloor("test26", 142, 41, 129, secrets=142, personal=41, false_positives=0, exact=183),
    FoldFloor("test27", 136, 40, 125, secrets=136, personal=40, false_positives=0, exact=176),
    FoldFloor("test28", 135, 40, 125, secrets=135, personal=40, false_positives=2, exact=174),
    FoldFloor("test29", 115, 29, 107, secrets=115, personal=29, false_positives=0, exact=144),
    FoldFloor("test30", 137, 30, 130, secrets=137, personal=30, false_positives=0, exact=164),
    FoldFloor("test31", 162, 33, 136, secrets=162, personal=33, false_positives=1, exact=190),
    FoldFloor("test32", 172, 31, 136, secrets=172, personal=31, false_positives=0, exact=200),
    FoldFloor("test33", 159, 31, 135, secrets=159, personal=31, false_positives=1, exact=186),
    FoldFloor("test34", 160, 30, 137, secrets=160, personal=30, false_positives=1, exact=188),
    FoldFloor("test35", 160, 30, 135, secrets=160, personal=30, false_positives=1, exact=188),
    FoldFloor("test36", 160, 30, 135, secrets=160, personal=30, false_positives=1, exact=188),
    FoldFloor("test37", 160, 30, 135, secrets=160, personal=30, false_positives=1, exact=188),
    FoldFloor("test38", 159, 31, 135, secrets=159, personal=31, false_positives=1, exact=186),
    FoldFloor("test39", 160, 31, 135, secrets=160, personal=31, false_positives=2, exact=189),
    FoldFloor("test40", 159, 30, 140, secrets=159, personal=30, false_positives=2, exact=186),
    FoldFloor("test41", 160, 30, 136, secrets=160, personal=30, false_positives=2, exact=190),
    FoldFloor("test42", 163, 31, 140, secrets=163, personal=31, false_positives=0, exact=194),
    FoldFloor("test43", 160, 31, 135, secrets=160, personal=31, false_positives=1, exact=190),
    FoldFloor("test44", 173, 32, 133, secrets=173, personal=32, false_positives=1, exact=204),
    FoldFloor("test45", 172, 32, 134, secrets=172, personal=32, false_positives=2, exact=203),
    FoldFloor("test46", 165, 31, 136, secrets=165, personal=31, false_positives=0, exact=194),
    FoldFloor("test47", 160, 34, 135, secrets=160, personal=34, false_positives=0, exact=192),
    FoldFloor("test48", 160, 30, 139, secrets=160, personal=30, false_positives=1, exact=187),
    FoldFloor("test49", 160, 30, 138, secrets=160, personal=30, false_positives=0, exact=186),
    FoldFloor("test50", 161, 30, 140, secrets=161, personal=30, false_positives=0, exact=190),
    FoldFloor("test51", 160, 30, 138, secrets=160, personal=30, false_positives=0, exact=189),
    FoldFloor("test52", 160, 30, 139, secrets=160, personal=30, false_positives=0, exact=189),
    FoldFloor("test53", 160, 30, 138, secrets=160, personal=30, false_positives=0, exact=188),
    FoldFloor("test54", 160, 30, 137, secrets=160, personal=30, false_positives=0, exact=187),
    FoldFloor("test55", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=189),
    FoldFloor("test56", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=188),
    FoldFloor("test57", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=190),
    FoldFloor("test58", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=188),
    FoldFloor("test59", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=190),
    FoldFloor("test60", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=181),
    FoldFloor("test61", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=184),
    FoldFloor("test62", 160, 30, 136, secrets=160, personal=30, false_positives=1, exact=189),
    FoldFloor("test63", 160, 30, 137, secrets=160, personal=30, false_positives=0, exact=187),
    FoldFloor("test64", 160, 30, 132, secrets=160, personal=30, false_positives=0, exact=174),
    FoldFloor("test65", 160, 30, 136, secrets=160, personal=30, false_positives=0, exact=177),
)


@pytest.mark.parametrize("floor", FOLD_FLOORS, ids=lambda floor: floor.fold)
def test_each_planted_fold_holds_what_was_measured(
    scores: dict[str, redaction_eval.FoldScore], floor: FoldFloor
) -> None:
    score = scores[floor.fold]
    assert (score.total["secret"], score.total["personal"], score.negatives) == (
        floor.secret_rows,
        floor.personal_rows,
        floor.negative_rows,
    ), "the fold's rows changed: regenerate it or update its floor"
    assert score.found["secret"] >= floor.secrets, score.summary()
    assert score.found["personal"] >= floor.personal, score.summary()
    assert score.false_positives <= floor.false_positives, score.summary()
    assert score.exact >= floor.exact, score.summary()


def test_every_planted_fold_has_a_floor() -> None:
    floors = {floor.fold for floor in FOLD_FLOORS}
    assert floors | {"tune", "test"} == set(redaction_eval.FOLDS) - {redaction_eval.HELD_OUT}


def test_a_held_out_fold_is_never_a_tuning_fold() -> None:
    """The hook for the next blind fold: whatever ``HELD_OUT`` names is left out of ``--fold tuning``."""
    assert redaction_eval.HELD_OUT is None or redaction_eval.HELD_OUT in redaction_eval.FOLDS
    assert redaction_eval.HELD_OUT not in redaction_eval.TUNING_FOLDS
    assert set(redaction_eval.FOLDS) - set(redaction_eval.TUNING_FOLDS) == (
        {redaction_eval.HELD_OUT} if redaction_eval.HELD_OUT else set()
    )


def test_the_planted_set_meets_the_issue_targets(scores: dict[str, redaction_eval.FoldScore]) -> None:
    """Issue 21's targets on the tuning folds pooled (11,201 rows; all of it tuned on, so this pins the
    tuned figure, not a blind one: the last blind reading, test21's, was 0.956 / 0.986 / 0.997):
    secrets >= 0.99, personal >= 0.95, precision >= 0.9."""
    found = {k: sum(s.found[k] for s in scores.values()) for k in ("secret", "personal")}
    total = {k: sum(s.total[k] for s in scores.values()) for k in ("secret", "personal")}
    false_positives = sum(s.false_positives for s in scores.values())
    assert total["secret"] > 2000 and total["personal"] > 500
    assert found["secret"] / total["secret"] >= 0.99, (found, total)
    assert found["personal"] / total["personal"] >= 0.95, (found, total)
    assert (found["secret"] + found["personal"]) / (
        found["secret"] + found["personal"] + false_positives
    ) >= 0.9


def test_tune_fold_is_fully_redacted_with_context_kept(scores: dict[str, redaction_eval.FoldScore]) -> None:
    tune = scores["tune"].summary()
    assert tune["secret_recall"] == 1.0 and tune["personal_recall"] == 1.0
    assert tune["false_positives"] == 0
    assert tune["context_exact"] >= 0.95


def test_eval_script_runs_as_one_command() -> None:
    import subprocess

    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "redaction_eval.py"), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload) == {
        "tune",
        "test",
        "test2",
        "test3",
        "test4",
        "test5",
        "test6",
        "test7",
        "test8",
        "test9",
        "test10",
        "test11",
        "test12",
        "test13",
        "test14",
        "test15",
        "test16",
        "test17",
        "test18",
        "test19",
        "test20",
        "test21",
        "test22",
        "test23",
        "test24",
        "test25",
        "test26",
        "test27",
        "test28",
        "test29",
        "test30",
        "test31",
        "test32",
        "test33",
        "test34",
        "test35",
        "test36",
        "test37",
        "test38",
        "test39",
        "test40",
        "test41",
        "test42",
        "test43",
        "test44",
        "test45",
        "test46",
        "test47",
        "test48",
        "test49",
        "test50",
        "test51",
        "test52",
        "test53",
        "test54",
        "test55",
        "test56",
        "test57",
        "test58",
        "test59",
        "test60",
        "test61",
        "test62",
        "test63",
        "test64",
        "test65",
    }
    assert payload["test65"]["role"] == "tuning (looked at)" and payload["test65"]["secret_n"] == 160
    assert payload["test65"]["personal_n"] == 30 and payload["test65"]["lookalikes_n"] == 136
    assert payload["test64"]["role"] == "tuning (looked at)" and payload["test64"]["secret_n"] == 160
    assert payload["test64"]["personal_n"] == 30 and payload["test64"]["lookalikes_n"] == 132
    assert payload["test63"]["role"] == "tuning (looked at)" and payload["test63"]["secret_n"] == 160
    assert payload["test63"]["personal_n"] == 30 and payload["test63"]["lookalikes_n"] == 137
    assert payload["test62"]["role"] == "tuning (looked at)" and payload["test62"]["secret_n"] == 160
    assert payload["test62"]["personal_n"] == 30 and payload["test62"]["lookalikes_n"] == 136
    assert payload["test61"]["role"] == "tuning (looked at)" and payload["test61"]["secret_n"] == 160
    assert payload["test61"]["personal_n"] == 30 and payload["test61"]["lookalikes_n"] == 136
    assert payload["test60"]["role"] == "tuning (looked at)" and payload["test60"]["secret_n"] == 160
    assert payload["test60"]["personal_n"] == 30 and payload["test60"]["lookalikes_n"] == 136
    assert payload["test59"]["role"] == "tuning (looked at)" and payload["test59"]["secret_n"] == 160
    assert payload["test59"]["personal_n"] == 30 and payload["test59"]["lookalikes_n"] == 136
    assert payload["test58"]["role"] == "tuning (looked at)" and payload["test58"]["secret_n"] == 160
    assert payload["test58"]["personal_n"] == 30 and payload["test58"]["lookalikes_n"] == 136
    assert payload["test57"]["role"] == "tuning (looked at)" and payload["test57"]["secret_n"] == 160
    assert payload["test57"]["personal_n"] == 30 and payload["test57"]["lookalikes_n"] == 136
    assert payload["test56"]["role"] == "tuning (looked at)" and payload["test56"]["secret_n"] == 160
    assert payload["test56"]["personal_n"] == 30 and payload["test56"]["lookalikes_n"] == 136
    assert payload["test55"]["role"] == "tuning (looked at)" and payload["test55"]["secret_n"] == 160
    assert payload["test55"]["personal_n"] == 30 and payload["test55"]["lookalikes_n"] == 136
    assert payload["test54"]["role"] == "tuning (looked at)" and payload["test54"]["secret_n"] == 160
    assert payload["test54"]["personal_n"] == 30 and payload["test54"]["lookalikes_n"] == 137
    assert payload["test53"]["role"] == "tuning (looked at)" and payload["test53"]["secret_n"] == 160
    assert payload["test53"]["personal_n"] == 30 and payload["test53"]["lookalikes_n"] == 138
    assert payload["test52"]["role"] == "tuning (looked at)" and payload["test52"]["secret_n"] == 160
    assert payload["test52"]["personal_n"] == 30 and payload["test52"]["lookalikes_n"] == 139
    assert payload["test51"]["role"] == "tuning (looked at)" and payload["test51"]["secret_n"] == 160
    assert payload["test51"]["personal_n"] == 30 and payload["test51"]["lookalikes_n"] == 138
    assert payload["test50"]["role"] == "tuning (looked at)" and payload["test50"]["secret_n"] == 161
    assert payload["test50"]["personal_n"] == 30 and payload["test50"]["lookalikes_n"] == 140
    assert payload["test49"]["role"] == "tuning (looked at)" and payload["test49"]["secret_n"] == 160
    assert payload["test49"]["personal_n"] == 30 and payload["test49"]["lookalikes_n"] == 138
    assert payload["test48"]["role"] == "tuning (looked at)" and payload["test48"]["secret_n"] == 160
    assert payload["test48"]["personal_n"] == 30 and payload["test48"]["lookalikes_n"] == 139
    assert payload["test47"]["role"] == "tuning (looked at)" and payload["test47"]["secret_n"] == 160
    assert payload["test47"]["personal_n"] == 34 and payload["test47"]["lookalikes_n"] == 135
    assert payload["test46"]["role"] == "tuning (looked at)" and payload["test46"]["secret_n"] == 165
    assert payload["test46"]["personal_n"] == 31 and payload["test46"]["lookalikes_n"] == 136
    assert payload["test45"]["role"] == "tuning (looked at)" and payload["test45"]["secret_n"] == 172
    assert payload["test45"]["personal_n"] == 32 and payload["test45"]["lookalikes_n"] == 134
    assert payload["test44"]["role"] == "tuning (looked at)" and payload["test44"]["secret_n"] == 173
    assert payload["test44"]["personal_n"] == 32 and payload["test44"]["lookalikes_n"] == 133
    assert payload["test43"]["role"] == "tuning (looked at)" and payload["test43"]["secret_n"] == 160
    assert payload["test43"]["personal_n"] == 31 and payload["test43"]["lookalikes_n"] == 135
    assert payload["test42"]["role"] == "tuning (looked at)" and payload["test42"]["secret_n"] == 163
    assert payload["test42"]["personal_n"] == 31 and payload["test42"]["lookalikes_n"] == 140
    assert payload["test41"]["role"] == "tuning (looked at)" and payload["test41"]["secret_n"] == 160
    assert payload["test41"]["personal_n"] == 30 and payload["test41"]["lookalikes_n"] == 136
    assert payload["test40"]["role"] == "tuning (looked at)" and payload["test40"]["secret_n"] == 159
    assert payload["test40"]["personal_n"] == 30 and payload["test40"]["lookalikes_n"] == 140
    assert payload["test39"]["role"] == "tuning (looked at)" and payload["test39"]["secret_n"] == 160
    assert payload["test39"]["personal_n"] == 31 and payload["test39"]["lookalikes_n"] == 135
    assert payload["test38"]["role"] == "tuning (looked at)" and payload["test38"]["secret_n"] == 159
    assert payload["test38"]["personal_n"] == 31 and payload["test38"]["lookalikes_n"] == 135
    assert payload["test37"]["role"] == "tuning (looked at)" and payload["test37"]["secret_n"] == 160
    assert payload["test37"]["personal_n"] == 30 and payload["test37"]["lookalikes_n"] == 135
    assert payload["test36"]["role"] == "tuning (looked at)" and payload["test36"]["secret_n"] == 160
    assert payload["test36"]["personal_n"] == 30 and payload["test36"]["lookalikes_n"] == 135
    assert payload["test35"]["role"] == "tuning (looked at)" and payload["test35"]["secret_n"] == 160
    assert payload["test35"]["personal_n"] == 30 and payload["test35"]["lookalikes_n"] == 135
    assert payload["test34"]["role"] == "tuning (looked at)" and payload["test34"]["secret_n"] == 160
    assert payload["test34"]["personal_n"] == 30 and payload["test34"]["lookalikes_n"] == 137
    assert payload["test33"]["role"] == "tuning (looked at)" and payload["test33"]["secret_n"] == 159
    assert payload["test33"]["personal_n"] == 31 and payload["test33"]["lookalikes_n"] == 135
    assert payload["test32"]["role"] == "tuning (looked at)" and payload["test32"]["secret_n"] == 172
    assert payload["test32"]["personal_n"] == 31 and payload["test32"]["lookalikes_n"] == 136
    assert payload["test31"]["role"] == "tuning (looked at)" and payload["test31"]["secret_n"] == 162
    assert payload["test31"]["personal_n"] == 33 and payload["test31"]["lookalikes_n"] == 136
    assert payload["test30"]["role"] == "tuning (looked at)" and payload["test30"]["secret_n"] == 137
    assert payload["test29"]["role"] == "tuning (looked at)" and payload["test29"]["secret_n"] == 115
    assert payload["test28"]["role"] == "tuning (looked at)" and payload["test28"]["secret_n"] == 135
    assert payload["test27"]["role"] == "tuning (looked at)" and payload["test27"]["secret_n"] == 136
    assert payload["test26"]["role"] == "tuning (looked at)" and payload["test26"]["secret_n"] == 142
    assert payload["test25"]["role"] == "tuning (looked at)" and payload["test25"]["secret_n"] == 133
    assert payload["test24"]["role"] == "tuning (looked at)" and payload["test24"]["secret_n"] == 156
    assert payload["test23"]["role"] == "tuning (looked at)" and payload["test23"]["secret_n"] == 156
    assert payload["test22"]["role"] == "tuning (looked at)" and payload["test22"]["secret_n"] == 150
    assert payload["test"]["secret_n"] == 130
    assert payload["test2"]["secret_n"] == 148 and payload["test2"]["rows"] == 355
    assert payload["test2"]["role"] == "tuning (looked at)"
    assert payload["test3"]["secret_n"] == 132 and payload["test3"]["rows"] == 307
    assert payload["test3"]["role"] == "tuning (looked at)"
    assert payload["test4"]["secret_n"] == 212 and payload["test4"]["rows"] == 494
    assert payload["test4"]["personal_n"] == 54 and payload["test4"]["lookalikes_n"] == 228
    assert payload["test4"]["role"] == "tuning (looked at)"
    assert payload["test5"]["secret_n"] == 204 and payload["test5"]["rows"] == 464
    assert payload["test5"]["personal_n"] == 52 and payload["test5"]["lookalikes_n"] == 208
    assert payload["test5"]["role"] == "tuning (looked at)"
    assert payload["test6"]["secret_n"] == 204 and payload["test6"]["rows"] == 460
    assert payload["test6"]["personal_n"] == 50 and payload["test6"]["lookalikes_n"] == 206
    assert payload["test6"]["role"] == "tuning (looked at)"
    assert payload["test7"]["secret_n"] == 210 and payload["test7"]["rows"] == 474
    assert payload["test7"]["personal_n"] == 56 and payload["test7"]["lookalikes_n"] == 208
    assert payload["test7"]["role"] == "tuning (looked at)"
    assert payload["test8"]["secret_n"] == 242 and payload["test8"]["rows"] == 498
    assert payload["test8"]["personal_n"] == 50 and payload["test8"]["lookalikes_n"] == 206
    assert payload["test8"]["role"] == "tuning (looked at)"
    assert payload["test9"]["secret_n"] == 202 and payload["test9"]["rows"] == 466
    assert payload["test9"]["personal_n"] == 56 and payload["test9"]["lookalikes_n"] == 208
    assert payload["test9"]["role"] == "tuning (looked at)"
    assert payload["test10"]["secret_n"] == 201 and payload["test10"]["rows"] == 467
    assert payload["test10"]["personal_n"] == 60 and payload["test10"]["lookalikes_n"] == 206
    assert payload["test10"]["role"] == "tuning (looked at)"
    assert payload["test11"]["secret_n"] == 254 and payload["test11"]["rows"] == 537
    assert payload["test11"]["personal_n"] == 65 and payload["test11"]["lookalikes_n"] == 218
    assert payload["test11"]["role"] == "tuning (looked at)"
    assert payload["test12"]["secret_n"] == 256 and payload["test12"]["rows"] == 597
    assert payload["test12"]["personal_n"] == 73 and payload["test12"]["lookalikes_n"] == 268
    assert payload["test12"]["role"] == "tuning (looked at)"
    assert "test12" in redaction_eval.TUNING_FOLDS  # its misses were read in round 9
    assert payload["test13"]["secret_n"] == 290 and payload["test13"]["rows"] == 630
    assert payload["test13"]["personal_n"] == 73 and payload["test13"]["lookalikes_n"] == 267
    assert payload["test13"]["role"] == "tuning (looked at)"
    assert "test13" in redaction_eval.TUNING_FOLDS  # its misses were read in round 10
    assert payload["test14"]["secret_n"] == 276 and payload["test14"]["rows"] == 580
    assert payload["test14"]["personal_n"] == 73 and payload["test14"]["lookalikes_n"] == 231
    assert payload["test14"]["role"] == "tuning (looked at)"
    assert "test14" in redaction_eval.TUNING_FOLDS  # its misses were read in round 11
    assert payload["test15"]["secret_n"] == 264 and payload["test15"]["rows"] == 566
    assert payload["test15"]["personal_n"] == 76 and payload["test15"]["lookalikes_n"] == 226
    assert payload["test15"]["role"] == "tuning (looked at)"
    assert "test15" in redaction_eval.TUNING_FOLDS  # its misses were read in round 12
    assert payload["test16"]["secret_n"] == 255 and payload["test16"]["rows"] == 559
    assert payload["test16"]["personal_n"] == 72 and payload["test16"]["lookalikes_n"] == 232
    assert payload["test16"]["role"] == "tuning (looked at)"
    assert "test16" in redaction_eval.TUNING_FOLDS  # its misses were read in round 13
    assert payload["test17"]["secret_n"] == 266 and payload["test17"]["rows"] == 561
    assert payload["test17"]["personal_n"] == 68 and payload["test17"]["lookalikes_n"] == 227
    assert payload["test17"]["role"] == "tuning (looked at)"
    assert "test17" in redaction_eval.TUNING_FOLDS  # its misses were read in round 14
    assert payload["test18"]["secret_n"] == 269 and payload["test18"]["rows"] == 594
    assert payload["test18"]["personal_n"] == 67 and payload["test18"]["lookalikes_n"] == 258
    assert payload["test18"]["role"] == "tuning (looked at)"
    assert "test18" in redaction_eval.TUNING_FOLDS  # its misses were read in round 15
    assert payload["test19"]["secret_n"] == 279 and payload["test19"]["rows"] == 642
    assert payload["test19"]["personal_n"] == 73 and payload["test19"]["lookalikes_n"] == 290
    assert payload["test19"]["role"] == "tuning (looked at)"
    assert "test19" in redaction_eval.TUNING_FOLDS  # its misses were read in round 16
    assert payload["test20"]["secret_n"] == 276 and payload["test20"]["rows"] == 637
    assert payload["test20"]["personal_n"] == 77 and payload["test20"]["lookalikes_n"] == 284
    assert payload["test20"]["role"] == "tuning (looked at)"
    assert "test20" in redaction_eval.TUNING_FOLDS  # its misses were read in round 17
    assert payload["test21"]["secret_n"] == 270 and payload["test21"]["rows"] == 627
    assert payload["test21"]["personal_n"] == 74 and payload["test21"]["lookalikes_n"] == 283
    assert payload["test21"]["role"] == "tuning (looked at)"
    assert "test21" in redaction_eval.TUNING_FOLDS  # its misses were read in round 18


# --- rules ---------------------------------------------------------------------------------------


def test_typed_placeholders_keep_the_lesson_around_them() -> None:
    text = "Rotate AKIAC26TTP2KFTTOL3YX now; the replica 10.0.4.12 is fine."
    assert redact_text(text) == "Rotate [REDACTED:aws-access-key] now; the replica 10.0.4.12 is fine."


def test_password_in_url_keeps_user_and_host() -> None:
    out = redact_text("postgres://app_rw:CvMq8JuFc9dujUoHL7@pg-1.internal:5432/orders")
    assert out == "postgres://app_rw:[REDACTED:password-in-url]@pg-1.internal:5432/orders"


def test_private_key_block_is_redacted_whole() -> None:
    block = (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEogIBAAKCAQEA0BaczUYuSBawkDCWb8r8qxz2\n"
        "q+DVg0LWpnbrJxFghUZe00zo\n-----END RSA PRIVATE KEY-----"
    )
    out = redact_text(f"The key:\n{block}\nwas committed.")
    assert out == "The key:\n[REDACTED:private-key]\nwas committed."
    public = (
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAepilT8IVcMY65yZ4\n"
        "-----END PUBLIC KEY-----"
    )
    assert redact_text(public) == public


def test_luhn_decides_card_numbers() -> None:
    assert luhn_ok("4893278065403507")
    assert redact_text("card 4893 2780 6540 3507") == "card [REDACTED:credit-card]"
    assert redact_text("offset 4856065711076503 on partition 7") == "offset 4856065711076503 on partition 7"


def test_ips_private_kept_public_redacted_configurable() -> None:
    text = "from 85.150.65.213 to 10.1.2.3 and 192.0.2.7"
    assert redact_text(text) == "from [REDACTED:ipv4] to 10.1.2.3 and 192.0.2.7"
    assert redact_text(text, RedactionPolicy(ips="none")) == text
    assert redact_text(text, RedactionPolicy(ips="all")).count("[REDACTED:ipv4]") == 3


def test_look_alikes_are_kept() -> None:
    for text in (
        "Reverted 49b070f069802f82fcb97560640c4f4d2319510d",
        "order_id=8af69713-b0c2-4ead-988d-afd44be29e77",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "PGPASSWORD=$DB_PASSWORD psql",
        "git config user.email admin@example.org",
        "Rotate the database password after every failover drill.",
    ):
        assert redact_text(text) == text, text


def test_config_directives_and_prose_passwords() -> None:
    """From the tuning folds' last misses: a redis.conf directive, and a password in parentheses."""
    assert (
        redact_text("requirepass bbe6842cf1026005b87d144c00eef524")
        == "requirepass [REDACTED:password-assignment]"
    )
    assert redact_text("  masterauth Qm4tX9pLwz2R") == "  masterauth [REDACTED:password-assignment]"
    out = redact_text("Rotated the master password (was `Copperviolet5512~`, see the ticket)")
    assert out == "Rotated the master password (was `[REDACTED:password-assignment]`, see the ticket)"
    for text in ("requirepass", "token expired", "Bypass the cache", "auth_file /etc/pgbouncer/userlist.txt"):
        assert redact_text(text) == text, text


def test_keys_that_name_records_are_kept() -> None:
    """A cache or message key holding a digest or base64 of plain text is not a credential."""
    digest = "9f2c4be1d07a3e55c6a8b0f1d2e3c4b5a69788d7e6f5a4b3c2d1e0f9a8b7c6d5"
    for text in (
        f"INFO build-cache: hit key={digest} size=48MB",
        "DEBUG kafka: message key=bWF4X2Nvbm5lY3Rpb25zPTIwMA== partition=3",
        "SELECT * FROM orders WHERE order_number = '720-798-0258';",
    ):
        assert redact_text(text) == text, text
    # a credential called "key" is still taken, and so is an API key that happens to be hex
    assert redact_text("the key Zr8kQ2mX7pLw4nTy9bVc is live") == "the key [REDACTED:generic-secret] is live"
    assert "[REDACTED" in redact_text(f"API key {digest}")


def _gone(text: str, value: str) -> bool:
    out = redact_text(text)
    return value not in out and "[REDACTED:" in out


def test_passphrases_in_password_settings() -> None:
    """Three or more words and a number are a password when the setting's name says password."""
    for text, value in (
        ("      MYSQL_ROOT_PASSWORD: harbor-maple-summit-42", "harbor-maple-summit-42"),
        ("new Pool({ user: 'api', password: 'quartz-ember-atlas-walnut' })", "quartz-ember-atlas-walnut"),
        ("Temporary login for the drill: user `drill`, pw Walnut2019! (remove after Friday)", "Walnut2019!"),
    ):
        assert _gone(text, value), text
    for text in (
        "release_name: harbor-maple-summit-42",  # not a password setting: a resource name
        "db_password: vault-orders-db-ref",  # a pointer to the value
        "password_secret_name: orders-db-credentials-v2",
        "password: from-env-file",
        "Use the pw reset link in the runbook.",
    ):
        assert redact_text(text) == text, text


def test_name_value_pairs_say_what_the_value_is() -> None:
    """XML properties and HAR/Postman headers carry the name in one field and the value in another."""
    for text, value in (
        ('<property name="db.password" value="Tq8mZ2vLx9Wp"/>', "Tq8mZ2vLx9Wp"),
        ('{"name": "Authorization", "value": "Basic c3ZjOlRxOG1aMnZMeDlXcA=="}', "c3ZjOlRxOG1aMnZMeDlXcA=="),
        ('{"key": "partner_bearer", "value": "Hq7vR2mXp9LwZ4nT8bYc3KdF"}', "Hq7vR2mXp9LwZ4nT8bYc3KdF"),
    ):
        assert _gone(text, value), text
    for text in (
        '<property name="password.length" value="16"/>',
        '{"key": "token", "value": "{{token}}"}',
        '{"name": "Content-Type", "value": "application/json"}',
    ):
        assert redact_text(text) == text, text


def test_settings_named_key_or_bearer_hold_tokens() -> None:
    for text, value in (
        ("OPENMAPS_KEY=Hq7vR2mXp9LwZ4nT8bYc3KdF", "Hq7vR2mXp9LwZ4nT8bYc3KdF"),
        ('  mapsKey: "Zr8kQ2mX7pLw4nTy9bVc5Jd"', "Zr8kQ2mX7pLw4nTy9bVc5Jd"),
        ("  ORDERS_BEARER: lC2kVdhsNYLWq-k7buFzwUez4yGXEU", "lC2kVdhsNYLWq-k7buFzwUez4yGXEU"),
        ("SMS_GATEWAY_KEY=0a1b2c3d4e5f60718293a4b5c6d7e8f9", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
    ):
        assert _gone(text, value), text
    digest = "9f2c4be1d07a3e55c6a8b0f1d2e3c4b5a69788d7e6f5a4b3c2d1e0f9a8b7c6d5"
    for text in (
        f"REDIS_CACHE_KEY={digest}",  # a record's key holding a digest
        '  sortKey: "Zr8kQ2mX7pLw4nTy9bVc"',  # a record's key
        "  public_key: Hq7vR2mXp9LwZ4nT8bYc3KdF1sGh0wE5=",  # a public value
        "FEATURE_KEY=ZmVhdHVyZT1uZXctY2hlY2tvdXQ=",  # base64 of plain text
    ):
        assert redact_text(text) == text, text


def test_a_named_credential_a_few_words_before_its_value() -> None:
    text = "Twilio auth token for the SMS sender: 0a1b2c3d4e5f60718293a4b5c6d7e8f9 - rotate it."
    assert _gone(text, "0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    assert _gone(
        "The vendor sent the key by mail (live_Hq7vR2mXp9LwZ4nT8bYc3KdF1s).",
        "live_Hq7vR2mXp9LwZ4nT8bYc3KdF1s",
    )
    for text in (
        "auth token request id: 4bf92f3577b34da6a3ce929d0e0e4736",
        "API key fingerprint: 4bf92f3577b34da6a3ce929d0e0e4736",
        "live_orders_replica lagged by 40s",
    ):
        assert redact_text(text) == text, text


def test_credentials_in_dsns_and_call_arguments() -> None:
    """Go DSNs without a scheme, basic-auth call arguments, a token after its SID, curl -u as a list."""
    assert (
        redact_text('dsn="app:Tq8mZ2vLx9Wp@tcp(db-1.internal:3306)/orders"')
        == 'dsn="app:[REDACTED:password-in-url]@tcp(db-1.internal:3306)/orders"'
    )
    for text, value in (
        ('requests.post(u, auth=("svc", "Tq8mZ2vLx9Wp!"), timeout=5)', "Tq8mZ2vLx9Wp!"),
        ('r.SetBasicAuth("svc", "Zr8kQ2mX7pLw")', "Zr8kQ2mX7pLw"),
        ('session.auth = HTTPBasicAuth(user, "Walnut2019!")', "Walnut2019!"),
        (
            'client = Client(account_sid, "0a1b2c3d4e5f60718293a4b5c6d7e8f9")',
            "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        ),
        ('test: ["CMD", "curl", "-u", "probe:Tq8mZ2vLx9Wp", "http://localhost:9090/"]', "Tq8mZ2vLx9Wp"),
    ):
        assert _gone(text, value), text
    for text in (
        'dsn = "root:${DB_PASS}@tcp(db-1.internal:3306)/orders"',
        'requests.get(u, auth=("svc", os.environ["PW"]))',
        "client = Client(account_sid, auth_token)",
        'test: ["CMD", "curl", "-u", "probe:${PROBE_PW}", "http://localhost:9090/"]',
    ):
        assert redact_text(text) == text, text


def test_key_material_starting_with_a_slash_is_not_a_path() -> None:
    value = "/k3Rj9QxT2vLmN8pWz4YcB6dHf1sGa7eKu0iOtXnq"
    assert _gone(f"aws_secret_access_key={value}", value)
    assert redact_text("key_file=/etc/ssl/private/orders.pem") == "key_file=/etc/ssl/private/orders.pem"


def test_templates_and_return_numbers_are_not_personal_data() -> None:
    for text in (
        "sqlalchemy.url = postgresql://app:%(DB_PASS)s@db-1.internal/app",
        "git clone ${USER}@git.acme.io:orders.git",
        "RMA 0800 123 4567 was opened twice.",
        "Voucher 020 7946 0321 was redeemed twice.",
    ):
        assert redact_text(text) == text, text


def test_vcard_phones_and_spaced_ssns_by_their_field() -> None:
    assert redact_text("TEL;TYPE=cell:(212) 555-0143") == "TEL;TYPE=cell:[REDACTED:phone]"
    assert redact_text("TEL;VALUE=uri:tel:+44-7700-900123") == "TEL;VALUE=uri:tel:[REDACTED:phone]"
    assert (
        redact_text("Key (ssn)=(123 45 6789) already exists.")
        == "Key (ssn)=([REDACTED:national-id]) already exists."
    )
    for text in ("TEL;TYPE=work:ext 12", "HOTEL;rooms:12 3456 7890", "build 123 45 6789 passed"):
        assert redact_text(text) == text, text


# One test per general cause found in test3's misses (the values here are fresh fakes, not planted).


def test_settings_named_for_their_auth_value() -> None:
    """``REDIS_AUTH=``/``masterauth`` hold the password; a bare ``auth:``/``oauth:`` names a method."""
    assert _gone("Environment=REDIS_AUTH=wqkzpa7315", "wqkzpa7315")
    assert _gone("masterauth: Lp4xQ9zW2mRt", "Lp4xQ9zW2mRt")
    for text in ("auth: oauth2", "auth=ldap01", "OAUTH: google2x", "auth_type=basic"):
        assert redact_text(text) == text, text


def test_powershell_secure_strings() -> None:
    value = "harbor-quartz-maple-71"
    assert _gone(f"$s = ConvertTo-SecureString '{value}' -AsPlainText -Force", value)
    assert _gone("(ConvertTo-SecureString -String 'Zr8kQ2mX7pLw' -AsPlainText -Force)", "Zr8kQ2mX7pLw")
    text = "$s = ConvertTo-SecureString $pw -AsPlainText -Force"
    assert redact_text(text) == text


def test_positional_database_passwords() -> None:
    """``new PDO(dsn, user, pw)``, ``mysqli_connect(h, u, pw)``, JDBC ``getConnection(url, u, pw)``."""
    for text, value in (
        ("$db = new PDO('pgsql:host=db-1;dbname=app', 'app', 'Walnut2019?');", "Walnut2019?"),
        ('$c = mysqli_connect("db-1", "shop", "q7Hx2pLm9");', "q7Hx2pLm9"),
        ('DriverManager.getConnection(url, "etl", "Tq8mZ2vLx9Wp")', "Tq8mZ2vLx9Wp"),
    ):
        assert _gone(text, value), text
    for text in ("new PDO($dsn, $user, $pass)", 'mysqli_connect("db-1", "shop", getenv("PW"))'):
        assert redact_text(text) == text, text


def test_mysql_auth_plugin_clause() -> None:
    text = "ALTER USER 'etl'@'%' IDENTIFIED WITH caching_sha2_password BY 'r9KmXq2TzL';"
    assert (
        redact_text(text)
        == "ALTER USER 'etl'@'%' IDENTIFIED WITH caching_sha2_password BY '[REDACTED:password-assignment]';"
    )


def test_prose_login_pairs_and_password_to() -> None:
    assert _gone("the wifi login is guest / Kp7#mQ2x&91 for the day", "Kp7#mQ2x&91")
    assert _gone("creds: admin / Tq8mZ2vLx9", "Tq8mZ2vLx9")
    assert _gone("We set the root password to xkqvbn4829 during the drill.", "xkqvbn4829")
    for text in (
        "SSO login is SAML / Okta",
        "They are prompted for their storage password to save/retrieve a token.",
        "the login is ops / see vault",
    ):
        assert redact_text(text) == text, text


def test_builder_and_setter_credentials() -> None:
    for text, value in (
        ('MySqlConnectOptions::new().username("svc").password("Maple2024?")', "Maple2024?"),
        ('cfg.setPassword("h3Xq9LmP2w")', "h3Xq9LmP2w"),
        ('Builder().withClientSecret("f8Q2kLm9Xz3pVt7R")', "f8Q2kLm9Xz3pVt7R"),
    ):
        assert _gone(text, value), text
    text = 'builder.password(System.getenv("PW"))'
    assert redact_text(text) == text


def test_basic_auth_in_rust_and_libcurl() -> None:
    assert _gone('req.basic_auth("probe", Some("Zr8kQ2#mX&7p"))', "Zr8kQ2#mX&7p")
    assert _gone("curl_setopt($ch, CURLOPT_USERPWD, 'report:wmzqtb5821');", "wmzqtb5821")
    text = "curl_setopt($ch, CURLOPT_USERPWD, $user . ':' . $pw);"
    assert redact_text(text) == text


def test_a_phone_shape_inside_a_longer_digit_run_is_not_a_phone() -> None:
    """``6080 0149 0716 8572`` (a Luhn-failing card-shaped number) holds ``0149 0716 8572``."""
    for text in ("loyalty card 6080 0149 0716 8572 has no points", "gift card 5012 0207 946 0123 used"):
        assert redact_text(text) == text, text
    assert redact_text("call 020 7946 0123 now") == "call [REDACTED:phone] now"


def test_findings_carry_type_and_line_never_the_value() -> None:
    findings = find_secrets("ok\nkey AKIAC26TTP2KFTTOL3YX\n")
    assert [(f.type, f.line) for f in findings] == [("aws-access-key", 2)]
    assert not hasattr(findings[0], "value")


def test_detect_secrets_is_a_second_net() -> None:
    pytest.importorskip("detect_secrets")
    # A SoftLayer key in its API URL: no built-in rule, detect-secrets' plugin knows the form. (Its
    # Discord bot token example was this test's until round 11 gave three-part bot tokens a rule.)
    token = "q8x2m4v7b1n9c3z5l6k0j8h2g4f7d1s3a5p9o0i2u4y6t8r1e3w5q7z9x1c3v5b7"
    url = f"https://api.softlayer.com/soap/v3.1/{token}"
    assert token not in redact_text(f"endpoint {url}")
    assert token in redact_text(f"endpoint {url}", RedactionPolicy(use_detect_secrets=False))


def test_team_allow_list_and_extra_patterns_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_REDACT_ALLOW", '["AKIAC26TTP2KFTTOL3YX"]')
    monkeypatch.setenv("KB_REDACT_PATTERNS", '{"acme-token": "acme_[a-z0-9]{16}"}')
    monkeypatch.setenv("KB_REDACT_PERSONAL", "false")
    policy = RedactionPolicy.from_settings(Settings())
    out = redact_text("AKIAC26TTP2KFTTOL3YX acme_0123456789abcdef priya.sato@gmx.de", policy)
    assert out == "AKIAC26TTP2KFTTOL3YX [REDACTED:acme-token] priya.sato@gmx.de"


def test_bad_settings_are_config_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.errors import ConfigError

    monkeypatch.setenv("KB_REDACT_PATTERNS", '{"x": "("}')
    with pytest.raises(ConfigError, match="KB_REDACT_PATTERNS"):
        Settings()
    monkeypatch.delenv("KB_REDACT_PATTERNS")
    monkeypatch.setenv("KB_REDACT_IPS", "some")
    with pytest.raises(ConfigError, match="KB_REDACT_IPS"):
        Settings()


def test_error_messages_do_not_echo_secrets() -> None:
    from kb.errors import InputError

    assert "AKIAC26TTP2KFTTOL3YX" not in InputError("bad query AKIAC26TTP2KFTTOL3YX").message


# --- the write path ------------------------------------------------------------------------------


def test_sanitize_draft_is_pure_and_covers_every_field() -> None:
    from kb.records import ConstraintDraft, DocumentDraft

    draft = DocumentDraft(
        path="pm.md",
        kind="postmortem",
        title="Key AKIAC26TTP2KFTTOL3YX leaked",
        sha256="abc",
        metadata={
            "owner": "priya.sato@gmx.de",
            "nested": [{"k": "CvMq8JuFc9dujUoHL7 at postgres://a:CvMq8JuFc9dujUoHL7@h/db"}],
        },
        body="body AKIAC26TTP2KFTTOL3YX",
        constraints=[
            ConstraintDraft(
                statement="Rotate AKIAC26TTP2KFTTOL3YX",
                rationale="mail priya.sato@gmx.de",
                category="security",
                severity="high",
            )
        ],
    )
    cleaned, report = sanitize_draft(draft)
    assert "AKIAC26TTP2KFTTOL3YX" in draft.title  # the input is not changed
    dumped = repr(cleaned)
    for value in ("AKIAC26TTP2KFTTOL3YX", "priya.sato@gmx.de", "postgres://a:CvMq8JuFc9dujUoHL7@"):
        assert value not in dumped
    assert cleaned.constraints[0].statement == "Rotate [REDACTED:aws-access-key]"
    assert cleaned.sha256 == "abc"
    assert report.redacted["aws-access-key"] == 3


@pytest.fixture
def planted_kb(tmp_path: Path) -> tuple[KnowledgeBase, Path]:
    from ingest.loader import ingest_path

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "leak.md").write_text(POSTMORTEM, encoding="utf-8")
    home = tmp_path / "home"
    kb = KnowledgeBase(Settings(home=home, embedder="hashing"), embedder=HashingEmbedder())
    report = ingest_path(kb, docs)
    assert report.count("failed") == 0
    return kb, home


def _home_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file())


def test_ingest_stores_no_planted_value_and_keeps_the_lessons(
    planted_kb: tuple[KnowledgeBase, Path],
) -> None:
    kb, home = planted_kb
    kb.close()
    stored = _home_bytes(home)
    for value in PLANTED:
        assert value.encode() not in stored, value
    with sqlite3.connect(home / "kb.sqlite3") as db:
        statements = [r[0] for r in db.execute("SELECT statement FROM constraints")]
        body = db.execute("SELECT body FROM documents").fetchone()[0]
    assert any("Never paste credentials such as [REDACTED:aws-access-key] into chat" in s for s in statements)
    assert "[REDACTED:password-in-url]@pg-1.internal" in body
    assert "Vault" in " ".join(statements)


def test_no_planted_value_comes_back_from_the_cli(
    planted_kb: tuple[KnowledgeBase, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import app

    kb, home = planted_kb
    kb.close()
    monkeypatch.setenv("KB_HOME", str(home))
    monkeypatch.setenv("KB_EMBEDDER", "hashing")
    runner = CliRunner()
    outputs = []
    for args in (
        ["list", "--json"],
        ["query", "rotate leaked credentials in chat", "--json"],
        ["context", "rotate leaked credentials in chat", "--min-confidence", "weak"],
        ["export", "--format", "agents-md", "--out", str(tmp_path / "repo"), "--min-severity", "low"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    outputs.append((tmp_path / "repo" / "AGENTS.md").read_text(encoding="utf-8"))
    everything = "\n".join(outputs)
    for value in PLANTED:
        assert value not in everything, value
    assert "[REDACTED:aws-access-key]" in everything
    assert "reference material" in outputs[2].lower() and "reference material" in outputs[4].lower()


def test_log_lines_count_redactions_without_values(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from ingest.loader import ingest_path

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "leak.md").write_text(POSTMORTEM, encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "h", embedder="hashing"), embedder=HashingEmbedder())
    # caplog listens on the root logger; a test that ran `forewarn serve`'s logging config in this
    # process leaves "kb" at WARNING and not propagating, so listen on the reporting logger itself.
    reporter = logging.getLogger("kb.safety.sanitize")
    reporter.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG, logger=reporter.name):
            ingest_path(kb, docs)
    finally:
        reporter.removeHandler(caplog.handler)
        kb.close()
    assert "aws-access-key" in caplog.text
    for value in PLANTED:
        assert value not in caplog.text


def test_proposals_are_redacted_before_their_slug(fake_kb: KnowledgeBase) -> None:
    from kb.lifecycle.proposals import proposal_dict

    lesson, duplicate = fake_kb.propose(
        actor="test",
        statement="Never log the token ghp_8uNkqseTISWFylNoKGFqqaICflQ1ZlZCqDPf in CI output",
        rationale="it leaked via priya.sato@gmx.de",
    )
    record = proposal_dict(fake_kb, lesson, duplicate)
    assert not duplicate
    assert "ghp_8uNkqseTISWFylNoKGFqqaICflQ1ZlZCqDPf" not in json.dumps(record)
    rows = fake_kb.store.list_documents()
    assert all("8unkqsetiswfylnokgfqqaicflq1zlzcqdpf" not in d.path.lower() for d, _n in rows)


# --- kb redact --check -----------------------------------------------------------------------------


def test_redact_check_lists_file_line_type_and_exits_1(tmp_path: Path) -> None:
    from api.cli import app

    (tmp_path / "leak.md").write_text(POSTMORTEM, encoding="utf-8")
    (tmp_path / "clean.md").write_text("# Fine\n\nNothing secret here.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["redact", "--check", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert f"{tmp_path / 'leak.md'}:10:aws-access-key" in lines
    for value in PLANTED:
        assert value not in result.output
    clean = runner.invoke(app, ["redact", "--check", str(tmp_path / "clean.md")])
    assert clean.exit_code == 0, clean.output
    # Every Markdown dialect ingest reads is checked in a folder: Quarto, a Middleman template.
    (tmp_path / "2024-incident.qmd").write_text(POSTMORTEM, encoding="utf-8")
    (tmp_path / "runbook.html.md.erb").write_text(POSTMORTEM, encoding="utf-8")
    dialects = runner.invoke(app, ["redact", "--check", str(tmp_path)])
    assert f"{tmp_path / '2024-incident.qmd'}:10:aws-access-key" in dialects.stdout.splitlines()
    assert f"{tmp_path / 'runbook.html.md.erb'}:10:aws-access-key" in dialects.stdout.splitlines()


def test_redact_check_as_a_real_process(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "leak.md").write_text("token ghp_8uNkqseTISWFylNoKGFqqaICflQ1ZlZCqDPf\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "api.cli", "redact", "--check", str(tmp_path / "leak.md")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert out.returncode == 1
    assert out.stdout.strip() == f"{tmp_path / 'leak.md'}:1:github-token"
    assert "ghp_" not in out.stdout + out.stderr


def test_http_upload_is_redacted_and_the_api_serves_no_planted_value(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.web.app import create_app
    from kb.auth import create_key

    kb = KnowledgeBase(Settings(home=tmp_path / "h", embedder="hashing"), embedder=HashingEmbedder())
    _, key = create_key(kb.store, team="ops", role="writer")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(kb.settings, kb=kb)) as client:
        uploaded = client.post(
            "/v1/documents/markdown?path=pm/leak.md&source=hooks",
            content=POSTMORTEM.encode(),
            headers={**headers, "Content-Type": "text/markdown"},
        )
        assert uploaded.status_code == 200, uploaded.text
        query = client.post("/v1/query", json={"task": "rotate leaked credentials in chat"}, headers=headers)
        docs = client.get("/v1/documents", headers=headers)
        served = query.text + docs.text
    kb.close()
    assert query.status_code == 200 and "[REDACTED:aws-access-key]" in query.text
    for value in PLANTED:
        assert value not in served, value
    assert b"AKIAC26TTP2KFTTOL3YX" not in (tmp_path / "h" / "kb.sqlite3").read_bytes()


def test_the_cli_log_filter_redacts_messages_and_tracebacks() -> None:
    import io

    from kb.safety.logfilter import RedactingFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("kb.test-redaction-filter")
    logger.addHandler(handler)
    try:
        logger.warning("connecting with %s", "postgres://app:CvMq8JuFc9dujUoHL7@db/x")
        try:
            raise ValueError("bad token ghp_8uNkqseTISWFylNoKGFqqaICflQ1ZlZCqDPf")
        except ValueError:
            logger.exception("parser crashed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "[REDACTED:password-in-url]" in text and "[REDACTED:github-token]" in text
    assert "CvMq8JuFc9dujUoHL7" not in text and "ghp_8uNk" not in text


# One test per general cause found in test4's misses (fresh fake values, not planted ones).


def test_table_cells_named_by_their_header_or_first_cell() -> None:
    """A Markdown/HTML table's header cell, or a cell to the left in a key/value row, names the value."""
    for text, value in (
        ("| Env | Login | Passphrase |\n|---|---|---|\n| qa | ops | Kq7vTz2mLp9x |", "Kq7vTz2mLp9x"),
        ("| REDIS_PASSWORD | Summitwalnut4411! |", "Summitwalnut4411!"),
        ("| Mailgun signing key | 7d0c4e2b9a8f6e5d4c3b2a1f0e9d8c7b |", "7d0c4e2b9a8f6e5d4c3b2a1f0e9d8c7b"),
        (
            "<tr><th>host</th><th>user</th><th>password</th></tr>\n<tr><td>db-2</td><td>etl</td><td>xq4Rt8Lw2z</td></tr>",
            "xq4Rt8Lw2z",
        ),
        # an opaque token alone in a cell, even where nothing names it
        (
            "| search-indexer | Qh7Lm2Xk9Pz4Wt8Rv3Nc6Bd1Fg5Js0A | owner: sre |",
            "Qh7Lm2Xk9Pz4Wt8Rv3Nc6Bd1Fg5Js0A",
        ),
    ):
        assert _gone(text, value), text
    for text in (
        "| Field | Required | Notes |\n|---|---|---|\n| password | yes | min 14 chars |",
        "| Access key ID | Owner |\n|---|---|\n| AKIA… (masked) | data-eng |",
        "| Token endpoint | https://auth.acme.internal/token |",
        "| Service | Commit |\n|---|---|\n| orders | 4be1d07a3e55c6a8b0f1d2e3c4b5a69788d7e6f5 |",
        "| Password policy | strict |",
        "| auth | OAuth2 |",
    ):
        assert redact_text(text) == text, text


def test_credential_flags_across_tools() -> None:
    """-p/-P/-w with a quoted or passphrase value, --http-password, redis AUTH, user:pw@host with no scheme."""
    for text, value in (
        ("sqlcmd -S db-1 -U sa -P 'harbor-ember-quartz-31' -Q 'SELECT 1'", "harbor-ember-quartz-31"),
        ("mongosh mongodb://db-1:27017 -u admin -p 'T0k3n42!'", "T0k3n42!"),
        ("ldapsearch -x -D cn=admin,dc=acme -w 'Zr8#kQ2mX' -b dc=acme", "Zr8#kQ2mX"),
        ("wget --http-user=ci --http-password=qRvLtMxK https://files.acme.internal/a.tgz", "qRvLtMxK"),
        ("10.0.3.7:6379> AUTH wkTq29pLx\nOK", "wkTq29pLx"),
        ("redis> AUTH default Hv7qLm2xT9\nOK", "Hv7qLm2xT9"),
        ("mysqlsh --uri admin:Lp4xQ9zW2mRt@db-2.internal:3306", "Lp4xQ9zW2mRt"),
    ):
        assert _gone(text, value), text
    for text in (
        "docker compose -p 'orders-stack-prod' up -d",
        "grep -w 'timeout' app.log",
        "ssh -p '2222' ops@bastion.internal",
        "curl -w '%{http_code}' https://api.acme.internal",
        "kubectl patch deploy x -p '{\"spec\":{}}'",
        "AUTH failed for user ops",
        "open mailto:ops@acme.example or git@github.com:acme/x.git",
        "docker pull registry:5000/acme/app@sha256",
    ):
        assert redact_text(text) == text, text


def test_base64_values_are_decoded_and_checked() -> None:
    """A base64 value is read as what it encodes, with its key: Secret ``data:``, ``echo … | base64 -d``."""
    import base64

    def b64(s: str) -> str:
        return base64.b64encode(s.encode()).decode()

    url = b64("mysql://shop:Wq8zLm3xTk@db-3.internal:3306/shop")
    pw = b64("Tundra2023?")
    for text, value in (
        (f"data:\n  DB_URL: {url}", url),
        (f"data:\n  smtp-pass: {pw}", pw),
        (f"echo {pw} | base64 -d  # the ldap bind password", pw),
    ):
        assert _gone(text, value), text
    for text in (
        f"kind: Secret\ndata:\n  region: {b64('eu-west-1')}\n  LOG_LEVEL: {b64('debug')}",
        f"echo {b64('max_connections=200')} | base64 --decode",
        f"message key={b64('orders.v2')} partition=3",
    ):
        assert redact_text(text) == text, text


def test_bearer_tokens_with_separators_are_not_word_lists() -> None:
    """A base64url token cut by ``-``/``_`` (``tPXq-gsgM…-hcLW``) is not a list of words."""
    value = "vKqLm2-xTz9PwR4nBc8Jd_Hs6GtY1aFe-Ui0oQ"
    assert _gone(f'level=warn msg="401" authorization="Bearer {value}"', value)
    sig = "Xk2mQ9-pL_w4Tz7Rv3Nc6Bd1Fg5Js0Ah8Yt2We4Ku9"
    assert _gone(
        f"https://prod-1.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sv=1.0&sig={sig}", sig
    )
    for text in ("image: prometheus-k8s-dockercfg-6wl6b", "ref: orders-db-credentials-v2"):
        assert redact_text(text) == text, text


def test_host_cidr_and_table_reference_numbers() -> None:
    """A public ``/32`` is one host's address; a reference number named by its table cell is not a phone."""
    assert redact_text('office_ip = "85.150.65.213/32"') == 'office_ip = "[REDACTED:ipv4]/32"'
    for text in (
        "allowed = 85.150.0.0/16",
        "| Return ref | 0800 412 7719 |",
        "| Order ref | Amount |\n|---|---|\n| 0800 412 7719 | 12.00 |",
    ):
        assert redact_text(text) == text, text
    assert redact_text("| Helpdesk phone | 0800 412 7719 |") == "| Helpdesk phone | [REDACTED:phone] |"


def test_word_pair_passwords_under_credential_names() -> None:
    """A password-named property, builder call or object key takes two words and a number."""
    for line, value in [
        ("spring.mail.password=Cobalt.Ferry.62", "Cobalt.Ferry.62"),
        ('opts.username("svc").password("lantern.orbit.2207")', "lantern.orbit.2207"),
        ("{ auth: { username: 'bot', password: 'Willow_Anchor_91' } }", "Willow_Anchor_91"),
    ]:
        assert value not in redact_text(line), line
    # the same shape under a non-credential name is a dotted name and stays
    assert redact_text("spring.profiles.active=Cobalt.Ferry.62") == "spring.profiles.active=Cobalt.Ferry.62"


def test_basic_credential_in_any_column() -> None:
    """``Basic <base64 of user:pw>`` is a credential whatever the column or directive names it."""
    cred = base64.b64encode(b"scraper:Vq7mPz2kLw").decode()
    assert cred not in redact_text(f"| Target | Auth header |\n|---|---|\n| /metrics | Basic {cred} |")
    text = "Basic Auth is how the exporter logs in"  # words after Basic: no pair to decode
    assert redact_text(text) == text


def test_vendor_prefix_table() -> None:
    tokens = [
        "ATBB" + "kR4tW9xZ2mQ7pL3vN8cB5hJ6fD1sG0aY",
        "dapi" + "0f3a9c2e7b1d4a6f8e5c2b9a7d3f1e04",
        "hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi",
        "glsa_" + "Ab3De6Gh9Jk2Mn5Pq8St1Vw4Yz7Bc0Ef" + "_1a2b3c4d",
        "lin_api_" + "Zx8Cv7Bn6Mq5Wr4Et3Yu2Io1Pa9Sd8Fg7Hj6Kl5Qz",
        "pul-" + "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
        "PMAK-" + "5f4e3d2c1b0a99887766554a" + "-" + "0123456789abcdef0123456789abcdef01",
        "dp.st.prd." + "Hq3Lz8Vt2Nw7Kc4Rb9Xm1Pf6Gd5Js0Ay3Eu8Ti2Oo7",
    ]
    for tok in tokens:
        assert tok not in redact_text(f"[09:14] mo: use {tok} for the mirror job"), tok


def test_expansions_and_fingerprints_are_kept() -> None:
    for text in [
        "      - POSTGRES_PASSWORD=${PG_PASS:?set it in .env}",
        "    command: redis-server --requirepass ${REDIS_PASS:-devonly}",
        "gpg --recv-keys 7C1A9E3F5B2D4C6E8A0F1B3D5E7A9C2B4D6F8E0A",
        'const SIGNING_KEY = "7C1A9E3F5B2D4C6E8A0F1B3D5E7A9C2B4D6F8E0A";',
    ]:
        assert redact_text(text) == text, text


# --- the credential position (test6 round) -------------------------------------------------------


def test_one_vocabulary_names_credentials_in_cells_and_prose() -> None:
    """Cells and ``… key:`` prose read the same list of credential names: an ``encryption key`` column
    (once only a prose name) and a ``deploy key`` in prose (once only a column name) both name one."""
    token = "0f3a9c2e7b1d4a6f8e5c2b9a7d3f1e04"  # hex: only a credential name makes it one
    assert token not in redact_text(f"| Service | Encryption key |\n|---|---|\n| ledger | {token} |")
    digest = "9c1f0e7a3b5d2c4e6f8a0b1c3d5e7f9a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e"
    assert digest not in redact_text(f"deploy key: {digest}")
    # a bare ``key`` with a digest is still a record's key
    assert redact_text(f"cache key: {digest}") == f"cache key: {digest}"


def test_password_settings_take_any_password_shape() -> None:
    """A password-named setting holds the password whatever its shape: spaced words (quoted or to the
    end of the line), random letters, Title-Case words joined with a symbol at the end."""
    for line, value in [
        ("mail_pass: lantern orbit willow anchor", "lantern orbit willow anchor"),
        ('[smtp]\npassword = "ferry cobalt lantern orbit"', "ferry cobalt lantern orbit"),
        ("spring.kafka.properties.sasl.password=QpwZerTYvbnMkaLs", "QpwZerTYvbnMkaLs"),
        ("truststore.password=Lantern-Willow-Ferry!", "Lantern-Willow-Ferry!"),
        ("PGPASSWORD='Orbit-Anchor-Cobalt?' psql -h db.internal -U app", "Orbit-Anchor-Cobalt?"),
    ]:
        out = redact_text(line)
        assert value not in out and "[REDACTED:password-assignment]" in out, (line, out)
    for kept in [
        "smtp_password: see the vault entry",
        "db_password = var.db_password",
        "password: required",
        "bypass_cache: Read-Through",
        "admin_password_file: /run/secrets/admin_pw",
    ]:
        assert redact_text(kept) == kept, kept


def test_password_flags_take_the_value_not_the_next_flag() -> None:
    line = "mongosh --username ops --password 'Willow anchor ferry 41!' --host mongo-1.internal"
    assert redact_text(line) == (
        "mongosh --username ops --password '[REDACTED:password-assignment]' --host mongo-1.internal"
    )
    for kept in [
        "mongosh --username ops --password --host mongo-1.internal",
        "docker login --username ci --password-stdin registry.acme.internal",
        "helm repo add int https://charts.internal --password-file ./pw.txt",
        "keytool -list -keystore ts.jks -storepass:env STOREPASS",
    ]:
        assert redact_text(kept) == kept, kept


def test_password_argument_after_a_user_name_in_credential_calls() -> None:
    for line, value in [
        ('requests.get(url, auth=("reporter", "Anchor-Orbit-Lantern!"), timeout=5)', "Anchor-Orbit-Lantern!"),
        ("ftp.login('mirror', 'ferry willow cobalt 7')", "ferry willow cobalt 7"),
        ('creds = PlainCredentials("ingest", "Qz7!mVw2#kLp")', "Qz7!mVw2#kLp"),
    ]:
        out = redact_text(line)
        assert value not in out, (line, out)
        assert out.count('"') == line.count('"') and out.count("'") == line.count("'")
    for kept in [
        'requests.get(url, auth=("reporter", os.environ["REPORT_PW"]))',
        "ftp.login(user, password)",
        'connect("db.internal", "5432")',
        'auth("GET", "/v1/orders")',
    ]:
        assert redact_text(kept) == kept, kept


def test_htpasswd_password_after_separate_flags() -> None:
    line = "htpasswd -b -c /etc/nginx/.htpasswd ops 'lantern.cobalt.482'"
    assert redact_text(line) == "htpasswd -b -c /etc/nginx/.htpasswd ops '[REDACTED:password-assignment]'"


def test_user_password_pairs_where_auth_is_named() -> None:
    out = redact_text("auth_basic_user_file line: ops:wmxqtz8231 (plaintext)")
    assert out == "auth_basic_user_file line: ops:[REDACTED:basic-auth] (plaintext)"
    table = "| Auth header | Owner |\n|---|---|\n| admin:Ferry_Lantern_4410 | sre |"
    assert "Ferry_Lantern_4410" not in redact_text(table) and "admin:" in redact_text(table)
    for kept in [
        "basic auth upstream image: nginx:1.25.3-alpine",
        "user cache key sha256:9c1f0e7a3b5d2c4e6f8a0b1c3d5e7f9a",
        "| Auth | Image |\n|---|---|\n| oidc | app:2.4.1 |",
    ]:
        assert redact_text(kept) == kept, kept


def test_prose_passwords_word_pairs_and_quoted_phrases() -> None:
    out = redact_text("Reset the admin pw to Anchor_Ferry_7731 after the drill.")
    assert "Anchor_Ferry_7731" not in out and out.startswith("Reset the admin pw to [REDACTED:")
    out = redact_text('The guest wifi passphrase in room 4 is "orbit cobalt willow ferry".')
    assert "orbit cobalt willow ferry" not in out
    for kept in [
        'The password for staging is "in the vault under ops".',
        "Rotate the password to a new one after the drill.",
    ]:
        assert redact_text(kept) == kept, kept


def test_one_list_of_words_about_a_credential() -> None:
    """Settings, flags, cells and prose share the words that name something about a credential: a
    column holding an API key's digest and a flag naming the env var with the token are kept."""
    table = "| Client | API key digest |\n|---|---|\n| ledger | 4be0c1d2e3f4a5b6c7d8e9f0a1b2c3d4 |"
    assert redact_text(table) == table
    flag = "deploy --vault-token-env Xq7Lm2Rt9Wz4Kp8N"
    assert redact_text(flag) == flag
    assert "Xq7Lm2Rt9Wz4Kp8N" not in redact_text("deploy --vault-token Xq7Lm2Rt9Wz4Kp8N")


# --- mechanisms meant to reach shapes no rule lists (test7 round) -----------------------------------


def test_vendor_style_tokens_of_unlisted_services_are_redacted() -> None:
    """A short prefix, a separator and a long random body make a token, whatever the vendor: these
    prefixes are in no rule (made-up services, fresh random bodies)."""
    for token in [
        "zqx_7Hf2KpL9mWq4Rt8Vn3Bc6Yd1Gs5Jk0Ae",  # lower prefix, mixed body
        "acmecloud_tkn_x8Fq2LmZ0pRt6WvB3nKc9YsDgH4jQe",  # two-part prefix
        "ORBIT-SECRET-KEY-1QF8Z2M7RL4XK9TD3WC6YN5HBJ0PGSVA",  # upper prefix, upper+digit body
        "wlt_9f3a7c1e5b2d8a4f6c0e9b7d3a1f5c8e2b4d6a0f",  # hex body after an underscore
        "drft.v2.Kq8mZr3Lx7Wt1Pn5Vb9Hc2Jd6Fg4Sy0Ae",
    ]:
        for line in [
            f"export ACME_TOKEN={token}",
            f"[09:14] dana: try this one {token}",
            f"| ledger | {token} |",
        ]:
            out = redact_text(line)
            assert token not in out and "[REDACTED:" in out, (line, out)


def test_vendor_style_detector_keeps_ids_names_and_digests() -> None:
    """What a prefix + body detector must leave alone: object ids with short bodies, names built from
    words and a content hash, digests, versions, random ids with no prefix, paths and URLs."""
    for kept in [
        "refund for pi_3Qw8ErTy6UiOp2AsDf4GhJkL issued",  # Stripe-style id: 24-character body
        "gh api graphql -f query='{ node(id: \"PR_kwDOB7xq3M5Zr8Tn\") { id } }'",
        "kubectl logs payments-worker-7d9f8b6c5d-x2x8k -c app",
        "oc get mc rendered-worker-4be0c1d2e3f4a5b6c7d8e9f0a1b2c3d4 -o yaml",
        "go get github.com/acme/backoff@v0.0.0-20240512094411-3f9a1c7e5b2d",
        '"integrity": "sha512-Zq8mR3xL7wT1pN5vB9hC2jD6fG4sY0aE+Zq8mR3xL7wT1pN5vB9hC2jD6fG4sY0aE=="',
        "segment message 2QbJt8LmZr3Lx7Wt1Pn5Vb9Hc2J dropped",  # KSUID: no prefix
        "com.acme.orders.configuration.OrderServiceConfigurationPropertiesHolder loaded",
        "/nix/store/0c6kq2w8m1v4z9xhdr5f7gj3nlbsyp2a-openssl-3.0.13/lib",
        "https://cdn.acme.example/assets/app_Zq8mR3xL7wT1pN5vB9hC2jD6fG4sY0aE.js",
        "report_2024_05_12T09_44_11Z_checkout_export.csv",
    ]:
        assert redact_text(kept) == kept, kept


def test_keyword_proximity_reaches_across_words_in_prose() -> None:
    """A credential word, a few words, then ``:``/``is``/``->`` and the value: chat lines, timeline rows
    and notes where no setting name sits right before the value."""
    for line, value in [
        ("[08:12] omar: staging vpn pw for the on-call laptop: cobaltFerryOrbit7", "cobaltFerryOrbit7"),
        (
            "- 10:02 noor posted the Zylo API key in #inc-77: 8Kq2mZr3Lx7Wt1Pn5Vb9Hc2Jd6Fg",
            "8Kq2mZr3Lx7Wt1Pn5Vb9Hc2Jd6Fg",
        ),
        ("the break-glass passphrase is still Harbor9-lantern-Ferry", "Harbor9-lantern-Ferry"),
        (
            "[22:41] sam: wg privkey for runner-9 is Zq8mR3xL7wT1pN5vB9hC2jD6fG4sY0aEkLm2Nb7Vc1o=",
            "Zq8mR3xL7wT1pN5vB9hC2jD6fG4sY0aEkLm2Nb7Vc1o=",
        ),
        (
            "wg set wg0 private-key <(echo Zq8mR3xL7wT1pN5vB9hC2jD6fG4sY0aEkLm2Nb7Vc1o=)",
            "Zq8mR3xL7wT1pN5vB9hC2jD6fG4sY0aEkLm2Nb7Vc1o=",
        ),
    ]:
        out = redact_text(line)
        assert value not in out and "[REDACTED:" in out, (line, out)
    for kept in [
        "The API key is rotated every 90 days by Terraform.",
        "[10:40] hana: password is required for the new login flow",
        "pw reset emails were delayed by 4 minutes",
        "api key id 3f1c9a2e-7b4d-4e8a-9c6f-2d5b8a1e7f03 was the one revoked",
        "token for the bot is shared between staging and prod",
        "- [ ] What type of credential is involved? (access key, console password)",
        "the pass rate was 97.5% after the fix",
        "hf-token: aGZfSFJOd2lHV2huVk9XbHFRVE...",
        "[09:02] tobias: the key is in Vault under ops/ledger, ask before using it",
    ]:
        assert redact_text(kept) == kept, kept


def test_generated_password_groups_in_a_password_position() -> None:
    """Apple-style generated passwords (``xxxxxx-Xxxxx9-xxxxxx``) look like resource names; in a
    password's position the capital and digit inside a group give them away."""
    for line, value in [
        ("define( 'DB_PASSWORD', 'kopuvy-Tasem4-wyrolu' );", "kopuvy-Tasem4-wyrolu"),
        ("SMTP_PASS='ruxome-divapy-Qebon7'", "ruxome-divapy-Qebon7"),
        ("| Service | Password |\n|---|---|\n| grafana | fekido-Pumar2-sytova |", "fekido-Pumar2-sytova"),
        ("level=debug db_user=app db_password=Kup7sova host=db.internal", "Kup7sova"),
    ]:
        out = redact_text(line)
        assert value not in out, (line, out)
    for kept in [
        "deployment_name = ledger-api-canary",
        "kubectl rollout restart deploy/orders-migrator-v2",
        "db_password_secret_name = ledger-db-credentials",
    ]:
        assert redact_text(kept) == kept, kept


def test_call_and_command_forms_of_passwords() -> None:
    for line, value in [
        ('let c = Credentials::new("mailer".to_owned(), "Orb1t^ferry7".to_owned());', "Orb1t^ferry7"),
        (
            "Net::SMTP.start('smtp.internal', 587, 'acme.example', 'alerts', 'lanternOrbitFerry42', :login)",
            "lanternOrbitFerry42",
        ),
        ("openssl pkcs12 -export -in a.crt -inkey a.key -out a.p12 -passout pass:Vox8fixa", "Vox8fixa"),
        ('RUN echo "deploy:Zefo4kupa" | chpasswd', "Zefo4kupa"),
        ("CREATE LOGIN loader WITH PASSWORD = N'Qw3rTy9!uIoP', CHECK_POLICY = OFF;", "Qw3rTy9!uIoP"),
        ("lftp -u uploader,'harborMapleOrbit12' sftp://files.internal", "harborMapleOrbit12"),
        (
            "22:02 UTC - kim pasted the Heroku API key into #inc-12: 5d2c9a1e-7b3f-4e8a-9c6d-2f1b8a7e3c04",
            "5d2c9a1e-7b3f-4e8a-9c6d-2f1b8a7e3c04",
        ),
    ]:
        out = redact_text(line)
        assert value not in out, (line, out)
    for kept in [
        "openssl pkcs12 -in b.p12 -nodes -passin env:P12_PASS",
        'echo "$USER:$PW" | chpasswd',
        "lftp -u uploader sftp://files.internal",
        'smtp.PlainAuth("", user, os.Getenv("SMTP_PASS"), host)',
    ]:
        assert redact_text(kept) == kept, kept


def test_test7_look_alikes_that_were_touched_are_kept() -> None:
    """The four look-alikes test7 caught: a YAML ``!vault`` tag, the database after ``mysql -p`` (a
    prompt), the user after ``htpasswd -B`` (bcrypt, not ``-b``) and a hash algorithm's name."""
    for kept in [
        "ansible_become_password: !vault |",
        "mysql -h db.internal -u root -p reports_2023 < dump.sql",
        "htpasswd -B -C 12 /etc/nginx/.htpasswd svc_metrics",
        'password_hash_algorithm = "argon2id"',
    ]:
        assert redact_text(kept) == kept, kept
    assert "Kx9" not in redact_text("mysql -h db.internal -u root -pKx9mQ2v reports")
    assert "Lm4tWq8z" not in redact_text("htpasswd -b -B /etc/nginx/.htpasswd svc_metrics Lm4tWq8z")


# --- round 6: the context decides (tuned on test8) ------------------------------------------------

_HEX24 = "9c41e07b2d58fa3316e0c7d2"
_HEX32 = "5be2c07f9a1d4e36b8f02c91d7a4e6b3"
_HEX64 = _HEX32 + "0f3a9d6c2e71b48a5d9c03e6f1b27a48"
_RAND32 = "qT7vKx2NpL9rWm4ZbY8cHd3FgJ6sAe1U"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a name that says which credential: hex is a key there, not a digest
        (f"HMAC_SIGNING_KEY={_HEX64}", _HEX64),
        (f'  - name: PARTNER_ADMIN_KEY\n    value: "{_HEX32}"', _HEX32),
        (f'setx BILLING_API_TOKEN "{_RAND32}" /M', _RAND32),
        (f"set -gx EDGE_ORIGIN_CA_KEY v1.0-{_HEX24}-{_HEX64}", f"v1.0-{_HEX24}-{_HEX64}"),
        # openssl rand -hex passwords in printouts and prose
        (f"The generated password for the kibana_system user is : {_HEX24}", _HEX24),
        (f"Please use the following password to proceed:\n\n{_HEX24}\n", _HEX24),
        (
            f"$ kubectl get secret grafana-admin -o jsonpath='{{.data.password}}' | base64 -d\n{_HEX24}",
            _HEX24,
        ),
    ],
)
def test_a_name_that_says_credential_takes_any_random_value(text: str, value: str) -> None:
    out = redact_text(text)
    assert value not in out and "[REDACTED:" in out, out


@pytest.mark.parametrize(
    "text",
    [
        f"CONTENT_KEY={_HEX64}",  # a bare *_KEY may hold a hash
        f"token digest {_HEX64} matched the revoked list",
        f"SIGNING_KEY_ID={_HEX32}",
        f'  - name: IMAGE_DIGEST\n    value: "{_HEX64}"',
        f"sha256 of the password file:\n{_HEX64}",
    ],
)
def test_a_name_that_says_digest_or_id_keeps_hex(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("gh secret set SMTP_PASSWORD --body 'Qm7vRt2xLp9w' --repo acme/api", "Qm7vRt2xLp9w"),
        ("az keyvault secret set --vault-name kv1 --name smtp --value 'Zr8pKw3nVb6tYq'", "Zr8pKw3nVb6tYq"),
        ("pulumi config set --secret smtpPassword Harbor7-ember-quartz", "Harbor7-ember-quartz"),
        ("ssh-keygen -t ed25519 -N 'Winter2024#x' -f ./ci_key", "Winter2024#x"),
        ("openssl enc -aes-256-cbc -k maple+violet42 -in a.tar -out a.enc", "maple+violet42"),
        ("sudo -S <<< 'Kf82mZqv0LpX' systemctl restart nginx", "Kf82mZqv0LpX"),
        (f"echo -n '{_HEX24}' | gcloud secrets create smtp --data-file=-", _HEX24),
        ("backup-tool --encryption-key " + _HEX32 + " --bucket b1", _HEX32),
        ("CALL dbms.security.changePassword('Summit4~nimbus~oak');", "Summit4~nimbus~oak"),
        ('redis:auth("x8Vq2LmT9rZp4Kw")', "x8Vq2LmT9rZp4Kw"),
    ],
)
def test_secret_bearing_flags_and_commands_take_their_value(text: str, value: str) -> None:
    out = redact_text(text)
    assert value not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "minisign -Vm release.tar.gz -P RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3",
        "aws kms describe-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab",
        "dynamodb query --sort-key 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "secrets rotated; see the runbook for --value semantics",
    ],
)
def test_flags_that_name_public_keys_or_ids_are_kept(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('10.20.0.1 %any : PSK "cedar+lantern071"', "cedar+lantern071"),
        ("username netops privilege 15 secret 0 b7e1c04a99d2f3186a5e0c4d", "b7e1c04a99d2f3186a5e0c4d"),
        ("rocommunity k3nt8w2qzp7x 10.0.0.0/8", "k3nt8w2qzp7x"),
        ("db-2.internal:5432:orders:app:w8kq2zr5m1xv", "w8kq2zr5m1xv"),
        ("sqlplus system/Tq83mZx0pLk@//db-2.internal:1521/ORCL", "Tq83mZx0pLk"),
        ("ftp -inv files.internal <<EOF\nuser uploader Lq7%mZ2x9\nput a.csv\nEOF", "Lq7%mZ2x9"),
        (
            "curl -b 'PHPSESSID=u7qsxjcuc74aknzqpi8ko4bn5ehip2pa' https://admin.internal/",
            "u7qsxjcuc74aknzqpi8ko4bn5ehip2pa",
        ),
        (
            '{"kty": "OKP", "crv": "Ed25519", "d": "Dq13UVsNVENQ78k3dCeC56PZbY4bcMQSp54ejyjYM1g"}',
            "Dq13UVsNVENQ78k3dCeC56PZbY4bcMQSp54ejyjYM1g",
        ),
        (
            "Private-Lines: 1\nB8s9VWx0Gs6f3gdnxq1FtJbJGsPSIJdCHdqzuXSOIHzKL8rqMzu0iuug3Tu+UtSM",
            "B8s9VWx0Gs6f3gdnxq1FtJbJGsPSIJdCHdqzuXSOIHzKL8rqMzu0iuug3Tu+UtSM",
        ),
        (
            "vault operator unseal ywFFphMKu1FE6He5//T7reIfkLQt5gFD6FVwSY64+SI=",
            "ywFFphMKu1FE6He5//T7reIfkLQt5gFD6FVwSY64+SI=",
        ),
        ("[10:02] sam (DM): creds for the lab box -> root / a91fe0c2d7b3", "a91fe0c2d7b3"),
        (
            "- 09:19 kim pasted the passphrase in the bridge notes: wTTs5QujNKYAevQ3nMY21qEhDxrfbjkJ",
            "wTTs5QujNKYAevQ3nMY21qEhDxrfbjkJ",
        ),
        ("Login: ops\nPW: cedar.orange.Lantern7", "cedar.orange.Lantern7"),
        ('(gdb) p cfg->auth\n$1 = "Zm9xT3kPq8vW2rYc7LdN4bHs6gJ1aKe5"', "Zm9xT3kPq8vW2rYc7LdN4bHs6gJ1aKe5"),
    ],
)
def test_layouts_that_hold_a_credential(text: str, value: str) -> None:
    out = redact_text(text)
    assert value not in out, out


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("key-6008716b2329d7041898b91b62cb275c", "key-6008716b2329d7041898b91b62cb275c"),
        ("FLWSECK-4143bb43d9e188ae9f0e0cec4b567181-X", "FLWSECK-4143bb43d9e188ae9f0e0cec4b567181-X"),
        (
            "access-production-dc271640-aaf0-4ece-a0f2-ef3b09462a5b",
            "access-production-dc271640-aaf0-4ece-a0f2-ef3b09462a5b",
        ),
        ("sdk-54ee4ca3-a0f3-4506-b71e-22f0c390679a", "sdk-54ee4ca3-a0f3-4506-b71e-22f0c390679a"),
    ],
)
def test_vendor_tokens_with_hex_or_uuid_bodies_after_a_credential_prefix(text: str, value: str) -> None:
    out = redact_text(f"[12:01] sam: try this one {text}")
    assert value not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "rendered-worker-6008716b2329d7041898b91b62cb275c rolled out",
        "order-54ee4ca3-a0f3-4506-b71e-22f0c390679a shipped",
        "mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZSIsImEiOiJja3Q0In0.Xq2vR8pL3mZ9wK4tY7nB1c'",
        '{"kty": "OKP", "crv": "Ed25519", "x": "LH85kkwuGEektX3j9YWbLWoksxlMm8_48_0qGHCodqM"}',
        'Public-Key-Pins: pin-sha256="d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="; max-age=600',
        "tls pin for api.internal: d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM=",
        "* Assuming there is no Community dissent, the change is approved.",
    ],
)
def test_public_values_and_names_ending_in_a_hash_are_kept(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ATTENDEE;CN=Kim Lee;ROLE=REQ-PARTICIPANT:mailto:kim.lee@fastmail.com", "kim.lee@fastmail.com"),
        ("| Employee | SSN |\n|---|---|\n| 2231 | 806 21 9286 |", "806 21 9286"),
        ("| Name | NI number |\n|---|---|\n| R. Diaz | JG 10 37 46 B |", "JG 10 37 46 B"),
    ],
)
def test_personal_data_in_uri_schemes_and_named_columns(text: str, value: str) -> None:
    out = redact_text(text)
    assert value not in out, out


def test_user_password_pairs_are_not_read_as_mail_addresses() -> None:
    text = "smtp://alerts:Zq8mXw2pLr@mail.internal:587"
    out = redact_text(text)
    assert "Zq8mXw2pLr" not in out and "[REDACTED:email]" not in out, out
