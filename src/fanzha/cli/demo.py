"""`fanzha demo`: a simulated city streamed through the pipeline into SQLite, then the console."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fanzha.cli.common import console, ingest_path, open_store, print_summary
from fanzha.cli.users import create_demo_accounts

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from fanzha.settings import Settings


def demo(
    population: Annotated[int, typer.Option(min=10, help="residents of the simulated city")] = 2000,
    days: Annotated[int, typer.Option(min=1, max=60, help="days of activity")] = 7,
    seed: Annotated[int, typer.Option(help="random seed (same seed, same city)")] = 7,
    workdir: Annotated[Path, typer.Option(help="where the demo keeps its city and SQLite file")] = Path(
        ".fanzha-demo"
    ),
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="serve the console when done")] = True,
    port: Annotated[int, typer.Option(help="console port on 127.0.0.1")] = 8000,
) -> None:
    """Generate a small simulated city, stream its events into a fresh SQLite store, serve the console."""
    from fanzha.jobs.worker import Worker
    from fanzha.settings import Settings
    from fanzha.sim.world import generate, write
    from fanzha.store.directory import replace_reference_data
    from fanzha.store.engine import session_factory
    from fanzha.stream.runner import Runner
    from fanzha.uow import UnitOfWork

    if workdir.exists():
        shutil.rmtree(workdir)
    with console.status("生成模拟城市 (generating the simulated city)…"):
        world = generate(population, days, seed)
        paths = write(world, workdir / "city")
    console.print(
        f"模拟城市: {population:,} residents, {days} days, {len(world.events):,} events, "
        f"{len(world.episodes)} fraud episodes (seed {seed})"
    )
    settings = Settings(database_url=f"sqlite:///{(workdir / 'fanzha.db').resolve()}", port=port)
    engine = open_store(settings)
    with UnitOfWork(session_factory(engine)) as uow:
        replace_reference_data(
            uow.session,
            units=world.units,
            persons=world.persons,
            phones=world.phones,
            accounts=world.accounts,
            indicators=world.indicators,
        )
        uow.commit()
    runner = Runner(engine, event_time=True, batch_size=settings.batch_size)
    summary = ingest_path(runner, paths["events"])
    print_summary(summary)
    victims_paid = sum(1 for e in world.episodes if e.first_payment_at is not None)
    truth = paths["truth"]
    console.print(
        f"ground truth: {len(world.episodes)} victims targeted, {victims_paid} paid; truth in {truth}"
    )
    console.print(f"store: {settings.database_url}")
    # Routed first: the demo officer works at the station the intake gave the most warnings.
    routed = Worker(engine, fallback_unit=settings.fallback_unit).route_received()
    console.print(f"预警下发 warnings routed to their stations: {routed}")
    create_demo_accounts(engine, settings)
    if serve:
        serve_console(settings, engine, fake_sms=True)


def serve_console(settings: Settings, engine: Engine, *, fake_sms: bool = False) -> None:
    """Serve the console (with the workflow worker) until interrupted; the demo brings a fake SMS gateway."""
    import uvicorn

    from fanzha.jobs.sms.fake_gateway import FakeSmsGateway
    from fanzha.web.app import create_app

    gateway = FakeSmsGateway().start() if fake_sms else None
    update: dict[str, object] = {"run_worker": True}
    if gateway is not None:
        update["sms_gateway_url"] = gateway.url
        console.print(f"模拟短信网关 fake SMS gateway: {gateway.url}/messages")
    settings = settings.model_copy(update=update)
    console.print(f"控制台 console: http://{settings.host}:{settings.port}  (Ctrl+C to stop)")
    try:
        uvicorn.run(create_app(settings, engine), host=settings.host, port=settings.port, log_level="warning")
    finally:
        if gateway is not None:
            gateway.stop()
