"""Masking of personal fields for every view and log (`138****1234`, `3201********1234`)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """Keep the first three and last four digits of a phone number."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_no(id_no: str | None) -> str:
    """Keep the first four and last four characters of an identity-card number."""
    if not id_no:
        return ""
    if len(id_no) <= 8:
        return "*" * len(id_no)
    return id_no[:4] + "*" * (len(id_no) - 8) + id_no[-4:]


def mask_account(account: str | None) -> str:
    """Keep the bank prefix (first four) and the last four digits: `6222****1234`."""
    if not account:
        return ""
    if len(account) <= 4:
        return "*" * len(account)
    if len(account) < 12:
        return "****" + account[-4:]
    return account[:4] + "****" + account[-4:]


def mask_name(name: str | None) -> str:
    """Keep the family name (first character) of a Chinese name."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def mask_subject(subject_key: str) -> str:
    """Mask a subject key such as `phone:13812341234` or `account:6222...` for display."""
    kind, _, value = subject_key.partition(":")
    if kind == "phone":
        return "手机 " + mask_phone(value)
    if kind == "account":
        return "账户 " + mask_account(value)
    if kind == "person":
        return "人员 " + value
    return mask_account(subject_key)
