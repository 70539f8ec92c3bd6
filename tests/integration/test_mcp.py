"""The MCP server end to end: the SDK's own stdio client spawns ``kb mcp`` and talks to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from seedhome import FOREWARN, REPO, kb_env, private_copy

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return private_copy(tmp_path_factory.getbasetemp(), "mcp-home")


def _payload(result: Any) -> Any:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


async def _session(home: Path) -> dict[str, Any]:
    from mcp import ClientSession, StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=FOREWARN,
        args=["mcp", "--root", str(REPO / "seed_incidents")],
        env=kb_env(home, PYTHONPATH=str(REPO)),
        cwd=str(REPO),
    )
    seen: dict[str, Any] = {}
    with open(home / "mcp-stderr.log", "w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            init = await session.initialize()
            seen["server"] = init.server_info.name
            seen["tools"] = {t.name: t for t in (await session.list_tools()).tools}
            seen["find"] = _payload(
                await session.call_tool(
                    "find_constraints", {"task": "add automatic retries to the payment capture call", "k": 5}
                )
            )
            top = seen["find"]["results"][0]["id"]
            seen["get"] = _payload(await session.call_tool("get_constraint", {"id": top}))
            seen["missing"] = await session.call_tool("get_constraint", {"id": 999_999})
            seen["proposed"] = _payload(
                await session.call_tool(
                    "propose_lesson",
                    {
                        "statement": "Label printing retries must reuse the carrier's shipment id.",
                        "rationale": "Seen while adding retries to label printing.",
                        "category": "data",
                        "severity": "high",
                        "paths": ["services/labels/**"],
                    },
                )
            )
            seen["bad_proposal"] = await session.call_tool(
                "propose_lesson", {"statement": "x", "severity": "urgent"}
            )
            seen["feedback"] = _payload(
                await session.call_tool("give_feedback", {"id": top, "helpful": False, "task": "retries"})
            )
            seen["feedback_missing"] = await session.call_tool(
                "give_feedback", {"id": 999_999, "helpful": True}
            )
            seen["history"] = _payload(await session.call_tool("lesson_history", {"id": top}))
            seen["proposal_history"] = _payload(
                await session.call_tool("lesson_history", {"id": seen["proposed"]["id"]})
            )
            resources = await session.list_resources()
            seen["resources"] = [str(r.uri) for r in resources.resources]
            listing = await session.read_resource("forewarn://constraints")
            seen["listing"] = json.loads(listing.contents[0].text)
            one = await session.read_resource(f"forewarn://constraint/{seen['proposed']['id']}")
            seen["proposed_resource"] = json.loads(one.contents[0].text)
            # Clients configured under the product's first name keep working.
            legacy = await session.read_resource(f"hindsight://constraint/{top}")
            seen["legacy_lesson"] = json.loads(legacy.contents[0].text)
    return seen


@pytest.fixture(scope="module")
def session(home: Path) -> dict[str, Any]:
    return anyio.run(_session, home)


def test_the_client_lists_the_tools(session: dict[str, Any]) -> None:
    assert session["server"] == "forewarn"
    assert set(session["tools"]) == {
        "find_constraints",
        "get_constraint",
        "propose_lesson",
        "give_feedback",
        "lesson_history",
    }
    assert "task" in session["tools"]["find_constraints"].input_schema["properties"]


def test_a_payment_retry_task_gets_the_idempotency_lesson(session: dict[str, Any]) -> None:
    results = session["find"]["results"]
    top = results[:3]
    assert any("idempotency" in r["statement"].lower() for r in top), [r["statement"] for r in top]
    assert any(r["source"]["path"] == "postmortems/PM-2024-003-payment-double-capture.md" for r in results)
    assert all(r["confidence"] in {"strong", "possible", "weak"} and r["why"] for r in results)


def test_get_constraint_returns_the_cited_source_lines(session: dict[str, Any]) -> None:
    record = session["get"]
    excerpt = record["excerpt"]
    assert excerpt["available"], excerpt
    assert excerpt["changed_since_ingest"] is False
    first, last = excerpt["lines"]
    assert first <= record["source"]["lines"][0] <= last
    # The statement was extracted from these lines.
    assert record["statement"].split()[0].lower() in excerpt["text"].lower()


def test_errors_come_back_as_tool_errors(session: dict[str, Any]) -> None:
    assert session["missing"].is_error
    assert "no constraint with id 999999" in session["missing"].content[0].text
    assert session["bad_proposal"].is_error
    # An argument outside its enum is refused by the schema, in one line naming the field.
    assert "severity:" in session["bad_proposal"].content[0].text


def test_a_proposed_lesson_is_stored_as_proposed_never_active(session: dict[str, Any]) -> None:
    proposed = session["proposed"]
    assert proposed["status"] == "proposed"
    assert proposed["source"]["root"] == "proposals"
    assert proposed["duplicate"] is False
    assert session["proposed_resource"]["status"] == "proposed"


def test_the_resource_lists_the_knowledge_base(session: dict[str, Any]) -> None:
    assert "forewarn://constraints" in session["resources"]
    assert session["legacy_lesson"]["id"] == session["find"]["results"][0]["id"]
    listing = session["listing"]
    assert listing["stats"]["documents"] >= 38
    assert any("idempotency" in c["statement"].lower() for c in listing["constraints"])


def test_an_agents_feedback_is_counted_and_in_the_history(session: dict[str, Any]) -> None:
    assert session["feedback"]["feedback"]["not_helpful"] >= 1
    assert session["feedback_missing"].is_error
    assert "no constraint with id 999999" in session["feedback_missing"].content[0].text
    last = session["history"]["changes"][-1]
    # The actor names the client as it introduced itself (the SDK's client says "mcp").
    assert last["action"] == "feedback" and last["actor"] == "agent:mcp:mcp" and last["at"]
    # The proposal's history names the agent that proposed it.
    (first,) = session["proposal_history"]["changes"]
    assert (first["action"], first["actor"]) == ("propose", "agent:mcp:mcp")
