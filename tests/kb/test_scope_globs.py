"""Path globs: the compiled matcher agrees with the plain definition on every pair of a grid."""

from __future__ import annotations

import fnmatch
import itertools
from pathlib import PurePosixPath

from kb.retrieval.scope import glob_matches

PATTERNS = [
    "*.tf",
    "Dockerfile",
    "deploy/*.yaml",
    "deploy/**",
    "services/payments",
    "services/payments/",
    "migrations/",
    "db/migrations/*.sql",
    "charts/*/values.yaml",
    "**/values-*.yaml",
    ".github/workflows/*.yml",
    "./infra/modules/[a-c]*/main.tf",
    "src/api/?.py",
    "services/pay",
]
PATHS = [
    "infra/main.tf",
    "main.tf",
    "build/Dockerfile",
    "deploy/app.yaml",
    "infra/deploy/app.yaml",
    "deploy/sub/app.yaml",
    "services/payments",
    "services/payments/capture.py",
    "repo/services/payments/x/y.go",
    "services/payments2/capture.py",
    "db/migrations/0001.sql",
    "old/db/migrations/0001.sql",
    "charts/api/values.yaml",
    "charts/api/templates/values.yaml",
    "helm/values-prod.yaml",
    ".github/workflows/ci.yml",
    "infra/modules/b-net/main.tf",
    "infra/modules/d-net/main.tf",
    "src/api/a.py",
    "src/api/ab.py",
    "services/pay/x.py",
    "./deploy//app.yaml",
]


def reference(pattern: str, path: str) -> bool:
    """The definition, one suffix at a time (the implementation before it was compiled)."""
    pattern = pattern.strip().lstrip("./")
    path = path.strip().lstrip("./")
    if not pattern or not path:
        return False
    if "/" not in pattern:
        return fnmatch.fnmatch(PurePosixPath(path).name, pattern)
    parts = PurePosixPath(path).parts
    plain_directory = not any(ch in pattern for ch in "*?[")
    for start in range(len(parts)):
        suffix = "/".join(parts[start:])
        if fnmatch.fnmatch(suffix, pattern):
            return True
        if plain_directory and suffix.startswith(pattern.rstrip("/") + "/"):
            return True
    return False


def test_compiled_globs_agree_with_the_definition() -> None:
    disagreements = [
        (pattern, path)
        for pattern, path in itertools.product(PATTERNS, PATHS)
        if glob_matches(pattern, path) is not reference(pattern, path)
    ]
    assert disagreements == []
    # The grid exercises both answers, for globs with and without a slash.
    answers = {(("/" in p), glob_matches(p, q)) for p, q in itertools.product(PATTERNS, PATHS)}
    assert answers == {(True, True), (True, False), (False, True), (False, False)}


def test_a_plain_directory_covers_files_below_it_only_at_a_part_boundary() -> None:
    assert glob_matches("services/payments", "x/services/payments/a.py")
    assert not glob_matches("services/payments", "services/payments2/a.py")
    assert not glob_matches("services/pay", "services/payments/a.py")


def test_empty_inputs_match_nothing() -> None:
    assert not glob_matches("", "a.py")
    assert not glob_matches("*.py", "")
    assert not glob_matches("./", "a.py")


def test_services_are_named_as_whole_names_or_parts_of_one() -> None:
    from kb.retrieval.search import services_named

    known = {"orders", "auth", "payments-api", "billing engine"}
    assert services_named("bump replicas in services/orders/deploy.yaml", known) == {"orders"}
    assert services_named("the orders-db pool and the Auth token", known) == {"orders", "auth"}
    assert services_named("an author reorders the payments-api-v2 client", known) == set()
    assert services_named("restart payments-api", known) == {"payments-api"}
    assert services_named("The Billing Engine retries", known) == {"billing engine"}
    assert services_named("anything", set()) == set()


def test_first_paths_matched_agrees_with_testing_every_glob() -> None:
    """The literal-run shortcut never drops a match, in the grid and in generated globs and paths."""
    import random

    from kb.retrieval.scope import first_paths_matched

    rng = random.Random(7)
    parts = ["deploy", "infra", "services", "payments", "db", "migrations", "charts", "api", "a.b", "x-y"]
    files = ["main.tf", "app.yaml", "values.yaml", "0001.sql", "capture.py", "Dockerfile", "ci.yml"]
    wild = ["*", "?", "**", "*.tf", "*.yaml", "[a-c]*", "values-*"]

    def generated_path() -> str:
        prefix = rng.choice(["", "./", "/", " "])
        return prefix + "/".join([*rng.sample(parts, rng.randint(0, 3)), rng.choice(files)])

    def generated_glob() -> str:
        pieces = [*rng.sample(parts, rng.randint(0, 2)), rng.choice(wild + files + parts)]
        return rng.choice(["", "./", "**/"]) + "/".join(pieces) + rng.choice(["", "/"])

    globs = PATTERNS + [generated_glob() for _ in range(400)]
    for paths in [PATHS, *([generated_path() for _ in range(rng.randint(1, 4))] for _ in range(200))]:
        expected = {}
        for pattern in globs:
            hit = next((path for path in paths if glob_matches(pattern, path)), None)
            if hit is not None:
                expected[pattern] = hit
        assert first_paths_matched(globs, paths) == expected
    assert first_paths_matched(PATTERNS, PATHS)  # the grid has matches to keep
