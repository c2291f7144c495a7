"""`fanzha text` commands end to end, on small generated data (no public datasets needed)."""

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli.main import app
from fanzha.corpus import Channel, Stage, Topic, fraud_text, normal_text
from fanzha.event.codes import FraudType
from fanzha.text.model import load_model

runner = CliRunner()


def test_score_rejects_bad_lines_and_scores_the_rest(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        json.dumps(
            {"id": "a", "text": "您涉嫌洗钱，请把全部存款转到安全账户，不要告诉家人"}, ensure_ascii=False
        ),
        "",
        json.dumps({"id": "b", "text": "   "}),
        json.dumps({"id": "c", "text": 42}),
        "{broken",
        json.dumps({"id": "d", "text": "妈，我到家了，晚上回来吃饭"}, ensure_ascii=False),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["text", "score", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(out) == len(lines)
    assert out[0]["id"] == "a"
    assert out[0]["fraud_type"] == "FAKE_AUTHORITY"
    assert out[0]["fraud_probability"] > 0.5
    assert sum(out[0]["type_probabilities"].values()) == pytest.approx(1.0, abs=0.01)
    assert out[0]["cues"]
    assert [o.get("error") is not None for o in out] == [False, True, True, True, True, False]
    assert out[5]["fraud_type"] == "正常"
    assert "42" not in json.dumps(out[3])


def _write_labelled(path: Path, seed: int, n: int) -> None:
    rng = random.Random(seed)
    rows = ["text,label"]
    types = (FraudType.LOAN, FraudType.FAKE_AUTHORITY, FraudType.BRUSHING)
    for i in range(n):
        if i % 2:
            text, label = fraud_text(types[i % 3], Stage.HOOK, Channel.SMS, rng), types[i % 3].value
        else:
            text, label = normal_text(tuple(Topic)[i % 7], Channel.SMS, rng), "正常"
        rows.append(json.dumps(text, ensure_ascii=False) + "," + label)  # JSON quoting is CSV-safe here
    rows.append(",LOAN")  # no text: skipped, not fatal
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_train_and_eval_round_trip(tmp_path: Path) -> None:
    train_csv, test_csv, model = tmp_path / "train.csv", tmp_path / "test.csv", tmp_path / "m.npz"
    _write_labelled(train_csv, 1, 600)
    _write_labelled(test_csv, 2, 200)
    result = runner.invoke(app, ["text", "train", "--data", str(train_csv), "--out", str(model)])
    assert result.exit_code == 0, result.output
    assert "1 rows skipped" in result.output
    loaded = load_model(model)
    assert set(loaded.types) == {FraudType.LOAN, FraudType.FAKE_AUTHORITY, FraudType.BRUSHING}
    result = runner.invoke(
        app, ["text", "eval", "--data", str(test_csv), "--model", str(model)], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    assert "ROC-AUC" in result.output
    assert "recall@1%FPR" in result.output
    assert "FAKE_AUTHORITY" in result.output
