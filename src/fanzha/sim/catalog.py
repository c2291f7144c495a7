"""What ordinary life is made of: sites, apps, service numbers, merchants, and pools of ordinary texts.

Legitimate look-alikes of fraud signals are here on purpose (the hard cases for detectors): remote-control
and meeting apps, licensed loan and brokerage apps, privacy numbers of couriers on virtual operators,
calls from relatives abroad.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

import numpy as np
import polars as pl

from fanzha.corpus import Channel, Topic, normal_text
from fanzha.sim.numbers import Issuer

HOSTS = [
    "www.taobao.com",
    "m.jd.com",
    "mobile.yangkeduo.com",
    "www.baidu.com",
    "news.qq.com",
    "weibo.com",
    "www.bilibili.com",
    "www.douyin.com",
    "www.zhihu.com",
    "www.meituan.com",
    "www.12306.cn",
    "www.ctrip.com",
    "mail.163.com",
    "www.gov.cn",
    "www.xiaohongshu.com",
    "map.baidu.com",
    "www.icbc.com.cn",
    "www.ccb.com",
    "www.cmbchina.com",
    "www.eastmoney.com",
    "www.10jqka.com.cn",
    "www.360jie.com",
    "www.zhaolianjf.com",
    "www.chsi.com.cn",
    "www.ceair.com",
    "www.csair.com",
    "www.sina.com.cn",
    "www.ifeng.com",
    "www.kuaishou.com",
    "www.pconline.com.cn",
]
# (name, package, category, weight)
APPS = (
    ("抖音", "com.ss.android.ugc.aweme", "OTHER", 10),
    ("快手", "com.smile.gifmaker", "OTHER", 6),
    ("拼多多", "com.xunmeng.pinduoduo", "OTHER", 8),
    ("淘宝", "com.taobao.taobao", "OTHER", 6),
    ("美团", "com.sankuai.meituan", "OTHER", 6),
    ("高德地图", "com.autonavi.minimap", "OTHER", 4),
    ("滴滴出行", "com.sdu.didi.psnger", "OTHER", 4),
    ("铁路12306", "com.MobileTicket", "OTHER", 3),
    ("携程旅行", "ctrip.android.view", "OTHER", 3),
    ("云闪付", "com.unionpay", "OTHER", 2),
    ("中国建设银行", "com.chinamworld.main", "OTHER", 2),
    ("个人所得税", "cn.gov.tax.its", "OTHER", 2),
    ("国家反诈中心", "com.hicorenational.antifraud", "OTHER", 2),
    ("小红书", "com.xingin.xhs", "OTHER", 4),
    ("哔哩哔哩", "tv.danmaku.bili", "OTHER", 3),
    ("王者荣耀", "com.tencent.tmgp.sgame", "OTHER", 3),
    ("腾讯会议", "com.tencent.wemeet.app", "MEETING", 3),
    ("钉钉", "com.alibaba.android.rimet", "MEETING", 3),
    ("飞书", "com.ss.android.lark", "MEETING", 1),
    ("向日葵远程控制", "com.oray.sunlogin", "REMOTE_CONTROL", 0.6),
    ("ToDesk", "youqu.android.todesk", "REMOTE_CONTROL", 0.6),
    ("360借条", "com.qihoo.loan", "LOAN", 0.8),
    ("招联金融", "com.zhaolian.app", "LOAN", 0.6),
    ("东方财富", "com.eastmoney.android.berlin", "INVESTMENT", 1),
    ("同花顺", "com.hexin.plat.android", "INVESTMENT", 1),
    ("Telegram", "org.telegram.messenger", "NICHE_CHAT", 0.2),
)
SERVICE_CALLERS = (
    "10086",
    "10010",
    "10000",
    "95588",
    "95533",
    "95599",
    "95555",
    "12345",
    "95311",
    "4008111111",
)
BANK_SMS = ("95588", "95599", "95566", "95533", "95580", "95555", "95559", "95558", "96138")  # in BANKS order
MERCHANT_KINDS = (
    "超市",
    "便利店",
    "餐饮店",
    "水果店",
    "药房",
    "服装店",
    "加油站",
    "菜市场",
    "理发店",
    "电器城",
)
BIG_PAYEE_KINDS = (
    "汽车销售服务有限公司",
    "职业技术学院",
    "装饰工程有限公司",
    "人民医院",
    "房地产经纪有限公司",
    "家具城",
)
UTILITY_NAMES = ("国网示范市供电公司", "示范市燃气有限公司", "示范市自来水公司", "中国移动示范分公司")
HOURLY = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1.5, 4, 6, 7, 7, 7, 6, 5, 6, 6.5, 6.5, 6, 6.5, 7, 7, 6, 4, 2])
HOURLY = HOURLY / HOURLY.sum()

SMS_TOPICS = (
    Topic.AD,
    Topic.NOTIFICATION,
    Topic.BANK,
    Topic.DELIVERY,
    Topic.SERVICE,
    Topic.FAMILY,
    Topic.WORK,
)
SMS_TOPIC_P = np.array([0.35, 0.2, 0.15, 0.15, 0.07, 0.05, 0.03])
POOLED = (
    *((t, Channel.SMS) for t in SMS_TOPICS),
    (Topic.FAMILY, Channel.CHAT),
    (Topic.WORK, Channel.CHAT),
    (Topic.AD, Channel.CHAT),
    (Topic.FAMILY, Channel.CALL),
    (Topic.WORK, Channel.CALL),
    (Topic.SERVICE, Channel.CALL),
    (Topic.DELIVERY, Channel.CALL),
)


def app_hash(package: str, version: int = 1) -> str:
    return hashlib.sha256(f"{package}:{version}".encode()).hexdigest()[:40]


@dataclass(frozen=True, slots=True)
class Catalog:
    """The fixed cast of ordinary life for one city: accounts of merchants and employers, text pools."""

    merchants: pl.Series
    merchant_names: pl.Series
    employers: pl.Series
    lenders: pl.Series  # licensed consumer-finance companies (victims borrow from them to keep paying)
    pension: str
    utilities: pl.Series
    big_payees: pl.Series
    big_payee_names: pl.Series
    ad_senders: pl.Series
    texts: dict[tuple[Topic, Channel], pl.Series]


def build_catalog(n: int, seed: int, issuer: Issuer, pool: int) -> Catalog:
    rng = np.random.default_rng([seed, 3])
    n_merchants = max(50, n // 60)
    merchants, _ = issuer.accounts(n_merchants)
    kinds = pl.Series(MERCHANT_KINDS).gather(rng.integers(0, len(MERCHANT_KINDS), n_merchants))
    employers, _ = issuer.accounts(max(20, n // 40))
    specials, _ = issuer.accounts(1 + len(UTILITY_NAMES))
    lenders, _ = issuer.accounts(6)
    n_big = max(200, n // 50)
    big, _ = issuer.accounts(n_big)
    big_kinds = pl.Series(BIG_PAYEE_KINDS).gather(rng.integers(0, len(BIG_PAYEE_KINDS), n_big))
    senders = "1069" + pl.Series(rng.integers(0, 10**8, 300)).cast(pl.String).str.zfill(8)
    text_rng = random.Random(seed * 1_000_003 + 17)
    texts = {key: pl.Series([normal_text(key[0], key[1], text_rng) for _ in range(pool)]) for key in POOLED}
    return Catalog(
        merchants=merchants,
        merchant_names="示范市" + pl.Series(np.arange(n_merchants)).cast(pl.String) + "号" + kinds,
        employers=employers,
        lenders=lenders,
        pension=specials[0],
        utilities=specials[1:],
        big_payees=big,
        big_payee_names="示范" + pl.Series(np.arange(n_big)).cast(pl.String) + big_kinds,
        ad_senders=senders,
        texts=texts,
    )
