"""A rule "Never X without first confirming Y", followed by its shape: before the line that does X, the
added code checks Y and refuses (exits, raises, returns an error) when the check fails. A script that
counts the running applies and exits unless there are none confirms first, though it then does the
very act the rule names.
"""

from __future__ import annotations

import re
from typing import Final

from kb.outputs import compliance
from kb.outputs.code_words import code_terms

# "without first confirming that ...", "without first checking ...", "unless you have verified ...".
_CONFIRM_FIRST: Final = re.compile(
    r"\bwithout\s+first\s+(?:confirming|checking|verifying|making\s+sure|ensuring)\b", re.IGNORECASE
)
# A refusal: the script or the function stops (`exit 1`, `raise`, `throw`, `abort`, `die`, `fail`).
_REFUSES: Final = re.compile(
    r"\bexit\s+[1-9]|\braise\b|\bthrow\b|\babort\b|\bdie\b|\bfail\w*\s*[(\"']|\bpanic\("
)
# A condition: `if`, `[ ... ]` / `[[ ... ]]` with `||`, `unless`, `when`, `case`.
_CONDITION: Final = re.compile(r"^\s*(?:if|elif|unless|when|case)\b|^\s*\[\[?\s.*\]\]?\s*(?:\|\||&&)")


def confirms_first(statement: str, added: list[str]) -> bool:
    """A rule to confirm something before an act, followed: a conditional refusal comes before the
    first added line that does the act, and the lines up to it name a word of what is confirmed."""
    if not _CONFIRM_FIRST.search(statement):
        return False
    verb, words = compliance.forbidden(statement)
    thing = words - {verb}
    wanted = compliance.excepted(statement) - {"first"}
    code = [compliance.code_only(line) for line in added]
    act = next((i for i, line in enumerate(code) if len(code_terms([line]) & thing) >= 2), None)
    if act is None or not thing or not wanted:
        return False
    before = code[:act]
    guarded = any(
        _CONDITION.search(line) and any(_REFUSES.search(x) for x in before[i : i + 4])
        for i, line in enumerate(before)
    )
    return guarded and bool(code_terms(before) & wanted)
