"""The audited ways personal data leaves: the reveal (full data, with a purpose) and the CSV export.

Shared by the API (`api/warnings.py`) and the console (`console/warnings.py`): both audit the same way.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.auth.model import Principal, Purpose
from fanzha.warning import queries
from fanzha.warning.views import EXPORT_COLUMNS, export_csv
from fanzha.web.deps import audit, not_visible

EXPORT_LIMIT = 5000


def reveal(
    request: Request, session: Session, principal: Principal, warning_id: int, purpose: Purpose
) -> tuple[queries.WarningDetail | None, queries.Revealed | None]:
    """The detail and the revealed data, or (None, None) when the warning is not the caller's to see
    (audited either way)."""
    detail, exists = queries.visible_detail(session, principal, warning_id)
    if detail is None:
        if exists:
            not_visible(request, principal, "warning", warning_id, LookupError)
        return None, None
    revealed = queries.reveal(session, principal, warning_id, purpose)
    audit(
        request,
        principal,
        Action.WARNING_REVEAL,
        object_type="warning",
        object_id=warning_id,
        object_unit_id=detail.unit_id,
        fields=revealed.fields,
        purpose=purpose.value,
    )
    return detail, revealed


def export(
    request: Request, session: Session, principal: Principal, purpose: Purpose, open_only: bool
) -> Response:
    """The caller's warnings as CSV (masked like the list), audited with the purpose and the columns."""
    warnings = queries.visible_list(session, principal, open_only=open_only, limit=EXPORT_LIMIT, offset=0)
    audit(
        request,
        principal,
        Action.WARNING_EXPORT,
        object_type="warning_list",
        object_id=f"{len(warnings)} rows",
        fields=[name for name, _ in EXPORT_COLUMNS],
        purpose=purpose.value,
    )
    return Response(
        export_csv(warnings),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="warnings.csv"', "Cache-Control": "no-store"},
    )
