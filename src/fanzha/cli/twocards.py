"""`fanzha twocards accounts|numbers train|score`: mule-account and fraud-number scoring (两卡).

Heavy libraries (polars, lightgbm, numpy) are imported inside the commands so the CLI starts fast.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fanzha.cli.common import console, err_console

if TYPE_CHECKING:
    import polars as pl

    from fanzha.twocards.tables import Problems, Transfers

app = typer.Typer(help="两卡: mule-account and fraud-number scoring.", no_args_is_help=True)
accounts_app = typer.Typer(help="Mule-account scoring from transfers.", no_args_is_help=True)
numbers_app = typer.Typer(help="Fraud-number scoring from per-number features.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
app.add_typer(numbers_app, name="numbers")

TransfersOpt = Annotated[
    Path | None,
    typer.Option(
        exists=True, dir_okay=False, help="transfers CSV (default: the platform's stored transfers)"
    ),
]
ColumnsOpt = Annotated[
    str, typer.Option(help="payer=C1,payee=C2,amount=C3,time=C4: which CSV column holds each field")
]
TimeOpt = Annotated[
    str, typer.Option(help="auto|iso|epoch|step (step = one day; steps carry no time of day)")
]
AmountOpt = Annotated[str, typer.Option(help="yuan|fen")]
DEFAULT_COLUMNS = "payer=payer,payee=payee,amount=amount,time=time"


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def _report_problems(what: str, problems: Problems) -> None:
    if problems.count:
        console.print(f"[yellow]{problems.count} {what} rows left out[/yellow]")
        for message in problems.messages:
            console.print(f"  {message}")
        if problems.count > len(problems.messages):
            console.print(f"  … {problems.count - len(problems.messages)} more")


def _load_transfers(path: Path | None, columns: str, time_unit: str, amount_unit: str) -> Transfers:
    from fanzha.twocards import tables

    if time_unit not in ("auto", "iso", "epoch", "step") or amount_unit not in ("yuan", "fen"):
        raise _fail("--time-unit must be auto|iso|epoch|step and --amount-unit yuan|fen")
    if path is None:
        return _stored_transfers()
    try:
        loaded = tables.read_transfers(path, tables.parse_columns(columns), time_unit, amount_unit)  # type: ignore[arg-type]
    except tables.InputError as exc:
        raise _fail(str(exc)) from exc
    console.print(f"{loaded.frame.height} of {loaded.rows} transfers read from {path}")
    _report_problems("transfer", loaded.problems)
    return loaded


def _stored_transfers() -> Transfers:
    from sqlalchemy.orm import Session

    from fanzha.cli.common import open_store
    from fanzha.settings import Settings
    from fanzha.twocards import repository
    from fanzha.twocards.tables import Problems, Transfers

    with Session(open_store(Settings())) as session:
        frame = repository.transfers(session)
    console.print(f"{frame.height} stored transfers read")
    return Transfers(frame, True, frame.height, Problems())


def _stored_labels(kind: str, ids: pl.Series) -> pl.DataFrame:
    """Listed values are 1, every other id 0: the platform's own lists as (weak) labels."""
    import polars as pl
    from sqlalchemy.orm import Session

    from fanzha.cli.common import open_store
    from fanzha.settings import Settings
    from fanzha.twocards import repository

    with Session(open_store(Settings())) as session:
        listed = repository.listed(session, kind)
    console.print(f"labels from the lists: {len(listed)} listed {kind.lower()} values are positive")
    return pl.DataFrame({"account": ids, "label": ids.is_in(list(listed)).cast(pl.Int64)})


@accounts_app.command("train")
def accounts_train(
    model: Annotated[Path | None, typer.Option(help="where to write the model (JSON)")] = None,
    transfers: TransfersOpt = None,
    labels: Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="labels CSV")] = None,
    columns: ColumnsOpt = DEFAULT_COLUMNS,
    time_unit: TimeOpt = "auto",
    amount_unit: AmountOpt = "yuan",
    id_column: Annotated[str, typer.Option(help="account column of the labels CSV")] = "account",
    label_column: Annotated[str, typer.Option(help="label column of the labels CSV (1 = mule)")] = "label",
    mirror: Annotated[bool, typer.Option(help="also learn from the mirrored graph")] = True,
    seed: Annotated[int, typer.Option(help="random seed (training is deterministic)")] = 7,
    default: Annotated[
        bool, typer.Option("--default", help="rebuild the packaged default model from the simulator's rings")
    ] = False,
) -> None:
    """Train the mule-account model; the flag threshold is chosen on out-of-fold scores."""
    from fanzha.twocards import accounts

    started = time.perf_counter()
    if default:
        from fanzha.twocards.default import train_default

        built, report = train_default()
        target = model or accounts.DEFAULT_MODEL
    else:
        if model is None:
            raise _fail("--model is required (or --default)")
        loaded = _load_transfers(transfers, columns, time_unit, amount_unit)
        known = _account_labels(loaded, labels, id_column, label_column)
        try:
            built, report = accounts.train(
                loaded.frame, known, has_clock=loaded.has_clock, seed=seed, mirror=mirror
            )
        except ValueError as exc:
            raise _fail(str(exc)) from exc
        target = model
    built.save(target)
    _print_fit(report, target, time.perf_counter() - started)


def _account_labels(
    loaded: Transfers, labels: Path | None, id_column: str, label_column: str
) -> pl.DataFrame:
    import polars as pl

    from fanzha.twocards import tables

    if labels is None:
        ids = pl.concat([loaded.frame["payer"], loaded.frame["payee"]]).unique()
        return _stored_labels("ACCOUNT", ids)
    try:
        known, problems = tables.read_labels(labels, id_column, label_column)
    except tables.InputError as exc:
        raise _fail(str(exc)) from exc
    console.print(f"{known.height} labelled accounts ({int(known['label'].sum())} positive)")
    _report_problems("label", problems)
    return known


def _print_fit(report: dict[str, Any], target: Path, seconds: float) -> None:
    oof = report["oof"]
    console.print(
        f"out-of-fold F1 {oof['f1']:.4f} (precision {oof['precision']:.4f}, recall {oof['recall']:.4f}) "
        f"at threshold {oof['threshold']:.4f}"
    )
    if "nested_cv_f1" in report:
        nested = report["nested_cv_f1"]
        console.print(
            f"nested CV F1 (threshold chosen inside each fold) {nested['mean']:.4f} {nested['folds']}"
        )
    console.print(f"model → {target} in {seconds:.1f} s")


@accounts_app.command("score")
def accounts_score(
    transfers: TransfersOpt = None,
    columns: ColumnsOpt = DEFAULT_COLUMNS,
    time_unit: TimeOpt = "auto",
    amount_unit: AmountOpt = "yuan",
    model: Annotated[Path | None, typer.Option(help="model file (default: the packaged model)")] = None,
    out: Annotated[Path | None, typer.Option(help="CSV account,score,flag,reasons")] = None,
    top: Annotated[int, typer.Option(help="rows to print when no --out is given")] = 20,
) -> None:
    """Score every account of the transfers; flag at the model's own threshold, with reasons."""
    from fanzha.twocards import accounts

    loaded = _load_transfers(transfers, columns, time_unit, amount_unit)
    try:
        scorer = accounts.AccountModel.load(model or accounts.DEFAULT_MODEL)
    except (OSError, ValueError, KeyError) as exc:
        raise _fail(f"cannot load the model: {exc}") from exc
    if loaded.frame.is_empty():
        raise _fail("no usable transfers")
    scored = accounts.score(scorer, loaded.frame, has_clock=loaded.has_clock)
    console.print(f"{scored.height} accounts scored, {int(scored['flag'].sum())} flagged")
    _write_or_show(scored, out, top, "account", audit=transfers is None)


def _write_or_show(scored: pl.DataFrame, out: Path | None, top: int, id_column: str, *, audit: bool) -> None:
    from fanzha.masking import mask_account, mask_phone

    mask = mask_account if id_column == "account" else mask_phone
    if out is not None:
        scored.write_csv(out)
        console.print(f"→ {out}")
        if audit:
            _audit_export(out, scored.height)
        return
    for row in scored.head(top).iter_rows(named=True):
        console.print(f"{mask(str(row[id_column]))}  {row['score']:.4f}  {row['flag']}  {row['reasons']}")


def _audit_export(out: Path, rows: int) -> None:
    """Scores of the platform's own accounts or numbers written to a file are an export: audited."""
    from fanzha.cli.common import audit_cli, open_uow

    with open_uow() as uow:
        audit_cli(
            uow,
            "twocards.export",
            at=datetime.now(UTC),
            object_type="twocards_scores",
            object_id=f"{out.name} ({rows} rows)",
            purpose="两卡 scoring export",
        )
        uow.commit()


@numbers_app.command("train")
def numbers_train(
    model: Annotated[Path, typer.Option(help="where to write the model (JSON)")],
    features: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="per-number feature CSV (default: stored calls/SMS)"),
    ] = None,
    id_column: Annotated[str, typer.Option(help="the number's column")] = "number",
    label_column: Annotated[str, typer.Option(help="label column (1 = fraud number)")] = "label",
    seed: Annotated[int, typer.Option(help="random seed (training is deterministic)")] = 7,
    nested: Annotated[bool, typer.Option(help="also report nested cross-validated F1")] = True,
) -> None:
    """Train the fraud-number model on a feature table (every column but the id and label is a feature)."""
    from fanzha.twocards import numbers

    started = time.perf_counter()
    table, names = _number_table(features, id_column, label_column)
    try:
        built, report = numbers.train(table, names, seed=seed, nested=nested)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    built.save(model)
    _print_fit(report, model, time.perf_counter() - started)


def _number_table(
    path: Path | None, id_column: str, label_column: str | None, *, scoring: bool = False
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Training: rows need a label. Scoring: a label column, if named, is only left out of the features."""
    from fanzha.twocards import tables

    if path is None:
        return _stored_number_table(not scoring)
    ignore = (label_column,) if scoring and label_column else ()
    try:
        table, names, problems = tables.read_features(
            path, id_column, None if scoring else label_column, ignore=ignore
        )
    except tables.InputError as exc:
        raise _fail(str(exc)) from exc
    console.print(f"{table.height} numbers, {len(names)} feature columns read from {path}")
    _report_problems("number", problems)
    return table, names


def _stored_number_table(with_labels: bool) -> tuple[pl.DataFrame, tuple[str, ...]]:
    from sqlalchemy.orm import Session

    from fanzha.cli.common import open_store
    from fanzha.settings import Settings
    from fanzha.twocards import numbers, repository

    with Session(open_store(Settings())) as session:
        calls, sms = repository.calls_and_sms(session)
    table = numbers.call_features(calls, sms)
    console.print(f"features of {table.height} numbers from {calls.height} calls and {sms.height} SMS")
    if with_labels:
        table = table.drop("label", strict=False).join(
            _stored_labels("PHONE", table["number"]).rename({"account": "number"}), on="number"
        )
    return table, tuple(numbers.NUMBER_LABELS_ZH)


@numbers_app.command("score")
def numbers_score(
    model: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="model file")],
    features: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="per-number feature CSV (default: stored calls/SMS)"),
    ] = None,
    id_column: Annotated[str, typer.Option(help="the number's column")] = "number",
    label_column: Annotated[str | None, typer.Option(help="a label column to leave out, if any")] = None,
    out: Annotated[Path | None, typer.Option(help="CSV <id>,score,flag,reasons")] = None,
    top: Annotated[int, typer.Option(help="rows to print when no --out is given")] = 20,
) -> None:
    """Score every number; flag at the model's own threshold, with reasons."""
    from fanzha.twocards import numbers

    try:
        scorer = numbers.NumberModel.load(model)
    except (OSError, ValueError, KeyError) as exc:
        raise _fail(f"cannot load the model: {exc}") from exc
    table, _ = _number_table(features, id_column, label_column, scoring=True)
    key = id_column if features else "number"
    try:
        scored = numbers.score(scorer, table, key)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    console.print(f"{scored.height} numbers scored, {int(scored['flag'].sum())} flagged")
    _write_or_show(scored, out, top, key, audit=features is None)
