import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from friendlygov.core.templatetags.vn import format_number, vn_date, vn_decimal, vn_money, vn_percent


def test_vietnamese_numbers() -> None:
    assert vn_money(1250000) == "1.250.000 đồng"
    assert vn_percent(Decimal("88.12")) == "88,12%"
    assert vn_percent(None) == "—"
    assert format_number(Decimal("-1234.5"), 1) == "-1.234,5"
    assert vn_decimal(Decimal("18.50")) == "18,5"
    assert vn_decimal(18) == "18"


def test_vietnamese_dates() -> None:
    assert vn_date(dt.date(2026, 2, 5)) == "05/02/2026"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_grouping_round_trips(n: int) -> None:
    assert int(format_number(n).replace(".", "")) == n


def test_excel_never_runs_text_as_a_formula() -> None:
    import io

    import openpyxl

    from friendlygov.kit.tabular import write_xlsx

    data = write_xlsx(
        [("Ý kiến", ["Nội dung", "Số"], [['=HYPERLINK("http://x","bấm")', -5], ["-", "bình thường"]])]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].value == '\'=HYPERLINK("http://x","bấm")' and sheet["B2"].data_type == "s"
    assert sheet["C2"].value == -5 and sheet["B3"].value == "-"
