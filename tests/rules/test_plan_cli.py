"""`friendlygov plan parse|occurrences` (friendlygov.commands.plan), run through a parser holding only it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import friendlygov.rules.schedule as schedule_module
from friendlygov.commands import plan
from friendlygov.rules.schedule import parse_appendix

FIXTURE = Path(schedule_module.__file__).parent / "data" / "thanh-mien-appendix.tsv"
HEADER = "STT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="friendlygov")
    plan.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_is_the_parser_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", "parse", "--appendix", str(FIXTURE), "--format", "json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data == [t.to_json() for t in parse_appendix(FIXTURE.read_text(encoding="utf-8"))]
    assert len(data) == 10
    assert data[2] == {
        "number": "3",
        "section": None,
        "text": "Xây dựng Kế hoạch triển khai thực hiện “Chính quyền thân thiện” và đăng ký mức đạt chuẩn "
        "“Chính quyền thân thiện” hằng năm gửi về Sở Nội vụ tổng hợp, theo dõi",
        "lead": "Phòng Văn hóa - Xã hội",
        "coordinators": ["Các phòng, ban, đơn vị liên quan"],
        "time_phrase": "Trước ngày 15/02 hằng năm",
        "schedule": {"kind": "yearly_before", "day": 15, "month": 2},
        "flags": [],
    }
    assert "Chính quyền" in out  # UTF-8, not \u escapes


def test_parse_text_is_a_vietnamese_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", "parse", "--appendix", str(FIXTURE)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Phụ lục: 10 nhiệm vụ")
    assert "STT" in out and "Thời gian thực hiện" in out and "Chủ trì" in out and "Phối hợp" in out
    assert "Trước ngày 15/02 hằng năm" in out
    assert "Cần xem lại" not in out


def test_occurrences_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "plan",
        "occurrences",
        "--appendix",
        str(FIXTURE),
        "--from",
        "2026",
        "--to",
        "2030",
        "--format",
        "json",
    ]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert rows[0] == {
        "task": "3",
        "year": 2026,
        "period": "2026",
        "window_start": "2026-01-01",
        "due": "2026-02-13",
        "kind": "deadline",
    }
    assert {"task": "5", "year": 2026, "period": "2026", "window_start": "2026-01-01", "due": "2026-11-11",
            "kind": "deadline"} in rows  # fmt: skip
    assert [r["year"] for r in rows if r["task"] == "10"] == [2027, 2030]
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    assert {r["kind"] for r in rows if r["task"] == "4"} == {"check-in"}
    assert {r["year"] for r in rows} == {2026, 2027, 2028, 2029, 2030}


def test_occurrences_text_uses_vietnamese_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["plan", "occurrences", "--appendix", str(FIXTURE), "--from", "2026", "--to", "2026"], capsys
    )
    assert (code, err) == (0, "")
    assert "13/02/2026" in out and "11/11/2026" in out and "2026-02-13" not in out
    assert "Hạn" in out and "Kỳ" in out and "Quý I/2026" in out and "Kiểm tra định kỳ" in out


def test_bom_and_unreadable_phrase_still_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "phu-luc.tsv"
    path.write_bytes(
        ("\ufeff" + HEADER + "\n1\tA\tKhi có yêu cầu\tPhòng A\t\n2\tB\tHằng quý\tPhòng B\t\n").encode()
    )
    code, out, err = run(["plan", "parse", "--appendix", str(path), "--format", "json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data[0]["number"] == "1"
    assert data[0]["schedule"] == {"kind": "unreadable"}
    assert data[0]["flags"] == ["Không đọc được thời gian thực hiện: «Khi có yêu cầu»"]
    code, out, err = run(["plan", "parse", "--appendix", str(path)], capsys)
    assert code == 0 and "Cần xem lại" in out and "Nhiệm vụ 1: Không đọc được" in out

    argv = [
        "plan",
        "occurrences",
        "--appendix",
        str(path),
        "--from",
        "2026",
        "--to",
        "2026",
        "--format",
        "json",
    ]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    assert {r["task"] for r in json.loads(out)} == {"2"}
    code, out, err = run(argv[:-2], capsys)
    assert code == 0 and "Nhiệm vụ 1: «Khi có yêu cầu»" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "parse"], "Thiếu --appendix"),
        (["plan", "parse", "--appendix", "/nonexistent/phu-luc.tsv"], "không tìm thấy tệp «/nonexistent/phu-luc.tsv»"),
        (["plan", "parse", "--appendix", "FIXTURE", "--format", "xml"], "--format: định dạng «xml» không hợp lệ"),
        (["plan", "occurrences", "--appendix", "FIXTURE", "--from", "2030", "--to", "2026"], "--from 2030 lớn hơn --to 2026"),
        (["plan", "occurrences", "--appendix", "FIXTURE", "--to", "2026"], "Thiếu --from"),
        (["plan", "occurrences", "--appendix", "FIXTURE", "--from", "hai", "--to", "2026"], "--from: «hai» không phải là năm"),
        (["plan", "occurrences", "--appendix", "FIXTURE", "--from", "2026", "--to", "3000"], "--to: năm 3000 nằm ngoài"),
        (["plan"], "Thiếu lệnh con"),
    ],
)  # fmt: skip
def test_invalid_input_exits_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(FIXTURE) if a == "FIXTURE" else a for a in argv]
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert message in err


def test_unreadable_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin1.tsv"
    latin.write_bytes((HEADER + "\n1\tA\tHằng năm\tPhòng A\n").encode("utf-16"))
    code, out, err = run(["plan", "parse", "--appendix", str(latin)], capsys)
    assert code == 2 and "không phải văn bản UTF-8" in err

    code, out, err = run(["plan", "parse", "--appendix", str(tmp_path)], capsys)
    assert code == 2 and "là một thư mục" in err

    empty = tmp_path / "empty.tsv"
    empty.write_text("PHỤ LỤC NHIỆM VỤ CỤ THỂ\n", encoding="utf-8")
    code, out, err = run(
        ["plan", "occurrences", "--appendix", str(empty), "--from", "2026", "--to", "2026"], capsys
    )
    assert code == 2 and "không có nhiệm vụ nào" in err


def test_through_the_real_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from friendlygov import cli

    code = cli.main(
        [
            "plan",
            "occurrences",
            "--appendix",
            str(FIXTURE),
            "--from",
            "2026",
            "--to",
            "2026",
            "--format",
            "json",
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert json.loads(out)[0]["due"] == "2026-02-13"
