"""``python -m api.cli``: the same entry point as the ``kb`` console script."""

from api.cli import main

main()
