"""What an ADR's considered options say beyond the choice: why the others lost, and what all share.

A MADR-style ADR lists each option with its pros and cons ("Use square brackets" / "Bad, because
confusion with markdown notation for links"). The decision record names the chosen option only; the
reasons against the options not chosen are what a reader must know before proposing one of them
again, so each "Bad, because X" of a rejected option is a record, told as "<option>: bad, because X".
The option is the item the reason is nested under, else the heading of its section (a "Pros/cons"
heading defers to the one above it). Which option won is known only once the whole document is read
(the outcome may come before or after the pros and cons), so the reasons are collected with their
option and filtered at the end. What every option shares ("In both scenarios, X would ...") holds
whatever is chosen.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines
from ingest.extract.finalize import _key, with_title_purpose
from ingest.extract.patterns import _ANAPHORA, _BAD_BECAUSE, _OPTIONS_HEADING, _PROS_CONS_HEADING, MIN_WORDS
from ingest.extract.text import clean_text, is_imperative, split_sentences
from ingest.extract.words import _capitalize, word_count
from ingest.narrative import all_options_statement
from ingest.sections import Block

# a reason needs this many words to say what goes wrong
MIN_REASON_WORDS = 4
# the first reasons against an option are its main ones; later ones add detail
MAX_REASONS_PER_OPTION = 2
# at most this many rejected-option reasons per document: the rest repeat the same comparison
MAX_REJECTED_REASONS = 6


def all_options_candidates(block: Block, section: str) -> list[Candidate]:
    """What every considered option shares ("In both scenarios, X would ...") holds whatever is chosen."""
    text = block.text
    scope = False
    out: list[Candidate] = []
    for s, e in split_sentences(text.text):
        cleaned = clean_text(text.text[s:e])
        stmt, scope = all_options_statement(cleaned, in_scope=scope)
        if not stmt or word_count(stmt) < MIN_WORDS + 1 or _ANAPHORA.match(stmt):
            continue
        ls, le = _sentence_lines(text, s, e)
        out.append(Candidate(stmt, section, "decision", ls, le, "sentence", block.code_spans))
    return out


def option_of(block: Block, blocks: list[Block]) -> str:
    """The option a pros/cons item argues about: its parent item, else its section heading."""
    if block.parent is not None and blocks[block.parent].type == "item":
        return clean_text(blocks[block.parent].text.text).rstrip(" :.")
    path = [p for p in block.path if not _PROS_CONS_HEADING.match(p.strip())]
    if len(path) < 2 or _OPTIONS_HEADING.match(path[-1].strip()):
        return ""  # a reason straight under "Pros and Cons of the Options" names no option
    return clean_text(path[-1]).rstrip(" :.")


def rejected_reason(block: Block, blocks: list[Block], section: str) -> tuple[str, Candidate] | None:
    """(option, record) for a "Bad, because X" item of an option."""
    if block.type != "item":
        return None
    cleaned = clean_text(block.text.text)
    bad = _BAD_BECAUSE.match(cleaned)
    option = option_of(block, blocks)
    if not bad or not option or _BAD_BECAUSE.match(option):
        return None
    reason = cleaned[bad.end() :].strip()
    if word_count(reason) < MIN_REASON_WORDS:
        return None
    stmt = f"{_capitalize(option)}: bad, because {reason}"
    return option, Candidate(stmt, section, "rejected", block.line_start, block.line_end, "item")


def is_chosen(option: str, chosen: str, title: str) -> bool:
    """Whether an option is the one the ADR chose (by its words: the outcome names it, the title
    often restates it)."""
    key = _key(option)
    if not key:
        return True  # nothing to compare: do not risk arguing against the choice
    for told in (chosen, title):
        other = _key(told)
        if other and (key <= other or other <= key or len(key & other) / len(key | other) >= 0.5):
            return True
    return False


def rejected_reasons(found: list[tuple[str, Candidate]], chosen: str, title: str) -> list[Candidate]:
    """The reasons against the options the ADR did not choose (none when no choice is told)."""
    if not chosen:
        return []
    kept: list[Candidate] = []
    per_option: dict[str, int] = {}
    for option, c in found:
        if is_chosen(option, chosen, title) or per_option.get(option, 0) >= MAX_REASONS_PER_OPTION:
            continue
        per_option[option] = per_option.get(option, 0) + 1
        kept.append(c)
    return kept[:MAX_REJECTED_REASONS]


# --- the chosen option ("Chosen option: X, because Y")

# a quoted option that holds quotes or a "because" of its own ("'More Information'", "Neutral, because
# ..."): the option runs to the closing double quote, not to the first quote or "because" inside it
_CHOSEN_QUOTED = re.compile(
    r"^chosen (?:option|alternative)s?\s*:?\s*[\"“](.+?)[\"”]\s*(?:[,;.]?\s*(?:because\b\s*(.*))?)?$",
    re.IGNORECASE | re.DOTALL,
)
# a title that already names the choice's verb: "Use X for Y", "Choose a database"
_TITLE_CHOICE = re.compile(r"^(?:use|adopt|choose|select|pick|prefer|decide)\b", re.IGNORECASE)
TITLED_OPTION_MAX_WORDS = 8  # a longer chosen option names its own subject


def chosen_decision(m: re.Match[str], title: str) -> tuple[str, str, str]:
    """(the chosen option, the decision statement, its rationale) of a ``_CHOSEN`` match under ``title``."""
    quoted = _CHOSEN_QUOTED.match(m.string)
    if quoted:
        m = quoted
    option = m.group(1).strip().strip("\"“”'" if not quoted else "")
    because = (m.group(2) or "").strip()
    title_words = _key(title)
    bare_title = title.strip().rstrip(".")
    # a title that asks for something ("Support links to other ADRs") and a chosen option that
    # says how without naming what ("Include in section 'More Information'"): the title gives
    # the subject; a "Use X for Y" title is handled below and by the title purpose
    titled = is_imperative(bare_title) and not _TITLE_CHOICE.match(bare_title)
    titled = titled and (not is_imperative(option) or not (_key(option) & title_words))
    if is_imperative(title) and word_count(option) < 5 and _key(option) <= title_words:
        # "Chosen option: asterisk" under the title "Use asterisk as list marker"
        stmt = _capitalize(bare_title)
    elif titled and word_count(option) <= TITLED_OPTION_MAX_WORDS:
        stmt = f"{_capitalize(bare_title)}: {option}"
    elif is_imperative(option):
        stmt = _capitalize(option)
    else:
        topic = re.match(r"^(?:use|adopt|choose|select|pick)\s+.+?\s+(?:for|as)\s+(.+)$", title, re.I)
        stmt = f"Use {option} for {topic.group(1)}" if topic else f"Use {option} ({title})"
    extra = ""
    if because and not re.match(r"^(?:it\s+)?comes? out (?:best|bets)", because, re.I):
        extra = "Chosen because " + because.rstrip(".") + "."
    return option, with_title_purpose(stmt, title), extra
