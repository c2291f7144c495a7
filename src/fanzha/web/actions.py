"""Officers' actions from a console form or an API body: parse, check scope, apply, commit.

Shared by `api/workflow.py` and `console/workflow.py` (a helper, not a router).

A stale version answers 409 with a message saying someone else acted first; a step the state
does not allow, or bad data, answers 422 with the lifecycle's Chinese message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import HTTPException, Request
from sqlalchemy.exc import IntegrityError

from fanzha.auth.model import Permission
from fanzha.clock import Clock
from fanzha.dispatch.service import LadderDispatcher
from fanzha.present import DISPLAY_TZ
from fanzha.uow import UnitOfWork
from fanzha.warning import lifecycle as lc
from fanzha.warning import service
from fanzha.warning.deadlines import WorkflowConfig
from fanzha.warning.model import WarningStatus
from fanzha.web.deps import ForbiddenError, Principal, new_uow

# Grading and (re)assigning belong to dispatchers and analysts; every other step to the officer who works it.
ASSIGN_ACTIONS = frozenset({"assign", "escalate"})
STALE_MESSAGE = "该预警已被他人更新（版本已变化），您的操作未保存。请刷新页面查看最新状态后再操作。"
CONCLUSIONS: dict[str, type[lc.DissuadedByPhone] | type[lc.NeedMeet] | type[lc.MarkUnreachable]] = {
    WarningStatus.DISSUADED_BY_PHONE.value: lc.DissuadedByPhone,
    WarningStatus.NEED_MEET.value: lc.NeedMeet,
    WarningStatus.UNREACHABLE.value: lc.MarkUnreachable,
}


class BadInput(ValueError):  # noqa: N818 (a message for the officer, not a programming error)
    pass


def _text(fields: Mapping[str, Any], name: str, limit: int = 500) -> str:
    value = fields.get(name)
    return str(value).strip()[:limit] if value is not None else ""


def _enum(kind: type[Any], fields: Mapping[str, Any], name: str, label: str) -> Any:
    try:
        return kind(_text(fields, name))
    except ValueError as exc:
        raise BadInput(f"请选择{label}") from exc


def _fen(fields: Mapping[str, Any]) -> int:
    if fields.get("loss_fen") not in (None, ""):
        try:
            return int(fields["loss_fen"])
        except (TypeError, ValueError) as exc:
            raise BadInput("损失金额（分）须为整数") from exc
    text = _text(fields, "loss_yuan") or "0"
    try:
        yuan = Decimal(text)
    except InvalidOperation as exc:
        raise BadInput("损失金额须为数字（元）") from exc
    if yuan != yuan.quantize(Decimal("0.01")):
        raise BadInput("损失金额最多两位小数")
    return int(yuan * 100)


def _meet(fields: Mapping[str, Any]) -> lc.MeetRecord:
    raw = _text(fields, "met_at")
    try:
        at = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise BadInput("请填写见面时间") from exc
    if at.tzinfo is None:
        at = at.replace(tzinfo=DISPLAY_TZ)  # the console's datetime-local is Beijing time
    officers = fields.get("officers", "")
    names = officers if isinstance(officers, list) else str(officers).replace("，", ",").split(",")
    checklist = fields.get("checklist", [])
    items = checklist if isinstance(checklist, list) else [checklist]
    return lc.MeetRecord(
        at=at,
        place=_text(fields, "place", 200),
        officers=tuple(str(n).strip() for n in names if str(n).strip()),
        checklist=frozenset(str(i) for i in items if i),
    )


def build_command(action: str, fields: Mapping[str, Any], *, follow_up_until: datetime) -> lc.Command:
    """The lifecycle command for `action` with the officer's input, or `BadInput`."""
    note = _text(fields, "note", 2000)
    builders: dict[str, Any] = {
        "assign": lambda: lc.Assign(_text(fields, "unit_id", 64), note),
        "sign": lambda: lc.Sign(note),
        "start_contact": lambda: lc.StartContact(_enum(lc.Channel, fields, "channel", "联系方式"), note),
        "record_contact": lambda: lc.RecordContact(
            _enum(lc.Channel, fields, "channel", "联系方式"),
            _enum(lc.ContactResult, fields, "result", "联系结果"),
            note,
        ),
        "conclude_contact": lambda: _conclusion(fields, note),
        "start_locating": lambda: lc.StartLocating(note),
        "record_meet": lambda: lc.RecordMeet(_meet(fields), note),
        "submit_feedback": lambda: lc.SubmitFeedback(
            _enum(lc.Outcome, fields, "outcome", "劝阻结果"), note, _fen(fields)
        ),
        "start_follow_up": lambda: lc.StartFollowUp(follow_up_until, note),
        "close": lambda: lc.Close(
            lc.Outcome(_text(fields, "outcome")) if _text(fields, "outcome") else None, note
        ),
        "transfer": lambda: lc.Transfer(note),
        "escalate": lambda: lc.Escalate(_text(fields, "reason", 200) or "人工督办", note),
    }
    if action not in builders:
        raise BadInput("未知的操作")
    try:
        command: lc.Command = builders[action]()
    except ValueError as exc:
        raise BadInput(str(exc) if isinstance(exc, BadInput) else "输入有误") from exc
    return command


def _conclusion(fields: Mapping[str, Any], note: str) -> lc.Command:
    kind = CONCLUSIONS.get(_text(fields, "result"))
    if kind is None:
        raise BadInput("请选择电话劝阻结果")
    return kind(note)


def _version(fields: Mapping[str, Any]) -> int:
    try:
        return int(fields["version"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput("缺少版本号（version），请刷新页面后再操作") from exc


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action did: the state it left and the version the next action must carry."""

    warning_id: int
    from_status: str
    status: str
    version: int
    unit_id: str | None


def perform(
    request: Request, principal: Principal, warning_id: int, action: str, fields: Mapping[str, Any]
) -> ActionResult:
    """Apply one action for `principal`; HTTP 403 / 404 / 409 / 422 with a Chinese `detail` when it fails."""
    needed = Permission.WARNING_ASSIGN if action in ASSIGN_ACTIONS else Permission.WARNING_HANDLE
    if not principal.may(needed):
        raise ForbiddenError(needed)
    clock: Clock = request.app.state.workflow_clock
    config: WorkflowConfig = request.app.state.workflow_config
    with new_uow(request) as uow:
        warning = uow.warnings.get(warning_id)  # `apply` loads the workflow state itself
        if (
            warning is None
            or not principal.can_see(warning.unit_id)
            or not principal.can_see_level(warning.level)
        ):
            raise HTTPException(404, f"未找到编号为 {warning_id} 的预警指令")
        try:
            until = clock.now() + timedelta(days=config.follow_up_days)
            command = build_command(action, fields, follow_up_until=until)
            if isinstance(command, lc.Assign) and not _can_assign(uow, principal, command.unit_id):
                raise BadInput("不能下发至该单位（单位不存在或不在您的管辖范围）")
            applied = service.apply(
                uow,
                warning_id=warning_id,
                command=command,
                actor=principal.user_id,
                actor_unit=principal.unit_id,
                clock=clock,
                expected_version=_version(fields),
                config=config,
                dispatcher=LadderDispatcher(uow),
            )
            uow.commit()
        except (service.StaleVersionError, IntegrityError) as exc:
            raise HTTPException(409, STALE_MESSAGE) from exc
        except (BadInput, lc.TransitionError) as exc:
            raise HTTPException(422, str(exc)) from exc
    return ActionResult(
        applied.warning_id,
        applied.from_status.value,
        applied.to_status.value,
        applied.version,
        applied.unit_id,
    )


def _can_assign(uow: UnitOfWork, principal: Principal, unit_id: str) -> bool:
    return unit_id in uow.workflow.unit_tree().units and principal.can_see(unit_id)
