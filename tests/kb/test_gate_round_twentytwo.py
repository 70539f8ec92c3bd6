"""Round twenty-two (docs/gate.md, read from test21, a Django/Celery monolith): a retried job that sends
a payment mutation with no idempotency key at all; a logging call whose arguments run over several
lines and pass the request's body; a migration that only changes rows read as one that needs a lock
timeout. Every diff here is written for the test."""

from __future__ import annotations

from kb.outputs import code_forms, rule_shapes
from kb.outputs.change_lines import ChangeLines
from kb.outputs.evidence import breaks

CAPTURE_KEY = (
    "Payment capture retries must carry an idempotency key so a retried request never charges twice."
)
HEADER_KEY = (
    "Require an Idempotency-Key header on every state-changing endpoint: POST /captures, POST /refunds."
)
BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."
LOCKS = "Do not run migrations without lock_timeout, because a migration waiting for a lock blocks queries."

# --- a retried job sends a payment mutation with no key ---------------------------------------------------

CELERY_REFUND = [
    "@app.task(bind=True, autoretry_for=(httpx.TimeoutException,), retry_backoff=True)",
    "def settle_refund(self, refund_id: int) -> None:",
    "    refund = Refund.objects.get(pk=refund_id)",
    "    resp = self.http.post(",
    '        f"{LEDGER_URL}/v2/refunds",',
    '        json={"payment": refund.payment_ref, "amount": refund.amount},',
    "        timeout=10,",
    "    )",
]


def test_a_retried_job_sending_a_payment_mutation_with_no_key() -> None:
    assert code_forms.retries_unkeyed_payment(CELERY_REFUND) == ["    resp = self.http.post("]
    assert rule_shapes.retries_payment_without_key(CAPTURE_KEY, CELERY_REFUND)
    assert rule_shapes.retries_payment_without_key(HEADER_KEY, CELERY_REFUND)
    # a loop of attempts in Go-like pseudo code around a payout, with no key either
    loop = ["  for attempt := 0; attempt < 3; attempt++ {", '    res, err := c.Post(base+"/payouts", body)']
    assert code_forms.retries_unkeyed_payment(loop)


def test_a_keyed_or_unretried_or_unpaid_call_is_not_it() -> None:
    keyed = [
        *CELERY_REFUND[:6],
        '        headers={"Idempotency-Key": f"refund:{refund.pk}"},',
        *CELERY_REFUND[6:],
    ]
    assert not code_forms.retries_unkeyed_payment(keyed)
    assert not code_forms.retries_unkeyed_payment(CELERY_REFUND[1:])  # no retry
    other = [line.replace("/v2/refunds", "/v2/notes") for line in CELERY_REFUND]
    assert not code_forms.retries_unkeyed_payment(other)  # no payment resource
    # a rule that asks for no key, or a key for something else, is not this one
    assert not rule_shapes.retries_payment_without_key(BODIES, CELERY_REFUND)
    assert not rule_shapes.retries_payment_without_key("Rotate each API key every 90 days.", CELERY_REFUND)


# --- a logging call over several lines passes the request's body -----------------------------------------


def test_a_log_call_over_lines_passing_the_body() -> None:
    added = [
        "        logger.info(",
        '            "signup_failed",',
        "            user=request.user.pk,",
        "            payload=request.body,",
        "        )",
    ]
    assert rule_shapes.logs_request_whole(added)
    assert breaks(BODIES, ChangeLines(added=added, removed=[], around=[], quotable=added))
    # a field of the body, or the body used after the call closed, is not the body logged
    fields = [*added[:3], "            reason=form.errors,", "        )", "        save(request.body)"]
    assert not rule_shapes.logs_request_whole(fields)


# --- a migration that only changes rows takes no lock ------------------------------------------------------

BACKFILL = [
    "def fill_region(apps, schema_editor):",
    '    Store = apps.get_model("shops", "Store")',
    "    Store.objects.filter(region__isnull=True).update(region=DEFAULT_REGION)",
    "class Migration(migrations.Migration):",
    '    dependencies = [("shops", "0031_store_region")]',
    "    operations = [migrations.RunPython(fill_region, migrations.RunPython.noop)]",
]


def test_a_rows_only_migration_breaks_no_lock_rule() -> None:
    assert code_forms.changes_rows_only(BACKFILL)
    assert rule_shapes.locks_nothing(LOCKS, BACKFILL)
    assert not breaks(LOCKS, ChangeLines(added=BACKFILL, removed=[], around=[], quotable=BACKFILL))
    schema = [
        *BACKFILL[:5],
        '    operations = [migrations.AddField("store", "region", models.TextField(null=True))]',
    ]
    assert not code_forms.changes_rows_only(schema)
    raw = [*BACKFILL, '    operations += [migrations.RunSQL("ALTER TABLE shops_store ADD COLUMN tz text")]']
    assert not code_forms.changes_rows_only(raw)
    assert not rule_shapes.locks_nothing(BODIES, BACKFILL)
