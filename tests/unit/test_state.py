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
