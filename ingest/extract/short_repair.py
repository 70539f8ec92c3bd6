"""An incident page whose whole repair is one short passive line: "Resolution: Pod restarted."

Such a page ("Incident on 2021-11-05 - ModSec ingress controller is erroring") tells its lesson in
two places: the failure in its title and the repair in two words. Alone, "Restart the pod" is too
short to stand as a record, so it was dropped and the page gave a field label instead. Joined to
the failure its title names, it is the page's lesson: "When ModSec ingress controller is erroring,
restart the pod." Used only as the last fallback of a page with no action, lesson or resolution
step (``Extractor.run``).
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate
from ingest.extract.text import clean_text
from ingest.sections import Block
from ingest.vocabulary import IMPERATIVE_VERBS

# "Pod restarted.", "Nodes replaced", "Ingress controller redeployed.": a noun phrase of one to
# three words and the verb that repaired it
_SHORT_PASSIVE = re.compile(
    r"^(?P<thing>(?:[A-Za-z][\w-]*\s+){1,3}?)(?:was\s+|were\s+)?(?P<verb>[a-z]{3,}ed)\.?$"
)
# "Incident on 2021-11-05 - ModSec ingress controller is erroring": the failure after the date
_TITLED_FAILURE = re.compile(r"^incident\s+on\s+[\d-]+\s*[-–—:]\s*(?P<failure>.{8,})$", re.IGNORECASE)


def _base(verb: str) -> str | None:
    for base in (verb[:-2], verb[:-1], verb[:-3] if verb[-3:-2] == verb[-4:-3] else ""):
        if base in IMPERATIVE_VERBS:
            return base
    return None


def short_repair(block: Block, section: str, title: str) -> Candidate | None:
    """The repair of a one-line passive resolution item, joined to the failure the title names."""
    failure = _TITLED_FAILURE.match(title.strip())
    m = _SHORT_PASSIVE.match(clean_text(block.text.text).strip())
    if block.type != "item" or failure is None or m is None:
        return None
    base = _base(m.group("verb"))
    if base is None:
        return None
    what = failure.group("failure").strip().rstrip(".")
    thing = m.group("thing").strip().lower()
    first = what.split()[0]
    # "Ingress controllers crashlooping" reads lower-cased after "When"; "ModSec ..." keeps its case
    what = what[:1].lower() + what[1:] if first[1:].islower() else what
    stmt = f"When {what}, {base} the {thing}."
    return Candidate(stmt, section, "resolution", block.line_start, block.line_end, "item", block.code_spans)
