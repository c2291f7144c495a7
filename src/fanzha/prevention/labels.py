"""What a person sees of prevention: Chinese labels of its codes and figures."""

from __future__ import annotations

from fanzha.event.codes import PersonGroup
from fanzha.prevention.board import Standing
from fanzha.prevention.model import (
    CampaignStatus,
    Channel,
    EventKind,
    LookupKind,
    PlaceKind,
    PostKind,
    ReachSource,
    ReachStatus,
    ReportKind,
    ReportStatus,
    Verdict,
)

CHANNEL_LABELS = {Channel.SMS: "短信", Channel.VISIT: "社区走访", Channel.WECHAT: "微信群推送"}
CAMPAIGN_STATUS_LABELS = {
    CampaignStatus.PLANNED: "待审批",
    CampaignStatus.SENDING: "发送中",
    CampaignStatus.DONE: "已完成",
    CampaignStatus.CANCELLED: "已撤销",
}
REACH_STATUS_LABELS = {
    ReachStatus.PENDING: "待发送/待走访",
    ReachStatus.SENT: "已送达网关",
    ReachStatus.DONE: "已走访",
    ReachStatus.OPTED_OUT: "已退订",
    ReachStatus.CAPPED: "超出频次上限",
    ReachStatus.NO_PHONE: "无手机号",
    ReachStatus.CANCELLED: "已撤销",
}
REACH_SOURCE_LABELS = {ReachSource.CAMPAIGN: "精准宣传", ReachSource.SPECIAL_GROUP: "特殊群体预警劝阻"}
EVENT_KIND_LABELS = {
    EventKind.COMMUNITY: "进社区",
    EventKind.SCHOOL: "进校园",
    EventKind.ENTERPRISE: "进企业",
    EventKind.GOVERNMENT: "进机关",
    EventKind.FAMILY: "进家庭",
}
POST_KIND_LABELS = {PostKind.ARTICLE: "推文", PostKind.VIDEO: "视频"}
PLACE_KIND_LABELS = {PlaceKind.COMMUNITY: "社区", PlaceKind.SCHOOL: "校园"}
STANDING_LABELS = {Standing.MET: "达标", Standing.NOT_MET: "未达标", Standing.NO_DATA: "数据不全"}
GROUP_LABELS = {
    PersonGroup.ELDERLY: "老年人",
    PersonGroup.STUDENT: "学生",
    PersonGroup.FINANCE_STAFF: "财务人员",
    PersonGroup.SINGLE_18_40: "18至40岁单身",
    PersonGroup.OTHER: "其他",
}
LOOKUP_KIND_LABELS = {
    LookupKind.PHONE: "电话号码",
    LookupKind.ACCOUNT: "银行卡/支付账户",
    LookupKind.URL: "网址",
    LookupKind.APP: "应用名称",
}
REPORT_KIND_LABELS = {
    ReportKind.PHONE: "电话号码",
    ReportKind.ACCOUNT: "银行卡/支付账户",
    ReportKind.URL: "网址",
    ReportKind.APP: "应用名称",
    ReportKind.CHAT: "聊天账号（微信/QQ等）",
}
REPORT_STATUS_LABELS = {
    ReportStatus.NEW: "待审核",
    ReportStatus.ACCEPTED: "已采纳",
    ReportStatus.REJECTED: "不采纳",
    ReportStatus.DUPLICATE: "重复",
}
VERDICT_LABELS = {Verdict.KNOWN_FRAUD: "已收录涉诈", Verdict.NOT_KNOWN: "未收录", Verdict.INVALID: "无效输入"}
FIGURE_LABELS = {
    "publicity_events": "宣防场次",
    "publicity_reach": "覆盖人数",
    "publicity_sms": "短信条数",
    "publicity_posts": "推文/视频",
    "publicity_reads": "阅读/播放量",
    "app_registration_rate": "App 注册率",
    "special_contacts": "特殊群体提醒",
    "officer_hours": "投入警力（小时）",
}
