"""``python -m api.cli``: the same entry point as the ``forewarn`` (and ``kb``) console script."""

from api.cli import main

main()
