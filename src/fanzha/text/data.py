"""Labelled data in: a centre's own CSV/JSONL files, and adapters for public research sets.

Own data (CSV with a header, or JSONL): a `text` column (also accepted: `content`) and a `label`
column holding a fraud type code (`LOAN`, `FAKE_AUTHORITY`, …), its Chinese name (`虚假网络贷款`, …),
or `正常` / `normal` / `0` for not fraud; `spam` / `垃圾` / `推广` / `广告` for spam and promotions
(not fraud either, but a class of their own); `fraud` / `1` is fraud of unknown type (`UNKNOWN`).
Rows without text or with an unknown label are counted and skipped, never fatal.

Adapters (for evaluation only; nothing read here is ever shipped): a directory named
`telecom_fraud_texts_5`, `telecom_fraud_texts_8` or `teleantifraud_multiagent` (see their PROVENANCE.md).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fanzha.event.codes import FRAUD_TYPE_LABELS, FraudType
from fanzha.text.train import Example

NORMAL_LABELS = frozenset({"正常", "normal", "0", "ham", "none", "not_fraud"})
SPAM_LABELS = frozenset({"spam", "垃圾", "垃圾信息", "推广", "广告", "promotion", "ad"})
SPAM = "spam"
_BY_NAME = {label: t for t, label in FRAUD_TYPE_LABELS.items()} | {t.value: t for t in FraudType}
_BY_NAME |= {"fraud": FraudType.UNKNOWN, "1": FraudType.UNKNOWN}
# Public research sets: their class names → our types (None = normal).
_TFT5: dict[str, FraudType | None] = {
    "0": None,
    "冒充公检法及政府机关类": FraudType.FAKE_AUTHORITY,
    "贷款、代办信用卡类": FraudType.LOAN,
    "冒充客服服务": FraudType.FAKE_CS_REFUND,
    "冒充领导、熟人类": FraudType.FAKE_BOSS_ACQ,
}
_TFT8: dict[str, FraudType | None] = dict(
    zip(
        "1234567",
        (
            FraudType.FAKE_AUTHORITY,
            FraudType.LOAN,
            FraudType.FAKE_CS_REFUND,
            FraudType.FAKE_BOSS_ACQ,
            FraudType.BRUSHING,
            FraudType.ROMANCE,
            FraudType.GAME_TRADE,
        ),
        strict=True,
    )
)
_TAF = {
    "投资诈骗": FraudType.PIG_BUTCHERING,
    "客服诈骗": FraudType.FAKE_CS_REFUND,
    "邮件诈骗": FraudType.FAKE_CS_REFUND,
    "银行诈骗": FraudType.FAKE_CS_REFUND,
}


@dataclass
class Loaded:
    examples: list[Example] = field(default_factory=list)
    skipped: int = 0


def parse_label(raw: object) -> FraudType | str | None:
    """A label → fraud type, None for normal, `SPAM`, or the string "?" when unknown."""
    text = str(raw).strip()
    if text.lower() in NORMAL_LABELS:
        return None
    if text.lower() in SPAM_LABELS:
        return SPAM
    return _BY_NAME.get(text, _BY_NAME.get(text.upper(), "?"))


def load_labelled(path: Path) -> Loaded:
    """Own labelled data (CSV or JSONL, see the module docstring), or a known research-set directory."""
    if path.is_dir():
        return load_research_set(path)
    rows = _jsonl_rows(path) if path.suffix.lower() in {".jsonl", ".json"} else _csv_rows(path)
    loaded = Loaded()
    for row in rows:
        text = row.get("text", row.get("content"))
        label = parse_label(row.get("label", ""))
        if not isinstance(text, str) or not text.strip() or label == "?":
            loaded.skipped += 1
            continue
        fraud_type = label if isinstance(label, FraudType) else None
        loaded.examples.append(Example(text, fraud_type, spam=label == SPAM))
    return loaded


def load_research_set(directory: Path) -> Loaded:
    name = directory.name
    if name == "teleantifraud_multiagent":
        return _teleantifraud(directory)
    sets = {"telecom_fraud_texts_5": _TFT5, "telecom_fraud_texts_8": _TFT8}
    mapping = sets.get(name)
    if mapping is None:
        raise ValueError(f"unknown data directory: {name}")
    loaded, seen = Loaded(), set()
    for csv_path in sorted(directory.glob("*.csv")):
        for row in _csv_rows(csv_path):
            text, label = row.get("content"), str(row.get("label", "")).strip()
            if not isinstance(text, str) or not text.strip() or label not in mapping or text in seen:
                loaded.skipped += 1
                continue
            seen.add(text)
            loaded.examples.append(Example(text, mapping[label]))
    return loaded


def _teleantifraud(directory: Path) -> Loaded:
    loaded, seen = Loaded(), set()
    for path in sorted(directory.glob("*.jsonl")):
        normal = path.name.startswith("normal")
        for row in _jsonl_rows(path):
            turns = _turns(row.get("left"), row.get("right"))
            text = "\n".join(turns)
            if not text or text in seen:
                loaded.skipped += 1
                continue
            seen.add(text)
            label = None if normal else _TAF.get(str(row.get("fraud_type")), FraudType.UNKNOWN)
            loaded.examples.append(Example(text, label))
    return loaded


def _turns(left: object, right: object) -> list[str]:
    """Caller (left) and callee (right) turns interleaved as an "A：…\nB：…" transcript."""
    lefts = [str(x) for x in left] if isinstance(left, list) else []
    rights = [str(x) for x in right] if isinstance(right, list) else []
    turns = []
    for i in range(max(len(lefts), len(rights))):
        turns += [f"A：{lefts[i]}"] if i < len(lefts) else []
        turns += [f"B：{rights[i]}"] if i < len(rights) else []
    return turns


def _csv_rows(path: Path) -> Iterator[dict[str, object]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    yield from csv.DictReader(text.splitlines(keepends=True))


def _jsonl_rows(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = None
            yield row if isinstance(row, dict) else {}
