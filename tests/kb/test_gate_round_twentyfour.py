"""Round twenty-four (docs/gate.md, read from test22, a Clojure service): Lisp code read as the gate
reads other languages. A logging form opens before its name (`(log/info {...})`), a namespace's
`:require` entry (`[taoensso.timbre :as log]`) imports and does nothing, a complete statement around
the added lines holds none of them, a key made by `(random-uuid)` inside a retry is new on every
attempt, an HTTP client is called through the alias its file requires it under, an options map
switches a timeout off with `:socket-timeout nil`, and entries added to an allow-list name the fields
a log may hold. Every diff here is written for the test."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, lisp_forms, rule_shapes
from kb.outputs.change_lines import ChangeLines, change_lines
from kb.outputs.code_words import code_only, holds_what_follows, imports
from kb.outputs.evidence import breaks
from kb.retrieval.diffs import parse_diff

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."
NEVER_LOGGED = "Request and response bodies must never be logged in production."
ALLOW_LIST = "Log events must use named fields from the allow-list; unknown fields are dropped, not logged."


def _lines(added: list[str], around: list[str] | None = None) -> ChangeLines:
    return ChangeLines(added=added, removed=[], around=around or [], quotable=added)


# --- a Lisp logging form ---------------------------------------------------------------------------------

SHIPPED = [
    "(defn ship! [db req]",
    "  (when-let [order (orders/ship! db (:order-id (:path-params req)))]",
    "    (do (timbre/info {:event :order-shipped :order-id (:id order)})",
    "        {:status 200 :body order})))",
]


def test_a_lisp_logging_form_that_logs_other_values_breaks_no_body_rule() -> None:
    assert rule_shapes.logs_other_values(BODIES, SHIPPED)
    assert rule_shapes.logs_other_values(NEVER_LOGGED, SHIPPED)
    assert not breaks(BODIES, _lines(SHIPPED))
    # a field read off the body by its keyword is a field, not the body
    assert rule_shapes.logs_other_values(BODIES, ["(log/warn {:event :rejected :reason (:reason body)})"])


def test_a_lisp_logging_form_that_passes_the_request_whole() -> None:
    for form in (
        '(log/warn "rejected order" req)',
        "(clojure.tools.logging/info {:event :rejected :payload (:body-params request)})",
        '(log-info "order ~a" payload)',  # Racket
    ):
        assert rule_shapes.logs_request_whole([form]), form
        assert breaks(BODIES, _lines([form])), form
    # over several lines: the form's arguments run to the paren that closes it
    assert rule_shapes.logs_request_whole(["(timbre/warnf", '  "rejected: %s"', "  (:body req))"])
    for form in (
        "(log/info {:event :rejected :order-id (:order-id req)})",
        '(log/info "done" (count items))',
    ):
        assert not rule_shapes.logs_request_whole([form]), form


# --- imports do nothing; a complete statement around holds no added line -------------------------------


def test_an_import_does_not_do_what_a_rule_forbids() -> None:
    macro = [
        "            [clojure.tools.logging :as log])",
        "(defmacro timed [op & body]",
        "  `(with-timer ~op ~@body))",
    ]
    assert compliance.does_forbidden(BODIES, macro) == []
    assert compliance.does_forbidden(BODIES, ["import logging", "def wrap(body):", "    return body"]) == []
    for line in (
        "[taoensso.timbre :as log]",
        "  (:require [hato.client :as hc]))",
        "use tracing::info;",
        "import logging",
    ):
        assert imports(line), line
    for line in ("(log/info {:event :x})", "logger.info(payload)", "important = True"):
        assert not imports(line), line


def test_a_verb_around_counts_only_where_it_can_hold_the_added_lines() -> None:
    read_body = ["      (mapv :title (:body resp))"]
    complete = ["  (log/info {:event :notices-fetched :count n})", " :log {:level :info}}"]
    assert compliance.does_forbidden(BODIES, read_body, complete) == []
    assert not breaks(BODIES, ChangeLines(added=read_body, removed=[], around=complete, quotable=read_body))
    # an open logging form around: the added line is one of its arguments
    assert compliance.does_forbidden(
        BODIES, ["   :body (:body resp)"], ["  (log/info {:event :notices-fetched"]
    )
    assert compliance.does_forbidden(BODIES, ["    body=request.body,"], ["    logger.info("])
    assert holds_what_follows("def handle(logger):") and holds_what_follows("@log_calls")
    assert not holds_what_follows('logger.info("done", count=n)')


# --- a fresh key per attempt, an HTTP client through its alias, a timeout switched off ------------------


def test_a_key_made_by_a_lisp_form_inside_a_retry_is_new_on_every_attempt() -> None:
    retried = [
        "(dh/with-retry {:retry-on java.net.SocketTimeoutException :max-retries 2}",
        '  (client/post (str base "/refunds")',
        '               {:headers {"Idempotency-Key" (str (java.util.UUID/randomUUID))}}))',
    ]
    assert code_forms.fresh_key_per_attempt(retried)
    assert code_forms.fresh_key_per_attempt([retried[0], '  {"Idempotency-Key" (random-uuid)}'])
    assert not code_forms.fresh_key_per_attempt([retried[0], '  {"Idempotency-Key" (str "refund:" id)}'])


CLIENT_DIFF = """diff --git a/src/acme/clients/rates.clj b/src/acme/clients/rates.clj
new file mode 100644
--- /dev/null
+++ b/src/acme/clients/rates.clj
@@ -0,0 +1,9 @@
+(ns acme.clients.rates
+  "Carrier rate quotes, fetched when a parcel is booked."
+  (:require [hato.client :as hc]
+            [acme.http :as http]))
+
+(defn quote [cfg parcel]
+  ;; the carrier answers within a second
+  (hc/post (str (:base-url cfg) "/rates") {:form-params parcel :as :json})
+  (http/get cfg "/health"))
"""


def test_an_http_client_called_through_its_alias_is_an_outbound_call() -> None:
    lines = change_lines(parse_diff(CLIENT_DIFF), CLIENT_DIFF)
    calls = [line for line in lines.added if code_forms.outbound_http(line)]
    assert calls == ['  (hato.client/post (str (:base-url cfg) "/rates") {:form-params parcel :as :json})']
    # the docstring is prose, the comment is not code
    assert not any("Carrier rate quotes" in line for line in lines.added)
    assert code_only("  ;; the carrier answers within a second") == ""
    assert code_only("(quote cfg) ;; why") == "(quote cfg)"
    assert lisp_forms.aliases(["(:require [hato.client :as hc]"]) == {"hc": "hato.client"}


def test_a_lisp_options_map_switches_a_timeout_off() -> None:
    assert code_forms.switched_off("{:socket-timeout nil :connection-timeout 0 :as :json}") == [
        "socket-timeout",
        "connection-timeout",
    ]
    assert code_forms.switched_off("{:socket-timeout 2500 :connection-timeout 1000}") == []


# --- entries added to an allow-list of log fields ---------------------------------------------------------


def test_entries_added_to_an_allow_list_follow_the_named_fields_rule() -> None:
    clojure = rule_shapes.follows_by_shape(
        ALLOW_LIST, ["   :order-total :currency})"], ["(def allowed-log-keys"]
    )
    python = rule_shapes.follows_by_shape(ALLOW_LIST, ['    "shipment_id",'], ["ALLOWED_FIELDS = {"])
    assert clojure == python == ["fields named on an allow-list"]
    # entries of another list, or a rule about something else, are not it
    assert not rule_shapes.follows_by_shape(ALLOW_LIST, ['    "shipment_id",'], ["INDEXED_COLUMNS = {"])
    assert not rule_shapes.follows_by_shape(BODIES, ['    "shipment_id",'], ["ALLOWED_FIELDS = {"])
