"""A bounded loopback load test of ``kb serve``: mixed queries, contexts and ingests.

    python scripts/load_test.py                       # 16 clients, 60 s, seed_incidents, MiniLM
    python scripts/load_test.py --seconds 10 --embedder hashing --json

It starts ``kb serve --no-auth`` on 127.0.0.1 with a throw-away data folder holding
seed_incidents/, drives it with ``--clients`` async clients for ``--seconds`` (70% queries, 20%
contexts, 10% one-document ingests) and reports requests a second, p50/p99 latency per kind and
every status that was not 200. The server is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TASKS = [
    "add automatic retries to the payment capture call",
    "rotate the database credentials",
    "change the cache TTL for search results",
    "deploy a new version of the billing service",
    "increase the connection pool size",
    "migrate the orders table to a new schema",
    "add a health check to the kubernetes deployment",
    "renew TLS certificates before they expire",
]
DOC = "# Load test {n}\n\n## Lessons Learned\n\n- Always cap the retry budget of job {n} at three tries.\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _kb(env: dict[str, str], repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [PYTHON, "-m", "api.cli", *args]
    return subprocess.run(command, env=env, cwd=repo, capture_output=True, text=True, check=True)


async def _drive(base: str, *, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    import httpx

    latencies: dict[str, list[float]] = {"query": [], "context": [], "ingest": []}
    errors: dict[str, int] = {}
    stop = time.perf_counter() + seconds
    counter = [0]

    async def client_loop(worker: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(seed + worker)
        while time.perf_counter() < stop:
            roll = rng.random()
            task = rng.choice(TASKS)
            kind = "query" if roll < 0.7 else "context" if roll < 0.9 else "ingest"
            started = time.perf_counter()
            try:
                if kind == "query":
                    response = await client.post(f"{base}/v1/query", json={"task": task, "k": 10})
                elif kind == "context":
                    response = await client.post(f"{base}/v1/context", json={"task": task, "max_tokens": 800})
                else:
                    counter[0] += 1
                    response = await client.post(
                        f"{base}/v1/documents/markdown?path=load/{worker}-{counter[0]}.md&source=load",
                        content=DOC.format(n=counter[0]).encode(),
                        headers={"Content-Type": "text/markdown"},
                    )
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            latencies[kind].append((time.perf_counter() - started) * 1000)
            if status != "200":
                errors[f"{kind} {status}"] = errors.get(f"{kind} {status}", 0) + 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(client_loop(w, client) for w in range(clients)))
    everything = [ms for values in latencies.values() for ms in values]
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": len(everything),
        "rps": round(len(everything) / seconds, 1),
        "p50_ms": round(percentile(everything, 50), 1),
        "p99_ms": round(percentile(everything, 99), 1),
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 50), 1),
                "p99_ms": round(percentile(values, 99), 1),
            }
            for kind, values in latencies.items()
        },
        "errors": errors,
    }


def run(
    *, clients: int, seconds: float, embedder: str, workers: int, repo: Path = ROOT, seed: int = 22
) -> dict[str, Any]:
    import httpx

    home = Path(tempfile.mkdtemp(prefix="load-home-"))
    env = {**os.environ, "KB_HOME": str(home), "KB_EMBEDDER": embedder, "PYTHONPATH": str(repo)}
    port = _free_port()
    server = None
    try:
        _kb(env, repo, "ingest", str(ROOT / "seed_incidents"))
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "api.cli",
                "serve",
                "--no-auth",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            cwd=repo,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("kb serve did not become ready")
            time.sleep(0.3)
        result = asyncio.run(_drive(base, clients=clients, seconds=seconds, seed=seed))
        result.update({"embedder": embedder, "workers": workers, "repo": str(repo)})
        return result
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="kb serve worker processes")
    parser.add_argument("--embedder", default="minilm", help="minilm (real) or hashing (fast, fake)")
    parser.add_argument(
        "--repo", type=Path, default=ROOT, help="the checkout whose code serves (before/after)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 256 or not 0 < args.seconds <= 600:
        parser.error("keep it bounded: 1-256 clients, at most 600 seconds")
    result = run(
        clients=args.clients,
        seconds=args.seconds,
        embedder=args.embedder,
        workers=args.workers,
        repo=args.repo,
    )
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(
            f"{result['requests']} requests in {result['seconds']:g} s from {result['clients']} clients: "
            f"{result['rps']} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms\n"
        )
        for kind, row in result["by_kind"].items():
            sys.stdout.write(
                f"  {kind:<8} {row['requests']:>6}  p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms\n"
            )
        sys.stdout.write(f"  errors: {result['errors'] or 'none'}\n")
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
