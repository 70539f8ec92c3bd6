"""Two rules read the same secret with different extents: no part of it may stay in the text.

A rule that knows a value by where it stands (after ``X-API-Key:``) guesses where the value ends; a
vendor's shape knows. Where the shape holds the guessed span, the shape's extent wins, over the token
only (never the ``=`` or the space before a value).
"""

from __future__ import annotations

import pytest

from kb.safety.redaction import RedactionPolicy

# Fresh fake values in Adyen's API key form: AQE, a base64 body, two more parts, punctuation allowed.
ADYEN_WITH_BRACKET = (
    "AQEzrT8wQmV4Yk9vPp2LsNcF7hGdJ3kWbX5aYqR1tUeZoS6vMi==-Hn4Kq8Lw2Zr9Vb3XcT7mPj1Ys5Df0Ga=-Qe7R[mZ2vLk9pWd"
)
ADYEN_WITH_ANGLE = (
    "AQEbN6cV2xZq9LmK4pR7tY1wU3sE8dF5gH0jAaLs4Nw8Qe2Rt6Yu1Io==-"
    "Pq3Wm7Xn2Rb9Kc4Vt8Yz1Ls6Df5Gh0J=-<K2mN8pQ]v4XcLr"
)


@pytest.fixture(scope="module")
def policy() -> RedactionPolicy:
    return RedactionPolicy(use_detect_secrets=False)


@pytest.mark.parametrize(
    "line",
    [
        f"X-API-Key: {ADYEN_WITH_BRACKET}",
        f"curl -H 'X-API-Key: {ADYEN_WITH_ANGLE}' https://checkout-test.adyen.com/v71/payments",
    ],
)
def test_a_vendor_key_read_short_by_a_header_rule_leaves_no_tail(policy: RedactionPolicy, line: str) -> None:
    out = policy.redact(line).text
    value = ADYEN_WITH_BRACKET if ADYEN_WITH_BRACKET in line else ADYEN_WITH_ANGLE
    tail = value.split("=-")[-1]
    assert value not in out and tail not in out and tail[-6:] not in out, out
    assert out.startswith("X-API-Key: [REDACTED:") or "'X-API-Key: [REDACTED:" in out


def test_the_text_around_the_value_stays(policy: RedactionPolicy) -> None:
    out = policy.redact(
        "artifactory_apikey=AKCp8kqWv2Lm9Rx4Tb7Nc3Zp6Yd1Fs5Gh8Jk2Lq4Wm7Xn9Rb3Vt6Yc1Zs5Df8Gh2Jk4"
    ).text
    assert out.startswith("artifactory_apikey=[REDACTED:"), out


def test_a_public_value_is_not_widened_into(policy: RedactionPolicy) -> None:
    # the commit hash beside a redacted token stays: widening only grows over the same token
    line = (
        "token=ghp_Zq8Rw2Lm9Xv4Tb7Nc3Kp6Yd1Fs5Gh8Jk2Lq4Wm at commit 9f2c4e1a7b3d5f60812ad4e6c9b0f1a2d3e4c5b6"
    )
    out = policy.redact(line).text
    assert "9f2c4e1a7b3d5f60812ad4e6c9b0f1a2d3e4c5b6" in out and "ghp_" not in out, out
