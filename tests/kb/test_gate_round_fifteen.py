"""Round fifteen (docs/gate.md, read from test15, an ASP.NET Core service): a Polly retry handler on
a whole HTTP client, a Serilog template that destructures the request, an EF Core lookup by id with
no owner filter, a deletion setting given a default in a Terraform module, and prose in strings
(`[Obsolete("...")]`, an HCL `description`) read as what the code does."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import code_forms, compliance, rule_shapes
from kb.outputs.change_lines import forward_lines
from kb.outputs.evidence import DEFAULT_THRESHOLDS
from kb.outputs.gate import check_diff
from kb.retrieval.diffs import ChangedFile
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons

# Close enough to block on what the change does: the reading is under test, not the encoder.
ON_ACTS = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)

# --- a retry on every request of an HTTP client ------------------------------------------------------------

POST_RULE = (
    "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key that "
    "the downstream honours."
)

POLLY = """diff --git a/src/Api/Program.cs b/src/Api/Program.cs
--- a/src/Api/Program.cs
+++ b/src/Api/Program.cs
@@ -22,7 +22,11 @@ builder.Services.AddHttpClient<PayRailClient>(c =>
 {
     c.BaseAddress = new Uri(builder.Configuration["PayRail:BaseUrl"]!);
     c.Timeout = TimeSpan.FromSeconds(35);
-});
+})
+.AddPolicyHandler(HttpPolicyExtensions
+    .HandleTransientHttpError()
+    .Or<TimeoutRejectedException>()
+    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(400 * attempt)));
"""

# The same retry, the charge now carrying a key made from the booking (a second file of the change).
WITH_KEY = (
    POLLY
    + """diff --git a/src/Api/Payments/PayRailClient.cs b/src/Api/Payments/PayRailClient.cs
--- a/src/Api/Payments/PayRailClient.cs
+++ b/src/Api/Payments/PayRailClient.cs
@@ -30,6 +30,7 @@ public sealed class PayRailClient
         using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/charges") { Content = body };
+        message.Headers.Add("Idempotency-Key", $"booking-fee:{request.BookingId:N}");
         using var response = await _http.SendAsync(message, ct);
"""
)


def test_a_retry_handler_on_a_whole_client_retries_every_request() -> None:
    handler = [
        ".AddPolicyHandler(HttpPolicyExtensions",
        "    .HandleTransientHttpError()",
        "    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(400 * attempt)));",
    ]
    assert code_forms.retries_every_request(handler) == [handler[0]]
    assert code_forms.retries_every_request(
        [".AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(2, _ => d))"]
    )
    assert code_forms.retries_every_request(["services.AddHttpClient<Pay>().AddStandardResilienceHandler();"])
    assert code_forms.retries_every_request(["client := retryablehttp.NewClient()"])
    assert code_forms.retries_every_request(["retry = Retry(total=3, allowed_methods=None)"])
    # urllib3's default leaves POST out; a breaker retries nothing.
    assert not code_forms.retries_every_request(["retry = Retry(total=3, backoff_factor=0.5)"])
    assert not code_forms.retries_every_request(
        [".AddTransientHttpErrorPolicy(p => p.CircuitBreakerAsync(5, d))"]
    )
    # Confined to some methods, or on a client the change shows only reading.
    by_method = [".AddPolicyHandler(request => request.Method == HttpMethod.Get", "    ? retry : noOp)"]
    assert not code_forms.retries_every_request([*by_method, "    .WaitAndRetryAsync(3, _ => d)"])
    safe = "http.AddStandardResilienceHandler(o => o.Retry.DisableFor(HttpMethod.Post));"
    assert not code_forms.retries_every_request([safe])
    reads = ['    _http.GetFromJsonAsync<CustomsRelease>($"/releases/{number}", ct);']
    assert not code_forms.retries_every_request([*handler, *reads])
    assert code_forms.retries_every_request([*handler, *reads, '    _http.PostAsJsonAsync("/x", body, ct);'])


def test_the_post_rule_is_broken_by_a_client_retry_without_a_key(fake_kb: KnowledgeBase) -> None:
    handler = [".AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, _ => d))"]
    assert rule_shapes.retries_unsafe_requests(POST_RULE, handler, [])
    keyed = 'message.Headers.Add("Idempotency-Key", FeeKey(request.BookingId));'
    assert not rule_shapes.retries_unsafe_requests(POST_RULE, [*handler, keyed], [])
    assert not rule_shapes.retries_unsafe_requests(POST_RULE, handler, [keyed])
    # A rule about another act is not broken by it.
    assert not rule_shapes.retries_unsafe_requests("Never log raw request or response bodies.", handler, [])
    assert compliance.brings_exception(POST_RULE, [keyed])
    add_lessons(fake_kb, "postmortem", POST_RULE, others=UNRELATED[:1])
    result = check_diff(fake_kb, POLLY, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, WITH_KEY, thresholds=ON_ACTS).exit_code == 0


# --- a request destructured into a log ---------------------------------------------------------------------

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."

SERILOG = """diff --git a/src/Api/BookingsController.cs b/src/Api/BookingsController.cs
--- a/src/Api/BookingsController.cs
+++ b/src/Api/BookingsController.cs
@@ -33,6 +33,7 @@ public sealed class BookingsController : ControllerBase
     public async Task<ActionResult<BookingDto>> Create(CreateBookingRequest request, CancellationToken ct)
     {
+        _logger.LogInformation("Create booking from haulier {HaulierId}: {@Request}", HaulierId, request);
         var booking = await _bookings.ReserveSlotAsync(HaulierId, request.SlotId, ct);
"""

IDS_ONLY = SERILOG.replace(
    '"Create booking from haulier {HaulierId}: {@Request}", HaulierId, request);',
    '"Create booking for slot {SlotId} by haulier {HaulierId}", request.SlotId, HaulierId);',
)


def test_a_destructured_request_is_logged_whole(fake_kb: KnowledgeBase) -> None:
    assert rule_shapes.logs_request_whole(['_logger.LogInformation("x {@Request}", HaulierId, request);'])
    # The hole names the request, whatever the argument is called; the argument names it too.
    assert rule_shapes.logs_request_whole(['Log.Information("Charge {@Body}", dto);'])
    assert rule_shapes.logs_request_whole(['_logger.LogWarning("Rejected {@Command}", request);'])
    assert rule_shapes.logs_request_whole(['self._logger.info("received %s", payload)'])
    assert not rule_shapes.logs_request_whole(['_logger.LogInformation("slot {SlotId}", request.SlotId);'])
    assert not rule_shapes.logs_request_whole(['Log.Information("Charge {@Amount}", amount);'])
    add_lessons(fake_kb, "postmortem", BODIES, others=UNRELATED[:1])
    result = check_diff(fake_kb, SERILOG, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, IDS_ONLY, thresholds=ON_ACTS).exit_code == 0


# --- a record loaded by its id with no owner filter ---------------------------------------------------------

SCOPING = (
    "Enforce tenant scoping in the data access layer so a handler cannot load a record without a "
    "tenant filter."
)

BY_ID = """diff --git a/src/Api/Controllers/BookingsController.cs b/src/Api/Controllers/BookingsController.cs
--- a/src/Api/Controllers/BookingsController.cs
+++ b/src/Api/Controllers/BookingsController.cs
@@ -30,6 +30,14 @@ public sealed class BookingsController : ControllerBase
         return booking is null ? NotFound() : BookingDto.From(booking);
     }

+    [HttpGet("{id:guid}/pass")]
+    public async Task<IActionResult> GetPass(Guid id, CancellationToken ct)
+    {
+        var booking = await _bookings.GetByIdAsync(id, ct);
+        if (booking is null)
+        {
+            return NotFound();
+        }
+
+        return Content(GatePassRenderer.RenderV1(booking), "text/plain");
+    }
"""

SCOPED = BY_ID.replace("_bookings.GetByIdAsync(id, ct)", "_bookings.FindAsync(HaulierId, id, ct)")


def test_a_record_loaded_by_its_id_alone() -> None:
    action = ['    [HttpGet("{id:guid}/pass")]', "    public async Task<IActionResult> GetPass(Guid id)"]
    lookup = "        var booking = await _bookings.GetByIdAsync(id, ct);"
    assert code_forms.unscoped_lookups([*action, lookup]) == [lookup]
    assert code_forms.unscoped_lookups(
        ['app.MapGet("/b/{bookingId}", (Guid bookingId) => db.B.FindAsync(bookingId));']
    )
    assert code_forms.unscoped_lookups(
        ["IActionResult Get([FromQuery] Guid slotId) => Ok(_db.Slots.Find(slotId));"]
    )
    # Another key beside the record's scopes it: the caller's owner passed along; not the name of the
    # column the request's id is given to.
    assert not code_forms.unscoped_lookups(
        [*action, lookup.replace("GetByIdAsync(id", "FindAsync(HaulierId, id")]
    )
    rails = "    request = ReturnRequest.includes(:label).find_by!(public_id: params[:id])"
    assert code_forms.unscoped_lookups([rails]) == [rails]
    # EF Core by the key alone, wherever the id comes from (a repository method's parameter).
    repository = "    _db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bookingId, ct);"
    assert code_forms.unscoped_lookups([repository]) == [repository]
    assert code_forms.unscoped_lookups(["    var b = await _db.Bookings.FindAsync(id);"])
    assert not code_forms.unscoped_lookups(
        ["    _db.Bookings.SingleOrDefaultAsync(b => b.HaulierId == haulierId && b.Id == bookingId, ct);"]
    )
    assert not code_forms.unscoped_lookups(["    var slots = _db.Slots.Where(s => s.Day == day);"])
    assert compliance.loads_unscoped(SCOPING, [repository])


def test_the_gate_blocks_an_unscoped_lookup_by_a_route_id(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", SCOPING, others=UNRELATED[:1])
    result = check_diff(fake_kb, BY_ID, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, SCOPED, thresholds=ON_ACTS).exit_code == 0


# --- a deletion setting given a default -------------------------------------------------------------------

DEFAULTS = (
    "Never give destructive settings such as expiration or deletion rules a default value in a shared "
    "Terraform module."
)

MODULE = """diff --git a/terraform/modules/storage/variables.tf b/terraform/modules/storage/variables.tf
--- a/terraform/modules/storage/variables.tf
+++ b/terraform/modules/storage/variables.tf
@@ -24,6 +24,12 @@ variable "containers" {
   type = list(string)
 }

+variable "delete_after_days" {
+  description = "Delete blobs this many days after last modification."
+  type        = number
+  default     = 30
+}
+
 variable "tags" {
"""

OPT_IN = MODULE.replace("+  default     = 30\n", "+  nullable    = true\n")


def test_a_deletion_setting_given_a_default(fake_kb: KnowledgeBase) -> None:
    variable = ['variable "delete_after_days" {', "  type    = number", "  default = 30", "}"]
    assert code_forms.destructive_defaults(variable) == ["delete_after_days"]
    assert not code_forms.destructive_defaults([*variable[:2], "  default = null", "}"])
    assert not code_forms.destructive_defaults(['variable "lifecycle_rules" {', "  default = []", "}"])
    assert not code_forms.destructive_defaults(['variable "tags" {', "  default = {}", "}"])
    assert not code_forms.destructive_defaults(['variable "replicas" {', "  default = 3", "}"])
    assert rule_shapes.defaults_destructive_setting(DEFAULTS, variable)
    assert not rule_shapes.defaults_destructive_setting("Never log raw request bodies.", variable)
    add_lessons(fake_kb, "postmortem", DEFAULTS, others=UNRELATED[:1])
    result = check_diff(fake_kb, MODULE, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, OPT_IN, thresholds=ON_ACTS).exit_code == 0


# --- prose in a string ------------------------------------------------------------------------------------


def test_notes_in_strings_are_prose() -> None:
    notes = [
        '    [Obsolete("Unused since QS-212; column is dropped in a later release.")]',
        '    @Deprecated("Dropped in the next release")',
        '#[deprecated(note = "use v2")]',
        '  description = "Version-level immutability period; null disables it."',
    ]
    assert code_forms.without_docstrings([*notes, "  type = number"]) == ["  type = number"]
    # The attribute's code is not prose: a description set from a variable, a deprecated call.
    kept = ["  description = var.description", "    Obsolete(widget);"]
    assert code_forms.without_docstrings(kept) == kept
    rule = "Never drop or rename a column in the same release that stops using it."
    assert not compliance.violates(
        rule, code_forms.without_docstrings(notes[:1]), [], ["  booking.LegacyLaneCode"]
    )


def test_an_ef_core_migrations_down_is_its_rollback() -> None:
    migration = ChangedFile(
        path="src/Infrastructure/Migrations/20261204_AddToken.cs",
        added=[
            "    protected override void Up(MigrationBuilder migrationBuilder)",
            '        migrationBuilder.AddColumn<Guid>(name: "Token", table: "bookings", nullable: true);',
            "    protected override void Down(MigrationBuilder migrationBuilder)",
            '        migrationBuilder.DropColumn(name: "Token", table: "bookings");',
        ],
    )
    assert forward_lines(migration) == migration.added[:2]
