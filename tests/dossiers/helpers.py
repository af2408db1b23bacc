from __future__ import annotations

import csv
import io
from collections.abc import Sequence

HEADER = [
    "Số hồ sơ",
    "Thủ tục",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Số lần yêu cầu bổ sung",
    "Số ngày chờ người dân",
    "Kênh nộp",
    "Số hóa",
    "Kết quả điện tử",
]

GOOD_ROWS = [
    [
        "H26-0001",
        "Đăng ký khai sinh",
        "02/03/2026 08:15",
        "03/03/2026 17:00",
        "03/03/2026 10:00",
        "0",
        "0",
        "Trực tuyến",
        "Có",
        "Có",
    ],
    ["H26-0002", "Chứng thực bản sao", "02/03/2026", "", "02/03/2026", "", "", "Trực tiếp", "Không", ""],
    [
        "H26-0003",
        "Đăng ký thường trú",
        "2026-03-02 09:00",
        "2026-03-11 17:00",
        "2026-03-12 09:00",
        "1",
        "1,5",
        "truc tuyen",
        "x",
        "0",
    ],
    [
        "H26-0004",
        "Đăng ký kết hôn",
        "03/03/2026 14:00",
        "04/03/2026",
        "05/03/2026",
        "2",
        "3",
        "Bưu chính",
        "có",
        "không",
    ],
    [
        "H26-0005",
        "Cấp giấy chứng nhận QSDĐ",
        "04/03/2026 10:00",
        "31/03/2026 17:00",
        "",
        "0",
        "0",
        "Trực tiếp",
        "Có",
        "Không",
    ],
]


def csv_bytes(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
