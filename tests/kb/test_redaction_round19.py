"""Redaction round 19 (tuned on test22's two touched look-alikes): base64 of a text file that spans
lines is data, not a 40-character AWS secret key; a Stripe object id (a payment intent, a charge, a
refund...) is a record's name, not a key, while Stripe's keys and another vendor's ``cs_<40 hex>``
consumer secret are still found. Fresh fake values, none a planted row's."""

from __future__ import annotations

import base64

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

# 30 bytes of a three-line YAML file: 40 characters of base64 with both cases and digits
_YAML_B64 = base64.b64encode(b"host: db-2\nport: 5433\nssl: on\n").decode()


def test_the_encoded_text_has_the_shape_of_an_aws_secret_key() -> None:
    # the look-alike must really be one: otherwise the kept-test below would pass for another reason
    assert len(_YAML_B64) == 40 and any(c.isdigit() for c in _YAML_B64)


@pytest.mark.parametrize(
    "text",
    [
        f"data blob: {_YAML_B64}",
        f"  config.yaml: {_YAML_B64}",
        "| 09:41 | pi_3QxT7bLm2ZkP9wRv0aYc4HdE | captured |",
        "refund re_3QxT7bLm2ZkP9wRv1JfGq8Ns issued for ch_3QxT7bLm2ZkP9wRv1XyZa0Lm",
        "customer cus_Qz8LmN2pR4tV6x and event evt_1QxT7bLm2ZkP9wRvUvWx3Yz0",
        "checkout session cs_live_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV was abandoned",
    ],
)
def test_encoded_text_and_stripe_object_ids_are_kept(text: str) -> None:
    value = next(w for w in text.split() if len(w) >= 14)
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # random bytes stay an AWS secret key
        ("aws_secret = Zq4vT8mK2pLx9RbN7cWs3HfJ6gYd1Eu5AoQiXkMn", "Zq4vT8mK2pLx9RbN7cWs3HfJ6gYd1Eu5AoQiXkMn"),
        # Stripe's keys are keys
        ("STRIPE_KEY=sk_live_51QxT7bLm2ZkP9wRvAbCdEfGh", "sk_live_51QxT7bLm2ZkP9wRvAbCdEfGh"),
        # WooCommerce's consumer secret shares the ``cs_`` prefix with a checkout session id
        (
            "WC_CONSUMER_SECRET=cs_5e0c2b7f9a14d83e6b21c4f7a09d5e3b8c6f1a24",
            "cs_5e0c2b7f9a14d83e6b21c4f7a09d5e3b8c6f1a24",
        ),
    ],
)
def test_keys_beside_them_are_still_redacted(text: str, value: str) -> None:
    _gone(text, value)
