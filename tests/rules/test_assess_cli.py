"""`friendlygov assess` on a parser holding only this command (the other command modules are separate)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from friendlygov.commands import assess as assess_command

SET_YAML = """\
format: friendlygov.criteria/1
code: HD-2024
version: 1
name: Bộ tiêu chí thử
scale: 100
bonus_cap: 5
criteria:
  - code: "1"
    name: Công khai, minh bạch
    max_points: 20
    min_share: 0.5
    children:
      - code: "1.1"
        name: Điểm tự chấm
        max_points: 5
      - code: "1.2"
        name: Hồ sơ đúng hạn
        max_points: 5
        input: ratio
        target: 0.9
      - code: "1.3"
        name: Khẩu hiệu
        max_points: 6
        input: checklist
        items: [cổng, khuôn viên, trung tâm]
      - code: "1.4"
        name: Niêm yết
        max_points: 4
        input: boolean
  - code: "2"
    name: Nhóm hai
    max_points: 80
  - code: "B"
    name: Sáng kiến, mô hình mới
    max_points: 5
    bonus: true
conditions:
  - code: K1
    name: Không có lãnh đạo bị kỷ luật
    required: true
levels:
  - {code: "1", name: Mức độ 1, min_total: 80}
  - {code: "2", name: Mức độ 2, min_total: 85}
  - {code: "3", name: Mức độ 3, min_total: 90, min_share: 0.6}
  - {code: "4", name: Mức độ 4, min_total: 95}
"""

SCORES = '\ufeffcode,value\n1.1,"4,5"\n1.2,45/50\n1.3,3\n1.4,Có\n2,75\nB,7%\nK1,đạt\n'


def run(argv: list[str]) -> int:
    """Mirror of ``friendlygov.cli.main`` with only the assess module registered."""
    parser = argparse.ArgumentParser(prog="friendlygov")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    assess_command.register(subparsers)
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra", False):
        parser.error("tham số không hợp lệ: " + " ".join(extra))
    return int(args.func(args) or 0)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    criteria = tmp_path / "set.yaml"
    criteria.write_text(SET_YAML, encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_bytes(SCORES.replace("B,7%", "B,2").encode("utf-8"))
    return criteria, scores


def test_json_result(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    criteria, scores = files
    scores.write_text(
        SCORES.replace("B,7%\n", "B,2\n").replace("1.2,45/50", "1.2,40/50").replace("2,75", "2,72")
    )
    # 1: 4.5 + 4.444… + 6 + 4 = 18.944… ; total 18.944… + 72 + 2 = 92.944… → 92.94
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores), "--format", "json"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    data = json.loads(out.out)
    assert data == {
        "criteria_set": "HD-2024",
        "version": 1,
        "total": 92.94,
        "bonus": 2.0,
        "achieved": True,
        "level": {"code": "3", "name": "Mức độ 3"},
        "criteria": [
            {
                "code": "1",
                "points": 18.94,
                "max_points": 20,
                "children": [
                    {"code": "1.1", "points": 4.5, "max_points": 5, "children": []},
                    {"code": "1.2", "points": 4.44, "max_points": 5, "children": []},
                    {"code": "1.3", "points": 6.0, "max_points": 6, "children": []},
                    {"code": "1.4", "points": 4.0, "max_points": 4, "children": []},
                ],
            },
            {"code": "2", "points": 72.0, "max_points": 80, "children": []},
            {"code": "B", "points": 2.0, "max_points": 5, "children": []},
        ],
        "failed_gates": [],
        "level_limits": [{"code": "4", "reason": data["level_limits"][0]["reason"]}],
        "missing": [],
    }
    assert "95" in data["level_limits"][0]["reason"] and "92,94" in data["level_limits"][0]["reason"]


def test_not_achieved_still_exits_0(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    criteria, scores = files
    scores.write_text("code,value\n1.1,2\n2,80\nK1,không\n", encoding="utf-8")
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["achieved"] is False and data["level"] is None
    assert [g["code"] for g in data["failed_gates"]] == ["K1", "1"]
    assert data["missing"] == ["1.2", "1.3", "1.4", "B"]


def test_text_summary_in_vietnamese(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    criteria, scores = files
    scores.write_text('code,value\n1.1,"4,5"\n1.2,100%\n1.3,3\n1.4,x\n2,78\nB,2\nK1,1\n', encoding="utf-8")
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores)]) == 0
    out = capsys.readouterr().out
    assert "Tổng điểm: 99,5/100" in out
    assert "ĐẠT CHUẨN — Mức độ 4" in out
    assert "1.1. Điểm tự chấm: 4,5/5 (mất 0,5)" in out
    assert "2 điểm thưởng" in out
    assert "Mất nhiều điểm nhất ở:" in out


def test_text_summary_not_achieved(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    criteria, scores = files
    scores.write_text("code,value\n1.1,5\n2,80\n", encoding="utf-8")
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "CHƯA ĐẠT CHUẨN" in out
    assert "Điều kiện, ngưỡng không đạt:" in out and '"K1"' in out
    assert "Tiêu chí chưa có giá trị (tính 0 điểm): 1.2, 1.3, 1.4, B" in out


def test_invalid_scores_exit_2_with_every_problem(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    criteria, scores = files
    scores.write_text("code,value\n1.1,6\n1.3,4\n9,1\n1,3\n2,1\n2,2\n1.2,abc\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores), "--format", "json"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert len(lines) == 6, lines
    assert all(line.startswith(f"{scores}: Dòng ") for line in lines)
    for fragment in (
        'Dòng 2, mã "1.1": điểm 6 vượt quá điểm tối đa 5',
        'Dòng 3, mã "1.3"',
        'Dòng 4, mã "9"',
        'Dòng 5, mã "1"',
        'Dòng 7, mã "2": trùng với dòng 6',
        'Dòng 8, mã "1.2"',
    ):
        assert fragment in out.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_invalid_criteria_exit_2(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    criteria, scores = files
    criteria.write_text(
        SET_YAML.replace("scale: 100", "scale: 90").replace('code: "2"', "code: 2"), encoding="utf-8"
    )
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores)]) == 2
    err = capsys.readouterr().err
    assert "dấu nháy" in err and "(dòng 30)" in err
    assert all(line.startswith(f"{criteria}: ") for line in err.strip().splitlines())


def test_yaml_syntax_error_exit_2(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    criteria, scores = files
    criteria.write_text("format: [friendlygov\n", encoding="utf-8")
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores)]) == 2
    assert "Tệp YAML không đọc được (dòng" in capsys.readouterr().err


def test_missing_and_undecodable_files_exit_2(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    criteria, _ = files
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,value\n1.1,có\n".encode("cp1258"))
    assert run(["assess", "--criteria", str(tmp_path / "none.yaml"), "--scores", str(latin)]) == 2
    err = capsys.readouterr().err
    assert "none.yaml: không tìm thấy tệp bộ tiêu chí." in err
    assert "latin.csv: tệp điểm không phải văn bản UTF-8" in err
    assert run(["assess", "--criteria", str(criteria), "--scores", str(tmp_path)]) == 2
    assert "là một thư mục" in capsys.readouterr().err


def test_bundled_template_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import resources

    path = resources.files("friendlygov.rules").joinpath("criteria_sets", "hai-phong-provisional.yaml")
    criteria = tmp_path / "hp.yaml"
    criteria.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_text('code,value\n1.2,"85,6%"\n3.2,92.67%\n3.1,13\nK1,đạt\n', encoding="utf-8")
    assert run(["assess", "--criteria", str(criteria), "--scores", str(scores), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["criteria_set"] == "HP-5049-TAM"
    assert data["total"] == 22.85  # 8 × 0.856 = 6.848, 8 × min(1, 0.9267 ÷ 0.9) = 8, 8
    assert data["achieved"] is False and data["failed_gates"] == []


def test_register_sets_defaults() -> None:
    parser = argparse.ArgumentParser()
    assess_command.register(parser.add_subparsers())
    args = parser.parse_args(["assess", "--criteria", "a.yaml", "--scores", "b.csv"])
    assert args.format == "text" and args.func is assess_command.run
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["assess", "--criteria", "a.yaml"])
    assert info.value.code == 2
