"""Redaction round 13 (tuned on test16's misses): for each rule a positive and the look-alikes it must
keep, with fresh fake values (none is a planted row's). The rules aim at classes (a password word
linked to its value by a change verb's ``from``/``to`` or by a later ``is``/``was``/``still``, a parent
key naming a vendor or credentials, Kubernetes bootstrap tokens, cloud resource ids, filler webhook
ids, base64 of readable text), so the positives are other members of each class than the row that
showed it. The next blind fold measures these rules."""

from __future__ import annotations

import base64

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a change verb, the password word, then ``from <old>`` and ``to <new>``: both are passwords
        (
            "| 09:12 | kim | rotated the Jenkins admin password from Qx7!mPlaza22 to Trellis#4491Vq |",
            "Qx7!mPlaza22",
        ),
        (
            "| 09:12 | kim | rotated the Jenkins admin password from Qx7!mPlaza22 to Trellis#4491Vq |",
            "Trellis#4491Vq",
        ),
        ("We changed the root password to Lm4$kQ9zWe2 after the audit.", "Lm4$kQ9zWe2"),
        ("the MySQL password was reset from Harbor77!Gale to a random one", "Harbor77!Gale"),
        ("Someone switched the pw from default to Zr8vNq2LkT", "Zr8vNq2LkT"),
        # the password word earlier on the line, a random value after a later ``is``/``was``/``still``
        (
            "the shared password lives in 1Password; at 03:10 it was still hT9qLw2XzVb4NmR7kPaE.",
            "hT9qLw2XzVb4NmR7kPaE",
        ),
        (
            "the DB password in the old runbook is wrong; the live one is 9fKq2LmZx7VbT4Rn8WcY",
            "9fKq2LmZx7VbT4Rn8WcY",
        ),
        # a parent key naming a key vendor or credentials qualifies its children (YAML, TOML)
        (
            "pagerduty:\n  integration_key: 3c1f9a7be2d04f6a8b5c7d9e0f1a2b3c",
            "3c1f9a7be2d04f6a8b5c7d9e0f1a2b3c",
        ),
        (
            "twilio:\n  sid: AC0a1b2c3d4e5f607\n  auth: 7d1e9f3a5b2c4d6e8f0a1b3c5d7e9f1a",
            "7d1e9f3a5b2c4d6e8f0a1b3c5d7e9f1a",
        ),
        ("stripe:\n  webhook: Kq9LmZ2xVb7NpR4tWy8Cd3Fg", "Kq9LmZ2xVb7NpR4tWy8Cd3Fg"),
        (
            "alerting:\n  slack:\n    signing: 8f14e45fceea167a5a36dedd4bea2543",
            "8f14e45fceea167a5a36dedd4bea2543",
        ),
        ('[sendgrid]\nrouting = "Rt6yHn3JmK8qWe2ZxC5vBn1L"', "Rt6yHn3JmK8qWe2ZxC5vBn1L"),
        ("credentials:\n  - name: deploy\n    value: Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1", "Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1"),
        # Kubernetes bootstrap tokens: ``kubeadm token create``, ``join --token``, a join config
        ("kubeadm token create 9xk3ab.z7y6x5w4v3u2t1s0", "9xk3ab.z7y6x5w4v3u2t1s0"),
        ("$ kubeadm join 10.0.0.10:6443 --token k8z2qa.m4p9x7w2r5t8y1u3", "k8z2qa.m4p9x7w2r5t8y1u3"),
        ('bootstrapTokens:\n- token: "q1w2e3.r4t5y6u7i8o9p0as"\n  ttl: 24h', "q1w2e3.r4t5y6u7i8o9p0as"),
        # a real webhook and a real 40-character key are still read
        (
            "ALERT=https://hooks.slack.com/services/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",
            "Zq8Xw7Cv6Bn5Mm4Ll3Kk2Jj1",
        ),
        (
            "leaked in the log: Rk7Lq2Xz9Mp4Nv8Bt3Yc6Hd1Jf5Gs0Qw2Ea4Ub6T",
            "Rk7Lq2Xz9Mp4Nv8Bt3Yc6Hd1Jf5Gs0Qw2Ea4Ub6T",
        ),
    ],
)
def test_round13_positives(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # what a change verb's ``from``/``to`` also points at: a policy, a manager, a host, a place
        ("changed the password policy from 90 to 180 days", "180"),
        ("we changed the password manager from LastPass to 1Password", "1Password"),
        ("rotated the admin password from the vault UI", "vault"),
        ("changed password from prod-db-01 to prod-db-02 config", "prod-db-02"),
        # a random value after a later link that the words between say is something else
        ("reset the password for user jdoe; the ticket is ZD8k2LmQ9xT4vB7nR1wYq", "ZD8k2LmQ9xT4vB7nR1wYq"),
        ("password expired; the request id was Ab3dE5fG7hJ9kL1mN3pQ", "Ab3dE5fG7hJ9kL1mN3pQ"),
        # children of a vendor parent named for an id, a URL, a digest, a trace; public keys
        ("pagerduty:\n  service_id: PQ8K2LM\n  url: https://events.pagerduty.com/v2/enqueue", "PQ8K2LM"),
        ("stripe:\n  publishable_key: pk_live_51Hq8XzLm2Vb7Np4Rt6Yw1Cd", "pk_live_51Hq8XzLm2Vb7Np4Rt6Yw1Cd"),
        (
            "secrets:\n  - name: db-creds\n    checksum: "
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ),
        ("datadog:\n  trace_id: 7f3c9a1e4b2d4e8f9a6c2d1e0f9b8c7a", "7f3c9a1e4b2d4e8f9a6c2d1e0f9b8c7a"),
        ("auth:\n  method: oidc\n  issuer: https://login.example.com/realms/ops", "oidc"),
        # kubeadm's documented token, and host names of the same shape with no token word near
        ("kubeadm join --token abcdef.0123456789abcdef 10.0.0.1:6443", "abcdef.0123456789abcdef"),
        ("the hostname is web042.prodclusterfra1z", "web042.prodclusterfra1z"),
        # cloud resource ids: Oracle OCIDs, IBM CRNs
        (
            "instance ocid1.instance.oc1.iad.anuwcljrw3k8x2m9p7q4t6v1y5z0abcdefghij is the bastion",
            "ocid1.instance.oc1.iad.anuwcljrw3k8x2m9p7q4t6v1y5z0abcdefghij",
        ),
        (
            'vcn_id = "ocid1.vcn.oc1.phx.amaaaaaaq4x9z7w2k5m8p1r3t6v9y2b4c7e0g3j6"',
            "ocid1.vcn.oc1.phx.amaaaaaaq4x9z7w2k5m8p1r3t6v9y2b4c7e0g3j6",
        ),
        (
            "crn:v1:bluemix:public:cloud-object-storage:global:a/2b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e:"
            "8f2e4d6c-1a3b-5c7d-9e1f-3a5b7c9d1e3f::",
            "8f2e4d6c-1a3b-5c7d-9e1f-3a5b7c9d1e3f",
        ),
        # webhook URLs whose ids are filler (zeros, X's)
        (
            "SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ),
        ("DISCORD=https://discord.com/api/webhooks/000000000000/XXXXXXXXXXXX", "000000000000/XXXXXXXXXXXX"),
        # base64 of readable text (a ConfigMap's ``binaryData`` file) is data, not a key
        (
            "binaryData:\n  motd: " + _b64("welcome to build host 7, be nice"),
            _b64("welcome to build host 7, be nice"),
        ),
        (
            "  readme.txt: " + _b64("nightly export finished at 02:00 UTC"),
            _b64("nightly export finished at 02:00 UTC"),
        ),
    ],
)
def test_round13_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)
