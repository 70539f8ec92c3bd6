"""Whether a change breaks a rule by what its lines do: a negative rule's act done on what it names
(``compliance.violates``, less the acts that only look like it), an exclusion omitted, a value read
from a source the rule forbids, an empty list read as everything, a setting moved past its bound; and
the acts read by their shape in any framework (``shape_breaks``). The evidence of a lesson
(``kb.outputs.evidence``) records both.
"""

from __future__ import annotations

from kb.outputs import (
    bound_forms,
    cache_hosts,
    code_forms,
    compliance,
    declared_only,
    flag_forms,
    forbidden_targets,
    masking_forms,
    module_defaults,
    object_forms,
    probe_forms,
    quoted_causes,
    refusals,
    replay_forms,
    rotation_forms,
    route_forms,
    rule_shapes,
    scale_forms,
    switch_forms,
    sync_forms,
)
from kb.outputs.change_lines import ChangeLines


def breaks(statement: str, lines: ChangeLines, *, acts_only: bool = False) -> bool:
    """The change breaks a rule by what its lines do (``compliance.violates``, an exclusion it
    omits, a value read from a source the rule forbids, an empty list read as everything).
    ``acts_only``: in what the change adds, not the lines around (a runbook's steps are acts:
    `"auto.offset.reset"` kept is no reset); what a moved setting belongs to is still read there."""
    around = [] if acts_only else lines.around
    return (
        (
            compliance.violates(
                statement,
                route_forms.without_route_methods(
                    refusals.without_refusal_messages(
                        declared_only.without_declarations(
                            masking_forms.without_withheld(lines.added, lines.around)
                        )
                    )
                ),
                around,
                lines.removed,
            )
            and not rule_shapes.logs_other_values(statement, lines.added)
            and not rule_shapes.locks_nothing(statement, lines.added)
            and not quoted_causes.spares_untested_step(statement, lines.added, around)
            and not probe_forms.spares_own_liveness(statement, lines.added)
            and not module_defaults.passes_values_only(statement, lines.added, around)
            and not forbidden_targets.misses_target(statement, lines.added)
            and not forbidden_targets.restarts_other_target(statement, lines.added)
            and not rotation_forms.sets_other_users_password(statement, lines.added)
            and not rotation_forms.acts_on_one(statement, lines.added)
        )
        or compliance.omits_exclusion(statement, lines.added, around)
        or compliance.takes_from_forbidden_source(statement, lines.added)
        or compliance.empty_means_all(statement, lines.added, around)
        or bool(rule_shapes.moves_forbidden_setting(statement, lines.added, lines.removed, lines.around))
        or rule_shapes.logs_whole_request(statement, lines.added)
        or bool(bound_forms.sets_outside_bound(statement, lines.added, lines.removed))
        or rule_shapes.drops_column_it_stops_reading(statement, lines.added, lines.removed)
        or bool(rule_shapes.retries_unsafe_requests(statement, lines.added, around))
    )


def shape_breaks(statement: str, lines: ChangeLines) -> list[str]:
    """What the change's code does against a rule, read by the act's shape in any framework
    (``kb.outputs.code_forms``): each as a short description with the first line that does it."""
    out = []
    unscoped = compliance.loads_unscoped(statement, lines.added, lines.around)
    if unscoped:
        out.append(f"loads a record by an id with no owner filter: `{unscoped[0].strip()[:80]}`")
    if compliance.moves_state_to_cache(statement, lines.added, lines.removed):
        out.append("moves writes from a durable database to a cache store")
    elif held := rule_shapes.keeps_state_in_cache(statement, lines.added):
        out.append(f"keeps what it holds only in a cache store: `{held[0].strip()[:80]}`")
    moved = rule_shapes.repoints_state_to_cache(
        lines.added, lines.removed
    ) or cache_hosts.repoints_to_named_cache(lines.added, lines.removed, lines.around)
    if moved and compliance.about_state_in_cache(statement):
        out.append(f"points `{moved[0]}` at a cache's host")
    if rule_shapes.expires_protected_bucket(statement, lines.added, lines.around):
        out.append("expires every object of a bucket it protects")
    if rule_shapes.lets_tests_fail_against(statement, lines.added, lines.around):
        out.append("lets a failing test step pass")
    if replicas := scale_forms.scales_past_partitions(statement, lines.added, lines.around):
        out.append(f"runs more consumers than partitions: `{replicas[0][:80]}`")
    if deleted := object_forms.deletes_current_only(statement, lines.added):
        out.append(f"deletes objects with no version id: `{deleted[0][:80]}`")
    if fresh := replay_forms.breaks_original_key(statement, lines.added):
        out.append(f"sends a payment call a key made anew: `{fresh[0][:80]}`")
    if switched := switch_forms.switches_off(statement, lines.added):
        out.append(f"switches the check off: `{switched[0][:80]}`")
    if flagged := flag_forms.defaults_flag_on(statement, lines.added):
        out.append(f"evaluates a flag with a default of on: `{flagged[0][:80]}`")
    if routes := rule_shapes.routes_without_dead_letter(statement, lines.added, lines.removed):
        out.append(f"adds a consumer with no dead-letter topic: `{routes[0][:80]}`")
    if inputs := rule_shapes.defaults_destructive_setting(statement, lines.added, lines.around):
        out.append(f"gives `{inputs[0]}` a default value")
    if code_forms.drops_rollout_waves(lines.added, lines.removed) and compliance.against_all_regions_at_once(
        statement
    ):
        out.append("takes out the rollout's waves: every region syncs at once")
    if unkeyed := rule_shapes.retries_payment_without_key(statement, lines.added, lines.around):
        out.append(f"retries a payment mutation that sends no idempotency key: `{unkeyed[0].strip()[:80]}`")
    if probed := rule_shapes.probes_liveness_on_dependencies(statement, lines.added):
        out.append(f"points a liveness probe at an aggregate health check: `{probed[0][:80]}`")
    if waits := sync_forms.makes_chain_synchronous(statement, lines.added, lines.removed):
        out.append(f"calls a remote party in the request instead of handing off: `{waits[0][:80]}`")
    return out
