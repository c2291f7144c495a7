"""Reference data: units, persons, phones, accounts and indicator lists, loaded into memory."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from fanzha.detection.lists import IndicatorLists
from fanzha.event.codes import PersonGroup
from fanzha.event.entities import Account, Indicator, Person, Phone, Unit
from fanzha.store.lists import ListRepository, indicator_values
from fanzha.store.tables import AccountRow, IndicatorRow, PersonRow, PhoneRow, UnitRow


class InMemoryDirectory:
    """Phone/account → person, held in a dict."""

    def __init__(self, owners: dict[str, str]) -> None:
        self._owners = owners

    def person_for(self, identifier: str) -> str | None:
        return self._owners.get(identifier)


def load_directory(session: Session) -> InMemoryDirectory:
    owners: dict[str, str] = {}
    for phone, person_id in session.execute(select(PhoneRow.phone, PhoneRow.person_id)):
        owners[f"phone:{phone}"] = person_id
    for account, person_id in session.execute(select(AccountRow.account, AccountRow.person_id)):
        owners[f"account:{account}"] = person_id
    return InMemoryDirectory(owners)


def load_indicators(session: Session) -> IndicatorLists:
    return ListRepository(session).load()


class InMemoryProfiles:
    """Person → population groups (finance staff, elderly ...), for detectors that ask."""

    def __init__(self, groups: dict[str, frozenset[PersonGroup]]) -> None:
        self._groups = groups

    def groups(self, person_id: str) -> frozenset[PersonGroup]:
        return self._groups.get(person_id, frozenset())


def load_profiles(session: Session) -> InMemoryProfiles:
    known = {g.value for g in PersonGroup}
    groups: dict[str, frozenset[PersonGroup]] = {}
    for person_id, names in session.execute(select(PersonRow.person_id, PersonRow.groups)):
        chosen = frozenset(PersonGroup(n) for n in names or () if n in known and n != PersonGroup.OTHER.value)
        if chosen:
            groups[person_id] = chosen
    return InMemoryProfiles(groups)


def replace_reference_data(
    session: Session,
    *,
    units: Iterable[Unit] = (),
    persons: Iterable[Person] = (),
    phones: Iterable[Phone] = (),
    accounts: Iterable[Account] = (),
    indicators: Iterable[Indicator] = (),
) -> None:
    """Replace the rows of each given kind (empty iterables leave that kind untouched)."""
    batches: list[tuple[type, list[dict[str, object]]]] = [
        (UnitRow, [u.model_dump(mode="json") | {"area_codes": list(u.area_codes)} for u in units]),
        (PersonRow, [p.model_dump(mode="json") | {"groups": [g.value for g in p.groups]} for p in persons]),
        (PhoneRow, [p.model_dump(mode="json") for p in phones]),
        (AccountRow, [a.model_dump() for a in accounts]),  # opened_on stays a date
        (IndicatorRow, [indicator_values(i) for i in indicators]),
    ]
    for table, rows in batches:
        if rows:
            session.execute(delete(table))
            for start in range(0, len(rows), 5000):
                session.execute(insert(table), rows[start : start + 5000])
