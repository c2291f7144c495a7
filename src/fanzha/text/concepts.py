"""Concepts that carry over between sources: what a message asks for, not how politely it asks.

Each concept is a small set of phrases (normalised form: simplified, no spaces, numbers as `0`,
phones/accounts as `[号码]`, links as `[网址]`). A text has the feature `@concept` when any phrase of
it occurs, and `@a+b` for every pair of concepts it has: a linear model cannot learn "a link AND a
log-in request AND a bank's name" from separate words, but it can from the pair features. Courtesy
(尊敬的, 感谢您, 请及时) is deliberately no concept: it is how bank notices, ads and phishing all talk.
"""

from __future__ import annotations

from itertools import combinations

CONCEPT_PREFIX = "@"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CONCEPTS: dict[str, tuple[str, ...]] = {
    "link": _words("[网址] 网址 链接 url http www 二维码 扫码"),
    "number": _words("[号码]"),
    "institution": _words(
        "银行 工行 建行 农行 招行 信用卡 网银 手机银行 银联 移动 联通 电信 运营商 社保 "
        "医保 公安 警官 法院 检察 税务 人社 交警 etc 民航 航空 快递 顺丰 邮政 京东 "
        "淘宝 天猫 拼多多 支付宝 微信支付 客服 官方 平台 政府 通信管理局 银保监 征信中心 "
        "中国银行 信用社 农信 邮储 保险 人寿 证券 公积金 电网 铁路 政务 教育局 "
        "财政 花呗 借呗 微粒贷 白条 抖音 快手 闲鱼 美团"
    ),
    "login": _words(
        "登录 登入 登陆 点击 访问 进入 打开 激活 认证 验证 升级 更新 兑换 领取 申请 办理 "
        "解冻 解除 核实 绑定 填写 提交 注册 下载 "
        "登记 认领 输入 扫描 开通 关闭 取消 恢复 重置 回复"
    ),
    "credential": _words(
        "验证码 密码 卡号 身份证号 动态码 校验码 有效期 cvv 预留手机 短信码 账号密码 "
        "银行卡信息 个人信息 身份信息 "
        "取款密码 支付密码 安全码 银行卡号 手机号码"
    ),
    "threat": _words(
        "过期 失效 冻结 清零 停用 停机 到期 作废 异常 违章 违规 涉嫌 逾期 限制 风控 "
        "影响征信 扣费 起诉 拘留 强制执行 无法派送 无法提现 "
        "注销 封号 封停 暂停 降级 欠费 罚款 扣分 滞纳金 黑名单 通缉 传票 诉讼 法律责任 后果自负"
    ),
    "urgency": _words("尽快 立即 马上 赶紧 今日 今天之内 小时内 否则 以免 务必"),
    "pay": _words(
        "转账 汇款 转到 转入 打到 打款 转给 转我 充值 垫付 缴纳 交纳 先交 保证金 手续费 "
        "解冻费 税费 定金 押金 付款 转过去 打过去 入金 "
        "汇到 存入 打钱 转钱 交钱 扫码付款"
    ),
    "account": _words("安全账户 指定账户 验证账户 账户 卡号 户名 收款人 银行卡"),
    "secrecy": _words("保密 不要告诉 不能告诉 别告诉 不要声张 别打电话 不要打电话 单线联系"),
    "off_platform": _words(
        "加微信 加我 私聊 私下 微信交易 平台手续费 vx v信 qq 扣扣 飞机 telegram 屏幕共享 "
        "共享屏幕 会议号 邀请码 下载app "
        "加好友 私信 私我 添加 进群"
    ),
    "reward": _words(
        "返利 返佣 佣金 日结 收益 稳赚 中奖 领奖 奖品 理赔 退款 赔付 补贴 退税 积分 红包 提现 额度 "
        "现金 礼包 奖励 补偿 返现 赔偿 免费领 福利 奖金 分红 满期金"
    ),
    "promo": _words(
        "折 优惠 特价 促销 满减 抢购 开业 限时 会员日 新品 上新 代金券 礼品 光临 欢迎 "
        "报名 楼盘 首付 开盘 套餐 "
        "包邮 秒杀 团购 清仓 甩卖 大促 狂欢 钜惠 让利 回馈 福袋 样板房 新店"
    ),
    "opt_out": _words("退订 回t 回td 拒收 回n 回复td"),
    "gambling": _words(
        "娱乐 彩金 百家乐 棋牌 老虎机 真人 首存 首充 返水 投注 赌 葡京 金沙 威尼斯人 "
        "电子游艺 捕鱼 六合彩 时时彩 上分 打码 体验金 竞猜 "
        "娱乐城 赌场 博彩 下注 牛牛 龙虎 轮盘 荷官 澳门 私服"
    ),
    "illicit": _words("发票 办证 刻章 私家侦探 上门服务 包夜 会所 技师 出售银行卡"),
    "loan": _words("贷款 借款 额度 日息 利率 放款 分期 借呗 备用金 贷 信贷 下款 车贷 房贷 抵押"),
    "safety": _words(
        "请勿泄露 切勿 不会索 不会以任何 不会通过 谨防 如非本人 若非本人 如有疑问 "
        "反诈 都是诈骗 官方app 原路退回 如已还款 请忽略 "
        "官方渠道 不要相信 警惕 骗子 诈骗 陌生 不要添加 平台内"
    ),
    "endearment": _words("宝贝 亲爱的 老婆 老公 想你 爱你"),
}
NAMES = tuple(CONCEPTS)


def concepts_in(norm: str) -> list[str]:
    """The concept names whose phrases occur in the normalised text, in `NAMES` order."""
    return [name for name in NAMES if any(phrase in norm for phrase in CONCEPTS[name])]


def concept_features(norm: str) -> list[str]:
    """`@name` for each concept present and `@a+b` for each pair of them (the definition)."""
    return _named(concepts_in(norm))


def _named(present: list[str]) -> list[str]:
    pairs = [f"{CONCEPT_PREFIX}{a}+{b}" for a, b in combinations(present, 2)]
    return [CONCEPT_PREFIX + name for name in present] + pairs


class ConceptFinder:
    """`concept_features`, fast: a phrase is only looked for when its first n-gram (of the text's
    n-grams, already computed) occurs; a phrase no longer than the longest n-gram occurs exactly
    when it is one of them."""

    def __init__(self, n_range: tuple[int, int]) -> None:
        n_min, n_max = n_range
        self.triggers: dict[str, list[tuple[str, int, bool]]] = {}  # (phrase, concept rank, is the n-gram)
        self.always: list[tuple[str, int]] = []
        for rank, name in enumerate(NAMES):
            for phrase in CONCEPTS[name]:
                length = min(len(phrase), n_max)
                if length >= max(n_min, 1):
                    key = phrase[:length]
                    self.triggers.setdefault(key, []).append((phrase, rank, key == phrase))
                else:
                    self.always.append((phrase, rank))
        self.keys = frozenset(self.triggers)

    def features(self, norm: str, found_grams: set[str]) -> list[str]:
        ranks = {
            rank
            for key in found_grams & self.keys
            for phrase, rank, whole in self.triggers[key]
            if whole or phrase in norm
        }
        ranks.update(rank for phrase, rank in self.always if phrase in norm)
        return _named([NAMES[rank] for rank in sorted(ranks)])
