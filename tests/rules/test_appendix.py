"""The appendix table parser (friendlygov.rules.schedule.parse_appendix) on the seed and on edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

import friendlygov.rules.schedule as schedule_module
from friendlygov.rules.schedule import (
    ParsedTask,
    WorkingCalendar,
    is_body_name,
    occurrences_for_tasks,
    parse_appendix,
    parse_time_phrase,
    split_coordinators,
)

FIXTURE = Path(schedule_module.__file__).parent / "data" / "thanh-mien-appendix.tsv"
HEADER = "STT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp"
TITLE = (
    "PHỤ LỤC NHIỆM VỤ CỤ THỂ\n\n"
    "Thực hiện mô hình “Chính quyền thân thiện” tại xã Thanh Miện giai đoạn 2026 - 2030 và những năm tiếp theo\n\n"
    "(Kèm theo Kế hoạch số /KH-UBND ngày / 4 /2026 của Ủy ban nhân dân xã Thanh Miện)\n\n"
)
CALENDAR = WorkingCalendar()


def seed_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def seed_tasks() -> list[ParsedTask]:
    return parse_appendix(seed_text())


# -- the seed -----------------------------------------------------------------------------------------


def test_fixture_is_the_seed_table_with_page_breaks() -> None:
    text = seed_text()
    assert text.startswith(HEADER + "\n1\tTuyên truyền")
    assert text.count(HEADER) == 3  # the header repeated at each page break
    assert "\n\t“Chính quyền thân thiện” cấp xã trên địa bàn thành phố Hải Phòng.\t\t\t\n" in text
    assert "\n\tbàn xã\t\t\tban, đơn vị liên quan\n" in text


def test_seed_gives_ten_tasks() -> None:
    tasks = seed_tasks()
    assert [t.number for t in tasks] == [str(n) for n in range(1, 11)]
    assert all(t.section is None for t in tasks)
    assert all(t.flags == [] for t in tasks)
    assert [t.schedule.to_json() for t in tasks] == [
        {"kind": "yearly"},
        {"kind": "yearly"},
        {"kind": "yearly_before", "day": 15, "month": 2},
        {"kind": "ongoing"},
        {"kind": "yearly_before", "day": 12, "month": 11},
        {"kind": "months", "months": [12]},
        {"kind": "months", "months": [12]},
        {"kind": "yearly"},
        {"kind": "yearly"},
        {"kind": "years", "years": [2027, 2030]},
    ]
    assert [t.time_phrase for t in tasks][:3] == ["Hàng năm", "Hằng năm", "Trước ngày 15/02 hằng năm"]


def test_seed_continuation_rows_are_joined() -> None:
    tasks = seed_tasks()
    assert tasks[0].text.startswith("Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện")
    assert tasks[0].text.endswith(
        "quy trình xét công nhận “Chính quyền thân thiện” cấp xã trên địa bàn thành phố Hải Phòng."
    )
    assert tasks[5].text.endswith("các tiêu chí mô hình Chính quyền thân thiện trên địa bàn xã")
    # "Các phòng," + "ban, đơn vị liên quan" across the page break
    assert tasks[5].coordinators == ["Ủy ban Mặt trận Tổ quốc Việt Nam xã, Các phòng, ban, đơn vị liên quan"]


def test_seed_leads_and_coordinators() -> None:
    tasks = seed_tasks()
    assert [t.lead for t in tasks] == [
        "Phòng Văn hóa- Xã hội",
        "Phòng Văn hóa - Xã hội",
        "Phòng Văn hóa - Xã hội",
        "Các phòng, ban cơ quan, đơn vị thuộc UBND xã",
        "Phòng Văn hóa- Xã hội",
        "Phòng Văn hóa- Xã hội",
        "Phòng Văn hóa – Xã hội",
        "Phòng Kinh tế",
        "Trung tâm Phục vụ HCC",
        "Phòng Văn hóa – Xã hội",
    ]
    # The rule applied literally: "," and " và " split only when every part is a body.
    # "Các cơ quan" and "đơn vị thuộc UBND xã" are not bodies' names, so the cell stays whole.
    assert tasks[0].coordinators == [
        "Các cơ quan, đơn vị thuộc UBND xã, Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị- xã hội"
    ]
    assert tasks[1].coordinators == ["Các thôn"]
    assert tasks[2].coordinators == ["Các phòng, ban, đơn vị liên quan"]  # a group phrase stays whole
    assert tasks[3].coordinators == ["Ủy ban Mặt trận Tổ quốc Việt Nam xã, các ngành liên quan"]
    assert tasks[7].coordinators == []
    # ";" always splits; the rest "Văn phòng HĐND- UBND và các cơ quan, đơn vị có liên quan" has parts
    # "các cơ quan" and "đơn vị có liên quan" that are not bodies, so it stays whole.
    assert tasks[9].coordinators == [
        "Ban xây dựng Đảng",
        "Văn phòng HĐND- UBND và các cơ quan, đơn vị có liên quan",
    ]


def test_seed_json_objects_have_exactly_the_contract_keys() -> None:
    for task in seed_tasks():
        data = task.to_json()
        assert list(data) == [
            "number",
            "section",
            "text",
            "lead",
            "coordinators",
            "time_phrase",
            "schedule",
            "flags",
        ]
    assert seed_tasks()[2].to_json()["schedule"] == {"kind": "yearly_before", "day": 15, "month": 2}


def test_title_lines_before_the_header_are_ignored() -> None:
    with_title = parse_appendix(TITLE + seed_text())
    assert [t.to_json() for t in with_title] == [t.to_json() for t in seed_tasks()]


def test_table_without_any_header_row() -> None:
    lines = [line for line in seed_text().splitlines() if line != HEADER]
    without_header = parse_appendix("\n".join(lines))
    assert [t.to_json() for t in without_header] == [t.to_json() for t in seed_tasks()]
    # ...and with the title lines kept before it
    assert [t.to_json() for t in parse_appendix(TITLE + "\n".join(lines))] == [
        t.to_json() for t in seed_tasks()
    ]


def test_windows_line_ends_and_bom() -> None:
    text = "\ufeff" + seed_text().replace("\n", "\r\n")
    assert [t.to_json() for t in parse_appendix(text)] == [t.to_json() for t in seed_tasks()]


def test_seed_occurrences_2026_2030() -> None:
    rows = occurrences_for_tasks(seed_tasks(), 2026, 2030, CALENDAR)
    assert rows[0] == {
        "task": "3",
        "year": 2026,
        "period": "2026",
        "window_start": "2026-01-01",
        "due": "2026-02-13",
        "kind": "deadline",
    }
    by_task: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        assert list(row) == ["task", "year", "period", "window_start", "due", "kind"]
        by_task.setdefault(str(row["task"]), []).append(row)
    assert [r["due"] for r in by_task["3"]] == [
        "2026-02-13",
        "2027-02-12",
        "2028-02-14",
        "2029-02-09",
        "2030-02-14",
    ]
    assert [r["due"] for r in by_task["5"]][0] == "2026-11-11"
    assert [(r["year"], r["due"]) for r in by_task["10"]] == [(2027, "2027-12-31"), (2030, "2030-12-31")]
    assert len(by_task["4"]) == 20 and {r["kind"] for r in by_task["4"]} == {"check-in"}
    assert len(by_task["1"]) == 5
    assert [r["period"] for r in by_task["6"]] == [f"{y}-12" for y in range(2026, 2031)]
    keys = [(r["due"], int(str(r["task"]))) for r in rows]
    assert keys == sorted(keys)
    # same due date: natural task order (4's Q4 check-in sits between 2 and 6)
    assert [r["task"] for r in rows if r["due"] == "2026-12-31"] == ["1", "2", "4", "6", "7", "8", "9"]


# -- table handling -------------------------------------------------------------------------------------


def _table(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_continuation_joins_with_space_and_dash_rule() -> None:
    tasks = parse_appendix(
        _table(
            "1\tTuyên truyền các văn bản\tHằng\tPhòng Văn hóa -\tỦy ban Mặt trận Tổ quốc và các tổ chức chính trị -",
            "\tvề mô hình\tnăm\tXã hội\txã hội",
            "\t\t\t\t",
            "2\tNhiệm vụ hai\tHằng quý\tPhòng Văn hóa –\tCác phòng,",
            "\t\t\tXã hội\tban, đơn vị liên quan",
        )
    )
    assert tasks[0].text == "Tuyên truyền các văn bản về mô hình"
    assert tasks[0].time_phrase == "Hằng năm"
    assert tasks[0].schedule.kind == "yearly"
    assert tasks[0].lead == "Phòng Văn hóa - Xã hội"
    assert tasks[0].coordinators == ["Ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"]
    assert tasks[1].lead == "Phòng Văn hóa – Xã hội"
    assert tasks[1].coordinators == ["Các phòng, ban, đơn vị liên quan"]


def test_dash_without_space_before_it_also_joins_as_spaced_dash() -> None:
    (task,) = parse_appendix(_table("1\tA\tHằng năm\tPhòng Văn hóa-\tx", "\t\t\tXã hội\t"))
    assert task.lead == "Phòng Văn hóa - Xã hội"


def test_roman_numeral_sections() -> None:
    tasks = parse_appendix(
        _table(
            "I\tCông tác tuyên truyền\t\t\t",
            "1\tTuyên truyền\tHằng năm\tPhòng Văn hóa - Xã hội\t",
            "2\tPano, khẩu hiệu\tQuý I\tPhòng Văn hóa - Xã hội\t",
            "II.\tTổ chức thực hiện",
            "\tcác tiêu chí\t\t\t",
            "3\tThực hiện tiêu chí\tThường xuyên\tCác phòng, ban\t",
            "III. CÔNG TÁC KHEN THƯỞNG",
            "4\tKhen thưởng\tTháng 12 hằng năm\tPhòng Văn hóa - Xã hội\t",
            "IV\tNhiệm vụ đánh số La Mã có thời gian\tHằng năm\tPhòng Kinh tế\t",
        )
    )
    assert [(t.number, t.section) for t in tasks] == [
        ("1", "I. Công tác tuyên truyền"),
        ("2", "I. Công tác tuyên truyền"),
        ("3", "II. Tổ chức thực hiện các tiêu chí"),
        ("4", "III. CÔNG TÁC KHEN THƯỞNG"),
        ("IV", "III. CÔNG TÁC KHEN THƯỞNG"),  # a Roman STT with a time phrase is a task
    ]
    assert tasks[0].to_json()["section"] == "I. Công tác tuyên truyền"


def test_repeated_headers_tt_header_and_column_number_row() -> None:
    text = (
        "TT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp\n"
        "(1)\t(2)\t(3)\t(4)\t(5)\n"
        "1\tA\tHằng năm\tPhòng A\t\n"
        "\n\n"
        "TT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp\n"
        "1\t2\t3\t4\t5\n"
        "2\tB\tHằng quý\tPhòng B\t\n"
    )
    assert [(t.number, t.text) for t in parse_appendix(text)] == [("1", "A"), ("2", "B")]


def test_stt_kept_as_text() -> None:
    tasks = parse_appendix(
        _table(
            "1\tA\tHằng năm\tPhòng A",
            "1.1\tA1\tHằng năm\tPhòng A",
            "1.2.\tA2\tHằng năm\tPhòng A",
            "3.\tC\tHằng năm\tPhòng A",
        )
    )
    assert [t.number for t in tasks] == ["1", "1.1", "1.2", "3"]


def test_extra_columns_become_notes() -> None:
    text = (
        HEADER + "\tSản phẩm\tGhi chú\n"
        "1\tA\tHằng năm\tPhòng A\tPhòng B\tKế hoạch\t\n"
        "2\tB\tHằng năm\tPhòng A\t\t\tƯu tiên\n"
        "3\tC\tHằng năm\tPhòng A\n"
    )
    tasks = parse_appendix(text)
    assert [t.notes for t in tasks] == [["Sản phẩm: Kế hoạch"], ["Ghi chú: Ưu tiên"], []]
    assert tasks[0].to_json()["notes"] == ["Sản phẩm: Kế hoạch"]
    assert "notes" not in tasks[2].to_json()
    # without a header the extra cells are kept unlabelled
    (task,) = parse_appendix("1\tA\tHằng năm\tPhòng A\t\tKế hoạch\n")
    assert task.notes == ["Kế hoạch"]


def test_excel_quoted_cells_with_line_breaks() -> None:
    text = _table(
        '1\t"Tuyên truyền\nvề mô hình"\tHằng năm\t"Phòng Văn hóa - Xã hội"\t"Công an xã\nQuân sự xã; Các thôn"',
        '2\t"Xây dựng ""Chính quyền thân thiện"""\t"Trước ngày 15/02\nhằng năm"\tPhòng A\t',
        "3\tC\tHằng năm\tPhòng A\t",
    )
    tasks = parse_appendix(text)
    assert tasks[0].text == "Tuyên truyền về mô hình"
    assert tasks[0].lead == "Phòng Văn hóa - Xã hội"
    assert tasks[0].coordinators == ["Công an xã", "Quân sự xã", "Các thôn"]
    assert tasks[1].text == 'Xây dựng "Chính quyền thân thiện"'
    assert tasks[1].schedule.to_json() == {"kind": "yearly_before", "day": 15, "month": 2}
    assert [t.number for t in tasks] == ["1", "2", "3"]


def test_unquoted_straight_quotes_are_plain_text() -> None:
    tasks = parse_appendix(
        _table(
            '1\t"Chính quyền thân thiện" cấp xã\tHằng năm\tPhòng A\t',
            '2\tMột dấu " lẻ\tHằng năm\tPhòng A\t',
            '3\t"Mở mà không đóng\tHằng năm\tPhòng A\t',
            "4\tD\tHằng năm\tPhòng A\t",
        )
    )
    assert [t.text for t in tasks] == [
        '"Chính quyền thân thiện" cấp xã',
        'Một dấu " lẻ',
        '"Mở mà không đóng',
        "D",
    ]


def test_flags() -> None:
    tasks = parse_appendix(
        _table(
            "1\tA\tTheo tiến độ\tPhòng A\t",
            "2\t\tHằng năm\t\t",
            "3\tC\t\tPhòng A\t",
            "3\tD\tHằng năm\tPhòng A\t",
        )
    )
    assert tasks[0].flags == ["Không đọc được thời gian thực hiện: «Theo tiến độ»"]
    assert tasks[0].to_json()["schedule"] == {"kind": "unreadable"}
    assert tasks[1].flags == [
        "Thiếu nội dung nhiệm vụ (cột «Nhiệm vụ cụ thể»)",
        "Thiếu cơ quan chủ trì (cột «Cơ quan chủ trì»)",
    ]
    assert tasks[2].flags == [
        "Thiếu thời gian thực hiện (cột «Thời gian thực hiện»)",
        "Số thứ tự «3» trùng với nhiệm vụ khác trong phụ lục",
    ]
    assert tasks[2].schedule.kind == "unreadable"
    assert tasks[3].flags == ["Số thứ tự «3» trùng với nhiệm vụ khác trong phụ lục"]
    assert occurrences_for_tasks(tasks[:1], 2026, 2030, CALENDAR) == []


def test_continuation_without_a_task_above_is_flagged() -> None:
    (task,) = parse_appendix(_table("\tLạc dòng\tHằng năm\tPhòng A\t"))
    assert task.number == ""
    assert task.flags == ["Thiếu số thứ tự (STT) ở dòng 2"]


def test_empty_and_title_only_inputs() -> None:
    assert parse_appendix("") == []
    assert parse_appendix("\n\n  \n") == []
    assert parse_appendix(TITLE) == []
    assert parse_appendix(HEADER + "\n") == []


# -- coordinators -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Công an xã, Quân sự xã", ["Công an xã", "Quân sự xã"]),
        ("Phòng Kinh tế và Trung tâm Phục vụ HCC", ["Phòng Kinh tế", "Trung tâm Phục vụ HCC"]),
        (
            "Phòng Kinh tế, Văn phòng HĐND và UBND, Công an xã",
            ["Phòng Kinh tế, Văn phòng HĐND và UBND, Công an xã"],  # "UBND" does not start like a body
        ),
        ("phong kinh te, cong an xa", ["phong kinh te", "cong an xa"]),
        ("Hội Nông dân, Hội Phụ nữ, Đoàn Thanh niên", ["Hội Nông dân", "Hội Phụ nữ", "Đoàn Thanh niên"]),
        ("Trạm Y tế và Trường Mầm non", ["Trạm Y tế", "Trường Mầm non"]),
        ("Các thôn, tổ dân phố", ["Các thôn", "tổ dân phố"]),
        ("Các phòng, ban, đơn vị liên quan", ["Các phòng, ban, đơn vị liên quan"]),
        ("Phòng Văn hóa và Thông tin", ["Phòng Văn hóa và Thông tin"]),
        ("Phòng Kinh tế, các đơn vị liên quan", ["Phòng Kinh tế, các đơn vị liên quan"]),
        ("Phòng Kinh tế; các đơn vị liên quan", ["Phòng Kinh tế", "các đơn vị liên quan"]),
        ("Phòng Kinh tế\nCác thôn", ["Phòng Kinh tế", "Các thôn"]),
        ("Phòng Kinh tế;", ["Phòng Kinh tế"]),
        ("  ", []),
        ("Ủy ban MTTQ xã, UBND xã", ["Ủy ban MTTQ xã, UBND xã"]),
        ("Văn phòng HĐND và UBND xã", ["Văn phòng HĐND và UBND xã"]),
        ("Văn phòng HĐND và UBND xã; Công an xã", ["Văn phòng HĐND và UBND xã", "Công an xã"]),
    ],
)
def test_split_coordinators(cell: str, expected: list[str]) -> None:
    assert split_coordinators(cell) == expected


def test_split_coordinators_uses_the_unit_bodies() -> None:
    known = {"Đảng ủy xã", "Chi bộ thôn Đông", "UBND xã", "Phòng Văn hóa và Thông tin", "Ban A, B"}

    def matcher(name: str) -> bool:
        return name in known

    assert split_coordinators("Đảng ủy xã, Phòng Kinh tế") == ["Đảng ủy xã, Phòng Kinh tế"]
    assert split_coordinators("Đảng ủy xã, Phòng Kinh tế", matcher) == ["Đảng ủy xã", "Phòng Kinh tế"]
    assert split_coordinators("Đảng ủy xã và Chi bộ thôn Đông", matcher) == ["Đảng ủy xã", "Chi bộ thôn Đông"]
    assert split_coordinators("Ủy ban MTTQ xã, UBND xã", matcher) == ["Ủy ban MTTQ xã", "UBND xã"]
    # a piece the unit knows whole is not split, even when its parts are bodies
    assert split_coordinators("Ban A, B; Phòng Văn hóa và Thông tin", matcher) == [
        "Ban A, B",
        "Phòng Văn hóa và Thông tin",
    ]
    (task,) = parse_appendix(_table("1\tA\tHằng năm\tPhòng A\tĐảng ủy xã, Công an xã"), body_matcher=matcher)
    assert task.coordinators == ["Đảng ủy xã", "Công an xã"]


def test_is_body_name() -> None:
    for name in [
        "Phòng Kinh tế",
        "Trung tâm Phục vụ HCC",
        "Văn phòng HĐND",
        "Ủy ban MTTQ",
        "Uỷ ban MTTQ",
        "Ban CHQS",
    ]:
        assert is_body_name(name), name
    for name in ["Các phòng", "đơn vị liên quan", "các ngành liên quan", "Bankers", "Phòngx", ""]:
        assert not is_body_name(name), name


def test_natural_sort_of_occurrences() -> None:
    tasks = parse_appendix(
        _table(
            "10\tJ\tHằng năm\tPhòng A",
            "2\tB\tHằng năm\tPhòng A",
            "1.1\tA1\tHằng năm\tPhòng A",
            "1\tA\tHằng năm\tPhòng A",
            "1.10\tA10\tHằng năm\tPhòng A",
            "1.2\tA2\tHằng năm\tPhòng A",
            "3\tC\tTháng 11 hằng năm\tPhòng A",
        )
    )
    rows = occurrences_for_tasks(tasks, 2026, 2026, CALENDAR)
    assert [r["task"] for r in rows] == ["3", "1", "1.1", "1.2", "1.10", "2", "10"]


def test_time_phrase_parsed_after_joining() -> None:
    (task,) = parse_appendix(_table("1\tA\tTrước ngày 15/02\tPhòng A", "\t\thằng năm\t"))
    assert task.schedule == parse_time_phrase("Trước ngày 15/02 hằng năm")
