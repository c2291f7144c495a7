"""The shape every funds lifecycle shares: a transition table of (state, command type) → handler."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fanzha.funds.model import Effect, TransitionError

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Outcome(Generic[R]):
    """The record after a command, and what the edge must do once the change is committed."""

    record: R
    effects: tuple[Effect, ...] = ()


Handler = Callable[[Any, Any, Any], Outcome[Any]]


def dispatch(table: Mapping[tuple[Any, type], Handler], record: Any, command: Any, settings: Any) -> Any:
    """Apply `command` to `record` by the table; a pair the table lacks is a `TransitionError`."""
    handler = table.get((record.status, type(command)))
    if handler is None:
        raise TransitionError(f"{type(command).__name__} is not allowed in state {record.status}")
    return handler(record, command, settings)
