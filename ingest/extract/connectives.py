"""A sentence opening on a connective that ties it to the sentences before it.

"For these reasons, the metrics endpoint will be served on the same port as the application
traffic" concludes from what came before; the decision it states stands alone without the lead.
Like an additive lead ("Finally, ..."; ``patterns._ADDITIVE_LEAD``), the lead is dropped only when a
rule then rewrites the sentence ("Serve the metrics endpoint on the same port ..."); otherwise the
sentence stays as written.
"""

from __future__ import annotations

import re

_REASONED_LEAD = re.compile(
    r"^(?:for (?:these|this|those|the above) reasons?|therefore|hence|thus|consequently|as a result)"
    r",\s+(?=\w)",
    re.IGNORECASE,
)
