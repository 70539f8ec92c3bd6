"""A session with `forewarn mcp` through the official MCP SDK's stdio client, as an agent has one.

    python docs/examples/mcp_demo.py "add automatic retries to the payment capture call"

Runs `forewarn mcp` (on PATH) against the knowledge base of KB_HOME, lists the tools, asks
find_constraints about the task and lists the resources.
"""

from __future__ import annotations

import json
import os
import sys

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client


async def main(task: str) -> None:
    # The SDK passes only a few variables to the server by default: KB_HOME must reach it.
    server = StdioServerParameters(command="forewarn", args=["mcp"], env=dict(os.environ))
    async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
        info = await session.initialize()
        print(f"server: {info.server_info.name} {info.server_info.title or ''}".rstrip())
        tools = await session.list_tools()
        print("tools:", [tool.name for tool in tools.tools])
        found = await session.call_tool("find_constraints", {"task": task, "k": 3})
        results = found.structured_content or json.loads(found.content[0].text)
        for lesson in results["results"]:
            source = lesson["source"]
            print(
                f"#{lesson['id']} [{lesson['severity']}, {lesson['confidence']}] {lesson['statement']}"
                f"  ({source['path']}:{source['lines'][0]})"
            )
        resources = await session.list_resources()
        print("resources:", [str(resource.uri) for resource in resources.resources])


if __name__ == "__main__":
    anyio.run(main, " ".join(sys.argv[1:]) or "add automatic retries to the payment capture call")
