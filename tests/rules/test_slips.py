"""Typing slips of pasted text are found and offered, never applied on their own (friendlygov.rules.slips)."""

from __future__ import annotations

from friendlygov.rules.slips import PUNCTUATION, REPEATED, SPACES, apply_slips, choose, describe, find_slips


def test_a_repeated_word_of_a_list_is_offered() -> None:
    text = "Đề án thực hiện mô hình tại xã, xã, đặc khu trên địa bàn thành phố"
    (slip,) = find_slips(text)
    assert (slip.found, slip.replacement, slip.kind) == ("xã, xã", "xã", REPEATED)
    assert describe(slip) == "«xã, xã» → «xã» (dòng 1)"
    assert apply_slips(text, [slip]) == "Đề án thực hiện mô hình tại xã, đặc khu trên địa bàn thành phố"
    assert apply_slips(text, []) == text  # nothing changes unless accepted


def test_phrases_punctuation_and_spaces() -> None:
    text = "các các cơ quan,, đơn vị;; xã Thanh Miện xã Thanh Miện  giai đoạn.. zalo, facebook..."
    slips = find_slips(text)
    assert [(s.found, s.replacement, s.kind) for s in slips] == [
        ("các các", "các", REPEATED),
        (",,", ",", PUNCTUATION),
        (";;", ";", PUNCTUATION),
        ("xã Thanh Miện xã Thanh Miện", "xã Thanh Miện", REPEATED),
        ("  ", " ", SPACES),
        ("..", ".", PUNCTUATION),
    ]
    assert apply_slips(text, slips) == "các cơ quan, đơn vị; xã Thanh Miện giai đoạn. zalo, facebook..."


def test_what_vietnamese_writes_on_purpose_is_left_alone() -> None:
    for text in (
        "Nghị quyết số 05-NQ/ĐU của Đảng ủy Ủy ban nhân dân thành phố",
        "Đề nghị Ban Xây dựng Đảng Đảng ủy xã",
        "dần dần ổn định, từ từ nâng lên",
        "2\tHằng năm\tHằng năm",  # two table cells, not a slip
        "số 5 5 bản",  # numbers are never proposed
        "    thụt đầu dòng",  # leading spaces are layout
        "như: zalo, facebook...",
    ):
        assert find_slips(text) == [], text


def test_choices_by_key_and_stale_choices_are_ignored() -> None:
    text = "xã, xã, đặc khu\ncác các cơ quan"
    slips = find_slips(text)
    assert [s.key for s in slips] == ["1:0", "2:0"]
    accepted, refused = choose(slips, ["2:0", "9:9"])
    assert [s.line for s in accepted] == [2] and [s.line for s in refused] == [1]
    assert apply_slips(text, accepted) == "xã, xã, đặc khu\ncác cơ quan"
    assert apply_slips("khác hẳn\ncác cơ quan", slips) == "khác hẳn\ncác cơ quan"
