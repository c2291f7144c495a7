"""Entities the events refer to: units of the police hierarchy, persons, their phones and accounts."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from fanzha.event.codes import FraudType, IndicatorKind, PersonGroup, UnitLevel
from fanzha.event.model import AccountNo, Id, PhoneNo

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class _Entity(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Unit(_Entity):
    """A police unit: 市局 (CITY) → 分局 (BRANCH) → 派出所 (STATION) → 社区 (COMMUNITY)."""

    unit_id: Id
    name: Name
    level: UnitLevel
    parent_id: Id | None = None
    area_codes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _parent_rule(self) -> Unit:
        if (self.level is UnitLevel.CITY) != (self.parent_id is None):
            raise ValueError("exactly the CITY unit has no parent")
        return self


class Person(_Entity):
    """A resident the platform may need to protect; `unit_id` is the station responsible for them."""

    person_id: Id
    name: Name
    id_no: Annotated[str, StringConstraints(pattern=r"^[0-9]{17}[0-9Xx]$")] | None = None
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    sex: Annotated[str, StringConstraints(pattern=r"^[MF]$")] | None = None
    occupation: Annotated[str, StringConstraints(max_length=100)] | None = None
    groups: tuple[PersonGroup, ...] = ()
    address: Annotated[str, StringConstraints(max_length=300)] | None = None
    unit_id: Id | None = None


class Phone(_Entity):
    """A phone number registered to a person."""

    phone: PhoneNo
    person_id: Id
    operator: Annotated[str, StringConstraints(max_length=40)] | None = None


class Account(_Entity):
    """A bank or payment account held by a person: where and when it was opened, and its class
    (个人 I/II/III 类 or 对公 CORPORATE), when known."""

    account: AccountNo
    person_id: Id
    bank: Annotated[str, StringConstraints(max_length=60)] | None = None
    branch: Annotated[str, StringConstraints(max_length=100)] | None = None
    opened_on: date | None = None
    account_class: Literal["I", "II", "III", "CORPORATE"] | None = None


class Indicator(_Entity):
    """A listed fraud indicator (account, phone number, URL host or app) with its provenance."""

    kind: IndicatorKind
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
    source: Annotated[str, StringConstraints(max_length=60)] = "LOCAL"
    fraud_type: FraudType = FraudType.UNKNOWN
    listed_at: AwareDatetime | None = Field(
        default=None, description="when the list learned it; before then it does not match (None: always)"
    )
    expires_at: AwareDatetime | None = Field(
        default=None, description="from then on it no longer matches (None: never)"
    )
