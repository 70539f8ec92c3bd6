"""A postmortem that tries to run script in a reader's browser, for the sanitization tests."""

PATH = "postmortems/2025-05-05-hostile-markup.md"
TEXT = """---
title: Wombat cache stampede
date: 2025-05-05
services: [wombat-cache]
---
# Wombat cache stampede

<script>window.__pwned = "script";</script>

## Summary

The wombat cache expired every key at once and the origin fell over.
<img src="x" onerror="window.__pwned = 'onerror'">
<a href="javascript:window.__pwned='link'">details</a>
<iframe src="https://example.com/"></iframe>

## Action Items

- Jitter wombat cache expiry times so that keys never expire together.

## Timeline

- 10:02 the origin fell over.
"""
