"""`fanzha` command line.

Start-up is kept light (`fanzha bench startup` measures it): the command modules import only Typer,
Rich and small enums at load time; SQLAlchemy, Polars, NumPy, FastAPI, the text model and the rest
are imported inside the commands that use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fanzha.audit import logfilter
from fanzha.cli import (
    backtest,
    bench,
    data,
    demo,
    evaluate,
    flink,
    funds,
    lists,
    prevention,
    retention,
    text,
    twocards,
    users,
    warnings,
    workflow,
)
from fanzha.cli.common import dispose_engines

app = typer.Typer(
    name="fanzha",
    help="fanzha 反诈预警劝阻平台: anti-telecom-fraud early warning and dissuasion.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _each_command(ctx: typer.Context) -> None:
    # However a command ends, the connections it opened are closed with it.
    ctx.call_on_close(dispose_engines)


app.add_typer(warnings.app, name="warnings")
app.add_typer(data.dead_letters, name="dead-letters")
app.add_typer(data.db, name="db")
app.add_typer(data.reference, name="reference")
app.add_typer(data.sim, name="sim")
app.add_typer(text.app, name="text")
app.add_typer(twocards.app, name="twocards")
app.command("demo")(demo.demo)
app.add_typer(users.users, name="users")
app.add_typer(users.tokens, name="tokens")
app.add_typer(retention.app, name="retention")
app.add_typer(funds.app, name="funds")
app.add_typer(bench.app, name="bench")
app.add_typer(flink.app, name="flink")
bench.app.command("flink")(flink.bench)
app.command("bank-sim")(funds.bank_sim)
app.command("evaluate")(evaluate.evaluate)
workflow.register(app)
app.add_typer(lists.app, name="lists")
app.command("backtest")(backtest.backtest)
app.add_typer(prevention.app, name="prevention")


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="a .jsonl or .parquet file, or a directory of them")],
    event_time: Annotated[
        bool, typer.Option(help="stamp assessments with event time instead of wall-clock time (replays)")
    ] = False,
    batch_size: Annotated[int | None, typer.Option(min=1, help="events per transaction")] = None,
    snapshot: Annotated[
        Path | None, typer.Option(help="detector-state snapshot file: resume from it, keep it current")
    ] = None,
) -> None:
    """Feed events into the pipeline; bad records go to the dead-letter store and the stream goes on."""
    from fanzha.cli.common import ingest_path, open_store, print_summary
    from fanzha.settings import Settings
    from fanzha.stream.runner import Runner

    settings = Settings()
    engine = open_store(settings)
    runner = Runner(
        engine,
        event_time=event_time,
        batch_size=batch_size or settings.batch_size,
        snapshot_path=snapshot,
    )
    print_summary(ingest_path(runner, path))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to bind (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default 8000)")] = None,
) -> None:
    """Serve the console and the API."""
    from fanzha.cli.common import open_store
    from fanzha.settings import Settings

    settings = Settings()
    settings = settings.model_copy(update={"host": host or settings.host, "port": port or settings.port})
    demo.serve_console(settings, open_store(settings))


def main() -> None:
    logfilter.install()
    app()
