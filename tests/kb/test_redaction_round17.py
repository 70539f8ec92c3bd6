"""Redaction round 17 (tuned on test20's misses): for each mechanism positives and the look-alikes it
must keep, with fresh fake values (none is a planted row's). The mechanisms are structural: values
inside containers (JSON escapes, plist and XML name/value elements, Gradle ``buildConfigField``) read
with the container's syntax undone; base64-wrapped text redacted whole when what it wraps would be;
credentials told in prose or given to a CLI; national ids of eleven more countries told by their own
checks; and the look-alikes (an adjective ``secret``, ``-u user:pass``, sealed-secrets ciphertext,
documented test cards). The next blind fold measures these rules."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from kb.safety.redaction_containers import container_views
from kb.safety.redaction_national import (
    belgian_number_ok,
    chinese_id_ok,
    codice_fiscale_ok,
    fodselsnummer_ok,
    hetu_ok,
    nric_ok,
    pesel_ok,
    pps_ok,
    rrn_ok,
    sa_id_ok,
    steuer_id_ok,
)
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "k6TpbQ9oKkzCVlmoR0"
_TOKEN = "Drb1XUpeKrzWI5jp05Rt2Ms-N9mVS23SEAaHj87pDOtE"
_UTF16 = "VAB1AG4AZAByAGEALgBQAGkAawBlAC4ANwA3ADMAMQBQAGEAcwBzAHcAbwByAGQA"  # Tundra.Pike.7731Password
_HEX32 = "bd8d59f87d17b8a117fb36405dea31d9"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # JSON-escaped strings: JSON inside JSON, a notebook's source line
        (r'{"payload": "{\"db_password\": \"' + _PW + r'\"}"}', _PW),
        (r'    "client = connect(user=\"etl\", password=\"' + _PW + r'\")\n",', _PW),
        (r'    "headers = {\"Authorization\": \"Bearer ' + _TOKEN + r'\"}\n",', _TOKEN),
        # a name and its value as two elements
        (f"<key>SyncServicePassword</key>\n<string>{_PW}</string>", _PW),
        (f"<dict>\n  <key>ApiToken</key>\n  <string>{_TOKEN}</string>\n</dict>", _TOKEN),
        (f"<UserAccounts>\n  <Password>\n    <Value>{_PW}</Value>\n  </Password>", _PW),
        (f'buildConfigField "String", "MAPS_API_KEY", "\\"{_TOKEN}\\""', _TOKEN),
        # base64-wrapped text whose content the redactor would redact
        (
            "data:\n  app.properties: ZGIucGFzc3dvcmQ9azZUcGJROW9La3pDVmxtb1IwCg==",
            "ZGIucGFzc3dvcmQ9azZUcGJROW9La3pDVmxtb1IwCg==",
        ),
        (
            "echo W215c3FsXQp1c2VyPWV0bApwYXNzd29yZD0iYVVWTlpHOVJCSzVya1ppbDZ2eEYiCg== | base64 --decode",
            "W215c3FsXQp1c2VyPWV0bApwYXNzd29yZD0iYVVWTlpHOVJCSzVya1ppbDZ2eEYiCg==",
        ),
        (
            f"<AutoLogon>\n  <Password>\n    <Value>{_UTF16}</Value>\n    <PlainText>false</PlainText>",
            _UTF16,
        ),
        # credentials told in prose or handed to a CLI
        (f"| 03:10 | ana | reset svc-backup to `{_PW}` after the wipe |", _PW),
        (f"the token for the staging webhook was {_TOKEN}", _TOKEN),
        (f"> bearer for the billing API is {_TOKEN}", _TOKEN),
        ("!wandb login b5a6114573befb7c1ff11a770cda7b46ff89c1c7", "b5a6114573befb7c1ff11a770cda7b46ff89c1c7"),
        ('{"username":"ml-team","key":"' + _HEX32 + '"}', _HEX32),
        # a secret-named value of random letters only, and one led by a dot
        ("REVENUE_SECRET_KEY=sk_ixtIKqhYmjqiJSWYkYKxyGxkXTtlYt", "sk_ixtIKqhYmjqiJSWYkYKxyGxkXTtlYt"),
        ('API_KEY = ".Rt2Ms-N9mVS23SEAaHj87pDOtE5x"', ".Rt2Ms-N9mVS23SEAaHj87pDOtE5x"),
        # a US phone in three spaced groups
        ("page the storage on-call at 312 555 0147 after hours", "312 555 0147"),
        ("escalation line: 415 738 2290", "415 738 2290"),
    ],
)
def test_round17_positives(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # containers holding nothing secret
        (r'{"body": "{\"replicas\": \"3\", \"image\": \"nginx:1.27\"}"}', "nginx:1.27"),
        ("<key>CFBundleIdentifier</key>\n<string>com.quillmoor.desk</string>", "com.quillmoor.desk"),
        (
            "<key>PasswordPolicyURL</key>\n<string>https://id.example.com/policy</string>",
            "https://id.example.com/policy",
        ),
        ("<Timezone>\n  <Value>UTC</Value>", "UTC"),
        ('buildConfigField "String", "BUILD_FLAVOR", "\\"productionRelease\\""', "productionRelease"),
        # base64 of text that is not a secret, and of binary (a certificate)
        (
            "config.yaml: cmVwbGljYXM6IDMKaW1hZ2U6IG5naW54OjEuMjcuMwpwb3J0OiA4MDgwCg==",
            "cmVwbGljYXM6IDMKaW1hZ2U6IG5naW54OjEuMjcuMwpwb3J0OiA4MDgwCg==",
        ),
        ("  tls.crt: MIIDdzCCAl+gAwIBAgIEbXk1a0Qw8fRt3hZq", "MIIDdzCCAl+gAwIBAgIEbXk1a0Qw8fRt3hZq"),
        # prose that sets something that is not a password
        ("we set replicas to `6` and reset the flag to `enabled`", "enabled"),
        ("the token for the session is stored in the vault", "vault"),
        ("wandb login --relogin", "--relogin"),
        ('{"name":"cache","key":"' + _HEX32 + '"}', _HEX32),
        # a letters-only CamelCase name after a secret-named key
        ("SECRET_KEY_SOURCE=VaultKubernetesAuthBackend", "VaultKubernetesAuthBackend"),
        # three spaced groups that are not a phone
        ("moved 312 736 0147 rows in batch 9", "312 736 0147"),
        # look-alikes: an adjective, a placeholder pair, sealed ciphertext, documented test cards
        (
            "> ana: that value looked secret but it was b5a6114573befb7c1ff11a770cda7b46ff89c1c7",
            "b5a6114573befb7c1ff11a770cda7b46ff89c1c7",
        ),
        ("curl -u user:password https://api.internal.example/v1", "user:password"),
        (
            "spec:\n  encryptedData:\n    db_password: AgC4xT0v2Kq9mWzR7pLfN3sYbH6uJd8eQa1iVo5gXc+Zt/Bn"
            "\n  template:\n    metadata:\n      name: db",
            "AgC4xT0v2Kq9mWzR7pLfN3sYbH6uJd8eQa1iVo5gXc+Zt/Bn",
        ),
        (
            '{"kind":"SealedSecret","spec":{"encryptedData":{"token":"AgBq7Nf2Lx9pWm4Rz8TcVy1Hd6Ks3Ge0Ju5Yb"}}}',
            "AgBq7Nf2Lx9pWm4Rz8TcVy1Hd6Ks3Ge0Ju5Yb",
        ),
        ("checkout smoke test card: 3530111333300000", "3530111333300000"),
        ("TEST_MC=5454545454545454", "5454545454545454"),
    ],
)
def test_round17_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # named by a word, a key or a column header
        ("a customer in Köln sent their Steuer-ID 23 683 134 797 by mail", "23 683 134 797"),
        ("steuer_id;kunde\n98847236153;M. Brandt", "98847236153"),
        ("the form had PESEL 88082109123 in it", "88082109123"),
        ('  "fodselsnummer": "02076803172"', "02076803172"),
        ("a Shanghai partner's resident ID 110636197303276255 on the scan", "110636197303276255"),
        ("NRIC T1171359E given for verification", "T1171359E"),
        ("| name | PPSN |\n|---|---|\n| A. Byrne | 1731911F |", "1731911F"),
        ("resident registration number 9802151240185 in the body", "9802151240185"),
        ("id_number,name\n7709117122084,Thabo", "7709117122084"),
        # specific shapes that stand alone on their check
        ("copied LLSFVG14B15D291F into the export", "LLSFVG14B15D291F"),
        ("row 7 held 69.11.06-715.49", "69.11.06-715.49"),
        ("the attachment named 190686-0552 in its title", "190686-0552"),
        ("ticket body: 960205-1385785", "960205-1385785"),
    ],
)
def test_round17_national_ids(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a word but a failed check, a check but no word
        ("steuer_id_check_failed=86955243574", "86955243574"),
        ("PESEL 95091382867 (invalid)", "95091382867"),
        ("codice fiscale SOZYFV79E79C441U is mistyped", "SOZYFV79E79C441U"),
        ("order 88082109123 shipped", "88082109123"),
        ("snowflake id 110636197303276255 in the log", "110636197303276255"),
        ("build T1171359E passed", "T1171359E"),
        ("batch 7709117122084 done", "7709117122084"),
    ],
)
def test_round17_national_id_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_each_national_check_accepts_its_number_and_rejects_a_changed_digit() -> None:
    valid = {
        steuer_id_ok: "98847236153",
        codice_fiscale_ok: "YVABDN11M59S720U",
        pesel_ok: "79101738226",
        belgian_number_ok: "61.07.09-809.57",
        fodselsnummer_ok: "24115255343",
        hetu_ok: "020452-558X",
        chinese_id_ok: "273266197109157459",
        nric_ok: "S9045193F",
        pps_ok: "8324412B",
        rrn_ok: "980215-1240185",
        sa_id_ok: "9010120430186",
    }
    for check, value in valid.items():
        assert check(value), (check.__name__, value)
        last = value[-1]
        other = ("1" if last == "0" else "0") if last.isdigit() else ("B" if last == "A" else "A")
        changed = value[:-1] + other
        assert not check(changed), (check.__name__, changed)


def test_a_view_maps_found_values_back_to_the_original() -> None:
    text = r'x = "{\"password\": \"' + _PW + r'\"}"'
    (view,) = container_views(text)
    start = view.text.index(_PW)
    assert view.span(start, start + len(_PW)) == (text.index(_PW), text.index(_PW) + len(_PW))
    assert redact_text(text) == r'x = "{\"password\": \"[REDACTED:password-assignment]\"}"'
