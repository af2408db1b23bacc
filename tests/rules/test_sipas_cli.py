"""`friendlygov sipas` on a parser holding only this command (the other command modules are separate)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from friendlygov.commands import sipas as sipas_command
from friendlygov.rules.sipas import DEFAULT_QUESTIONNAIRE_PATH


def run(argv: list[str]) -> int:
    """Mirror of ``friendlygov.cli.main`` with only the sipas module registered."""
    parser = argparse.ArgumentParser(prog="friendlygov")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    sipas_command.register(subparsers)
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra", False):
        parser.error("tham số không hợp lệ: " + " ".join(extra))
    return int(args.func(args) or 0)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    lines = ["respondent,item,answer"]
    # TC.1: 8 of 10 satisfied; TC.2: 1 of 2; TT.10 and TT.2 (natural order); one respondent without answers.
    for n in range(10):
        lines.append(f"r{n},TC.1,{5 if n < 8 else 2}")
    lines += ["r0,TC.2,4", "r1,TC.2,3", "r2,TT.10,5", "r3,TT.2,1", "r99,KQ.1,"]
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    return path


def test_json_output(answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sipas", "--responses", str(answers), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "respondents": 11,
        "overall": 57.5,
        "elements": [
            {
                "code": "TC",
                "index": 65.0,
                "items": [
                    {"code": "TC.1", "index": 80.0, "valid": 10, "ci95": [49.02, 94.33]},
                    {"code": "TC.2", "index": 50.0, "valid": 2, "ci95": [9.45, 90.55]},
                ],
            },
            {
                "code": "TT",
                "index": 50.0,
                "items": [
                    {"code": "TT.2", "index": 0.0, "valid": 1, "ci95": [0.0, 79.35]},
                    {"code": "TT.10", "index": 100.0, "valid": 1, "ci95": [20.65, 100.0]},
                ],
            },
            {
                "code": "KQ",
                "index": None,
                "items": [{"code": "KQ.1", "index": None, "valid": 0, "ci95": None}],
            },
        ],
    }


def test_text_output_is_vietnamese(answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sipas", "--responses", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "Số người trả lời: 11" in out
    assert "Chỉ số hài lòng chung: 57,50%" in out
    assert "TC — Tiếp cận dịch vụ: 65,00%" in out
    assert "49,02% – 94,33%" in out
    assert "KQ.1" in out and "chưa có câu trả lời hợp lệ" in out


def test_with_questionnaire_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent,item,answer\nr1,TC.1,5\nr1,PA.2,2\n", encoding="utf-8")
    code = run(
        [
            "sipas",
            "--responses",
            str(path),
            "--questionnaire",
            str(DEFAULT_QUESTIONNAIRE_PATH),
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["code"] for e in data["elements"]] == ["TC", "TT", "CC", "KQ", "PA"]
    assert data["elements"][0]["name"] == "Tiếp cận dịch vụ"
    assert [i["code"] for i in data["elements"][1]["items"]] == ["TT.1", "TT.2", "TT.3", "TT.4"]
    assert data["elements"][1]["index"] is None
    assert data["overall"] == 50.0


def test_questionnaire_refuses_other_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent,item,answer\nr1,TC.1,5\nr1,XY.1,2\n", encoding="utf-8")
    assert run(["sipas", "--responses", str(path), "--questionnaire", str(DEFAULT_QUESTIONNAIRE_PATH)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Dòng 3" in captured.err and "XY.1" in captured.err and "SIPAS-DV" in captured.err


def test_invalid_rows_all_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent,item,answer\nr1,TC.1,5\nr1,TC.1,4\nr2,TC1,4\nr3,TC.2,9\n", encoding="utf-8")
    assert run(["sipas", "--responses", str(path), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 3
    assert "Dòng 3" in lines[0] and "dòng 2" in lines[0]
    assert "Dòng 4" in lines[1] and "Dòng 5" in lines[2]


def test_bad_questionnaire_and_bad_answers_both_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.csv"
    answers.write_text("respondent,item,answer\nr1,TC1,5\n", encoding="utf-8")
    questionnaire = tmp_path / "q.yaml"
    questionnaire.write_text("format: other\ncode: X\nelements: []\n", encoding="utf-8")
    assert run(["sipas", "--responses", str(answers), "--questionnaire", str(questionnaire)]) == 2
    err = capsys.readouterr().err
    assert "Trường format" in err and "Trường elements" in err and "Dòng 2" in err


def test_file_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sipas", "--responses", str(tmp_path / "missing.csv")]) == 2
    assert "không tìm thấy" in capsys.readouterr().err
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "respondent,item,answer\nNguyễn,TC.1,5\n".encode("cp1258", errors="replace") + b"\xff\n"
    )
    assert run(["sipas", "--responses", str(latin)]) == 2
    assert "không phải UTF-8" in capsys.readouterr().err


def test_usage_problems(answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sipas"]) == 2
    assert "Thiếu tham số --responses" in capsys.readouterr().err
    assert run(["sipas", "--responses", str(answers), "--format", "xml"]) == 2
    assert "--format" in capsys.readouterr().err
    assert run(["sipas", "--responses", str(answers), "--transactions", "5"]) == 2
    assert "sample-size" in capsys.readouterr().err
    assert run(["sipas", "sample-size", "--transactions", "5", "--responses", str(answers)]) == 2
    assert "--responses" in capsys.readouterr().err
    assert run(["sipas", "cỡ-mẫu"]) == 2
    assert "không hợp lệ" in capsys.readouterr().err


def test_sample_size_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sipas", "sample-size", "--transactions", "4000", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == {"transactions": 4000, "error": 0.05, "sample_size": 364}
    assert list(json.loads(out)) == ["transactions", "error", "sample_size"]
    assert run(["sipas", "sample-size", "--transactions", "0", "--error", "0.1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"transactions": 0, "error": 0.1, "sample_size": 0}
    # Options before the action work too.
    assert run(["sipas", "--format", "json", "sample-size", "--transactions", "100", "--error", "0.1"]) == 0
    assert json.loads(capsys.readouterr().out)["sample_size"] == 50


def test_sample_size_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sipas", "sample-size", "--transactions", "4000"]) == 0
    out = capsys.readouterr().out
    assert "364" in out and "4.000" in out and "5%" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--transactions", "-3"], "--transactions"),
        (["--transactions", "1.5"], "--transactions"),
        (["--transactions", "10", "--error", "0"], "--error"),
        (["--transactions", "10", "--error", "1"], "--error"),
        (["--transactions", "10", "--error", "năm"], "--error"),
        ([], "Thiếu tham số --transactions"),
    ],
)
def test_sample_size_invalid(args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sipas", "sample-size", *args]) == 2
    captured = capsys.readouterr()
    assert fragment in captured.err and captured.out == ""


def test_vietnamese_number_format() -> None:
    from decimal import Decimal

    assert sipas_command.format_vi_number(Decimal("88.12")) == "88,12"
    assert sipas_command.format_vi_number(Decimal("1234.5")) == "1.234,50"
    assert sipas_command.format_vi_number(4000, 0) == "4.000"
