"""Lines that declare what a tool will leave alone or what a resource is, and do nothing: Terraform's
`ignore_changes = [password]` tells it never to change the password, and a `description = "..."`
says in words what the resource holds; a build file's dependency on a library (`implementation
"org.grails.plugins:database-migration:4.2.1"`) names what the build fetches. A negative rule ("Do
not change the password of the user in use", "Do not run migrations without lock_timeout") is not
broken by the words of such a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# `ignore_changes = [password, tags]` (Terraform's lifecycle block), `description = "..."` and
# `description: "..."` (Terraform, Helm values, OpenAPI): nothing the tool does.
_DECLARING: Final = re.compile(r"^\s*(?:ignore_changes|description)\s*[=:]", re.IGNORECASE)
# A dependency pinned to a version: Gradle's configurations (`implementation "g:a:1.2"`,
# `runtimeOnly("g:a:1.2")`) and plugins (`id "x" version "1.2"`), Maven's `<artifactId>` and
# `<version>`, a TOML or JSON manifest's `name = ">= 1.0 and < 2.0"` / `"name": "^1.2.3"`, pip's
# `name==1.2`.
_DEPENDENCY: Final = re.compile(
    r"^\s*(?:implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|annotationProcessor"
    r"|classpath|kapt)\s*\(?\s*[\"'][\w.-]+:[\w.-]+(?::[\w.${}-]+)?[\"']"
    r"|^\s*id\s*\(?\s*[\"'][\w.-]+[\"']\s*\)?\s+version\s+[\"']"
    r"|^\s*<(?:artifactId|groupId|version)>"
    # a version: a range (`^1.2`, `~1.2`, `>= 1.0 and < 2.0`) or three numbers (`4.2.1`), not a
    # setting's value (`"30s"`, `"0.5"`)
    r"|^\s*[\"']?[\w.-]+[\"']?\s*[=:]\s*[\"'](?:(?:[~^]|[<>]=?\s*)\d+(?:\.\d+)*|\d+\.\d+\.\d+[\w.-]*)"
    r"(?:\s+and\s+[<>]=?\s*[\d.]+)?[\"']\s*,?\s*$"
    r"|^\s*[\w.-]+\s*(?:==|>=|~=)\s*\d+(?:\.\d+)*\s*$"
)


def without_declarations(lines: Iterable[str]) -> list[str]:
    """``lines`` with the lines that only declare (ignored changes, descriptions, dependencies) made
    empty, so each line keeps its place."""
    return ["" if _DECLARING.match(line) or _DEPENDENCY.match(line) else line for line in lines]
