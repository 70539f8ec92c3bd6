"""Perl code read as the gate reads other languages (Mojolicious, DBIx::Class). The gate's readers
know these acts by the spellings of earlier languages; these forms give the ones Perl uses.
"""

from __future__ import annotations

from typing import Final

# An emptiness test of an array, written as Perl's postfix condition: `return 1 unless @grades;`,
# `... if !@ids`, `unless (@{ $rule->{ids} })`.
EMPTY_TEST: Final = r"\bunless\s*\(?\s*(?:scalar\s*)?@[\w{$]|\bif\s*\(?\s*!\s*@[\w{$]"
# A true value returned on that condition's line: Perl's true is `1` (`return 1 unless @grades;`).
RETURNS_TRUE: Final = r"\breturn\s+1\s+(?:unless|if)\b"
