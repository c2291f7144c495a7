"""Reading the two cards' input tables (CSV): transfers with named columns, labels, per-number features.

Every row is checked; a bad row is left out, counted, and described by its line and field (never its
values); the rest is used. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

TimeUnit = Literal["auto", "iso", "epoch", "step"]
AmountUnit = Literal["yuan", "fen"]
STEP_SECONDS = 86_400  # one simulator step (AMLSim, PaySim-like sets count days or hours as steps)
FIELDS = ("payer", "payee", "amount", "time")
TRUE = {"1", "1.0", "true", "yes", "y", "fraud", "是"}
FALSE = {"0", "0.0", "false", "no", "n", "normal", "否"}
MAX_MESSAGES = 20


class InputError(ValueError):
    """The input cannot be used at all (a missing column, an unreadable file)."""


@dataclass
class Problems:
    """Bad rows: how many, and the first few described by line and field."""

    count: int = 0
    messages: list[str] = field(default_factory=list)

    def add(self, frame: pl.DataFrame, message: str) -> None:
        """`frame` holds the bad rows' `_line`; one message per row, up to MAX_MESSAGES."""
        self.count += frame.height
        room = MAX_MESSAGES - len(self.messages)
        self.messages += [f"line {line}: {message}" for line in frame["_line"].head(max(room, 0))]


@dataclass(frozen=True)
class Transfers:
    frame: pl.DataFrame  # payer, payee (str), amount (f64, yuan), ts (i64 Unix seconds)
    has_clock: bool  # False when times are steps: no time of day, so no night share
    rows: int
    problems: Problems


def parse_columns(spec: str) -> dict[str, str]:
    """`payer=C1,payee=C2,amount=C3,time=C4` → {field: column}."""
    out: dict[str, str] = {}
    for part in spec.split(","):
        key, sep, column = part.partition("=")
        if not sep or key.strip() not in FIELDS or not column.strip():
            raise InputError(
                f"--columns: expected payer=…,payee=…,amount=…,time=…, got part {part.strip()!r}"
            )
        out[key.strip()] = column.strip()
    missing = [f for f in FIELDS if f not in out]
    if missing:
        raise InputError(f"--columns: missing {', '.join(missing)}")
    return out


def read_csv(path: Path) -> pl.DataFrame:
    """All columns as text, with `_line`, the file line of each row (the header is line 1)."""
    try:
        frame = pl.read_csv(path, infer_schema=False, truncate_ragged_lines=True)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError(f"{path}: cannot read it as CSV ({type(exc).__name__})") from exc
    return frame.with_row_index("_line", offset=2)


def _require(frame: pl.DataFrame, path: Path, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: no column {', '.join(missing)} (has {', '.join(frame.columns[1:])})")


def read_transfers(
    path: Path, columns: dict[str, str], time_unit: TimeUnit = "auto", amount_unit: AmountUnit = "yuan"
) -> Transfers:
    raw = read_csv(path)
    _require(raw, path, list(columns.values()))
    frame = raw.select("_line", *(pl.col(columns[f]).str.strip_chars().alias(f) for f in FIELDS))
    return clean_transfers(frame, time_unit, amount_unit)


def clean_transfers(frame: pl.DataFrame, time_unit: TimeUnit, amount_unit: AmountUnit) -> Transfers:
    """`frame`: `_line` and text columns payer, payee, amount, time."""
    problems = Problems()
    unit = detect_unit(frame["time"]) if time_unit == "auto" else time_unit
    amount = pl.col("amount").cast(pl.Float64, strict=False) / (100 if amount_unit == "fen" else 1)
    typed = frame.with_columns(amount=amount, ts=_seconds(unit))
    checks = (
        (pl.col("payer").fill_null("") == "", "payer is empty"),
        (pl.col("payee").fill_null("") == "", "payee is empty"),
        (pl.col("amount").is_null() | ~pl.col("amount").is_finite(), "amount is not a number"),
        (pl.col("amount") <= 0, "amount must be positive"),
        (pl.col("ts").is_null(), f"time is not a valid {unit} time"),
    )
    for bad, message in checks:
        hit = typed.filter(bad.fill_null(False))
        if hit.height:
            problems.add(hit, message)
            typed = typed.filter(~bad.fill_null(False))
    out = typed.select("payer", "payee", "amount", pl.col("ts").cast(pl.Int64))
    return Transfers(out, unit != "step", frame.height, problems)


def detect_unit(times: pl.Series) -> Literal["iso", "epoch", "step"]:
    """Integers up to ten million are steps, larger numbers Unix time, anything else ISO 8601."""
    sample = times.drop_nulls().filter(times.drop_nulls() != "").head(1000)
    numbers = sample.cast(pl.Float64, strict=False)
    if sample.is_empty() or numbers.null_count():
        return "iso"
    top = numbers.max()
    return "step" if isinstance(top, float) and top < 1e7 and (numbers % 1 == 0).all() else "epoch"


def _seconds(unit: str) -> pl.Expr:
    text = pl.col("time")
    if unit == "step":
        step = text.cast(pl.Float64, strict=False)
        return pl.when(step % 1 == 0).then(step * STEP_SECONDS).cast(pl.Int64)
    if unit == "epoch":
        value = text.cast(pl.Float64, strict=False)
        return pl.when(value > 1e11).then(value / 1000).otherwise(value).cast(pl.Int64)  # milliseconds
    aware = text.str.contains(r"(Z|[+-]\d{2}:?\d{2})$")
    with_zone = pl.when(aware).then(text).str.to_datetime(strict=False, time_unit="us", time_zone="UTC")
    local = (
        pl.when(~aware)
        .then(text)
        .str.to_datetime(strict=False, time_unit="us")
        .dt.replace_time_zone("Asia/Shanghai", non_existent="null", ambiguous="null")
        .dt.convert_time_zone("UTC")
    )
    return pl.coalesce(with_zone, local).dt.epoch("s")


def read_labels(path: Path, id_column: str, label_column: str) -> tuple[pl.DataFrame, Problems]:
    """`account, label` (0/1); labels 1/0, true/false, yes/no, fraud/normal."""
    raw = read_csv(path)
    _require(raw, path, [id_column, label_column])
    frame = raw.select(
        "_line",
        pl.col(id_column).str.strip_chars().alias("account"),
        pl.col(label_column).str.strip_chars().str.to_lowercase().alias("text"),
    )
    labels, problems = parse_labels(frame, label_column)
    return labels.unique("account", keep="last", maintain_order=True), problems


def parse_labels(frame: pl.DataFrame, label_column: str) -> tuple[pl.DataFrame, Problems]:
    """`frame`: `_line`, `account`, `text` → `account, label` and the rows left out."""
    problems = Problems()
    typed = frame.with_columns(label=labelled_values())
    empty = typed.filter(pl.col("account").fill_null("") == "")
    problems.add(empty, "the id is empty")
    unknown = typed.filter((pl.col("account").fill_null("") != "") & pl.col("label").is_null())
    problems.add(unknown, f"{label_column} is not 1/0, true/false or yes/no")
    kept = typed.filter((pl.col("account").fill_null("") != "") & pl.col("label").is_not_null())
    return kept.select("account", pl.col("label").cast(pl.Int64)), problems


def read_features(
    path: Path, id_column: str, label_column: str | None, *, ignore: tuple[str, ...] = ()
) -> tuple[pl.DataFrame, tuple[str, ...], Problems]:
    """A per-number feature table: the id (text), `label` when a label column is named, and every other
    column but `ignore` as a number (a cell that is not a number is read as missing, and reported)."""
    raw = read_csv(path)
    _require(raw, path, [id_column] + ([label_column] if label_column else []))
    names = tuple(c for c in raw.columns if c not in ("_line", id_column, label_column, *ignore))
    problems = Problems()
    empty = raw.filter(pl.col(id_column).fill_null("").str.strip_chars() == "")
    problems.add(empty, f"{id_column} is empty")
    raw = raw.filter(pl.col(id_column).fill_null("").str.strip_chars() != "")
    for name in names:
        text = pl.col(name).fill_null("").str.strip_chars()
        bad = raw.filter((text != "") & pl.col(name).cast(pl.Float64, strict=False).is_null())
        if bad.height:
            problems.add(bad, f"{name} is not a number (read as missing)")
    typed = raw.with_columns(pl.col(n).cast(pl.Float64, strict=False) for n in names)
    if label_column:
        frame = typed.with_columns(
            account=pl.col(id_column), text=pl.col(label_column).str.strip_chars().str.to_lowercase()
        )
        label_problems = parse_labels(frame, label_column)[1]
        problems.count += label_problems.count
        problems.messages += label_problems.messages[: MAX_MESSAGES - len(problems.messages)]
        typed = frame.with_columns(label=labelled_values()).filter(pl.col("label").is_not_null())
    return typed.select(id_column, *(["label"] if label_column else []), *names), names, problems


def labelled_values() -> pl.Expr:
    return pl.when(pl.col("text").is_in(TRUE)).then(1).when(pl.col("text").is_in(FALSE)).then(0)
