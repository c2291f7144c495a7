from fanzha.masking import mask_account, mask_id_no, mask_name, mask_phone, mask_subject


def test_masks_follow_the_house_formats() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_no("990101199001011234") == "9901**********1234"
    assert mask_account("6222000000001234") == "6222****1234"
    assert mask_account("12345678") == "****5678"
    assert mask_name("张三丰") == "张**"


def test_short_and_empty_values_never_leak() -> None:
    assert mask_phone("") == ""
    assert mask_phone("110") == "1**"
    assert mask_account("123") == "***"
    assert mask_id_no("1234") == "****"
    assert mask_name("张") == "*"


def test_subject_keys_are_masked_by_kind() -> None:
    assert mask_subject("phone:13812341234") == "手机 138****1234"
    assert mask_subject("account:6222000000001234") == "账户 6222****1234"
