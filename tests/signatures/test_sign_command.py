"""`friendlygov documents sign` and `friendlygov documents verify` as docs/spec/command-line.md gives them:
options, secrets from the environment only, exit codes 0/1/2, verify's JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from friendlygov.cli import main

from .pki import Pki, make_pki, rendered_letter_docx, seal_png, signature_png, tiny_pdf

BODY = "Ủy ban nhân dân xã Thanh Miện"


@pytest.fixture
def files(pki: Pki, tmp_path: Path, monkeypatch: Any) -> dict[str, Path]:
    paths = {
        "pdf": tmp_path / "van-ban.pdf",
        "person": tmp_path / "chu-tich.p12",
        "body": tmp_path / "ubnd.p12",
        "root": tmp_path / "root.pem",
        "sig": tmp_path / "chu-ky.png",
        "seal": tmp_path / "con-dau.png",
    }
    paths["pdf"].write_bytes(tiny_pdf())
    paths["person"].write_bytes(pki.pkcs12("Nguyễn Văn Bình", BODY, b"mk-chu-tich"))
    paths["body"].write_bytes(pki.pkcs12(BODY, BODY, b"mk-ubnd"))
    paths["root"].write_bytes(pki.root_pem)
    paths["sig"].write_bytes(signature_png())
    paths["seal"].write_bytes(seal_png())
    monkeypatch.setenv("P12_PERSON", "mk-chu-tich")
    monkeypatch.setenv("P12_BODY", "mk-ubnd")
    return paths


def sign(*args: str | Path) -> int:
    return main(["documents", "sign", *(str(a) for a in args)])


def verify(capsys: Any, *args: str | Path) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["documents", "verify", *(str(a) for a in args)])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_person_then_body_then_verify_with_trust(files: dict[str, Path], tmp_path: Path, capsys: Any) -> None:
    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert (
        sign(
            "--in",
            files["pdf"],
            "--out",
            one,
            "--pkcs12",
            files["person"],
            "--password-env",
            "P12_PERSON",
            "--as",
            "person",
            "--signature-image",
            files["sig"],
            "--reason",
            "Ký ban hành",
            "--location",
            "Thanh Miện",
        )  # fmt: skip
        == 0
    )
    assert "Đã ký số" in capsys.readouterr().out
    assert (
        sign(
            "--in",
            one,
            "--out",
            two,
            "--pkcs12",
            files["body"],
            "--password-env",
            "P12_BODY",
            "--seal-image",
            files["seal"],
        )  # fmt: skip
        == 0
    )
    code, report = verify(capsys, two, "--trust", files["root"])
    assert code == 0 and report["valid"] is True
    assert [s["field"] for s in report["signatures"]] == ["Signature1", "Signature2"]
    person, body = report["signatures"]
    assert set(person) == {
        "field", "signer", "organisation", "signed_at", "intact", "valid", "trusted",
        "covers_whole_document", "modified_after",
    }  # fmt: skip
    assert (person["signer"], person["organisation"]) == ("Nguyễn Văn Bình", BODY)
    assert person["intact"] and person["valid"] and person["trusted"] and not person["modified_after"]
    assert body["covers_whole_document"] and body["signed_at"].endswith("+07:00")

    code, report = verify(capsys, two)  # no roots: valid, not trusted
    assert code == 0 and not any(s["trusted"] for s in report["signatures"])


def test_changed_byte_exits_1(files: dict[str, Path], tmp_path: Path, capsys: Any) -> None:
    signed = tmp_path / "signed.pdf"
    assert (
        sign("--in", files["pdf"], "--out", signed, "--pkcs12", files["body"], "--password-env", "P12_BODY")
        == 0
    )
    data = signed.read_bytes()
    at = data.index(b"page 1")
    signed.write_bytes(data[:at] + b"q" + data[at + 1 :])
    code, report = verify(capsys, signed, "--trust", files["root"])
    assert code == 1 and report["valid"] is False
    assert report["signatures"][0]["intact"] is False


def test_untrusted_root_exits_1(files: dict[str, Path], tmp_path: Path, capsys: Any) -> None:
    signed = tmp_path / "signed.pdf"
    assert (
        sign("--in", files["pdf"], "--out", signed, "--pkcs12", files["body"], "--password-env", "P12_BODY")
        == 0
    )
    other = tmp_path / "other.pem"
    other.write_bytes(make_pki("CA khác").root_pem)
    code, report = verify(capsys, signed, "--trust", other)
    assert code == 1 and report["signatures"][0]["trusted"] is False


def test_no_signature_exits_1(files: dict[str, Path], capsys: Any) -> None:
    assert verify(capsys, files["pdf"]) == (1, {"valid": False, "signatures": []})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--password-env", "SAI"], "Mật khẩu tệp PKCS#12 không đúng"),
        (["--password-env", "KHONG_DAT"], "biến môi trường «KHONG_DAT» chưa được đặt"),
        ([], "--password-env: cần tên biến môi trường"),
    ],
)
def test_password_problems_exit_2(
    files: dict[str, Path], tmp_path: Path, capsys: Any, monkeypatch: Any, args: list[str], message: str
) -> None:
    monkeypatch.setenv("SAI", "khong-dung")
    monkeypatch.delenv("KHONG_DAT", raising=False)
    out = tmp_path / "out.pdf"
    assert sign("--in", files["pdf"], "--out", out, "--pkcs12", files["body"], *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_bad_input_exits_2(files: dict[str, Path], tmp_path: Path, capsys: Any) -> None:
    not_pdf = tmp_path / "a.pdf"
    not_pdf.write_text("xin chào")
    key = ["--pkcs12", files["body"], "--password-env", "P12_BODY"]
    assert sign("--in", not_pdf, "--out", tmp_path / "o.pdf", *key) == 2
    assert "không phải là PDF" in capsys.readouterr().err
    assert sign("--in", tmp_path / "none.pdf", "--out", tmp_path / "o.pdf", *key) == 2
    assert "--in: không có tệp" in capsys.readouterr().err
    assert sign("--in", files["pdf"], "--out", tmp_path / "o.pdf") == 2
    assert "Cần khóa để ký" in capsys.readouterr().err
    assert sign("--in", files["pdf"], "--out", tmp_path / "no" / "o.pdf", *key) == 2
    assert "thư mục" in capsys.readouterr().err
    assert main(["documents", "verify", str(not_pdf)]) == 2
    assert "không phải là PDF" in capsys.readouterr().err
    bad_root = tmp_path / "bad.pem"
    bad_root.write_text("-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n")
    assert main(["documents", "verify", str(files["pdf"]), "--trust", str(bad_root)]) == 2
    assert "--trust: «" in capsys.readouterr().err


def test_pkcs11_token_and_wrong_pin(
    token: Any, files: dict[str, Path], tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("TOKEN_PIN", token.pin)
    monkeypatch.setenv("BAD_PIN", "111111")
    out = tmp_path / "hsm.pdf"
    common = [
        "--in",
        files["pdf"],
        "--out",
        out,
        "--pkcs11-lib",
        token.library,
        "--token-label",
        token.token_label,
    ]
    assert sign(*common, "--key-label", token.key_label, "--pin-env", "BAD_PIN") == 2
    assert f"Mã PIN của token “{token.token_label}” không đúng" in capsys.readouterr().err
    assert (
        sign(*common, "--key-label", token.key_label, "--pin-env", "TOKEN_PIN", "--seal-image", files["seal"])
        == 0
    )
    code, report = verify(capsys, out, "--trust", files["root"])
    assert code == 0 and report["signatures"][0]["signer"] == BODY


def test_secrets_are_not_options() -> None:
    """Nothing takes a password or PIN on the command line: the parser refuses --password / --pin."""
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from friendlygov.cli import main; sys.exit(main())",
         "documents", "sign", "--in", "a.pdf", "--out", "b.pdf", "--pkcs12", "x.p12", "--password", "x"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "--password" in proc.stderr


@pytest.mark.libreoffice
def test_signed_renderer_pdf_shows_seal_and_signature(
    files: dict[str, Path], tmp_path: Path, capsys: Any
) -> None:
    """The PDF from the renderer, signed by the person then by the body, rendered to PNG: the seal's red and
    the signature's blue are in the signature block's column, above the middle of the page's bottom half."""
    import shutil

    from PIL import Image

    from friendlygov.documents.pdf import docx_to_pdf, soffice_available

    if not soffice_available() or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice (soffice) or pdftoppm is not installed")
    source = tmp_path / "letter.pdf"
    source.write_bytes(docx_to_pdf(rendered_letter_docx()))
    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert sign("--in", source, "--out", one, "--pkcs12", files["person"], "--password-env", "P12_PERSON",
                "--as", "person", "--signature-image", files["sig"]) == 0  # fmt: skip
    assert sign("--in", one, "--out", two, "--pkcs12", files["body"], "--password-env", "P12_BODY",
                "--seal-image", files["seal"]) == 0  # fmt: skip
    assert verify(capsys, two, "--trust", files["root"])[0] == 0
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(two), str(tmp_path / "page")],
                   check=True, timeout=120)  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    img = Image.open(png).convert("RGB")
    w, h = img.size
    reds, blues = [], []
    for y in range(0, h, 2):
        for x in range(0, w, 2):
            r, g, b = img.getpixel((x, y))
            if r > 180 and g < 90 and b < 90:
                reds.append((x, y))
            if b > 150 and r < 90 and g < 110:
                blues.append((x, y))
    assert reds and blues
    red_x = sum(x for x, _ in reds) / len(reds)
    blue_x = sum(x for x, _ in blues) / len(blues)
    assert w * 0.4 < red_x < blue_x < w  # the seal left of the signature, both in the right-hand column
    assert all(y < h * 0.75 for _, y in reds + blues)  # at the signature block, not at the page's foot
