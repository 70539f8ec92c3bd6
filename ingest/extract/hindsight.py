"""Hindsight told as a condition or a preference ("If we had monitored X, we would have caught Y",
"Had we pinned X, ...", "It's better not to rush a fix"), rewritten as the rule it implies."""

from __future__ import annotations

from ingest.extract.patterns import _BETTER_NOW, _IF_WE_HAD
from ingest.extract.words import _capitalize, _gerund_to_imperative, first_word
from ingest.narrative import participle_verb
from ingest.vocabulary import IMPERATIVE_VERBS


def hindsight_rule(t: str) -> str:
    """ "If we had monitored X, we would have caught Y" -> "Monitor X"; "If we had been pinning
    X, ..." -> "Pin X"; "If we had had an alert on X, ..." -> "Add an alert on X"; "It's better not
    to X" -> "Do not X"; "" for other shapes, or when the verb is no known step (what was known or
    realised says no rule)."""
    t = t.strip()
    m = _IF_WE_HAD.match(t)
    if m:
        pp, what = m.group("pp").lower(), m.group("what").strip()
        if pp == "been":  # "If we had been monitoring X": the gerund carries the verb
            gerund, _, what = what.partition(" ")
            verb = _gerund_to_imperative(gerund.lower()) if what else None
        elif pp == "had":  # "If we had had an alert on X": the safeguard was missing
            verb = "add"
        else:
            verb = participle_verb(pp)
        if not verb or verb not in IMPERATIVE_VERBS:
            return ""
        return _capitalize(f"{verb} {what}").rstrip(" .") + "."
    from ingest.extract.text import is_imperative  # text.py reads story advice, which reads this

    m = _BETTER_NOW.match(t)
    rest = t[m.end() :] if m else ""
    if not m or not (first_word(rest) in IMPERATIVE_VERBS or is_imperative(_capitalize(rest))):
        return ""
    return ("Do not " + rest) if m.group("neg") else _capitalize(rest)
