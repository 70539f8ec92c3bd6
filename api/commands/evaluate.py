"""``forewarn eval FILE``: score the knowledge base against your own questions and their documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli import app, emit_json, open_kb

if TYPE_CHECKING:
    from kb.evaluation import EvalReport


@app.command("eval")
def evaluate_command(
    file: Annotated[
        Path,
        typer.Argument(
            help='JSONL, one query a line: {"id", "kind": "task"|"diff", "query", "relevant": [paths]}.'
        ),
    ],
    k: Annotated[
        int, typer.Option("--k", "-k", help="Documents ranked and shown per query.", min=1, max=50)
    ] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Measure retrieval on a query set: recall@1/5/10, hit@5, MRR@10 and nDCG@10, by kind."""
    from kb.evaluation import evaluate_knowledge_base, load_queries

    queries = load_queries(file)
    report = evaluate_knowledge_base(open_kb(), queries, k=k)
    if as_json:
        emit_json(report.to_dict())
        return
    _print_report(report)


def _print_report(report: EvalReport) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from kb.evaluation import METRICS

    console = Console(highlight=False, soft_wrap=True)
    table = Table(title="Relevance by kind (negative queries are counted apart)")
    for column in ("kind", "queries", *METRICS, "negatives strong"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    for kind, s in report.summary().items():
        table.add_row(
            kind,
            f"{int(s['queries'])}+{int(s['negatives'])}",
            *(f"{s[m]:.3f}" for m in METRICS),
            f"{int(s['negatives_with_strong'])}/{int(s['negatives'])}",
        )
    console.print(table)
    for outcome in report.outcomes:
        q = outcome.query
        relevant = set(q.relevant)
        if q.is_negative:
            verdict = "negative: " + (
                "a strong result (should be none)" if outcome.strong else "no strong result"
            )
        else:
            verdict = f"recall@5 {outcome.metrics['recall@5']:.2f}, mrr {outcome.metrics['mrr@10']:.2f}"
        console.print(f"[bold]{escape(q.id)}[/] ({q.kind}) {verdict}")
        for rank, doc in enumerate(outcome.ranked, 1):
            mark = "[green]✓[/]" if doc.path in relevant else " "
            console.print(
                f"  {mark} {rank:>2}. {escape(doc.path)} [dim]({doc.confidence}, {doc.score:.3f})[/]"
            )
        for path in q.relevant:
            if path not in {d.path for d in outcome.ranked}:
                console.print(f"  [red]✗[/] not ranked: {escape(path)}")
