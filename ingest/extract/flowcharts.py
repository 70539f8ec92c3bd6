"""A runbook told as a Mermaid flowchart: its action boxes are steps, its warning boxes rules.

A decision tree drawn as ``flowchart TD`` keeps every step in a node label ("Flip checkout reads to
primary") and the case in the question above it ("Is checkout reading from a replica?" -> yes).
The chart is a code block, so the walker never read it. Each action box gives one step with the
question and answer that lead to it; a box whose class names a danger (``:::danger``, ``:::warn``)
or whose label opens with "Never"/"Do not" is a rule, kept as told. Start and end events (stadium
and circle shapes: "Lag alert fires") and questions (diamonds) give nothing of their own.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, block_role
from ingest.extract.text import clean_text
from ingest.extract.words import word_count
from ingest.sections import Outline

_CHART = re.compile(r"^\s*(?:flowchart|graph)\s+(?:TD|TB|BT|LR|RL)\b")
# "A --> B", "A -->|yes| B", "A -- yes --> B", "A -.-> B", "A ==> B"
_EDGE = re.compile(r"\s*(?:-->|==>|-\.->|---|--\s+([^->|]+?)\s+-->)\s*(?:\|([^|]*)\|)?\s*")
# a node: its id, then a shape with its label, then an optional class
_NODE = re.compile(
    r"^(?P<id>[\w-]+)\s*(?P<shape>\(\[.*?\]\)|\(\(.*?\)\)|\{\{.*?\}\}|\{.*?\}|\[/.*?/\]|\[\\.*?\\\]|"
    r"\[\(.*?\)\]|\[.*?\]|\(.*?\)|>.*?\])?\s*(?::::(?P<cls>[\w-]+))?\s*$"
)
_NOT_A_PATH = ("%%", "classDef", "class ", "style ", "subgraph", "end", "linkStyle", "click ")
_DANGER_CLASS = re.compile(r"danger|warn|never|critical|stop|forbid|dont|red", re.I)
_AUX = re.compile(r"^(?:is|are|does|do|did|has|have|can|was|were)\s+", re.I)
_NEVER_LABEL = re.compile(r"^(?:never|do not|don'?t|avoid)\b", re.I)
MIN_STEP_WORDS = 3


def _label(shape: str) -> str:
    inner = shape
    while inner[:1] in "([{/\\>" and inner[-1:] in ")]}/\\":
        inner = inner[1:-1] if inner[:1] != ">" else inner[1:]
    text = re.sub(r"<br\s*/?>", " ", inner.strip('"'), flags=re.I)
    return re.sub(r"\s+", " ", clean_text(text)).strip()


def _parse(text: str) -> tuple[dict[str, tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Nodes (id -> label, shape kind, class) and edges (from, to, answer) of a flowchart."""
    nodes: dict[str, tuple[str, str, str]] = {}
    edges: list[tuple[str, str, str]] = []
    for line in text.split("\n")[1:]:
        line = line.strip()
        if not line or line.startswith(
            ("%%", "classDef", "class ", "style ", "subgraph", "end", "linkStyle")
        ):
            continue
        parts = _EDGE.split(line)
        # re.split with two groups: node, label1, label2, node, ...
        ids: list[str] = []
        answers: list[str] = []
        for i in range(0, len(parts), 3):
            m = _NODE.match(parts[i].strip())
            if not m:
                ids = []
                break
            nid, shape = m.group("id"), m.group("shape") or ""
            if shape:
                kind = (
                    "question" if shape.startswith("{") else "event" if shape[:2] in ("([", "((") else "box"
                )
                nodes[nid] = (_label(shape), kind, m.group("cls") or "")
            elif m.group("cls") and nid in nodes:
                nodes[nid] = (nodes[nid][0], nodes[nid][1], m.group("cls"))
            ids.append(nid)
            if i + 2 < len(parts):
                answers.append((parts[i + 1] or parts[i + 2] or "").strip())
        for a, b, ans in zip(ids, ids[1:], answers, strict=False):
            edges.append((a, b, ans))
    return nodes, edges


def _as_case(question: str, answer: str) -> str:
    """ "Is checkout reading from a replica?" + yes -> "checkout reading from a replica"; + no ->
    "not checkout reading from a replica"; another answer is named: "<question>: <answer>"."""
    q = question.split("?")[0].strip()
    q = _AUX.sub("", q)
    q = q[:1].lower() + q[1:] if not re.match(r"^[A-Z]{2}", q) else q
    a = answer.strip().lower()
    if a in ("yes", "y", "true"):
        return q
    if a in ("no", "n", "false"):
        return f"not {q}"
    return f"{q}: {a}"


def _case(nid: str, nodes: dict[str, tuple[str, str, str]], edges: list[tuple[str, str, str]]) -> str:
    """The nearest question and answer above a box ("Is X?" yes), through boxes before it."""
    seen = {nid}
    frontier = nid
    for _ in range(6):
        incoming = [(a, ans) for a, b, ans in edges if b == frontier and a not in seen]
        if len(incoming) != 1:
            return ""
        src, ans = incoming[0]
        label, kind, _ = nodes.get(src, ("", "box", ""))
        if kind == "question" and ans:
            return _as_case(label, ans)
        seen.add(src)
        frontier = src
    return ""


def flowchart_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Steps and rules of a runbook's Mermaid flowcharts."""
    if kind != "runbook":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type != "code" or not _CHART.match(block.text.text):
            continue
        _, section = block_role(block, kind, title)
        nodes, edges = _parse(block.text.text)
        ls, le = block.line_start, block.line_end
        for nid, (label, shape, cls) in nodes.items():
            if shape != "box" or word_count(label) < MIN_STEP_WORDS:
                continue
            stmt = label[:1].upper() + label[1:]
            if _DANGER_CLASS.search(cls) or _NEVER_LABEL.match(label):
                rule = re.sub(r"\s+-\s+", "; ", stmt).rstrip(".") + "."
                out.append(Candidate(rule, section, "lesson", ls, le, "item"))
                continue
            case = _case(nid, nodes, edges)
            stmt = stmt.rstrip(".") + "."
            stmt = (
                f"If {case}, {stmt[:1].lower()}{stmt[1:]}"
                if case and not re.match(r"^[A-Z]{2}", stmt)
                else stmt
            )
            out.append(Candidate(stmt, section, "mitigation", ls, le, "item"))
    return out


__all__ = ["flowchart_candidates"]
