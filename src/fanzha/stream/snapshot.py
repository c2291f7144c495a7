"""Detector-state snapshots on disk, so a restarted runner resumes without replaying the store.

A snapshot records how many events the store held when it was taken and a fingerprint of the
policy and detector settings. It is used only when both still match; otherwise the runner falls
back to replaying the stored events of the last window. Files are written atomically (temp file,
then rename) and read with an unpickler that admits only fanzha's own state types, dates and
plain containers, so a tampered file cannot run code.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import io
import os
import pickle
from dataclasses import dataclass, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

FORMAT = 1
_STATE_PACKAGES = frozenset({"detection", "event", "risk"})  # the pure core (no I/O by contract)
_BUILTINS = frozenset({"set", "frozenset", "tuple", "list", "dict", "bytes", "int", "float", "str", "bool"})


@dataclass(frozen=True, slots=True)
class Snapshot:
    events: int  # events in the store when taken
    fingerprint: str
    state: dict[str, object]
    clock: dt.datetime | None


def fingerprint(*parts: object) -> str:
    """A digest of the configuration the state was built under."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def write_snapshot(path: Path, snapshot: Snapshot) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        pickle.dump((FORMAT, snapshot), fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


class _StateUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _BUILTINS:
            return getattr(builtins, name)
        if module == "datetime" and name in {"datetime", "timedelta", "timezone"}:
            return getattr(dt, name)
        if (module, name) == ("pydantic_core._pydantic_core", "TzInfo"):  # offsets of parsed timestamps
            return super().find_class(module, name)
        if (module, name) == (__name__, "Snapshot"):
            return Snapshot
        if module.startswith("fanzha.") and module.split(".")[1] in _STATE_PACKAGES:
            found = super().find_class(module, name)
            # Only value types of the pure core: building one runs no code but field assignment,
            # whereas a function or any other class could be called with attacker-chosen arguments.
            if isinstance(found, type) and (is_dataclass(found) or issubclass(found, Enum)):
                return found
        raise pickle.UnpicklingError(f"snapshot refers to {module}.{name}, which a snapshot may not hold")


def read_snapshot(path: Path) -> Snapshot | None:
    """The snapshot at `path`, or None when there is none or it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        version, snapshot = _StateUnpickler(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    if version != FORMAT or not isinstance(snapshot, Snapshot):
        return None
    return snapshot
