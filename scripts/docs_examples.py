"""Run every marked command example of README.md and docs/*.md and write (or check) its output.

A marked example is a fenced block right after an ``<!-- example -->`` line. Its ``$ `` lines are
commands; what follows each, up to the next command, is that command's output, as this script
produced it:

    <!-- example -->
    ```console
    $ forewarn query "add automatic retries to the payment capture call" --k 2
    1. critical · operational · strong (#95, score 2.2110)
    ...
    ```

Each file's examples run in order, in one bash session per block, in a scratch folder holding
copies of ``seed_incidents/``, ``docs/examples/`` (the diffs and files the examples use) and
``tests/data/formats/`` (the other formats docs/importers.md ingests), against
a knowledge base with the seed already ingested (the same for every file; what one block changes,
the next block of that file sees). ``<!-- example: fresh -->`` runs its block on an empty knowledge
base instead (the ingest example). ``forewarn`` and ``kb`` are this checkout's command line
(``python -m api.cli``), and ``localhost:8000`` in a command is a free port of this machine.

What legitimately varies is normalised before comparing: the scratch folder's path, the port, the
secrets of API keys. Keep examples free of timings and dates (they are not normalised).

    python scripts/docs_examples.py --write    # regenerate the blocks in place
    python scripts/docs_examples.py --check    # exit 1 and show the difference when a block is stale
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^<!-- example(?::\s*(?P<options>[\w ,-]+?))?\s*-->$")
FENCE = re.compile(r"^(`{3,})")
PROMPT = "$ "
DOC_PORT = "8000"
# Printed before each command, so the session's output can be split per command.
SEPARATOR = "\x1eforewarn-docs-example\x1e"
COMMAND_TIMEOUT = 600
# What the examples may read, copied into each scratch folder at the same relative path.
COPIED = ("seed_incidents", "docs/examples", "tests/data/formats")


@dataclass(slots=True)
class Block:
    path: Path
    start: int  # index of the first line inside the fence
    end: int  # index of the closing fence
    fresh: bool
    commands: list[str]
    text: str  # the block's current content (between the fences)


def doc_files() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def find_blocks(path: Path, lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = MARKER.match(lines[i].strip())
        if not match:
            i += 1
            continue
        fence = FENCE.match(lines[i + 1]) if i + 1 < len(lines) else None
        if fence is None:
            raise SystemExit(f"{path.relative_to(REPO)}:{i + 1}: an example marker must precede a fence")
        close = next(
            (j for j in range(i + 2, len(lines)) if lines[j].strip() == fence.group(1)),
            None,
        )
        if close is None:
            raise SystemExit(f"{path.relative_to(REPO)}:{i + 2}: the example's fence is not closed")
        body = lines[i + 2 : close]
        commands = [line[len(PROMPT) :] for line in body if line.startswith(PROMPT)]
        if not commands:
            raise SystemExit(f"{path.relative_to(REPO)}:{i + 2}: an example without a '$ ' command")
        options = (match.group("options") or "").replace(",", " ").split()
        blocks.append(Block(path, i + 2, close, "fresh" in options, commands, "\n".join(body)))
        i = close + 1
    return blocks


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Runner:
    """Runs blocks against this checkout's command line, in scratch folders under one temp dir."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.bin = scratch / "bin"
        self.bin.mkdir()
        for name in ("forewarn", "kb"):
            script = self.bin / name
            script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m api.cli "$@"\n')
            script.chmod(0o755)
        # `python` is this interpreter, which has the MCP SDK (docs/examples/mcp_demo.py).
        (self.bin / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        (self.bin / "python").chmod(0o755)
        self.port = str(_free_port())
        self.seeded = scratch / "seeded-home"
        self._run_session(self._workspace("seed"), self.seeded, ["forewarn ingest seed_incidents"])

    def _workspace(self, name: str) -> Path:
        work = self.scratch / name
        work.mkdir()
        for folder in COPIED:
            shutil.copytree(REPO / folder, work / folder)
        return work

    def _env(self, home: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
        env.update(
            KB_HOME=str(home),
            PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}",
            PYTHONPATH=str(REPO),
            COLUMNS="100",  # rich tables and help wrap to this width
            TERM="dumb",
            NO_COLOR="1",
            LC_ALL="C.UTF-8",
            TZ="UTC",
        )
        return env

    def _run_session(self, work: Path, home: Path, commands: list[str]) -> list[str]:
        script = ["exec 2>&1", "set +e"]
        for command in commands:
            script.append(f"printf '%s\\n' '{SEPARATOR}'")
            script.append(
                command.replace(f"localhost:{DOC_PORT}", f"localhost:{self.port}").replace(
                    f"--port {DOC_PORT}", f"--port {self.port}"
                )
            )
        # Background jobs (a server) end with the block.
        script.append("jobs -p | xargs -r kill 2>/dev/null; wait 2>/dev/null; true")
        out = subprocess.run(
            ["bash", "-c", "\n".join(script)],
            cwd=work,
            env=self._env(home),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        parts = out.stdout.split(SEPARATOR + "\n")
        return [self._normalise(part, work, home) for part in parts[1:]]

    def _normalise(self, text: str, work: Path, home: Path) -> str:
        text = text.replace(str(home), "$KB_HOME").replace(str(work), ".")
        text = text.replace(str(self.scratch), "/tmp/forewarn-docs")
        text = text.replace(f"localhost:{self.port}", f"localhost:{DOC_PORT}")
        text = text.replace(f"127.0.0.1:{self.port}", f"127.0.0.1:{DOC_PORT}")
        # A key's secret and a request's id are random: keep their shape.
        key = r"\b(fw|hs)_[0-9a-f]{12}_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"
        text = re.sub(key, r"\1_0123456789ab_<secret>", text)
        text = re.sub(r'("request_id":\s*)"[0-9a-f]{32}"', r'\1"<request id>"', text)
        return "\n".join(line.rstrip() for line in text.splitlines())

    def run_file(self, path: Path, blocks: list[Block]) -> list[str]:
        """The new text of each block of one file."""
        name = re.sub(r"[^A-Za-z0-9]+", "-", str(path.relative_to(REPO)))
        work = self._workspace(name)
        home = self.scratch / f"{name}-home"
        shutil.copytree(self.seeded, home)
        texts = []
        for n, block in enumerate(blocks):
            block_home = self.scratch / f"{name}-fresh-{n}" if block.fresh else home
            outputs = self._run_session(work, block_home, block.commands)
            lines: list[str] = []
            for command, output in zip(block.commands, outputs, strict=True):
                lines.append(PROMPT + command)
                if output:
                    lines.append(output)
            texts.append("\n".join(lines))
        return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite the blocks in place")
    mode.add_argument("--check", action="store_true", help="exit 1 when a block differs")
    parser.add_argument("files", nargs="*", type=Path, help="only these files (default: all)")
    args = parser.parse_args(argv)
    files = [p.resolve() for p in args.files] or doc_files()

    # The HTTP and SARIF examples pipe through these; say so rather than report a stale block.
    missing = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
    if missing:
        print(f"the examples need {', '.join(missing)} on PATH", file=sys.stderr)
        return 2
    stale = 0
    with tempfile.TemporaryDirectory(prefix="forewarn-docs-") as tmp:
        runner = Runner(Path(tmp))
        for path in files:
            lines = path.read_text(encoding="utf-8").split("\n")
            blocks = find_blocks(path, lines)
            if not blocks:
                continue
            new_texts = runner.run_file(path, blocks)
            for block, new in zip(reversed(blocks), reversed(new_texts), strict=True):
                if new == block.text:
                    continue
                stale += 1
                rel = path.relative_to(REPO)
                if args.check:
                    sys.stdout.writelines(
                        difflib.unified_diff(
                            (block.text + "\n").splitlines(keepends=True),
                            (new + "\n").splitlines(keepends=True),
                            f"{rel}:{block.start + 1} (in the file)",
                            f"{rel}:{block.start + 1} (produced now)",
                        )
                    )
                lines[block.start : block.end] = new.split("\n")
            if args.write:
                path.write_text("\n".join(lines), encoding="utf-8")
    if args.check and stale:
        print(
            f"{stale} example block(s) differ: run python scripts/docs_examples.py --write", file=sys.stderr
        )
        return 1
    if args.write:
        print(f"{stale} example block(s) rewritten.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
