"""`fanzha text …` (score, train, eval, crosseval) and `fanzha bench text`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # the metrics pull in NumPy: imported where a command needs them
    from fanzha.text.metrics import Report

app = typer.Typer(
    help="The text model: score messages, train and evaluate on labelled data.", no_args_is_help=True
)
console = Console()
ModelOption = Annotated[Path | None, typer.Option(help="model file (default: the packaged model)")]


@app.command()
def score(
    input: Annotated[Path, typer.Option("--input", exists=True, dir_okay=False, help="JSONL of {id, text}")],
    output: Annotated[Path, typer.Option("--output", help="JSONL results, one per input line")],
    model: ModelOption = None,
) -> None:
    """Score each line; a bad line gets an error record and the rest is still scored."""
    from fanzha.text.model import load_model
    from fanzha.text.service import score_lines

    scorer = load_model(model)
    errors = total = 0
    with input.open(encoding="utf-8", errors="replace") as source, output.open("w", encoding="utf-8") as sink:
        for result in score_lines(source, scorer):
            total += 1
            errors += "error" in result
            sink.write(json.dumps(result, ensure_ascii=False) + "\n")
    console.print(f"scored {total - errors} of {total} lines; {errors} rejected → {output}")


@app.command()
def train(
    data: Annotated[Path | None, typer.Option(help="labelled CSV/JSONL (columns text,label)")] = None,
    out: Annotated[Path | None, typer.Option(help="where to write the model")] = None,
    default: Annotated[bool, typer.Option("--default", help="rebuild the packaged default model")] = False,
) -> None:
    """Train deterministically on your own labelled data, or rebuild the default model."""
    from fanzha.text.data import load_labelled
    from fanzha.text.model import DEFAULT_MODEL_PATH
    from fanzha.text.train import fit, train_default

    started = time.perf_counter()
    if default:
        model, target = train_default(), out or DEFAULT_MODEL_PATH
    elif data is not None and out is not None:
        loaded = load_labelled(data)
        console.print(f"{len(loaded.examples)} examples, {loaded.skipped} rows skipped")
        model, target = fit(loaded.examples), out
    else:
        raise typer.BadParameter("give --data and --out, or --default")
    model.save(target)
    console.print(f"model written to {target} in {time.perf_counter() - started:.1f} s")


@app.command("eval")
def eval_command(
    data: Annotated[Path, typer.Option(exists=True, help="labelled CSV/JSONL, or a research-set directory")],
    model: ModelOption = None,
) -> None:
    """Per-type precision/recall/F1, ROC-AUC, recall at 1 % and 5 % false positives, confusion matrix."""
    from fanzha.text.data import load_labelled
    from fanzha.text.metrics import evaluate
    from fanzha.text.model import load_model

    loaded = load_labelled(data)
    console.print(f"{len(loaded.examples)} examples, {loaded.skipped} rows skipped")
    print_report(evaluate(load_model(model), loaded.examples))


@app.command()
def crosseval(
    datasets: Annotated[Path | None, typer.Option(help="directory holding the research sets")] = None,
) -> None:
    """Every model on sources it never trained on: the default model, the recipe trained without each
    generator family, and the TF-IDF + LR baseline trained on the research sets; then the worst cases."""
    from fanzha.text.crosseval import auc, recall_at_1pct, sources, unseen, worst_case
    from fanzha.text.crosseval import crosseval as run
    from fanzha.text.model import load_model

    rows = run(sources(datasets), load_model(), progress=lambda msg: console.print(f"[dim]{msg}[/dim]"))
    table = Table(
        "model", "trained on", "tested on", "unseen", "n", "ROC-AUC", "R@1%FPR", "R@5%FPR", "FPR@0.7",
        "R@0.7", "acc", "type acc",
    )  # fmt: skip
    for row in rows:
        table.add_row(
            row.model, row.trained_on, row.tested_on, "yes" if unseen(row) else "", *_cells(row.report)
        )
    wide = Console(width=max(console.width, 170))
    wide.print(table)
    for name, measure in (("ROC-AUC", auc), ("recall at 1 % FPR", recall_at_1pct)):
        for model, row in worst_case(rows, measure).items():
            wide.print(
                f"worst unseen source for {model} by {name}: {row.tested_on} (trained on {row.trained_on}): "
                f"{_num(measure(row.report))}"
            )


def _cells(r: Report) -> list[str]:
    return [
        str(r.n), _num(r.auc), _num(r.recall_at_fpr[0.01]), _num(r.recall_at_fpr[0.05]), _num(r.fpr_at[0.7]),
        _num(r.recall_at_line[0.7]), _num(r.binary_accuracy), _num(r.type_accuracy),
    ]  # fmt: skip


def bench_text(
    messages: Annotated[int, typer.Option(min=100, help="unique messages to score")] = 5000,
    model: ModelOption = None,
) -> None:
    """Messages per second per core on unique messages, one at a time and in batches, with the
    TF-IDF + LR baseline run in the same process; model load time; memory hits on their own row."""
    from fanzha.text.bench import run

    r = run(messages, model)
    console.print(
        f"model load: {r.load_seconds * 1000:.0f} ms; {r.messages:,} messages, {r.unique:,} unique, "
        f"{r.fraud_share:.0%} fraud (held-out generator templates)"
    )
    table = Table(
        "scoring (unique messages unless said)", "msg/s per core (CPU)", "msg/s (wall)", "× baseline"
    )
    rows = (
        ("fanzha, one at a time, detector (cues from 0.7)", r.detector, r.baseline_one_by_one),
        ("fanzha, one at a time, every verdict with cues", r.one_by_one, r.baseline_one_by_one),
        ("fanzha, batches of 1,000, no cues", r.batch, r.baseline_batch),
        ("fanzha, batches of 1,000, cues for all (text score)", r.batch_cues, r.baseline_batch),
        ("TF-IDF + LR baseline, one at a time", r.baseline_one_by_one, r.baseline_one_by_one),
        ("TF-IDF + LR baseline, batches of 1,000", r.baseline_batch, r.baseline_batch),
        ("fanzha, repeated message (verdict memory hit)", r.cache_hits, r.baseline_one_by_one),
    )
    for label, rate, baseline in rows:
        table.add_row(label, f"{rate.cpu:,.0f}", f"{rate.wall:,.0f}", f"{rate.cpu / baseline.cpu:.2f}×")
    Console(width=max(console.width, 120)).print(table)


def print_report(report: Report) -> None:
    console.print(
        f"n={report.n} fraud={report.n_fraud} ROC-AUC={_num(report.auc)} "
        f"recall@1%FPR={_num(report.recall_at_fpr.get(0.01))} "
        f"recall@5%FPR={_num(report.recall_at_fpr.get(0.05))} "
        + " ".join(f"FPR@{t}={_num(v)}" for t, v in report.fpr_at.items())
        + " "
        + " ".join(f"recall@{t}={_num(v)}" for t, v in report.recall_at_line.items())
        + f" accuracy={_num(report.binary_accuracy)} type-accuracy={_num(report.type_accuracy)}"
    )
    table = Table("type", "precision", "recall", "F1", "support")
    for label, (p, r, f1, support) in report.per_type.items():
        table.add_row(label, _num(p), _num(r), _num(f1), str(support))
    console.print(table)
    labels = list(report.per_type)
    matrix = Table("true \\ predicted", *[label[:8] for label in labels])
    for truth in labels:
        matrix.add_row(truth, *[str(report.confusion.get((truth, p), 0)) for p in labels])
    console.print(matrix)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
