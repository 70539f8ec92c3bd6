"""API keys, roles and team scoping.

A key looks like ``fw_<prefix>_<secret>`` (``hs_`` for keys made before the product was renamed).
Only the SHA-256 of the secret is stored; the prefix finds the row. Keys are 32 random bytes, so a
fast hash is enough (no password stretching needed). A key sees its own team plus ``shared``;
writers ingest and curate in their team; admins also manage their team's keys.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Final

from kb.errors import InputError
from kb.records import KeyRecord
from kb.storage.store import Store
from kb.vocab import SHARED_TEAM

ROLES: Final = ("reader", "writer", "admin")
_ROLE_RANK: Final = {role: rank for rank, role in enumerate(ROLES)}
KEY_PREFIX: Final = "fw"
LEGACY_KEY_PREFIX: Final = "hs"  # keys handed out under the first name, Hindsight, stay valid


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a team and a role. ``team=None`` is the local single-user mode (sees all)."""

    team: str | None
    role: str
    key_id: int | None = None
    name: str = ""  # the key's label: the person or tool a lesson's history names

    @property
    def visible_teams(self) -> tuple[str, ...] | None:
        if self.team is None:
            return None
        return (self.team,) if self.team == SHARED_TEAM else (self.team, SHARED_TEAM)

    @property
    def writable_teams(self) -> tuple[str, ...] | None:
        return None if self.team is None else (self.team,)

    @property
    def write_team(self) -> str:
        return self.team or SHARED_TEAM

    @property
    def actor(self) -> str:
        if self.key_id is None:
            return "local"
        return f"{self.name} (key:{self.key_id})" if self.name else f"key:{self.key_id}"

    def allows(self, role: str) -> bool:
        return _ROLE_RANK[self.role] >= _ROLE_RANK[role]


LOCAL_PRINCIPAL: Final = Principal(team=None, role="admin")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def validate_team(team: str) -> str:
    team = team.strip()
    if not team or len(team) > 64 or not all(ch.isalnum() or ch in "-_." for ch in team):
        raise InputError("a team name is 1-64 letters, digits, '-', '_' or '.'")
    return team


def create_key(store: Store, *, team: str, role: str, name: str = "") -> tuple[KeyRecord, str]:
    """Store a new key and return it with its plaintext, which is never stored or shown again."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = store.add_key(
        prefix=prefix, secret_hash=_hash(secret), team=validate_team(team), role=role, name=name[:200]
    )
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def authenticate(store: Store, token: str) -> Principal | None:
    """The principal of a presented key, or None for an unknown, malformed or revoked key."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] not in (KEY_PREFIX, LEGACY_KEY_PREFIX):
        return None
    found = store.key_secret(parts[1])
    if found is None:
        return None
    key, secret_hash = found
    if key.revoked_at is not None or not hmac.compare_digest(secret_hash, _hash(parts[2])):
        return None
    return Principal(team=key.team, role=key.role, key_id=key.id, name=key.name)
