"""OCaml code read as the gate reads other languages (Dream, cohttp, piaf, caqti). The gate's readers
know an outbound HTTP call by the clients of earlier languages and an emptiness test as `x == []`;
these forms give the ones OCaml writes, where a call takes its arguments without parentheses and
`=` compares.
"""

from __future__ import annotations

import re
from typing import Final

_OCAML_PATH: Final = re.compile(r"\.(?:ml|mli|mll|mly)$")

# An outbound HTTP call: cohttp's client under any of its back ends (`Cohttp_lwt_unix.Client.get uri`,
# `Cohttp_eio.Client.post`, `Cohttp_async.Client.call`), piaf's (`Piaf.Client.Oneshot.get`,
# `Piaf.Client.create`), ezcurl and curly. OCaml applies a function without parentheses, so the call is
# known by its name alone.
HTTP_CALL: Final = re.compile(
    r"\bCohttp_(?:lwt_unix|lwt_jsoo|eio|async|mirage)\.Client\.(?:get|post|put|patch|delete|call|head)\b"
    r"|\bPiaf\.Client\.(?:Oneshot\.)?(?:get|post|put|patch|delete|request|create)\b"
    r"|\bEzcurl(?:_lwt)?\.(?:get|post|put|http)\b|\bCurly\.(?:get|post|put|run)\b"
)

# OCaml's structural equality with the empty list, as a test joined to another (`rule.sizes = [] ||
# List.mem size rule.sizes`, `if ids = [] then`): read as the `== []` the readers know. A binding
# (`let ids = [] in`) and an optional argument's default (`?(ids = [])`) are no test.
_EQUALS_EMPTY: Final = re.compile(r"(?<=[\w.)'])\s*=\s*\[\s*\](?=\s*(?:\|\||&&|\bthen\b))")

# A match branch on the empty list (`| [] -> true`), as Erlang's clause on `[]` is one.
EMPTY_TEST: Final = r"^\s*\|\s*\[\s*\]\s*(?:when\b.*?)?->"


def is_ocaml_path(path: str) -> bool:
    return bool(_OCAML_PATH.search(path))


def as_code(lines: list[str]) -> list[str]:
    """An OCaml file's lines as the readers read them: a test against the empty list with `==`."""
    return [_EQUALS_EMPTY.sub(" == []", line) for line in lines]
