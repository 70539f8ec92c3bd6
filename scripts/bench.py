"""Speed at every scale: Hindsight against a Chroma pipeline on synthetic knowledge bases.

One command (``scripts/bench``) builds synthetic knowledge bases of 10k, 100k and 1M constraints and
measures, side by side with Chroma (embedded, same model, same texts): ingest throughput, index
build time, warm query latency p50/p99 for a task and for a 300-line diff, cold CLI query time,
resident memory, ANN recall@10 against exact search, the ``kb serve`` throughput under a concurrent
loopback load, and the real corpus ingest. Output: ``results.json``, ``results.md`` and
``latency.png`` in ``--out`` (default ``docs/bench``).

Synthetic constraints are sentences composed from a vocabulary. A pool of unique sentences is
embedded once with the production encoder (OnnxEmbedder); rows beyond the pool reuse a pool vector
with small noise (renormalised), so a million rows cost minutes. Knowledge bases are written straight
into SQLite (schema from the Store, rows with executemany) and cached under ``--work`` keyed by size,
so a rerun skips building them. Each side runs in its own subprocess so memory is measured per process.

Hindsight's side is the full hybrid ``KnowledgeBase.query`` (dense + BM25 + document BM25 + scope).
Chroma's side is "put the texts in Chroma and query with the same model": encode with the same
OnnxEmbedder, ``collection.query(n_results=10)``. No Chroma embedding function is ever called.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
KB_BIN = str(Path(PYTHON).parent / "kb")
log = logging.getLogger("bench")

# --- the vocabulary --------------------------------------------------------------------------------

OPENERS = ["Always", "Never", "Do not", "Before you", "Make sure to", "Teams must", "Only", "Avoid having to"]
VERBS = [
    "rotate", "pin", "drain", "throttle", "retry", "back up", "validate", "cap", "monitor", "stage",
    "canary", "roll back", "version", "encrypt", "index", "shard", "pre-warm", "rate-limit", "dedupe",
    "checkpoint", "resize", "fail over", "vacuum", "reindex", "restart", "snapshot", "audit", "expire",
]  # fmt: skip
OBJECTS = [
    "connection pool", "TLS certificate", "database migration", "message queue", "cache cluster",
    "node group", "feature flag", "DNS record", "load balancer", "cron job", "payment capture",
    "webhook consumer", "search index", "storage bucket", "replica set", "API gateway", "mesh sidecar",
    "build cache", "secret store", "rate limiter", "consumer group", "autoscaler", "read replica",
    "schema registry", "job queue", "session store", "CDN cache", "ingress controller", "backup job",
    "disk volume", "kafka topic", "redis cluster", "postgres table", "helm release", "terraform state",
]  # fmt: skip
CONDITIONS = [
    "before every deploy", "during peak traffic", "when replica lag exceeds thirty seconds",
    "after a schema change", "before scaling down", "when the error budget is spent",
    "on every release branch", "while a failover is running", "before the quarterly load test",
    "when memory usage passes eighty percent", "after rotating credentials", "during a region outage",
    "before deleting old partitions", "when queue depth keeps growing", "after upgrading the cluster",
]  # fmt: skip
CONSEQUENCES = [
    "orders were charged twice", "checkout timed out for forty minutes", "the cache stampeded the database",
    "consumers fell hours behind", "certificates expired in production", "nodes were evicted in a loop",
    "writes were silently dropped", "the migration locked the table", "latency doubled for every region",
    "disks filled up overnight", "the pager fired for six hours", "backups could not be restored",
]  # fmt: skip
TECHS = [
    "postgres", "kafka", "redis", "kubernetes", "terraform", "aws", "nginx", "elasticsearch", "rabbitmq",
    "mysql", "istio", "helm", "prometheus", "vault", "s3", "dynamodb", "cloudflare", "docker",
]  # fmt: skip
SERVICES = [
    "orders", "payments", "checkout", "inventory", "search", "auth", "billing", "shipping",
    "notifications", "catalog", "ledger", "gateway", "profile", "reports", "recommendations",
]  # fmt: skip
ALL_SERVICES = SERVICES + [f"svc{i:03d}" for i in range(300)]
KINDS = ["postmortem", "runbook", "adr"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def pool_sentences(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """``count`` unique (statement, rationale) pairs composed from the vocabulary."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        opener, verb, obj, cond = (
            rng.choice(OPENERS),
            rng.choice(VERBS),
            rng.choice(OBJECTS),
            rng.choice(CONDITIONS),
        )
        tech = rng.choice(TECHS)
        statement = f"{opener} {verb} the {tech} {obj} {cond}."
        if statement in seen:
            continue
        seen.add(statement)
        rationale = (
            f"Otherwise {rng.choice(CONSEQUENCES)}, as in the {rng.choice(MONTHS)} incident "
            f"where the {rng.choice(SERVICES)} {rng.choice(OBJECTS)} "
            f"{rng.choice(CONSEQUENCES).split(' ', 1)[1]}."
        )
        out.append((statement, rationale))
    return out


def task_queries(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    return [
        f"I am going to {rng.choice(VERBS)} the {rng.choice(TECHS)} {rng.choice(OBJECTS)} "
        f"for the {rng.choice(SERVICES)} service {rng.choice(CONDITIONS)}"
        for _ in range(count)
    ]


def diff_queries(count: int, lines: int = 300, seed: int = 13) -> list[str]:
    """Unified diffs of ``lines`` lines over Terraform and Kubernetes files."""
    rng = random.Random(seed)
    diffs = []
    for _ in range(count):
        service = rng.choice(SERVICES)
        out: list[str] = []
        files = [
            f"services/{service}/main.tf",
            f"deploy/{service}/deployment.yaml",
            f"services/{service}/db.tf",
        ]
        per_file = lines // len(files)
        for path in files:
            out += [f"diff --git a/{path} b/{path}", f"--- a/{path}", f"+++ b/{path}"]
            out.append(f'@@ -1,{per_file} +1,{per_file} @@ resource "aws_db_instance" "{service}"')
            for i in range(per_file - 4):
                key = rng.choice(["instance_class", "max_connections", "replicas", "timeout", "pool_size"])
                word = rng.choice(OBJECTS).replace(" ", "_")
                value = f'"{rng.choice(TECHS)}-{word}-{i}"'
                roll = rng.random()
                if roll < 0.35:
                    out.append(f"+  {key}_{word} = {value}")
                elif roll < 0.5:
                    out.append(f"-  {key}_{word} = {value}")
                else:
                    out.append(f"   {word} = {value}")
        diffs.append("\n".join(out) + "\n")
    return diffs


# --- helpers ---------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 1e6


def peak_rss_mb() -> float:
    import resource

    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1e3


def run_worker(*args: str, timeout: float = 3600) -> dict[str, Any]:
    proc = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {args[0]} failed:\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def embedder(cache: Path) -> Any:
    from kb.embedding.onnx import OnnxEmbedder

    return OnnxEmbedder(cache, threads=2)


# --- building the synthetic knowledge bases ---------------------------------------------------------


def pool_vectors(work: Path, pool: list[tuple[str, str]]) -> np.ndarray:
    path = work / f"pool-{len(pool)}.npy"
    if path.is_file():
        return np.asarray(np.load(path), dtype=np.float32)
    from kb.outputs.contract import embedding_text

    started = time.perf_counter()
    vectors = embedder(work / "models").embed([embedding_text(s, r) for s, r in pool])
    log.info("embedded %d pool sentences in %.1f s", len(pool), time.perf_counter() - started)
    np.save(path, vectors)
    return np.asarray(vectors, dtype=np.float32)


def synthetic_rows(size: int, pool: list[tuple[str, str]], vectors: np.ndarray, seed: int = 3) -> Any:
    """Yield (document, constraints, vectors) batches for ``size`` constraints, 8 per document.

    The first ``len(pool)`` constraints are the pool's sentences with their own vectors. Every later
    one is composed of two pool entries (the statement of one, the rationale of another), and its
    vector is the matching mix of their vectors, ``v_a + beta * v_b`` (beta 0.25..0.6) plus a little
    noise, normalised: encoding a million texts would take most of an hour here. An earlier version
    added noise to copies of the same pool vector, which at 1M made ~170 near-identical copies of
    every lesson; a real knowledge base has no such ties, and they made recall@10 against exact
    search meaningless (ten of 170 equally good answers).
    """
    rng = np.random.default_rng(seed)
    per_doc = 8
    batch_docs = 2000
    n_docs = (size + per_doc - 1) // per_doc
    for first in range(0, n_docs, batch_docs):
        docs, rows = [], []
        last = min(first + batch_docs, n_docs)
        count = sum(min(per_doc, size - d * per_doc) for d in range(first, last))
        noise = rng.normal(scale=0.004, size=(count, vectors.shape[1])).astype(np.float32)
        partners = rng.integers(0, len(pool), size=count)
        betas = rng.uniform(0.25, 0.6, size=count).astype(np.float32)
        out_vectors = np.empty((count, vectors.shape[1]), dtype=np.float32)
        k = 0
        for d in range(first, last):
            service = ALL_SERVICES[d % len(ALL_SERVICES)]
            kind = KINDS[d % 3]
            stmt0 = pool[(d * per_doc) % len(pool)][0]
            docs.append(
                {
                    "id": d + 1,
                    "path": f"{kind}s/{service}/{d:07d}.md",
                    "kind": kind,
                    "title": f"{kind.title()} {d}: {stmt0[:60]}",
                    "services": [service] if d % 4 == 0 else [],
                }
            )
            for j in range(min(per_doc, size - d * per_doc)):
                cid = d * per_doc + j + 1
                p = (cid - 1) % len(pool)
                statement, rationale = pool[p]
                mixed = cid > len(pool)
                if mixed:
                    rationale = pool[int(partners[k])][1]
                rows.append(
                    {
                        "id": cid,
                        "document_id": d + 1,
                        "statement": f"{statement[:-1]} for {service}.",
                        "rationale": rationale,
                        "status": "superseded" if cid % 97 == 0 else "active",
                        "services": [service] if cid % 10 == 0 else [],
                        "paths": [f"services/{service}/**"] if cid % 20 == 0 else [],
                        "technologies": [TECHS[cid % len(TECHS)]] if cid % 5 == 0 else [],
                        "section": "Lessons",
                    }
                )
                v = vectors[p] + betas[k] * vectors[int(partners[k])] + noise[k] if mixed else vectors[p]
                out_vectors[k] = v / np.linalg.norm(v)
                k += 1
        yield docs, rows, out_vectors


def build_sqlite(
    home: Path, size: int, pool: list[tuple[str, str]], vectors: np.ndarray, model: str
) -> float:
    """Write a synthetic knowledge base into ``home/kb.sqlite3``; returns seconds."""
    from kb.storage.store import Store

    started = time.perf_counter()
    home.mkdir(parents=True, exist_ok=True)
    db = home / "kb.sqlite3"
    Store.from_url(f"sqlite:///{db}").close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    now = "2026-01-01 00:00:00.000000"
    for docs, rows, vecs in synthetic_rows(size, pool, vectors):
        conn.executemany(
            "INSERT INTO documents (id, team, source, path, kind, title, sha256, date, status, services,"
            " metadata, created_at, updated_at) VALUES (?, 'shared', 'synthetic', ?, ?, ?, ?, NULL, NULL, ?,"
            " '{}', ?, ?)",
            [
                (
                    d["id"],
                    d["path"],
                    d["kind"],
                    d["title"],
                    f"{d['id']:064x}",
                    json.dumps(d["services"]),
                    now,
                    now,
                )
                for d in docs
            ],
        )
        conn.executemany(
            "INSERT INTO constraints (id, document_id, statement, rationale, category, severity, status,"
            " services, paths, technologies, tags, section, line_start, line_end, curated, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, 'operational', 'high', ?, ?, ?, ?, '[]', ?, 1, 2, '[]', ?, ?)",
            [
                (
                    r["id"],
                    r["document_id"],
                    r["statement"],
                    r["rationale"],
                    r["status"],
                    json.dumps(r["services"]),
                    json.dumps(r["paths"]),
                    json.dumps(r["technologies"]),
                    r["section"],
                    now,
                    now,
                )
                for r in rows
            ],
        )
        conn.executemany(
            "INSERT INTO constraint_vectors (constraint_id, model, dimension, vector) VALUES (?, ?, ?, ?)",
            [(r["id"], model, vecs.shape[1], vecs[i].astype("<f4").tobytes()) for i, r in enumerate(rows)],
        )
    conn.execute("INSERT OR REPLACE INTO kb_state (key, value) VALUES ('revision', 1)")
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def link_models(home: Path, work: Path) -> None:
    models = home / "models"
    if not models.exists():
        models.symlink_to(work / "models", target_is_directory=True)


# --- workers (each in its own process) --------------------------------------------------------------


def _settings(home: Path) -> Any:
    from kb.settings import Settings

    return Settings(home=home)


def worker_build(home: Path) -> dict[str, Any]:
    """Build the FAISS index and the catalog from SQL, as ``kb reindex`` does."""
    from kb.index.catalog import CatalogData, read_catalog_rows
    from kb.index.vectors import VectorIndex
    from kb.service import KnowledgeBase

    kb = KnowledgeBase(_settings(home))
    revision = kb.store.revision()
    started = time.perf_counter()
    ids, vectors = kb.store.vectors(model=kb.embedder.name)
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    index = VectorIndex.build(
        ids,
        vectors,
        model=kb.embedder.name,
        dimension=kb.embedder.dimension,
        revision=revision,
        ann_threshold=kb.settings.ann_threshold,
        ef_search=kb.settings.hnsw_ef_search,
    )
    faiss_s = time.perf_counter() - started
    index.save(kb.settings.index_dir)
    del vectors
    started = time.perf_counter()
    rows, documents = read_catalog_rows(kb.store)
    data = CatalogData.build(rows, documents, revision=revision)
    data.save(kb.settings.index_dir)
    catalog_s = time.perf_counter() - started
    return {
        "read_vectors_s": read_s,
        "faiss_build_s": faiss_s,
        "catalog_build_s": catalog_s,
        "index_type": index.info.index_type,
        "peak_rss_mb": peak_rss_mb(),
    }


def _timed(fn: Any, inputs: list[Any], repeats: int) -> list[float]:
    out = []
    for i in range(repeats):
        started = time.perf_counter()
        fn(inputs[i % len(inputs)])
        out.append((time.perf_counter() - started) * 1000)
    return out


def worker_hindsight(home: Path, queries: Path, repeats: int) -> dict[str, Any]:
    from kb.service import KnowledgeBase

    spec = json.loads(queries.read_text())
    kb = KnowledgeBase(_settings(home))
    # Warm: every query once before timing (both sides), so the first touch of each term's
    # postings and rows (page faults, disk reads at 1M) is reported as the first pass, not as p99.
    started = time.perf_counter()
    for t in spec["tasks"]:
        kb.query(task=t, k=10)
    first_pass_s = time.perf_counter() - started
    for d in spec["diffs"]:
        kb.query(diff=d, k=10)
    task_ms = _timed(lambda t: kb.query(task=t, k=10), spec["tasks"], repeats)
    diff_ms = _timed(lambda d: kb.query(diff=d, k=10), spec["diffs"], max(repeats // 3, 20))
    hits = kb.query(task=spec["tasks"][0], k=10).hits
    result: dict[str, Any] = {
        "task_ms": task_ms,
        "diff_ms": diff_ms,
        "first_pass_task_s": first_pass_s,
        "rss_mb": rss_mb(),
        "index_type": kb.index().info.index_type,
        "hits": len(hits),
        "first_hit_has_statement": bool(hits and hits[0].constraint.statement),
    }
    index = kb.index()
    if index.info.index_type.startswith("hnsw"):
        result["recall"] = _recall(kb, spec["tasks"])
    return result


def _recall(kb: Any, tasks: list[str]) -> dict[str, Any]:
    """Recall@10 of the HNSW index against exact search, and the exact search's query time."""
    import faiss

    ids, vectors = kb.store.vectors(model=kb.embedder.name)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    rng = np.random.default_rng(5)
    stored = vectors[rng.choice(len(vectors), 100, replace=False)]
    stored = stored + rng.normal(scale=0.03, size=stored.shape).astype(np.float32)
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    queries = np.vstack([kb.embedder.embed(tasks[:100]), stored]).astype(np.float32)
    started = time.perf_counter()
    _, truth_pos = exact.search(queries, 10)
    exact_ms = (time.perf_counter() - started) * 1000 / len(queries)
    truth = ids[truth_pos]
    index = kb.index()
    configured = index.info.ef_search
    out: dict[str, Any] = {"exact_query_ms": exact_ms, "configured_ef": configured}
    for ef in sorted({64, 256, 1024, configured}):
        index.set_ef_search(ef)
        found = []
        started = time.perf_counter()
        for q in queries:
            found.append([cid for cid, _ in index.search(q, 10)])
        ms = (time.perf_counter() - started) * 1000 / len(queries)
        per_query = [len(set(f) & set(t.tolist())) / 10 for f, t in zip(found, truth, strict=True)]
        out[f"ef{ef}"] = {
            "recall_at_10": float(np.mean(per_query)),
            # The first 100 queries are encoded task sentences, the rest perturbed stored vectors.
            "recall_at_10_tasks": float(np.mean(per_query[:100])),
            "query_ms": ms,
        }
    index.set_ef_search(configured)
    return out


def worker_chroma_build(path: Path, home: Path, size: int, work: Path) -> dict[str, Any]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from kb.outputs.contract import embedding_text

    pool = pool_sentences(POOL_SIZE)
    vectors = pool_vectors(work, pool)
    if path.exists():
        shutil.rmtree(path)
    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection(
        "constraints", embedding_function=None, configuration={"hnsw": {"space": "ip"}}
    )
    batch = min(5000, client.get_max_batch_size())
    started = time.perf_counter()
    for _docs, rows, vecs in synthetic_rows(size, pool, vectors):
        for i in range(0, len(rows), batch):
            part = rows[i : i + batch]
            collection.add(
                ids=[str(r["id"]) for r in part],
                embeddings=vecs[i : i + batch],
                documents=[embedding_text(r["statement"], r["rationale"]) for r in part],
                metadatas=[{"document_id": r["document_id"], "status": r["status"]} for r in part],
            )
    seconds = time.perf_counter() - started
    return {"ingest_s": seconds, "count": collection.count(), "peak_rss_mb": peak_rss_mb()}


def chroma_embedding_function(work: Path) -> Any:
    """Chroma's default embedding function (its own ONNX all-MiniLM-L6-v2 code), run offline.

    Chroma downloads its ONNX export of all-MiniLM-L6-v2 on first use; there is no network here, so its
    folder is filled with the same weights exported by Hindsight (the packaged model's tokenizer files
    and ONNX graph). Everything else (tokenisation, padding, the session) is Chroma's own code.
    """
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    from kb.embedding import packaged_model_path
    from kb.embedding.onnx import ONNX_FILE

    root = work / "chroma-onnx"
    folder = root / ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME
    if not (folder / "model.onnx").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        source = Path(packaged_model_path())
        for name in (
            "config.json",
            "special_tokens_map.json",
            "tokenizer_config.json",
            "tokenizer.json",
            "vocab.txt",
        ):
            shutil.copy(source / name, folder / name)
        embedder(work / "models").embed(["export the ONNX model once"])
        # One file, as Chroma ships it (our cache keeps the weights beside the graph, which
        # onnxruntime loads faster; Chroma's users do not get that).
        import onnx

        onnx.save_model(onnx.load(str(work / "models" / ONNX_FILE)), str(folder / "model.onnx"))
    function = ONNXMiniLM_L6_V2(preferred_providers=["CPUExecutionProvider"])
    function.DOWNLOAD_PATH = root  # type: ignore[misc]  # instead of ~/.cache/chroma
    return function


def worker_chroma(path: Path, queries: Path, repeats: int, work: Path) -> dict[str, Any]:
    """Two Chroma pipelines over the same collection.

    ``default``: what "put the docs in Chroma" gives, Chroma's default embedding function for the
    query (same model). ``tuned``: Chroma's search with Hindsight's own encoder in front, the best a
    Chroma user could do with this model; it shows how much of the gap is the encoder.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    spec = json.loads(queries.read_text())
    function = chroma_embedding_function(work)
    model = embedder(work / "models")
    client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_collection("constraints", embedding_function=None)

    def default(text: str) -> Any:
        return collection.query(query_embeddings=function([text]), n_results=10)

    def tuned(text: str) -> Any:
        return collection.query(query_embeddings=model.embed([text]), n_results=10)

    out: dict[str, Any] = {}
    for name, query in (("default", default), ("tuned", tuned)):
        for t in spec["tasks"] + spec["diffs"]:  # every query once, as for Hindsight
            query(t)
        out[name] = {
            "task_ms": _timed(query, spec["tasks"], repeats),
            "diff_ms": _timed(query, spec["diffs"], max(repeats // 3, 20)),
        }
    same = [
        float(np.dot(function([t])[0], model.embed([t])[0])) for t in spec["tasks"][:20] + spec["diffs"][:3]
    ]
    out["encoder_cosine_min"] = min(same)
    out["rss_mb"] = rss_mb()
    return out


def worker_ingest_sample(home: Path, size: int, work: Path) -> dict[str, Any]:
    """Hindsight's own write path (Store.write_documents, 64 documents a transaction) + reindex."""
    from kb.records import ConstraintDraft, DocumentDraft
    from kb.service import KnowledgeBase
    from kb.storage.models import SHARED_TEAM
    from kb.storage.store import EmbeddedDraft

    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    link_models(home, work)
    pool = pool_sentences(POOL_SIZE)
    vectors = pool_vectors(work, pool)
    kb = KnowledgeBase(_settings(home))
    started = time.perf_counter()
    for docs, rows, vecs in synthetic_rows(size, pool, vectors):
        by_doc: dict[int, list[int]] = {}
        for i, r in enumerate(rows):
            by_doc.setdefault(r["document_id"], []).append(i)
        items = []
        for d in docs:
            members = by_doc[d["id"]]
            draft = DocumentDraft(
                path=d["path"],
                kind=d["kind"],
                title=d["title"],
                sha256=f"{d['id']:064x}",
                services=d["services"],
                constraints=[
                    ConstraintDraft(
                        statement=rows[i]["statement"],
                        rationale=rows[i]["rationale"],
                        category="operational",
                        severity="high",
                        status=rows[i]["status"],
                        services=rows[i]["services"],
                        paths=rows[i]["paths"],
                        technologies=rows[i]["technologies"],
                        section="Lessons",
                    )
                    for i in members
                ],
            )
            items.append(
                EmbeddedDraft(source="synthetic", draft=draft, vectors=vecs[members], team=SHARED_TEAM)
            )
        for i in range(0, len(items), 64):
            kb.store.write_documents(items[i : i + 64], model=kb.embedder.name)
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    kb.reindex()
    reindex_s = time.perf_counter() - started
    return {"size": size, "write_s": write_s, "reindex_s": reindex_s}


# --- the parent: cold CLI, service, corpus, report --------------------------------------------------


def cold_cli(home: Path, task: str, runs: int) -> list[float]:
    env = {**os.environ, "KB_HOME": str(home)}
    cmd = [KB_BIN, "query", task, "--k", "10", "--json"]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # page cache, not timed
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, check=False)
        out.append(time.perf_counter() - started)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.decode()[-2000:])
    return out


CHROMA_COLD = """
import sys, chromadb
from pathlib import Path
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2
client = chromadb.PersistentClient(path=sys.argv[1], settings=ChromaSettings(anonymized_telemetry=False))
collection = client.get_collection("constraints", embedding_function=None)
function = ONNXMiniLM_L6_V2(preferred_providers=["CPUExecutionProvider"])
function.DOWNLOAD_PATH = Path(sys.argv[2])
result = collection.query(query_embeddings=function([sys.argv[3]]), n_results=10)
print(len(result["ids"][0]))
"""


def cold_chroma(path: Path, work: Path, task: str, runs: int) -> list[float]:
    cmd = [PYTHON, "-c", CHROMA_COLD, str(path), str(work / "chroma-onnx"), task]
    subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT)
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT)
        out.append(time.perf_counter() - started)
    return out


def serve_load(
    home: Path, tasks: list[str], seconds: float, concurrency: int, port: int = 8765
) -> dict[str, Any]:
    """``kb serve --no-auth`` on loopback, driven by ``concurrency`` async clients for ``seconds``."""
    import httpx

    env = {**os.environ, "KB_HOME": str(home)}
    server = subprocess.Popen(
        [KB_BIN, "serve", "--no-auth", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1/query"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.post(url, json={"task": tasks[0], "k": 10}, timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline:
                raise RuntimeError("kb serve did not answer")
            time.sleep(0.3)

        async def drive() -> tuple[list[float], int]:
            latencies: list[float] = []
            errors = 0
            stop = time.perf_counter() + seconds
            async with httpx.AsyncClient(timeout=30) as client:

                async def one(worker: int) -> None:
                    nonlocal errors
                    i = worker
                    while time.perf_counter() < stop:
                        started = time.perf_counter()
                        response = await client.post(url, json={"task": tasks[i % len(tasks)], "k": 10})
                        latencies.append((time.perf_counter() - started) * 1000)
                        errors += response.status_code != 200
                        i += concurrency

                await asyncio.gather(*(one(w) for w in range(concurrency)))
            return latencies, errors

        latencies, errors = asyncio.run(drive())
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "seconds": seconds,
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
    }


def _ingested_files(stdout: bytes) -> int | None:
    """How many files an ``ingest --json`` run read (added, updated, unchanged, skipped, failed)."""
    try:
        summary = json.loads(stdout)
    except ValueError:
        return None
    reports = summary.get("reports", []) if isinstance(summary, dict) else []
    keys = ("added", "updated", "unchanged", "skipped", "failed")
    return sum(int(r.get("summary", {}).get(k, 0)) for r in reports for k in keys) or None


def corpus_ingest(work: Path, corpus: Path) -> dict[str, Any]:
    home = work / "corpus-home"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    link_models(home, work)
    env = {**os.environ, "KB_HOME": str(home)}
    out: dict[str, Any] = {"path": os.path.relpath(corpus, ROOT)}
    for label in ("first_s", "unchanged_s"):
        started = time.perf_counter()
        proc = subprocess.run(
            [KB_BIN, "ingest", str(corpus), "--json"], env=env, capture_output=True, check=False
        )
        out[label] = time.perf_counter() - started
        if proc.returncode not in (0, 1):
            raise RuntimeError(proc.stderr.decode()[-2000:])
        if label == "first_s":
            out["files"] = _ingested_files(proc.stdout)
    seed = ROOT / "seed_incidents"
    if seed.is_dir():
        seed_home = work / "seed-home"
        if not seed_home.exists():
            seed_home.mkdir(parents=True)
            link_models(seed_home, work)
            subprocess.run(
                [KB_BIN, "ingest", str(seed)],
                env={**env, "KB_HOME": str(seed_home)},
                capture_output=True,
                check=True,
            )
        out["seed_cold_query_s"] = cold_cli(seed_home, "add a column to the orders table", 7)
    return out


POOL_SIZE = int(os.environ.get("BENCH_POOL", "6000"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="Comma-separated constraint counts.")
    parser.add_argument("--chroma-sizes", default=None, help="Sizes to run Chroma at (default: --sizes).")
    parser.add_argument("--work", type=Path, default=Path("/tmp/hindsight-bench"), help="Cache of built KBs.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench")
    parser.add_argument("--repeats", type=int, default=200, help="Warm task queries per side and size.")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--serve-seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    sizes = [int(s) for s in args.sizes.split(",")]
    chroma_sizes = [int(s) for s in (args.chroma_sizes or args.sizes).split(",") if s]
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    (work / "models").mkdir(exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)

    model = embedder(work / "models")
    model.embed(["warm the export cache"])
    pool = pool_sentences(POOL_SIZE)
    vectors = pool_vectors(work, pool)
    queries = work / "queries.json"
    tasks = task_queries(100)
    diffs = diff_queries(10)
    queries.write_text(json.dumps({"tasks": tasks, "diffs": diffs}))

    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "pool_sentences": POOL_SIZE,
        "sizes": {},
    }
    log.info("ingest throughput sample (Store.write_documents + reindex, 10k constraints)")
    sample = run_worker("ingest-sample", str(work / "ingest-home"), "10000", str(work))
    report["hindsight_write_path"] = {
        **sample,
        "per_s": sample["size"] / (sample["write_s"] + sample["reindex_s"]),
    }

    for size in sizes:
        entry: dict[str, Any] = {}
        home = work / f"kb-{size}"
        if not (home / "kb.sqlite3").is_file():
            log.info("building the %d-constraint knowledge base", size)
            tmp = work / f"kb-{size}.tmp"
            if tmp.exists():
                shutil.rmtree(tmp)
            entry["sqlite_build_s"] = build_sqlite(tmp, size, pool, vectors, model.name)
            tmp.rename(home)
        link_models(home, work)
        log.info("%d: FAISS index and catalog build", size)
        entry["build"] = run_worker("build", str(home))
        log.info("%d: Hindsight warm queries", size)
        entry["hindsight"] = run_worker("hindsight", str(home), str(queries), str(args.repeats))
        entry["hindsight"]["cold_cli_s"] = cold_cli(home, tasks[0], args.cold_runs)
        if size in chroma_sizes:
            chroma_path = work / f"chroma-{size}"
            log.info("%d: Chroma ingest", size)
            entry["chroma_build"] = run_worker(
                "chroma-build", str(chroma_path), str(home), str(size), str(work)
            )
            log.info("%d: Chroma warm queries", size)
            entry["chroma"] = run_worker(
                "chroma", str(chroma_path), str(queries), str(args.repeats), str(work)
            )
            entry["chroma"]["cold_s"] = cold_chroma(chroma_path, work, tasks[0], args.cold_runs)
        report["sizes"][str(size)] = summarise(size, entry)
        write_outputs(report, args.out)

    if args.serve_seconds > 0:
        home = work / f"kb-{sizes[0]}"
        log.info("service load on %s for %.0f s", home.name, args.serve_seconds)
        report["service"] = {
            "size": sizes[0],
            **serve_load(home, tasks, args.serve_seconds, args.concurrency),
        }
    if not args.skip_corpus and args.corpus.is_dir():
        log.info("corpus ingest")
        report["corpus"] = corpus_ingest(work, args.corpus)
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    write_outputs(report, args.out)
    log.info("wrote %s", args.out)


def summarise(size: int, entry: dict[str, Any]) -> dict[str, Any]:
    h = entry["hindsight"]
    out: dict[str, Any] = {
        "size": size,
        "hindsight": {
            "index_type": h["index_type"],
            "index_build_s": entry["build"]["faiss_build_s"],
            "catalog_build_s": entry["build"]["catalog_build_s"],
            "build_peak_rss_mb": entry["build"]["peak_rss_mb"],
            "task_p50_ms": percentile(h["task_ms"], 50),
            "task_p99_ms": percentile(h["task_ms"], 99),
            "diff_p50_ms": percentile(h["diff_ms"], 50),
            "diff_p99_ms": percentile(h["diff_ms"], 99),
            "cold_cli_s": statistics.median(h["cold_cli_s"]),
            "cold_cli_runs_s": h["cold_cli_s"],
            "rss_mb": h["rss_mb"],
            "first_pass_task_s": h.get("first_pass_task_s"),
            "recall": h.get("recall"),
        },
    }
    if "sqlite_build_s" in entry:
        out["hindsight"]["sqlite_build_s"] = entry["sqlite_build_s"]
    if "chroma" in entry:
        c = entry["chroma"]
        for name in ("default", "tuned"):
            runs = c[name]
            out[f"chroma_{name}"] = {
                "ingest_s": entry["chroma_build"]["ingest_s"],
                "ingest_per_s": size / entry["chroma_build"]["ingest_s"],
                "task_p50_ms": percentile(runs["task_ms"], 50),
                "task_p99_ms": percentile(runs["task_ms"], 99),
                "diff_p50_ms": percentile(runs["diff_ms"], 50),
                "diff_p99_ms": percentile(runs["diff_ms"], 99),
                "rss_mb": c["rss_mb"],
            }
            hs, cs = out["hindsight"], out[f"chroma_{name}"]
            out[f"ratio_chroma_{name}_over_hindsight"] = {
                key: cs[key] / hs[key] for key in ("task_p50_ms", "task_p99_ms", "diff_p50_ms", "diff_p99_ms")
            }
        out["chroma_default"]["cold_s"] = statistics.median(c["cold_s"])
        out["chroma_default"]["cold_runs_s"] = c["cold_s"]
        out["ratio_chroma_default_over_hindsight"]["cold"] = (
            out["chroma_default"]["cold_s"] / out["hindsight"]["cold_cli_s"]
        )
        out["chroma_encoder_cosine_min"] = c["encoder_cosine_min"]
    return out


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def write_outputs(report: dict[str, Any], out: Path) -> None:
    (out / "results.json").write_text(json.dumps(report, indent=2))
    lines = [
        "# Hindsight vs Chroma (same model, same texts)",
        "",
        f"Run {report['started']}, {report['machine']['cpus']} CPUs. Latencies in ms (warm, same process,"
        " query encoding included), cold = a new process answering one query (median), RSS after the warm"
        " queries. Ratio = Chroma / Hindsight. Both Chroma rows search the same collection (same vectors);"
        " *default embedding fn* embeds the query with Chroma's own ONNX MiniLM code (which pads every"
        " input to 256 tokens), *+ our encoder* with Hindsight's. Chroma returns the 10 nearest vectors;"
        " Hindsight returns its full hybrid result (dense + BM25 + document + scope evidence, why,"
        " confidence, records).",
        "",
        "| size | side | index | build s | task p50 | task p99 | diff p50 | diff p99 | cold s | RSS MB"
        " | ingest/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    write = report.get("hindsight_write_path", {})
    for size, row in report["sizes"].items():
        h = row["hindsight"]
        lines.append(
            f"| {int(size):,} | Hindsight | {h['index_type']}"
            f" | {_fmt(h['index_build_s'])} + {_fmt(h['catalog_build_s'])}"
            f" | {_fmt(h['task_p50_ms'])} | {_fmt(h['task_p99_ms'])} | {_fmt(h['diff_p50_ms'])}"
            f" | {_fmt(h['diff_p99_ms'])} | {_fmt(h['cold_cli_s'], 2)} | {_fmt(h['rss_mb'], 0)}"
            f" | {_fmt(write.get('per_s'), 0)} (10k sample) |"
        )
        for name, label in (("default", "Chroma (default embedding fn)"), ("tuned", "Chroma + our encoder")):
            if f"chroma_{name}" not in row:
                continue
            c = row[f"chroma_{name}"]
            r = row[f"ratio_chroma_{name}_over_hindsight"]
            cold = _fmt(c.get("cold_s"), 2)
            lines.append(
                f"| {int(size):,} | {label} | hnsw | (in ingest)"
                f" | {_fmt(c['task_p50_ms'])} | {_fmt(c['task_p99_ms'])}"
                f" | {_fmt(c['diff_p50_ms'])} | {_fmt(c['diff_p99_ms'])} | {cold}"
                f" | {_fmt(c['rss_mb'], 0)} | {_fmt(c['ingest_per_s'], 0)} |"
            )
            cold_ratio = f"{_fmt(r['cold'], 2)}x" if "cold" in r else ""
            lines.append(
                f"| {int(size):,} | ratio ({name}) | | | {_fmt(r['task_p50_ms'], 2)}x"
                f" | {_fmt(r['task_p99_ms'], 2)}x"
                f" | {_fmt(r['diff_p50_ms'], 2)}x | {_fmt(r['diff_p99_ms'], 2)}x"
                f" | {cold_ratio} | | |"
            )
    lines.append("")
    first = [
        f"{int(size):,}: {row['hindsight']['first_pass_task_s']:.2f} s"
        for size, row in report["sizes"].items()
        if row["hindsight"].get("first_pass_task_s") is not None
    ]
    if first:
        lines.append(
            "- Warm means after one untimed pass over every query (both sides). Hindsight's first pass"
            " over the 100 task queries, in a new process (first touches of postings, vectors and rows): "
            + "; ".join(first)
            + "."
        )
    for size, row in report["sizes"].items():
        recall = row["hindsight"].get("recall")
        if recall:
            parts = [
                f"ef {k[2:]}{' (used)' if int(k[2:]) == recall.get('configured_ef') else ''}:"
                f" recall@10 {v['recall_at_10']:.3f} (task queries {v.get('recall_at_10_tasks', 0):.3f})"
                f" in {v['query_ms']:.2f} ms"
                for k, v in recall.items()
                if k.startswith("ef")
            ]
            lines.append(
                f"- HNSW at {int(size):,}: {'; '.join(parts)}"
                f" (exact search {recall['exact_query_ms']:.2f} ms a query)."
            )
    if write:
        lines.append(
            f"- Hindsight write path (Store.write_documents, 64 documents a transaction, precomputed vectors)"
            f" on 10k constraints: {write['write_s']:.1f} s + reindex {write['reindex_s']:.1f} s"
            f" = {write['per_s']:.0f} constraints/s."
        )
    service = report.get("service")
    if service:
        lines.append(
            f"- `kb serve` at {service['size']:,} constraints,"
            f" {service['concurrency']} concurrent loopback clients"
            f" for {service['seconds']:.0f} s: {service['rps']:.1f} requests/s,"
            f" p50 {service['p50_ms']:.1f} ms,"
            f" p99 {service['p99_ms']:.1f} ms, {service['errors']} errors."
        )
    corpus = report.get("corpus")
    if corpus:
        lines.append(
            f"- Corpus ingest (`kb ingest {corpus.get('path', '../shared/corpus')}`"
            + (f", {corpus['files']:,} files" if corpus.get("files") else "")
            + f", fresh data directory): {corpus['first_s']:.1f} s;"
            f" re-ingest of unchanged files {corpus['unchanged_s']:.1f} s."
        )
        if "seed_cold_query_s" in corpus:
            lines.append(
                f"- Cold `kb query` on the seed KB:"
                f" median {statistics.median(corpus['seed_cold_query_s']):.2f} s"
                f" of {len(corpus['seed_cold_query_s'])} runs."
            )
    lines.append("")
    lines.append("![latency against size](latency.png)")
    (out / "results.md").write_text("\n".join(lines) + "\n")
    plot(report, out / "latency.png")


def plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(report["sizes"], key=int)
    if not sizes:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for side, style in (("hindsight", "-"), ("chroma_default", "--"), ("chroma_tuned", ":")):
        for metric, marker in (("task_p50_ms", "o"), ("diff_p50_ms", "s"), ("task_p99_ms", "^")):
            xs = [int(s) for s in sizes if side in report["sizes"][s]]
            ys = [report["sizes"][s][side][metric] for s in sizes if side in report["sizes"][s]]
            if xs:
                ax.plot(xs, ys, style, marker=marker, label=f"{side} {metric.replace('_ms', '')}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("constraints")
    ax.set_ylabel("warm query latency (ms)")
    ax.set_title("Hindsight (full hybrid) vs Chroma (dense only), same model")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def worker_main(argv: list[str]) -> None:
    command = argv[0]
    if command == "build":
        result = worker_build(Path(argv[1]))
    elif command == "hindsight":
        result = worker_hindsight(Path(argv[1]), Path(argv[2]), int(argv[3]))
    elif command == "chroma-build":
        result = worker_chroma_build(Path(argv[1]), Path(argv[2]), int(argv[3]), Path(argv[4]))
    elif command == "chroma":
        result = worker_chroma(Path(argv[1]), Path(argv[2]), int(argv[3]), Path(argv[4]))
    elif command == "ingest-sample":
        result = worker_ingest_sample(Path(argv[1]), int(argv[2]), Path(argv[3]))
    else:
        raise SystemExit(f"unknown worker {command}")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 1 and sys.argv[1] in ("build", "hindsight", "chroma-build", "chroma", "ingest-sample"):
        worker_main(sys.argv[1:])
    else:
        main()
