"""The simulated population: groups fit ages and occupations, everyone lives under a station."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from fanzha.event.codes import FraudType, PersonGroup, UnitLevel
from fanzha.event.entities import Account, Person, Phone
from fanzha.sim.city import build_city
from fanzha.sim.fraud import pick_victims
from fanzha.sim.numbers import BANKS, Issuer
from fanzha.sim.people import (
    OCCUPATIONS,
    Population,
    accounts_frame,
    build_population,
    persons_frame,
    phones_frame,
)

N = 20_000


@pytest.fixture(scope="module")
def pop() -> Population:
    return build_population(N, 3, build_city(), Issuer(3))


def test_groups_fit_ages_and_occupations(pop: Population) -> None:
    occupation = np.asarray(OCCUPATIONS)[pop.occupation]
    assert (pop.has_group(PersonGroup.ELDERLY) == (pop.age >= 60)).all()
    assert (pop.has_group(PersonGroup.STUDENT) == (occupation == "学生")).all()
    assert (pop.has_group(PersonGroup.FINANCE_STAFF) == (occupation == "财务")).all()
    single = pop.has_group(PersonGroup.SINGLE_18_40)
    assert ((pop.age[single] >= 18) & (pop.age[single] <= 40)).all()
    assert 0.2 < single[(pop.age >= 18) & (pop.age <= 40)].mean() < 0.8
    assert (pop.age[occupation == "学生"] <= 30).all()
    assert (pop.age[occupation == "退休"] >= 55).all()
    assert pop.age.min() >= 16


def test_everyone_lives_under_a_station_and_the_records_are_valid(pop: Population) -> None:
    city = build_city()
    stations = {u.unit_id for u in city.units if u.level is UnitLevel.STATION}
    ids = {u.unit_id for u in city.units}
    assert all(u.parent_id in ids for u in city.units if u.parent_id)
    persons = [
        Person.model_validate(r) for r in persons_frame(pop, city, 3, 2026).head(2000).iter_rows(named=True)
    ]
    assert all(p.unit_id in stations for p in persons)
    assert persons_frame(pop, city, 3, 2026)["unit_id"].is_in(list(stations)).all()
    for p in persons[:300]:
        assert p.id_no is not None
        assert p.id_no.startswith("99")
        assert p.id_no[6:10] == str(p.birth_year)
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        assert (
            p.id_no[-1]
            == "10X98765432"[sum(int(c) * w for c, w in zip(p.id_no[:17], weights, strict=True)) % 11]
        )
        assert (int(p.id_no[16]) % 2 == 1) == (p.sex == "M")
    phones, accounts = phones_frame(pop), accounts_frame(pop)
    Phone.model_validate(phones.row(0, named=True))
    Account.model_validate(accounts.row(0, named=True))
    assert phones["phone"].is_unique().all()
    assert accounts["account"].is_unique().all()


def test_people_bank_at_several_banks(pop: Population) -> None:
    accounts = accounts_frame(pop)
    per_person = accounts.group_by("person_id").agg(n=pl.len(), banks=pl.col("bank").n_unique())
    assert (per_person["n"] == per_person["banks"]).all()  # never two cards of one bank
    assert per_person["n"].max() >= 3
    assert set(accounts["bank"].unique()) <= {b for b, _ in BANKS}


def test_each_type_targets_its_groups(pop: Population) -> None:
    victims = pick_victims(pop, 2_000, 5)
    assert set(victims) == set(FraudType) - {FraudType.UNKNOWN}
    everyone = np.arange(pop.n)
    boss = victims[FraudType.FAKE_BOSS_ACQ]
    assert (
        pop.has_group(PersonGroup.FINANCE_STAFF)[boss].mean()
        > 5 * pop.has_group(PersonGroup.FINANCE_STAFF)[everyone].mean()
    )
    authority = victims[FraudType.FAKE_AUTHORITY]
    assert (
        pop.has_group(PersonGroup.ELDERLY)[authority].mean() > 2 * pop.has_group(PersonGroup.ELDERLY).mean()
    )
    pig = victims[FraudType.PIG_BUTCHERING]
    assert (
        pop.has_group(PersonGroup.SINGLE_18_40)[pig].mean()
        > 1.5 * pop.has_group(PersonGroup.SINGLE_18_40).mean()
    )
    assert pop.age[victims[FraudType.GAME_TRADE]].mean() < pop.age.mean() - 5
    brushing = victims[FraudType.BRUSHING]
    assert (
        pop.has_group(PersonGroup.STUDENT)[brushing].mean() > 1.5 * pop.has_group(PersonGroup.STUDENT).mean()
    )
    chosen = np.concatenate(list(victims.values()))
    assert np.unique(chosen).size == chosen.size  # one episode per victim
    assert (
        victims[FraudType.BRUSHING].size > victims[FraudType.GAME_TRADE].size
    )  # brushing leads the rankings
