"""Round twenty-eight (docs/gate.md, read from test26, a Dart service on shelf, package:postgres and
dart_amqp): Dart code read as the gate reads other languages. A `Duration(...)` value is a setting's
length, so a flush interval raised from seconds to minutes is a setting moved; a queue declared and
consumed with no dead-letter exchange is a consumer without a dead-letter destination; a logger made
on the spot logs what its call passes. Beside Dart: a route's method is no request sent, an error's
message is no act, `expiration_days = null` expires nothing, a preview command and a failing step let
pass where no test runs repeat no quoted cause, and closeness made of a followed lesson's words does
not block. Every snippet here is written for the test."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, dart_forms, quoted_causes, refusals, route_forms, rule_shapes
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."
DEAD_LETTER = (
    "Always send messages that repeatedly fail processing to a dead-letter topic instead of crashing."
)
FAILING_STEP = "Never set continue-on-error on a test step; quarantine a flaky test by name instead."
NO_CARDS = "Do not store, process or transmit full card numbers in any system."
RETRY_POST = "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key."


# --- a Dart Duration is a setting's length ------------------------------------------------------------


def test_a_dart_duration_raised_is_a_setting_moved_up() -> None:
    removed = ["  static const pollEvery = Duration(seconds: 45);"]
    added = ["  static const pollEvery = Duration(minutes: 20);"]
    assert rule_shapes.moved_settings(added, removed) == [("pollEvery", 1, 1200.0)]
    assert dart_forms.duration_settings("  timeout: const Duration(minutes: 1, seconds: 30),") == [
        ("timeout", 90.0)
    ]
    # the same length written otherwise is no move
    assert (
        rule_shapes.moved_settings(
            ["  final wait = Duration(seconds: 120);"], ["  final wait = Duration(minutes: 2);"]
        )
        == []
    )
    assert dart_forms.duration_settings("  await Future<void>.delayed(Duration(seconds: attempt));") == []


# --- an AMQP consumer with no dead-letter exchange ------------------------------------------------------


def test_a_dart_amqp_queue_consumed_without_dead_letter_breaks_the_rule() -> None:
    added = [
        "    final channel = await client.channel();",
        "    final queue = await channel.queue('invoice.voided', durable: true);",
        "    final consumer = await queue.consume(noAck: false);",
        "    consumer.listen(_onMessage);",
    ]
    assert rule_shapes.routes_without_dead_letter(DEAD_LETTER, added)
    assert rule_shapes.NO_DEAD_LETTER in rule_shapes.acts_in_lessons_words(added, [])
    guarded = [
        "    final queue = await channel.queue('invoice.voided', durable: true, arguments: {",
        "      'x-queue-type': 'quorum', 'x-delivery-limit': 5, 'x-dead-letter-exchange': 'invoices.dlx',",
        "    });",
        "    final consumer = await queue.consume(noAck: false);",
    ]
    assert not rule_shapes.routes_without_dead_letter(DEAD_LETTER, guarded)
    declared_only = ["    await channel.queue('invoice.voided', durable: true);"]
    assert not rule_shapes.routes_without_dead_letter(DEAD_LETTER, declared_only)


# --- a logger made on the spot ----------------------------------------------------------------------------


def test_a_dart_logger_made_on_the_spot_logs_its_fields_only() -> None:
    logged = ["      Logger('refunds').info({'school_id': request.schoolId, 'status': 'queued'});"]
    assert rule_shapes.logs_other_values(BODIES, logged)
    assert not rule_shapes.logs_other_values(BODIES, ["      Logger('refunds').info({'body': body});"])


# --- a route's method is no request sent ---------------------------------------------------------------


def test_a_routes_method_is_not_a_post_sent() -> None:
    lines = [
        "    ..post('/<id>/refund', refund);",
        '  router.POST("/v1/holds", h.createHold)',
        '  POST >=> route "/berths/hold" >=> holdHandler',
    ]
    stripped = route_forms.without_route_methods(lines)
    assert not any("post" in line.lower() for line in stripped), stripped
    sent = [
        "    final res = await client.post('/v1/payouts', body: body);",
        "    await http.post(uri, body: body);",
    ]
    assert route_forms.without_route_methods(sent) == sent
    retried = ["    for (var attempt = 1;; attempt++) {", *lines[:1], "      } on TimeoutException {"]
    assert compliance.violates(RETRY_POST, retried, [], [])
    assert not compliance.violates(RETRY_POST, route_forms.without_route_methods(retried), [], [])


# --- an error's message is no act -------------------------------------------------------------------------


def test_a_refusals_message_is_not_what_the_code_does() -> None:
    refusing = ["      throw ArgumentError('full card numbers cannot be stored; send a processor token');"]
    assert refusals.without_refusal_messages(refusing) == ['      throw ArgumentError("");']
    kept = ["    final stored = await store.save(cardNumber: body['card_number']);"]
    assert refusals.without_refusal_messages(kept) == kept
    assert not compliance.violates(NO_CARDS, refusals.without_refusal_messages(refusing), [], [])


# --- an expiration set to nothing ---------------------------------------------------------------------------


def test_an_expiration_of_null_expires_nothing() -> None:
    assert not code_forms.expires_whole_bucket(["  versioning      = true", "  expiration_days = null"])
    assert code_forms.expires_whole_bucket(["  versioning      = true", "  expiration_days = 365"])


# --- quoted causes the change does not repeat ---------------------------------------------------------------


def test_a_preview_command_and_an_untested_failing_step_repeat_no_cause() -> None:
    drift = [
        "      - run: terraform plan -input=false -detailed-exitcode",
        "        continue-on-error: true",
    ]
    assert quoted_causes.repeated(("terraform plan", "continue-on-error: true"), drift, []) == ()
    assert quoted_causes.spares_untested_step(FAILING_STEP, drift, [])
    tested = [
        "      - name: Integration suite",
        "        run: dart test --tags integration",
        "        continue-on-error: true",
    ]
    assert quoted_causes.repeated(("continue-on-error: true",), tested, []) == ("continue-on-error: true",)
    assert not quoted_causes.spares_untested_step(FAILING_STEP, tested, [])


# --- closeness a followed lesson explains ------------------------------------------------------------------


def test_closeness_made_of_a_followed_lessons_words_does_not_block() -> None:
    close = Evidence(
        path="ci.yml",
        content_similarity=0.52,
        task_similarity=None,
        shared_terms=["plan", "terraform", "chang"],
    )
    assert close.blocks(DEFAULT_THRESHOLDS)
    close.explained_terms = 2
    assert not close.blocks(DEFAULT_THRESHOLDS)
