"""Numbers in comments: phones and ID cards hidden, dates and sums of money kept."""

import pytest

from survey.masking import mask_numbers


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Gọi 0912345678 nhé", "Gọi [đã ẩn số] nhé"),
        ("SĐT 0912.345.678", "SĐT [đã ẩn số]"),
        ("+84 912 345 678 gọi lại", "[đã ẩn số] gọi lại"),
        ("CMND 123456789", "CMND [đã ẩn số]"),
        ("CCCD 001-234-567-890", "CCCD [đã ẩn số]"),
        ("Hẹn ngày 12/05/2026 lúc 8.30", "Hẹn ngày 12/05/2026 lúc 8.30"),
        ("Mất 15.000.000 đồng và 1,500,000,000 đồng", "Mất 15.000.000 đồng và 1,500,000,000 đồng"),
        ("Mã hồ sơ 12345678", "Mã hồ sơ 12345678"),
        ("", ""),
        (None, None),
    ],
)
def test_phone_and_id_numbers_are_hidden_and_the_rest_kept(app, typed, shown):
    with app.test_request_context():
        assert mask_numbers(typed) == shown
