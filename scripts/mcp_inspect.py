"""The MCP server as the official MCP Inspector sees it (its CLI mode, from npm).

    .venv/bin/python scripts/mcp_inspect.py                # against $KB_HOME (or the default home)
    .venv/bin/python scripts/mcp_inspect.py --json out.json

Installs @modelcontextprotocol/inspector into a cache folder with npm on first use (Node.js 18+
needed), starts ``kb mcp`` through it, and prints what an agent's client is shown: each tool with its
annotations and parameters (description, bounds, enum), the resources, resource templates and
prompts, and what a call with a bad argument answers. Not part of the test suite (it needs npm);
tests/integration/test_mcp_contract.py checks the same contract with the Python SDK's client.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hindsight" / "mcp-inspector"
PACKAGE = "@modelcontextprotocol/inspector"


def inspector() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "mcp-inspector"
    if not binary.exists():
        if not shutil.which("npm"):
            sys.exit("npm is needed to install the MCP Inspector (Node.js 18 or newer)")
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"installing {PACKAGE} into {CACHE} ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(CACHE), PACKAGE], check=True)
    return binary


def call(binary: Path, *args: str) -> Any:
    kb = Path(sys.executable).parent / "kb"
    done = subprocess.run(
        [str(binary), "--cli", str(kb), "mcp", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    if done.returncode != 0:
        return {"error": (done.stdout + done.stderr).strip()}
    return json.loads(done.stdout)


def describe_parameter(name: str, schema: dict[str, Any], required: set[str]) -> str:
    facts = [schema.get("type") or "/".join(str(s.get("type")) for s in schema.get("anyOf", []))]
    if "enum" in schema:
        facts.append("one of " + "|".join(schema["enum"]))
    for key, word in (("minimum", ">="), ("maximum", "<="), ("maxLength", "len<=")):
        if key in schema:
            facts.append(f"{word}{schema[key]}")
    facts.append("required" if name in required else f"default {json.dumps(schema.get('default'))}")
    return f"    {name} ({', '.join(facts)}): {schema.get('description', 'NO DESCRIPTION')}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, help="Also write everything the Inspector returned.")
    args = parser.parse_args()
    binary = inspector()
    seen = {
        "tools": call(binary, "--method", "tools/list"),
        "resources": call(binary, "--method", "resources/list"),
        "templates": call(binary, "--method", "resources/templates/list"),
        "prompts": call(binary, "--method", "prompts/list"),
        "bad_call": call(
            binary, "--method", "tools/call", "--tool-name", "find_constraints", "--tool-arg", "k=500"
        ),
    }
    for tool in seen["tools"].get("tools", []):
        hints = tool.get("annotations", {})
        read_only, destructive = hints.get("readOnlyHint"), hints.get("destructiveHint")
        print(f"tool {tool['name']}: read-only={read_only} destructive={destructive}")
        schema = tool["inputSchema"]
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            print(describe_parameter(name, prop, required))
        print(f"    output schema: {'yes' if tool.get('outputSchema') else 'no'}")
    for resource in seen["resources"].get("resources", []):
        print(f"resource {resource['uri']}: {resource.get('description', '')}")
    for template in seen["templates"].get("resourceTemplates", []):
        print(f"resource template {template['uriTemplate']}")
    for prompt in seen["prompts"].get("prompts", []):
        arguments = ", ".join(a["name"] for a in prompt.get("arguments", []))
        print(f"prompt {prompt['name']}({arguments}): {prompt.get('description', '')}")
    bad = seen["bad_call"]
    text = bad.get("content", [{}])[0].get("text", "") if "content" in bad else bad.get("error", "")
    print(f"find_constraints with k=500 -> isError={bad.get('isError')}: {text}")
    if args.json:
        args.json.write_text(json.dumps(seen, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
