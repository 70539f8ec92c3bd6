"""Round seventeen (docs/gate.md, read from test17, a Laravel service): a Monolog redaction processor
(`RedactPersonalData`) read as persisting, by the first letters of "personal"."""

from __future__ import annotations

from kb.outputs import compliance

# --- "personal" is no "persist" ---------------------------------------------------------------------------

PII_RULE = "Personal data and card data must never be persisted in logs, even by mistake."


def test_personal_is_not_persisted() -> None:
    channel = [
        "        'stderr' => [",
        "            'handler' => StreamHandler::class,",
        "            'processors' => [RedactPersonalData::class],",
        "        ],",
    ]
    assert compliance.does_forbidden(PII_RULE, channel) == []
    assert not compliance.violates(PII_RULE, channel)
    persisted = ["    $this->persistPersonalData($customer->card_data);"]
    assert compliance.does_forbidden(PII_RULE, persisted)
