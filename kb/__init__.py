"""Forewarn core: constraint records, their store, embeddings, index and retrieval.

The public surface is ``__all__``: adapters (CLI, HTTP, MCP) and scripts use these names, reached
through :class:`KnowledgeBase`, the one front door. Sub-packages: ``storage`` (SQL: the truth),
``embedding`` (text to vectors), ``index`` (FAISS, BM25 and the ranking catalog: rebuildable
caches), ``retrieval`` (ranking a task or diff), ``outputs`` (JSON contract, prompt blocks, gate,
SARIF, rule files), ``lifecycle`` (proposals). Names load on first use: nothing connects to a
database or loads a model at import time.
"""

import importlib
import logging
from typing import Any

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.2.0"

# name -> module that defines it
_PUBLIC = {
    "KnowledgeBase": "kb.service",
    "Lesson": "kb.service",
    "Settings": "kb.settings",
    "ConstraintDraft": "kb.records",
    "DocumentDraft": "kb.records",
    "ConstraintRecord": "kb.records",
    "DocumentRecord": "kb.records",
    "ChangeRecord": "kb.records",
    "FailureRecord": "kb.records",
    "KeyRecord": "kb.records",
    "QueryResult": "kb.retrieval.results",
    "Hit": "kb.retrieval.results",
    "Principal": "kb.auth",
    "KBError": "kb.errors",
    "ConfigError": "kb.errors",
    "InputError": "kb.errors",
    "DocumentError": "kb.errors",
    "NotFoundError": "kb.errors",
    "AuthError": "kb.errors",
    "ForbiddenError": "kb.errors",
    "StoreError": "kb.errors",
    "EmbedderError": "kb.errors",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
