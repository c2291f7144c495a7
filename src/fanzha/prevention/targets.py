"""Per topic, the groups it targets and its standard tip: versioned data (`config/targets.yaml`).

Pure: the YAML is parsed and validated here, and `Targeting.topics_for` says which topics a registry
person belongs to. A tip is refused at load time when it carries a link or a phone number (12381
style: a citizen must never be taught to trust a number or a link in an SMS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from fanzha.event.codes import FraudType, PersonGroup
from fanzha.prevention.model import Resident

DEFAULT_FILE = Path(__file__).parent / "config" / "targets.yaml"
MAX_TIP_CHARS = 200
_LINK = re.compile(r"(https?:|www\.|[a-z0-9-]+\.(?:com|cn|net|org|top|xyz|cc|vip|io|me|app)\b)", re.I)
_NUMBER = re.compile(r"\d[\d\s-]{3,}\d")  # five or more digits, however spaced: a phone number


class TargetingError(ValueError):
    """The targeting file is not valid (the message names the topic and field)."""


def check_tip(text: str) -> str:
    """`text` if it is fit for an SMS: no link, no phone number, not empty, not too long."""
    if _LINK.search(text):
        raise ValueError("a tip must not contain a link")
    if _NUMBER.search(text):
        raise ValueError("a tip must not contain a phone number or other long number")
    if not text.strip() or len(text) > MAX_TIP_CHARS:
        raise ValueError(f"a tip has 1 to {MAX_TIP_CHARS} characters")
    return text.strip()


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Rule(_Strict):
    """One audience rule; every field given must hold."""

    label: str = Field(min_length=1, max_length=40)
    groups: tuple[PersonGroup, ...] = ()
    occupations: tuple[str, ...] = ()
    age: tuple[int, int] | None = None
    sex: str | None = Field(default=None, pattern=r"^[MF]$")

    @field_validator("groups", mode="before")
    @classmethod
    def _groups(cls, value: object) -> object:
        return tuple(PersonGroup(v) for v in value) if isinstance(value, list) else value

    @field_validator("occupations", "age", mode="before")
    @classmethod
    def _tuple(cls, value: object) -> object:
        return tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _age_order(self) -> Rule:
        if self.age is not None and not 0 <= self.age[0] <= self.age[1] <= 130:
            raise ValueError("age is [lowest, highest] with 0 <= lowest <= highest <= 130")
        return self

    def matches(self, person: Resident, year: int) -> bool:
        if self.groups and not person.groups.intersection(self.groups):
            return False
        if self.occupations and person.occupation not in self.occupations:
            return False
        if self.sex is not None and person.sex != self.sex:
            return False
        if self.age is not None:
            if person.birth_year is None:
                return False
            return self.age[0] <= year - person.birth_year <= self.age[1]
        return True


class Topic(_Strict):
    """A theme of publicity: usually a fraud type, with its target rules and standard tip."""

    code: str
    label: str = Field(min_length=1, max_length=40)
    weight: float = Field(ge=0)
    targets: tuple[Rule, ...] = Field(min_length=1)
    tip: str

    @field_validator("targets", mode="before")
    @classmethod
    def _rules(cls, value: object) -> object:
        return tuple(value) if isinstance(value, list) else value

    @field_validator("tip")
    @classmethod
    def _tip(cls, value: str) -> str:
        return check_tip(value)

    @property
    def fraud_type(self) -> FraudType | None:
        """The fraud type this topic warns of (None for a theme such as GENERAL)."""
        return FraudType(self.code) if self.code in FraudType.__members__ else None

    def matches(self, person: Resident, year: int) -> bool:
        return any(rule.matches(person, year) for rule in self.targets)


class SmsFrame(_Strict):
    prefix: str = Field(max_length=40)
    suffix: str = Field(max_length=60)

    @field_validator("prefix", "suffix")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_tip(value) if value else value


@dataclass(frozen=True, slots=True)
class Targeting:
    """The topics of one version of the targeting file."""

    version: str
    topics: dict[str, Topic]
    sms: SmsFrame

    def topic(self, code: str) -> Topic:
        try:
            return self.topics[code]
        except KeyError:
            raise TargetingError(f"unknown topic {code!r}") from None

    def topics_for(self, person: Resident, year: int, among: Iterable[str] | None = None) -> list[str]:
        """The topics (of `among`, else all) whose audience includes `person`, in file order."""
        wanted = set(among) if among is not None else None
        return [
            code
            for code, topic in self.topics.items()
            if (wanted is None or code in wanted) and topic.matches(person, year)
        ]

    def sms_text(self, code: str) -> str:
        """The SMS of a topic: the frame around its standard tip."""
        return f"{self.sms.prefix}{self.topic(code).tip}{self.sms.suffix}"

    def topic_of(self, fraud_type: FraudType) -> str:
        """The topic for a fraud type (GENERAL when the file has none for it)."""
        return fraud_type.value if fraud_type.value in self.topics else "GENERAL"


def load_targeting(text: str) -> Targeting:
    """Parse and validate a targeting file; errors name the topic and the field, never a value."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TargetingError(f"targeting file is not valid YAML: {type(exc).__name__}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("topics"), dict) or not raw["topics"]:
        raise TargetingError("targeting file needs `version`, `sms` and a non-empty `topics` mapping")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise TargetingError("targeting file needs a `version` string")
    topics: dict[str, Topic] = {}
    for code, body in raw["topics"].items():
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]{1,31}", code):
            raise TargetingError("topic codes are upper-case names such as LOAN")
        try:
            topics[code] = Topic.model_validate({"code": code, **(body or {})})
        except (ValidationError, TypeError) as exc:
            raise TargetingError(f"topic {code}: {_fields(exc)}") from None
    if "GENERAL" not in topics:
        raise TargetingError("targeting file needs a GENERAL topic (the tip for types without one)")
    try:
        sms = SmsFrame.model_validate(raw.get("sms") or {"prefix": "", "suffix": ""})
    except ValidationError as exc:
        raise TargetingError(f"sms: {_fields(exc)}") from None
    return Targeting(version, topics, sms)


def _fields(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = sorted({".".join(str(p) for p in e["loc"]) or "value" for e in exc.errors()})
        reasons = sorted({str(e["msg"]) for e in exc.errors()})
        return f"invalid {', '.join(parts)} ({'; '.join(reasons)})"
    return "invalid structure"


def default_targeting() -> Targeting:
    """The shipped targeting file."""
    return load_targeting(DEFAULT_FILE.read_text(encoding="utf-8"))
