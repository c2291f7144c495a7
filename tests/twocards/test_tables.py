"""Reading transfers, labels and feature tables: bad rows are counted and described, never fatal."""

from pathlib import Path

import pytest

from fanzha.twocards import tables


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return path


COLUMNS = tables.parse_columns("payer=src,payee=dst,amount=value,time=t")


def test_bad_rows_are_left_out_with_line_and_field_and_the_rest_is_kept(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "src,dst,value,t\n"
        "a,b,10.5,2026-10-01T10:00:00+08:00\n"
        ",b,1,2026-10-01T10:00:00+08:00\n"
        "a,b,abc,2026-10-01T10:00:00+08:00\n"
        "a,b,-3,2026-10-01T10:00:00+08:00\n"
        "a,b,5,yesterday\n"
        "c,d,7,2026-10-01 12:00:00\n",
    )
    loaded = tables.read_transfers(path, COLUMNS, "iso")
    assert loaded.frame.height == 2
    assert loaded.rows == 6
    assert loaded.problems.count == 4
    assert loaded.problems.messages == [
        "line 3: payer is empty",
        "line 4: amount is not a number",
        "line 5: amount must be positive",
        "line 6: time is not a valid iso time",
    ]
    assert "abc" not in " ".join(loaded.problems.messages)
    aware, naive = loaded.frame["ts"].to_list()
    assert aware == 1_790_820_000  # 2026-10-01 02:00 UTC
    assert naive == aware + 2 * 3600  # a time without an offset is Beijing time
    assert loaded.has_clock


def test_units_steps_epoch_and_fen(tmp_path: Path) -> None:
    path = _write(tmp_path, "src,dst,value,t\na,b,250,3\nb,c,100,4\n")
    steps = tables.read_transfers(path, COLUMNS, "auto", "fen")
    assert steps.frame["ts"].to_list() == [3 * 86_400, 4 * 86_400]
    assert steps.frame["amount"].to_list() == [2.5, 1.0]
    assert not steps.has_clock
    epoch = _write(tmp_path, "src,dst,value,t\na,b,1,1790000000000\n")
    loaded = tables.read_transfers(epoch, COLUMNS)
    assert loaded.frame["ts"].to_list() == [1_790_000_000]  # milliseconds recognised
    assert loaded.has_clock


def test_a_missing_column_or_a_bad_spec_is_a_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "src,dst,value\na,b,1\n")
    with pytest.raises(tables.InputError, match="no column t"):
        tables.read_transfers(path, COLUMNS)
    with pytest.raises(tables.InputError, match="missing time"):
        tables.parse_columns("payer=a,payee=b,amount=c")
    with pytest.raises(tables.InputError, match="expected payer"):
        tables.parse_columns("payer=a,payee=b,amount=c,when=d")


def test_labels_accept_common_spellings_and_report_the_rest(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,y\na,1\nb,0\nc,True\nd,maybe\n,1\ne,否\n")
    labels, problems = tables.read_labels(path, "id", "y")
    assert dict(labels.iter_rows()) == {"a": 1, "b": 0, "c": 1, "e": 0}
    assert problems.count == 2
    assert sorted(problems.messages) == [
        "line 5: y is not 1/0, true/false or yes/no",
        "line 6: the id is empty",
    ]


def test_feature_tables_read_numbers_and_keep_bad_cells_as_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, "num,f1,f2,label\nx,1,2.5,1\ny,,oops,0\nz,3,4,?\n")
    table, names, problems = tables.read_features(path, "num", "label")
    assert names == ("f1", "f2")
    assert table["num"].to_list() == ["x", "y"]
    assert table["f2"].to_list() == [2.5, None]
    assert table["label"].to_list() == [1, 0]
    assert problems.count == 2
    assert "line 3: f2 is not a number (read as missing)" in problems.messages
