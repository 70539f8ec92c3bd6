"""Adapters around the core: the command line (``api.cli``) and, later, HTTP and MCP."""
