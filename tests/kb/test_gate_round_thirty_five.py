"""Round thirty-five (docs/gate.md): a route the change already declared is not one it adds; a retry
confined to safe methods deep in a client's options lambda is confined. Every snippet here is written
for the test, and some are in other languages than the cases that showed the class."""

from __future__ import annotations

from kb.outputs import code_forms, kept_routes, signatures

POSTMORTEM = """---
title: Invoice API returned other customers' invoices
---
# Invoice API returned other customers' invoices

## Root cause

The service added `GET /v1/invoices/{id}` and loaded the invoice by its id alone.
"""


def _route_risks(added: list[str], removed: list[str]) -> tuple[str, ...]:
    return signatures.match(signatures.extract(POSTMORTEM), added, removed).risks


# --- a route kept is not a route added ----------------------------------------------------------------------


def test_a_route_declared_again_with_its_method_and_path_is_kept() -> None:
    removed = ['    group.MapGet("/{number}", InvoiceHandlers.GetAsync);']
    annotated = [
        '    group.MapGet("/{number}", InvoiceHandlers.GetAsync)',
        '        .WithSummary("Get one invoice by its number")',
        "        .Produces<InvoiceDto>();",
    ]
    assert not _route_risks(annotated, removed)
    renamed = ["router.get('/invoices/:id', showInvoiceV2);"]
    assert not _route_risks(renamed, ["router.get('/invoices/:id', showInvoice);"])


def test_a_route_with_a_new_path_or_method_is_still_added() -> None:
    assert _route_risks(['    group.MapGet("/{number}", InvoiceHandlers.GetAsync);'], [])
    other_path = ['    group.MapGet("/{number}/lines", InvoiceHandlers.LinesAsync);']
    assert _route_risks(other_path, ['    group.MapGet("/{number}", InvoiceHandlers.GetAsync);'])
    # a kept route beside a new one: the new one is added
    both = ["router.get('/invoices/:id', showInvoice);", "router.get('/credit-notes/:id', showNote);"]
    assert _route_risks(both, ["router.get('/invoices/:id', showInvoice);"])


def test_kept_routes_compares_method_and_path() -> None:
    marker = signatures._route_words
    assert kept_routes.adds_no_route(['@GetMapping("/visits/{id}")'], ['@GetMapping("/visits/{id}")'], marker)
    assert not kept_routes.adds_no_route(
        ['@DeleteMapping("/visits/{id}")'], ['@GetMapping("/visits/{id}")'], marker
    )
    assert not kept_routes.adds_no_route(["const total = 3;"], [], marker)


# --- a retry confined to safe methods, however long the options ---------------------------------------------


_LONG_OPTIONS = [
    "services.AddHttpClient<ILedgerClient, LedgerClient>()",
    "    .AddStandardResilienceHandler(options =>",
    "    {",
    "        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);",
    "        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(6);",
    "        options.Retry.MaxRetryAttempts = 3;",
    "        options.Retry.BackoffType = DelayBackoffType.Exponential;",
    "        options.CircuitBreaker.FailureRatio = 0.2;",
    "        options.Retry.DisableForUnsafeHttpMethods();",
    "    });",
]


def test_a_retry_confined_to_safe_methods_deep_in_its_options_is_confined() -> None:
    assert not code_forms.retries_every_request(_LONG_OPTIONS)


def test_a_retry_with_no_method_test_in_its_options_still_retries_every_request() -> None:
    unconfined = [line for line in _LONG_OPTIONS if "DisableFor" not in line]
    assert code_forms.retries_every_request(unconfined)
    # a method test after the options lambda closes belongs to something else
    after = [*unconfined, "", "", "", "", "var verb = request.Method;"]
    assert code_forms.retries_every_request(after)
    # a handler with no options block is read over its chain only
    bare = ["services.AddHttpClient<ILedgerClient, LedgerClient>().AddStandardResilienceHandler();"]
    assert code_forms.retries_every_request(bare)
