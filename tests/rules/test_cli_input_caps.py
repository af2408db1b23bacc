"""Every file a command reads is read with a size cap: an endless input (/dev/zero, a pipe) or a file
over the limit exits 2 with one clear Vietnamese line, at once and without filling memory. And
`plan parse`/`occurrences` on a table with missing columns exits 2, as the contract says."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from friendlygov.commands import _common
from friendlygov.commands import assess as assess_command
from friendlygov.commands import plan as plan_command
from friendlygov.commands import sipas as sipas_command

ENDLESS = "/dev/zero"
needs_dev_zero = pytest.mark.skipif(not Path(ENDLESS).exists(), reason="no /dev/zero")
HEADER = "STT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp"


def run(module: Any, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="friendlygov")
    module.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    code = args.func(args)
    assert time.perf_counter() - started < 5
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(_common, "MAX_INPUT_BYTES", 1000)
    return 1000


@needs_dev_zero
@pytest.mark.parametrize(
    ("module", "argv", "label"),
    [
        (assess_command, ["assess", "--criteria", ENDLESS, "--scores", ENDLESS], "Tệp bộ tiêu chí"),
        (sipas_command, ["sipas", "--responses", ENDLESS], "Tham số --responses"),
        (sipas_command, ["sipas", "--responses", ENDLESS, "--questionnaire", ENDLESS], "--questionnaire"),
        (plan_command, ["plan", "parse", "--appendix", ENDLESS], "--appendix"),
        (
            plan_command,
            ["plan", "occurrences", "--appendix", ENDLESS, "--from", "2026", "--to", "2027"],
            "--appendix",
        ),
    ],
)
def test_an_endless_input_exits_2(
    module: Any, argv: list[str], label: str, small_cap: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(module, argv, capsys)
    assert code == 2 and out == ""
    assert label in err and "«/dev/zero» quá lớn hoặc không có điểm kết thúc" in err


def test_a_file_over_the_limit_exits_2(
    tmp_path: Path, small_cap: int, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "diem.csv"
    big.write_text("code,value\n" + "1.1,1\n" * 500, encoding="utf-8")
    criteria = tmp_path / "bo.yaml"
    criteria.write_text("format: friendlygov.criteria/1\n", encoding="utf-8")
    code, _, err = run(assess_command, ["assess", "--criteria", str(criteria), "--scores", str(big)], capsys)
    assert code == 2 and f"Tệp điểm: tệp «{big}» quá lớn" in err and "giới hạn 1000 byte" in err


def test_a_file_at_the_limit_is_read(tmp_path: Path, small_cap: int) -> None:
    exact = tmp_path / "vua.tsv"
    exact.write_bytes(b"x" * small_cap)
    assert _common.read_capped(str(exact)) == b"x" * small_cap
    exact.write_bytes(b"x" * (small_cap + 1))
    with pytest.raises(_common.InputTooLarge):
        _common.read_capped(str(exact))


def test_an_endless_pipe_exits_2(tmp_path: Path, small_cap: int, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "phu-luc.tsv"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        # the reader closing its end breaks the pipe on a write or on the close that flushes the buffer
        try:
            with open(fifo, "wb") as handle:
                while not stop.is_set():
                    handle.write(b"1\tA\tHang nam\tPhong A\t\n" * 100)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        code, _, err = run(plan_command, ["plan", "parse", "--appendix", str(fifo)], capsys)
    finally:
        stop.set()
    writer.join(timeout=5)
    assert code == 2 and "quá lớn hoặc không có điểm kết thúc" in err


@needs_dev_zero
def test_the_real_command_on_dev_zero_stops_within_a_memory_limit() -> None:
    """`friendlygov assess --criteria /dev/zero` used to read until the machine ran out of memory."""
    limit = 1024 * 1024 * 1024  # 1 GB of address space: far below "the whole machine"

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "friendlygov.cli", "assess", "--criteria", ENDLESS, "--scores", ENDLESS],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=cap_memory,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "quá lớn hoặc không có điểm kết thúc" in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------------ plan: missing columns


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("STT\tNhiệm vụ cụ thể\tCơ quan chủ trì\n1\tA\tPhòng A\n", "thiếu cột «Thời gian thực hiện»"),
        ("STT\tNhiệm vụ cụ thể\n1\tTuyên truyền\n2\tBáo cáo\n", "thiếu cột «Cơ quan chủ trì»"),
        (
            "STT\tNhiệm vụ cụ thể\tThời gian thực hiện\tCơ quan chủ trì\tGhi chú\n1\tA\tHằng năm\tPhòng A\t\n",
            "thiếu cột «Cơ quan phối hợp»",
        ),
        (
            "STT\tNhiệm vụ cụ thể\tCơ quan chủ trì\tThời gian thực hiện\tCơ quan phối hợp\n1\tA\tPhòng A\tHằng năm\t\n",
            "phải ở vị trí 3",
        ),
        ("1\tTuyên truyền\tHằng năm\n2\tBáo cáo\tHằng quý\n", "chỉ có 3 cột"),
    ],
)
@pytest.mark.parametrize("command", [["parse"], ["occurrences", "--from", "2026", "--to", "2027"]])
def test_plan_on_a_table_with_missing_columns_exits_2(
    tmp_path: Path, table: str, message: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    appendix = tmp_path / "phu-luc.tsv"
    appendix.write_text(table, encoding="utf-8")
    code, out, err = run(
        plan_command, ["plan", command[0], "--appendix", str(appendix), *command[1:]], capsys
    )
    assert code == 2 and out == ""
    assert message in err and "phu-luc.tsv" in err


def test_plan_with_every_column_still_exits_0_with_blank_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    appendix = tmp_path / "phu-luc.tsv"
    appendix.write_text(f"{HEADER}\n1\tA\tTheo tiến độ\t\t\n", encoding="utf-8")
    code, _, err = run(
        plan_command, ["plan", "parse", "--appendix", str(appendix), "--format", "json"], capsys
    )
    assert (code, err) == (0, "")
