"""Personal data: e-mail addresses, phone numbers, card numbers and IP addresses, with their checks.

The validators (Luhn and test cards, public IP ranges, role and bot mailboxes, example domains), the
phone context that tells a phone from an order or ticket number, and the rules built on them
(:func:`_personal_rules`, :func:`_context_personal_rules`, :func:`_ip_rules`). Other countries'
identity numbers are in :mod:`kb.safety.redaction_national`. Kept apart from the credential rules:
personal data has validators of its own, and a policy may leave it out (``personal=False``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Final

from kb.safety.redaction_names import _NATIONAL_ID_NAMES
from kb.safety.redaction_rules import Rule, _rule

_EXAMPLE_EMAIL_DOMAINS: Final = re.compile(
    r"(?:^|\.)(?:example\.(?:com|org|net)|[a-z0-9-]+\.example|[a-z0-9-]+\.test|[a-z0-9-]+\.invalid"
    r"|[a-z0-9-]+\.localhost|example|test|invalid|localhost)$|(?:^|\.)users\.noreply\.github\.com$",
    re.IGNORECASE,
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_CARD_PREFIX: Final = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6011|65|64[4-9]|62)")


# Card numbers the payment processors publish for testing (Stripe, Braintree, Adyen docs): they pass
# Luhn, but they are public and no one's card.
_TEST_CARDS: Final = frozenset(
    {
        "4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222",
        "5200828282828210", "5105105105105100", "378282246310005", "371449635398431",
        "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667",
        "3566002020360505", "6200000000000005", "4000002500003155", "4000000000009995",
        "4000000000000002", "4000002760003184", "4000000000003220", "4000000000000077",
        "4000003720000278", "4111111111111111", "4012888888881881", "5500000000000004",
        "378734493671000", "6011000000000004", "4000000000000341", "4000000000000069",
        "3530111333300000", "5454545454545454", "3566111111111113", "3088000000000017",
        "370000000000002", "6011000000000012", "38000000000006", "4007000000027",
        "4012888818888", "5424000000000015", "4222222222222", "36259600000004",
        "5431111111111111", "6304000000000000", "2223000048400011", "6011601160116611",
    }
)  # fmt: skip


# Stripe's test cards by country: ``400000``, the ISO numeric country code, ``000`` and four digits
# (Brazil ``4000000760000002``, Canada ``4000001240000000``, Mexico ``4000004840008001``).
_TEST_CARD_SHAPE: Final = re.compile(r"400000\d{3}000\d{4}")


def _card(value: str) -> bool:
    digits = re.sub(r"[ -]", "", value)
    return (
        13 <= len(digits) <= 19
        and bool(_CARD_PREFIX.match(digits))
        and luhn_ok(digits)
        and digits not in _TEST_CARDS
        and _TEST_CARD_SHAPE.fullmatch(digits) is None
    )


def _public_ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network("100.64.0.0/10"):
        return False
    return address.is_global and not address.is_multicast


def _any_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return value not in {"0.0.0.0", "127.0.0.1", "::1", "::"}


# A Google Cloud service account's address (``ingest@proj.iam.gserviceaccount.com``,
# ``123-compute@developer.gserviceaccount.com``) names a workload, not a person.
_SERVICE_ACCOUNT_DOMAIN: Final = re.compile(r"(?i)(?:^|\.)gserviceaccount\.com$")


def _email(value: str) -> bool:
    domain = value.rsplit("@", 1)[-1].rstrip(".")
    local = value.rsplit("@", 1)[0]
    return (
        not _EXAMPLE_EMAIL_DOMAINS.search(domain)
        and not _SERVICE_ACCOUNT_DOMAIN.search(domain)
        and local.lower() not in _ROLE_MAILBOXES
        and _BOT_MAILBOX.search(local) is None
    )


# A machine account's mailbox (``ci-bot@``, ``deploy-bot@``, ``renovate[bot]@``): no person's.
_BOT_MAILBOX: Final = re.compile(r"(?i)(?:^|[-_.\[])bot\]?$")


# Shared mailboxes of a function, not of a person: kept (``security@pypi.org`` in an incident report).
_ROLE_MAILBOXES: Final = frozenset(
    {
        "git",
        "noreply",
        "no-reply",
        "security",
        "support",
        "help",
        "info",
        "abuse",
        "postmaster",
        "hostmaster",
        "webmaster",
        "privacy",
        "legal",
        "press",
        "sales",
        "oncall",
        "on-call",
        "sre",
        "ops",
        "incident",
        "incidents",
        "alerts",
        "status",
    }
)


# The name may be glued to a suffix (``order_number``, ``invoiceId``) and the value quoted, as in
# SQL and JSON: ``WHERE order_number = '720-798-0258'`` is an order, not a phone.
_NOT_PHONE_CONTEXT: Final = re.compile(
    r"(?i)\b(?:order|orders|return|refund|rma|voucher|coupon|parcel|waybill|consignment|"
    r"authori[sz]ation|invoice|ticket|case|tracking|shipment|serial|"
    r"ref(?:erence)?|po|sku|account|acct|offset|id|build|run|job|batch|port|pid)(?:\b|_)[\w ]{0,12}"
    r"[#:= '\"|`*(\[]*$"
)
_RECORD_WORD: Final = re.compile(
    r"(?i)(?:\b|_)(?:orders?|returns?|refunds?|rma|voucher|coupon|parcel|waybill|invoices?|tickets?|case|tracking|"
    r"shipments?|serial|ref(?:erence)?s?|po|sku|account|acct|id|build|run|job|batch|sql|insert|values)(?:\b|_)"
)
_PHONE_CONTEXT: Final = re.compile(
    r"(?i)(?:phone[ds]?|phoning|mobile|cell|tel|call(?:ed|ing|back)?|r[iau]ng|ringing|dial(?:l?ed|l?ing)?|sms(?:'d|ed)?"
    r"|text(?:ed|ing)?|whatsapp(?:'d|ed)?|messaged|number|contact|fax|on)\b"
)


# A person named after a record's word: ``the account manager on +91 …``, ``case owner at …``, or a
# role that ends its table cell (``| RG case owner | +4477… |``): the number is where the person is
# reached, not the record's.
_PERSON_AFTER_RECORD: Final = re.compile(
    r"(?i)\b(?:manager|rep(?:resentative)?|owner|contact|lead|engineer|agent|team|desk|support|holder)"
    r"(?:\s+(?:on|at|via)[ :]*|[ \t*_`]*\|[ \t*_`]*)$"
)


# A number dialled with its country code set apart (``+1 647-555-0141``, ``+44 20 7946 0321``): records'
# numbers (orders, tickets, accounts) are not written so, whatever word stands before it.
_DIALLED: Final = re.compile(r"\+\d{1,3}[ .-](?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,4}")


def _phone_vetoed(before: str, value: str = "") -> bool:
    """A record's word before the number (``order``, ``account``), unless the number is dialled with
    its country code; or the number is the tail of a longer run of digit groups
    (``6080 0149 0716 8572``)."""
    veto = None if _DIALLED.fullmatch(value) else _NOT_PHONE_CONTEXT.search(before)
    caller_id = veto is not None and re.search(
        r"(?i)\b(?:caller|calling[ _-]?(?:line|party))[ _-]?$", before[: veto.start()]
    )
    if veto is not None and not _PERSON_AFTER_RECORD.search(veto.group(0)) and not caller_id:
        return True
    return re.search(r"\d[ -]?$", before) is not None


# A North American number written the way the plan writes it: area code and exchange each 2-9 then two
# digits, not ``N11`` service codes; ``555`` only in its fictional ``01xx`` block.
_STRICT_NANP: Final = re.compile(r"[2-9](?!11)\d{2}-(?:555-01\d{2}|(?!555)[2-9](?!11)\d{2}-\d{4})")


# A business's number the line says is published (``the vendor's public support line printed on the
# website``). Not a vendor's hotline or escalation line alone, even toll-free (``Toll-free escalation
# line: 1-800-…``): contact sheets hold those, and the planted folds count them as personal.
_PUBLIC_NUMBER: Final = re.compile(
    r"(?i)\b(?:public|published|printed|advertised|listed)\b[^\n]{0,40}\b(?:line|number|hotline|switchboard"
    r"|phone|website|site|page)\b"
)


def _phone_context(before: str, value: str) -> bool:
    if _phone_vetoed(before, value) or _PUBLIC_NUMBER.search(before):
        return False
    if value.startswith("+") or value.startswith("("):
        return True
    if re.fullmatch(r"0\d{1,3}-\d{3,4}-\d{4}", value):
        return True  # a dashed number with a trunk 0 (Japan, Korea): not a date, an order or a version
    if _STRICT_NANP.fullmatch(value) and not re.search(r"[\w.#/-]$", before):
        # ``503-555-0194`` (the fictional block) in its own format; another exchange only
        # after a word that says someone is reached there (``escalated to``), with no record's word
        # anywhere before it on the line (``INSERT INTO orders … '720-…'``, ``INC-2041: … rows``)
        fictional = "-555-01" in value
        after_person = re.search(r"(?i)\b(?:to|at|from|via|caller|reach|ring|texted|paged)[ \t]*$", before)
        if re.search(r"(?i)\b(?:look(?:s|ed|ing)?|glanc\w*|point\w*)[ \t]+at[ \t]*$", before):
            after_person = None  # "can you look at 767-201-4290?": a ticket, no phone word
        return fictional or (after_person is not None and not _RECORD_WORD.search(before))
    if _SPACED_NANP.fullmatch(value):
        # three bare groups are a phone only in the fictional block or on a line about reaching someone
        return " 555 01" in value or _SPACED_PHONE_WORD.search(before) is not None
    return bool(_PHONE_CONTEXT.search(before[-40:])) or bool(re.search(r"[.\s]", value))


_SPACED_NANP: Final = re.compile(r"[2-9](?!11)\d{2} [2-9](?!11)\d{2} \d{4}")
_SPACED_PHONE_WORD: Final = re.compile(
    r"(?i)\b(?:line|phone|mobile|cell|tel|call|reach|text|sms|whatsapp|number|contact|escalat\w*|on-?call)\b"
)


# Mail headers that hold message ids (``Message-ID: <local@host>``), shaped as addresses but naming
# a message, not a person's mailbox.
_MESSAGE_ID_HEADER: Final = re.compile(
    r"(?i)\b(?:message-id|in-reply-to|references|content-id|resent-message-id|x-[\w-]*message-id)"
    r"[ \t]*:(?:[ \t]*<[^<>\s]+>)*[ \t]*<$"
)


# An address named as a list right before it (``alarms distribution list ops-room@corp.internal``,
# ``shared mailbox: desk@…``): a group's, no person's.
_LIST_ADDRESS_BEFORE: Final = re.compile(
    r"(?i)\b(?:(?:distribution|mailing|e-?mail)[ \t]+list|distro|(?:shared|group|team|functional)"
    r"[ \t]+(?:mailbox|inbox|address)|mail[ \t]+alias)[ \t]*(?:address|is)?[ \t]*[:=]?[ \t]*$"
)


# ``mail sent as servicedesk@…``, ``test address qa-inbox@…``: a sending identity or a test mailbox,
# kept when its local part names a role, not a person (``mail sent as jane.doe@…`` is redacted).
_ROLE_LEAD_BEFORE: Final = re.compile(
    r"(?i)\b(?:(?:e-?)?mails?[ \t]+(?:is[ \t]+|are[ \t]+|gets?[ \t]+|got[ \t]+)?sent[ \t]+as|send[ \t-]as"
    r"|test[ \t]+(?:e-?mail[ \t]+)?(?:address|mailbox|inbox))[ \t]*[:=]?[ \t]*$"
)
_ROLE_LOCAL: Final = re.compile(
    r"(?i)(?:service[-_.]?desk|help[-_.]?desk|support|no[-_.]?reply|do[-_.]?not[-_.]?reply|alerts?|ops|it"
    r"|admin|notifications?|test\w*|qa|info|billing|postmaster|mailer[-_.]?daemon)(?:[-_.][a-z0-9]+)?@"
)


def _not_message_id(before: str, value: str) -> bool:
    if _ROLE_LEAD_BEFORE.search(before) and _ROLE_LOCAL.match(value):
        return False
    return _MESSAGE_ID_HEADER.search(before) is None and _LIST_ADDRESS_BEFORE.search(before) is None


def _personal_rules() -> list[Rule]:
    return [
        _rule(
            "email",
            # Not after ``)``/``}``/``$``: ``%(DB_PASS)s@host``, ``${USER}@host`` and
            # ``$PGPASSWORD@host`` are templates or shell variables.
            # After a colon only as an address URI (``mailto:``, ``sip:``, ``xmpp:``); ``user:pw@host``
            # is not one.
            r"(?:(?<=mailto:)|(?<=sips:)|(?<=sip:)|(?<=xmpp:)|(?<![\w.%+:/)}$-]))"
            r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])",
            _email,
            personal=True,
            context=_not_message_id,
            hints=("@",),
        ),
        # an address percent-encoded in a query string (``?email=name%40web.de``)
        _rule(
            "email",
            r"(?<![\w.%+-])[A-Za-z0-9._+-]+%40(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])",
            lambda v: _email(v.replace("%40", "@")),
            personal=True,
            hints=("%40",),
        ),
        _rule(
            "credit-card",
            r"(?<![\d.\-])(?:\d{4}[ -]?\d{6}[ -]?\d{4,5}|\d{4}(?:[ -]?\d{4}){2,3}\d{0,3}|\d{13,19})(?![\d\-])",  # noqa: E501
            _card,
            personal=True,
            seed=r"\d{4}[ -]?\d{2}",
        ),
        _rule(
            "national-id",
            r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])",
            personal=True,
            seed=r"\d{3}-\d{2}-\d{4}",
        ),
        _rule(
            "national-id",
            r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
            lambda v: v[:2] not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"},
            personal=True,
            seed=r"[A-Z]{2} ?\d{2} ?\d{2}",
        ),
        _rule(
            "phone",
            # after ``tel:`` or ``wa.me/`` a number is a phone's address, like an e-mail after ``mailto:``
            r"(?:(?<=tel:)|(?<=wa\.me/)|(?<![\w+.:/-]))"
            r"(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
            r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"
            r"|\d{3}[.-]\d{3}[.-]\d{4}"
            r"|0[1-9](?:[ .]\d{2}){4}"  # French national format, in pairs
            r"|0\d{2,4}[ ]\d{3,4}(?:[ ]?\d{3,4}){1,2}"
            # national forms: a US trunk ``1-720-555-0100``, an area code in parentheses (``(11) 98036-4447``,
            # ``(02) 9326 0558``), dashed trunk-0 groups (``03-7558-5934``, ``010-1234-5678``), pairs after a
            # three-digit head (``070-261 49 03``, ``605 42 58 24``)
            r"|1[ .-][2-9]\d{2}[ .-]\d{3}[ .-]\d{4}"
            r"|\(0?\d{1,3}\)[ .-]?\d{4,5}[ .-]?\d{4}"
            r"|0\d{1,3}-\d{3,4}-\d{4}"
            r"|0[2378] \d{4} \d{4}"  # an Australian landline: area code, two groups of four
            r"|(?:0\d{1,3}|[6-9]\d{2})[ -]\d{2,3}(?: \d{2}){2,3}"
            r"|0\d{1,3}-\d{3} \d{3} \d{2}"  # Swedish area code, then three, three, two (``08-465 004 58``)
            r"|[2-9]\d{2} [2-9]\d{2} \d{4})(?![\w/-]|:[\w/]|\.\d)",  # NANP spaced: ``617 555 0129``
            # not a form's placeholder (``+1 (000) 000-0000``)
            lambda v: (
                8 <= len(re.sub(r"\D", "", v)) <= 15
                and re.fullmatch(r"0+", re.sub(r"\D", "", v)[-7:]) is None
            ),
            personal=True,
            context=_phone_context,
            seed=r"\+\d|\(\d{1,4}\)|\d{3}[ .-]\d{3}|\d{4} \d{3}|0[1-9][ .]\d\d[ .]\d\d|\d-\d{4}-"
            r"|\d{3}[ -]\d\d |\d-\d{3} \d{3} \d\d",
        ),
    ]


def _context_personal_rules() -> list[Rule]:
    """Personal data whose shape alone is too common, told apart by its field."""
    return [
        # vCard ``TEL;TYPE=cell:(646) 555-0178``: the field says phone, whatever the format.
        _rule(
            "phone",
            r"(?im)^(?:item\d+\.)?TEL[;:][^:\n]*:(?:tel:)?(?P<v>[+(]?\d[\d ().-]{5,}\d)[ \t]*$",
            lambda v: 7 <= len(re.sub(r"\D", "", v)) <= 15,
            personal=True,
            hints=("tel",),
        ),
        # A national id written with spaces (an SSN ``649 88 1745``, an Aadhaar ``7188 5730 3923``)
        # only where the words before it name one.
        _rule(
            "national-id",
            rf"(?i)\b(?:{_NATIONAL_ID_NAMES})\b[^\d\n]{{0,24}}"
            r"(?P<v>(?!000|666|9\d\d)\d{3} (?!00)\d{2} (?!0000)\d{4}|\d{4} \d{4} \d{4}|\d{3} \d{3} \d{3})"
            r"(?![\d-])",
            personal=True,
            hints=("ssn", "social", "sin", "aadhaar", "uidai", "national", "tax", "passport", "nino"),
        ),
    ]


# What says a dotted quad is a four-part version (``ClickHouse 23.8.16.40``, ``version 10.4.2.1``): a
# version word, or a product name right before it, CamelCase (not a name for an address: ``SourceIp``)
# or one of the products that number their releases in four parts.
_VERSION_BEFORE: Final = re.compile(
    r"(?i:\b(?:v|version|ver\.?|release|build|patch(?:ed)?|upgrade[ds]?[ \t]+to|downgrade[ds]?[ \t]+to)"
    r"|(?<![\w.-])(?:clickhouse(?:-server|-client)?|windows(?:[ \t]+server)?|chrome|chromium|sql[ \t]+server"
    r"|mssql|teamcity|dotnet|\.net))[ \t]*[:=]?[ \t]*$"
    r"|(?<![\w.-])(?![A-Za-z]*(?i:ip|addr|host|server|node|client|peer|remote|source|src|dest|dst|gateway|proxy))"
    r"[A-Z][a-z]+(?:[A-Z][a-z]*)+[ \t]+$"
)


def _ip_rules(mode: str) -> list[Rule]:
    if mode == "none":
        return []
    check = _public_ip if mode == "public" else _any_ip
    return [
        _rule(
            "ipv4",
            r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
            # ``/32`` is one host's address; a wider prefix is a network.
            r"(?!\w|/(?!32(?!\d))|\.\d)",
            check,
            personal=True,
            context=lambda before, _v: _VERSION_BEFORE.search(before) is None,
            seed=r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d",
        ),
        _rule(
            "ipv6",
            # not the head of an IPv4-mapped address (``::ffff:10.0.5.3``)
            # ``/128`` is one host's address, as ``/32`` is for IPv4
            # an e-mail header's address literal (``Received: from [IPv6:2607:f8b0::d4f1]``) too
            r"(?:(?<![\w:.])|(?<=\[[Ii][Pp][Vv]6:))"
            r"(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]|/(?!128(?!\d))|\.\d)",
            lambda v: ":" in v.strip(":") and check(v),
            personal=True,
            seed=r"[0-9A-Fa-f]{1,4}::|::[0-9A-Fa-f]{1,4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}",
        ),
    ]
