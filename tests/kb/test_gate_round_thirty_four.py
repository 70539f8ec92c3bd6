"""Round thirty-four (docs/gate.md): a null guard is no emptiness test; the owner read from the verified
identity beside a record's id from the path; a password set on the standby user; one rotation is not
several at once; a retry installed on an HTTP client retries the payment calls it already makes; a
setting given a value outside the bound a rule sets. Every snippet here is written for the test, and
most are in other languages than the cases that showed the class."""

from __future__ import annotations

from kb.outputs import (
    bound_forms,
    cache_hosts,
    client_retry_forms,
    code_forms,
    compliance,
    owner_forms,
    rotation_forms,
)
from kb.outputs.retry_forms import retries_unkeyed_payment

EMPTY_RULE = "Treat an empty eligible_tiers as no eligible tiers and reject it at validation time."
TENANT_RULE = "Handlers must obtain tenant_id from the verified token, never from a path or query parameter."
IN_USE_RULE = (
    "Do not change the password of the user that is currently in use, because every running pod loses access."
)
ONE_AT_A_TIME = (
    "Do not rotate credentials for more than one service at a time, so failures can be attributed."
)
BOUND_RULE = "Set liveness timeoutSeconds to at least 5 and failureThreshold to at least 6 in the chart."


# --- a null guard is no emptiness test ---------------------------------------------------------------------


def test_a_value_tested_for_absence_then_read_for_a_field_is_a_null_guard() -> None:
    for line in (
        "const retryable = !err.response || err.response.status >= 500;",
        "retryable = not resp or resp.status_code >= 500",
        "let stale = !entry || entry.expiresAt < now;",
    ):
        assert not code_forms.empty_passes([line]), line
    # a list tested for emptiness and then matched against still passes when empty
    for line in (
        "return !rule.tiers || rule.tiers.includes(rider.tier);",
        "ok = not rule.tiers or tier in rule.tiers",
        "return !zones.length || zones.some((z) => z === dock.zone);",
        "return eligible.isEmpty() || eligible.contains(tier)",
    ):
        assert code_forms.empty_passes([line]), line


# --- the owner from the token, the record's id from the path -----------------------------------------------


def test_the_owner_from_the_identity_beside_a_record_id_from_the_path_is_not_read_from_the_path() -> None:
    for line in (
        "const dock = await docksFor(req.auth.operatorId).byId(req.params.dockId);",
        "station = Stations.scoped(claims.OperatorID).find(request.args['station_id'])",
    ):
        assert not compliance.takes_from_forbidden_source(TENANT_RULE, [line]), line
    for line in (
        "const dock = await docksFor(req.params.tenantId).byId(req.params.dockId);",
        "const tenant = req.query.tenantId || req.auth.tenantId;",
    ):
        assert compliance.takes_from_forbidden_source(TENANT_RULE, [line]), line
    assert owner_forms.without_identity("scope(auth.operatorId)") == "scope(identity)"


# --- credentials: whose password, and how many at once -----------------------------------------------------


def test_a_password_set_on_the_standby_user_spares_the_user_in_use() -> None:
    ansible = [
        "- name: new password on the standby role",
        "  community.postgresql.postgresql_user:",
        '    name: "{{ standby_role }}"',
        '    password: "{{ new_password }}"',
    ]
    assert rotation_forms.sets_other_users_password(IN_USE_RULE, ansible)
    sql = ["ALTER ROLE billing_inactive WITH PASSWORD :'pw';"]
    assert rotation_forms.sets_other_users_password(IN_USE_RULE, sql)
    # the live user, or a user not named at all, is no standby
    assert not rotation_forms.sets_other_users_password(
        IN_USE_RULE, ['    name: "{{ active_user }}"', '    password: "{{ new_password }}"']
    )
    assert not rotation_forms.sets_other_users_password(
        IN_USE_RULE, ["ALTER USER billing WITH PASSWORD :'pw';"]
    )
    assert not rotation_forms.sets_other_users_password("Rotate every password yearly.", sql)


def test_one_rotation_is_not_several_at_once() -> None:
    assert rotation_forms.acts_on_one(ONE_AT_A_TIME, ["vault write database/rotate-role/billing"])
    for several in (
        ["for svc in billing ledger; do vault write database/rotate-role/$svc; done"],
        ["- name: rotate", "  command: rotate {{ item }}", "  loop: [billing, ledger]"],
        ["services.each { |s| Rotator.rotate!(s) }"],
    ):
        assert not rotation_forms.acts_on_one(ONE_AT_A_TIME, several), several
    assert not rotation_forms.acts_on_one(IN_USE_RULE, ["vault write database/rotate-role/billing"])


# --- a retry installed on the client -----------------------------------------------------------------------


def test_a_retry_installed_on_a_client_retries_its_kept_payment_calls() -> None:
    installed = [
        "axiosRetry(psp, {",
        "  retries: 3,",
        "  retryCondition: (err) => !err.response || err.response.status >= 500,",
        "});",
    ]
    kept = ["async function payout(p) {", "  return psp.post('/v1/payouts', { amount: p.amount });", "}"]
    assert retries_unkeyed_payment(installed, kept)
    # with a key on the call, or retrying idempotent methods only (axios-retry's own default), no act
    keyed = [*kept[:1], "  return psp.post('/v1/payouts', body, { headers: { 'Idempotency-Key': p.id } });"]
    assert not retries_unkeyed_payment(installed, keyed)
    assert not retries_unkeyed_payment(["axiosRetry(psp, { retries: 3 });"], kept)
    # nothing paid through the client
    assert not retries_unkeyed_payment(installed, ["  return psp.get('/v1/balance');"])
    # Python's urllib3 Retry mounted with POST allowed, and Go's retryablehttp client
    assert client_retry_forms.installs_write_retry(
        ['retry = Retry(total=3, allowed_methods=["GET", "POST"], backoff_factor=0.5)']
    )
    assert not client_retry_forms.installs_write_retry(["retry = Retry(total=3, backoff_factor=0.5)"])
    assert client_retry_forms.installs_write_retry(["client := retryablehttp.NewClient()"])


# --- a setting outside the rule's bound ---------------------------------------------------------------------


def test_a_probe_setting_below_the_rules_bound_breaks_it() -> None:
    below = ["  livenessProbe:", "    timeoutSeconds: 1", "    failureThreshold: 3"]
    assert bound_forms.sets_outside_bound(BOUND_RULE, below) == ["timeoutSeconds: 1", "failureThreshold: 3"]
    within = ["  livenessProbe:", "    timeoutSeconds: 5", "    failureThreshold: 6"]
    assert not bound_forms.sets_outside_bound(BOUND_RULE, within)
    # the readiness probe's own short timeout is not the liveness probe's
    assert not bound_forms.sets_outside_bound(BOUND_RULE, ["  readinessProbe:", "    timeoutSeconds: 1"])
    # an upper bound, in a Terraform or HCL spelling
    upper = "Keep max_connections to at most 200 on the shared primary."
    assert bound_forms.sets_outside_bound(upper, ["  max_connections = 500"])
    assert not bound_forms.sets_outside_bound(upper, ["  max_connections = 150"])
    # a plain word is no setting
    assert not bound_forms.sets_outside_bound("Wait at least 5 minutes between waves.", ["minutes: 1"])


# --- a store moved onto the host a cache's setting names ---------------------------------------------------


def test_a_store_repointed_at_the_host_of_a_cache_setting() -> None:
    kept = ['SESSION_CACHE_ADDR = "kv-a.internal:6379"']
    moved = cache_hosts.repoints_to_named_cache(
        ['LEDGER_LOCKS_ADDR = "kv-a.internal:6379"'], ['LEDGER_LOCKS_ADDR = "kv-b.internal:6380"'], kept
    )
    assert moved == ["ledger_locks_addr"]
    # YAML, the cache's setting added beside it
    assert cache_hosts.repoints_to_named_cache(
        ["  jobs_redis: redis://shared-7:6379/2", "  cache_redis: redis://shared-7:6379/0"],
        ["  jobs_redis: redis://jobs-1:6379/0"],
        [],
    )
    # moved to another host no cache setting names, or the cache's own setting moved
    assert not cache_hosts.repoints_to_named_cache(
        ['LEDGER_LOCKS_ADDR = "kv-c.internal:6379"'], ['LEDGER_LOCKS_ADDR = "kv-b.internal:6380"'], kept
    )
    assert not cache_hosts.repoints_to_named_cache(
        ['SESSION_CACHE_ADDR = "kv-a.internal:6379"'], ['SESSION_CACHE_ADDR = "kv-b.internal:6379"'], []
    )


def test_a_bound_with_a_unit_reads_only_settings_that_name_their_unit() -> None:
    rule = "Set `lock_timeout` of at most 5 seconds on every migration session."
    # `lock_timeout: 3000` may be milliseconds: not read against "5 seconds"
    assert not bound_forms.sets_outside_bound(rule, ["    lock_timeout: 3000"])
    assert bound_forms.sets_outside_bound("Keep `drainSeconds` to at most 30 seconds.", ["drainSeconds: 120"])


def test_a_setting_moved_toward_the_bound_is_not_worse() -> None:
    # a readiness or liveness timeout raised from 2 to 3 under a floor of 5: closer, not broken
    assert not bound_forms.sets_outside_bound(
        BOUND_RULE, ["    timeoutSeconds: 3"], ["    timeoutSeconds: 2"]
    )
    # lowered further from the floor, or newly set below it: broken
    assert bound_forms.sets_outside_bound(BOUND_RULE, ["    timeoutSeconds: 1"], ["    timeoutSeconds: 2"])
    assert bound_forms.sets_outside_bound(BOUND_RULE, ["    failureThreshold: 2"])
