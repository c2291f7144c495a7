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


def test_score_says_spam_apart_from_fraud(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    texts = ["澳门金沙娱乐城，注册送88元彩金，首存送100，网址URL", "妈，我到家了，晚上回来吃饭"]
    source.write_text(
        "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["text", "score", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    spam, normal = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert (spam["category"], spam["fraud_type"]) == ("spam", "正常")
    assert spam["spam_probability"] > spam["fraud_probability"]
    assert normal["category"] == "normal"


def test_crosseval_tests_each_family_on_a_model_that_never_saw_it() -> None:
    from fanzha.text.crosseval import FANZHA, crosseval, recall_at_1pct, sources, unseen, worst_case

    data = {name: examples[:300] for name, examples in sources(None).items()}
    rows = crosseval(data, load_model(), lofo_share=0.03)
    left_out = [r for r in rows if r.trained_on.startswith("−")]
    assert sorted(r.tested_on for r in left_out) == ["gen:chat", "gen:city", "gen:sms"]
    assert all(unseen(r) and r.report.auc is not None for r in left_out)
    assert not any(unseen(r) for r in rows if r.trained_on == "default")
    worst = worst_case(rows)[FANZHA]
    assert worst.report.auc == min(r.report.auc or 1.0 for r in left_out)
    worst_recall = worst_case(rows, recall_at_1pct)[FANZHA].report.recall_at_fpr[0.01]
    assert worst_recall == min(r.report.recall_at_fpr[0.01] or 1.0 for r in left_out)


def test_bench_scores_unique_messages_against_the_baseline() -> None:
    from fanzha.text.bench import messages, run

    texts, is_fraud = messages(400)
    assert len(set(texts)) == len(texts) == 400
    assert 0.2 < sum(is_fraud) / len(is_fraud) < 0.8
    result = run(200)
    assert result.unique == result.messages == 200
    rates = (
        result.detector,
        result.batch,
        result.cache_hits,
        result.baseline_batch,
        result.baseline_one_by_one,
    )
    assert all(r.cpu > 0 and r.wall > 0 for r in rates)
