"""Redaction round 48 (tuned on the first readings of test54 and test55): secrets CLIs take or print
(``configure set``, Consul/Nomad ACL tokens, ``<tool> auth V``, ``-k HEX``, ``curl -u KEY:``),
passwords echoed into or printed from credential files, GOV.UK Notify-style keys, integration webhook
URLs, an INI secret section, passphrases under ``…_TOKEN`` names, ``login: EMAIL / PW`` in chat,
OVH's consumer key, a GCS HMAC access id, ``key=`` on an API URL, a key a note gives after a colon.
Kept: a stored password the line marks ``encrypted``, ids, public halves, placeholders. Fresh fake
values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PHRASE = "lantern-quarry-bramble48"
_STRONG = "Wq7Lp2Xz9Kv4Rt8N"
_SYMBOL = "Quill482!Harbor"
_AWS_SECRET = "q7Rk2Lm9Xv4Tz8Bn3Wc6Hp1Jd5Fs0Ga+Ye/Ui7Oa"
_UUID = "8a688295-b017-4018-abc5-9834a485770c"
_UUID2 = "30dc2a32-d25b-444b-942f-7c69f6ca093a"
_HEX40 = "4e1f9a0c7b3d2e8f6a5c1b0d9e7f3a2c4b6d8e0f"
_TOKEN = "Zk3pQ8wLm2Xr7Tv9Nc4Bh6Jy1Fd5Gs0K"
_LONG = "pq7wk2mz9xv4tr8bn3wc6hp1jd5fs0gaye7uio2lk4jh6gf8ds"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``configure set`` with a secret-named key
        (f"$ aws configure set aws_secret_access_key {_AWS_SECRET} --profile prod", _AWS_SECRET),
        (f"$ aws configure set profile.ci.aws_secret_access_key '{_AWS_SECRET}'", _AWS_SECRET),
        (f"$ acme-cli configure set api_token {_TOKEN}", _TOKEN),
        # HashiCorp ACL tokens: set, printed, named in a note
        (f"$ consul acl set-agent-token agent {_UUID}", _UUID),
        (f"$ consul acl set-agent-token default {_UUID2}", _UUID2),
        (f"$ nomad acl bootstrap\nAccessor ID  = {_UUID2}\nSecret ID    = {_UUID}\nName = Bootstrap", _UUID),
        (f"$ consul acl token read -self\nAccessorID:   {_UUID2}\nSecretID:     {_UUID}", _UUID),
        (f"OPS-7 (kim): the Consul SecretID we bootstrapped with: {_UUID}", _UUID),
        # a CLI's positional token and its -k key
        (f"$ snyk auth {_UUID}", _UUID),
        (f"$ acme login {_TOKEN}", _TOKEN),
        (f"$ cloudsmith push raw acme/tools dist/tool.tgz -k {_HEX40}", _HEX40),
        # an API key as curl's basic-auth user
        (f"$ curl -u {_LONG}:token https://graylog.site.internal/api/system", _LONG),
        (f'$ curl -u "{_TOKEN}:x" https://api.vendor.example/v3/clients.json', _TOKEN),
        (f"$ curl -s -u {_TOKEN}: https://api.vendor.example/v1/items", _TOKEN),
        # a password echoed into a credential file, a credential file printed
        (f"$ echo '{_SYMBOL}' > /var/ossec/etc/authd.pass", _SYMBOL),
        (f"$ echo {_STRONG} > ~/.config/acme/api.token", _STRONG),
        (f"$ sudo cat /etc/openvpn/client/site-3.auth\nsite-3\n{_SYMBOL}", _SYMBOL),
        # Notify-style keys
        (f"NOTIFY_API_KEY=acme_live-{_UUID}-{_UUID2}", f"acme_live-{_UUID}-{_UUID2}"),
        (f"client = NotificationsAPIClient('test-key-{_UUID2}-{_UUID}')", f"test-key-{_UUID2}-{_UUID}"),
        # integration webhook URLs
        (
            "ONCALL=https://oncall-prod-us-central-0.grafana.net/oncall/integrations/v1/alertmanager/"
            "Hq7Lp2Xz9Kv4Rt8NwBc3Jd5Fs/",
            "Hq7Lp2Xz9Kv4Rt8NwBc3Jd5Fs",
        ),
        # a secret INI section, a passphrase under a token name, a chat login
        (f"[SecurityCode]\nCode={_STRONG}", _STRONG),
        (f"[Credentials]\nUser=ops\nPassword={_SYMBOL}", _SYMBOL),
        (f"ZEROTIER_CENTRAL_TOKEN={_PHRASE}", _PHRASE),
        (f"export BACKUP_SECRET='{_PHRASE}'", _PHRASE),
        (
            f"ana (Slack #ops, 09:12): Mailchimp login for the newsletter: ops@site.example / {_PHRASE}",
            _PHRASE,
        ),
        (f"Canva credentials: design@site.example / {_SYMBOL}", _SYMBOL),
        # OVH's consumer key, a GCS HMAC access id
        (f"consumer_key={_TOKEN}", _TOKEN),
        (
            "GCS_HMAC_ACCESS_ID=GOOG1EQ7LP2XZ9KV4RT8NWBC3JD5FS0GAYE7UIO2LK4JH6GF8DSA1QW3ER5TY",
            "GOOG1EQ7LP2XZ9KV4RT8NWBC3JD5FS0GAYE7UIO2LK4JH6GF8DSA1QW3ER5TY",
        ),
        # keys on an API URL and in a ticket note
        ("https://api.what3words.com/v3/autosuggest?input=index.home.raft&key=Q7LP2XZ9", "Q7LP2XZ9"),
        (f"curl 'https://maps.vendor.example/api/geocode?q=York&key={_TOKEN}'", _TOKEN),
        (f"Zendesk #4411 (ana): Mapbox key from the old route planner: {_TOKEN}", _TOKEN),
    ],
)
def test_round48_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``configure set`` with a non-secret key, or a variable
        ("$ aws configure set region eu-west-2 --profile prod", "eu-west-2"),
        ("$ aws configure set aws_secret_access_key $AWS_SECRET_ACCESS_KEY", "$AWS_SECRET_ACCESS_KEY"),
        ("$ aws configure set sso_key_name ops-admin-role", "ops-admin-role"),
        # the accessor id is an id; a SecretID with no HashiCorp context; a placeholder
        (f"$ nomad acl bootstrap\nAccessor ID  = {_UUID2}\nSecret ID    = <redacted>", _UUID2),
        (f"OPS-7: the Consul token's AccessorID and SecretID: accessor {_UUID2}", _UUID2),
        (f"Azure portal: client secret ID {_UUID} (the value is in Key Vault)", _UUID),
        ("$ consul acl set-agent-token agent $CONSUL_AGENT_TOKEN", "$CONSUL_AGENT_TOKEN"),
        # auth commands with words, hosts or ids; curl users that are names
        ("$ gh auth login", "login"),
        ("$ docker login registry.site.example", "registry.site.example"),
        ("$ curl -u admin:$PW https://host/api", "admin"),
        ("$ curl -k https://host.internal/api/health", "https://host.internal/api/health"),
        ("$ sort -k 2 users.txt", "2"),
        # echo of a variable or into a non-secret file; cat of a config
        ('$ echo "$AUTHD_PASS" > /var/ossec/etc/authd.pass', "$AUTHD_PASS"),
        ("$ echo Kx7Lp2Xz9Kv4 > /tmp/notes.txt", "Kx7Lp2Xz9Kv4"),
        ("$ cat /etc/openvpn/client/site-3.conf\nclient\nremote vpn.site.example 1194", "vpn.site.example"),
        # request ids, one UUID, webhook URLs with a word as last segment
        (f"trace-{_UUID}", f"trace-{_UUID}"),
        ("https://grafana.site.example/oncall/integrations/v1/alertmanager/", "alertmanager"),
        # sections and names that are not secrets; passphrase-looking names
        ("[Display]\nCode=Kx7Lp2Xz9Kv4Rt", "Kx7Lp2Xz9Kv4Rt"),
        ("[SecurityCode]\nCode=${SECURITY_CODE}", "${SECURITY_CODE}"),
        ("SORT_TOKEN=created-at-desc", "created-at-desc"),
        ("ZEROTIER_CENTRAL_TOKEN=${ZT_TOKEN}", "${ZT_TOKEN}"),
        ("login for the wiki: ops@site.example / see vault", "see"),
        ("login: ops@site.example / https://sso.site.example", "https://sso.site.example"),
        # an OAuth client's consumer key (public half), Magento's lower-case form, the GCS example
        (
            "sf.consumer.key=3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1uJ",
            "3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1uJ",
        ),
        ("consumer_key=7d2k4m8p1q9r3s5t6v0w2x4y6z8a1b3c", "7d2k4m8p1q9r3s5t6v0w2x4y6z8a1b3c"),
        (
            "GOOG1EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE",
            "GOOG1EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE",
        ),
        # key= that is a path or a word; a key note that names an id
        ("https://api.site.example/v1/objects?key=reports/2026/q1.csv", "reports/2026/q1.csv"),
        ("https://www.site.example/search?key=Q7LP2XZ9", "Q7LP2XZ9"),
        (f"Zendesk #4411: Mapbox key from the old planner: id {_TOKEN}", _TOKEN),
        (f"partition key for the events table: {_TOKEN}", _TOKEN),
        # a stored password the line marks encrypted
        ("username vpn password Xk29pLmQw81ZrT4v encrypted privilege 15", "Xk29pLmQw81ZrT4v"),
        ("username ops password Pq7Wk2Mz9Xv4Tr8B pbkdf2 privilege 15", "Pq7Wk2Mz9Xv4Tr8B"),
    ],
)
def test_round48_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a typed password with no stored-form keyword stays a password
        (f"username vpn password {_STRONG} privilege 15", _STRONG),
        (f"username vpn password {_STRONG}", _STRONG),
        # a consumer secret beside its key stays redacted
        (f"consumer_secret={_TOKEN}", _TOKEN),
    ],
)
def test_round48_secrets_beside_the_kept_forms_stay_redacted(text: str, value: str) -> None:
    _gone(text, value)
