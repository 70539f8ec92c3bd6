"""Redaction round 9 (tuned on test12's misses): one case per mechanism, with fresh fake values, and
the look-alikes each rule must keep. The next blind fold measures these rules."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # an alerting vendor's routing (integration) key; more key qualifiers
        ("PAGERDUTY_ROUTING_KEY=Rk2vQz8LmT4xWp7NcY3hJb6sFd9GaE1u", "Rk2vQz8LmT4xWp7NcY3hJb6sFd9GaE1u"),
        ("  events_routing_key: Vt5nBq2XkL8pRz4MwC7yHd3jGs6FaU9e", "Vt5nBq2XkL8pRz4MwC7yHd3jGs6FaU9e"),
        ("OPSGENIE_INTEGRATION_KEY=Hx4kPz7QmW2tLr9VbN5cJd8sGy3FaE6u", "Hx4kPz7QmW2tLr9VbN5cJd8sGy3FaE6u"),
        ('hmacKey: "b7e2c94f1a3d58e6c0f2a4b6d8e1f3a5"', "b7e2c94f1a3d58e6c0f2a4b6d8e1f3a5"),
        (
            "> 03:02 ops: routing key for PagerDuty: Mz6tQw3RkV9pLx2NbC8yHf4jGs7DaE5u",
            "Mz6tQw3RkV9pLx2NbC8yHf4jGs7DaE5u",
        ),
        # vendors that issue keys as uuids, after a qualified key in prose
        (
            "Opsgenie API key 3b9d7c1e-2f4a-4e6b-9c8d-7a1f0e2d3c4b pasted in #inc-4471",
            "3b9d7c1e-2f4a-4e6b-9c8d-7a1f0e2d3c4b",
        ),
        # a Wi-Fi key is a password
        ("> 09:12 kim: the guest wifi key is Pz8kRm3Tq7Vx", "Pz8kRm3Tq7Vx"),
        ("WLAN_KEY=Hv4qTz9Lm2Kx", "Hv4qTz9Lm2Kx"),
        # pre-shared keys, shared secrets, passcodes, LDAP bind_pw and sssd authtok are password names
        (
            "docker run -d -e WIFI_PSK=5e0b7a93d1c4f2e8a6b9c3d7f1e4a2b8 -p 8080:80 acme/ap:2",
            "5e0b7a93d1c4f2e8a6b9c3d7f1e4a2b8",
        ),
        ('wlan_psk = "Orchid!2031"  # set on the bench', "Orchid!2031"),
        ("ipsec_pre_shared_key: Tw7QnR4zKx2LpV", "Tw7QnR4zKx2LpV"),
        ("radius_shared_secret=Mv8Kt3Qz9Lp2Wx", "Mv8Kt3Qz9Lp2Wx"),
        ("ldap_bind_pw: Hq5Rt8Vz2Lm7Nx", "Hq5Rt8Vz2Lm7Nx"),
        ("bindpw Zk4Wm9Qt2Rx7Lp3Vn", "Zk4Wm9Qt2Rx7Lp3Vn"),
        ("ldap_default_authtok = Pn6Xv3Kz8Qt1Lw", "Pn6Xv3Kz8Qt1Lw"),
        ("> 02:10 ana: the site-to-site pre-shared key is Cx7Mq2Tz9Vk4Lr", "Cx7Mq2Tz9Vk4Lr"),
        # dotted passphrases in every password position, and under secret names
        (
            "> 11:40 lee: the NAS admin password is ember.walnut.harbor47 until Monday",
            "ember.walnut.harbor47",
        ),
        ("influx user password --name ops --password cedar.orbit.maple83", "cedar.orbit.maple83"),
        ("site_vpn_shared_secret: quartz.meadow.falcon29", "quartz.meadow.falcon29"),
        ("WEBHOOK_SECRET=pepper.tundra.violet64", "pepper.tundra.violet64"),
        # a password manager's three groups of six in a password position, whatever the case mix
        (
            "kubectl create secret generic db --from-literal=db_password=qwhxto-mp4rzk-dvbnsa",
            "qwhxto-mp4rzk-dvbnsa",
        ),
        (
            "2025-01-09T03:12:44Z INFO boot: TRUSTSTORE_PASSWORD=wkdhqe-zuvbsn-3K8PQ2 loaded",
            "wkdhqe-zuvbsn-3K8PQ2",
        ),
        # prose: an arrow links the value, a correction ("is actually") and an update ("is now")
        (
            "> 04:35 raj: new pw for the etl user → 7c1e9a4b2d8f6e3a5c0b9d2e4f7a1c6b",
            "7c1e9a4b2d8f6e3a5c0b9d2e4f7a1c6b",
        ),
        ("db creds ⇒ billing / Lq7!Vz2Tm9Kx", "Lq7!Vz2Tm9Kx"),
        ("^ sorry, the password is actually Rw4kTq92Lz@7", "Rw4kTq92Lz@7"),
        ("the wifi password is now Bx8Qm3Vt!27z", "Bx8Qm3Vt!27z"),
        # an XML element named by its attribute (Hibernate, Spring, Java properties as XML)
        ('<property name="hibernate.connection.password">Tq8Vz3Kx7Lm2Rw9Pn</property>', "Tq8Vz3Kx7Lm2Rw9Pn"),
        ('<entry key="smtp.auth.token">Wn5Kq8Tz2Vx7Lr4Mp9c</entry>', "Wn5Kq8Tz2Vx7Lr4Mp9c"),
        # a user:password credential decoded in a shell line, with no Basic beside it
        ("echo ZGVwbG95OmZxd3plYi1rMnZndDgtUDROWDdS | base64 -d", "ZGVwbG95OmZxd3plYi1rMnZndDgtUDROWDdS"),
        ("base64 --decode <<< 'Y2ktYm90Okx3OCF0UnozUXA='", "Y2ktYm90Okx3OCF0UnozUXA="),
        # a Kubernetes env entry named for its auth value
        ('  - name: PGBOUNCER_AUTH\n    value: "Kq7Vz2Lt9Xm4Rw"', "Kq7Vz2Lt9Xm4Rw"),
    ],
)
def test_round9_secret_forms_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a routing key with no alerting vendor is a message broker's, and ids stay ids
        ("ROUTING_KEY=Rk2vQz8LmT4xWp7NcY3hJb6sFd9GaE1u", "Rk2vQz8LmT4xWp7NcY3hJb6sFd9GaE1u"),
        ("integration_key_id: 3fa85f64c2b1", "3fa85f64c2b1"),
        (
            "routing key for the orders exchange: Mz6tQw3RkV9pLx2NbC8yHf4jGs7DaE5u",
            "Mz6tQw3RkV9pLx2NbC8yHf4jGs7DaE5u",
        ),
        # a uuid after a key's id, or after no credential word, is an id
        (
            "api key id 3b9d7c1e-2f4a-4e6b-9c8d-7a1f0e2d3c4b was revoked",
            "3b9d7c1e-2f4a-4e6b-9c8d-7a1f0e2d3c4b",
        ),
        (
            "request 3b9d7c1e-2f4a-4e6b-9c8d-7a1f0e2d3c4b hit the api key limit",
            "3b9d7c1e-2f4a-4e6b-9c8d-7a1f0e2d3c4b",
        ),
        # settings about a pre-shared key or a password, not holding one
        ("key_mgmt=WPA-PSK", "WPA-PSK"),
        ("psk_length: 63", "63"),
        ("pw_min_length: 12", "12"),
        ("bindpw_file /etc/sssd/bindpw", "/etc/sssd/bindpw"),
        # code in a password position, and a name in three groups outside one
        ("--password config.vault.replica01", "config.vault.replica01"),
        ("service_name=qwhxto-mp4rzk-dvbnsa", "qwhxto-mp4rzk-dvbnsa"),
        # prose words after the link are not values
        ("the password is actually required for the export", "required"),
        ("pw → see the vault entry ops/billing", "ops/billing"),
        # XML elements about a credential, or naming none
        ('<property name="hibernate.connection.username">report_ro</property>', "report_ro"),
        ('<property name="password.min.length">12</property>', "12"),
        ('<property name="hibernate.connection.password_file">/etc/app/pw</property>', "/etc/app/pw"),
        # base64 that decodes to a setting or a number, not to user:password
        ("echo b3JkZXJzOnByb2Q= | base64 -d", "b3JkZXJzOnByb2Q="),
        ("echo YnVpbGQ6MTIzNDU2Nzg= | base64 -d", "YnVpbGQ6MTIzNDU2Nzg="),
        # OAUTH names a method; a flag's value is not a secret
        ('  - name: OAUTH\n    value: "enabled"', "enabled"),
        ('  - name: BASIC_AUTH\n    value: "true"', "true"),
        # a JWK's key id or thumbprint is public
        (
            "x5t#S256 / kid for the rotated signing key: Fq3_81Rb07ZtLkWxe9Pn2VcA7dMQ4y_hsYJ6Tu0Gb2k",
            "Fq3_81Rb07ZtLkWxe9Pn2VcA7dMQ4y_hsYJ6Tu0Gb2k",
        ),
        (
            '{"kty": "RSA", "kid": "Rb07ZtLkWxe9Pn2VcA7dMQ4y_hsYJ6Tu0Gb2kFq3_81"}',
            "Rb07ZtLkWxe9Pn2VcA7dMQ4y_hsYJ6Tu0Gb2kFq3_81",
        ),
    ],
)
def test_round9_look_alikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_a_kid_line_that_names_a_secret_is_not_public() -> None:
    """The kid veto stops where the line after it names a secret."""
    _gone("kid k7 client secret: sk9_Wq4Lz8Tn2Vx7Kr3Mp6Hd1Fy5Bc0Ga", "sk9_Wq4Lz8Tn2Vx7Kr3Mp6Hd1Fy5Bc0Ga")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # national numbers in groups after a word that says phone, in the languages of on-call notes
        ("Bereikbaar via 06-41938275 (wachtdienst)", "06-41938275"),
        ("Pune vendor contact: 97482 61530", "97482 61530"),
        ("Guardia GDL: 33 3817 4462", "33 3817 4462"),
        ("Reperibile: Marco, cell. 339 514 7726", "339 514 7726"),
        ("Handy 0151 47382916", "0151 47382916"),
        ("Tel. 030 4419 2276", "030 4419 2276"),
        ("Telefoon: 0687654321", "0687654321"),
        # a person named after a record's word is reached on the number
        ("| 05:12 | Called the carrier account manager on +91 97163 48250 |", "+91 97163 48250"),
        ("Paged the case owner at +44 7700 900461", "+44 7700 900461"),
    ],
)
def test_round9_phones_after_a_phone_word_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Order 720-798-0258 was refunded", "720-798-0258"),
        ("call ref order 0612345678", "0612345678"),
        ("contact ticket 123 456 789 for the refund", "123 456 789"),
        ("call volume 1 234 567 890 this month", "1 234 567 890"),
        ("called at 2025-01-09 1130 from the bridge", "2025-01-09 1130"),
        ("Refund to account +44 7700 900461 failed", "+44 7700 900461"),
        ("Phone: +1 (000) 000-0000 (placeholder in the form)", "+1 (000) 000-0000"),
        ("contact 10.20.30.40 for the relay", "10.20.30.40"),
    ],
)
def test_round9_phone_look_alikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)
