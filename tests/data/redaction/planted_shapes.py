"""Random values in vendor formats for the planted redaction folds (``Draw``).

Split out of ``planted_kit.py``, which re-exports it, so the generators keep importing from
``planted_kit``. Standard library only. Everything random is a method of ``Draw``, which draws from
one generator's own ``random.Random`` in a fixed order: a change here changes every generator that
uses the piece; after one, run every generator and check that
``git diff --exit-code tests/data/redaction/*.jsonl`` stays clean.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from random import Random
from urllib.parse import quote

from planted_values import (
    ALNUM,
    B32,
    B64,
    B64URL,
    CRYPT,
    DIG,
    HEX,
    LOW,
    PUBLIC_V4_FIRST_OCTETS,
    PUBLIC_V6_PREFIXES,
    TEST_CARDS,
    UP,
    Gen,
    b64,
    encode_jwt,
    luhn_ok,
)


# ---------------------------------------------------------------------------- random values
class Draw:
    """Random values in vendor formats, drawn from one generator's ``Random`` in a fixed order."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self._phones = 0

    def rs(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def rbytes(self, n: int) -> bytes:
        return bytes(self.rng.randrange(256) for _ in range(n))

    def uuid4(self) -> str:
        h = self.rs(HEX, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.rng.choice('89ab')}{h[17:20]}-{h[20:]}"

    def sha40(self) -> str:
        return self.rs(HEX, 40)

    def hexk(self, n: int) -> Gen:
        return lambda: self.rs(HEX, n)

    def pre(self, prefix: str, alphabet: str, n: int, suffix: str = "") -> Gen:
        """A vendor token: a fixed prefix, ``n`` random characters of ``alphabet``, a fixed suffix."""
        return lambda: prefix + self.rs(alphabet, n) + suffix

    def hhmm(self) -> str:
        return f"{self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}"

    def iso(self) -> str:
        rng = self.rng
        month, day = rng.randint(1, 11), rng.randint(1, 28)
        return f"2026-{month:02d}-{day:02d}T{self.hhmm()}:{rng.randint(0, 59):02d}Z"

    # ------------------------------------------------------------------------ secrets
    def akid(self) -> str:
        return self.rng.choice(["AKIA", "AKIA", "AKIA", "ASIA"]) + self.rs(B32, 16)

    def aws_secret(self) -> str:
        return self.rs(B64, 40)

    def gcp_api(self) -> str:
        return "AIza" + self.rs(B64URL, 35)

    def gcp_oauth_secret(self) -> str:
        return "GOCSPX-" + self.rs(B64URL, 28)

    def az_client_secret(self) -> str:
        return self.rs(ALNUM, 3) + self.rng.choice(DIG) + "Q~" + self.rs(ALNUM + "-_.~", 34)

    def az_account_key(self) -> str:
        return b64(self.rbytes(64))

    def az_sas_sig(self) -> str:
        return b64(self.rbytes(32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")

    def az_sb_key(self) -> str:
        return b64(self.rbytes(32))

    def gh_token(self, prefixes: Sequence[str] = ("ghp_", "ghp_", "gho_", "ghs_", "ghu_")) -> str:
        if self.rng.random() < 0.3:
            return "github_pat_11" + self.rs(UP + DIG, 20) + "_" + self.rs(ALNUM, 59)
        return self.rng.choice(prefixes) + self.rs(ALNUM, 36)

    def gl_token(self) -> str:
        return self.rng.choice(["glpat-", "glpat-", "glrt-", "gldt-"]) + self.rs(ALNUM + "-_", 20)

    def slack_token(self) -> str:
        rs = self.rs
        kind = self.rng.choice(["b", "b", "p", "u"])
        if kind == "p":
            return f"xoxp-{rs(DIG, 11)}-{rs(DIG, 12)}-{rs(DIG, 13)}-{rs(HEX, 32)}"
        if kind == "u":
            return f"xapp-1-A{rs(UP + DIG, 10)}-{rs(DIG, 13)}-{rs(HEX, 64)}"
        return f"xoxb-{rs(DIG, 12)}-{rs(DIG, 13)}-{rs(ALNUM, 24)}"

    def slack_hook(self) -> str:
        rs = self.rs
        return f"https://hooks.slack.com/services/T{rs(UP + DIG, 10)}/B{rs(UP + DIG, 10)}/{rs(ALNUM, 24)}"

    def slack_hook_with_team(self, team_len: int) -> str:
        """A Slack incoming-webhook URL whose team id has ``team_len`` characters (``slack_hook``: 10)."""
        rs = self.rs
        return (
            f"https://hooks.slack.com/services/T{rs(UP + DIG, team_len)}/B{rs(UP + DIG, 10)}/{rs(ALNUM, 24)}"
        )

    def stripe_key(self, prefixes: Sequence[str] = ("sk_live_51", "sk_live_51", "rk_live_51")) -> str:
        prefix = self.rng.choice(prefixes)
        return prefix + self.rs(ALNUM, self.rng.choice([30, 97]))

    def stripe_whsec(self) -> str:
        return "whsec_" + self.rs(ALNUM, 32)

    def opaque(self, n: int = 40) -> str:
        return self.rs(ALNUM + "-._", n - 1) + self.rng.choice(ALNUM)

    def password(self, words: list[str]) -> str:
        rs, rng = self.rs, self.rng
        shape = rng.randrange(5)
        if shape == 0:
            return rs(ALNUM, rng.randint(16, 24))
        if shape == 1:
            return (
                rng.choice(words).capitalize()
                + rs(DIG, 3)
                + rng.choice("!#%&")
                + rng.choice(words).capitalize()
            )
        if shape == 2:
            return "_".join(rng.sample(words, 3)) + rs(DIG, 3)
        if shape == 3:
            return rs(ALNUM + "!%^*#", rng.randint(13, 19)) + rng.choice(DIG)
        return rs(LOW, 3) + rs(UP + DIG, 9) + rng.choice("-.") + rs(LOW, 4)

    def url_password(self, words: list[str]) -> str:
        rs, rng = self.rs, self.rng
        shape = rng.randrange(3)
        if shape == 0:
            return rs(ALNUM, rng.randint(15, 26))
        if shape == 1:
            return rng.choice(words) + "-" + rng.choice(words) + rs(DIG, 4)
        return rs(ALNUM, 10) + "_" + rs(ALNUM, 6)

    def pem_body(self, first: str, n: int, width: int = 64, pad: str = "==") -> list[str]:
        """``n`` base64 lines of ``width`` characters, the first starting with ``first``, the last
        shorter and ending in ``pad``."""
        rs = self.rs
        return (
            [first + rs(B64, width - len(first))]
            + [rs(B64, width) for _ in range(n - 2)]
            + [rs(B64, self.rng.randint(12, width - 12)) + pad]
        )

    def private_key(self, kind: str, indent: str = "") -> str:
        rs, rng = self.rs, self.rng
        if kind == "rsa":
            label, body = "RSA PRIVATE KEY", self.pem_body("MIIEpAIBAAKCAQEA", rng.randint(7, 11))
        elif kind == "ec":
            label, body = "EC PRIVATE KEY", ["MHcCAQEEI" + rs(B64, 55), rs(B64, 64), rs(B64, 36) + "=="]
        elif kind == "ssh":
            label = "OPENSSH PRIVATE KEY"
            body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
            body += [rs(B64, 70) for _ in range(rng.randint(3, 4))] + [rs(B64, 30) + "=="]
        else:
            label, body = "PRIVATE KEY", self.pem_body("MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0w", 3)
        return ("\n" + indent).join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----"])

    def pk(self, kind: str, indent: str = "") -> Gen:
        return lambda: self.private_key(kind, indent)

    def gcp_sa_key(self) -> str:
        body = self.pem_body("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC", 13)
        return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body) + "\\n-----END PRIVATE KEY-----\\n"

    def pub_pem(self) -> str:
        rs = self.rs
        body = (
            ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rs(B64, 20)]
            + [rs(B64, 64) for _ in range(5)]
            + [rs(B64, 6) + "IDAQAB"]
        )
        return "\n".join(["-----BEGIN PUBLIC KEY-----", *body, "-----END PUBLIC KEY-----"])

    # ------------------------------------------------------------------------ personal data
    def luhn_make(self, prefix: str, length: int, test_cards: Collection[str] = TEST_CARDS) -> str:
        """A Luhn-valid card number that is none of the fold's documented ``test_cards``."""
        while True:
            body = prefix + self.rs(DIG, length - len(prefix) - 1)
            num = next(body + c for c in DIG if luhn_ok(body + c))
            if num not in test_cards:
                return num

    def card(self) -> str:
        rng, luhn_make = self.rng, self.luhn_make
        num = rng.choice(
            [
                lambda: luhn_make("4", 16),
                lambda: luhn_make("4", 16),
                lambda: luhn_make(str(rng.randint(51, 55)), 16),
                lambda: luhn_make(str(rng.randint(2221, 2720)), 16),
                lambda: luhn_make(rng.choice(["34", "37"]), 15),
                lambda: luhn_make(rng.choice(["6011", "65"]), 16),
            ]
        )()
        return self.spell_card(num)

    def spell_card(self, num: str) -> str:
        """The card number as written, run together or in groups joined by spaces or hyphens."""
        style = self.rng.randrange(3)
        if len(num) == 15:
            return [num, f"{num[:4]} {num[4:10]} {num[10:]}", f"{num[:4]}-{num[4:10]}-{num[10:]}"][style]
        groups = [num[i : i + 4] for i in range(0, 16, 4)]
        return [num, " ".join(groups), "-".join(groups)][style]

    def luhn_bad(self) -> str:
        while True:
            num = self.rng.choice("4536") + self.rs(DIG, 15)
            if not luhn_ok(num):
                return num

    def grouped(self, num: str) -> str:
        return self.rng.choice("- ").join(num[i : i + 4] for i in range(0, 16, 4))

    def doc_ip(self) -> str:
        """An address in one of the three IPv4 documentation ranges (RFC 5737)."""
        rng = self.rng
        return rng.choice(
            [
                f"192.0.2.{rng.randint(1, 254)}",
                f"198.51.100.{rng.randint(1, 254)}",
                f"203.0.113.{rng.randint(1, 254)}",
            ]
        )

    def reserved_ip(self) -> str:
        """A private, documentation, shared (CGNAT) or unique-local address: never a public one."""
        rs, rng = self.rs, self.rng
        return rng.choice(
            [
                self.priv_ip(),
                self.priv_ip(),
                f"192.0.2.{rng.randint(1, 254)}",
                f"198.51.100.{rng.randint(1, 254)}",
                f"203.0.113.{rng.randint(1, 254)}",
                f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                f"2001:db8:{rs(HEX, 4).lstrip('0') or '1'}::{rng.randint(1, 99)}",
                f"fd12:3456:{rs(HEX, 4).lstrip('0') or '7'}::{rng.randint(1, 99)}",
            ]
        )

    def public_v4(self, first_octets: Sequence[int] = PUBLIC_V4_FIRST_OCTETS) -> str:
        rng = self.rng
        a = rng.choice(first_octets)
        return f"{a}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

    def public_v6(
        self,
        prefixes: Sequence[str] = PUBLIC_V6_PREFIXES,
        *,
        group_fallbacks: str = "ab",
        short_tail: str = "41",
        long_fallback: str = "f",
    ) -> str:
        """A global unicast address under one of ``prefixes``, then one random group per character of
        ``group_fallbacks``; half are shortened with ``::`` and a last group, half written out to eight
        groups. A group drawn as all zeros is written as its fallback digit (``group_fallbacks``, the
        first of ``short_tail`` whose second is the shortened form's last digit, ``long_fallback``)."""
        rs, rng = self.rs, self.rng
        parts = [rng.choice(prefixes)] + [rs(HEX, 4).lstrip("0") or c for c in group_fallbacks]
        if rng.random() < 0.5:
            return ":".join(parts) + "::" + (rs(HEX, 3).lstrip("0") or short_tail[0]) + short_tail[1]
        return ":".join(
            parts
            + [rs(HEX, 4).lstrip("0") or long_fallback for _ in range(8 - len(":".join(parts).split(":")))]
        )

    def priv_ip(self) -> str:
        rng = self.rng
        return rng.choice(
            [
                f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
                f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
                f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
            ]
        )

    def us_phone(self, i: int) -> str:
        area = self.rng.choice(["206", "312", "415", "503", "617", "720", "808", "971"])
        tail = f"01{self.rng.randint(0, 99):02d}"
        forms = [
            f"({area}) 555-{tail}",
            f"+1 {area} 555 {tail}",
            f"{area}-555-{tail}",
            f"+1.{area}.555.{tail}",
        ]
        return forms[i % 4]

    def uk_phone(self, i: int) -> str:
        m, ln = f"{self.rng.randint(0, 999):03d}", f"{self.rng.randint(0, 999):03d}"
        return [f"07700 900 {m}", f"+44 20 7946 0{ln}", f"+447700900{m}", f"(020) 7946 0{ln}"][i % 4]

    def us_phone_in(self, i: int, areas: Sequence[str], forms: Sequence[str]) -> str:
        """A US 555-01xx number in an area of ``areas``, spelled as the ``i``-th of ``forms`` (cycling;
        ``{area}`` and ``{tail}`` are filled)."""
        area = self.rng.choice(areas)
        tail = f"01{self.rng.randint(0, 99):02d}"
        return forms[i % len(forms)].format(area=area, tail=tail)

    def uk_phone_in(self, i: int, forms: Sequence[str]) -> str:
        """A UK drama-range number spelled as the ``i``-th of ``forms`` (cycling; ``{mob}`` and ``{land}``
        are the last three digits of a 07700 900 mobile and a 020 7946 0 London number)."""
        mob, land = f"{self.rng.randint(0, 999):03d}", f"{self.rng.randint(0, 999):03d}"
        return forms[i % len(forms)].format(mob=mob, land=land)

    def phone(self) -> str:
        """US and UK fictional-range numbers in turn, each cycling through its four spellings."""
        self._phones += 1
        return self.us_phone(self._phones) if self._phones % 2 else self.uk_phone(self._phones // 2)

    def ssn(self) -> str:
        area = self.rng.choice([n for n in range(101, 772) if n != 666])
        return f"{area:03d}-{self.rng.randint(10, 99):02d}-{self.rng.randint(1000, 9999):04d}"

    def nino(self) -> str:
        rng = self.rng
        pair = "GB"
        while pair in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
            pair = rng.choice("ABCEHJKLMNPRSTWXYZ") + rng.choice("ABCEHJKLMNPRSTWXYZ")
        d = self.rs(DIG, 6)
        return f"{pair} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}"

    def iban(self, country: str) -> str:
        rs = self.rs
        bban = (
            (rs(UP, 4) + rs(DIG, 14))
            if country == "GB"
            else (rs(DIG, 18) if country == "DE" else rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2))
        )
        moved = bban + country + "00"
        num = int("".join(str(int(c, 36)) for c in moved))
        raw = f"{country}{98 - num % 97:02d}{bban}"
        return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))

    # ------------------------------------------------------------------------ shapes of test22 … test29
    def jwt(
        self,
        algs: Sequence[str],
        issuers: Sequence[str],
        subjects: Sequence[str],
        scopes: Sequence[str] = (),
    ) -> str:
        """A signed JWT: header, claims (``iss``, ``sub``, ``iat`` and, given ``scopes``, ``scope``),
        then a signature as long as its algorithm's (HS256 43, ES256 86, RS256 342 characters)."""
        claims: list[tuple[str, Sequence[object]]] = [
            ("iss", issuers),
            ("sub", subjects),
            ("iat", range(1_790_000_000, 1_799_000_000 + 1)),
        ]
        if scopes:
            claims.append(("scope", scopes))
        return self.jwt_of(algs, claims, sig_lengths={"HS256": 43, "ES256": 86}, default_sig=342)

    def jwt_of(
        self,
        algs: Sequence[str],
        claims: Sequence[tuple[str, Sequence[object]]],
        *,
        sig_lengths: Mapping[str, int],
        default_sig: int,
        kid: tuple[str, int] | None = None,
    ) -> str:
        """A signed JWT: an algorithm of ``algs``; given ``kid`` (an alphabet and a length), a random
        key id half the time; the ``claims`` in order, each one of its values (a ``range`` gives an
        integer in it); a signature of its algorithm's length in ``sig_lengths``, else ``default_sig``."""
        rng = self.rng
        head = {"alg": rng.choice(algs), "typ": "JWT"}
        if kid is not None and rng.random() < 0.5:
            head["kid"] = self.rs(*kid)
        body = {
            name: rng.randint(values.start, values.stop - 1)
            if isinstance(values, range)
            else rng.choice(values)
            for name, values in claims
        }
        return encode_jwt(head, body, self.rs(B64URL, sig_lengths.get(head["alg"], default_sig)))

    def password4(self, words: Sequence[str]) -> str:
        """A password in one of four shapes (``password`` draws five): random letters and digits,
        ``Word123!Word``, ``word-word-word12`` or ``abcdXXXXXXXX.xxxxx``."""
        rs, rng = self.rs, self.rng
        shape = rng.randrange(4)
        if shape == 0:
            return rs(ALNUM, rng.randint(14, 22))
        if shape == 1:
            return (
                rng.choice(words).capitalize()
                + rs(DIG, 3)
                + rng.choice("!#%")
                + rng.choice(words).capitalize()
            )
        if shape == 2:
            return "-".join(rng.sample(words, 3)) + rs(DIG, 2)
        return rs(LOW, 4) + rs(UP + DIG, 8) + "." + rs(ALNUM, 5)

    def plain_password(self, words: Sequence[str]) -> str:
        """A password without shell, URL, markup, JSON, YAML, SQL or config metacharacters."""
        rng = self.rng
        if rng.random() < 0.5:
            return self.rs(ALNUM, rng.randint(14, 24))
        return rng.choice(words) + rng.choice(words).capitalize() + self.rs(DIG, 4)

    def plain_password3(self, words: Sequence[str], last: tuple[int, str, int] = (10, "_", 7)) -> str:
        """The three-shape plain password of test19 … test21: random letters and digits, ``wordWord1234``,
        or two random runs of ``last``'s lengths joined by its separator."""
        rs, rng = self.rs, self.rng
        shape = rng.randrange(3)
        if shape == 0:
            return rs(ALNUM, rng.randint(15, 26))
        if shape == 1:
            return rng.choice(words) + rng.choice(words).capitalize() + rs(DIG, 4)
        first, sep, second = last
        return rs(ALNUM, first) + sep + rs(ALNUM, second)

    def basic_cred(self, users: Sequence[str], words: Sequence[str], password: Gen | None = None) -> str:
        """``user:password`` in base64, as an HTTP Basic header or a docker ``auth`` carries it; the
        password is ``password()`` when given, else a ``plain_password``."""
        user = self.rng.choice(users)
        secret = password() if password is not None else self.plain_password(words)
        return b64(f"{user}:{secret}".encode())

    def email(
        self,
        first: Sequence[str],
        last: Sequence[str],
        domains: Sequence[str],
        locals_: Sequence[str] = ("{f}.{last}", "{f}{n}", "{i}.{last}", "{last}.{f}"),
    ) -> str:
        """A personal address: a local part in one of the ``locals_`` forms (``{f}`` the first name,
        ``{i}`` its initial, ``{last}`` the last name, ``{n}`` two digits) at one of ``domains``."""
        rng = self.rng
        f, surname = rng.choice(first), rng.choice(last)
        n = rng.randint(10, 99)
        local = rng.choice([form.format(f=f, i=f[0], last=surname, n=n) for form in locals_])
        return f"{local}@{rng.choice(domains)}"

    def card_with_jcb(self, test_cards: Collection[str], discover: Sequence[str] = ("6011",)) -> str:
        """A card number spelled as ``spell_card`` does: Visa, Mastercard (51-55 and 2-series), Amex,
        Discover (the one prefix in ``discover``, else one drawn from it) or JCB, never a test card."""
        rng = self.rng

        def make(prefix: str, length: int) -> str:
            return self.luhn_make(prefix, length, test_cards=test_cards)

        num = rng.choice(
            [
                lambda: make("4", 16),
                lambda: make(str(rng.randint(51, 55)), 16),
                lambda: make(str(rng.randint(2221, 2720)), 16),
                lambda: make(rng.choice(["34", "37"]), 15),
                lambda: make(discover[0] if len(discover) == 1 else rng.choice(discover), 16),
                lambda: make("35" + str(rng.randint(28, 89)), 16),
            ]
        )()
        return self.spell_card(num)

    def ec_pub_pem(self, sep: str = "\n") -> str:
        """A P-256 public key block, its lines joined by ``sep``."""
        body = ["MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" + self.rs(B64, 28), self.rs(B64, 56) + "=="]
        return sep.join(["-----BEGIN PUBLIC KEY-----", *body, "-----END PUBLIC KEY-----"])

    def age_secret_key(self) -> str:
        return "AGE-SECRET-KEY-1" + self.rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)

    def long_trace(self) -> str:
        """A 19-digit trace or span id that fails the Luhn check (so no card rule may take it)."""
        while True:
            v = str(self.rng.randint(10**18, 9 * 10**18))
            if not luhn_ok(v):
                return v

    def ssh_rsa_pub(self, users: Sequence[str], host: str = "laptop") -> str:
        return (
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + self.rs(B64, 300) + f" {self.rng.choice(users)}@{host}"
        )

    def sendgrid_key(self) -> str:
        return "SG." + self.rs(B64URL, 22) + "." + self.rs(B64URL, 43)

    def heroku_key(self) -> str:
        return "HRKU-AA" + self.rs(B64URL, 58)

    def apple_app_password(self) -> str:
        return "-".join(self.rs(LOW, 4) for _ in range(4))

    def wireguard_key(self) -> str:
        return b64(self.rbytes(32))

    def ado_pat(self) -> str:
        """An Azure DevOps personal access token (52 base32 lower-case characters)."""
        return self.rs("abcdefghijklmnopqrstuvwxyz234567", 52)

    def openai_key(self) -> str:
        return "sk-proj-" + self.rs(B64URL, 74) + "T3BlbkFJ" + self.rs(B64URL, 74)

    def tf_cloud_token(self) -> str:
        return self.rs(ALNUM, 14) + ".atlasv1." + self.rs(ALNUM, 67)

    def atlassian_token(self) -> str:
        return "ATATT3xFfGF0" + self.rs(B64URL, 170) + "=" + self.rs(HEX.upper(), 8)

    def discord_hook(self) -> str:
        return f"https://discord.com/api/webhooks/{self.rng.randint(10**17, 10**18)}/{self.rs(B64URL, 68)}"

    def pct_password(self) -> str:
        """A password with characters a URL or form body must percent-encode, as it appears encoded."""
        rs, rng = self.rs, self.rng
        raw = rs(ALNUM, 7) + rng.choice("!@#$&+") + rs(ALNUM, 6) + rng.choice("/:?=") + rs(ALNUM, 4)
        return quote(raw, safe="")

    def long_id(self) -> str:
        """An 18- or 19-digit id that fails the Luhn check (so no card rule may take it)."""
        while True:
            v = str(self.rng.randint(10**17, 9 * 10**18))
            if not luhn_ok(v):
                return v

    def cert_pem_block(self, first: str) -> str:
        """A certificate whose body starts with ``first`` (eight lines, the last ``==``-padded)."""
        rs = self.rs
        body = [first + rs(B64, 44)] + [rs(B64, 64) for _ in range(6)] + [rs(B64, 20) + "=="]
        return "\n".join(["-----BEGIN CERTIFICATE-----", *body, "-----END CERTIFICATE-----"])

    def au_phone(self, forms: Sequence[str] = ("+61 {area} {block} {tail}", "0{area} {block} {tail}")) -> str:
        """An Australian number in a range kept for fiction (``5550``, ``7010`` blocks)."""
        rng = self.rng
        area, block, tail = rng.choice("2378"), rng.choice(["5550", "7010"]), self.rs(DIG, 4)
        return rng.choice([form.format(area=area, block=block, tail=tail) for form in forms])

    def fr_phone(self) -> str:
        """A French Paris-area number in the ``01 99 00`` block kept for fiction."""
        a, b = self.rs(DIG, 2), self.rs(DIG, 2)
        return self.rng.choice([f"+33 1 99 00 {a} {b}", f"01 99 00 {a} {b}"])

    def se_phone(self) -> str:
        """Sweden's regulator keeps 070-174 06 05 … 070-174 06 99 for fiction."""
        tail = f"{self.rng.randint(5, 99):02d}"
        return self.rng.choice([f"+46 70 174 06 {tail}", f"070-174 06 {tail}"])

    def ca_phone(self) -> str:
        area = self.rng.choice(["604", "416", "514", "613"])
        return f"+1 {area} 555 01{self.rng.randint(0, 99):02d}"

    def reserved_v4(self) -> str:
        """A private, documentation or shared (CGNAT) IPv4 address, for places that append a port."""
        rng = self.rng
        return rng.choice(
            [
                self.priv_ip(),
                self.doc_ip(),
                f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            ]
        )

    def cert_pem(self, indent: str = "") -> str:
        """A short certificate (lines joined with ``indent``, for YAML block scalars)."""
        rs = self.rs
        body = ["MIIDWTCCAkGgAwIBAgIU" + rs(B64, 44)] + [rs(B64, 64) for _ in range(4)] + [rs(B64, 30) + "="]
        return ("\n" + indent).join(["-----BEGIN CERTIFICATE-----", *body, "-----END CERTIFICATE-----"])

    def pem_private_key(
        self,
        kind: str,
        sep: str = "\n",
        *,
        rsa: tuple[str, int, str] = ("MIIEowIBAAKCAQEA", 40, "=="),
        ssh_tail: int = 26,
        pkcs8: tuple[str, int] = ("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC", 30),
    ) -> str:
        """A short private key block (``rsa``, ``ec``, ``ssh``, any other ``kind`` PKCS#8), its lines
        joined by ``sep``. ``rsa`` gives an RSA key's first characters, last line's length and padding;
        ``ssh_tail`` an OpenSSH key's last line's length; ``pkcs8`` a PKCS#8 key's first characters
        and last line's length."""
        rs, rng = self.rs, self.rng
        if kind == "rsa":
            head, tail, pad = rsa
            label = "RSA PRIVATE KEY"
            body = (
                [head + rs(B64, 48)] + [rs(B64, 64) for _ in range(rng.randint(6, 9))] + [rs(B64, tail) + pad]
            )
        elif kind == "ec":
            label, body = "EC PRIVATE KEY", ["MHcCAQEEI" + rs(B64, 55), rs(B64, 64), rs(B64, 36) + "=="]
        elif kind == "ssh":
            label = "OPENSSH PRIVATE KEY"
            body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
            body += [rs(B64, 70) for _ in range(3)] + [rs(B64, ssh_tail) + "=="]
        else:
            head, tail = pkcs8
            label = "PRIVATE KEY"
            body = [head + rs(B64, 13)] + [rs(B64, 64) for _ in range(8)] + [rs(B64, tail) + "="]
        return sep.join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----"])

    def sha512_crypt(self, alphabet: str = CRYPT) -> str:
        return "$6$" + self.rs(alphabet, 16) + "$" + self.rs(alphabet, 86)

    def apr1(self) -> str:
        """An Apache ``htpasswd`` MD5 hash."""
        return "$apr1$" + self.rs(CRYPT, 8) + "$" + self.rs(CRYPT, 22)

    def bcrypt(self, prefix: str = "$2y$10$", alphabet: str = CRYPT) -> str:
        return prefix + self.rs(alphabet, 53)

    def sops_value(self, data_bytes: int = 18, iv_bytes: int = 32) -> str:
        """A value as SOPS encrypts it in a committed file (``ENC[AES256_GCM,…]``): no secret."""
        data, iv, tag = b64(self.rbytes(data_bytes)), b64(self.rbytes(iv_bytes)), b64(self.rbytes(16))
        return f"ENC[AES256_GCM,data:{data},iv:{iv},tag:{tag},type:str]"

    def sealed(self, n: int) -> str:
        """A Bitnami sealed-secrets ciphertext (``AgB…``): committed on purpose, no secret."""
        return "AgB" + self.rs(B64, n) + "=="


def iban_of(country: str, bban: str) -> str:
    """The IBAN of ``bban`` in ``country``, its ISO 13616 check digits computed, in groups of four."""
    moved = bban + country + "00"
    num = int("".join(str(int(c, 36)) for c in moved))
    raw = f"{country}{98 - num % 97:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
