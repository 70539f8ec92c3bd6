"""Command groups of the ``forewarn`` CLI, one module each; every module here registers itself on import."""
