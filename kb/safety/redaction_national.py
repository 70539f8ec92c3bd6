"""National identity numbers of countries beyond the US and UK, each told by its own check.

A check digit alone is weak evidence: one number in eleven passes the Dutch 11-test and one in ten a
Luhn check, so a bare run of digits is taken only after a word that names the number (``BSN``,
``CPF``, ``Aadhaar``, ``personnummer``, ``NIR``, ``SIN``), in prose, a ``key: value`` setting, a
table column or a CSV column. A shape that is specific by itself is taken on its check alone: a
Spanish DNI or NIE with its check letter, a Brazilian CPF in its ``000.000.000-00`` punctuation, a
French NIR spaced in its seven groups. A number of the right shape that fails its check (an internal
id shaped like a BSN) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

from kb.safety.redaction import Rule, _rule, luhn_ok

if TYPE_CHECKING:
    from kb.safety.redaction import _Cell

__all__ = ["national_id_rules", "national_id_table_spans"]


# --- the checks ---------------------------------------------------------------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def bsn_ok(value: str) -> bool:
    """Dutch BSN: 9 digits (8 with the leading zero dropped), weights 9..2 and -1 sum to a multiple
    of 11; not all zeros."""
    digits = _digits(value).rjust(9, "0")
    if len(digits) != 9 or int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


_DNI_LETTERS: Final = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_ok(value: str) -> bool:
    """Spanish DNI (8 digits) or NIE (X/Y/Z and 7 digits): the letter is the number mod 23's."""
    v = value.upper().replace("-", "").replace(" ", "")
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]", v):
        v = str("XYZ".index(v[0])) + v[1:]
    if not re.fullmatch(r"\d{8}[A-Z]", v):
        return False
    return _DNI_LETTERS[int(v[:8]) % 23] == v[8]


def cpf_ok(value: str) -> bool:
    """Brazilian CPF: two check digits (mod 11) over the first nine; not one repeated digit."""
    digits = _digits(value)
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    for n in (9, 10):
        total = sum(int(d) * w for d, w in zip(digits[:n], range(n + 1, 1, -1), strict=True))
        if (total * 10 % 11) % 10 != int(digits[n]):
            return False
    return True


_VERHOEFF_D: Final = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P: Final = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def aadhaar_ok(value: str) -> bool:
    """Indian Aadhaar: 12 digits, not starting with 0 or 1, Verhoeff check digit."""
    digits = _digits(value)
    if len(digits) != 12 or digits[0] in "01":
        return False
    check = 0
    for i, d in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(d)]]
    return check == 0


def personnummer_ok(value: str) -> bool:
    """Swedish personnummer (or samordningsnummer, day + 60): a date ``YYMMDD``, four digits, Luhn
    over the ten."""
    digits = _digits(value)
    if len(digits) == 12:
        digits = digits[2:]
    if len(digits) != 10:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    return 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91) and luhn_ok(digits)


def nir_ok(value: str) -> bool:
    """French NIR (numéro de sécurité sociale): sex, year, month, department (Corsica ``2A``/``2B``),
    commune, order and a key of 97 minus the first thirteen mod 97."""
    v = value.replace(" ", "").replace(".", "").upper()
    if not re.fullmatch(r"[1-478]\d{4}(?:\d{2}|2A|2B)\d{8}", v):
        return False
    month = int(v[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    body = v[:13].replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97 == int(v[13:])


def sin_ok(value: str) -> bool:
    """Canadian SIN: 9 digits, Luhn, not starting with 0 or 8."""
    digits = _digits(value)
    return len(digits) == 9 and digits[0] not in "08" and luhn_ok(digits)


# --- the words that name each number ------------------------------------------------------------

_BSN_WORDS: Final = r"bsn|burgerservicenummer|sofi[ -]?nummer"
_DNI_WORDS: Final = r"dni|nie|nif|d\.n\.i\.?|documento[ _-]nacional"
_CPF_WORDS: Final = r"cpf"
_AADHAAR_WORDS: Final = r"aadhaa?r|uidai"
_PERSONNUMMER_WORDS: Final = r"personnummer|personnr|samordningsnummer|personal[ _-]identity[ _-]number"
_NIR_WORDS: Final = (
    r"nir|insee|num[ée]ro[ _-]de[ _-]s[ée]cu(?:rit[ée][ _-]sociale)?|s[ée]curit[ée][ _-]sociale"
    r"|french[ _-]social[ _-]security(?:[ _-]number)?"
)
_SIN_WORDS: Final = r"sin|social[ _-]insurance(?:[ _-](?:number|no\.?))?"

# (names, value pattern, check): a value of the pattern that passes the check, named by the words.
_NAMED_FORMS: Final[tuple[tuple[str, str, Callable[[str], bool]], ...]] = (
    (_BSN_WORDS, r"\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .-]\d{3}[ .-]\d{3}", bsn_ok),
    (_DNI_WORDS, r"\d{8}[ -]?[A-Za-z]|[XYZxyz][ -]?\d{7}[ -]?[A-Za-z]", dni_ok),
    (_CPF_WORDS, r"\d{3}\.?\d{3}\.?\d{3}[-/.]?\d{2}", cpf_ok),
    (_AADHAAR_WORDS, r"\d{4}[ -]?\d{4}[ -]?\d{4}", aadhaar_ok),
    (_PERSONNUMMER_WORDS, r"(?:\d{2})?\d{6}[-+]?\d{4}", personnummer_ok),
    (_NIR_WORDS, r"[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}", nir_ok),
    (_SIN_WORDS, r"\d{3}[ -]?\d{3}[ -]?\d{3}", sin_ok),
)
# Shapes specific enough to stand alone on their check: a DNI/NIE with its letter, a CPF punctuated,
# a NIR spaced in its groups.
_SPECIFIC_FORMS: Final[tuple[tuple[str, Callable[[str], bool]], ...]] = (
    (r"\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z]", dni_ok),
    (r"\d{3}\.\d{3}\.\d{3}-\d{2}", cpf_ok),
    (r"[1-478] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}", nir_ok),
)
_START: Final = r"(?<![\w.,/+-])"
_END: Final = r"(?![\w/+-]|[.,]\d)"
# A name (its plural, or glued to a CamelCase suffix: ``aadhaarNumber``), then only words and
# punctuation (``BSNs (e.g. ``, ``"cpf":"``, ``aadhaar_no: ``) before the number.
_GAP: Final = r"s?(?:\b|_|(?-i:(?<=[a-z])(?=[A-Z])))[^\d\n]{0,30}?"


def _named_rule(words: str, value: str, check: Callable[[str], bool]) -> Rule:
    return _rule(
        "national-id",
        rf"(?i)(?:\b|_)(?:{words}){_GAP}{_START}(?P<v>{value}){_END}",
        check,
        personal=True,
        seed=r"\d{3}",
    )


def national_id_rules() -> list[Rule]:
    """Named numbers first, then the shapes that stand alone."""
    rules = [_named_rule(words, value, check) for words, value, check in _NAMED_FORMS]
    rules += [
        _rule("national-id", rf"{_START}(?P<v>{value}){_END}", check, personal=True, seed=r"\d{3}")
        for value, check in _SPECIFIC_FORMS
    ]
    return rules


# --- columns ------------------------------------------------------------------------------------

_HEADER_FORMS: Final[tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...]] = tuple(
    (re.compile(rf"(?i)^(?:[\w ]*[ _-])?(?:{words})(?:[ _-]?(?:no\.?|nr\.?|number|nummer|num|id))?$"), check)
    for words, _value, check in _NAMED_FORMS
)
_ID_CELL: Final = re.compile(r"[A-Za-z]?[ -]?\d[\d .\-/]{6,20}[A-Za-z0-9]")


def _column_check(header: str) -> Callable[[str], bool] | None:
    name = header.strip().strip("\"'`*")
    return next((check for pattern, check in _HEADER_FORMS if pattern.fullmatch(name)), None)


def _delimited_spans(text: str) -> list[tuple[str, int, int]]:
    """A CSV/TSV/semicolon header naming a national id over rows whose cell in that column passes the
    number's check (``emp_id;bsn`` then ``30412;<bsn>``)."""
    spans: list[tuple[str, int, int]] = []
    columns: dict[int, Callable[[str], bool]] = {}
    delimiter = ""
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if delimiter and line.count(delimiter) >= 1 and columns:
            position = start
            for j, cell in enumerate(line.split(delimiter)):
                value = cell.strip().strip("\"'")
                check = columns.get(j)
                if check is not None and _ID_CELL.fullmatch(value) and check(value):
                    s = position + cell.index(value)
                    spans.append(("national-id", s, s + len(value)))
                position += len(cell) + 1
            continue
        columns, delimiter = {}, ""
        for candidate in (";", "\t", ","):
            if candidate in line:
                found = {
                    j: check
                    for j, name in enumerate(line.split(candidate))
                    if (check := _column_check(name)) is not None
                }
                if found:
                    columns, delimiter = found, candidate
                    break
    return spans


def national_id_table_spans(text: str, cells: Sequence[_Cell]) -> list[tuple[str, int, int]]:
    """National ids in a table column (pipe or HTML) or a delimited column whose header names them."""
    spans = _delimited_spans(text) if any(d in text for d in ";\t,") else []
    for cell in cells:
        check = _column_check(cell.header)
        value = cell.text.strip("`'\"")
        if check is not None and _ID_CELL.fullmatch(value) and check(value):
            s = cell.start + cell.text.index(value)
            spans.append(("national-id", s, s + len(value)))
    return spans
