"""Command groups of the ``kb`` CLI, one module each; every module here registers itself on import."""
