"""``forewarn keys``: create, list and revoke API keys of the HTTP service (direct database access)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli import _console, app, emit_json, open_kb

keys_app = typer.Typer(help="API keys for the HTTP service: shown once, stored hashed.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def create(
    team: Annotated[str, typer.Option(help="Team the key belongs to ('shared' for the shared space).")],
    role: Annotated[str, typer.Option(help="reader, writer or admin.")] = "reader",
    name: Annotated[str, typer.Option(help="A label to recognise the key by.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a key. The secret is printed once and never stored."""
    key, secret = open_kb().create_key(team=team, role=role, name=name)
    if as_json:
        emit_json({"id": key.id, "team": key.team, "role": key.role, "name": key.name, "key": secret})
        return
    console = _console()
    console.print(f"Created key #{key.id} for team {key.team!r} with role {key.role}.")
    console.print("Store it now; it is not shown again:")
    console.print(secret, markup=False)


@keys_app.command("list")
def list_keys(
    team: Annotated[str | None, typer.Option(help="Only this team.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List keys (never their secrets)."""
    keys = open_kb().list_keys(team=team)
    rows = [
        {
            "id": k.id,
            "prefix": k.prefix,
            "team": k.team,
            "role": k.role,
            "name": k.name,
            "created_at": k.created_at.isoformat(),
            "revoked": k.revoked_at is not None,
        }
        for k in keys
    ]
    if as_json:
        emit_json({"results": rows})
        return
    console = _console()
    for row in rows:
        state = "revoked" if row["revoked"] else "active"
        console.print(
            f"#{row['id']}  …_{row['prefix']}_…  {row['team']:<16} {row['role']:<7} {state}  {row['name']}"
        )


@keys_app.command("revoke")
def revoke(key_id: Annotated[int, typer.Argument(metavar="ID", help="Key id.")]) -> None:
    """Revoke a key: requests with it answer 401 from then on."""
    key = open_kb().revoke_key(key_id)
    _console().print(f"Revoked key #{key.id} of team {key.team!r}.")
