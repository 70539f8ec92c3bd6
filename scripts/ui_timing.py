"""Server time of every UI page on the seed knowledge base (issue 19 asks < 100 ms a page).

Ingests seed_incidents/ with the real model into a fresh data directory (or uses --home), builds
the app in-process and times each page with a bearer key: the time from the request entering
the ASGI app to the last byte of the answer, without network or browser. Prints a Markdown table.

    .venv/bin/python scripts/ui_timing.py [--home DIR] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TASK = "add automatic retries to the payment capture call"
DIFF = (
    "diff --git a/services/checkout/payment_client.py b/services/checkout/payment_client.py\n"
    "--- a/services/checkout/payment_client.py\n+++ b/services/checkout/payment_client.py\n"
    "@@ -10,2 +10,4 @@ def capture(order, amount):\n"
    "     request = build_capture_request(order, amount)\n"
    "-    return payments.post('/captures', json=request)\n"
    "+    for attempt in range(3):\n"
    "+        return payments.post('/captures', json=request, timeout=8)\n"
)


def seeded_home(home: Path, corpus: Path, embedder: str) -> Path:
    if not (home / "kb.sqlite3").exists():
        env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
        env |= {"KB_HOME": str(home), "KB_EMBEDDER": embedder}
        subprocess.run(
            [sys.executable, "-m", "api.cli", "ingest", str(corpus)],
            check=True,
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a data directory (default: a fresh seeded one)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--corpus", type=Path, default=REPO / "seed_incidents", help="what to ingest")
    parser.add_argument("--embedder", default="minilm", help="KB_EMBEDDER (hashing: a quick big KB)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from fastapi.testclient import TestClient

    from api.web.app import create_app
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    home = seeded_home(args.home or Path(tempfile.mkdtemp(prefix="ui-timing-")), args.corpus, args.embedder)
    settings = Settings(home=home, rate_limit=0, embedder=args.embedder)
    kb = KnowledgeBase(settings)
    _, key = kb.create_key(team="shared", role="admin", name="ui-timing")
    hits = kb.query(task=TASK, k=10).hits
    lesson = next((h.id for h in hits if "Idempotency-Key" in h.constraint.statement), hits[0].id)
    document = kb.get(lesson)[1].id
    pages: list[tuple[str, str, dict[str, str] | None]] = [
        ("home", "/ui/", None),
        ("search (task)", f"/ui/search?q={TASK.replace(' ', '+')}", None),
        ("search (diff, POST)", "/ui/search", {"q": "", "diff": DIFF}),
        ("search (facet)", f"/ui/search?q={TASK.replace(' ', '+')}&f_kind=postmortem", None),
        ("lesson", f"/ui/constraints/{lesson}", None),
        ("document", f"/ui/documents/{document}", None),
        ("browse by service", "/ui/browse?by=service", None),
        ("browse by kind", "/ui/browse?by=kind", None),
        ("incident timeline", "/ui/browse?by=timeline", None),
        ("recently changed", "/ui/browse?by=recent", None),
        ("most recurring", "/ui/browse?by=recurring", None),
        ("review queue", "/ui/review", None),
        ("sign-in form", "/ui/sign-in", None),
        ("/docs", "/docs", None),
        ("/redoc", "/redoc", None),
    ]
    headers = {"Authorization": f"Bearer {key}", "Accept": "text/html"}
    print(
        f"seed KB at {home}: {kb.stats()['constraints']} lessons; {args.runs} runs a page after 2 warm-ups\n"
    )
    print("| page | median ms | p95 ms | max ms | bytes |\n| --- | ---: | ---: | ---: | ---: |")
    with TestClient(create_app(settings, kb=kb), base_url="http://127.0.0.1") as client:
        for name, path, form in pages:
            if form is not None:
                token = (
                    client.get("/ui/search", headers=headers)
                    .text.split('name="csrf" value="')[1]
                    .split('"')[0]
                )
                form = {**form, "csrf": token}
            times, size = [], 0
            for run in range(args.runs + 2):
                started = time.perf_counter()
                if name == "sign-in form":  # what a caller without a key sees
                    response = client.get(path, headers={"Accept": "text/html"})
                elif form is None:
                    response = client.get(path, headers=headers)
                else:
                    response = client.post(path, data=form, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.status_code, response.text[:300])
                size = len(response.content)
                if run >= 2:
                    times.append(elapsed)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} | {size:,} |")
    kb.close()


if __name__ == "__main__":
    main()
