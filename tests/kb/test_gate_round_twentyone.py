"""Round twenty-one (docs/gate.md, read from test20, a NestJS/TypeORM service): an agency as an owner
and TypeORM's key-only lookups; an axios call typed with the response's shape; a queue's job retried
while its handler makes a fresh idempotency key; a redaction list read as what is logged; the overlays
of every region edited in one change. Every diff here is written for the test."""

from __future__ import annotations

from kb.outputs import change_lines, code_forms, compliance, masking_forms, rule_shapes, signatures
from kb.outputs.change_lines import ChangeLines
from kb.outputs.evidence import breaks
from kb.retrieval.diffs import ChangedFile

SCOPING = (
    "Enforce tenant scoping in the data access layer so a handler cannot load a record without a tenant "
    "filter."
)
FROM_TOKEN = "Handlers must obtain tenant_id from the verified token, never from a path or query parameter."
BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."
ALL_AT_ONCE = "Never push a configuration change to all regions at once; roll it out to a canary first."

# --- an agency owns records; TypeORM loads one by its key alone -------------------------------------------


def test_an_agency_is_an_owner() -> None:
    assert signatures.OWNER_KEY.search("  listForAgency(agencyId: string) {")
    assert signatures.OWNER_KEY.search("    agency_id = Column(UUID, nullable=False)")
    param = "  itinerary(@Param('id') id: string, @Query('agencyId') agencyId: string) {"
    assert compliance.takes_from_forbidden_source(FROM_TOKEN, [param])
    assert not compliance.takes_from_forbidden_source(
        FROM_TOKEN, ["  itinerary(@Param('id') id: string, @CurrentAgency() agencyId: string) {"]
    )


def test_typeorm_key_only_lookups_of_owned_records() -> None:
    around = ["    return this.repo.find({ where: { agencyId }, take: limit });"]
    for line in (
        "    const itinerary = await this.repo.findOneBy({ id });",
        "    const itinerary = await this.repo.findOneByOrFail({ id: itineraryId });",
        "    const itinerary = await this.repo.findOne({ where: { id } });",
        "    const itinerary = await this.repo.findOneOrFail({ where: { id: itineraryId } });",
    ):
        assert code_forms.unscoped_lookups([line], around) == [line], line
        assert not code_forms.unscoped_lookups([line]), line  # nothing says the record has an owner
        assert compliance.loads_unscoped(SCOPING, [line], around), line
    scoped = "    const itinerary = await this.repo.findOneBy({ id, agencyId });"
    assert not code_forms.unscoped_lookups([scoped], around)


# --- an HTTP call typed with its response's shape --------------------------------------------------------


def test_a_typed_axios_or_got_call_is_an_outbound_call() -> None:
    assert code_forms.outbound_http("    const res = await axios.post<{ offers: Offer[] }>(")
    assert code_forms.outbound_http("    const res = await axios.get<Rate[]>(`${this.baseUrl}/rates`, {")
    assert code_forms.outbound_http("    const body = await got.post<Quote>(url, { json }).json();")
    # a mock of the call is no call, nor a relative URL of the app's own origin
    assert not code_forms.outbound_http("    (axios.post as jest.Mock).mockResolvedValue({")
    assert not code_forms.outbound_http("    const res = await axios.get<Me>('/api/me');")


# --- a queue's job retried, its handler making a fresh key -----------------------------------------------


def test_job_retries_and_a_fresh_key_in_the_handler() -> None:
    celery = [
        "@app.task(bind=True, autoretry_for=(Timeout,), max_retries=5)",
        "def settle_refund(self, refund_id):",
        "    gateway.refund(refund_id, idempotency_key=str(uuid.uuid4()))",
    ]
    assert code_forms.fresh_key_per_attempt(celery)
    bull = [
        "      attempts: 4,",
        "    const res = await this.gateway.refund(job.data.refundId, randomUUID());",
        "      { headers: { 'Idempotency-Key': key } },",
    ]
    assert code_forms.fresh_key_per_attempt(bull)
    assert not code_forms.keeps_stable_key(bull, [])
    # one attempt only, or a fresh id that is the job's own (the same on every attempt)
    assert not code_forms.fresh_key_per_attempt(["      attempts: 1,", bull[1]])
    assert not code_forms.fresh_key_per_attempt(["      attempts: 4,", "      jobId: randomUUID(),"])


# --- a redaction list is what the logs withhold ----------------------------------------------------------


def _lines(added: list[str], around: list[str]) -> ChangeLines:
    return ChangeLines(added=added, removed=[], around=around, quotable=added)


def test_a_redaction_list_naming_bodies_logs_none() -> None:
    around = ["import structlog", "# handlers log ids, never payloads", "]"]
    listed = ["SENSITIVE_FIELDS = [", '    "request.body",', '    "response.body",', '    "*.email",']
    assert masking_forms.without_withheld(listed, around) == []
    assert not breaks(BODIES, _lines(listed, around))
    one_line = ["  redact: ['req.body', 'res.body', '*.email'],"]
    assert not breaks(BODIES, _lines(one_line, ["  logger.info({ id }, 'created');"]))
    # the body logged beside the list is still logged
    logged = [*listed, "    logger.info('request body', request.body)"]
    assert breaks(BODIES, _lines(logged, around))
    # a quoted entry with no redaction list anywhere is read as it is
    assert masking_forms.without_withheld(['    "request.body",'], ["logger.info("]) == [
        '    "request.body",'
    ]


# --- every region's overlay edited at once ---------------------------------------------------------------


def test_every_region_edited_at_once_is_an_act() -> None:
    paths = ["k8s/overlays/us-west-2/limits.yaml", "k8s/overlays/eu-north-1/limits.yaml"]
    regions = compliance.regions_changed(paths)
    assert len(regions) == 2
    assert compliance.spreads_over_regions(ALL_AT_ONCE, regions)
    assert "region" in rule_shapes.EVERY_REGION_AT_ONCE and "at once" in rule_shapes.EVERY_REGION_AT_ONCE
    assert not compliance.spreads_over_regions(ALL_AT_ONCE, compliance.regions_changed(paths[:1]))


# --- files changed in nothing a lesson is about ---------------------------------------------------------


def _file(path: str, added: list[str], removed: list[str] | None = None) -> ChangedFile:
    return ChangedFile(path=path, added=added, removed=removed or [])


def test_descriptive_labels_and_local_scripts_say_nothing() -> None:
    labels = [
        "    app.kubernetes.io/part-of: storefront",
        "    app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}",
        "    helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}",
    ]
    assert change_lines.says_nothing(_file("charts/web/templates/deployment.yaml", labels))
    # a probe or an annotation that does something is read
    probe = [*labels, "            timeoutSeconds: 1"]
    assert not change_lines.says_nothing(_file("charts/web/templates/deployment.yaml", probe))
    wave = ['    argocd.argoproj.io/sync-wave: "1"']
    assert not change_lines.says_nothing(_file("charts/web/templates/deployment.yaml", wave))
    script = ['for i in $(seq 1 30); do pg_isready -d "$DB_URL" && break; sleep 1; done']
    assert change_lines.says_nothing(_file("bin/reset-local-db.sh", script))
    assert change_lines.says_nothing(_file("scripts/dev-up.sh", script))
    assert not change_lines.says_nothing(_file("scripts/deploy-prod.sh", script))
    assert not change_lines.says_nothing(_file("scripts/devices.sh", script))
