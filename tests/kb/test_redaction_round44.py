"""Redaction round 44 (tuned on test47's first reading): the Samba tools' ``user%password``
(``smbclient``, ``rpcclient``, ``net``, ``mount.cifs``); Junos ``$9$`` strings (reversible, like Cisco
type 7) in a secret position of the configuration and where a line calls them a password; an Odoo
API key as the third argument of ``execute_kw``; a BMC's ``Administrator / PW`` told in chat; a table
row naming an admin account on a host. Kept: a Nextcloud ``pbkdf2_sha512`` hash, a key a comment calls
a docs test key or a public half, Scaleway's access key id, OVH's application key, Cisco's type 9
hash, a ``$9$`` template. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "qWRmtZKvLpxNBs"  # random letters: the position says it is a password
_STRONG = "Hq7rLz2VwKp9Tn"
_JUNOS = "$9$Ab1CdEfGh-IjKl.MnOp/QrSt"
_ODOO = "5c0e9a7b3d2f18e6a4c0b9d8e7f6a5b4c3d2e1f0"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Samba tools: the part after ``%``
        (f"$ smbclient //files-2/ledger -U CORP/backup%'{_STRONG}'", _STRONG),
        (f"smbclient -L files-2 -U backup%{_STRONG}", _STRONG),
        (f"rpcclient -U 'CORP\\\\svc_scan%{_STRONG}' 10.44.1.9 -c enumdomusers", _STRONG),
        (f"net rpc user info svc_scan -U CORP/admin%{_PW} -S dc-1", _PW),
        (f"mount -t cifs //files-2/ledger /mnt/ledger -o username=backup%{_STRONG},vers=3.0", _STRONG),
        # Junos ``$9$`` in a secret position
        (f'set system radius-server 10.44.0.7 secret "{_JUNOS}"', _JUNOS),
        (f'set security ike policy hq pre-shared-key ascii-text "{_JUNOS}"', _JUNOS),
        (f'set protocols ospf area 0 interface ge-0/0/1 authentication md5 1 key "{_JUNOS}"', _JUNOS),
        (f'set snmp community "{_JUNOS}" authorization read-only', _JUNOS),
        # and where a line calls it a password
        (f"The `$9$` value on edge-2 ({_JUNOS}) decodes to the old admin password.", _JUNOS),
        # Odoo XML-RPC key as a positional argument
        (f"models.execute_kw(db, uid, '{_ODOO}', 'res.partner', 'search_read', [[]])", _ODOO),
        (f'ids = proxy.execute_kw(DB, 7, "{_ODOO}", "sale.order", "search", [[]])', _ODOO),
        # BMC credentials told in chat
        (f"09:12 kofi> iDRAC on db-3 is root / {_PW} until the rotation", _PW),
        (f"iLO on app-4 is Administrator / {_STRONG}", _STRONG),
        # a table row naming an admin account on a host
        (f"| step 2 | RouterOS admin on edge-7 | {_PW} | in the vault |", _PW),
    ],
)
def test_round44_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("smbclient -U backup% //files-2/ledger", "backup%"),
        ("smbclient //files-2/ledger -U CORP/backup%$SMB_PASSWORD", "$SMB_PASSWORD"),
        ("mount -t cifs //files-2/x /mnt/x -o username=backup%<password>", "<password>"),
        ("printf 'done %s%%\\n' 42 | net-report", "%%"),
        # Cisco type 9 is a hash (``$9$salt$hash``); a template of X's is no secret
        (
            "username ops secret 9 $9$Zq8.Wx3Lm5Tn2R$Kd9sPq4LwX7nV2bHc8RtYz1mQf6JgU3eA0iO5pLs9Wd",
            "$9$Zq8.Wx3Lm5Tn2R$Kd9sPq4LwX7nV2bHc8RtYz1mQf6JgU3eA0iO5pLs9Wd",
        ),
        (
            'set security ike policy hq pre-shared-key ascii-text "$9$XXXXXXXXXXXX"  # template',
            "$9$XXXXXXXXXXXX",
        ),
        # (round 44 kept a ``$9$`` under a login's ``encrypted-password`` here; round 45 redacts it,
        # as test48 labels it: tests/kb/test_redaction_round45.py)
        # execute_kw with a variable, not a literal
        ("models.execute_kw(db, uid, api_key, 'res.partner', 'search', [[]])", "api_key"),
        # a BMC told with a default word
        ("iLO on app-4 is Administrator / password", "password"),
        # hashes, docs keys and public halves
        (
            "nextcloud oc_users.password = 3|pbkdf2_sha512$a1b2c3d4e5f60718293a4b5c6d7e8f90$"
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "pbkdf2_sha512$a1b2c3d4e5f60718293a4b5c6d7e8f90$"
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        ),
        (
            "MOLLIE_API_KEY=test_Qw3rTy9UiOp2AsDfGh4JkLz8XcVbNm  # Mollie docs test key",
            "test_Qw3rTy9UiOp2AsDfGh4JkLz8XcVbNm",
        ),
        ("app_key=Lm4Nq8RsTv2WxYz6  # OVH application key, public half", "Lm4Nq8RsTv2WxYz6"),
        ("SCW_ACCESS_KEY=SCWQ4ZP8X2M7K9R3T5V1", "SCWQ4ZP8X2M7K9R3T5V1"),
        ("[ovh-ca]\napplication_key=Pz7Kq2Wm9Lx4Rt6N", "Pz7Kq2Wm9Lx4Rt6N"),
    ],
)
def test_round44_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the secret siblings of the public halves stay redacted
        ("SCW_SECRET_KEY=4b1e7c2a-9d3f-4e8b-a6c5-1f2e3d4c5b6a", "4b1e7c2a-9d3f-4e8b-a6c5-1f2e3d4c5b6a"),
        ("[ovh-ca]\napplication_secret=Vb8Nm3Qw7Er2Ty5Ui9Op1As4Df6Gh0Jk", "Vb8Nm3Qw7Er2Ty5Ui9Op1As4Df6Gh0Jk"),
        # Backblaze's application key is a secret: no OVH on the line
        ("B2_APPLICATION_KEY=K005Zx8Cv2Bn6Mq4Wr9Ty3Ui7Op1As5Df", "K005Zx8Cv2Bn6Mq4Wr9Ty3Ui7Op1As5Df"),
        # a comment that says the key is not public
        ("app_key=Lm4Nq8RsTv2WxYz6Hk3J  # not the public half: the app secret", "Lm4Nq8RsTv2WxYz6Hk3J"),
    ],
)
def test_round44_secret_siblings_stay_redacted(text: str, value: str) -> None:
    _gone(text, value)
