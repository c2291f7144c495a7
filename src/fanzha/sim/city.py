"""The city's units (市局 → 分局 → 派出所) and its population, each resident assigned to a station."""

from __future__ import annotations

import random
from dataclasses import dataclass

from fanzha.event.codes import PersonGroup, UnitLevel
from fanzha.event.entities import Account, Person, Phone, Unit
from fanzha.sim.people import BANKS, OCCUPATIONS, Numbers, id_number, name

BRANCHES = (
    ("东湖", ("湖滨", "东门", "文昌")),
    ("西山", ("山前", "金桥", "新村")),
    ("南江", ("江岸", "港口", "城南")),
)


@dataclass(frozen=True, slots=True)
class Population:
    units: list[Unit]
    persons: list[Person]
    phones: list[Phone]
    accounts: list[Account]
    phones_of: dict[str, list[str]]
    accounts_of: dict[str, list[str]]


def build_units() -> list[Unit]:
    units = [Unit(unit_id="C01", name="示范市公安局反诈中心", level=UnitLevel.CITY, area_codes=("9900",))]
    for b, (branch, stations) in enumerate(BRANCHES, start=1):
        branch_id = f"B{b:02d}"
        units.append(Unit(unit_id=branch_id, name=f"{branch}分局", level=UnitLevel.BRANCH, parent_id="C01"))
        for s, station in enumerate(stations, start=1):
            units.append(
                Unit(
                    unit_id=f"{branch_id}S{s:02d}",
                    name=f"{station}派出所",
                    level=UnitLevel.STATION,
                    parent_id=branch_id,
                    area_codes=(f"99{b:02d}{s:02d}",),
                )
            )
    return units


def build_population(size: int, rng: random.Random, numbers: Numbers, year: int) -> Population:
    units = build_units()
    stations = [u for u in units if u.level is UnitLevel.STATION]
    persons: list[Person] = []
    phones: list[Phone] = []
    accounts: list[Account] = []
    phones_of: dict[str, list[str]] = {}
    accounts_of: dict[str, list[str]] = {}
    for i in range(size):
        person_id = f"P{i + 1:07d}"
        age = min(90, max(16, int(rng.gauss(42, 17))))
        sex = rng.choice("MF")
        occupation = _occupation(rng, age)
        groups = _groups(rng, age, occupation)
        station = rng.choice(stations)
        persons.append(
            Person(
                person_id=person_id,
                name=name(rng),
                id_no=id_number(rng, year - age, sex),
                birth_year=year - age,
                sex=sex,
                occupation=occupation,
                groups=groups,
                address=f"示范市{station.name.removesuffix('派出所')}街道{rng.randint(1, 300)}号",
                unit_id=station.unit_id,
            )
        )
        own_phones = [numbers.phone() for _ in range(1 if rng.random() < 0.85 else 2)]
        own_accounts = []
        for bank, prefix in rng.sample(BANKS, k=rng.choice((1, 1, 2, 2, 3))):
            account = numbers.account(prefix)
            own_accounts.append(account)
            accounts.append(Account(account=account, person_id=person_id, bank=bank))
        phones.extend(Phone(phone=p, person_id=person_id) for p in own_phones)
        phones_of[person_id] = own_phones
        accounts_of[person_id] = own_accounts
    return Population(units, persons, phones, accounts, phones_of, accounts_of)


def _occupation(rng: random.Random, age: int) -> str:
    if age < 23 and rng.random() < 0.8:
        return "学生"
    if age >= 62 and rng.random() < 0.85:
        return "退休"
    return rng.choice(OCCUPATIONS[:-2] if age >= 23 else OCCUPATIONS)


def _groups(rng: random.Random, age: int, occupation: str) -> tuple[PersonGroup, ...]:
    groups = []
    if age >= 60:
        groups.append(PersonGroup.ELDERLY)
    if occupation == "学生":
        groups.append(PersonGroup.STUDENT)
    if occupation == "财务":
        groups.append(PersonGroup.FINANCE_STAFF)
    if 18 <= age <= 40 and rng.random() < 0.45:
        groups.append(PersonGroup.SINGLE_18_40)
    return tuple(groups)
