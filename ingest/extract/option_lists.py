"""An ADR's options told as Advantages/Disadvantages (Pros/Cons) lists, and rules in its context.

Many ADRs weigh each option under its own heading ("### 1. django-fsm-2") with an "Advantages" and a
"Disadvantages" list, or in a paragraph per option ("**Option 2:** ...") followed by "Cons: ...".
The decision names the option chosen ("(#1) Use django-fsm-2", "a form (Option 1)") or the option is
marked ("[SELECTED] Option 1"). Two things a reader must carry are in those lists:

- the disadvantages of the chosen option are consequences the team lives with from now on ("Does
  not prevent ORM-level bypasses: ..."): kept as "<option>: <disadvantage>";
- the disadvantages of an option not chosen are why it lost, as a MADR "Bad, because X" item is
  (``options.py``): kept as "<option>: bad, because <disadvantage>".

Which option won is known only once the whole document is read, so options and their lists are
collected first. An ADR's context may also state a rule the decision serves ("The project has a
strong preference for state security: transitions should be enforced in code"): a passive "X
should/must be done" clause there is a constraint (``context_rules``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.extract.candidate import Candidate, _sentence_lines, block_role
from ingest.extract.finalize import _key
from ingest.extract.patterns import _BAD_BECAUSE, _DECIDED_LEAD, _DECIDED_RULE, _OPTIONS_HEADING
from ingest.extract.text import clean_text, is_imperative, split_sentences
from ingest.extract.words import _capitalize, word_count
from ingest.sections import Block, Outline

# a disadvantage needs this many words to say what the team must carry or why an option lost
MIN_CONS_WORDS = 6
# the first disadvantages of an option are its main ones; later ones add detail
MAX_CONS_PER_OPTION = 3
MAX_REASONS_PER_REJECTED = 2

# a heading or paragraph lead that opens an option's list of disadvantages ("#### Disadvantages",
# "❌ Cons:", "Negative consequences")
_CONS_LEAD = re.compile(
    r"^\W*(?:cons|disadvantages?|drawbacks?|downsides?|negatives?(?: consequences)?)\s*:?\s*", re.IGNORECASE
)
# an option's name: "1. django-fsm-2", "Option 2: Call a URL path", "[SELECTED] Option 1"
_OPTION_NUMBER = re.compile(
    r"^\W*(?:\[?(?:selected|chosen|accepted)\]?\s*)?(?:option\s*)?(\d+)[a-z]?\b", re.I
)
# an option marked as the one chosen
_OPTION_MARKED = re.compile(
    r"\[(?:selected|chosen|accepted)\]|\((?:selected|chosen|accepted)\)|✅\s*chosen", re.I
)
# the decision naming an option by number: "(#1) Use django-fsm-2", "a form (Option 1)"
_DECISION_NUMBER = re.compile(r"(?:\(#|\boption\s+#?)(\d+)\b", re.I)
# a disadvantage opened by the option's own verb ("Does not prevent ...", "Requires a rewrite"):
# the option's name is its subject
_THIRD_PERSON_LEAD = re.compile(
    r"^(?:does|doesn't|is|isn't|has|requires|needs|lacks|adds|uses|relies|depends|cannot|can't|will|would|may)\b",
    re.I,
)
# a context clause that states a rule in the passive: "transitions should be enforced in code"
_PASSIVE_RULE = re.compile(
    r"^(?:[A-Z][\w\s-]{0,80}:\s+)?((?:all\s+|direct\s+)?[a-z][\w-]*(?:\s+[\w-]+){0,4}?\s+(?:should|must)\s+(?:not\s+|always\s+|never\s+)?be\s+\w+ed\b.*)$"
)


@dataclass
class _Option:
    name: str
    marked: bool = False
    cons: list[tuple[str, Block, str]] = field(default_factory=list)  # (text, block, section)


def _option_name(block: Block, path: tuple[str, ...]) -> str:
    """The option a block stands under: the heading below "Considered Options", or ""."""
    names = [
        p
        for p in path
        if not _CONS_LEAD.fullmatch(p.strip()) and not re.match(r"^\W*(?:pros?|advantages?)\W*$", p, re.I)
    ]
    for i, p in enumerate(names[:-1]):
        if _OPTIONS_HEADING.match(p.strip()):
            return clean_text(names[i + 1]).rstrip(" :.")
    return ""


def _bare(name: str) -> str:
    """An option's name without its number and mark: "1. django-fsm-2" -> "django-fsm-2"."""
    name = _OPTION_MARKED.sub("", name)
    return re.sub(r"^\W*(?:option\s*)?\d+[a-z]?\s*[.:)]?\s*", "", name, flags=re.I).strip(" :.")


def _lower_first(text: str) -> str:
    """ "Does not prevent" -> "does not prevent"; an acronym ("AGPL-3.0 license") keeps its case."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _is_chosen(option: _Option, decision: str) -> bool:
    if option.marked:
        return True
    number = _OPTION_NUMBER.match(option.name)
    told = {m.group(1) for m in _DECISION_NUMBER.finditer(decision)}
    if number and told:
        return number.group(1) in told
    key = _key(_bare(option.name))
    return bool(key) and key <= _key(decision)


def _collect(outline: Outline, kind: str, title: str) -> tuple[dict[str, _Option], str]:
    """The options with their disadvantages, and the decision's first paragraph."""
    options: dict[str, _Option] = {}
    decision = ""
    current = ""  # an option told as a paragraph ("**Option 2:** ...") until the next one
    for block in outline.blocks:
        role, section = block_role(block, kind, title)
        if role == "decision" and block.type == "paragraph" and not decision:
            decision = clean_text(block.text.text)
        if role != "options" or block.type not in ("item", "paragraph"):
            continue
        text = clean_text(block.text.text)
        label = (block.bold_label or "").strip(" :")
        if block.type == "paragraph" and label and _OPTION_NUMBER.match(label):
            current = label
            options.setdefault(label, _Option(label, marked=bool(_OPTION_MARKED.search(label))))
            continue
        under_heading = _CONS_LEAD.fullmatch(block.path[-1].strip()) if block.path else None
        lead = _CONS_LEAD.match(text) if block.type == "paragraph" else None
        if not (under_heading and block.type == "item") and not lead:
            continue
        name = _option_name(block, block.path) if under_heading else current
        if not name:
            continue
        option = options.setdefault(name, _Option(name, marked=bool(_OPTION_MARKED.search(name))))
        body = text[lead.end() :] if lead else text
        option.cons.append((body, block, section))
    return options, decision


def option_list_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Consequences of the chosen option and reasons against the others, from their cons lists."""
    if kind != "adr":
        return []
    options, decision = _collect(outline, kind, title)
    if not decision or len(options) < 2:
        return []
    chosen = [o for o in options.values() if _is_chosen(o, decision)]
    if len(chosen) != 1:
        return []  # no choice told, or an ambiguous one: do not risk arguing against it
    out: list[Candidate] = []
    for option in options.values():
        is_chosen = option is chosen[0]
        name = _capitalize(_bare(option.name) or _OPTION_MARKED.sub("", option.name).strip())
        kept = 0
        for body, block, section in option.cons:
            if word_count(body) < MIN_CONS_WORDS or _BAD_BECAUSE.match(body):
                continue  # a "Bad, because" item is read by options.py
            if kept >= (MAX_CONS_PER_OPTION if is_chosen else MAX_REASONS_PER_REJECTED):
                break
            kept += 1
            if is_chosen:
                # "Django-fsm-2 does not prevent ...", but "Take X into service: may require ..."
                lead = _THIRD_PERSON_LEAD.match(body) and not is_imperative(name)
                stmt = f"{name} {_lower_first(body)}" if lead else f"{name}: {body}"
                role = "consequence"
            else:
                stmt, role = f"{name}: bad, because {_lower_first(body)}", "rejected"
            out.append(Candidate(stmt, section, role, block.line_start, block.line_end, block.type))
    return out


def context_rules(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Rules an ADR's context states in the passive: "transitions should be enforced in code"."""
    if kind != "adr":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        role, section = block_role(block, kind, title)
        if role != "skip" or block.type != "paragraph" or not re.search(r"\bcontext\b", section, re.I):
            continue
        text = block.text
        for s, e in split_sentences(text.text):
            cleaned = clean_text(text.text[s:e])
            decided = _DECIDED_LEAD.match(cleaned)  # "Therefore, we decided that users should not X"
            if decided and _DECIDED_RULE.search(cleaned[decided.end() :]):
                cleaned = cleaned[decided.end() :]  # the rule decided, read as a context rule
            m = _PASSIVE_RULE.match(cleaned)
            if not m or word_count(m.group(1)) < MIN_CONS_WORDS:
                continue
            ls, le = _sentence_lines(text, s, e)
            out.append(Candidate(_capitalize(m.group(1)), section, "context", ls, le, "sentence"))
    return out
