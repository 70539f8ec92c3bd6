"""Redaction round 26 (tuned on test29's first reading): an Azure DevOps PAT piped to ``az devops
login``, the Varnish secret file (after ``cat`` and named in a comment), WildFly's
``credential-reference clear-text``, ``sqlcmd -P`` glued to its password, an OpenVPN auth file named
by its path, an Azure DevOps incoming-webhook URL; and, kept, ``{SHA}`` htpasswd hashes, Tomcat
digest passwords, a non-credential ``kubectl get secret`` jsonpath read-back, shell variables inside
URLs and GitHub's documented example token. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PAT = "q4mzt7xkw2lpv9rb3nhc6yjd8fgs5tua2ewq7okzm4xp9lrv3bnc"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"$ echo {_PAT} | az devops login --organization https://dev.azure.com/fabrikam", _PAT),
        (f"echo '{_PAT}' | az devops login", _PAT),
        (
            "$ cat /etc/varnish/secret\n3c9e71a4-8b2d-4f60-a1e5-7d94c02b6f18",
            "3c9e71a4-8b2d-4f60-a1e5-7d94c02b6f18",
        ),
        ("$ sudo cat /etc/varnish/secret (edge-2)\nQm7vXz2nLp9Tk4Wb8Rc3Hd6J", "Qm7vXz2nLp9Tk4Wb8Rc3Hd6J"),
        (
            'DAEMON_OPTS="-a :6081 -S /etc/varnish/secret"\n# secret file contents: Wn4xRt8qLm2zVb6kPc9sHd3J',
            "Wn4xRt8qLm2zVb6kPc9sHd3J",
        ),
        (
            '<key-store name="edgeKS">\n  <credential-reference clear-text="tidewaterLamp4471"/>\n'
            "</key-store>",
            "tidewaterLamp4471",
        ),
        ("sqlcmd -S tcp:db-1,1433 -U report -PharbourGlass2291 -Q 'select 1'", "harbourGlass2291"),
        ("bcp dbo.fares out fares.dat -S db-1 -U ro -PKq7wLm2xTz9R -c", "Kq7wLm2xTz9R"),
        ("# /etc/openvpn/client/auth.txt (depot link)\ndepot-3\nSaltmarsh#4471q", "Saltmarsh#4471q"),
        ("# openvpn/vpn-auth.conf\nbuoy-12\nLw8tPz3nQx6v", "Lw8tPz3nQx6v"),
        (
            "curl -X POST 'https://dev.azure.com/fabrikam/_apis/public/distributedtask/webhooks/release"
            "?api-version=6.0-preview&code=Rk3mWq8zLx2TvN7pBc5HdJ4sYf9GaE6uKo1QiZ0w' -d @e.json",
            "code=Rk3mWq8zLx2TvN7pBc5HdJ4sYf9GaE6uKo1QiZ0w",
        ),
    ],
)
def test_round26_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("echo hello | az devops project list", "hello"),
        ("$ cat /etc/varnish/default.vcl\nvcl 4.1;", "vcl 4.1;"),
        ('DAEMON_OPTS="-S /etc/varnish/secret"\n# secret file contents: <generated>', "<generated>"),
        ('<credential-reference clear-text="${env.KS_PASSWORD}"/>', "${env.KS_PASSWORD}"),
        ('<credential-reference store="cs" alias="ks-pass"/>', 'alias="ks-pass"'),
        ("sqlcmd -S db-1 -U report -P $SQLPASS -Q 'select 1'", "$SQLPASS"),
        ("# /etc/openvpn/client.conf\nauth-user-pass /etc/openvpn/auth.txt\nverb 3", "verb 3"),
        (
            "see https://dev.azure.com/fabrikam/_apis/public/distributedtask/webhooks/release?code=<code>",
            "code=<code>",
        ),
        # stored hashes: an LDAP-style ``{SHA}`` line in an htpasswd, Tomcat digest passwords
        (
            "# /etc/apache2/.htpasswd\nops:{SHA}Zq3mW8xLp5Rk2Tn6vBq2zXw9Lm4=",
            "{SHA}Zq3mW8xLp5Rk2Tn6vBq2zXw9Lm4=",
        ),
        ("viewer:{SSHA}Kp3wLm7xQz2Rt9Wq4zTn8LmK2pVx7NHb", "{SSHA}Kp3wLm7xQz2Rt9Wq4zTn8LmK2pVx7NHb"),
        (
            "<!-- tomcat-users.xml, digest passwords -->\n"
            '<user username="ops" password="9d4e1f0c7b2a58e36c1d0f9a8b7e6d5c"/>',
            "9d4e1f0c7b2a58e36c1d0f9a8b7e6d5c",
        ),
        (
            '<CredentialHandler className="org.apache.catalina.realm.MessageDigestCredentialHandler" '
            'algorithm="SHA-256"/>\n<user username="ro" password="' + "4f" * 32 + '"/>',
            "4f" * 32,
        ),
        # a value read back by a data key that names no credential
        ("$ kubectl get secret web-env -o jsonpath='{.data.LOG_LEVEL}'\nZGVidWdNb2Rl", "ZGVidWdNb2Rl"),
        # a shell variable in a URL's password place is no e-mail address
        ('$ psql "postgresql://app:$DBPASS@db-2.fabrikam.internal/app"', "$DBPASS@db-2.fabrikam.internal"),
        ("$ mysql --url mysql://ro:${MYSQL_PW}@db-3.fabrikam.internal/x", "db-3.fabrikam.internal"),
        # GitHub's documentation example token
        (
            "token format: ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        ),
    ],
)
def test_round26_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # no ``digest`` said: a ``password="…"`` in tomcat-users.xml is in clear, whatever its shape
        (
            '<user username="ops" password="9d4e1f0c7b2a58e36c1d0f9a8b7e6d5c"/>',
            "9d4e1f0c7b2a58e36c1d0f9a8b7e6d5c",
        ),
        # a data key that names a credential still is one
        (
            "$ kubectl get secret web-env -o jsonpath='{.data.DB_PASSWORD}'\nUXo3bVd4OHBMNXJL",
            "UXo3bVd4OHBMNXJL",
        ),
        # an htpasswd line in clear is still found beside a hashed one
        (
            "# /etc/nginx/.htpasswd\nops:{SHA}Zq3mW8xLp5Rk2Tn6vBq2zXw9Lm4=\ndev:Vb3nRq8sLw5zTk",
            "Vb3nRq8sLw5zTk",
        ),
        ("write to someone.else@fabrikam.co.uk", "someone.else@fabrikam.co.uk"),
    ],
)
def test_round26_neighbours_still_found(text: str, value: str) -> None:
    _gone(text, value)
