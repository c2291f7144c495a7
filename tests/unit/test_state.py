from fanzha.detection.state import InMemoryState, OverlayState


def test_overlay_stages_writes_until_commit() -> None:
    base = InMemoryState()
    base.put("a", 1)
    overlay = OverlayState(base)
    overlay.put("a", 2)
    overlay.put("b", 3)
    assert overlay.get("a") == 2
    assert base.get("a") == 1
    assert base.get("b") is None
    overlay.commit()
    assert base.get("a") == 2
    assert base.get("b") == 3


def test_discarded_overlay_leaves_no_trace_including_deletes() -> None:
    base = InMemoryState()
    base.put("a", 1)
    overlay = OverlayState(base)
    overlay.delete("a")
    overlay.put("c", 9)
    assert overlay.get("a") is None
    overlay.discard()
    assert base.get("a") == 1
    assert base.get("c") is None
    overlay.delete("a")
    overlay.commit()
    assert base.get("a") is None


def test_snapshot_and_restore() -> None:
    state = InMemoryState()
    state.put("k", (1, 2))
    snap = state.snapshot()
    state.put("k", (3,))
    state.restore(snap)
    assert state.get("k") == (1, 2)
    assert len(state) == 1


def test_timers_drop_keys_once_event_time_passes_them() -> None:
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    state = InMemoryState()
    state.put("short", 1, t0 + timedelta(hours=1))
    state.put("long", 2, t0 + timedelta(days=3))
    state.put("forever", 3)
    assert state.expire(t0 + timedelta(hours=2)) == 1
    assert state.get("short") is None
    assert state.get("long") == 2
    # Re-putting moves the timer: the key lives on.
    state.put("long", 4, t0 + timedelta(days=10))
    assert state.expire(t0 + timedelta(days=5)) == 0
    assert state.expire(t0 + timedelta(days=11)) == 1
    assert dict(state.items()) == {"forever": 3}


def test_overlay_carries_timers_and_snapshot_keeps_them() -> None:
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    base = InMemoryState()
    overlay = OverlayState(base)
    overlay.put("k", (1,), t0 + timedelta(hours=1))
    overlay.commit()
    restored = InMemoryState()
    restored.restore(base.snapshot())
    assert restored.get("k") == (1,)
    assert restored.expire(t0 + timedelta(hours=2)) == 1
    assert restored.get("k") is None
