"""Round seventeen (docs/gate.md, read from test17, a Laravel service): a Monolog redaction processor
(`RedactPersonalData`) read as persisting, by the first letters of "personal"; a queue Redis ping
added to a readiness endpoint read as the liveness restart loop; a Guzzle client's `'timeout' => 0` not
read as no timeout."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, rule_shapes

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


# --- a dependency check in readiness follows the probe split ---------------------------------------------

SPLIT = (
    "Use readiness probes to shed traffic from struggling pods and reserve liveness probes for truly "
    "deadlocked processes."
)
READYZ_AROUND = [
    "        DB::connection()->select('select 1');",
    "        Redis::connection('cache')->ping();",
    "        return response()->json(['status' => 'ready']);",
]


def test_a_ping_in_readiness_follows_the_split() -> None:
    ping = [
        "        // stop taking traffic, do not restart the pod",
        "        Redis::connection('queues')->ping();",
    ]
    assert rule_shapes.follows_by_shape(SPLIT, ping, READYZ_AROUND)
    assert rule_shapes.checks_in_readiness(["    err := db.PingContext(ctx)"], ["func readyz(w, r) {"])
    # the same ping in a liveness handler, or with no readiness named, is no split
    livez = [*READYZ_AROUND, "    public function livez(): JsonResponse"]
    assert not rule_shapes.follows_by_shape(SPLIT, ping, livez)
    assert not rule_shapes.checks_in_readiness(ping, ["        return response()->json(['status' => 'ok']);"])
    # a readiness handler that adds no dependency check follows nothing
    assert not rule_shapes.checks_in_readiness(["        $x = 1;"], READYZ_AROUND)


# --- PHP's `'timeout' => 0` is no timeout ----------------------------------------------------------------


def test_a_php_array_timeout_of_zero_is_off() -> None:
    assert code_forms.switched_off("            'timeout' => 0,") == ["timeout"]
    assert code_forms.switched_off("    'connect_timeout' => 0.0,") == ["connect_timeout"]
    assert code_forms.switched_off("            'timeout' => 5.0,") == []
    assert code_forms.switched_off("    'timeout' => config('services.dpd.timeout'),") == []
