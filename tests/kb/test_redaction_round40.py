"""Redaction round 40 (tuned on test43's first reading): passwords that directory and access services
put where their own tools and files read them, whatever their shape (an OpenLDAP client's ``-w``,
``ldappasswd -s``/``-a``, a FreeRADIUS ``client``/``home_server`` block's ``secret``, a tac_plus
``key``, a SIP2 message's ``CO``/``AC``/``AD`` fields, an EZproxy ``user.txt``); a literal fed by a
here-string to a command that reads a secret from stdin (``az devops login <<< PAT``); an XML
``<pass>``/``<pwd>`` element; two password words joined by a slash in prose (``admin PIN/password
V``); application keys named by their framework or SDK (Django's ``SECRET_KEY`` in its generator's
alphabet, Drupal's ``hash_salt`` and other CMS site secrets, ``meraki.DashboardAPI('…')``). Kept:
published CAPTCHA test keys, a Duo integration key, a Mailgun public validation key, and the usual
variables, templates, placeholders, paths, prompts and scope words. Fresh fake values, none a planted
row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_LETTERS = "kqRWnbTZpLmvXs"  # letters only: the place says it is a password
_OTHER = "tuKXCGoDamSvQM"
_DJANGO = "k2v(8n!q@m7z^w3x&c5b=r9t+y1u-i4o*p6a)s0d_f2g%h8jl"
_HEX32 = "4e8a1c9f2b7d6e3a0c5f8b1d9e2a7c4f"
_HEX40 = "7c2e9a4f1b8d3e6a0c5f9b2d8e1a4c7f3b6d9e0a"
_ADO_PAT = "r4mz7qkxw2bfn5jtc3vyh6pde8lga9sou2iwq7xkr5mzt3nfb4jc"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # an XML element named by a short password word
        (f"<koha_conf><config><user>koha_fen</user><pass>{_LETTERS}</pass></config></koha_conf>", _LETTERS),
        (f"<sip><login><pwd>{_LETTERS}</pwd></login></sip>", _LETTERS),
        # OpenLDAP and 389-DS clients' bind password, ldappasswd's new and old password, slappasswd
        (
            f"$ ldapsearch -x -H ldaps://dir.fen.internal -D cn=admin,dc=fen -w {_LETTERS} '(uid=ana)'",
            _LETTERS,
        ),
        (f"$ ldapmodify -x -D cn=admin,dc=fen,dc=internal -w '{_LETTERS}' -f add-user.ldif", _LETTERS),
        (f"$ ldapwhoami -x -D uid=scanner,ou=svc,dc=fen,dc=internal -w{_LETTERS}", _LETTERS),
        (f"$ ldappasswd -x -D cn=admin,dc=fen -W -s {_LETTERS} uid=scanner,ou=svc,dc=fen", _LETTERS),
        (f"$ ldappasswd -x -D uid=scanner,ou=svc,dc=fen -a {_OTHER} -s {_LETTERS}", _OTHER),
        (f"$ slappasswd -h {{SSHA}} -s {_LETTERS}", _LETTERS),
        (
            f'$ dsconf -D "cn=Directory Manager" -w {_LETTERS} ldap://ds1.fen.internal backend suffix list',
            _LETTERS,
        ),
        (f"$ /usr/bin/ldapsearch -LLL -x -D cn=reader,dc=fen -w {_LETTERS} -b dc=fen", _LETTERS),
        # RADIUS and TACACS+ shared secrets
        (f"client scanners {{\n    ipaddr = 10.9.0.0/16\n    secret = {_LETTERS}\n}}", _LETTERS),
        (
            f"home_server archive-radius {{\n    type = auth\n    port = 1812\n    secret = {_LETTERS}\n}}",
            _LETTERS,
        ),
        (
            "client scanners {\n    ipaddr = 10.9.0.0/16\n"
            "    limit {\n        max_connections = 16\n    }\n"
            f"    secret = {_LETTERS}\n}}",
            _LETTERS,
        ),
        (f"# /etc/tac_plus.conf\nkey = {_LETTERS}\nuser = ops {{ login = PAM }}", _LETTERS),
        # SIP2: the login's CO, a patron message's AD, a checkout's AC
        (f"9300CNscanner-02|CO{_LETTERS}|CPMAIN|", _LETTERS),
        (f"6300120250312    094500          AOFEN|AA29000111222333|AD{_LETTERS}|BP1|BQ5|", _LETTERS),
        (f"11YN20250312    09450020250312    094500AOFEN|AA29000111222333|AB3900044|AC{_LETTERS}|", _LETTERS),
        # an EZproxy user file, plain, admin and with options
        (f"# /opt/ezproxy/user.txt\nlibstaff:{_LETTERS}\nops:{_OTHER}:admin", _LETTERS),
        (f"# /opt/ezproxy/user.txt\nlibstaff:{_LETTERS}\nops:{_OTHER}:admin", _OTHER),
        (f"EZproxy user.txt:\ngroupacct:{_LETTERS}::Groups=Staff", _LETTERS),
        # a here-string into a command that reads the secret from stdin
        (f"$ az devops login --organization https://dev.azure.com/fenarchive <<< {_ADO_PAT}", _ADO_PAT),
        (f"$ oras login registry.fen.internal -u ci --password-stdin <<< '{_LETTERS}'", _LETTERS),
        (f"$ kinit ops@FEN.INTERNAL <<< {_LETTERS}", _LETTERS),
        # two password words joined by a slash
        (f"front desk card reader: admin PIN/password {_LETTERS}", _LETTERS),
        # Django's generated key, CMS site secrets
        (f"SECRET_KEY = '{_DJANGO}'", _DJANGO),
        (f'    "SECRET_KEY": "{_DJANGO}",', _DJANGO),
        (f"DJANGO_SECRET_KEY={_DJANGO}", _DJANGO),
        (f"$settings['hash_salt'] = '{_HEX32}';", _HEX32),
        (f"$drupal_hash_salt = '{_HEX32}';", _HEX32),
        (f"$CFG->passwordsaltmain = '{_HEX32}';", _HEX32),
        (f"\tpublic $secret = '{_LETTERS}';", _LETTERS),
        # a vendor SDK's client with the key as its first argument
        (f"In [3]: dashboard = meraki.DashboardAPI('{_HEX40}')", _HEX40),
        (f'client = shodan.Shodan("{_LETTERS}{_OTHER}")', f"{_LETTERS}{_OTHER}"),
        (f"owm = pyowm.OWM('{_HEX32}')", _HEX32),
        # beside the kept public halves, the secret halves stay redacted
        (f"DUO_SKEY={_LETTERS}4k{_OTHER}7q", f"{_LETTERS}4k{_OTHER}7q"),
        (f"MAILGUN_API_KEY=key-{_HEX32}", _HEX32),
        (
            "RECAPTCHA_SECRET_KEY=6LcQ8wIqAAAAAPx3Yv9Kd2Lm7Rt4Wn1Bz6Hs5Jq0",
            "6LcQ8wIqAAAAAPx3Yv9Kd2Lm7Rt4Wn1Bz6Hs5Jq0",
        ),
    ],
)
def test_round40_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # LDAP: a scope, a dereferencing mode, prompts, a file, variables, placeholders
        ("$ ldapsearch -x -LLL -s sub -b dc=fen,dc=internal '(uid=ana)'", "sub"),
        ("$ ldapsearch -x -a always -b dc=fen,dc=internal '(uid=ana)'", "always"),
        ("$ ldapsearch -x -D cn=admin,dc=fen -y /etc/ldap.secret '(uid=ana)'", "/etc/ldap.secret"),
        ("$ ldapsearch -x -D cn=admin,dc=fen -w $LDAP_BIND_PW '(uid=ana)'", "$LDAP_BIND_PW"),
        ('$ ldapsearch -x -D cn=admin,dc=fen -w "${LDAP_BIND_PW}" -b dc=fen', "${LDAP_BIND_PW}"),
        ("$ ldappasswd -x -D cn=admin,dc=fen -w <bind-password> -s <new-password> uid=ana", "<new-password>"),
        ("$ grep -w 'timeout' /var/log/slapd.log", "timeout"),
        # RADIUS: an environment reference, a placeholder, a block without a secret
        ("client localhost {\n    ipaddr = 127.0.0.1\n    secret = $ENV{RADIUS_SECRET}\n}", "RADIUS_SECRET"),
        ("client scanners {\n    ipaddr = 10.9.0.0/16\n    secret = <shared-secret>\n}", "<shared-secret>"),
        # SIP2: empty password fields, a Markdown table naming the fields
        ("9300CNscanner-02|CO|CPMAIN|", "CPMAIN"),
        ("6300120250312    094500          AOFEN|AA29000111222333|AD|BP1|BQ5|", "AA29000111222333"),
        ("| AO | AD | CO |", "| AO | AD | CO |"),
        # EZproxy directives under the heading are not user lines
        ("# ezproxy/user.txt\n::CGI=https://login.fen.example/ezproxy\nIncludeFile groups.txt", "groups.txt"),
        # here-strings: a variable, no command that reads a secret
        ("$ az devops login <<< $AZURE_DEVOPS_EXT_PAT", "$AZURE_DEVOPS_EXT_PAT"),
        ('$ docker login -u ci --password-stdin <<< "$REGISTRY_PASSWORD"', "$REGISTRY_PASSWORD"),
        ("$ cat <<< Scanner-Batch-42", "Scanner-Batch-42"),
        # XML: a count, a switch word, an ordinary word
        ("<result><pass>3</pass><fail>0</fail></result>", "<pass>3</pass>"),
        ("<check><pass>true</pass></check>", "true"),
        # prose: no value after the slashed words
        ("PIN/password reset link sent to the patron", "reset"),
        # Django and CMS: environment lookups, a sample value, an empty or a file-read salt
        ("SECRET_KEY = os.environ['DJANGO_SECRET_KEY']", "DJANGO_SECRET_KEY"),
        ("SECRET_KEY = 'change-me-in-production-please-this-is-not-secure'", "change-me-in-production"),
        ("$settings['hash_salt'] = file_get_contents('/home/fen/salt.txt');", "/home/fen/salt.txt"),
        ("$settings['hash_salt'] = '';", "''"),
        ("$settings['hash_salt'] = 'REPLACE_WITH_YOUR_HASH_SALT';", "REPLACE_WITH_YOUR_HASH_SALT"),
        # SDK clients: no argument, a variable, a placeholder
        ("dashboard = meraki.DashboardAPI(API_KEY, suppress_logging=True)", "API_KEY"),
        ("dashboard = meraki.DashboardAPI('<your-meraki-api-key>')", "<your-meraki-api-key>"),
        # public halves and published test keys
        ("duo integration key DIWQ8T2K4M9X7B3N5P1R (the skey stays in Vault)", "DIWQ8T2K4M9X7B3N5P1R"),
        ("DUO_IKEY=DIWQ8T2K4M9X7B3N5P1R", "DIWQ8T2K4M9X7B3N5P1R"),
        (f"MAILGUN_PUBLIC_VALIDATION_KEY=pubkey-{_HEX32}", f"pubkey-{_HEX32}"),
        (
            "RECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe  # Google's test secret",
            "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
        ),
        (
            "RECAPTCHA_SITE_KEY=6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
            "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
        ),
        ("TURNSTILE_SECRET_KEY=1x0000000000000000000000000000000AA", "1x0000000000000000000000000000000AA"),
        ("HCAPTCHA_SITEKEY=10000000-ffff-ffff-ffff-000000000001", "10000000-ffff-ffff-ffff-000000000001"),
    ],
)
def test_round40_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)
