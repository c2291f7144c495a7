"""Accounts carry where, when and how they were opened; sold cards cluster at a few branches."""

from collections import Counter
from datetime import date

from fanzha.sim.world import generate


def test_accounts_have_branch_date_and_class_and_sold_cards_cluster() -> None:
    world = generate(4000, 2, 3, victim_rate=0.02)
    assert all(a.branch and a.opened_on and a.account_class for a in world.accounts)
    assert {a.account_class for a in world.accounts} == {"I", "II", "III", "CORPORATE"}
    sold = {a["value"] for r in world.truth["campaigns"] for a in r["level1_accounts"] if a.get("owner")}
    mules = [a for a in world.accounts if a.account in sold]
    others = [a for a in world.accounts if a.account not in sold]
    assert len(mules) >= 5
    top = Counter(a.branch for a in mules).most_common(len({a.bank for a in mules}))
    assert sum(n for _, n in top) >= 0.6 * len(mules)  # most at one branch per bank
    spread = Counter(a.branch for a in others)
    assert max(spread.values()) < 0.1 * len(others)  # ordinary accounts are spread out
    assert all(a.opened_on > date(2026, 5, 1) for a in mules)  # opened within months of the window
    assert all(a.branch.startswith(a.bank) for a in world.accounts if a.bank and a.branch)
