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

from kb.safety.redaction_personal import luhn_ok
from kb.safety.redaction_rules import Rule, _rule

if TYPE_CHECKING:
    from kb.safety.redaction_tables import _Cell

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


def _date_ok(year: int, month: int, day: int) -> bool:
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def steuer_id_ok(value: str) -> bool:
    """German Steuer-ID: 11 digits, no leading zero; in the first ten one digit is repeated (twice or
    three times) and the others appear once at most; ISO 7064 mod 11,10 check digit."""
    digits = _digits(value)
    if len(digits) != 11 or digits[0] == "0":
        return False
    counts = sorted((digits[:10].count(d) for d in set(digits[:10])), reverse=True)
    if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] > 1):
        return False
    product = 10
    for d in digits[:10]:
        total = (int(d) + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10 == int(digits[10])


# The odd positions' values of A-Z; a digit counts as the letter of its place (0 as A).
_CF_ODD_LETTERS: Final = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22)
_CF_ODD_LETTERS_XYZ: Final = (25, 24, 23)


def codice_fiscale_ok(value: str) -> bool:
    """Italian codice fiscale: 15 characters (letters for digits when two people share a code) and a
    check letter from the odd and even positions' tables."""
    v = value.upper()
    if len(v) != 16:
        return False
    total = 0
    for i, ch in enumerate(v[:15]):
        place = int(ch) if ch.isdigit() else ord(ch) - 65
        total += (_CF_ODD_LETTERS + _CF_ODD_LETTERS_XYZ)[place] if i % 2 == 0 else place
    return chr(65 + total % 26) == v[15]


def pesel_ok(value: str) -> bool:
    """Polish PESEL: a date ``YYMMDD`` (the month carries the century), four digits, a weighted check."""
    digits = _digits(value)
    if len(digits) != 11:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    century = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}.get((month - 1) // 20 * 20)
    if century is None or not _date_ok(century + int(digits[:2]), (month - 1) % 20 + 1, day):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:10], (1, 3, 7, 9) * 3, strict=False))
    return (10 - total % 10) % 10 == int(digits[10])


def nif_pt_ok(value: str) -> bool:
    """Portuguese NIF of a person (first digit 1 to 3): weights 9 to 2, check ``11 - sum mod 11``."""
    digits = _digits(value)
    if len(digits) != 9 or digits[0] not in "123":
        return False
    check = 11 - sum(int(d) * (9 - i) for i, d in enumerate(digits[:8])) % 11
    return (0 if check >= 10 else check) == int(digits[8])


def belgian_number_ok(value: str) -> bool:
    """Belgian national number: ``YYMMDD``, a serial and 97 minus the first nine mod 97 (with a 2
    before them for births from 2000)."""
    digits = _digits(value)
    if len(digits) != 11:
        return False
    check = int(digits[9:])
    return check in (97 - int(digits[:9]) % 97, 97 - int("2" + digits[:9]) % 97)


def fodselsnummer_ok(value: str) -> bool:
    """Norwegian fødselsnummer (D-numbers: day + 40): ``DDMMYY``, three digits, two mod-11 digits."""
    digits = [int(d) for d in _digits(value)]
    if len(digits) != 11:
        return False
    day, month = digits[0] * 10 + digits[1], digits[2] * 10 + digits[3]
    if not (1 <= day % 40 <= 31 and 1 <= month % 40 <= 12):
        return False
    for n, weights in ((9, (3, 7, 6, 1, 8, 9, 4, 5, 2)), (10, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))):
        k = 11 - sum(d * w for d, w in zip(digits[:n], weights, strict=True)) % 11
        if k == 10 or k % 11 != digits[n]:
            return False
    return True


_HETU_CHECK: Final = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu_ok(value: str) -> bool:
    """Finnish henkilötunnus: ``DDMMYY``, a century sign, three digits and a mod-31 check character."""
    v = value.upper()
    if not re.fullmatch(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", v):
        return False
    if not _date_ok(2000 + int(v[4:6]), int(v[2:4]), int(v[:2])):
        return False
    return _HETU_CHECK[int(v[:6] + v[7:10]) % 31] == v[10]


def chinese_id_ok(value: str) -> bool:
    """Chinese resident identity number: region, birth date ``YYYYMMDD``, serial, ISO 7064 mod 11-2."""
    v = value.upper()
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", v) or not 1900 <= int(v[6:10]) <= 2099:
        return False
    if not _date_ok(int(v[6:10]), int(v[10:12]), int(v[12:14])):
        return False
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(v[:17]))
    return "10X98765432"[total % 11] == v[17]


def nric_ok(value: str) -> bool:
    """Singapore NRIC/FIN: a series letter, seven digits and a check letter of the series' table."""
    v = value.upper()
    if not re.fullmatch(r"[STFGM]\d{7}[A-Z]", v):
        return False
    total = sum(int(d) * w for d, w in zip(v[1:8], (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += {"T": 4, "G": 4, "M": 3}.get(v[0], 0)
    table = {"S": "JZIHGFEDCBA", "T": "JZIHGFEDCBA", "F": "XWUTRQPNMLK", "G": "XWUTRQPNMLK"}
    return table.get(v[0], "XWUTRQPNJLK")[total % 11] == v[8]


def pps_ok(value: str) -> bool:
    """Irish PPS number: seven digits, a mod-23 check letter and an optional second letter."""
    v = value.upper().replace(" ", "")
    if not re.fullmatch(r"\d{7}[A-W][A-IW]?", v):
        return False
    second = v[8] if len(v) == 9 else "W"
    total = sum(int(d) * w for d, w in zip(v[:7], range(8, 1, -1), strict=True))
    total += 9 * (0 if second == "W" else ord(second) - 64)
    return "WABCDEFGHIJKLMNOPQRSTUV"[total % 23] == v[7]


def rrn_ok(value: str) -> bool:
    """Korean resident registration number: ``YYMMDD``, a sex/century digit, five digits, a check."""
    digits = _digits(value)
    if len(digits) != 13 or digits[6] not in "12345678":
        return False
    century = 1900 if digits[6] in "1256" else 2000
    if not _date_ok(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6])):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:12], (2, 3, 4, 5, 6, 7, 8, 9) * 2, strict=False))
    return (11 - total % 11) % 10 == int(digits[12])


def sa_id_ok(value: str) -> bool:
    """South African id number: ``YYMMDD``, four digits, citizenship 0-2, a digit, Luhn."""
    digits = _digits(value)
    if len(digits) != 13 or digits[10] not in "012":
        return False
    return _date_ok(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:6])) and luhn_ok(digits)


# --- the words that name each number ------------------------------------------------------------

# A codice fiscale: surname and name letters, year, month letter, day, town code (digits replaced by
# letters when two people share a code), check letter.
_CF_SHAPE: Final = r"[A-Z]{6}[0-9LMNP-V]{2}[A-EHLMPR-T][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]"

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
_STEUER_WORDS: Final = (
    r"steuer[ _-]?(?:id|idnr|identifikationsnummer)|steuerliche[ _-]identifikationsnummer"
    r"|german[ _-]tax[ _-]id|idnr"
)
_CF_WORDS: Final = r"codice[ _-]fiscale|cod(?:\.|ice)?[ _-]?fisc(?:\.|ale)?"
_PESEL_WORDS: Final = r"pesel"
_BELGIAN_WORDS: Final = (
    r"rijksregister(?:nummer)?|registre[ _-]national|num[ée]ro[ _-]national|national[ _-]register|insz|niss"
)
_FODSELSNUMMER_WORDS: Final = r"f(?:ø|o|oe)dsels(?:nummer|nr)|d-nummer|personnummer"
_HETU_WORDS: Final = r"henkil(?:ö|o)tunnus|hetu|personbeteckning|finnish[ _-]personal[ _-]identity[ _-]code"
_CHINESE_ID_WORDS: Final = (
    r"resident[ _-](?:identity[ _-])?(?:id|identity)(?:[ _-]card)?|身份证号?码?|shenfenzheng|prc[ _-]id"
    r"|chinese[ _-](?:national[ _-])?id|citizen[ _-]id"
)
_NRIC_WORDS: Final = r"nric|fin|nric/fin|singapore[ _-]ic"
_PPS_WORDS: Final = r"ppsn?|personal[ _-]public[ _-]service"
_RRN_WORDS: Final = r"rrn|resident[ _-]registration|jumin(?:[ _-]?deungnok)?|주민등록번호"
_SA_ID_WORDS: Final = r"(?:sa|south[ _-]african)[ _-]id|id[ _-]?(?:number|no|nr)|identity[ _-](?:number|no)"

# (names, value pattern, check): a value of the pattern that passes the check, named by the words.
_NAMED_FORMS: Final[tuple[tuple[str, str, Callable[[str], bool]], ...]] = (
    (_BSN_WORDS, r"\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .-]\d{3}[ .-]\d{3}", bsn_ok),
    (_DNI_WORDS, r"\d{8}[ -]?[A-Za-z]|[XYZxyz][ -]?\d{7}[ -]?[A-Za-z]", dni_ok),
    (_CPF_WORDS, r"\d{3}\.?\d{3}\.?\d{3}[-/.]?\d{2}", cpf_ok),
    (_AADHAAR_WORDS, r"\d{4}[ -]?\d{4}[ -]?\d{4}", aadhaar_ok),
    (_PERSONNUMMER_WORDS, r"(?:\d{2})?\d{6}[-+]?\d{4}", personnummer_ok),
    (_NIR_WORDS, r"[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}", nir_ok),
    (_SIN_WORDS, r"\d{3}[ -]?\d{3}[ -]?\d{3}", sin_ok),
    (_STEUER_WORDS, r"\d{2} ?\d{3} ?\d{3} ?\d{3}", steuer_id_ok),
    (_CF_WORDS, _CF_SHAPE, codice_fiscale_ok),
    (_PESEL_WORDS, r"\d{11}", pesel_ok),
    (_BELGIAN_WORDS, r"\d{2}\.?\d{2}\.?\d{2}[ -]?\d{3}\.?\d{2}", belgian_number_ok),
    (_FODSELSNUMMER_WORDS, r"\d{6} ?\d{5}", fodselsnummer_ok),
    (_HETU_WORDS, r"\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y]", hetu_ok),
    (_CHINESE_ID_WORDS, r"\d{17}[\dXx]", chinese_id_ok),
    (_NRIC_WORDS, r"[STFGMstfgm]\d{7}[A-Za-z]", nric_ok),
    (_PPS_WORDS, r"\d{7} ?[A-Wa-w][A-IWa-iw]?", pps_ok),
    (_RRN_WORDS, r"\d{6}-?\d{7}", rrn_ok),
    (_SA_ID_WORDS, r"\d{13}", sa_id_ok),
    (
        r"nif[ _-]?pt|n[uú]mero[ _-]de[ _-]contribuinte|contribuinte|nif[ \t]+d[oae][ \t]+(?:mutu[aá]ri[oa]"
        r"|cliente|titular|devedor|fiador|trabalhador|funcion[aá]ri[oa]|utente|arrendat[aá]ri[oa])",
        r"\d{9}",
        nif_pt_ok,
    ),
)
# A country and a word for a person (``PL employee``, ``Portuguese driver NIF``) name the person's
# national number: the country's own shape and check, a few words on.
_PERSON_WORDS: Final = (
    r"employee|worker|staff(?:er)?|citizen|national|resident|customer|client|patient|member|user|driver"
    r"|contractor|applicant|candidate|person|taxpayer|payee|student|tenant|holder"
)
_COUNTRY_FORMS: Final[tuple[tuple[str, str, Callable[[str], bool]], ...]] = (
    (r"pl|polish|poland", r"\d{11}", pesel_ok),
    (r"pt|portuguese|portugal", r"\d{9}", nif_pt_ok),
    (r"nl|dutch|netherlands", r"\d{9}", bsn_ok),
    (r"belgian|belgium", r"\d{2}\.?\d{2}\.?\d{2}[ -]?\d{3}\.?\d{2}", belgian_number_ok),
    (r"norwegian|norway", r"\d{6} ?\d{5}", fodselsnummer_ok),
    (r"se|swedish|sweden", r"(?:\d{2})?\d{6}[-+]?\d{4}", personnummer_ok),
    (r"br|brazilian|brazil", r"\d{3}\.?\d{3}\.?\d{3}[-/.]?\d{2}", cpf_ok),
    (r"indian|india", r"\d{4}[ -]?\d{4}[ -]?\d{4}", aadhaar_ok),
)
# Shapes specific enough to stand alone on their check: a DNI/NIE with its letter, a CPF punctuated,
# a NIR spaced in its groups.
_SPECIFIC_FORMS: Final[tuple[tuple[str, Callable[[str], bool]], ...]] = (
    (r"\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z]", dni_ok),
    (r"\d{3}\.\d{3}\.\d{3}-\d{2}", cpf_ok),
    (r"[1-478] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}", nir_ok),
    (_CF_SHAPE, codice_fiscale_ok),
    (r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}", belgian_number_ok),
    (r"\d{6}[-+A]\d{3}[0-9A-Y]", hetu_ok),
    (r"\d{6}-[1-8]\d{6}", rrn_ok),
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
        _rule(
            "national-id",
            rf"(?i)\b(?:{country})[ \t]+(?:[\w\-]+[ \t]+){{0,2}}?(?:{_PERSON_WORDS})s?\b[^\d\n]{{0,20}}?"
            rf"{_START}(?P<v>{value}){_END}",
            check,
            personal=True,
            seed=r"\d{3}",
        )
        for country, value, check in _COUNTRY_FORMS
    ]
    rules.append(_registered_iban_rule())
    rules += [
        _rule("national-id", rf"{_START}(?P<v>{value}){_END}", check, personal=True, seed=r"\d{3}")
        for value, check in _SPECIFIC_FORMS
    ]
    return rules


def _registered_iban_rule() -> Rule:
    """An IBAN spaced in fours at its country's registered length, where a short word after it
    (``PL79 … 6233 EUR``) would read to the general rule as one more group and fail the check."""
    from kb.safety.redaction_forms import _IBAN_LENGTHS, _iban

    forms = "|".join(
        f"{code}\\d{{2}}(?: [A-Z0-9]{{4}}){{{(size - 4) // 4}}}"
        + (f" [A-Z0-9]{{{(size - 4) % 4}}}" if size % 4 else "")
        for code, size in _IBAN_LENGTHS.items()
    )
    return _rule(
        "iban",
        rf"(?<![A-Za-z0-9])(?P<v>{forms})(?![A-Za-z0-9])",
        _iban,
        personal=True,
        seed=r"[A-Z]{2}\d{2} ",
    )


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
