"""Lesson text is data: text that reads as an instruction to a model is neutralised and flagged.

Documents are written by people, but they get pasted into prompts. A postmortem line such as
"ignore all previous instructions…" must reach an agent as a quoted fact about a document, never
as an instruction. Two steps:

* :func:`scan` names the techniques a text uses (override phrases, role tags, tool-call syntax,
  hidden markup, hidden Unicode, exfiltration links, gate steering, encoded payloads). It looks at
  the text as written and at decoded views of it (hidden characters removed, look-alike letters
  mapped, HTML entities, percent-encoding, base64/base32/hex, ROT13 and leetspeak undone).
* :func:`neutralize` removes invisible characters and defangs the syntax a model or a renderer
  acts on (chat role tokens, ``</lesson><system>``-style tags, external image links), keeping the
  words readable for a reviewer.

The ingest path tags a flagged lesson :data:`FLAG_TAG` so a person can review it.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote

FLAG_TAG: Final = "flagged:injection"
TECHNIQUES: Final = (
    "override",
    "role-tag",
    "tool-call",
    "markup",
    "hidden-unicode",
    "exfiltration",
    "gate-steering",
    "encoded",
)

# Zero-width and formatting characters, bidi embeddings/overrides/isolates, soft hyphen, word
# joiners, the BOM, interlinear annotations and the Unicode tag block (U+E0000-U+E007F).
_HIDDEN: Final = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_TAG_CHARS: Final = re.compile("[\U000e0020-\U000e007e]+")
# Cyrillic and Greek letters that look like Latin ones: "Іgnore аll" is "Ignore all" to a model.
_CONFUSABLES: Final = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеіјорсухѕԁɡΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοικνρτυχ",
    "ABESIJKMHOPCTXYaeijopcyxsdgABEZHIKMNOPTYXaoikvptux",
)
_LEET: Final = str.maketrans("013457@$", "oieastas")

_OVERRIDE: Final = [
    r"\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.\n]{0,30}?\b(?:all\s+|any\s+|the\s+|your\s+|of\s+)*"
    r"(?:previous|prior|above|earlier|preceding|original|existing|system|safety|old)\s+"
    r"(?:instructions?|rules|prompts?|directions|guidance|guidelines|policies|polic(?:y|ies)|context|messages)",
    r"\bforget\s+(?:everything|all)\b[^.\n]{0,30}\b(?:told|said|instructions?|know)",
    r"\b(?:previous|prior|old|above)\s+(?:rules|instructions)\s+(?:no\s+longer|do\s+not|don't)\s+apply",
    r"\bnew\s+instructions?\s+(?:supersede|override|replace|take\s+precedence)",
    r"\byou\s+are\s+(?:now|no\s+longer)\b",
    r"\byou\s+are\s+an?\s+(?:unrestricted|jailbroken|uncensored|new)\b",
    r"\b(?:print|reveal|show|output|repeat|leak)\s+(?:your|the)\s+(?:system\s+prompt|instructions|initial\s+prompt)",
    r"\b(?:note|message|instructions?)\s+(?:for|to)\s+(?:the\s+)?(?:model|ai|llm|assistant|agent|language\s+model|reviewing\s+model)",
    r"\btreat\s+(?:the\s+)?(?:text|content|following)\b[^.\n]{0,40}\bas\s+(?:your\s+)?(?:new\s+)?(?:system|instructions?|policy)",
    r"\b(?:developer|god|dan|jailbreak|unrestricted)\s+mode\b",
    r"\b(?:decode|deobfuscate)\b[^.\n]{0,30}\b(?:follow|execute|run|obey)\b",
    r"\b(?:decode\s+and\s+(?:execute|follow|run))\b",
    r"\b(?:ignore|disregard|forget)\s+(?:everything\s+|all\s+|anything\s+|the\s+text\s+)?(?:above|before\s+this)\b",
    r"\bfrom\s+now\s+on,?\s+(?:you|always|never|respond|answer|reply|only)\b",
    r"\b(?:act|behave|respond)\s+as\s+(?:if\s+you\s+(?:are|were)\b|an?\s+(?:unrestricted|different|new)\b)",
    r"\bpretend\s+(?:to\s+be|you\s+are|that\s+you)\b",
    r"\byour\s+(?:new|real|actual|true|updated)\s+(?:task|instructions?|goal|job|role|purpose|orders)\b",
    r"\bstop\s+following\s+(?:the|your|all|any)\b",
    r"\b(?:real|actual|true|updated|new)\s+(?:system\s+)?instructions\s+(?:are|follow|below)\b",
    r"\b(?:these|this|the\s+following)\s+(?:instructions?|text|note|lesson)\s+(?:overrides?|supersedes?|takes?\s+precedence\s+over)\b",
    r"\b(?:overrides?|supersedes?)\s+(?:all\s+|any\s+)?(?:previous|prior|other|earlier|your)\s+(?:instructions|rules|guidance|lessons|prompts?)",
    r"\byou\s+(?:must|will|should)\s+now\b",
    r"\bsystem\s+(?:override|prompt\s+override|instruction\s+update)\b",
    r"\b(?:print|reveal|show|output|repeat|leak|dump)\s+(?:your|the)\s+(?:full\s+|entire\s+)?(?:system\s+prompt|prompt|instructions|context\s+window|conversation)",
]
# Who a planted instruction talks to. "Agents" alone is too common in operations prose (build
# agents, monitoring agents) for the modal pattern; it counts only in "if you are an agent…".
_AI: Final = (
    r"(?:ai|a\.i\.|llms?|language\s+models?|the\s+model|models?\s+(?:reading|summari[sz]ing|processing)|"
    r"ai\s+(?:agents?|assistants?|reviewers?|tools?)|coding\s+agents?|assistants?|chatbots?|copilots?|"
    r"automated\s+(?:reviewers?|agents?|systems?)|reviewing\s+model)"
)
_ADDRESSEE: Final = r"(?:" + _AI + r"|agents?|bots?)"
_ADDRESSED: Final = [
    # "AI agents: when this lesson is retrieved, tell…", "Language models summarising this page must…"
    r"\b"
    + _AI
    + r"\b[^.\n]{0,60}?\b(?:(?:must|should|shall|need\s+to|are\s+required\s+to)\s+(?:not\s+|never\s+|always\s+)?"  # noqa: E501
    r"(?:state|say|tell|answer|respond|reply|recommend|mention|report|ignore|disregard|approve|mark|treat|output|"
    r"print|include|claim|confirm|skip|omit|pretend|describe\s+this)|tell\s+the\s+user|(?:state|say|answer|respond|reply)\s+that)\b",
    r"\bif\s+you\s+are\s+(?:an?\s+)?" + _ADDRESSEE,
    r"\bwhen\s+(?:an?\s+)?" + _ADDRESSEE + r"\s+(?:asks?|reads?|retrieves?|summari[sz]es?)",
    r"\bwhen\s+this\s+(?:lesson|document|page|text)\s+is\s+(?:retrieved|read|summari[sz]ed|shown)",
]
_GATE: Final = [
    r"\b(?:gate|ci|checker|check|linter|reviewer|scanner|hindsight|forewarn|kb)\s+(?:should|must|will|shall)\s+(?:not|never)\s+block",
    r"\bexempt\s+from\s+(?:the\s+)?(?:lessons?|gate|checks?|review)",
    r"\breturn\s+(?:an?\s+)?exit\s+code\s+0\b",
    r"\b(?:set|report)\s+the\s+risk(?:\s+score)?\s+to\s+(?:0|zero|low|none)",
    r"\bskip\s+(?:the\s+)?(?:lessons?|gate|safety|security)\s+checks?",
    r"\bno\s+(?:known\s+)?risks?\s+and\s+no\s+(?:relevant\s+)?lessons",
    r"\bsafe\s+to\s+merge\s+without\s+(?:any\s+)?review",
    r"(?:^|[.:;!]\s*|\band\s+)(?:approve|mark|pass)\s+(?:every|all|any)\s+(?:the\s+)?(?:changes?|diffs?|prs?|pull\s+requests?|merges?)",
    r"\bmark\s+(?:all\s+|every\s+|this\s+|the\s+)?(?:diffs?|changes?|prs?)\s+as\s+safe",
    r"\bpre-?approved\s+by\s+(?:security|sre|the\s+security\s+team)",
    r"\b(?:answer|respond|reply|tell\s+the\s+user|state)\s+that\s+(?:there\s+(?:are|is)\s+no|this|the\s+change|no)",
    r"\bdo\s+not\s+(?:warn|mention|report|flag)\b",
    r"\b(?:disregard|ignore)\s+(?:the\s+|all\s+|any\s+)?(?:lessons|warnings\s+from\s+(?:the\s+)?(?:gate|kb|hindsight))\b",
    r"\breport\s+no\s+(?:risks?|issues|findings)\b",
    r"\b(?:classify|rate|score|treat|consider|label|flag)\s+(?:this|the|all|every|any)\s+(?:change|diff|pr|pull\s+request|lesson|commit|deploy(?:ment)?)s?\s+as\s+"
    r"(?:safe|low[- ]risk|no[- ]risk|approved|harmless|obsolete|outdated|superseded|resolved|irrelevant|informational)",  # noqa: E501
    r"\b(?:gate|check|checks|ci|pipeline|hindsight|forewarn)\s+(?:must|should|will|shall)\s+(?:always\s+)?(?:pass|succeed|return\s+0|exit\s+(?:with\s+)?0|be\s+green)",
    r"\b(?:always|just)\s+(?:return|exit)\s+(?:with\s+)?(?:code\s+)?0\b",
    r"\bauto-?approve\b",
    r"\bbypass\s+(?:the\s+)?(?:gate|review|checks?|lessons?)\b",
    r"\b(?:do\s+not|don't|never)\s+(?:flag|block|warn\s+about|cite|surface|show|return|mention)\s+(?:this|these|that|any)\s+"
    r"(?:lessons?|changes?|diffs?|prs?|risks?|warnings?|incidents?)",
    r"\bthis\s+(?:lesson|document|postmortem|runbook)\s+(?:is|has\s+been)\s+(?:obsolete|superseded|deprecated|retracted)\b[^.\n]{0,40}\b(?:ignore|do\s+not|don't|skip)",
    r"\b(?:no|without)\s+(?:human\s+)?review\s+(?:is\s+)?(?:needed|required)\b",
    r"\bmust\s+not\s+warn\b",
]
_ROLE_TAGS: Final = re.compile(
    r"<\|[a-z_]{2,20}\|>|\[/?INST\]|<</?SYS>>|</?start_of_turn>|</?end_of_turn>|<\|?endoftext\|?>"
    r"|</?(?:system|assistant|user|human|lesson|lessons|instructions?|tool|tool_call|function_call|context|document|im_start|im_end)(?=[\s/>])[^>]{0,40}>"
    r"|^\s*(?:###\s*)?(?:system|assistant|human|user)\s*:(?=\s*(?:you|ignore|from\s+now|new|act|always|never|do\s+not|approve|mark))",
    re.IGNORECASE | re.MULTILINE,
)
_ROLE_JSON: Final = re.compile(
    r"[\"']role[\"']\s*:\s*[\"'](?:system|assistant|developer|tool)[\"']"
    r"|^\s*(?:#+\s*)?(?:system|assistant|developer|admin|operator|instruction|human)\s*(?:message|prompt|override|instructions?)?\s*:"
    r"(?=\s*(?:you|ignore|disregard|override|from\s+now|new\s+instructions|act\s+as|always|never|do\s+not|approve|mark|all\s+))",
    re.IGNORECASE | re.MULTILINE,
)
_TOOL_CALL: Final = [
    r"[\"']tool_calls?[\"']\s*:",
    r"[\"']function_call[\"']\s*:",
    r"\{\s*[\"']name[\"']\s*:\s*[\"'][\w.-]+[\"']\s*,\s*[\"'](?:arguments|parameters|args|input)[\"']\s*:",
    r"^\s*Action\s*:\s*\w+\s*\n\s*Action\s+Input\s*:",
    r"<(?:tool_call|function_call|invoke|function_calls)\b",
]
_MARKUP: Final = [
    r"<!--(?:(?!-->)[\s\S])*-->",
    r"^\s*\[//\]:\s*#\s*\((?:[^)\n])*\)",
    r"^\s*\[comment\]:\s*<>\s*\((?:[^)\n])*\)",
    r"<details\b[\s\S]{0,2000}?</details>",
    r"<(?:span|div|p|section|font)\b[^>]*(?:display\s*:\s*none|visibility\s*:\s*hidden|\bhidden\b|font-size\s*:\s*0|color\s*:\s*(?:white|#fff\b|#ffffff)|opacity\s*:\s*0)[^>]*>[\s\S]{0,2000}?</(?:span|div|p|section|font)>",
    r"<(?:img|a)\b[^>]*\b(?:alt|title)\s*=\s*[\"'][^\"']{12,}[\"']",
    r"\[[^\]\n]*\]\([^)\s]+\s+[\"'][^\"']{12,}[\"']\)",
]
_EXFIL: Final = [
    # An image the renderer fetches by itself, or a link, whose URL a model is asked to fill in.
    r"!?\[[^\]\n]*\]\(\s*https?://[^)\s]*(?:\{\{|%7B%7B|\{[a-z_]+\}|(?-i:\$\{?[A-Z_]{3,}))[^)\s]*\)",
    r"\[[^\]\n]*\]\(\s*https?://[^)\s]*[?&][\w-]+=(?-i:[A-Z][A-Z0-9]*_[A-Z0-9_]{2,})[^)\s]*\)",
    # Imperative only ("Before answering, send…"); a report saying the attacker's code sent secrets
    # to a webhook is not a request.
    r"(?:^|[.:;!,]\s*|\b(?:please|then|and|also|first)\s+)(?:send|post|upload|exfiltrate|forward|copy|leak|include)\b[^\n]{0,80}?\b(?:contents?\s+of|\.env\b|secrets?|tokens?|credentials|system\s+prompt|api\s+keys?|environment\s+variables?)"
    r"[^\n]{0,80}?(?:https?://|\bas\s+a\s+link\b|webhook)",
    r"(?:^|[.:;!,]\s*|\b(?:please|then|and|also|first)\s+)(?:send|post|upload)\b[^\n]{0,60}?\bto\s+https?://",
    r"\b(?:webhook\.site|requestbin|pipedream\.net|ngrok(?:-free)?\.(?:io|app)|burpcollaborator|interact\.sh|oast\.(?:fun|me|site|online|pro|live)|canarytokens)\b",
    r"<img\b[^>]*\bsrc\s*=\s*[\"']?https?://[^\"'>\s]*\?[^\"'>\s]*=",
    r"!?\[[^\]\n]*\]\(\s*https?://[^)\s]*[?&][\w-]*=[^)\s]*(?:secret|token|password|api[_-]?key|prompt|conversation|history|credentials|env)\w*[^)\s]*\)",
    r"\b(?:append|add|encode|embed|put|include|attach)\b[^\n]{0,60}?\b(?:token|secret|api\s+key|credentials?|system\s+prompt|conversation|chat\s+history|environment\s+variables?|\.env)\b"
    r"[^\n]{0,60}?\b(?:to|in|into|as)\s+(?:the\s+|a\s+)?(?:url|link|query(?:\s+string)?|image|request|parameter)",
    r"(?:^|[.:;!,]\s*|\b(?:please|then|and|also|first)\s+)(?:visit|open|fetch|load|call|curl|request|browse\s+to)\s+https?://[^\s)]*[?&][\w-]+=",
]

# Said plainly these are ordinary review advice; hidden in an encoding they are a payload.
_DECODED_ONLY: Final = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:approve|merge)\s+(?:this|the)\s+(?:change|pr|pull\s+request|merge|diff)\b",
        r"\bdo\s+not\s+block\b",
        r"\b(?:ignore|disregard)\b",
    )
]


def _compiled(patterns: list[str], flags: re.RegexFlag) -> tuple[re.Pattern[str], ...]:
    """``patterns`` as few regexes as keep them fast: those that start at a word boundary share one
    alternation (one pass over the text instead of one per pattern: a family scans 3x faster), the
    others, which can start at any punctuation or line start, stay apart."""
    at_word = [p for p in patterns if p.startswith(r"\b")]
    compiled = [re.compile("|".join(f"(?:{p})" for p in at_word), flags)] if at_word else []
    return (*compiled, *(re.compile(p, flags) for p in patterns if not p.startswith(r"\b")))


_FAMILIES: Final = (
    ("override", _compiled(_OVERRIDE + _ADDRESSED, re.IGNORECASE)),
    ("gate-steering", _compiled(_GATE, re.IGNORECASE)),
    ("tool-call", _compiled(_TOOL_CALL, re.IGNORECASE | re.MULTILINE)),
    ("exfiltration", _compiled(_EXFIL, re.IGNORECASE)),
)
_MARKUP_RES: Final = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in _MARKUP]
_MARKUP_INSTRUCTION: Final = [
    *_compiled(_OVERRIDE + _ADDRESSED + _GATE, re.IGNORECASE),
    # Hidden text has no business talking to a model, or asking anything of its reader.
    re.compile(
        r"\b(?:assistants?|models?|llms?|agents?|bots?|reviewers?)\b|\bai\b(?!\.)"
        r"|\b(?:you|your)\b[^.\n]{0,80}\b(?:tell|answer|respond|reply|ignore|disregard|approve|must|should|always|"
        r"never|say|state|recommend|mention|summari[sz]e)\b",
        re.IGNORECASE,
    ),
]


@dataclass(frozen=True, slots=True)
class Neutralized:
    text: str
    techniques: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.techniques)


def _plain(text: str) -> str:
    """What a model reads: NFKC, invisible characters dropped, look-alike letters mapped."""
    return unicodedata.normalize("NFKC", _HIDDEN.sub("", text)).translate(_CONFUSABLES)


def _decoded_tags(text: str) -> str:
    """Unicode tag characters spell ASCII invisibly (U+E0041 is a hidden 'A')."""
    return " ".join(
        "".join(chr(ord(ch) - 0xE0000) for ch in run.group()) for run in _TAG_CHARS.finditer(text)
    )


def _decoded_views(text: str) -> Iterable[str]:
    """Decodings of payloads hidden in ``text``: base64, base32, hex, entities, percent, ROT13, leet."""
    unescaped = html.unescape(text)
    if unescaped != text:
        yield re.sub(r"<[^>]{1,20}>", " ", unescaped)
    unquoted = unquote(text)
    if unquoted != text:
        yield unquoted
    for blob in re.findall(r"[A-Za-z0-9+/_-]{16,}={0,2}", text):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                padded = blob + "=" * (-len(blob) % 4)
                raw = decode(padded)
            except (binascii.Error, ValueError):
                continue
            if raw and sum(32 <= b < 127 for b in raw) / len(raw) > 0.9:
                yield raw.decode("ascii", "ignore")
                break
    for blob in re.findall(r"\b[A-Z2-7]{16,}=*", text):
        try:
            raw = base64.b32decode(blob + "=" * (-len(blob) % 8))
        except (binascii.Error, ValueError):
            continue
        if raw and sum(32 <= b < 127 for b in raw) / len(raw) > 0.9:
            yield raw.decode("ascii", "ignore")
    for blob in re.findall(r"\b(?:[0-9a-fA-F]{2}){8,}\b", text):
        try:
            raw = bytes.fromhex(blob)
        except ValueError:
            continue
        if sum(32 <= b < 127 for b in raw) / len(raw) > 0.9:
            yield raw.decode("ascii", "ignore")
    yield codecs.decode(text, "rot13")
    if re.search(r"[a-z][0134579@$][a-z]|\b[0134579][a-z]", text, re.IGNORECASE):
        yield text.lower().translate(_LEET)


def _families(text: str) -> set[str]:
    found = {name for name, patterns in _FAMILIES if any(p.search(text) for p in patterns)}
    # An XML element named in a code span is prose about markup (`<system>` in a SOAP response).
    if _ROLE_TAGS.search(re.sub(r"`</?[A-Za-z_]+>`", "``", text)) or _ROLE_JSON.search(text):
        found.add("role-tag")
    for pattern in _MARKUP_RES:
        for match in pattern.finditer(text):
            if any(p.search(match.group()) for p in _MARKUP_INSTRUCTION):
                found.add("markup")
    return found


def scan(text: str) -> tuple[str, ...]:
    """The injection techniques ``text`` uses, in :data:`TECHNIQUES` order (empty when none)."""
    if not text:
        return ()
    found: set[str] = set()
    plain = _plain(text)
    if _HIDDEN.search(text):
        found.add("hidden-unicode")
    if plain != unicodedata.normalize("NFKC", _HIDDEN.sub("", text)):
        found.add("hidden-unicode")  # look-alike letters from another script inside Latin words
    found |= _families(plain)
    hidden = _decoded_tags(text)
    if hidden and _families(hidden):
        found.add("hidden-unicode")
    if not found - {"hidden-unicode"}:
        for view in _decoded_views(plain):
            decoded = _plain(view)
            if view != plain and (
                _families(decoded) & {"override", "gate-steering", "tool-call", "exfiltration"}
                or any(p.search(decoded) and not p.search(plain) for p in _DECODED_ONLY)
            ):
                found.add("encoded")
                break
    return tuple(t for t in TECHNIQUES if t in found)


_DEFANG_ROLE: Final = re.compile(
    r"<\|([a-z_]{2,20})\|>|\[(/?INST)\]|<<(/?SYS)>>|<(/?(?:start_of_turn|end_of_turn|endoftext))>"
    r"|<(/?(?:system|assistant|user|human|lesson|lessons|instructions?|tool|tool_call|function_call|context|document|im_start|im_end)(?=[\s/>])[^>]{0,40})>",
    re.IGNORECASE,
)
_DEFANG_IMAGE: Final = re.compile(r"!\[([^\]\n]*)\]\(\s*(https?://[^)\s]+)\s*\)")


def _defang_role(match: re.Match[str]) -> str:
    inner = next(g for g in match.groups() if g is not None)
    return f"‹{inner}›"


def _defang_image(match: re.Match[str]) -> str:
    alt, url = match.group(1), match.group(2)
    if "?" not in url and "{" not in url and "$" not in url:
        return match.group()
    return f"[image: {alt}] (link: {url.split('?', 1)[0]}?…)"


def neutralize(text: str) -> Neutralized:
    """``text`` with invisible characters removed and model/renderer syntax defanged, and what it used.

    Words stay as written (a reviewer needs to see them); what a model or a Markdown renderer would
    act on is broken: ``<|im_start|>`` becomes ``‹im_start›``, ``</lesson>`` becomes ``‹/lesson›``
    and an image whose URL carries data becomes a plain link without its query.
    """
    techniques = scan(text)
    if not techniques:
        return Neutralized(text, ())
    cleaned = _HIDDEN.sub("", text)
    cleaned = _DEFANG_ROLE.sub(_defang_role, cleaned)
    cleaned = _DEFANG_IMAGE.sub(_defang_image, cleaned)
    return Neutralized(cleaned, techniques)
