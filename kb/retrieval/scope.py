"""Scope evidence: technologies named in text or implied by file names, and path-glob matching."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Final

from kb.technologies import technologies_in_text as named_technologies

# File name or path patterns -> technologies they imply.
_PATH_RULES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("*.tf", ("terraform",)),
    ("*.tfvars", ("terraform",)),
    ("*dockerfile*", ("docker",)),
    ("*docker-compose*.y*ml", ("docker",)),
    ("*chart.yaml", ("helm", "kubernetes")),
    ("*values*.y*ml", ("helm", "kubernetes")),
    ("*helm/*", ("helm", "kubernetes")),
    ("*k8s/*", ("kubernetes",)),
    ("*kubernetes/*", ("kubernetes",)),
    ("*manifests/*.y*ml", ("kubernetes",)),
    ("*kustomization.y*ml", ("kubernetes",)),
    (".github/workflows/*", ("github-actions",)),
    ("*.gitlab-ci.yml", ("gitlab-ci",)),
    ("*jenkinsfile", ("jenkins",)),
    ("*.sql", ("sql",)),
    ("*migrations/*", ("sql",)),
    ("*alembic/*", ("sql",)),
    ("*.py", ("python",)),
    ("*.go", ("go",)),
    ("*.java", ("java",)),
    ("*.kt", ("java",)),
    ("*.ts", ("javascript",)),
    ("*.js", ("javascript",)),
    ("*nginx*.conf", ("nginx",)),
    ("*prometheus*.y*ml", ("prometheus",)),
    ("*alerts*.y*ml", ("prometheus",)),
)

# Lines in a changed file that give its technology away. Each rule has words (lowercase) of which
# one must be in the text for the pattern to match: a substring test is far cheaper than a search,
# and most rules do not apply to most files (a 300-line diff paid 2 ms for the searches alone).
_CONTENT_RULES: Final[tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...]] = (
    (("apiversion:", "kind:"), re.compile(r"^\s*(apiVersion|kind):\s*\S+", re.MULTILINE), "kubernetes"),
    (
        ("resource", "module", "provider"),
        re.compile(r"^\s*(resource|module|provider)\s+\"", re.MULTILINE),
        "terraform",
    ),
    (("from", "run", "entrypoint"), re.compile(r"^\s*(FROM|RUN|ENTRYPOINT)\s+\S+", re.MULTILINE), "docker"),
    (("alter", "create"), re.compile(r"\b(ALTER|CREATE)\s+(TABLE|INDEX)\b", re.IGNORECASE), "sql"),
    (("cert-manager.io/",), re.compile(r"\bcert-manager\.io/"), "cert-manager"),
    (("kind:",), re.compile(r"^\s*kind:\s*(Certificate|ClusterIssuer|Issuer)\s*$", re.MULTILINE), "tls"),
    (("runs-on:", "uses:"), re.compile(r"^\s*(runs-on|uses):", re.MULTILINE), "github-actions"),
    (('"aws_db_instance', '"aws_rds_cluster'), re.compile(r"\"aws_(db_instance|rds_cluster)"), "aws-rds"),
    (('"aws_eks_',), re.compile(r"\"aws_eks_"), "aws-eks"),
    (('"aws_s3_',), re.compile(r"\"aws_s3_"), "aws-s3"),
    (('"aws_iam_',), re.compile(r"\"aws_iam_"), "aws-iam"),
    (('"aws_',), re.compile(r"\"aws_(instance|launch_template|autoscaling_group|ami)\b"), "aws-ec2"),
    (("provider", '"aws_'), re.compile(r"^\s*provider\s+\"aws\"|\"aws_", re.MULTILINE), "aws"),
    (("npm", "yarn", "pnpm"), re.compile(r"\b(npm|yarn|pnpm)\s+(install|ci|add)\b"), "javascript"),
    (("pip", "python"), re.compile(r"\bpip\s+install\b|\bpython\s+-m\b"), "python"),
)


def technologies_in_text(text: str) -> set[str]:
    """Technologies a task names, in the vocabulary ingest tags lessons with (kb.technologies)."""
    return set(named_technologies(text))


def technologies_for_path(path: str) -> set[str]:
    return set(_technologies_for_path(path.lower()))


@lru_cache(maxsize=4096)  # a repository changes the same files again and again
def _technologies_for_path(lowered: str) -> frozenset[str]:
    name = PurePosixPath(lowered).name
    found: set[str] = set()
    for pattern, names in _PATH_RULES:
        if fnmatch.fnmatchcase(lowered, pattern) or fnmatch.fnmatchcase(name, pattern):
            found.update(names)
    return frozenset(found)


def technologies_in_code(text: str) -> set[str]:
    lowered = text.lower()
    return {
        name
        for needles, pattern, name in _CONTENT_RULES
        if any(needle in lowered for needle in needles) and pattern.search(text)
    }


def glob_matches(pattern: str, path: str) -> bool:
    """Does a constraint's path glob (or plain file name) cover a changed path?

    A glob without a slash matches the file name anywhere (``*.tf``, ``Dockerfile``); a glob with
    a slash matches the path or any suffix of it, so ``deploy/*.yaml`` covers ``infra/deploy/a.yaml``.
    A plain directory (no wildcard) covers every file below it.
    """
    pattern = pattern.strip().lstrip("./")
    path = path.strip().lstrip("./")
    if not pattern or not path:
        return False
    normalised = _normalised_path(path)
    if "/" not in pattern:
        return fnmatch.fnmatchcase(normalised.rsplit("/", 1)[-1], pattern)
    suffix_glob, directory = _compiled_glob(pattern)
    if suffix_glob.match(normalised):
        return True
    return directory is not None and directory in "/" + normalised


@lru_cache(maxsize=4096)
def _normalised_path(path: str) -> str:
    return "/".join(PurePosixPath(path).parts)


@lru_cache(maxsize=8192)
def _compiled_glob(pattern: str) -> tuple[re.Pattern[str], str | None]:
    """A glob compiled once: it matches a path whose suffix, from a part boundary, matches the glob.

    Testing each suffix of each changed path against each glob cost ~75 microseconds a pair, which
    a diff against a large knowledge base (hundreds of distinct globs) paid on every query.
    """
    suffix_glob = re.compile(r"(?s:(?:.*/)?)" + fnmatch.translate(pattern))
    plain_directory = not any(ch in pattern for ch in "*?[")
    return suffix_glob, ("/" + pattern.rstrip("/") + "/") if plain_directory else None


def first_paths_matched(patterns: Iterable[str], paths: Sequence[str]) -> dict[str, str]:
    """Each of ``patterns`` that covers one of ``paths`` (see ``glob_matches``), with the first path
    it covers.

    A glob matches only a path that holds its longest literal run (``deploy/`` of
    ``deploy/*.yaml``), so that substring test comes first: a diff against a knowledge base with
    hundreds of distinct globs skips most of them at it (about 0.4 ms a query at 100k lessons).
    """
    cleaned = [(path, _normalised_path(path.strip().lstrip("./"))) for path in paths]
    found: dict[str, str] = {}
    for pattern in patterns:
        needle = _literal_run(pattern)
        for path, normalised in cleaned:
            if needle in normalised and glob_matches(pattern, path):
                found[pattern] = path
                break
    return found


@lru_cache(maxsize=8192)
def _literal_run(pattern: str) -> str:
    """The longest run of ``pattern`` that any path it matches holds as is ('' when unsure: a glob
    with a character class, whose letters are not literal)."""
    pattern = pattern.strip().lstrip("./")
    if "[" in pattern:
        return ""
    return max(re.split(r"[*?]", pattern), key=len)
