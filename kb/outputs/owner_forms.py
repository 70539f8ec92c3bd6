"""A record loaded by an id with no owner filter, in the ORMs and query styles of many stacks: the
act of a cross-tenant read (an IDOR), the id taken from the request or the record's key alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from kb.outputs import swift_forms

# The parties that own records, as code names them (`merchant_id`, `agencyId`, `organiser`): the one
# vocabulary of an owner, used for the owner key here and in ``kb.outputs.signatures``.
# A venue owns its bookings on a ticketing platform as a merchant owns its invoices.
OWNER_NAMES: Final = "tenant|merchant|account|org|organi[sz]ation|organi[sz]er|workspace|owner|agency|venue"
# The key of the party that owns a record (`merchant_id`, `accountId`, `org_id`, `agencyId`).
OWNER_KEY: Final = re.compile(rf"(?:{OWNER_NAMES})_?ids?\b", re.IGNORECASE)

# --- a record loaded by an id from the request, with no owner filter -------------------------------------

# An id read from the request: Rails `params[:id]`, Express `req.params.id`, Flask `request.args`,
# Django `self.kwargs["pk"]`, Go `chi.URLParam(r, "id")`, `mux.Vars(r)["id"]`, `r.PathValue("id")`,
# gin/echo `c.Param("id")`, FastAPI/Spring path variables.
_REQUEST_ID: Final = re.compile(
    r"\bparams\[:?[\"']?\w*id[\"']?\]|\bparams\.(?:require|fetch)\(:?\w*id"
    r"|\breq(?:uest)?\.(?:params|query|path_params|args|GET|query_params)\b(?:\.get\(|[.\[(])\s*[\"']?\w*id\b"
    r"|\bkwargs\[[\"'](?:pk|\w*id)[\"']\]"
    r"|\bURLParam\(\s*\w+\s*,\s*[\"']\w*id[\"']|\bVars\(\s*\w+\s*\)\[[\"']\w*id[\"']\]"
    r"|\bPathValue\(\s*[\"']\w*id[\"']|\b(?:c|ctx)\.(?:Param|Params)\(\s*[\"']\w*id[\"']"
    r"|@PathVariable\b|\bPath\(\s*\.\.\."
    # Vapor (``swift_forms.REQUEST_ID``)
    r"|" + swift_forms.REQUEST_ID.pattern,
    re.IGNORECASE,
)
# A call that loads one record by a key, in the ORMs and query builders.
_LOOKUP: Final = re.compile(
    r"\.(?:find|find_by!?|find_by_id|get|get_or_404|first_or_404|findById|findByPk|findUnique"
    r"|findUniqueOrThrow|findOne|findFirst|first|one|filter_by|where|objects\.get)\s*[(!]"
    r"|\bget_object_or_404\(|\bQueryRow(?:Context)?\(|\bQuery(?:Context)?\("
    # EF Core and LINQ (`FindAsync(id)`, `.SingleOrDefaultAsync(b => ...)`), a repository's `GetByIdAsync(`
    r"|\.(?:Find|First|Single)(?:OrDefault)?(?:Async)?\s*[(<]|\.Where\s*\(|\.\w*By(?:Id|ID)(?:Async)?\s*\(",
)
# What scopes a lookup to its owner: an owner key (`merchant_id`), an owner keyword (`merchant=`), an
# owner's association (`current_merchant.invoices.find`), or an authorization call (`authorize`,
# `policy_scope`).
_OWNER_SCOPE: Final = re.compile(
    rf"(?:{OWNER_NAMES}|customer)(?:_?ids?)?\s*[:=]"
    rf"|{OWNER_KEY.pattern}"
    rf"|\bcurrent_(?:{OWNER_NAMES}|user|customer)\.\w+"
    r"|\brequest\.user\.\w+\.|\bauthoriz|\bpolicy_scope\b|\bcan\?|\bhas_object_permission\b"
    r"|\bcheck_object_permissions\b|\bscoped?_?(?:to|for|by)\b|\bTenant\w*\(|\bOwnedBy\b",
    re.IGNORECASE,
)
_ASSIGNED: Final = re.compile(
    r"^\s*(?:" + swift_forms.BINDING + r"|(?:const|let|var|val|final)\s+)?(\w+)\s*(?::=|=)(?!=)"
)
# Names a request's id is bound to without an assignment: `const { id } = req.params`, Spring's
# `@PathVariable Long id` (Kotlin `@PathVariable id: Long`).
_BOUND_NAMES: Final = re.compile(
    r"(?:const|let|var)\s*\{([^}]*)\}\s*=\s*req(?:uest)?\.(?:params|query)"
    r"|@PathVariable(?:\([^)]*\))?\s+(?:final\s+)?(?:[\w<>]+\s+(\w+)\b(?!\s*:)|(\w+)\s*:)"
    # http4s path extractors: `Root / "orders" / UUIDVar(id)`
    r"|/\s*(?:UUID|Int|Long)Var\((\w+)\)"
)
# ASP.NET binds a route's values to the action's parameters of the same names: `[HttpGet("{id:guid}/pass")]`,
# `app.MapGet("/bookings/{id}", ...)`, and a parameter marked `[FromRoute]` or `[FromQuery]`.
_ROUTE_TEMPLATE: Final = re.compile(
    r"\[(?:Http(?:Get|Post|Put|Patch|Delete)|Route)\(\s*\"([^\"]*)\"|\bMap(?:Get|Post|Put|Patch|Delete)\(\s*\"([^\"]*)\""
)
_ROUTE_VALUE: Final = re.compile(r"\{\*{0,2}(\w+)(?::[^}]*)?\}")
_FROM_REQUEST: Final = re.compile(r"\[From(?:Route|Query)(?:\([^)]*\))?\]\s*[\w<>?]+\s+(\w+)")
# EF Core and LINQ loading a record by its key alone: `FindAsync(id)` (a cancellation token may follow),
# a predicate that compares the key and nothing else (`b => b.Id == bookingId`), in any data access
# code, whether the id came from the request or from a repository method's parameter.
_KEY_ONLY: Final = re.compile(
    r"\.(?:Find|First|Single)(?:OrDefault)?(?:Async)?\s*\(\s*"
    r"(?:(\w+)\s*=>\s*\1\.(?:Id|ID)\s*==\s*[\w.]+|\w*(?:Id|ID|id))\s*(?:,\s*\w*(?:ct|[Tt]oken)\s*)?\)"
    r"|\.Where\s*\(\s*(\w+)\s*=>\s*\2\.(?:Id|ID)\s*==\s*[\w.]+\s*\)"
)
# Loading a record by its primary key alone in other ORMs and query styles, the key given as a
# parameter: SQL `WHERE id = $id` (doobie, sqlx, JDBC `?`, `:id`, `$1`, MyBatis `#{id}`) with no
# other condition, Slick `filter(_.id === id)`, Exposed `{ Orders.id eq id }`, JPA `findById(id)`,
# Prisma `findUnique({ where: { id } })` (TypeORM `findOne`, `findOneBy({ id })`), ActiveRecord or
# Diesel `find(id)`, Django `get(pk=pk)`, GORM `First(&o, id)`, Ecto `Repo.get(Order, id)`. Read only
# where the record is owned (``_OWNED``): a lookup by id of unowned data scopes nothing.
_KEY_ONLY_ELSEWHERE: Final = re.compile(
    # (a unique reference read to a customer is a key too; the parameter may be normalised, `upper($1)`)
    r"\bWHERE\s+(?:\w+\.)?(?:id|uuid|public_id|reference|booking_ref|order_ref)\s*=\s*(?:(?:upper|lower|trim)\(\s*)?"
    r"(?:\$\{?\w+\}?|\?|:\w+|#\{\w+\}|@\w+|%s|\{\w+\})\s*\)?\s*(?:[\"'`;)]|$|\b(?:LIMIT|FOR\b))"
    r"|\.filter\(\s*(?:_|(\w+)\s*=>\s*\1)\.id\s*===\s*[\w.]+\s*\)"
    r"|\{\s*\w+\.id\s+eq\s+[\w.]+\s*\}"
    r"|\.(?:findById|getById|getReferenceById|find)\(\s*\w*(?:id|Id|ID)\s*\)"
    r"|\.find(?:Unique|First|One)(?:OrThrow|OrFail)?\(\s*\{\s*where:\s*\{\s*\w*(?:id|Id)(?:\s*:\s*[\w.]+)?\s*\}\s*\}"
    # TypeORM `findOneBy({ id })`, `findOneByOrFail({ id: bookingId })`
    r"|\.findOneBy(?:OrFail)?\(\s*\{\s*\w*(?:id|Id)(?:\s*:\s*[\w.]+)?\s*\}\s*\)"
    r"|\.get\(\s*(?:pk|id)\s*=\s*\w+\s*\)"
    r"|\.First\(\s*&\w+\s*,\s*(?:\"id\s*=\s*\?\"\s*,\s*)?\w*(?:id|Id|ID)\s*\)"
    r"|\bRepo\.get!?\(\s*\w+\s*,\s*\w*id\s*\)",
    re.IGNORECASE,
)
# A record that has an owner: an owner key among the columns or fields near the lookup (the select
# list's `organiser_id`, a case class's `tenantId`), or beside it in the file (`WHERE organiser_id =`).
_OWNED: Final = OWNER_KEY
_OWNED_WINDOW: Final = 8
# A key passed as a value on a lookup's line (`HaulierId`, `bookingId`, `user_id`): not a member such as
# `b.Id`, nor the name of a column given a value (`find_by!(public_id: params[:id])`).
_KEY_ARGUMENT: Final = re.compile(r"(?<![\w.\"'])([A-Za-z]\w*(?:Id|ID|_id))\b(?![\"'(]|\s*(?::(?!:)|=(?!=)))")
# An owner check on the lines after the lookup still scopes it (`head :not_found unless invoice.merchant_id
# == current_merchant.id`).
_CHECK_WINDOW: Final = 4


def unscoped_lookups(added: Sequence[str], around: Sequence[str] = ()) -> list[str]:
    """The added lines that load a record by an id read from the request (on the line, or into a
    variable an earlier added line set from it), or by its key alone (``_KEY_ONLY``; in other ORMs
    ``_KEY_ONLY_ELSEWHERE``, of a record with an owner), with no owner scope on the line or the few
    after."""
    request_vars: set[str] = set()
    out: list[str] = []
    owned_around = any(_OWNED.search(line) for line in around)
    for n, line in enumerate(added):
        reads_request = bool(_REQUEST_ID.search(line))
        near = added[max(0, n - _OWNED_WINDOW) : n + _OWNED_WINDOW]
        elsewhere = bool(_KEY_ONLY_ELSEWHERE.search(line)) and (
            owned_around or any(_OWNED.search(w) for w in near)
        )
        # The request read itself (`request.args.get("id")`) is not a lookup of a record.
        looks_up = bool(_LOOKUP.search(_REQUEST_ID.sub(" ", line))) or elsewhere
        request_vars |= _request_names(line)
        assigned = _ASSIGNED.match(line)
        if reads_request and assigned and not looks_up:
            request_vars.add(assigned.group(1))
            continue
        if not looks_up:
            continue
        by_request = reads_request or any(re.search(rf"\b{re.escape(v)}\b", line) for v in request_vars)
        if not by_request and not _KEY_ONLY.search(line) and not elsewhere:
            continue
        # Two keys on the line (the record's and another, `FindAsync(HaulierId, id, ct)`): scoped by one.
        keys = set(_KEY_ARGUMENT.findall(_REQUEST_ID.sub(" ", line)))
        keys |= {v for v in request_vars if re.search(rf"\b{re.escape(v)}\b", line)}
        window = added[n : n + 1 + _CHECK_WINDOW]
        if len(keys) + reads_request < 2 and not any(_OWNER_SCOPE.search(w) for w in window):
            out.append(line)
    return out


def _request_names(line: str) -> set[str]:
    """The names a line binds to values of the request: `const { id } = req.params`, Spring's
    `@PathVariable Long id`, ASP.NET's route values (`[HttpGet("{id:guid}/pass")]`) and
    `[FromRoute]` / `[FromQuery]` parameters."""
    names: set[str] = set()
    for bound in _BOUND_NAMES.finditer(line):
        found = bound.group(1) or bound.group(2) or bound.group(3) or bound.group(4) or ""
        names |= {name.split(":")[-1].strip() for name in found.split(",") if name.strip()}
    for route in _ROUTE_TEMPLATE.finditer(line):
        names |= set(_ROUTE_VALUE.findall(route.group(1) or route.group(2) or ""))
    return names | set(_FROM_REQUEST.findall(line))


# --- the tenant a codebase names otherwise, read from where the caller's identity gives it ---------------

# The owner's id taken from the caller's verified identity: a helper of the request context
# (`brokerID(c)`, `school_id(request)`, `clinicIdFrom(ctx)`) or a field of the token's claims or the
# signed-in principal (`claims.BrokerID`, `principal.getClinicId()`, `auth.school_id`). A platform whose
# tenant is a broker or a clinic names it so, whatever the owner vocabulary above knows.
# OCaml, Haskell and F# apply the helper without parentheses (`Session.council_id request`).
_IDENTITY_OWNER: Final = re.compile(
    r"\b([A-Za-z][A-Za-z0-9]*?)(?:_id|_ID|ID|Id)(?:From\w*)?"
    r"(?:\(\s*(?:c|ctx|r|req|request|context|g)\s*\)|\s+(?:ctx|req|request|conn)\b(?!\s*[.=(]))"
    r"|\b(?:claims|token|principal|identity|caller|session_user|current_user|auth)\.(?:get)?"
    r"([A-Za-z][A-Za-z0-9]*?)(?:_id|_ID|ID|Id)\b"
)
# Ids read from a request context that name no owner: who asks, not who owns.
_NOT_OWNERS: Final = frozenset({"request", "trace", "span", "correlation", "session", "user", "idempotency"})


def owner_key_of(lines: Sequence[str]) -> re.Pattern[str]:
    """The owner key as these lines spell it: ``OWNER_KEY``, and also the key of a party whose id the
    lines take from the caller's verified identity (``_IDENTITY_OWNER``): `broker_id` is an owner key
    where the handler passes `brokerID(c)`."""
    names = {
        (found.group(1) or found.group(2)).lower()
        for line in lines
        for found in _IDENTITY_OWNER.finditer(line)
    }
    names = {n for n in names if len(n) >= 3 and n not in _NOT_OWNERS}
    if not names:
        return OWNER_KEY
    return _owner_key_with(tuple(sorted(names)))


@lru_cache(maxsize=64)
def _owner_key_with(names: tuple[str, ...]) -> re.Pattern[str]:
    extra = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?:{OWNER_NAMES}|{extra})_?ids?\b", re.IGNORECASE)


def read_owner_key(lines: Sequence[str]) -> str:
    """The owner key as a rule against reading the tenant from the request finds it in ``lines``:
    ``owner_key_of`` them, or the owner named alone as the parameter read (`Dream.query request
    "council"`, `params[:merchant]`, `request.args.get("tenant")`), where the owner is one the
    lines name as a key."""
    key = owner_key_of(lines)
    names = re.sub(r"_\?ids\?\\b$", "", key.pattern)
    return rf"{key.pattern}|[\"':](?:{names})\b(?![\w.])"


def reads_identity_owner(lines: Sequence[str]) -> bool:
    """Whether the lines take an owner's id from the caller's verified identity (``_IDENTITY_OWNER``)."""
    return any(
        (found.group(1) or found.group(2)).lower() not in _NOT_OWNERS
        for line in lines
        for found in _IDENTITY_OWNER.finditer(line)
    )


def without_identity(line: str) -> str:
    """The line with the owner ids it takes from the caller's verified identity named `identity`:
    `docksFor(req.auth.operatorId).byId(req.params.dockId)` reads the owner from the token and only
    the record's id from the path, though the owner's name stands a few characters from `params`."""
    return _IDENTITY_OWNER.sub("identity", line)
