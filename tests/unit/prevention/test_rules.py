"""The campaign lifecycle, special groups' light contacts, the configuration and the rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fanzha.event.codes import FraudType, PersonGroup
from fanzha.prevention.config import CampaignLimits, ConfigError, SpecialGroups, default_config, load_config
from fanzha.prevention.lifecycle import CampaignCommand, CampaignTransitionError, allowed, next_status
from fanzha.prevention.model import CampaignStatus, Channel
from fanzha.prevention.special import Assessed, light_contact
from fanzha.prevention.throttle import SlidingWindow

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
S, C = CampaignStatus, CampaignCommand


def test_campaign_transitions() -> None:
    assert next_status(S.PLANNED, C.APPROVE) is S.SENDING
    assert next_status(S.SENDING, C.FINISH) is S.DONE
    assert next_status(S.SENDING, C.CANCEL) is S.CANCELLED
    for status, command in [(S.DONE, C.CANCEL), (S.CANCELLED, C.APPROVE), (S.PLANNED, C.FINISH)]:
        with pytest.raises(CampaignTransitionError):
            next_status(status, command)
    assert allowed(S.PLANNED) == [C.APPROVE, C.CANCEL]
    assert allowed(S.SENDING) == [C.CANCEL]  # finishing is the worker's, not an officer's
    assert allowed(S.DONE) == []


FRAUD_TEXT = frozenset({"FRAUD_TEXT"})


def assessed(
    score: int = 30, *, warn: bool = False, at: datetime = T0, codes: frozenset[str] = FRAUD_TEXT
) -> Assessed:
    return Assessed("P1", score, warn, FraudType.FAKE_AUTHORITY, at, codes)


def test_special_groups_get_a_light_contact_below_the_warn_level() -> None:
    config = SpecialGroups()
    elderly = {PersonGroup.ELDERLY, PersonGroup.SINGLE_18_40}
    contact = light_contact(assessed(), elderly, config, None)
    assert contact is not None
    assert contact.channel is Channel.VISIT
    assert contact.group is PersonGroup.ELDERLY
    student = light_contact(assessed(), {PersonGroup.STUDENT}, config, None)
    assert student is not None
    assert student.channel is Channel.SMS
    assert light_contact(assessed(warn=True), elderly, config, None) is None  # the warning workflow acts
    assert light_contact(assessed(score=config.min_score - 1), elderly, config, None) is None
    assert light_contact(assessed(), {PersonGroup.SINGLE_18_40}, config, None) is None  # not configured
    assert light_contact(assessed(), elderly, config, T0 - timedelta(days=29)) is None  # cooldown
    assert light_contact(assessed(), elderly, config, T0 - timedelta(days=30)) is not None
    # A payment habit alone (a new payee) is ordinary life, not contact with fraud.
    assert light_contact(assessed(codes=frozenset({"NEW_PAYEE_SPIKE"})), elderly, config, None) is None
    anything = SpecialGroups(signal_codes=frozenset())
    assert light_contact(assessed(codes=frozenset({"NEW_PAYEE_SPIKE"})), elderly, anything, None) is not None


def test_the_first_configured_group_decides_the_channel() -> None:
    config = SpecialGroups(channels={PersonGroup.STUDENT: Channel.SMS, PersonGroup.ELDERLY: Channel.VISIT})
    contact = light_contact(assessed(), {PersonGroup.ELDERLY, PersonGroup.STUDENT}, config, None)
    assert contact is not None
    assert contact.channel is Channel.SMS


def test_quiet_hours_run_past_midnight() -> None:
    limits = CampaignLimits(quiet_start_hour=21, quiet_end_hour=8)
    assert [h for h in range(24) if limits.quiet(h)] == [0, 1, 2, 3, 4, 5, 6, 7, 21, 22, 23]
    assert not any(CampaignLimits(quiet_start_hour=8, quiet_end_hour=8).quiet(h) for h in range(24))
    assert [h for h in range(24) if CampaignLimits(quiet_start_hour=12, quiet_end_hour=14).quiet(h)] == [
        12,
        13,
    ]


def test_the_shipped_configuration_and_bad_files() -> None:
    config = default_config()
    assert config.version == "2026.1"
    assert config.minutes("VISIT") == 30
    assert config.minutes("UNKNOWN") == 0
    for bad in [
        "campaigns: {sms_per_minute: 0}",
        "special_groups: {channels: {ELDERLY: WECHAT}}",
        "officer_minutes: {COFFEE: 5}",
        "board: {min_registration_rate: 1.5}",
        "unknown_section: {}",
        "campaigns: [",
    ]:
        with pytest.raises(ConfigError):
            load_config(bad)
    assert load_config("").campaigns.max_sms_per_person == 2


def test_the_sliding_window_limits_each_address() -> None:
    window = SlidingWindow(3, timedelta(minutes=10), max_keys=2)
    assert [window.allow("a", T0 + timedelta(seconds=i)) for i in range(4)] == [True, True, True, False]
    assert window.retry_after("a", T0 + timedelta(seconds=4)) == 596
    assert window.allow("b", T0)
    assert window.allow("a", T0 + timedelta(minutes=10))  # the first hit left the window
    assert window.retry_after("b", T0) == 0
    window.allow("c", T0)  # a third address: the least recently seen ("b") is forgotten
    assert [window.allow("b", T0) for _ in range(3)] == [True, True, True]
