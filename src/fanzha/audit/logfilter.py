"""Keep personal identifiers out of log lines: every record's message is masked when it is created.

Installed once per process (`install`) by the web app and the CLI. It masks what a pattern can find
(identity-card numbers, bank accounts, mobile numbers); names cannot be found by pattern, so code must
never log them (the tests check the console's and the API's own logging).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fanzha.masking import mask_account, mask_id_no, mask_phone

_ID_NO = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_ACCOUNT = re.compile(r"(?<!\d)\d{12,19}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")


def mask_text(text: str) -> str:
    """`text` with identity numbers, bank accounts and mobile numbers masked."""
    text = _ID_NO.sub(lambda m: mask_id_no(m.group(0)), text)
    text = _ACCOUNT.sub(lambda m: mask_account(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed format string: mask what is there
        message = f"{record.msg} {record.args}"
    record.msg = mask_text(message)
    record.args = None


_installed: list[bool] = []


def install() -> None:
    """Mask every log record created in this process from now on (idempotent)."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _mask_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed.append(True)
