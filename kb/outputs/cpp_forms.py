"""C++ code read as the gate reads other languages: an HTTP call made through cpr, libcurl, cpprest or
Boost.Beast, a logging call through spdlog, glog or fmt, and a protobuf message printed whole
(`req->ShortDebugString()`, `MessageToJsonString(*req, &out)`). The gate's readers know a call by its
name followed by `(`; these forms give the names C++ libraries call them by.
"""

from __future__ import annotations

import re
from typing import Final

# An outbound HTTP call, or a client made for one: cpr's free functions (`cpr::Post(cpr::Url{...}`,
# `cpr::GetAsync(`) and `cpr::Session`, libcurl's easy handle (`curl_easy_init()`), cpprest's
# `http_client` and Boost.Beast's `http::write` / `http::async_write` on a stream. Each has no timeout
# unless it is given one (`cpr::Timeout{...}`, `CURLOPT_TIMEOUT`, `http_client_config::set_timeout`,
# `stream.expires_after(...)`).
HTTP_CALL: Final = re.compile(
    r"\bcpr::(?:Get|Post|Put|Patch|Delete|Head|Options)(?:Async|Callback)?\s*\("
    r"|\bcpr::Session\b"
    r"|\bcurl_easy_init\s*\("
    r"|\b(?:web::http::client::)?http_client\s+\w+\s*[({]"
    r"|\b(?:beast::)?http::(?:async_)?write\s*\("
)

# A logging call: spdlog's free functions and macros (`spdlog::info(`, `spdlog::get("x")->warn(`,
# `SPDLOG_ERROR(`, `SPDLOG_LOGGER_INFO(logger, `), glog's and Abseil's streams (`LOG(INFO) <<`,
# `LOG_IF(WARNING, ...) <<`, `VLOG(1) <<`, `DLOG(ERROR) <<`), and fmt's printing (`fmt::print(`).
LOG_CALL: Final = re.compile(
    r"\bspdlog::(?:[\w:]+(?:\([^()]*\))?(?:->|\.|::))?(?:trace|debug|info|warn|error|critical|log)\s*\("
    r"|\bSPDLOG_(?:LOGGER_)?(?:TRACE|DEBUG|INFO|WARN|ERROR|CRITICAL)\s*\("
    r"|\b(?:D|V|P|SYS)?LOG(?:_IF|_EVERY_N|_FIRST_N)?\s*\(\s*\w+[^()]*\)\s*<<"
    r"|\bfmt::print\s*\("
)

# A protobuf message printed whole: its text or JSON form carries every field the client sent
# (`req->ShortDebugString()`, `request.DebugString()`, `req->Utf8DebugString()`,
# `MessageToJsonString(*req, &out)`, a message not named as the request (`order.DebugString()`) is
# not the request). The body read whole by its accessor is the request as sent too (Drogon's
# `req->body()` and `req->getBody()`, Beast's `req.body()`, Pistache's `request.body()`; Java's
# `ctx.body()` and `request.getBody()` alike); one field of it (`req->getParameter("id")`) is not.
_REQUEST_NAME: Final = r"\w*(?:[Rr]eq(?:uest)?|[Pp]ayload|[Bb]ody|[Pp]arams)\b"
PRINTED_WHOLE: Final = re.compile(
    r"(?<![\w.>])\(?\*?" + _REQUEST_NAME + r"\)?\s*(?:->|\.)\s*(?:Short|Utf8)?DebugString\s*\(\s*\)"
    r"|\bMessageToJsonString\s*\(\s*\*?"
    + _REQUEST_NAME
    + r"|(?<![\w.>])\*?(?:"
    + _REQUEST_NAME
    + r"|ctx)\s*(?:->|\.)\s*(?:get)?[Bb]ody\s*\(\s*\)"
)
