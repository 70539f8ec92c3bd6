"""A rule against destructive defaults in a shared module ("Never give destructive settings such as
expiration or deletion rules a default value in a shared Terraform module") is about a module's
inputs: it is broken where the change gives such an input a default (`variable "expiration_days" {
default = 90 }`), not where a caller passes the module a value (`lifecycle_rules = []`), however
much the call's words ("expiration", "rules") read like the rule's.
"""

from __future__ import annotations

from collections.abc import Sequence

from kb.outputs import code_forms, rule_shapes


def passes_values_only(statement: str, added: Sequence[str], around: Sequence[str]) -> bool:
    """A rule against destructive defaults, and a change that gives no module input such a default
    (``code_forms.destructive_defaults``): its words do not break the rule."""
    if not rule_shapes.against_destructive_defaults(statement):
        return False
    return not code_forms.destructive_defaults(list(added), around)
