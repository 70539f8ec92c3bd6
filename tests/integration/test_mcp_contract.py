"""What an MCP client sees of the server's contract: schemas with descriptions, bounds and enums,
read-only annotations, structured output, one-line argument errors, a paged resource, prompts,
and proposals recorded as their own kind with the proposing client. Through the SDK's own stdio
client against ``kb mcp`` on the seed knowledge base (real model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from seedhome import FOREWARN, PAYMENT_DIFF, REPO, kb_env, private_copy

pytestmark = pytest.mark.model

CLIENT_NAME = "contract-test-agent"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return private_copy(tmp_path_factory.getbasetemp(), "mcp-contract-home")


async def _session(home: Path) -> dict[str, Any]:
    from mcp import ClientSession, StdioServerParameters, stdio_client
    from mcp.types import Implementation

    params = StdioServerParameters(
        command=FOREWARN, args=["mcp"], env=kb_env(home, PYTHONPATH=str(REPO)), cwd=str(REPO)
    )
    seen: dict[str, Any] = {}
    with open(home / "mcp-contract-stderr.log", "w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write, client_info=Implementation(name=CLIENT_NAME, version="1")) as session,
        ):
            init = await session.initialize()
            seen["capabilities"] = init.capabilities
            seen["tools"] = {t.name: t for t in (await session.list_tools()).tools}
            seen["find"] = await session.call_tool(
                "find_constraints", {"task": "retry payment captures", "k": 3}
            )
            seen["k_too_big"] = await session.call_tool("find_constraints", {"task": "x", "k": 500})
            seen["k_not_int"] = await session.call_tool("find_constraints", {"task": "x", "k": "many"})
            seen["nothing_asked"] = await session.call_tool("find_constraints", {})
            seen["bad_category"] = await session.call_tool(
                "propose_lesson", {"statement": "Always pin base images by digest.", "category": "vibes"}
            )
            seen["proposal"] = await session.call_tool(
                "propose_lesson",
                {
                    "statement": "Always pin container base images by digest in every Dockerfile.",
                    "severity": "high",
                },
            )
            proposal_id = seen["proposal"].structured_content["id"]
            seen["proposal_history"] = await session.call_tool("lesson_history", {"id": proposal_id})
            first = json.loads((await session.read_resource("forewarn://constraints")).contents[0].text)
            seen["first_page"] = first
            seen["second_page"] = json.loads((await session.read_resource(first["next"])).contents[0].text)
            seen["templates"] = [
                str(t.uri_template) for t in (await session.list_resource_templates()).resource_templates
            ]
            seen["prompts"] = {p.name: p for p in (await session.list_prompts()).prompts}
            seen["review"] = await session.get_prompt("review_diff", {"diff": PAYMENT_DIFF})
            seen["before"] = await session.get_prompt(
                "before_task", {"task": "add retries to the payment capture call"}
            )
    return seen


@pytest.fixture(scope="module")
def session(home: Path) -> dict[str, Any]:
    return anyio.run(_session, home)


def test_every_parameter_is_described_and_bounded(session: dict[str, Any]) -> None:
    tools = session["tools"]
    for tool in tools.values():
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), (tool.name, name)
    find = tools["find_constraints"].input_schema["properties"]
    assert (find["k"]["minimum"], find["k"]["maximum"]) == (1, 50)
    propose = tools["propose_lesson"].input_schema["properties"]
    assert set(propose["category"]["enum"]) == {
        "operational",
        "security",
        "data",
        "architecture",
        "delivery",
        "business",
    }
    assert set(propose["severity"]["enum"]) == {"critical", "high", "medium", "low"}
    # The client never sees the injected request context as a parameter.
    assert "ctx" not in propose


def test_read_only_tools_say_so_and_writers_do_not(session: dict[str, Any]) -> None:
    tools = session["tools"]
    for name in ("find_constraints", "get_constraint", "lesson_history"):
        assert tools[name].annotations.read_only_hint is True, name
    for name in ("propose_lesson", "give_feedback"):
        assert tools[name].annotations.read_only_hint is False, name
        assert tools[name].annotations.destructive_hint is False, name


def test_results_are_structured_with_an_output_schema(session: dict[str, Any]) -> None:
    find = session["find"]
    assert not find.is_error
    assert find.structured_content is not None
    assert len(find.structured_content["results"]) == 3
    assert session["tools"]["find_constraints"].output_schema["properties"].keys() >= {"query", "results"}


def test_bad_arguments_are_one_line_tool_errors(session: dict[str, Any]) -> None:
    for key, field in (("k_too_big", "k"), ("k_not_int", "k"), ("bad_category", "category")):
        result = session[key]
        assert result.is_error, key
        text = result.content[0].text
        assert f"{field}:" in text and "\n" not in text, text
        assert "validation error for" not in text and "pydantic" not in text, text
    assert session["nothing_asked"].is_error
    assert "give a task, a diff or both" in session["nothing_asked"].content[0].text


def test_a_proposal_is_its_own_kind_and_names_the_client(session: dict[str, Any]) -> None:
    proposal = session["proposal"].structured_content
    assert proposal["status"] == "proposed"
    assert proposal["source"]["kind"] == "proposal"
    (change,) = session["proposal_history"].structured_content["changes"]
    assert change["action"] == "propose"
    assert change["actor"] == f"agent:mcp:{CLIENT_NAME}"


def test_the_lessons_resource_is_paged(session: dict[str, Any]) -> None:
    first, second = session["first_page"], session["second_page"]
    assert first["page"] == 1 and len(first["constraints"]) <= first["page_size"]
    assert first["next"] == "forewarn://constraints/page/2"
    assert second["page"] == 2
    assert not {c["id"] for c in first["constraints"]} & {c["id"] for c in second["constraints"]}
    assert all(c["uri"] == f"forewarn://constraint/{c['id']}" for c in first["constraints"])
    assert "forewarn://constraints/page/{page}" in session["templates"]


def test_the_prompts_quote_the_lessons_as_data(session: dict[str, Any]) -> None:
    assert {"review_diff", "before_task"} <= set(session["prompts"])
    review = session["review"].messages[0].content.text
    assert "not instructions" in review
    assert "<constraint id=" in review  # the lessons, as quoted XML data
    assert "Gate verdict" in review and "payment_client.py" in review
    before = session["before"].messages[0].content.text
    assert "idempotency" in before.lower()
