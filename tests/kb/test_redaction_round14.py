"""Redaction round 14 (tuned on test17's misses): for each rule a positive and the look-alikes it must
keep, with fresh fake values (none is a planted row's). The rules aim at classes (a password told in
prose or on a command line with no setting name, a vendor's credential named only by the words beside
it, an IPv6 host address with ``/128``, AWS ARNs kept whole, a number the line says is published), so
the positives are other members of each class than the row that showed it. The next blind fold
measures these rules."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a password typed at a prompt
        ("Run `psql -U ops` and type maple_otter_quill58 at the prompt.", "maple_otter_quill58"),
        ("then enter Tq8#vLm2pZ at the prompt when psql asks", "Tq8#vLm2pZ"),
        # a password command that echoes the password
        ('borg create --password-command "echo Wx4nB7rQk2LmZ9pT" ::daily', "Wx4nB7rQk2LmZ9pT"),
        ("restic backup --password-command='printf hG7kL2mN9qR4sT6v' /srv", "hG7kL2mN9qR4sT6v"),
        # the password word, then the value (in brackets, after ``passphrase``)
        ("The pilot needs a Redis password (KmqPWXYZ-rtsd in staging) first.", "KmqPWXYZ-rtsd"),
        ("The GPG passphrase juniper_comet_vale77 is in the runbook.", "juniper_comet_vale77"),
        # Wi-Fi told as ``<SSID> / <password>``
        ("guest wifi in the lab is OrbitLab5G / quartz_heron_sable912", "quartz_heron_sable912"),
        ("Wi-Fi for the war room: WarRoom-2 / Zx9!kLq2Vb", "Zx9!kLq2Vb"),
        # a vendor named on the line and the credential word right before a UUID or hex value
        (
            "INC-44: the Datadog API key `9f1c2e7a4b8d3c6e5f0a1b2c3d4e5f60` was pasted.",
            "9f1c2e7a4b8d3c6e5f0a1b2c3d4e5f60",
        ),
        (
            "Our Sentry auth token 3a8e51c4-92f1-4d7b-b0a6-5c2e9d71f843 leaked to the wiki.",
            "3a8e51c4-92f1-4d7b-b0a6-5c2e9d71f843",
        ),
        # ... or in a comment right after it
        (
            "const c = algoliasearch('QWERT12345', 'f3c9a1b7e2d84605a9c1e7b3d2f08a64'); // admin API key",
            "f3c9a1b7e2d84605a9c1e7b3d2f08a64",
        ),
        # keys and schemes that name a vendor's credential by themselves
        (
            "curl -H 'Authorization: GenieKey 7d2f91ab-33c4-4e0f-9a61-b85c7e24d013' https://api.example.net",
            "7d2f91ab-33c4-4e0f-9a61-b85c7e24d013",
        ),
        (
            'curl -H "Authorization: Splunk 0b6a7c3e-5d21-4f98-a4e7-12c9b3d8f605" https://hec:8088',
            "0b6a7c3e-5d21-4f98-a4e7-12c9b3d8f605",
        ),
        (
            '{"routing_key": "8e3b1f9a2c7d4e60b5a1c8f2d9e7b304", "event_action": "resolve"}',
            "8e3b1f9a2c7d4e60b5a1c8f2d9e7b304",
        ),
        (
            "PM-88: token SSWS 00aB3xYz9KqLm2NpR7sTu4VwX6yZ1cD5eF8gH0iJ in the script",
            "00aB3xYz9KqLm2NpR7sTu4VwX6yZ1cD5eF8gH0iJ",
        ),
        ("mysql -u root -p then typed Vq7#pLm3Zx when prompted", "Vq7#pLm3Zx"),
        # a setting named for a vendor's key or token holds a UUID-shaped credential
        ("export OPSGENIE_KEY=9c1e2d3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f", "9c1e2d3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"),
        (
            "LaunchDarkly SDK key: 4e2f1a9c-7b3d-4c5e-8f60-1a2b3c4d5e6f",
            "4e2f1a9c-7b3d-4c5e-8f60-1a2b3c4d5e6f",
        ),
        # an IPv6 host address with ``/128`` is an address like a bare one
        ("AllowedIPs = 2a02:c7f:1a2b:3c00:4d5e:6f70:8192:a3b4/128", "2a02:c7f:1a2b:3c00:4d5e:6f70:8192:a3b4"),
    ],
)
def test_round14_positives(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # prompts and password words followed by words, references or a manager
        ("enter your password at the prompt", "your"),
        ("type yes at the prompt to continue", "yes"),
        ("--password-command 'pass show restic/prod' was used", "restic/prod"),
        ("ADR-9: the ClickHouse password (see Vault path kv/ch) is rotated monthly.", "Vault"),
        ("* **Don't reuse passwords, use a password manager.** Reusing them is risky.", "manager"),
        ("wifi network is CorpNet / see the 1Password vault", "see"),
        # ids beside a vendor's name and a credential word
        (
            "Splunk request id 5de2bf3c-85fa-493b-b49b-451c9da9882c for the HEC token rotation ticket.",
            "5de2bf3c-85fa-493b-b49b-451c9da9882c",
        ),
        (
            "Datadog API key rotation, trace id 4bf92f3577b34da6a3ce929d0e0e4736, took 2s.",
            "4bf92f3577b34da6a3ce929d0e0e4736",
        ),
        (
            "Opsgenie alert 9a1b2c3d-4e5f-4061-8728-394a5b6c7d8e fired after the API key expired.",
            "9a1b2c3d-4e5f-4061-8728-394a5b6c7d8e",
        ),
        (
            "Stripe idempotency key 0c4f8a2e-6b1d-4e3a-9f7c-5d2b8e1a4c60 reused; the secret key was fine.",
            "0c4f8a2e-6b1d-4e3a-9f7c-5d2b8e1a4c60",
        ),
        (
            "The Datadog dashboard 3c0e8d2c-1b4a-4968-a6b5-c4d3e2f1a0b9 shows API key errors.",
            "3c0e8d2c-1b4a-4968-a6b5-c4d3e2f1a0b9",
        ),
        (
            "Azure tenant id 3f1c2e7a-4b8d-4c6e-9f0a-1b2c3d4e5f60 (not a secret; shown in the portal)",
            "3f1c2e7a-4b8d-4c6e-9f0a-1b2c3d4e5f60",
        ),
        (
            "Cloudflare zone 023e105f4ecef8ad9ca31a8372d0c353 API token scoped to DNS edit",
            "023e105f4ecef8ad9ca31a8372d0c353",
        ),
        ("AWS_KMS_KEY=1234abcd-12ab-34cd-56ef-1234567890ab", "1234abcd-12ab-34cd-56ef-1234567890ab"),
        (
            "STRIPE_IDEMPOTENCY_KEY=0c4f8a2e-6b1d-4e3a-9f7c-5d2b8e1a4c60",
            "0c4f8a2e-6b1d-4e3a-9f7c-5d2b8e1a4c60",
        ),
        ("Okta user 00u1abcd2EFGH3ijk4l5 had the API token admin role", "00u1abcd2EFGH3ijk4l5"),
        # a network prefix is not a host's address
        ("network prefix 2a02:c7f:1a2b::/48 routed to the VPC", "2a02:c7f:1a2b::"),
        # AWS ARNs are resource ids, the random suffix of a secret's name too
        (
            "secret: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-creds-Ab3dE9",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-creds-Ab3dE9",
        ),
        # a number the line says is published
        ("RB-3: the vendor's public support line on their website is +1 206-266-1000.", "+1 206-266-1000"),
        ("Their published switchboard number is +44 20 7946 0000.", "+44 20 7946 0000"),
    ],
)
def test_round14_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_a_vendor_hotline_on_a_contact_sheet_is_still_personal() -> None:
    # only a line that says the number is published keeps it; a hotline alone is a contact
    _gone("RB-12 escalation: storage vendor hotline +44 7700 900 512 (24/7)", "+44 7700 900 512")


def test_a_routing_key_is_a_credential_only_for_an_alerting_vendor() -> None:
    """``routing_key`` names PagerDuty's credential on an Events API call or beside the vendor's name;
    a bare broker ``ROUTING_KEY`` (round 9 keeps it) is not one."""
    value = "Vb3nQ8xLk2Tm7WpZr4Yc9HsJd6Gf1Ae5"
    _gone(f'{{"routing_key": "{value}", "dedup_key": "db-17", "payload": {{}}}}', value)
    _gone(f"pagerduty routing_key: {value}", value)
    _kept(f"ROUTING_KEY={value}", value)
    _kept(f'{{"routing_key": "{value}", "exchange": "orders"}}', value)
