"""Round twenty-six (docs/gate.md, read from test24, Go with Gin and GORM): a tenant the owner
vocabulary does not name is known by where the change takes its id from (the caller's verified
identity); a set written as a map to true is an allow-list's entries; a step that guards the number
of tests run follows the rule to fail on a drop in executed tests. Every diff and lesson here is
written for the test."""

from __future__ import annotations

from kb.outputs import masking_forms, owner_forms, rule_shapes, signatures

POSTMORTEM = """# Clinic records returned across clinics

## Root Cause

The endpoint `GET /api/visits/{id}` loaded the visit by id alone.

## Action Items

- Require a `tenant_id` on every visit query.
"""
SCOPING = "Every repository method for tenant-owned data must take the caller's tenant_id and filter on it."
TEST_COUNT = "Fail the pipeline when the number of executed tests drops by more than 5% from the last main build."
ALLOW_LIST = "Log events must use named fields from the allow-list; unknown fields are dropped."


# --- the tenant as the codebase names it ------------------------------------------------------------------


def test_the_owner_is_what_the_caller_identity_gives() -> None:
    for line in (
        "\tvisits, err := h.repo.Visits(c, clinicID(c), c.Param(\"id\"))",
        "    clinic = claims.ClinicID",
        "    school_id = school_id(request)",
        "  const practice = principal.getPracticeId();",
    ):
        key = owner_forms.owner_key_of([line])
        assert key is not owner_forms.OWNER_KEY, line
    key = owner_forms.owner_key_of(["\tb := brokerID(c)"])
    assert key.search('Where("broker_id = ? AND id = ?", b, id)')
    assert key.search("merchant_id = ?")  # the known owners still are
    # ids of who asks, not who owns, and an id read from the request, name no owner
    for line in (
        "\tlog := logger.With(requestID(c))",
        "\tuid := userID(ctx)",
        '\tid := c.Param("id")',
        "\tok := valid(c)",
    ):
        assert owner_forms.owner_key_of([line]) is owner_forms.OWNER_KEY, line


def test_a_scoped_route_of_an_unknown_tenant_handles_the_incident() -> None:
    found = signatures.extract(POSTMORTEM)
    route = '\tr.GET("/visits/:id/notes", h.notes)'
    scoped = [
        route,
        "\tnotes, err := h.repo.Notes(c, clinicID(c), c.Param(\"id\"))",
        '\terr := r.db.Where("clinic_id = ? AND visit_id = ?", clinicID, visitID).Find(&out).Error',
    ]
    handled = signatures.match(found, scoped, [])
    assert handled.handles(SCOPING) and not handled.unguarded(SCOPING)
    # the same route and lookup with no owner taken from the caller repeats it
    unscoped = [route, '\terr := r.db.Where("clinic_id = ? AND visit_id = ?", clinic, visitID).Find(&out).Error']
    repeated = signatures.match(found, unscoped, [])
    assert repeated.unguarded(SCOPING) and not repeated.handles(SCOPING)


# --- an allow-list written as a set -----------------------------------------------------------------------


def test_a_set_written_as_a_map_to_true_extends_an_allow_list() -> None:
    around = ["var allowedFields = map[string]bool{", '\t"load_id": true, "status": true,']
    assert masking_forms.extends_allow_list(['\t"carrier_mc": true,'], around)
    assert masking_forms.extends_allow_list(['    "carrier_mc": True,'], ["SAFE_FIELDS = {"])
    assert rule_shapes.follows_by_shape(ALLOW_LIST, ['\t"carrier_mc": true,'], around)
    # a map to other values is settings, and a map to true under another name is no allow-list
    assert not masking_forms.extends_allow_list(['\t"carrier_mc": "MC-1",'], around)
    assert not masking_forms.extends_allow_list(['\t"beta_search": true,'], ["var featureFlags = map[string]bool{"])


# --- a guard on the number of tests run -------------------------------------------------------------------


def test_a_test_count_guard_follows_the_rule_on_executed_tests() -> None:
    for step in (
        "        run: scripts/check_test_count.sh test-report.json 0.95",
        "        run: python tools/ci/verify-test-counts.py reports/junit.xml --baseline main",
        "        run: ./ci/junit-guard --min-tests 1200 reports/*.xml",
    ):
        assert rule_shapes.follows_by_shape(TEST_COUNT, [step], []), step
    # go's own `-count=1`, a comment that only says it, and the guard for another rule are not it
    assert not rule_shapes.follows_by_shape(TEST_COUNT, ["        run: go test ./... -count=1 -json"], [])
    assert not rule_shapes.follows_by_shape(TEST_COUNT, ["        # TODO: check the test count"], [])
    guard = ["        run: scripts/check_test_count.sh test-report.json 0.95"]
    assert not rule_shapes.follows_by_shape("Never set continue-on-error on a test step.", guard, [])
