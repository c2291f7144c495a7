"""What a fraud text points at: hosts and phone numbers, normalised as the lists normalise them."""

from fanzha.detection.detectors.text_engagement import leads_of


def test_leads_are_the_hosts_and_numbers_a_text_names() -> None:
    text = (
        "点击 https://WWW.Job-Rebate.top/a?b=1 或 job-rebate.top 领取，客服 +8613712345678，热线 4001234567"
    )
    assert leads_of(text) == ("url:job-rebate.top", "tel:13712345678", "tel:4001234567")


def test_a_text_without_links_or_numbers_has_no_leads() -> None:
    assert leads_of("您好，今晚一起吃饭吗？金额 12.50 元") == ()
