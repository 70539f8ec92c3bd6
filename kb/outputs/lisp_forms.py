"""Lisp code read as the gate reads other languages: Clojure (and ClojureScript, Common Lisp, Racket,
Fennel) call a function by opening a form before its name (`(log/info {...})`, `(http/get url
opts)`), name it through the alias its namespace requires it under (`[clj-http.client :as http]`),
and pass options as keywords (`:socket-timeout 2500`). The gate's readers look for a call by its
name followed by `(`; these forms say where a Lisp call opens and what library an alias stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

# A Lisp source file: what its lines are read as Lisp for (a Clojure alias, a docstring).
_LISP_PATH: Final = re.compile(
    r"\.(?:clj[cs]?|edn|bb|el|lisp|lsp|cl|scm|ss|rkt|fnl|hy|janet)$", re.IGNORECASE
)


def is_lisp_path(path: str) -> bool:
    return bool(_LISP_PATH.search(path))


# A logging call as a Lisp form: Clojure's timbre and tools.logging through their alias or full name
# (`(log/info ...)`, `(timbre/warnf ...)`, `(clojure.tools.logging/error e ...)`, `(log/log :info
# ...)`), mulog's `(u/log ::event ...)` and `(mu/log ...)`, Common Lisp's `(log:info ...)`, Racket's
# `(log-info ...)`. The match opens at the form's `(`: its arguments run to the paren that closes it.
LOG_FORM: Final = re.compile(
    r"\(\s*(?:[\w.*+!?-]*(?:log|logger|logging|timbre)[\w.*+!?-]*[/:])"
    r"(?:trace|debug|info|warn|warning|error|fatal|report|spy|log)[fp]?(?![\w/-])"
    r"|\(\s*(?:mu|u)/log(?![\w/-])"
    r"|\(\s*log-(?:debug|info|warning|error|fatal)(?![\w/-])",
    re.IGNORECASE,
)

# An id generated on the spot in Lisp: Clojure's `(random-uuid)`, `(java.util.UUID/randomUUID)`,
# `(UUID/randomUUID)`, clj-uuid's `(uuid/v4)`, Datomic's `(squuid)`, `(nano-id)`; Common Lisp's
# `(uuid:make-v4-uuid)`.
FRESH_ID: Final = re.compile(
    r"\(\s*(?:random-uuid|(?:java\.util\.)?UUID/randomUUID|[\w.-]*uuid/v[14]|squuid|nano-?id"
    r"|(?:uuid:)?make-v4-uuid)(?![\w/-])"
)

# The HTTP client libraries of Clojure and their call names: clj-http (`clj-http.client/get`,
# `.../request`), http-kit (`org.httpkit.client/get`), hato (`hato.client/get`), babashka's client,
# Java 11's through `java-http-clj`.
_HTTP_LIBRARIES: Final = (
    "clj-http.client",
    "clj-http.lite.client",
    "org.httpkit.client",
    "hato.client",
    "babashka.http-client",
    "java-http-clj.core",
)
HTTP_CALL: Final = re.compile(
    r"\(\s*(?:" + "|".join(re.escape(name) for name in _HTTP_LIBRARIES) + r")/"
    r"(?:get|post|put|patch|delete|head|request)(?![\w/-])"
)

# A namespace required under an alias: `[clj-http.client :as http]`, `(:require [hato.client :as hc])`,
# `(require '[org.httpkit.client :as http])`.
_REQUIRED_AS: Final = re.compile(r"\[\s*([A-Za-z][\w.*+!?-]*)\s+(?:[^\]]*?\s)?:as\s+([A-Za-z][\w.*+!?-]*)")


def aliases(lines: Iterable[str]) -> dict[str, str]:
    """The aliases a Lisp file's namespace requires, each with the namespace it stands for."""
    return {alias: name for line in lines for name, alias in _REQUIRED_AS.findall(line)}


def qualified(lines: Sequence[str], required: dict[str, str]) -> list[str]:
    """The lines with each call through an alias of an HTTP client library written with the library's
    own name (`(http/get url opts)` where `[clj-http.client :as http]` is required reads
    `(clj-http.client/get url opts)`): the alias is the file's choice, the library says what the call
    does. Other aliases are left as they are (`[berthly.clients.http :as http]` is the service's own
    wrapper, with its timeouts and breaker)."""
    wanted = {alias: name for alias, name in required.items() if name in _HTTP_LIBRARIES}
    if not wanted:
        return list(lines)
    call = re.compile(r"\(\s*(" + "|".join(re.escape(a) for a in wanted) + r")/")
    return [call.sub(lambda m: "(" + wanted[m.group(1)] + "/", line) for line in lines]


# A docstring in Lisp: a string that opens its line and holds prose (words with spaces), on the line
# after a definition's name. One that closes on its line is only the string (and the parens closing
# its form); a URL or a path alone on its line (`"/captures"`) is an argument, not prose.
_PROSE_STRING: Final = re.compile(r'^\s*"(?=[^"]*\s)')
_CLOSES: Final = re.compile(r'(?<!\\)"')


def without_docstrings(lines: list[str]) -> list[str]:
    """A Lisp file's lines less the docstrings (`(defn capture-deposit!` then `"Captures the deposit.
    ... timeouts are retried ..."`): prose about the code, as a comment is, not what it does."""
    out: list[str] = []
    open_doc = False
    for line in lines:
        if open_doc:
            open_doc = len(_CLOSES.findall(line)) % 2 == 0
            continue
        if _PROSE_STRING.match(line):
            quotes = len(_CLOSES.findall(line))
            if quotes % 2 == 1:
                open_doc = True
                continue
            rest = line[line.rfind('"') + 1 :].strip()
            if not rest.strip(")"):
                continue
        out.append(line)
    return out


# A field read off a value by its keyword (`(:booking-id req)`, `(:reason body)`): the field is what is
# passed, not the value it is read from; `(:body req)` passes the body.
_KEYWORD_READ: Final = re.compile(r"\(\s*(:[\w.*+!?-]+)\s+[\w.*+!?-]+\s*\)")
# `(get req :id)`, `(get-in req [:path-params :id])`: a field too.
_GET_READ: Final = re.compile(r"\(\s*get(?:-in)?\s+[\w.*+!?-]+\s+(\[[^\]]*\]|:[\w.*+!?-]+)[^)]*\)")


def without_receivers(form: str) -> str:
    """A form with each field read off a value written as the field alone: `(:booking-id req)` is
    `:booking-id`, as `req.ID` is a field of the request and not the request."""
    return _GET_READ.sub(r"\1", _KEYWORD_READ.sub(r"\1", form))


# The request itself as an argument of a form, whole: a symbol that names it (`req`, `request`,
# `payload`, `body`, `params`, or one ending in them: `body-params`, `raw-body`), not a keyword of
# it (`:body`), once the fields read off values are taken out (``without_receivers``).
_WHOLE_REQUEST: Final = re.compile(
    r"(?<![\w.*+!?:/-])(?:[\w*+!?]+-)*(?:req|request|payload|body|params)(?![\w.*+!?/-])", re.IGNORECASE
)
_BODY_READ: Final = re.compile(
    r"\(\s*:(?:body|params|body-params|json-params|form-params|multipart-params)\s+[\w.*+!?-]+\s*\)"
)


def passes_request_whole(form: str) -> bool:
    """A Lisp logging form's text passes the decoded request whole: `(log/info "rejected" req)`,
    `(log/warn {:event :x :payload (:body req)})`, `(log/info (:body-params request))`."""
    if _BODY_READ.search(form):
        return True
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', form)
    return bool(_WHOLE_REQUEST.search(without_receivers(without_strings)))
