import pytest

from telework.dossiers.screening import MASK, MAX_COMMENT_LENGTH, screen_comment


@pytest.mark.parametrize(
    "written",
    ["0903123456", "0903 123 456", "090.312.3456", "+84 903 123 456", "84-903-123-456", "028 3829 1234", "079123456789", "023456789"],
)
def test_phone_and_id_numbers_are_hidden_however_written(written):
    screened = screen_comment(f"Gọi tôi qua {written} nhé")
    assert screened.text == f"Gọi tôi qua {MASK} nhé"
    assert screened.hidden == 1


def test_email_addresses_are_hidden():
    screened = screen_comment("Liên hệ nguyen.van.a+hs@gmail.com.vn giúp tôi")
    assert screened.text == f"Liên hệ {MASK} giúp tôi"


@pytest.mark.parametrize("kept", ["Tôi phải đi lại 3 lần", "Nộp ngày 12/11/2026 lúc 8.30", "Mã 2026-1234", "Phí 50.000 đồng"])
def test_short_numbers_stay(kept):
    assert screen_comment(kept).text == kept
    assert screen_comment(kept).hidden == 0


def test_comment_is_trimmed_bounded_and_stripped_of_control_characters():
    screened = screen_comment("  Tốt\x00\x07 " + "a" * 5000)
    assert screened.text.startswith("Tốt a")
    assert len(screened.text) <= MAX_COMMENT_LENGTH
    assert "\x00" not in screened.text
