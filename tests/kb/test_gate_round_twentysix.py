"""Round twenty-six (docs/gate.md, read from test24, Go with Gin and GORM): a tenant the owner
vocabulary does not name is known by where the change takes its id from (the caller's verified
identity); a set written as a map to true is an allow-list's entries; a step that guards the number
of tests run follows the rule to fail on a drop in executed tests, and acts on it at a lower
closeness; closeness alone advises only a change that touches one of the lesson's rare words. Every
diff and lesson here is written for the test."""

from __future__ import annotations

from kb.outputs import masking_forms, owner_forms, rule_shapes, signatures
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence, touched_terms
from kb.outputs.signatures import SignatureMatch
from kb.retrieval.diffs import ChangedFile

POSTMORTEM = """# Clinic records returned across clinics

## Root Cause

The endpoint `GET /api/visits/{id}` loaded the visit by id alone.

## Action Items

- Require a `tenant_id` on every visit query.
"""
SCOPING = "Every repository method for tenant-owned data must take the caller's tenant_id and filter on it."
TEST_COUNT = "Fail the pipeline when the number of executed tests drops by more than 5% from main."
ALLOW_LIST = "Log events must use named fields from the allow-list; unknown fields are dropped."


# --- the tenant as the codebase names it ------------------------------------------------------------------


def test_the_owner_is_what_the_caller_identity_gives() -> None:
    for line in (
        '\tvisits, err := h.repo.Visits(c, clinicID(c), c.Param("id"))',
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
        '\tnotes, err := h.repo.Notes(c, clinicID(c), c.Param("id"))',
        '\terr := r.db.Where("clinic_id = ? AND visit_id = ?", clinicID, visitID).Find(&out).Error',
    ]
    handled = signatures.match(found, scoped, [])
    assert handled.handles(SCOPING) and not handled.unguarded(SCOPING)
    # the same route and lookup with no owner taken from the caller repeats it
    lookup = '\terr := r.db.Where("clinic_id = ? AND visit_id = ?", clinic, visitID).Find(&out).Error'
    unscoped = [route, lookup]
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
    flags = ["var featureFlags = map[string]bool{"]
    assert not masking_forms.extends_allow_list(['\t"beta_search": true,'], flags)


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


# --- advice by closeness needs the change to touch the lesson ----------------------------------------------


def _evidence(content: float, task: float | None = None, **fields: object) -> Evidence:
    return Evidence(
        path="app/x.go", content_similarity=content, task_similarity=task, shared_terms=[], **fields
    )


def test_closeness_alone_advises_only_a_change_that_touches_the_lesson() -> None:
    assert not _evidence(0.45, touched_terms=[]).advises(DEFAULT_THRESHOLDS)
    assert not _evidence(0.3, task=0.5, touched_terms=[]).advises(DEFAULT_THRESHOLDS)
    assert _evidence(0.45, touched_terms=["tenant"]).advises(DEFAULT_THRESHOLDS)
    assert _evidence(0.3, task=0.5, touched_terms=["tenant"]).advises(DEFAULT_THRESHOLDS)
    assert _evidence(0.45).advises(DEFAULT_THRESHOLDS)  # not read: closeness decides, as before
    # what the change acts on is worth a look whatever words it touches
    assert _evidence(0.3, touched_terms=[], test_similarity=0.5).acts_on(DEFAULT_THRESHOLDS, SCOPING)


def test_the_words_a_change_touches() -> None:
    header = ChangedFile(
        path="internal/carriers/tracking.go",
        added=['\treq.Header.Set("User-Agent", "haulmark/"+Version)'],
        removed=['\treq.Header.Set("User-Agent", "haulmark/1.0")'],
        headers=["func (c *TrackingClient) Position(ctx context.Context, truckID string) (*Position, error)"],
    )
    touched = touched_terms([header])
    assert "version" in touched and "position" in touched  # brought in; the scope it edits
    assert "header" not in touched and "agent" not in touched  # rewritten with the same words
    batch = ChangedFile(
        path="src/config.rs",
        added=["        Self { interval: Duration::from_secs(60), max_batch: 250 }"],
        removed=["        Self { interval: Duration::from_secs(30), max_batch: 500 }"],
    )
    assert "batch" in touched_terms([batch])  # a setting whose value changes
    assert "interval" not in touched_terms([batch])  # a call's argument changed is no named setting


def test_a_shape_followed_acts_on_its_rule_at_a_lower_closeness() -> None:
    shaped = _evidence(0.2, follows=["fields named on an allow-list"])
    assert shaped.acts_on(DEFAULT_THRESHOLDS, ALLOW_LIST)
    far = _evidence(0.1, follows=["fields named on an allow-list"])
    assert not far.acts_on(DEFAULT_THRESHOLDS, ALLOW_LIST)
    # following a rule in its words still needs the usual closeness
    worded = _evidence(0.2, follows=["field", "allow", "log"], follows_in_words=True)
    assert not worded.acts_on(DEFAULT_THRESHOLDS, ALLOW_LIST)


def test_a_lesson_the_change_breaks_is_advice_whatever_words_it_touches() -> None:
    broken = _evidence(0.45, touched_terms=[], breaks_shape=["retries a payment mutation with no key"])
    assert broken.advises(DEFAULT_THRESHOLDS)
    repeated = _evidence(0.45, touched_terms=[], signature=SignatureMatch(risks=("POST /captures",)))
    assert repeated.advises(DEFAULT_THRESHOLDS)
    # a quoted cause brought with its safeguard is no repeat: closeness alone again
    guarded = SignatureMatch(risks=("POST /captures",), added_safeguards=("Idempotency-Key",))
    assert not _evidence(0.45, touched_terms=[], signature=guarded).advises(DEFAULT_THRESHOLDS)
