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


class Category(StrEnum):
    """What a text is to the person who receives it: a fraud attempt on them, spam or a (legal or
    illegal) promotion that is no attempt on them, or an ordinary message."""

    NORMAL = "normal"
    SPAM = "spam"
    FRAUD = "fraud"


class Part(StrEnum):
    """Which templates of a phrase list a draw may use. The default model trains on `TRAIN`; the
    simulated city draws from `HELD_OUT`, so the city evaluation scores phrasing the model never saw
    (see `compose.part_of`). `ALL` uses every template."""

    TRAIN = "train"
    HELD_OUT = "held_out"
    ALL = "all"
