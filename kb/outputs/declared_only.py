"""Lines that declare what a tool will leave alone or what a resource is, and do nothing: Terraform's
`ignore_changes = [password]` tells it never to change the password, and a `description = "..."`
says in words what the resource holds. A negative rule ("Do not change the password of the user in
use") is not broken by the words of such a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# `ignore_changes = [password, tags]` (Terraform's lifecycle block), `description = "..."` and
# `description: "..."` (Terraform, Helm values, OpenAPI): nothing the tool does.
_DECLARING: Final = re.compile(r"^\s*(?:ignore_changes|description)\s*[=:]", re.IGNORECASE)


def without_declarations(lines: Iterable[str]) -> list[str]:
    """``lines`` with the lines that only declare (ignored changes, descriptions) made empty, so each
    line keeps its place."""
    return ["" if _DECLARING.match(line) else line for line in lines]
