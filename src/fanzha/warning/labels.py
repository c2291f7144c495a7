"""Chinese labels of the workflow's codes, for the console, the API and the CLI."""

from __future__ import annotations

from fanzha.present import STATUS_LABELS
from fanzha.warning import lifecycle as lc
from fanzha.warning.model import WarningStatus

WORKFLOW_STATUS_LABELS: dict[WarningStatus, str] = {s: STATUS_LABELS[s.value] for s in WarningStatus}

OUTCOME_LABELS: dict[lc.Outcome, str] = {
    lc.Outcome.SUCCESS_NO_LOSS: "劝阻成功（未受损）",
    lc.Outcome.SUCCESS_PARTIAL: "劝阻成功（已有损失，阻止后续）",
    lc.Outcome.DEFRAUDED: "已被骗",
    lc.Outcome.NOT_FRAUD: "无效预警/正常交易",
    lc.Outcome.UNREACHABLE: "无法联系",
    lc.Outcome.REFUSED: "拒不配合/坚称未被骗",
    lc.Outcome.OUT_OF_AREA: "非本辖区",
    lc.Outcome.DUPLICATE: "重复预警",
}

CHANNEL_LABELS: dict[lc.Channel, str] = {
    lc.Channel.SMS: "预警短信",
    lc.Channel.CALL_96110: "96110 电话",
    lc.Channel.CALL_LOCAL: "民警电话",
    lc.Channel.VISIT: "上门见面",
    lc.Channel.FAMILY: "联系家属",
    lc.Channel.BANK: "银行",
    lc.Channel.OPERATOR: "运营商",
    lc.Channel.SYSTEM: "系统",
}

RESULT_LABELS: dict[lc.ContactResult, str] = {
    lc.ContactResult.ANSWERED: "已接通",
    lc.ContactResult.BUSY: "占线",
    lc.ContactResult.NO_ANSWER: "无人接听",
    lc.ContactResult.OFF: "关机",
    lc.ContactResult.WRONG_NO: "号码错误",
    lc.ContactResult.FAMILY_REACHED: "已联系到家属",
}

DEADLINE_LABELS: dict[lc.DeadlineKind, str] = {
    lc.DeadlineKind.SIGN: "签收",
    lc.DeadlineKind.CONTACT: "首次联系",
    lc.DeadlineKind.MEET: "见面劝阻",
    lc.DeadlineKind.FEEDBACK: "反馈",
}

ACTION_LABELS: dict[str, str] = {
    "assign": "下发/改派",
    "sign": "签收",
    "start_contact": "开始劝阻",
    "record_contact": "记录联系",
    "conclude_contact": "电话劝阻结果",
    "start_locating": "上门寻找",
    "record_meet": "登记见面",
    "submit_feedback": "提交反馈",
    "start_follow_up": "转入回访",
    "close": "办结",
    "transfer": "非本辖区移交",
    "escalate": "督办升级",
}

COMMAND_LABELS: dict[str, str] = {
    **ACTION_LABELS,
    "dissuaded_by_phone": "电话劝阻成功",
    "need_meet": "需见面劝阻",
    "mark_unreachable": "暂无法联系",
    "sms_sent": "预警短信已发送",
    "escalate": "超时督办",
}
