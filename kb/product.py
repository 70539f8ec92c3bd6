"""The product's name as reports, rule files, SARIF and MCP show it, and its installed version.

The product was first called Hindsight; the ``LEGACY_`` names are what earlier versions wrote, kept
where reading them again is cheap (ack trailers, rule ids, rule-file markers, MCP resource URIs).
"""

from __future__ import annotations

from importlib import metadata
from typing import Final

NAME: Final = "Forewarn"
DISTRIBUTION: Final = "forewarn"
LEGACY_NAME: Final = "Hindsight"
LEGACY_DISTRIBUTION: Final = "hindsight"


def version() -> str:
    """The installed distribution's version; "0" from a source tree that was never installed."""
    # A development venv installed before the rename still carries the old distribution's metadata.
    for name in (DISTRIBUTION, LEGACY_DISTRIBUTION):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "0"
