"""`fanzha bench …`: benchmarks that print numbers beside a baseline run in the same process."""

from __future__ import annotations

import typer

from fanzha.cli import funds, text

app = typer.Typer(
    help="Benchmarks: each prints its numbers and the ratio against a baseline run in the same process.",
    no_args_is_help=True,
)
app.command("text")(text.bench_text)
app.command("trace")(funds.bench_trace)
