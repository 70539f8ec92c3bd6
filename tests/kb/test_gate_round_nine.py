"""Round nine (docs/gate.md, read from test8): a change that brings what a lesson asks for is not
blocked by it; a timeout of zero is no timeout; a key made per attempt is no idempotency key; an
empty list read as "every item" in any language."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, signatures
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence

TIMEOUT_PM = """# Carrier timeout

## Root cause

The client called the carrier with `requests.post(url, json=payload)` and no `timeout=` argument.

## Lessons learned

- Always set explicit connect and read timeouts on every outbound HTTP call.
"""

IDEMPOTENCY_PM = """# Double capture

## Root cause

The retry decorator re-sent the capture POST without an `Idempotency-Key` header.

## Lessons learned

- Send an `Idempotency-Key` derived from the order id on every capture and capture retry.
"""


# --- a timeout of zero, none or infinite is no timeout ----------------------------------------------------


def test_a_zero_timeout_in_any_spelling_is_switched_off() -> None:
    for line in (
        "                .setReadTimeout(Duration.ZERO)",
        "    client = httpx.Client(timeout=None)",
        "  readTimeout: 0",
        "        Timeout = Timeout.InfiniteTimeSpan,",
        "    timeout: -1,",
        "        builder.readTimeout(Duration.ofSeconds(0))",
    ):
        assert code_forms.switched_off(line), line
    for line in (
        "                .setReadTimeout(Duration.ofSeconds(4))",
        "    timeout=0.5,",
        "  readTimeout: 30s",
    ):
        assert not code_forms.switched_off(line), line


def test_a_read_timeout_set_to_zero_takes_the_safeguard_away() -> None:
    found = signatures.extract(TIMEOUT_PM)
    removed = [
        "        .setConnectTimeout(Duration.ofSeconds(2))",
        "        .setReadTimeout(Duration.ofSeconds(4))",
    ]
    zero = ["        .setConnectTimeout(Duration.ofSeconds(10))", "        .setReadTimeout(Duration.ZERO)"]
    matched = signatures.match(found, zero, removed)
    assert matched.removed_safeguards and not matched.added_safeguards
    # Both given a value: the safeguard is held.
    bounded = [
        "        .setConnectTimeout(Duration.ofSeconds(10))",
        "        .setReadTimeout(Duration.ofSeconds(8))",
    ]
    assert not signatures.match(found, bounded, removed).removed_safeguards


# --- an idempotency key made anew on every attempt ------------------------------------------------------


GO_RETRY = [
    "\tfor attempt := 1; attempt <= maxPayoutAttempts; attempt++ {",
    "\t\tres, err := c.postPayout(ctx, body, uuid.NewString())",
    "\t}",
    '\thttpReq.Header.Set("Idempotency-Key", requestID)',
]


def test_a_key_generated_inside_the_retry_loop_is_no_key() -> None:
    assert code_forms.fresh_key_per_attempt(GO_RETRY)
    python = [
        "    for attempt in range(1, MAX_ATTEMPTS + 1):",
        "        try:",
        '            psp.capture(auth_id, idempotency_key=f"capture:{order.id}:{attempt}")',
    ]
    assert code_forms.fresh_key_per_attempt(python)
    kotlin = ["    retry(3) {", "        val key = UUID.randomUUID().toString()"]
    assert code_forms.fresh_key_per_attempt(kotlin)
    # Made once, before the loop, the key is stable across attempts.
    stable = [
        "\tkey := uuid.NewString()",
        *GO_RETRY[:1],
        "\t\tres, err := c.postPayout(ctx, body, key)",
        "\t}",
    ]
    assert not code_forms.fresh_key_per_attempt(stable)
    assert not code_forms.fresh_key_per_attempt(['    idempotency_key=f"capture:{order.id}"'])


def test_a_key_per_attempt_takes_the_idempotency_safeguard_away() -> None:
    found = signatures.extract(IDEMPOTENCY_PM)
    removed = ['\thttpReq.Header.Set("Idempotency-Key", fmt.Sprintf("payout:%s", req.BatchID))']
    matched = signatures.match(found, GO_RETRY, removed)
    assert matched.removed_safeguards and not matched.added_safeguards
    stable = [
        "\tkey := uuid.NewString()",
        *GO_RETRY[:1],
        "\t\tc.postPayout(ctx, body, key)",
        "\t}",
        GO_RETRY[3],
    ]
    assert signatures.match(found, stable, removed).added_safeguards


# --- an empty list read as every item ------------------------------------------------------------------


EMPTY_RULE = "Treat an empty eligibility list in pricing rules as matching nothing."


def test_an_empty_list_returning_the_whole_collection_breaks_the_rule() -> None:
    added = [
        "  const ids = rule.categoryIds ?? [];",
        "  if (ids.length === 0) {",
        "    return basket.lines;",
        "  }",
    ]
    kept = ["  return basket.lines.filter((line) => categories.has(line.categoryId));"]
    assert compliance.empty_means_all(EMPTY_RULE, added, kept)
    # Returning nothing for an empty list is what the rule asks.
    nothing = [*added[:2], "    return [];", "  }"]
    assert not compliance.empty_means_all(EMPTY_RULE, nothing, kept)
    # A returned collection nothing filters afterwards is not "everything".
    assert not compliance.empty_means_all(EMPTY_RULE, added, ["  return total(lines);"])
    every = ["  const ids = rule.tierIds || [];", "  return ids.every((id) => customer.tiers.includes(id));"]
    assert compliance.empty_means_all(EMPTY_RULE, every)
    assert not compliance.empty_means_all("Dry-run every promotion against recent baskets.", added, kept)


# --- a change that brings what the lesson asks for ------------------------------------------------------


def test_alerting_rules_and_wave_rollouts_follow_the_rules_asking_for_them() -> None:
    assert compliance.asks_to_alert(
        "Measure every contractual SLA with an internal SLI and alert before a breach."
    )
    assert not compliance.asks_to_alert("Never page the on-call for a single failed job.")
    assert compliance.asks_for_waves("Each wave must be gated on automated analysis of 5xx rate.")
    assert not compliance.asks_for_waves("Never push config to every region at once.")
    assert code_forms.rolls_out_in_waves(["  strategy:", "    type: RollingSync"])
    assert code_forms.rolls_out_in_waves(["kind: AnalysisTemplate"])
    assert not code_forms.rolls_out_in_waves(["      syncPolicy:", "        automated: {}"])


def test_cooperative_sticky_is_cooperative_rebalancing() -> None:
    rule = "Use cooperative rebalancing for consumer groups so one consumer does not pause every partition."
    added = ['        "partition.assignment.strategy": "cooperative-sticky",']
    assert compliance.follows(rule, added, [])
    assert not compliance.follows(rule, ['        "partition.assignment.strategy": "range",'], [])


def test_code_that_already_does_what_the_rule_asks_does_not_block_on_similarity() -> None:
    rule = "Use the currency minor-unit exponent from ISO 4217 for every money rounding operation."
    around = ["    exp = minor_unit_exponent(currency)"]
    added = [
        "    rounding = ROUND_HALF_UP",
        "    tax = (Decimal(net) * rate).quantize(Decimal(1), rounding=rounding)",
    ]
    assert compliance.keeps(rule, added, around, [])
    # Taken out by the change: not kept.
    assert not compliance.keeps(rule, added, [], around)
    close = Evidence(
        path="tax.py",
        content_similarity=0.6,
        task_similarity=None,
        shared_terms=["minor", "round", "currenci"],
    )
    assert close.blocks(DEFAULT_THRESHOLDS, rule)
    close.keeps = True
    assert not close.blocks(DEFAULT_THRESHOLDS, rule)


def test_a_runbook_step_is_broken_only_by_what_the_change_adds() -> None:
    # The gate reads a runbook's rule against the added lines alone (``content_evidence``): the
    # `auto.offset.reset` a consumer already had is no reset the change makes.
    rule = "Never reset the consumer group offsets to --to-latest to clear lag."
    added = ["            log.warning('failed', extra={'offset': msg.offset()})", "    consumer = Consumer({"]
    around = ['        "auto.offset.reset": "earliest",', '        "group.id": "settlement-ledger",']
    assert compliance.violates(rule, added, around, [])
    assert not compliance.violates(rule, added, [], [])
