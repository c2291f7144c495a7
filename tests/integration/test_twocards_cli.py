"""`fanzha twocards` end to end: CSV files with bad rows, the model file, the store when no file is given."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.corpus.rings import RingConfig, generate
from fanzha.store.engine import make_engine, migrate
from fanzha.store.tables import EventRow, IndicatorRow
from fanzha.store.tables_funds import TransferRow
from fanzha.twocards import accounts

runner = CliRunner()
NET = RingConfig(accounts=1_500, days=40, rings_per_typology=3, seed=13)
COLUMNS = "payer=src,payee=dst,amount=fen,time=step"


def _invoke(args: list[str], db_url: str | None = None) -> str:
    env = {"COLUMNS": "200"} | ({"DATABASE_URL": db_url} if db_url else {})
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _active(net_transfers: pl.DataFrame) -> int:
    return pl.concat([net_transfers["payer"], net_transfers["payee"]]).n_unique()


def _files(tmp_path: Path) -> tuple[Path, Path]:
    net = generate(NET)
    transfers, labels = tmp_path / "t.csv", tmp_path / "l.csv"
    frame = net.transfers.select(
        pl.col("payer").alias("src"),
        pl.col("payee").alias("dst"),
        pl.col("amount").cast(pl.String).alias("fen"),
        (pl.col("ts") // 86_400 - 20_000).cast(pl.String).alias("step"),
    )
    bad = pl.DataFrame({"src": ["", "x"], "dst": ["y", "y"], "fen": ["5", "lots"], "step": ["1", "2"]})
    pl.concat([frame.head(10), bad, frame.slice(10)]).write_csv(transfers)
    net.labels.select(pl.col("account").alias("acct"), pl.col("label").alias("mule")).write_csv(labels)
    return transfers, labels


def test_train_then_score_files_with_bad_rows(tmp_path: Path) -> None:
    transfers, labels = _files(tmp_path)
    model, out = tmp_path / "m.json", tmp_path / "s.csv"
    common = [
        "--transfers",
        str(transfers),
        "--columns",
        COLUMNS,
        "--time-unit",
        "step",
        "--amount-unit",
        "fen",
    ]
    output = _invoke(
        [
            *("twocards", "accounts", "train", *common),
            *(
                "--labels",
                str(labels),
                "--id-column",
                "acct",
                "--label-column",
                "mule",
                "--model",
                str(model),
            ),
        ]
    )
    assert "2 transfer rows left out" in output
    assert "line 12: payer is empty" in output
    assert "line 13: amount is not a number" in output
    assert "lots" not in output
    assert "out-of-fold F1" in output
    output = _invoke(["twocards", "accounts", "score", *common, "--model", str(model), "--out", str(out)])
    scored = pl.read_csv(out, schema_overrides={"account": pl.String})
    assert scored.columns == ["account", "score", "flag", "reasons"]
    assert scored.height == _active(generate(NET).transfers)
    threshold = accounts.AccountModel.load(model).threshold
    assert ((scored["score"] >= threshold) == (scored["flag"] == 1)).all()


def test_a_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    transfers, _ = _files(tmp_path)
    result = runner.invoke(
        app,
        [
            *("twocards", "accounts", "score", "--transfers", str(transfers)),
            *("--columns", "payer=src,payee=dst,amount=value,time=step"),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 2
    assert "no column value" in result.output


def test_store_transfers_and_lists_when_no_file_is_given(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fanzha.db'}"
    engine = make_engine(url)
    migrate(engine)
    net = generate(NET)
    mules = net.labels.filter(pl.col("label") == 1)["account"].to_list()
    with Session(engine) as session:
        session.add_all(
            TransferRow(event_id=f"e{i}", payer=r["payer"], payee=r["payee"], amount_fen=r["amount"],
                        at=datetime.fromtimestamp(r["ts"], UTC))
            for i, r in enumerate(net.transfers.iter_rows(named=True))
        )  # fmt: skip
        session.add_all(
            IndicatorRow(kind="ACCOUNT", value=a, source="NAFC", fraud_type="UNKNOWN") for a in mules[::2]
        )
        session.commit()
    model, out = tmp_path / "m.json", tmp_path / "s.csv"
    output = _invoke(["twocards", "accounts", "train", "--model", str(model)], url)
    assert f"{net.transfers.height} stored transfers read" in output
    assert f"{len(mules[::2])} listed account values are positive" in output
    _invoke(["twocards", "accounts", "score", "--model", str(model), "--out", str(out)], url)
    assert pl.read_csv(out).height == _active(net.transfers)
    shown = _invoke(["twocards", "accounts", "score", "--top", "3"], url)  # the packaged model, masked
    assert mules[0] not in shown


def _number_csv(path: Path, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    label = (rng.random(n) < 0.3).astype(int)
    rows = ["phone_no_m,calls,unreturned,label"]
    rows += [
        f"h{seed}_{i},{rng.poisson(60 if y else 15)},{_unreturned(rng, y):.3f},{y}"
        for i, y in enumerate(label)
    ]
    rows.append(f"h{seed}_bad,many,0.5,1")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _unreturned(rng: np.random.Generator, fraud: int) -> float:
    return float(min(1, max(0, rng.normal(0.8 if fraud else 0.3, 0.15))))


def test_numbers_train_and_score_a_feature_table(tmp_path: Path) -> None:
    train, test, model, out = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "n.json", tmp_path / "o.csv"
    _number_csv(train, 500, 1)
    _number_csv(test, 200, 2)
    common = ["--id-column", "phone_no_m", "--label-column", "label", "--model", str(model)]
    output = _invoke(["twocards", "numbers", "train", "--features", str(train), *common])
    assert "line 502: calls is not a number (read as missing)" in output
    assert "nested CV F1" in output
    _invoke(["twocards", "numbers", "score", "--features", str(test), *common, "--out", str(out)])
    scored = pl.read_csv(out)
    assert scored.columns == ["phone_no_m", "score", "flag", "reasons"]
    assert scored.height == 201
    unlabelled = tmp_path / "c.csv"
    unlabelled.write_text(test.read_text().replace(",1\n", ",\n").replace(",0\n", ",\n"), encoding="utf-8")
    _invoke(["twocards", "numbers", "score", "--features", str(unlabelled), *common, "--out", str(out)])
    assert pl.read_csv(out).height == 201  # an empty label column does not drop rows when scoring


def test_numbers_from_stored_calls_and_lists(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fanzha.db'}"
    engine = make_engine(url)
    migrate(engine)
    t0, rows = datetime(2026, 10, 1, tzinfo=UTC), []
    for i in range(300):
        fraud = i % 10 == 0
        for k in range(12 if fraud else 3):
            payload = {
                "phone": f"1380000{i:04d}",
                "counterpart": f"1390000{(i * 7 + k) % 9999:04d}",
                "direction": "OUT" if fraud else ("IN", "OUT")[k % 2],
                "duration_s": 8 if fraud else 200,
            }
            at = t0 + timedelta(minutes=i * 13 + k)
            rows.append(EventRow(event_id=f"c{i}-{k}", kind="call", occurred_at=at,
                                 subject_key=payload["phone"], payload=payload, ingested_at=at))  # fmt: skip
    with Session(engine) as session:
        session.add_all(rows)
        session.add_all(
            IndicatorRow(kind="PHONE", value=f"1380000{i:04d}", source="NAFC", fraud_type="UNKNOWN")
            for i in range(0, 300, 10)
        )
        session.commit()
    model = tmp_path / "n.json"
    output = _invoke(["twocards", "numbers", "train", "--model", str(model), "--no-nested"], url)
    assert "30 listed phone values are positive" in output
    shown = _invoke(["twocards", "numbers", "score", "--model", str(model), "--top", "5"], url)
    assert "13800000010" not in shown  # masked
    assert "****" in shown
