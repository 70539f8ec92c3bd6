/*
 * Copyright 2026 Tinderbox Energy Ltd. Internal use only.
 */

/**
 * Outbound client for the Northgrid Data Hub: supplier switching, meter registration and
 * settlement reads. The architecture decision that shapes this package is kept here, next to the
 * code it governs, and is also indexed by the {@code adr-index} build step.
 *
 * <h2>ADR-GH-07: one retrying client for the Data Hub (accepted 2026-11-16)</h2>
 *
 * <p><b>Context.</b> On 14 October a switch request timed out and was retried by three layers at
 * once: the HTTP client, our job runner and the hub's own gateway. 212 customers were registered
 * for a switch twice, and unwinding the duplicates with Northgrid took eleven working days. Before
 * that, each team calling the hub had written its own client with its own retry policy.
 *
 * <p><b>Decision.</b> Every call to the Data Hub goes through {@link HubClient} in this package. It
 * is the only component allowed to retry a hub call, and it sends an idempotency key with every
 * request that changes state at the hub.
 *
 * <h3>Rules</h3>
 * <ul>
 *   <li>Callers and job runners do not retry hub calls themselves, not even on a timeout; they hand
 *       the request to {@code HubClient} once and read its outcome.</li>
 *   <li>The idempotency key is derived from the MPAN, the request type and the effective date. It
 *       is never a random UUID, so that a retry after a restart carries the same key.</li>
 *   <li>When a switch request times out, the client first asks the hub for the status of that key
 *       and only resubmits when the hub has no record of it.</li>
 *   <li>The circuit breaker opens at 50 % failures over the last 20 calls. While it is open,
 *       switch requests wait in the {@code hub-outbox} table; they are never dropped, because the
 *       regulator's five-day switching deadline keeps running.</li>
 * </ul>
 *
 * <h3>Consequences</h3>
 * <p>Teams lose direct control over timeouts; a change of retry policy is a change to this package
 * and needs a review from the switching team. Settlement reads are safe to retry and use a shorter
 * backoff, which the client configures per endpoint.
 *
 * @see <a href="https://wiki.tinderbox.example/hub/ADR-GH-07">discussion and rejected options</a>
 */
@DecisionMade(
        id = "ADR-GH-07",
        solves = "duplicate switch registrations caused by retries in several layers",
        chosen = "single hub client with deterministic idempotency keys",
        rejected = {"retries in the job runner only", "no automatic retries, manual resubmission"},
        because = "one place to reason about retries; keys survive restarts")
package energy.tinderbox.hub;

// DONE(HUB-318): retry wrapper removed from the job runner for hub jobs.
// DONE(HUB-322): hub-outbox table and drain job in production.
// TODO(HUB-331): ArchUnit rule failing the build when another package calls the hub over HTTP.
// TODO(HUB-336): alert when a switch request has waited in hub-outbox for more than 24 hours.

import energy.tinderbox.adr.DecisionMade;
