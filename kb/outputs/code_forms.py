"""What a line of code does, in the spellings of many languages and frameworks: the forms a
document's quoted code stands for beyond the one library it was written in.

A postmortem quotes the call it was about (`requests.post(url, json=payload)`, `Shipment.get(id)`,
`CREATE INDEX ... ON orders`); a change repeats the incident in another language (Go `http.Post`,
Rails `Invoice.find(params[:id])`, Django `migrations.AddIndex`). Each form here is one kind of act
(an outbound HTTP call, a schema index built, a record loaded by an id from the request, a path
filter deciding what CI runs, durable state written to a cache) and the spellings that do it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final

from kb.outputs import (
    cpp_forms,
    erlang_forms,
    fsharp_forms,
    gleam_forms,
    haskell_forms,
    lisp_forms,
    lua_forms,
    ocaml_forms,
    swift_forms,
)

# A record loaded by an id with no owner filter has its own module; read here as one of the forms.
from kb.outputs.owner_forms import unscoped_lookups as unscoped_lookups

# Retries and their keys have their own module; read here as forms of the other acts.
from kb.outputs.retry_forms import code_without_comments as code_without_comments
from kb.outputs.retry_forms import fresh_key_per_attempt as fresh_key_per_attempt
from kb.outputs.retry_forms import keeps_stable_key as keeps_stable_key
from kb.outputs.retry_forms import makes_fresh_id as makes_fresh_id
from kb.outputs.retry_forms import retries_unkeyed_payment as retries_unkeyed_payment

if TYPE_CHECKING:
    from kb.retrieval.diffs import ChangedFile

# --- prose about the code: docstrings ---------------------------------------------------------------------

# A Python docstring opens with triple quotes; an Elixir documentation attribute (`@moduledoc`, `@doc`,
# `@typedoc`) holds a string or a triple-quoted heredoc.
_DOCSTRING: Final = re.compile(r'^\s*(?:@(?:module|type)?doc\s+)?[rRbBuU]?("""|\'\'\')')
_ONE_LINE_DOC: Final = re.compile(r'^\s*@(?:module|type)?doc\s+(?:"(?:[^"\\]|\\.)*"|false)\s*$')
# A line that only documents, in a string: a deprecation note (C# `[Obsolete("...")]`, Java and Kotlin
# `@Deprecated("...")`, Rust `#[deprecated(note = "...")]`) or an HCL `description = "..."`.
_NOTE_LINE: Final = re.compile(
    r'^\s*(?:\[Obsolete\(\s*@?"|@Deprecated\(\s*(?:message\s*=\s*)?"|#\[deprecated\(\s*(?:note\s*=\s*)?"'
    r'|description\s*=\s*")'
)


def without_docstrings(lines: list[str]) -> list[str]:
    """The lines less docstrings (Python's triple-quoted strings, Elixir's `@moduledoc` and `@doc`,
    from the line that opens them to the line that closes them) and notes (``_NOTE_LINE``): prose
    about the code ("A card the customer saved ... such as a card number", "Masks personal data
    before it reaches log metadata", "column is dropped in a later release") says what it handles,
    as a comment does, not what it does."""
    out: list[str] = []
    quote: str | None = None
    held: list[str] = []  # an open docstring's lines, kept if it never closes (a closing line alone)
    for line in lines:
        if quote is not None:
            held.append(line)
            if quote in line:
                quote, held = None, []
            continue
        if _ONE_LINE_DOC.match(line) or _NOTE_LINE.match(line):
            continue
        opened = _DOCSTRING.match(line)
        if opened:
            if opened.group(1) not in line[opened.end() :]:
                quote, held = opened.group(1), [line]
            continue
        out.append(line)
    return out + held


# --- an outbound HTTP call (or a client made for one) ---------------------------------------------------

# One word no tokenizer produces: a quoted HTTP call and a change's HTTP call, in any client, meet on it.
OUTBOUND_HTTP: Final = "outbound-http-call"
_HTTP_CALL: Final = re.compile(
    # Python: requests, httpx, urllib
    r"\brequests\.(?:get|post|put|patch|delete|head|request|Session)\b"
    r"|\bhttpx\.(?:get|post|put|patch|delete|head|request|Client|AsyncClient)\b"
    r"|\burlopen\("
    # Go: the package-level helpers use http.DefaultClient, which has no timeout
    r"|\bhttp\.(?:Get|Post|PostForm|Head|DefaultClient)\b|\bhttp\.Client\s*\{"
    # JavaScript / TypeScript
    # (a relative URL, `fetch("/api/x")`, is a browser calling its own origin, not a third party)
    # (TypeScript may give the response's type first: `axios.post<{ offers: Offer[] }>(`)
    r"|(?<![\w.])fetch\((?!\s*[\"'`]/)"
    r"|\baxios(?:\.(?:get|post|put|patch|delete|request|create))?(?:<[^()]*>)?\((?!\s*[\"'`]/)"
    r"|\bgot(?:\.(?:get|post|put|patch|delete))?(?:<[^()]*>)?\("
    # JVM
    # (Kotlin builds without `new`: `RestTemplate()`)
    r"|\bHttpClient\.new(?:HttpClient|Builder)\(|\bnew\s+RestTemplate\(|(?<![\w.])RestTemplate\(\s*\)"
    r"|\bWebClient\.(?:create|builder)\("
    r"|\bOkHttpClient\b"
    # Ruby
    r"|\bNet::HTTP\.(?:get|post|start|new)\b|\bFaraday\.(?:new|get|post)\b|\bHTTParty\.(?:get|post)\b"
    r"|\bRestClient\.(?:get|post|put)\b"
    # PHP (Guzzle, Laravel), .NET, Rust (reqwest, ureq), Scala (sttp, Akka), Swift, Elixir, Ktor
    r"|\bnew\s+\\?GuzzleHttp\\Client\(|\bHttp::(?:get|post|put|patch|delete)\(|\bnew\s+HttpClient\s*\("
    r"|\breqwest::(?:get|Client|ClientBuilder|blocking::(?:get|Client))\b|\bureq::(?:get|post|put|agent)\b"
    r"|\bbasicRequest\b|\bHttp\(\)\.singleRequest\("
    r"|\bURLSession\.shared\b|\bAF\.request\(|\b(?:HTTPoison|Req|Tesla)\.(?:get|post|put|patch|request)!?\("
    r"|\bHttpClient\(\s*(?:CIO|OkHttp|Apache|Java|Darwin)\b"
    # a Rust `Client::new()` or `Client::builder()` with no arguments is an HTTP client (reqwest, hyper,
    # awc; SDK clients take their config); Python's aiohttp
    r"|(?<![\w:])(?:Client|ClientBuilder)::(?:new|builder)\(\s*\)"
    r"|\baiohttp\.(?:ClientSession|request)\("
    # Clojure's clients called by their namespace (`(clj-http.client/get url opts)`; a file's alias is
    # read as the library it stands for, ``lisp_forms.qualified``)
    r"|"
    + lisp_forms.HTTP_CALL.pattern
    # C++: cpr, libcurl, cpprest, Boost.Beast (``cpp_forms.HTTP_CALL``)
    + r"|"
    + cpp_forms.HTTP_CALL.pattern
    # Swift: AsyncHTTPClient, Vapor's client (``swift_forms.HTTP_CALL``)
    + r"|"
    + swift_forms.HTTP_CALL.pattern
    # Lua (lua-resty-http, LuaSocket) and Erlang (httpc, hackney, gun) (``lua_forms``, ``erlang_forms``)
    + r"|"
    + lua_forms.HTTP_CALL.pattern
    + r"|"
    + erlang_forms.HTTP_CALL.pattern
    # OCaml: cohttp, piaf, ezcurl (``ocaml_forms``); Gleam: gleam_httpc, fetch (``gleam_forms``)
    + r"|"
    + ocaml_forms.HTTP_CALL.pattern
    + r"|"
    + gleam_forms.HTTP_CALL.pattern
)
# A quoted library wildcard (`requests.*`) names every call of it.
_HTTP_WILDCARD: Final = re.compile(r"\s*(?:requests|httpx|urllib3|axios|got)\.\*\s*")


def outbound_http(line: str) -> bool:
    """Whether a line calls out over HTTP, or makes the client that will."""
    return bool(_HTTP_CALL.search(line))


def outbound_http_span(span: str) -> bool:
    """Whether a quoted span names an outbound HTTP call (`requests.post(url)`, `http.Get`,
    `http.DefaultClient`, `requests.*`)."""
    return bool(_HTTP_WILDCARD.fullmatch(span) or _HTTP_CALL.search(span) or _HTTP_CALL.search(span + "("))


def more_calls(added: Iterable[str], removed: Iterable[str]) -> bool:
    """The change makes more outbound HTTP calls (or clients) than it takes away: a call it rewrites
    (`return axios.create({` made `const client = axios.create({`) was made before the change."""
    return sum(map(outbound_http, added)) > sum(map(outbound_http, removed))


# --- a schema index built ------------------------------------------------------------------------------

# The migration tools' calls that build an index (`CREATE INDEX` in SQL is read by its shape): Django
# `AddIndex` and `index_together`, Rails `add_index`, Sequelize `addIndex`, Prisma `@@index`. Alembic's
# `op.create_index` and Liquibase's `createIndex` already say "create" and "index".
_INDEX_CREATION: Final = re.compile(
    r"\bAddIndex(?:Concurrently)?\(|\badd_index\b|\baddIndex\(|\bindex_together\b|@@index\b"
)
INDEX_WORDS: Final = frozenset({"create", "index"})


def builds_index(line: str) -> bool:
    return bool(_INDEX_CREATION.search(line))


# --- a path filter deciding what CI runs ----------------------------------------------------------------

# GitHub Actions `paths:` / `paths-ignore:` and `dorny/paths-filter`; GitLab `rules: - changes:` and
# `only: changes:` / `except: changes:`; CircleCI's path-filtering orb; Jenkins `when { changeset }`;
# Bitbucket `changesets: includePaths:`; Azure Pipelines `paths: include:`.
PATH_FILTER: Final = re.compile(
    # a workflow's `paths:` lists globs (an ingress's `paths:` lists `- path:` rules)
    r"^\s*paths(?:-ignore)?\s*:\s*(?:\[|\n\s*-\s*(?!path\s*:|backend\b)[\"']?[\w./*!-])"
    r"|paths-filter|path-filtering"
    # GitLab's `changes:` is a rule's item or under `only:`/`except:` (Liquibase's `changes:` is not)
    r"|^\s*-\s*changes\s*:|^\s*(?:only|except)\s*:\s*\n\s*changes\s*:"
    r"|\bchangeset\s*[\"'(]|^\s*changesets\s*:|\bincludePaths\s*:",
    re.MULTILINE,
)
# What a CI job keeps or uploads is listed as `paths:` too (GitLab's `artifacts:` and `cache:`): files,
# not a filter on what runs.
_UPLOADS: Final = re.compile(r"^\s*-?\s*(?:artifacts|cache|reports)\s*:\s*$")


def without_upload_paths(code: str) -> str:
    """``code`` with each `paths:` key whose parent is `artifacts:` or `cache:` named `files:`."""
    lines = code.split("\n")
    for i, line in enumerate(lines):
        if not re.match(r"^\s*paths\s*:", line):
            continue
        depth = len(line) - len(line.lstrip())
        parent = next((x for x in reversed(lines[:i]) if x.strip() and len(x) - len(x.lstrip()) < depth), "")
        if _UPLOADS.match(parent):
            lines[i] = line.replace("paths", "files", 1)
    return "\n".join(lines)


# --- a failing CI step let pass ---------------------------------------------------------------------------

# GitHub `continue-on-error: true`, GitLab `allow_failure: true`, Azure `continueOnError: true`,
# Buildkite `soft_fail: true`, Jenkins `catchError(buildResult: 'SUCCESS'`, Drone `failure: ignore`.
FAILURE_ALLOWED: Final = re.compile(
    r"^\s*-?\s*(?:continue-on-error|allow_failure|continueOnError|soft_fail)\s*:\s*[\"']?(?:true|yes)\b"
    r"|\bcatchError\s*\(\s*buildResult\s*:\s*[\"']SUCCESS|^\s*failure\s*:\s*ignore\b"
    # Tekton `onError: continue`; a test command whose failure the shell swallows (`pytest || true`)
    r"|^\s*-?\s*onError\s*:\s*[\"']?continue\b"
    r"|\b(?:rspec|pytest|jest|vitest|phpunit|test|tests|check|verify)\b[^|\n]*\|\|\s*(?:true|:|exit\s+0)\s*[\"']?\s*$",
    re.MULTILINE | re.IGNORECASE,
)
# The words a document uses for it (`continue-on-error: true`).
FAILURE_ALLOWED_WORDS: Final = frozenset({"continue", "error"})


def lets_failure_pass(line: str) -> bool:
    """Whether a line lets a failing CI step or job pass."""
    return bool(FAILURE_ALLOWED.search(line))


# What runs a test suite, by a step's name or command: `bundle exec rspec`, `pytest`, `go test ./...`,
# `npm test`, `mvn verify`, a step named "Unit tests" or "System specs".
_TEST_RUN: Final = re.compile(
    r"\b(?:rspec|pytest|jest|vitest|mocha|phpunit|minitest|tox|nox"
    r"|(?:go|cargo|mix|dotnet|rails|(?:npm|yarn|pnpm)(?:\s+run)?)\s+test"
    r"|rake\s+(?:test|spec)|mvn\b.*\b(?:test|verify)|gradlew?\b.*\b(?:test|check)"
    r"|tests?|specs?|test[-_ ]suite)\b",
    re.IGNORECASE,
)


def runs_tests(lines: Sequence[str]) -> bool:
    """Whether a step's name or command in ``lines`` runs tests (``_TEST_RUN``)."""
    return any(_TEST_RUN.search(line) for line in lines)


def lets_tests_fail(added: Sequence[str], around: Sequence[str]) -> bool:
    """A failing step let pass (`continue-on-error: true`) where what the change edits runs tests (a
    step's name or command in the lines it adds or the ones around them): a failing suite no longer
    fails the job."""
    return any(lets_failure_pass(line) for line in added) and any(
        _TEST_RUN.search(line) for line in [*added, *around]
    )


# --- authentication put in front of routes ----------------------------------------------------------------

# ingress-nginx `auth-url` / `auth-signin` / `auth-type` annotations, nginx `auth_request` and
# `auth_basic`, an oauth2-proxy in front, Traefik `forwardAuth`.
_LOGIN_REQUIRED: Final = re.compile(
    r"\bauth-(?:url|signin|type|secret)\b|\bauth_(?:request|basic)\b|\boauth2-proxy\b|\bforwardAuth\b",
    re.IGNORECASE,
)


def requires_login(line: str) -> bool:
    """Whether a line puts authentication in front of what it serves."""
    return bool(_LOGIN_REQUIRED.search(line))


# --- durable state written to a cache -----------------------------------------------------------------

# A write to a durable database: SQL `INSERT`/`UPDATE`, ORM saves.
_DURABLE_WRITE: Final = re.compile(
    r"\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\.save\(|\bsession\.add\(|\.create\(|\.insert\(|\.upsert\(",
    re.IGNORECASE,
)
# A write to a cache store: Redis and Memcached clients.
_CACHE_WRITE: Final = re.compile(
    rf"\.(?:set|setex|psetex|hset|hmset|mset|zadd|sadd|lpush|rpush|incrby|expire)\(|{fsharp_forms.CACHE_WRITE}",
)
_CACHE_CLIENT: Final = re.compile(r"\bredis\b|\bRedis\b|\bmemcache|\bjedis\b|\blettuce\b|\bioredis\b", re.I)


def moves_state_to_cache(added: Iterable[str], removed: Iterable[str]) -> bool:
    """The change stops writing something to a durable database and writes it to a cache store
    instead (Postgres rows become Redis keys): state that must not be lost now lives where eviction
    and TTLs decide how long it lives."""
    added = list(added)
    removed = list(removed)
    if not any(_DURABLE_WRITE.search(line) for line in removed):
        return False
    if not any(_CACHE_WRITE.search(line) for line in added):
        return False
    return any(_CACHE_CLIENT.search(line) for line in added)


def act_names(lines: Sequence[str]) -> list[str]:
    """What the lines do, in the words lessons use for it ("path filter", "outbound HTTP call",
    "create index"): the encoder reads `rules: - changes:` as YAML, not as the path filter a lesson
    names."""
    text = without_upload_paths("\n".join(lines))
    names = []
    if PATH_FILTER.search(text):
        names.append("path filter")
    if any(outbound_http(line) for line in lines):
        names.append("outbound HTTP call")
    if any(builds_index(line) for line in lines):
        names.append("create index")
    if any(lets_failure_pass(line) for line in lines):
        names.append("continue on error")
    return names


# --- a setting given no value: zero, none or infinite ----------------------------------------------------

# `timeout=None`, `readTimeout: 0`, `.setReadTimeout(Duration.ZERO)`, `Timeout = TimeSpan.Zero`,
# `timeout: -1`, `Timeout.InfiniteTimeSpan`, PHP's `'timeout' => 0` (Guzzle): a timeout of zero or none
# waits forever in most clients.
_NOTHING: Final = (
    r"(?:None|null|nil|NULL|false|False|-1|0+(?:\.0+)?(?:ms|s|L)?|Duration\.ZERO|TimeSpan\.Zero"
    r"|Duration\.of\w+\(\s*0\s*\)|Duration\.Zero|(?:System\.Threading\.)?Timeout\.Infinite\w*|Infinity|math\.inf|float\([\"']inf[\"']\)"
    # Rust's `Duration::ZERO`, `from_secs(0)`; Scala's `Duration.Inf`, `0.seconds`; http-client (Haskell)
    rf"|Duration::ZERO|Duration::from_\w+\(\s*0\s*\)|Duration\.Inf|0\.(?:seconds|millis)|{haskell_forms.NO_TIMEOUT})"
)
# Quoted as TOML, YAML and JSON write a duration (`timeout = "0s"`); F# sets a property with `<-`.
_OFF_VALUE: Final = re.compile(rf"([A-Za-z_][\w-]*)[\"']?\s*(?::|=>?|<-)\s*[\"']?{_NOTHING}[\"']?(?![.\w(])")
# OkHttp and the JDK give a setter's unit as a second argument: `.readTimeout(0, TimeUnit.SECONDS)`
# is no timeout at all.
# A Lisp options map gives a keyword its value after a space (`:socket-timeout nil`, `:timeout 0`).
_OFF_KEYWORD: Final = re.compile(rf"(?<![\w:/]):([A-Za-z_][\w-]*)\s+{_NOTHING}(?![.\w(/-])")
_OFF_SETTER: Final = re.compile(
    rf"\.((?:set|with)?[A-Za-z_]\w*)\(\s*{_NOTHING}\s*(?:,\s*(?:TimeUnit|ChronoUnit)\.\w+\s*)?\)"
)


def switched_off(line: str) -> list[str]:
    """The settings a line gives no value (zero, none, false or infinite), by name."""
    return [*_OFF_VALUE.findall(line), *_OFF_SETTER.findall(line), *_OFF_KEYWORD.findall(line)]


# A Django migration's operation (`migrations.RunPython(`, `migrations.RemoveField(`), and schema
# statements in SQL: a migration none of whose operations is one but `RunPython` changes rows only.
_MIGRATION_OP: Final = re.compile(r"\bmigrations\.(\w+)\s*\(")
_SCHEMA_SQL: Final = re.compile(
    r"\b(?:ALTER\s+TABLE|CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+(?:TABLE|INDEX|COLUMN)|ADD\s+COLUMN)\b",
    re.IGNORECASE,
)


def changes_rows_only(added: Sequence[str]) -> bool:
    """The migrations the change adds only run code over rows (Django `RunPython` operations, a
    backfill), with no schema operation and no schema statement: they take no table lock."""
    ops = [m.group(1) for line in added for m in _MIGRATION_OP.finditer(line)]
    return (
        bool(ops)
        and all(op == "RunPython" for op in ops)
        and not any(_SCHEMA_SQL.search(line) for line in added)
    )


# --- a rollout in waves -----------------------------------------------------------------------------------

# Argo CD's RollingSync, Argo Rollouts / Flagger canaries and their analysis, sync waves.
_PROGRESSIVE: Final = re.compile(
    r"\bRollingSync\b|\brollingSync\s*:|\bkind:\s*(?:Rollout|AnalysisTemplate|ClusterAnalysisTemplate|Canary)\b"
    r"|\bsetWeight\s*:|\bargocd\.argoproj\.io/sync-wave\b"
)


def rolls_out_in_waves(added: Iterable[str]) -> bool:
    """The added lines roll a change out step by step (waves, canary weights, automated analysis)."""
    return any(_PROGRESSIVE.search(line) for line in added)


def drops_rollout_waves(added: Iterable[str], removed: Iterable[str]) -> bool:
    """The change takes out a step-by-step rollout (an ApplicationSet's `RollingSync` steps, sync
    waves, a canary's weights) and brings none back: what it ships, and what ships after it, reaches
    every target at once."""
    return rolls_out_in_waves(removed) and not rolls_out_in_waves(added)


# --- a change per region ----------------------------------------------------------------------------------

# A cloud region (`eu-west`, `us-east-1`, `europe-west1`, `ap-southeast-2`): per-region overlays and
# values files are how a change reaches one region.
_REGION: Final = re.compile(r"[a-z]{2,}-(?:north|south|east|west|central)(?:east|west)?\d?(?:-\d)?")
# A region as a word of a file's name (`values-eu-west.yaml`, `eu-west.tfvars`, `config.us-east-1.json`).
_REGION_IN_NAME: Final = re.compile(rf"(?:^|[-_.])({_REGION.pattern})(?=[-_.]|$)")


# The shared base of a per-region configuration tree (`deploy/config/base/ratelimit.yaml`, `config/base/`,
# kustomize's `configs/base/`): every region's overlay includes it, so a change to it reaches every
# region at once. A base of manifests elsewhere (`deploy/k8s/base/`) may serve one cluster or stages.
_SHARED_CONFIG_BASE: Final = re.compile(r"(?:^|/)(?:config|configs|conf)/(?:[\w.-]+/)?base/")
_CONFIG_FILE: Final = re.compile(r"\.(?:ya?ml|json|toml|conf|cfg|ini|properties|env)$", re.IGNORECASE)
EVERY_REGION: Final = "every-region"


def regions_in_path(path: str) -> list[str]:
    """The regions a changed file is for: a region directory (`deploy/config/eu-west/`) or a region
    named in the file's name (Helm `values-eu-west.yaml`); every region for the base of a per-region
    configuration tree (``EVERY_REGION``)."""
    if _SHARED_CONFIG_BASE.search(path) and _CONFIG_FILE.search(path):
        return [EVERY_REGION]
    *directories, name = path.split("/")
    found = [part for part in directories if _REGION.fullmatch(part)]
    return found + [m.group(1) for m in _REGION_IN_NAME.finditer(name)]


# --- an empty list read as everything ---------------------------------------------------------------------

# An emptiness test, in Python, Go, JavaScript, Java, Kotlin, C# and Ruby spellings.
_EMPTY_CHECK: Final = (
    rf"(?:[\w.?]+\.(?:isEmpty|isNullOrEmpty|is_empty)\(\)|{fsharp_forms.EMPTY_CALL}|"
    + swift_forms.EMPTY_PROPERTY
    + r"|[\w.?]+\.empty\?|[\w.?]+\.(?:length|size|Count)"
    r"(?:\(\))?\s*===?\s*0|\blen\([\w.]+\)\s*==\s*0|\bnot\s+[\w.]+|![\w.]+(?:\.length)?|[\w.]+\s*==\s*\[\s*\])"
)
# `return eligibleCurrencies.isEmpty() || currency in eligibleCurrencies`: the empty list passes the
# test it is part of (in a return, an assignment, a lambda), not a branch that rejects it.
_EMPTY_OR: Final = re.compile(rf"{_EMPTY_CHECK}\s*(?:\|\||\bor\b)")
_BRANCH: Final = re.compile(r"^\s*(?:}\s*)?(?:if|elif|else\s+if|unless|while)\b")
# A list defaulted to empty when unset: `ids = rule.ids ?? []`, `|| []`, `or []`, Kotlin `.orEmpty()`,
# `?: emptyList()`, Java `getOrDefault(k, List.of())`.
_EMPTY_DEFAULT: Final = re.compile(
    r"(?:(\w+)\s*=\s*)?(?:\(?[\w.?]+\s*(?:\?\?|\|\||\bor\b|\?:)\s*(?:\[\s*\]|(?:empty|list|set)Of\(\)|emptyList\(\)"
    r"|emptySet\(\))\)?|[\w.?]+\.orEmpty\(\)|getOrDefault\([^,]+,\s*(?:List\.of\(\)|emptyList\(\)|\[\s*\])\))"
)
# Whether every item matches, asked of a list: true for an empty one.
_EVERY: Final = r"\.(?:every|all|allMatch|All)\s*[({]"
_EVERY_WINDOW: Final = 8


_TEST_WORDS: Final = frozenset(
    {"isEmpty", "isNullOrEmpty", "is_empty", "empty", "length", "size", "Count", "len", "not", "or"}
)


def _tested_again(test: str, rest: str) -> bool:
    """The list an emptiness test reads is what the rest of the expression matches against
    (`isEmpty() || currency in eligibleCurrencies`), not a flag negated beside another condition."""
    names = [w for w in re.findall(r"[A-Za-z_]\w*", test) if w not in _TEST_WORDS]
    if not names:
        return False
    uses = list(re.finditer(rf"\b{re.escape(names[-1])}\b", rest))
    if uses and _NEGATED.fullmatch(test.strip()):
        # `!err.response || err.response.status >= 500`: a value tested for absence and then read
        # for a field is a null guard, not a list whose emptiness passes; a list is read as one
        # (`ids.includes(x)`, `x in ids`, `ids[0]`).
        return any(not _FIELD_READ.match(rest, m.end()) for m in uses)
    return bool(uses)


# A bare negation (`!x`, `!a.b`, `not x`): an emptiness test only where what follows reads a list.
_NEGATED: Final = re.compile(r"(?:!|\bnot\s+)[\w.]+\s*(?:\|\||\bor\b)?")
# A field read of the tested value (`.status`), not one of a list's own methods or properties.
_FIELD_READ: Final = re.compile(
    r"\s*\??\.\s*(?!(?:includes|contains|indexOf|some|every|all|any|has|count|length|size|"
    r"include\?|member\?|find|filter|map|Contains|Any|Count)\b)\w+"
)


def empty_passes(code: Sequence[str]) -> bool:
    """Code that reads an empty list as matching everything: an emptiness test joined by "or" to the
    match (`isEmpty() || currency in eligibleCurrencies`), or "every item matches" asked of a list
    defaulted to empty (`rule.currencies.orEmpty().all { ... }`, `(ids ?? []).every(...)`)."""
    for i, line in enumerate(code):
        test = _EMPTY_OR.search(line)
        if test and not _BRANCH.match(line) and _tested_again(test.group(0), line[test.end() :]):
            return True
        default = _EMPTY_DEFAULT.search(line)
        if default is None:
            continue
        if re.search(rf"{re.escape(default.group(0).strip())}\)?\s*{_EVERY}", line):
            return True
        name = default.group(1)
        if name and any(re.search(rf"\b{name}{_EVERY}", x) for x in code[i : i + _EVERY_WINDOW]):
            return True
    return False


# --- a column dropped in the change that moves its readers -------------------------------------------------

# A column dropped: SQL `DROP COLUMN`, Liquibase `dropColumn` (XML, YAML, JSON, on one line or several),
# Rails `remove_column`, Django `RemoveField`, Knex/Laravel `dropColumn("name")`, Alembic
# `op.drop_column("t", "name")`.
_DROPPED_COLUMN: Final = re.compile(
    r"\bDROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?[\"`]?(\w+)"
    r"|\bdropColumn\b[^\n]*?\bcolumnName[\"']?\s*[:=]\s*[\"']?(\w+)"
    # Liquibase YAML or JSON over several lines: `columnName:` (or a `- column: name:`) under it
    r"|\bdropColumn[\"']?\s*:\s*\{?\s*\n(?:[ \t-]*[\"']?(?!columnName\b|name\b)\w+[\"']?\s*:[^\n]*\n){0,6}?"
    r"[ \t-]*[\"']?(?:columnName|name)[\"']?\s*:\s*[\"']?(\w+)"
    r"|\bremove_column\s*\(?\s*:?\w+,\s*:(\w+)|\bRemoveField\([^)]*?name=[\"'](\w+)"
    r"|\.dropColumn\(\s*[\"'](\w+)|\bdrop_column\(\s*[\"']\w+[\"']\s*,\s*[\"'](\w+)|"
    + swift_forms.DROPPED_FIELD,
    re.IGNORECASE,
)


def dropped_columns(lines: Iterable[str]) -> list[str]:
    """The columns the lines drop."""
    return [next(g for g in found.groups() if g) for found in _DROPPED_COLUMN.finditer("\n".join(lines))]


# Telling the ORM to forget a column (Rails `self.ignored_columns += [...]`) is the expand step's
# release, not a reader: taking it out with the drop is the contract step done right.
_IGNORES_COLUMN: Final = re.compile(r"\bignored?_columns\b|@JsonIgnore|@Transient\b", re.IGNORECASE)


def stops_reading_dropped_column(added: Sequence[str], removed: Iterable[str]) -> bool:
    """The change drops a column and takes out code that read it (a serializer's
    `request.legacy_reason_text`): the release that stops using the column also drops it."""
    columns = dropped_columns(added)
    if not columns:
        return False
    readers = [
        line
        for line in removed
        if not _IGNORES_COLUMN.search(line)
        and not _DROPPED_COLUMN.search(line)
        and not re.match(r"\s*(?:--|#|//)", line)
    ]
    return any(re.search(rf"\b{re.escape(column)}\b", line) for column in columns for line in readers)


# Copying a column's values elsewhere in SQL: `INSERT INTO t (...) SELECT ..., col FROM ...` or
# `UPDATE t SET new_col = col`, on one line or over the statement's lines.
_COPIES: Final = re.compile(
    r"\bINSERT\s+INTO\b[^;]*?\bSELECT\b([^;]*)|\bUPDATE\s+\w+\s+SET\b([^;]*)", re.IGNORECASE
)


def copies_dropped_column(added: Sequence[str]) -> bool:
    """The change drops a column and, in the same change, copies its values to their new home
    (`INSERT INTO order_discounts ... SELECT id, promo_code ...`, `UPDATE ... SET code = promo_code`):
    the move and the drop ship together, so the release before, still reading the column, cannot
    run against the new schema and the drop cannot be undone."""
    columns = dropped_columns(added)
    if not columns:
        return False
    code = "\n".join(
        line for line in added if not _DROPPED_COLUMN.search(line) and not re.match(r"\s*(?:--|#|//)", line)
    )
    copied = " ".join(next(g for g in found.groups() if g is not None) for found in _COPIES.finditer(code))
    return any(re.search(rf"\b{re.escape(column)}\b", copied) for column in columns)


def reads_dropped_column_anew(
    added: Sequence[str], around: Iterable[str], stems: Callable[[str], frozenset[str]]
) -> bool:
    """The change drops a column and adds code that reads what the column held from elsewhere: a
    reader named for it (`referenceForPayout` in the `StatementRepository` for `statement_reference`).
    The drop ships in the release that moves its readers, so the previous release, still reading the
    column, cannot run against the new schema."""
    columns = dropped_columns(added)
    if not columns:
        return False
    code = [
        line for line in added if not _DROPPED_COLUMN.search(line) and not re.match(r"\s*(?:--|#|//)", line)
    ]
    near_lines = "\n".join(around)
    for column in columns:
        # A line that names the column itself tells of the drop (a changelog entry, the migration's
        # docstring, a changeset id `007-drop-statement-reference`); the new reader is named for what
        # the column held.
        named = column.lower().replace("-", "_")
        readers = stems("\n".join(line for line in code if named not in line.lower().replace("-", "_")))
        words = stems(column) - {column.lower()} or stems(column)
        if words & readers and words <= readers | stems(near_lines):
            return True
    return False


# --- a retry on every request of an HTTP client ------------------------------------------------------------

# A retry handler put on an HTTP client, so that it retries every request the client sends, POSTs too:
# .NET's IHttpClientFactory with Polly (`.AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(...))`,
# `.AddPolicyHandler(... .WaitAndRetryAsync(...))`), Microsoft.Extensions.Http.Resilience
# (`.AddResilienceHandler(..., b => b.AddRetry(...))`; `.AddStandardResilienceHandler()` retries by
# default), Go's `retryablehttp.NewClient()`, urllib3's `Retry(allowed_methods=None)` (every method; its
# default leaves POST out).
_CLIENT_HANDLER: Final = re.compile(
    r"\.Add(?:TransientHttpErrorPolicy|PolicyHandler|ResilienceHandler)\s*[(<]"
)
_RETRYING_CLIENT: Final = re.compile(
    r"\.AddStandard(?:Hedging)?ResilienceHandler\s*\(|\bretryablehttp\.NewClient\s*\("
    r"|\bRetry\s*\(.*\b(?:allowed_methods|method_whitelist)\s*=\s*(?:None|False|[^)]*[\"']POST[\"'])"
)
_POLICY_RETRY: Final = re.compile(r"\b(?:WaitAndRetry\w*|Retry\w*Async|RetryForever\w*|AddRetry)\s*[(<]")
# What confines the retry to some requests: the request's method tested (`request.Method ==
# HttpMethod.Get`), `DisableForUnsafeHttpMethods()`, `DisableFor(HttpMethod.Post)`.
_BY_METHOD: Final = re.compile(r"\.Method\b|\bHttpMethod\.|\bDisableFor\w*\s*\(|\bIsIdempotent\b")
# The client's calls: reads only (a retried GET repeats nothing), or one that changes state.
_READ_CALL: Final = re.compile(r"\.Get(?:FromJson|String|Stream|ByteArray)?Async\s*[(<]|\bHttpMethod\.Get\b")
_WRITE_CALL: Final = re.compile(
    r"\.(?:Post|Put|Patch|Delete)(?:AsJson)?Async\s*[(<]|\bHttpMethod\.(?:Post|Put|Patch|Delete)\b|\.SendAsync\s*\("
)
# The lines of one handler's chain (`.AddPolicyHandler(HttpPolicyExtensions`, `.HandleTransientHttpError()`,
# `.Or<TimeoutRejectedException>()`, `.WaitAndRetryAsync(...))`).
_CHAIN_SPAN: Final = 5


def _block_length(code: Sequence[str], start: int, limit: int = 40) -> int:
    """How many lines from ``start`` the braces opened there (or on the next line) stay open: an
    options lambda (`.AddStandardResilienceHandler(o => { ... })`) is read whole, however many
    settings come before the one that confines the retry; 0 when no brace opens."""
    depth = 0
    opened = False
    for n, line in enumerate(code[start : start + limit]):
        if not opened and n > 1:
            return 0
        depth += line.count("{") - line.count("}")
        opened = opened or "{" in line
        if opened and depth <= 0:
            return n + 1
    return limit if opened else 0


def retries_every_request(added: Sequence[str]) -> list[str]:
    """The added lines that put a retry on every request of an HTTP client, with no test of the
    request's method in the handler's chain; none when the added code shows the client's calls
    and they only read."""
    code = [re.split(r"\s//\s", line)[0] for line in added if not re.match(r"\s*(?:#|//|/?\*)", line)]
    found = []
    for i, line in enumerate(code):
        chain = code[i : i + max(_CHAIN_SPAN, _block_length(code, i))]
        retries = _RETRYING_CLIENT.search(line) or (
            _CLIENT_HANDLER.search(line) and any(_POLICY_RETRY.search(x) for x in chain)
        )
        if retries and not any(_BY_METHOD.search(x) for x in chain):
            found.append(line)
    if any(_READ_CALL.search(x) for x in code) and not any(_WRITE_CALL.search(x) for x in code):
        return []
    return found


# --- an expiration rule over a whole bucket -----------------------------------------------------------------

# Where a lifecycle rule starts: Terraform `rule {`, `lifecycle_rule {` (GCS too), CloudFormation `- Id:`.
_LIFECYCLE_RULE: Final = re.compile(r"^\s*(?:rule|lifecycle_rule)\s*\{|^\s*-\s*(?:Id|ID|id)\s*:")
# What makes current objects expire: Terraform `expiration {` (not `noncurrent_version_expiration`,
# which removes old versions only), `expiration_days`, CloudFormation `ExpirationInDays:` and
# `ExpirationDate:`, a GCS rule's `type = "Delete"` action; `expiration_days = null` (or 0) sets none.
_EXPIRES: Final = re.compile(
    r"(?<![\w])expiration\s*\{|\bexpiration_days\s*=(?!\s*(?:null|0)\b)|\bExpiration(?:InDays|Date)\s*:"
    r"|\btype\s*=\s*[\"']Delete[\"']"
)
# What scopes a rule to part of a bucket: a prefix (or a dynamic rule's `rule.value.prefix`), tags, a size.
_SCOPED: Final = re.compile(
    r"\bprefix\s*[:=]\s*(?:[\"'][^\"']+[\"']|(?:rule|each)\.value\.\w+)|"
    r"\bPrefix\s*:\s*[\"']?[\w/.-]|\bmatches_prefix\b|\btag\s*\{"
    r"|\bTagFilters?\s*:|\bobject_size_(?:greater|less)_than\b|\bObjectSize(?:GreaterThan|LessThan)\s*:"
    r"|\bmatches_suffix\b"
)


def expires_whole_bucket(added: Sequence[str]) -> bool:
    """The added lines make an expiration rule with no scope (an empty `filter {}`, an empty prefix,
    or no filter at all): every object of the bucket expires, not the temporary ones a prefix names."""
    code = [line for line in added if not re.match(r"\s*(?:#|//)", line)]
    starts = [i for i, line in enumerate(code) if _LIFECYCLE_RULE.match(line)] or [0]
    bounds = [*starts, len(code)]
    for start, end in itertools.pairwise(bounds):
        rule = code[start:end]
        if any(_EXPIRES.search(line) for line in rule) and not any(_SCOPED.search(line) for line in rule):
            return True
    return False


# --- a destructive setting given a default ---------------------------------------------------------------

# A Terraform variable (a module's input) whose name says it deletes or expires what it applies to
# (`delete_after_days`, `expiration_days`, `lifecycle_rules`), and the default it gets.
_VARIABLE: Final = re.compile(r'^\s*variable\s+"(\w+)"\s*\{')
_DESTRUCTIVE_NAME: Final = re.compile(r"delet|expir|purge|lifecycle|ttl", re.IGNORECASE)
# A default that is a value: not `null`, not an empty list or map (no rule at all).
_DEFAULT_VALUE: Final = re.compile(r"^\s*default\s*=\s*(?!null\b|\[\s*\]|\{\s*\})\S")


def destructive_defaults(added: Sequence[str], around: Sequence[str] = ()) -> list[str]:
    """The names of the Terraform variables the change adds whose name says they delete or expire
    and that get a default value: a caller that does not pass one gets the deletion. A default added
    to a variable the change does not declare belongs to the one its hunk is in (git names the
    `variable "lifecycle_rules" {` after `@@`, or it is a line around)."""
    if not any(_VARIABLE.match(x) for x in added) and any(_DEFAULT_VALUE.match(x) for x in added):
        named = (_VARIABLE.match(x) for x in around)
        return sorted({v.group(1) for v in named if v and _DESTRUCTIVE_NAME.search(v.group(1))})
    out = []
    for i, line in enumerate(added):
        variable = _VARIABLE.match(line)
        if not variable or not _DESTRUCTIVE_NAME.search(variable.group(1)):
            continue
        block = list(itertools.takewhile(lambda x: not x.startswith("}"), added[i + 1 : i + 12]))
        if any(_DEFAULT_VALUE.match(x) for x in block):
            out.append(variable.group(1))
    return out


# --- a consumer route with no dead-letter topic ---------------------------------------------------------

# A Karafka route (`topic "carriers.return-scans" do ... consumer CarrierScansConsumer ... end`): what a
# failing message does is said inside its block (`dead_letter_queue(topic: ...)`).
_CONSUMER_ROUTE: Final = re.compile(r"^(\s*)topic\s+[:\"'][\w.:-]+[\"']?\s+do\b")
_DEAD_LETTER: Final = re.compile(r"dead[-_ ]?letter|\bdlq\b|\bdlt\b", re.IGNORECASE)


def routes_without_dead_letter(added: Sequence[str]) -> list[str]:
    """The consumer routes the lines add with no dead-letter topic in their block: a message that
    keeps failing is retried forever and stalls its partition."""
    out = []
    for i, line in enumerate(added):
        route = _CONSUMER_ROUTE.match(line)
        if route is None:
            continue
        block = _block_under(added[i + 1 :], len(route.group(1)))
        if any(re.search(r"^\s*consumer\b", x) for x in block) and not any(
            _DEAD_LETTER.search(x) for x in block
        ):
            out.append(line.strip())
    return out


def _block_under(lines: Sequence[str], depth: int) -> list[str]:
    """The lines indented deeper than ``depth``, up to the first that is not (its `end`)."""
    block = []
    for line in lines:
        if line.strip() and len(line) - len(line.lstrip()) <= depth:
            break
        block.append(line)
    return block


# --- a template's wording changed ---------------------------------------------------------------------------

# View templates: their text is what a reader sees; their code is inside the tags (ERB `<%= ... %>`,
# Jinja and Liquid `{{ ... }}` / `{% ... %}`, Handlebars, EEx).
_TEMPLATE_PATH: Final = re.compile(
    r"\.(?:erb|haml|slim|jinja2?|j2|liquid|hbs|handlebars|mustache|ejs|eex|heex|twig|njk)$",
    re.IGNORECASE,
)
_TEMPLATE_CODE: Final = re.compile(r"<%[=#-]?(.*?)-?%>|\{\{\{?(.*?)\}?\}\}|\{%-?(.*?)-?%\}")


def _template_code(lines: Iterable[str]) -> set[str]:
    return {
        " ".join("".join(parts).split())
        for line in lines
        for parts in _TEMPLATE_CODE.findall(line)
        if "".join(parts).strip()
    }


def rewords_template(changed: ChangedFile) -> bool:
    """A view template whose changed lines hold no code the removed lines did not (the same
    `number_to_currency(@refund_amount, ...)`, or none): its wording changed, not what it does. A
    lesson about what that code does ("every money rounding operation") is not repeated by the
    words around it ("refund", "payment method")."""
    if not _TEMPLATE_PATH.search(changed.path) or not changed.added:
        return False
    return _template_code(changed.added) <= _template_code(changed.removed)
