"""Feature names for people: Chinese first, the English column name after it."""

from __future__ import annotations

ACCOUNT_LABELS_ZH: dict[str, str] = {
    "in_count": "转入笔数",
    "out_count": "转出笔数",
    "in_counterparts": "转入对手数",
    "out_counterparts": "转出对手数",
    "in_amount": "转入总额(相对)",
    "out_amount": "转出总额(相对)",
    "in_mean": "转入笔均(相对)",
    "out_mean": "转出笔均(相对)",
    "in_cv": "转入金额离散度",
    "out_cv": "转出金额离散度",
    "in_repeat": "同一对手重复转入",
    "out_repeat": "同一对手重复转出",
    "flow_through": "过账比例(快进快出)",
    "net_share": "净留存比例",
    "small_share": "小额交易占比",
    "test_in_share": "试探性转入",
    "test_out_share": "试探性转出",
    "reciprocal_share": "双向往来对手占比",
    "dwell_median_h": "资金停留时长(小时)",
    "quick_out_share": "24小时内转出笔数占比",
    "passed_quickly": "24小时内转出金额占比",
    "first_in_age_h": "首笔转入距首次活动(小时)",
    "active_days": "活跃天数",
    "per_active_day": "日均交易笔数",
    "peak_day_share": "单日集中度",
    "night_share": "夜间交易占比",
    "cycle3": "资金回流环路数",
    "out_in_amount_ratio": "转出/转入笔均比",
    "odd_in_share": "异常金额转入占比",
    "odd_out_share": "异常金额转出占比",
    "odd_counterparts": "异常金额往来对手数",
    "nb_odd_mean": "对手异常金额程度",
    "nb_degree_mean": "对手平均对手数",
    "nb_flow_through_mean": "对手平均过账比例",
    "nb_flow_through_max": "对手最高过账比例",
    "nb_small_share_mean": "对手小额交易占比",
    "nb_repeat_mean": "对手重复交易程度",
    "nb_quick_out_mean": "对手快进快出程度",
    "nb_score_in_mean": "付款方平均风险分",
    "nb_score_in_max": "付款方最高风险分",
    "nb_score_out_mean": "收款方平均风险分",
    "nb_score_out_max": "收款方最高风险分",
    "nb_high_share": "高风险对手占比",
}


def account_labels() -> dict[str, str]:
    """`中文(english)` for each account feature."""
    return {k: f"{v}({k})" for k, v in ACCOUNT_LABELS_ZH.items()}
