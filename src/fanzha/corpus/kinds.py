"""The enums of the text generator's interface."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Steps of a fraud journey, in order."""

    HOOK = "hook"
    GROOMING = "grooming"
    APP = "app"
    PAYMENT = "payment"
    ESCALATION = "escalation"


class Channel(StrEnum):
    SMS = "sms"
    CHAT = "chat"
    CALL = "call"


class Topic(StrEnum):
    """What an ordinary message is about."""

    FAMILY = "family"
    WORK = "work"
    AD = "ad"
    NOTIFICATION = "notification"
    DELIVERY = "delivery"
    BANK = "bank"
    SERVICE = "service"
