"""The HTTP service (FastAPI), started by ``kb serve``."""
