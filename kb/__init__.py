"""Hindsight core: constraint records, their store, embeddings, index and retrieval.

Nothing here connects to a database or loads a model at import time.
"""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
