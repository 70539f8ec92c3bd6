"""Pieces shared by the ``make_planted_test13.py`` … ``make_planted_test29.py`` generators.

Standard library only; a generator imports it as a sibling module (its folder is on ``sys.path``
when it runs as a script). Everything random is a method of ``Draw``, which draws from the
generator's own ``random.Random``, so each generator keeps its seed and its exact sequence of
draws: a generator binds the methods it uses (``rs = draw.rs``) and its call sites stay as they
were. The value shapes here are the ones several generators wrote identically, or alike but for
their word lists and names, which are arguments (``partial(draw.jwt, algs, issuers, subjects)``); a
generator whose version draws differently (other weights, shapes or order) keeps its own.

A change here changes every generator that uses the piece: after one, run every generator and
check that ``git diff --exit-code tests/data/redaction/*.jsonl`` stays clean.

The fixed values and ``Draw`` live in ``planted_values.py`` and ``planted_shapes.py`` (this module
grew past 1,100 lines); they are re-exported here, so a generator imports everything from this module.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Protocol

from planted_shapes import Draw, iban_of
from planted_values import (
    ALNUM,
    B32,
    B64,
    B64URL,
    CARDISH,
    CRYPT,
    DIG,
    EMAILISH,
    FIRST,
    HEX,
    IPV4,
    IPV6ISH,
    LAST,
    LOW,
    MAIL,
    MORE_TEST_CARDS,
    OK_MAIL,
    PHONEISH,
    PUBLIC_V4_FIRST_OCTETS,
    PUBLIC_V6_PREFIXES,
    SLOT,
    SSNISH,
    TEST_CARDS,
    TYPES,
    UK_DRAMA_AREAS,
    UP,
    Gen,
    N,
    P,
    S,
    b64,
    b64url,
    const,
    encode_jwt,
    is_public_v4,
    luhn_ok,
    one_of,
)

# the generators import the value shapes from here, as before the split
__all__ = [
    "ALNUM",
    "B32",
    "B64",
    "B64URL",
    "CARDISH",
    "CRYPT",
    "DIG",
    "EMAILISH",
    "FIRST",
    "HEX",
    "IPV4",
    "IPV6ISH",
    "LAST",
    "LOW",
    "MAIL",
    "MORE_TEST_CARDS",
    "OK_MAIL",
    "PHONEISH",
    "PUBLIC_V4_FIRST_OCTETS",
    "PUBLIC_V6_PREFIXES",
    "SLOT",
    "SSNISH",
    "TEST_CARDS",
    "TYPES",
    "UK_DRAMA_AREAS",
    "UP",
    "Draw",
    "Gen",
    "N",
    "P",
    "S",
    "b64",
    "b64url",
    "const",
    "encode_jwt",
    "iban_of",
    "is_public_v4",
    "luhn_ok",
    "one_of",
]


def numbered(spell: Callable[[int], str]) -> Gen:
    """A filler that calls ``spell`` with 1, 2, 3, … in turn (each call spells the next form)."""
    count = itertools.count(1)
    return lambda: spell(next(count))


# ---------------------------------------------------------------------------- templates
def fill_slots(tpl: str, fillers: Mapping[str, Gen], /, **kw: str) -> str:
    """Fill ``{slot}``s named in ``kw`` or ``fillers``; every other brace stays as written."""

    def sub(m: re.Match) -> str:
        k = m.group(1)
        if k in kw:
            return kw[k]
        return fillers[k]() if k in fillers else m.group(0)

    return SLOT.sub(sub, tpl)


def expand_table(
    table: list[tuple[str, Gen, list[str]]], fillers: Mapping[str, Gen]
) -> list[tuple[str, str, str]]:
    """Each template is filled once with a fresh value."""
    out = []
    for typ, gen, places in table:
        for tpl in places:
            v = gen()
            out.append((typ, fill_slots(tpl, fillers, v=v), v))
    return out


# ---------------------------------------------------------------------------- checks
def check_rows(
    rows: list[dict],
    *,
    fold: str,
    id_prefix: str,
    types: Mapping[str, Collection[str]],
    id_digits: int = 3,
) -> None:
    """Ids and lines are unique; each row has the six fields, its fold, a known type and an id
    ``<id_prefix>p…``/``<id_prefix>n…`` of ``id_digits`` digits matching its kind; its value occurs
    exactly once in its line."""
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    lines = [r["line"] for r in rows]
    assert len(lines) == len(set(lines)), "duplicate lines"
    id_shape = re.compile(re.escape(id_prefix) + rf"[pn]\d{{{id_digits}}}")
    for r in rows:
        assert set(r) == {"id", "kind", "type", "line", "value", "fold"}, r
        assert r["fold"] == fold
        assert r["kind"] in types and r["type"] in types[r["kind"]], (r["id"], r["kind"], r["type"])
        kind_letter = r["id"][len(id_prefix)]
        assert id_shape.fullmatch(r["id"]) and (kind_letter == "n") == (r["kind"] == N), r["id"]
        assert r["value"].strip() and r["line"].count(r["value"]) == 1, (r["id"], r["value"], r["line"])


def check_unseen(rows: list[dict], out: Path) -> None:
    """No line repeats a line of an earlier fold word for word."""
    earlier: set[str] = set()
    for path in out.parent.glob("planted*.jsonl"):
        if path.name != out.name:
            earlier |= {
                json.loads(x)["line"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()
            }
    clash = [r["id"] for r in rows if r["line"] in earlier]
    assert not clash, ("line seen in an earlier fold", clash)


def stray(
    text: str,
    rid: str,
    *,
    secretish: re.Pattern[str],
    allow_secretish: bool = False,
    lookalikes: Iterable[re.Pattern[str]] = (PHONEISH, SSNISH),
    ok_mail: re.Pattern[str] = OK_MAIL,
) -> None:
    """Fail when ``text`` carries something that must be redacted (the value is cut out first); an
    e-mail address passes only at a domain ``ok_mail`` accepts."""
    m = secretish.search(text)
    assert allow_secretish or not m, (rid, m and m.group(0))
    for m in IPV4.finditer(text):
        assert not is_public_v4(m), (rid, m.group(0))
    for m in IPV6ISH.finditer(text):
        if "::" not in m.group(0) and not re.search("[a-f]", m.group(0), re.I):
            continue  # a time of day such as 2026:20:00:02, not an address
        assert m.group(0).lower().startswith("2001:db8"), (rid, m.group(0))
    for m in EMAILISH.finditer(text):
        assert ok_mail.search(m.group(0)), (rid, m.group(0))
    for pattern in lookalikes:
        m = pattern.search(text)
        assert not m, (rid, m and m.group(0))


def iban_ok(value: str) -> bool:
    """The ISO 13616 check: the IBAN, its first four characters moved to the end, is 1 modulo 97."""
    raw = value.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in raw[4:] + raw[:4])) % 97 == 1


def ssn_or_nino_ok(value: str) -> bool:
    """A US SSN outside the never-issued areas, or a UK National Insurance number whose prefix is
    not one of the never-issued pairs."""
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", value):
        return (
            value[:3] not in {"000", "666"}
            and int(value[:3]) < 900
            and value[4:6] != "00"
            and value[7:] != "0000"
        )
    m = re.fullmatch(r"([A-Z]{2}) \d\d \d\d \d\d [A-D]", value)
    return bool(m) and m.group(1) not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def pem_block_ok(value: str) -> bool:
    """A whole PEM block, from its BEGIN line to its END line."""
    return value.startswith("-----BEGIN ") and value.rstrip().endswith("-----")


LENIENT_NEGATIVES = {"placeholder", "masked-value", "vendor-example-key", "templated-value"}


def sanity(
    rows: list[dict],
    *,
    fold: str,
    id_prefix: str,
    out: Path,
    types: Mapping[str, Collection[str]],
    secretish: re.Pattern[str],
    fillers: Collection[str],
    id_digits: int = 3,
    test_cards: Collection[str] = TEST_CARDS,
    ok_mail: re.Pattern[str] = OK_MAIL,
    phoneish: re.Pattern[str] = PHONEISH,
    national_id_ok: Callable[[dict], bool] | None = None,
    private_key_ok: Callable[[str], bool] | None = None,
    cut_value_types: Collection[str] = (),
) -> None:
    """The checks of the test16 … test23 generators. ``fillers`` are the slot names a line must not
    keep unfilled; ``test_cards`` the documented test cards (no real card is one); ``ok_mail`` the
    domains a stray address may have; ``phoneish`` the fictional phone ranges (a phone value must
    match, any other text must not); ``national_id_ok`` (given the row) and ``private_key_ok`` (given
    the value) the fold's own rules for those types; negatives of ``cut_value_types`` are checked for
    strays with their value cut out, like positives."""
    check_rows(rows, fold=fold, id_prefix=id_prefix, types=types, id_digits=id_digits)
    lookalikes = (phoneish, SSNISH)
    for r in rows:
        assert not any(k == "v" or k in fillers for k in SLOT.findall(r["line"])), ("unfilled slot", r["id"])
        cut = r["line"].replace(r["value"], "\x00")
        stray(cut, r["id"], secretish=secretish, lookalikes=lookalikes, ok_mail=ok_mail)
        if r["kind"] == N:
            stray(
                cut if r["type"] in cut_value_types else r["line"],
                r["id"],
                secretish=secretish,
                allow_secretish=r["type"] in LENIENT_NEGATIVES,
                lookalikes=lookalikes,
                ok_mail=ok_mail,
            )
        digits = re.sub(r"\D", "", r["value"])
        if r["type"] == "credit-card":
            assert luhn_ok(digits) and 15 <= len(digits) <= 16 and digits not in test_cards, r["id"]
        if r["type"] == "documented-test-card":
            assert luhn_ok(digits) and digits in test_cards, r["id"]
        if r["type"] == "luhn-fail-number":
            assert not luhn_ok(digits), r["id"]
        if r["type"] == "ipv4":
            assert is_public_v4(IPV4.fullmatch(r["value"])), r["id"]
        if r["type"] == "iban":
            assert iban_ok(r["value"]), r["id"]
        if r["type"] == "ipv6":
            assert not r["value"].lower().startswith(("2001:db8", "fd", "fe80")), r["id"]
        if r["type"] == "national-id" and national_id_ok is not None:
            assert national_id_ok(r), (r["id"], r["value"])
        if r["type"] == "phone":
            assert phoneish.search(r["value"]), r["id"]
        if r["type"] == "private-key" and private_key_ok is not None:
            assert private_key_ok(r["value"]), r["id"]
        if r["type"] not in {"credit-card", "documented-test-card"}:
            for m in CARDISH.finditer(r["line"] if r["kind"] == N else r["line"].replace(r["value"], " ")):
                d = re.sub(r"\D", "", m.group(0))
                assert not (luhn_ok(d) and d[0] in "23456"), ("luhn-valid look-alike", r["id"], m.group(0))
    check_unseen(rows, out)


# ---------------------------------------------------------------------------- rows and output
Row = tuple[str, str, str]  # (type, line, value)


def assemble(
    common_secrets: list[Row],
    common_personal: list[Row],
    rare_secrets: list[Row],
    rare_personal: list[Row],
    common_negatives: list[Row],
    rare_negatives: list[Row],
    /,
    *,
    id_prefix: str,
    fold: str,
    common: dict[str, int],
    id_digits: int = 3,
) -> list[dict]:
    """Number the rows (ids of ``id_digits`` digits), common shapes first in each kind, and record in
    ``common`` where the common share ends."""
    pos = (
        [(S, *x) for x in common_secrets]
        + [(P, *x) for x in common_personal]
        + [(S, *x) for x in rare_secrets]
        + [(P, *x) for x in rare_personal]
    )
    neg = [(N, *x) for x in common_negatives] + [(N, *x) for x in rare_negatives]
    common.update(positives=len(common_secrets) + len(common_personal), negatives=len(common_negatives))
    rows = []
    for letter, group in (("p", pos), ("n", neg)):
        for i, (kind, typ, line, value) in enumerate(group, 1):
            rows.append(
                {
                    "id": f"{id_prefix}{letter}{i:0{id_digits}d}",
                    "kind": kind,
                    "type": typ,
                    "line": line,
                    "value": value,
                    "fold": fold,
                }
            )
    return rows


Table = list[tuple[str, Gen, list[str]]]  # (type, value generator, templates)


def expand_sections(
    fillers: Mapping[str, Gen],
    common_secrets: Table,
    common_personal: Table,
    rare_secrets: Table,
    rare_personal: Table,
    common_negatives: Table,
    rare_negatives: Table,
    /,
) -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
    """Fill the six tables in this order (each draw moves the generator's ``Random``), as the sections
    ``write_fold`` takes."""
    return (
        expand_table(common_secrets, fillers),
        expand_table(common_personal, fillers),
        expand_table(rare_secrets, fillers),
        expand_table(rare_personal, fillers),
        expand_table(common_negatives, fillers),
        expand_table(rare_negatives, fillers),
    )


def write_rows(rows: list[dict], out: Path) -> None:
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def report(
    rows: list[dict], out: Path, *, id_prefix: str, common: Mapping[str, int], id_digits: int = 3
) -> None:
    pos = sum(r["kind"] != N for r in rows)
    negs = len(rows) - pos
    cp, cn = common["positives"], common["negatives"]
    first = f"{1:0{id_digits}d}"
    print(
        f"{out.name}: {len(rows)} rows; common positives {id_prefix}p{first}-{id_prefix}p{cp:0{id_digits}d} "
        f"({cp}/{pos}), common negatives {id_prefix}n{first}-{id_prefix}n{cn:0{id_digits}d} ({cn}/{negs})"
    )
    for kind in (S, P, N):
        c = Counter(r["type"] for r in rows if r["kind"] == kind)
        print(kind, sum(c.values()), dict(c.most_common()))


class Check(Protocol):
    """A fold's checks over its numbered rows; ``out`` is the file they will be written to."""

    def __call__(self, rows: list[dict], *, fold: str, id_prefix: str, id_digits: int, out: Path) -> None: ...


def write_fold(
    sections: tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]],
    *,
    fold: str,
    id_prefix: str,
    out: Path,
    check: Check,
    id_digits: int = 3,
) -> None:
    """Number the six sections (as ``assemble`` takes them, already drawn in the generator's own order),
    check the rows, write them to ``out`` and print the summary."""
    common: dict[str, int] = {}
    rows = assemble(*sections, id_prefix=id_prefix, fold=fold, common=common, id_digits=id_digits)
    check(rows, fold=fold, id_prefix=id_prefix, id_digits=id_digits, out=out)
    write_rows(rows, out)
    report(rows, out, id_prefix=id_prefix, common=common, id_digits=id_digits)
