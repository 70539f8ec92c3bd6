"""Profile a fresh corpus ingest and check that another checkout's ingest gives the same result.

Each run ingests TARGET (default ``../shared``: both shared corpora, as ``kb ingest ../shared``) into
a fresh data directory, in its own process, with the code of one checkout (``--checkout``, default
this one; ``--baseline`` another, e.g. ``/work/main``). The ONNX model is built once and linked into
every data directory, as ``scripts/bench.py`` does. Runs alternate between the checkouts (the machine
is shared: compare figures taken together), and each reports CPU seconds (``time.process_time``, the
figure to compare on a loaded machine), wall seconds and the load average.

With ``--baseline``, the last run of each checkout is compared: every SQL row (timestamps left out),
every stored vector within ``--atol``, and the FAISS index's ids and vectors. Exit status 1 if they
differ.

    PYTHONPATH=$PWD .venv/bin/python scripts/ingest_profile.py --baseline /work/main --rounds 2 --top 25
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("ingest_profile")

# Columns that hold when a row was written: they differ between any two runs.
TIME_COLUMNS = frozenset({"created_at", "updated_at", "at", "last_confirmed", "built_at"})


def worker(
    checkout: Path, target: Path, home: Path, models: Path, top: int, profile_out: Path | None
) -> None:
    """Run in a child process whose ``sys.path`` starts at ``checkout``: one timed, fresh ingest."""
    import cProfile
    import pstats

    started_cpu, started_wall = time.process_time(), time.perf_counter()
    from ingest.loader import ingest_path
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    home.mkdir(parents=True)
    (home / "models").symlink_to(models, target_is_directory=True)
    kb = KnowledgeBase(Settings(home=home))
    kb.embedder.warm_up()  # type: ignore[attr-defined]
    imports_cpu = time.process_time() - started_cpu
    profiler = cProfile.Profile() if profile_out else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    report = ingest_path(kb, target)
    if profiler:
        profiler.disable()
    result = {
        "checkout": str(checkout),
        "cpu_s": time.process_time() - cpu,
        "wall_s": time.perf_counter() - wall,
        "startup_cpu_s": imports_cpu,
        "startup_wall_s": wall - started_wall,
        "load": os.getloadavg(),
        "summary": report.summary(),
        "constraints": report.constraints_written,
        "profiled": bool(profiler),
    }
    kb.close()
    if profiler and profile_out:
        profiler.dump_stats(str(profile_out))
        stats = pstats.Stats(str(profile_out), stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
    print(json.dumps(result))


def build_models(models: Path) -> None:
    """The ONNX model, built once for every run (a fresh data directory would build it each time)."""
    from kb.embedding.onnx import OnnxEmbedder

    OnnxEmbedder(models).warm_up()


def run_one(
    checkout: Path, target: Path, home: Path, models: Path, top: int, profile: bool
) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(checkout), "KB_HOME": str(home)}
    # The per-file parse budget is wall time: on a loaded machine (or under cProfile) a large file
    # runs past the 5 s default and fails in one run but not the other.
    env.setdefault("KB_PARSE_TIMEOUT", "600")
    profile_out = home.parent / f"{home.name}.prof" if profile else None
    args = [sys.executable, __file__, "--worker", str(checkout), str(target), str(home), str(models)]
    args += ["--top", str(top)] + (["--profile-out", str(profile_out)] if profile_out else [])
    proc = subprocess.run(args, env=env, cwd=checkout, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-4000:])
    if profile:
        print(f"--- profile of {checkout} ---\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def dump_tables(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in id order, timestamps left out, vector blobs decoded."""
    connection = sqlite3.connect(database)
    try:
        names = [
            row[0]
            for row in connection.execute("select name from sqlite_master where type='table' order by name")
            if row[0] != "alembic_version" and not row[0].startswith("sqlite_")
        ]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for name in names:
            columns = [row[1] for row in connection.execute(f"pragma table_info('{name}')")]
            kept = [c for c in columns if c not in TIME_COLUMNS]
            select = ", ".join(f'"{c}"' for c in kept)
            query = f'select {select} from "{name}" order by rowid'
            out[name] = [tuple(row) for row in connection.execute(query)]
        return out
    finally:
        connection.close()


def _close(a: Any, b: Any, atol: float) -> bool:
    if isinstance(a, bytes) and isinstance(b, bytes) and len(a) == len(b) and len(a) % 4 == 0 and a != b:
        x, y = np.frombuffer(a, dtype=np.float32), np.frombuffer(b, dtype=np.float32)
        return bool(np.allclose(x, y, atol=atol, rtol=0))
    return bool(a == b)


def compare_homes(left: Path, right: Path, atol: float) -> list[str]:
    """What differs between two data directories' SQL and FAISS index (empty: the same)."""
    import faiss

    problems: list[str] = []
    a, b = dump_tables(left / "kb.sqlite3"), dump_tables(right / "kb.sqlite3")
    if a.keys() != b.keys():
        problems.append(f"tables differ: {sorted(a.keys() ^ b.keys())}")
    max_delta = 0.0
    for name in sorted(a.keys() & b.keys()):
        rows_a, rows_b = a[name], b[name]
        if len(rows_a) != len(rows_b):
            problems.append(f"{name}: {len(rows_a)} rows against {len(rows_b)}")
            continue
        differing = [
            i
            for i, (x, y) in enumerate(zip(rows_a, rows_b, strict=True))
            if not all(_close(p, q, atol) for p, q in zip(x, y, strict=True))
        ]
        if differing:
            first = repr(rows_a[differing[0]])[:300]
            problems.append(f"{name}: {len(differing)} of {len(rows_a)} rows differ, first {first}")
        if name == "constraint_vectors":
            for x, y in zip(rows_a, rows_b, strict=True):
                for p, q in zip(x, y, strict=True):
                    if isinstance(p, bytes) and isinstance(q, bytes) and len(p) == len(q):
                        delta = np.abs(np.frombuffer(p, np.float32) - np.frombuffer(q, np.float32))
                        max_delta = max(max_delta, float(delta.max(initial=0.0)))
    rows = sum(len(r) for r in a.values())
    print(f"compared {rows} rows in {len(a)} tables; max vector delta {max_delta:.2e}")
    index_a, index_b = (faiss.read_index(str(h / "index" / "index.faiss")) for h in (left, right))
    if index_a.ntotal != index_b.ntotal:
        problems.append(f"index: {index_a.ntotal} vectors against {index_b.ntotal}")
    else:
        ids_a, ids_b = (faiss.vector_to_array(faiss.downcast_index(i).id_map) for i in (index_a, index_b))
        if not np.array_equal(ids_a, ids_b):
            problems.append("index: ids differ")
        vec_a, vec_b = (np.vstack([i.reconstruct(int(x)) for x in ids_a]) for i in (index_a, index_b))
        if not np.allclose(vec_a, vec_b, atol=atol, rtol=0):
            problems.append("index: vectors differ")
    for path in sorted((left / "index").iterdir()):
        other = right / "index" / path.name
        if path.suffix in (".faiss", ".json") or path.is_dir():
            continue
        if not other.is_file() or other.read_bytes() != path.read_bytes():
            problems.append(f"index/{path.name} differs")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument(
        "--checkout", type=Path, default=ROOT, help="The checkout measured (default: this one)."
    )
    parser.add_argument(
        "--baseline", type=Path, default=None, help="A checkout to measure and compare against."
    )
    parser.add_argument("--target", type=Path, default=ROOT.parent / "shared", help="Folder to ingest.")
    parser.add_argument("--rounds", type=int, default=1, help="Runs of each checkout, alternating.")
    parser.add_argument("--top", type=int, default=25, help="Profile rows shown (0: no profile).")
    parser.add_argument("--atol", type=float, default=1e-5, help="Vector tolerance.")
    parser.add_argument("--work", type=Path, default=None, help="Scratch folder (default: a temporary one).")
    parser.add_argument("--profile-out", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--compare", nargs=2, type=Path, help="Only compare two data directories.")
    args, _ = parser.parse_known_args()
    if args.worker:
        checkout, target, home, models = args.worker
        worker(Path(checkout), Path(target), Path(home), Path(models), args.top, args.profile_out)
        return 0
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.compare:
        problems = compare_homes(*args.compare, args.atol)
        for problem in problems:
            log.error("DIFFERS: %s", problem)
        log.info("outputs %s", "DIFFER" if problems else f"identical (vectors within {args.atol:g})")
        return 1 if problems else 0
    work = args.work or Path(tempfile.mkdtemp(prefix="ingest-profile-"))
    models = work / "models"
    if not models.exists():
        build_models(models)
    checkouts = [("candidate", args.checkout.resolve())]
    if args.baseline:
        checkouts.insert(0, ("baseline", args.baseline.resolve()))
    results: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in checkouts}
    homes: dict[str, Path] = {}
    for round_ in range(args.rounds):
        for label, checkout in checkouts:
            home = work / f"{label}-{round_}"
            if home.exists():
                shutil.rmtree(home)
            # Only the last round is profiled: cProfile's overhead would skew the timed rounds.
            profile = bool(args.top) and round_ == args.rounds - 1
            result = run_one(checkout, args.target, home, models, args.top, profile)
            results[label].append(result)
            homes[label] = home
            log.info(
                "%s round %d: %.1f CPU s, %.1f wall s%s, load %s, %s, %d lessons",
                label,
                round_,
                result["cpu_s"],
                result["wall_s"],
                " (profiled)" if profile else "",
                " ".join(f"{x:.2f}" for x in result["load"]),
                result["summary"],
                result["constraints"],
            )
    timed = {label: [r for r in runs if not r["profiled"]] or runs for label, runs in results.items()}
    for label, runs in timed.items():
        cpu = sorted(r["cpu_s"] for r in runs)
        wall = sorted(r["wall_s"] for r in runs)
        log.info("%s: CPU s %s, wall s %s", label, [round(x, 1) for x in cpu], [round(x, 1) for x in wall])
    if not args.baseline:
        return 0
    base_cpu = min(r["cpu_s"] for r in timed["baseline"])
    cand_cpu = min(r["cpu_s"] for r in timed["candidate"])
    base_wall = min(r["wall_s"] for r in timed["baseline"])
    cand_wall = min(r["wall_s"] for r in timed["candidate"])
    log.info(
        "best of each: CPU %.1f -> %.1f s (%.2fx); wall %.1f -> %.1f s (%.2fx)",
        base_cpu,
        cand_cpu,
        base_cpu / cand_cpu,
        base_wall,
        cand_wall,
        base_wall / cand_wall,
    )
    problems = compare_homes(homes["baseline"], homes["candidate"], args.atol)
    for problem in problems:
        log.error("DIFFERS: %s", problem)
    log.info("outputs %s", "DIFFER" if problems else f"identical (vectors within {args.atol:g})")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
