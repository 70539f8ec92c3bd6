"""Which of a document's quoted causes a change's lines really repeat: a quoted cause is code the
document names (`continue-on-error: true`, `terraform plan`), and the same code does other things
elsewhere. A command that only previews (`terraform plan`) showed the incident's change, it did not
make it; a failing step let pass is the incident's act only where the step runs tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from kb.outputs import code_forms

# Commands that only show what a change would do: Terraform's and OpenTofu's plan, Helm's and
# kubectl's diff, a dry run.
_PREVIEW: Final = re.compile(
    r"\b(?:terraform|tofu|terragrunt)\s+plan\b|\b(?:kubectl|helm)\s+diff\b|--dry-run\b", re.IGNORECASE
)
# A rule against letting a failing suite pass: "Never set `continue-on-error` on a test step".
_AGAINST_FAILURE_ALLOWED: Final = re.compile(
    r"\b(?:never|not|no)\b.*\b(?:continue-?on-?error|allow_?failure|allowed to fail)", re.IGNORECASE
)


def lets_untested_step_fail(added: Sequence[str], around: Sequence[str]) -> bool:
    """The change lets a failing step pass (`continue-on-error: true` on a `terraform plan
    -detailed-exitcode` whose outcome the next step reads) where nothing it edits runs tests."""
    return any(code_forms.lets_failure_pass(line) for line in added) and not code_forms.lets_tests_fail(
        added, around
    )


# A rule against a path filter deciding whether a required check runs ("Never let a path filter
# decide whether a required check runs; run required suites on every merge to main").
_AGAINST_FILTERED_CHECKS: Final = re.compile(r"\bpath\s+filters?\b.*\b(?:checks?|suites?|tests?)\b", re.I)
# A step's command (`run: terraform apply`, `script: - make deploy`, `sh 'helm upgrade'`).
_RUN_STEP: Final = re.compile(r"^\s*-?\s*(?:run|script|command|sh)\s*:?\s*[|>\"'\w-]", re.IGNORECASE)


def filters_untested_workflow(added: Sequence[str], around: Sequence[str]) -> bool:
    """The change puts a path filter on a workflow whose steps it shows and none of which runs
    tests (a `terraform apply` on pushes that touch `terraform/**`): no required check is filtered."""
    lines = [*added, *around]
    return (
        any(code_forms.PATH_FILTER.search(line) for line in added)
        and any(_RUN_STEP.match(line) for line in lines)
        and not code_forms.runs_tests(lines)
    )


def spares_untested_step(statement: str, added: Sequence[str], around: Sequence[str]) -> bool:
    """A rule against letting a failing test step pass, not broken by a change that lets a step
    fail where no test runs; a rule against path filters on required checks, not broken by a
    filter on a workflow that runs no tests (``filters_untested_workflow``)."""
    if _AGAINST_FILTERED_CHECKS.search(statement) and filters_untested_workflow(added, around):
        return True
    return bool(_AGAINST_FAILURE_ALLOWED.search(statement)) and lets_untested_step_fail(added, around)


def repeated(risks: Iterable[str], added: Sequence[str], around: Sequence[str]) -> tuple[str, ...]:
    """The quoted causes of ``risks`` the change's lines repeat as the incident's act: not a preview
    command, and not a failing step let pass where no test runs."""
    untested = lets_untested_step_fail(added, around)
    return tuple(
        risk
        for risk in risks
        if not _PREVIEW.search(risk) and not (untested and code_forms.lets_failure_pass(risk))
    )
