"""Trust the content: what a document brings in is cleaned once, before anything is stored.

* :mod:`kb.safety.redaction`: secrets and personal data become ``[REDACTED:<type>]``.
* :mod:`kb.safety.injection`: text that reads as an instruction to a model is neutralised and flagged.
* :mod:`kb.safety.sanitize`: both applied to a whole draft; ``KnowledgeBase.add_documents`` calls
  :func:`~kb.safety.sanitize.sanitize_drafts`, so every write path goes through it.
* :mod:`kb.safety.migrate`: the same cleaning for a store written before it existed.
* :mod:`kb.safety.logfilter`: a logging filter that redacts what handlers emit.

Nothing is imported here: the CLI installs the log filter on every start, and compiling the
patterns costs tenths of a second that a cold ``kb query`` must not pay.
"""
