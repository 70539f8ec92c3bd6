"""Round twenty (docs/gate.md, read from test19, a Scala service): a record loaded by its key alone in
other ORMs and query styles (SQL by id, Slick, Exposed, JPA, Prisma, ActiveRecord, Django, GORM, Ecto)
and an owner taken from an http4s path extractor; a migration that copies a column's values to their
new home and drops it in the same change; a rollout's waves taken out; a change that only bumps
versions read as what its file is about. Every diff here is written for the test."""

from __future__ import annotations

from kb.outputs import change_lines, code_forms, compliance, rule_shapes
from kb.outputs.evidence import shape_breaks
from kb.retrieval.diffs import ChangedFile, parse_diff

SCOPING = (
    "Enforce tenant scoping in the data access layer so a handler cannot load a record without a tenant "
    "filter."
)
FROM_TOKEN = "Handlers must obtain tenant_id from the verified token, never from a path or query parameter."
DROP_RULE = "Never drop or rename a column in the same release that stops using it."
ALL_AT_ONCE = "Never push a configuration change to all regions at once; roll it out to a canary first."

# --- a record loaded by its key alone, in other ORMs ----------------------------------------------------


def test_a_select_by_id_of_an_owned_table_is_unscoped() -> None:
    lookup = '           FROM invoices WHERE id = $invoiceId"""'
    added = ['    sql"""SELECT id, workspace_id, total_minor', lookup, "      .query[Invoice]", ".option"]
    assert code_forms.unscoped_lookups(added) == [lookup]
    assert compliance.loads_unscoped(SCOPING, added)
    assert rule_shapes.UNSCOPED_LOOKUP in rule_shapes.acts_in_lessons_words(added, [])
    # the owner filtered on the next line, or on the same one
    scoped = [*added[:2], "             AND workspace_id = $workspaceId", ".option"]
    assert not code_forms.unscoped_lookups(scoped)
    assert not code_forms.unscoped_lookups(['  "SELECT * FROM invoices WHERE id = ? AND tenant_id = ?"'])
    # a table with no owner anywhere near: a lookup by id scopes nothing
    assert not code_forms.unscoped_lookups(['    sql"SELECT code, name FROM currencies WHERE id = $id"'])


def test_key_only_lookups_in_other_orms_when_the_record_is_owned() -> None:
    around = ["  def listForTenant(tenantId: UUID): IO[List[Invoice]] ="]
    for line in (
        "    invoices.filter(_.id === invoiceId).result.headOption",  # Slick
        "    Invoices.selectAll().where { Invoices.id eq invoiceId }.singleOrNull()",  # Exposed
        "        return invoiceRepository.findById(invoiceId).orElseThrow();",  # JPA
        "  const invoice = await prisma.invoice.findUnique({ where: { id } })",  # Prisma
        "    invoice = Invoice.find(invoice_id)",  # ActiveRecord, Diesel
        "    invoice = Invoice.objects.get(pk=pk)",  # Django
        "\tif err := db.First(&invoice, invoiceID).Error; err != nil {",  # GORM
        "    invoice = Repo.get!(Invoice, id)",  # Ecto
        '    let row = sqlx::query_as!(Invoice, "SELECT * FROM invoices WHERE id = $1", id)',  # sqlx
    ):
        assert code_forms.unscoped_lookups([line], around) == [line], line
        assert not code_forms.unscoped_lookups([line]), line  # nothing says the record has an owner
    scoped = [
        "    invoice = Invoice.objects.get(pk=pk, tenant=request.user.tenant)",
        "    invoices.filter(i => i.id === invoiceId && i.tenantId === tenantId).result.headOption",
    ]
    for line in scoped:
        assert not code_forms.unscoped_lookups([line], around), line


def test_an_http4s_path_extractor_takes_the_owner_from_the_url() -> None:
    route = '    case GET -> Root / "tenants" / UUIDVar(tenantId) / "invoices" / UUIDVar(id) as user =>'
    assert compliance.owner_in_path(route)
    assert compliance.takes_from_forbidden_source(FROM_TOKEN, [route])
    assert rule_shapes.OWNER_FROM_PATH in rule_shapes.acts_in_lessons_words([route], [])
    assert compliance.owner_in_path("GET  /organisers/:organiserId/orders  controllers.Orders.list")
    mine = '    case GET -> Root / "invoices" / UUIDVar(id) as user =>'
    assert not compliance.owner_in_path(mine)
    # the id the extractor binds is the request's: loading by it, owner checked against the path
    assert code_forms.unscoped_lookups([mine, "      invoices.findById(id).flatMap(Ok(_))"])


# --- a column's values copied and the column dropped in one migration ------------------------------------

MOVED = [
    "CREATE TABLE customer_phones (customer_id bigint NOT NULL, e164 text NOT NULL);",
    "INSERT INTO customer_phones (customer_id, e164)",
    "SELECT id, phone FROM customers WHERE phone IS NOT NULL;",
    "ALTER TABLE customers DROP COLUMN phone;",
]


def test_a_column_copied_and_dropped_in_one_change() -> None:
    assert code_forms.copies_dropped_column(MOVED)
    assert code_forms.copies_dropped_column(
        ["UPDATE accounts SET display_name = nickname;", "ALTER TABLE accounts DROP COLUMN nickname;"]
    )
    assert compliance.violates(DROP_RULE, MOVED, [], [])
    assert rule_shapes.DROP_WITH_READERS in rule_shapes.acts_in_lessons_words(MOVED, [])
    # a drop alone (the contract step, its readers gone in an earlier release), or a copy of another column
    assert not code_forms.copies_dropped_column(MOVED[-1:])
    assert not code_forms.copies_dropped_column(
        ["INSERT INTO audit (id) SELECT id FROM customers;", "ALTER TABLE customers DROP COLUMN phone;"]
    )


# --- a rollout's waves taken out ----------------------------------------------------------------------------

WAVES_GONE = """\
diff --git a/deploy/argo/apps.yaml b/deploy/argo/apps.yaml
--- a/deploy/argo/apps.yaml
+++ b/deploy/argo/apps.yaml
@@ -4,6 +4,2 @@ metadata:
   name: pricing
-  annotations:
-    argocd.argoproj.io/sync-wave: "2"
 spec:
   project: default
diff --git a/deploy/base/config.env b/deploy/base/config.env
--- a/deploy/base/config.env
+++ b/deploy/base/config.env
@@ -1,2 +1,2 @@
-SURGE_FACTOR=1.2
+SURGE_FACTOR=12
"""


def test_waves_taken_out_push_everywhere_at_once() -> None:
    diff = parse_diff(WAVES_GONE)
    lines = change_lines.change_lines(diff, WAVES_GONE)
    assert code_forms.drops_rollout_waves(lines.added, lines.removed)
    assert rule_shapes.WAVES_REMOVED in rule_shapes.acts_in_lessons_words(lines.added, [], lines.removed)
    assert shape_breaks(ALL_AT_ONCE, lines)
    assert not shape_breaks("Roll back regions in the reverse order of the rollout.", lines)
    # waves kept (moved to another key) or never there
    assert not code_forms.drops_rollout_waves(
        ["  strategy:", "    type: RollingSync"], ["  strategy:", "    type: RollingSync", "    rollingSync:"]
    )
    assert not code_forms.drops_rollout_waves(["SURGE_FACTOR=12"], ["SURGE_FACTOR=1.2"])


# --- a change that only bumps versions -------------------------------------------------------------------


def test_version_bumps_say_nothing() -> None:
    def changed(old: str, new: str, path: str = "infra/versions.tf") -> ChangedFile:
        return ChangedFile(path=path, added=[new], removed=[old])

    for old, new, path in (
        ('      version = "~> 4.60"', '      version = "~> 4.67"', "infra/versions.tf"),
        ('  required_version = ">= 1.5"', '  required_version = ">= 1.8"', "infra/versions.tf"),
        ('    "fastify": "^4.24.3",', '    "fastify": "^4.26.1",', "package.json"),
        ("  rev: v0.4.10", "  rev: v0.5.2", ".pre-commit-config.yaml"),
    ):
        assert change_lines.bumps_versions(changed(old, new, path)), new
    for old, new in (
        ("    timeoutSeconds: 30", "    timeoutSeconds: 3"),  # a setting moved, no version
        ('      version = "~> 4.60"', '      source = "hashicorp/google"'),
        ('  required_version = ">= 1.5"', '  required_version = ">= 1.5"  # pinned'),
    ):
        assert not change_lines.bumps_versions(changed(old, new)), new
    bump = """\
diff --git a/infra/versions.tf b/infra/versions.tf
--- a/infra/versions.tf
+++ b/infra/versions.tf
@@ -3,3 +3,3 @@ terraform {
     google = {
-      version = "~> 4.60"
+      version = "~> 4.67"
     }
"""
    lines = change_lines.change_lines(parse_diff(bump), bump)
    assert lines.added == [] and lines.removed == []
