"""`friendlygov documents sign` and `friendlygov documents verify`: PAdES signatures on PDFs (no database).

    friendlygov documents sign --in F.pdf --out G.pdf (--pkcs12 F.p12 --password-env VAR
        | --pkcs11-lib LIB.so --token-label L [--key-label K] --pin-env VAR)
        [--reason TEXT] [--location TEXT] [--signature-image F.png] [--seal-image F.png]
        [--as person|organisation] [--tsa URL]
    friendlygov documents verify F.pdf [--trust CA.pem ...]

Passwords and PINs are read only from the environment variables named. `sign` exits 0, or 2 with one clear
line (not a PDF, wrong password or PIN, no usable key); `verify` prints JSON and exits 0 when every
signature is intact and valid (and trusted, when roots are given), 1 when not or when there is none, 2 on
bad input. The work is done by `friendlygov.signatures.pades`.
"""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path
from typing import Any

from friendlygov.commands._common import (
    InputError,
    InputTooLarge,
    print_json,
    read_capped,
    report_input_error,
)

# pyHanko imports cryptography's DSA types (never used here), which cryptography marks deprecated: keep the
# warning out of the command's output.
warnings.filterwarnings("ignore", message="DSA is deprecated")


def register_actions(actions: Any) -> None:
    """Adds `sign` and `verify` to the `documents` command's actions."""
    # allow_abbrev=False: "--password x" must not pass for "--password-env x" (no secret on the command line).
    sign = actions.add_parser(
        "sign",
        allow_abbrev=False,
        help="Ký số tệp PDF (PAdES) bằng tệp PKCS#12 hoặc token/HSM PKCS#11",
        description="Ký số tệp PDF theo chuẩn PAdES, hiển thị chữ ký theo Nghị định 30/2020/NĐ-CP. Mật khẩu và "
        "mã PIN chỉ đọc từ biến môi trường.",
    )
    sign.add_argument("--in", dest="source", required=True, metavar="F.pdf", help="tệp PDF cần ký")
    sign.add_argument("--out", required=True, metavar="G.pdf", help="tệp PDF đã ký sẽ ghi ra")
    sign.add_argument("--pkcs12", metavar="F.p12", help="tệp chứng thư số và khóa PKCS#12 (.p12/.pfx)")
    sign.add_argument("--password-env", metavar="VAR", help="tên biến môi trường chứa mật khẩu tệp PKCS#12")
    sign.add_argument("--pkcs11-lib", metavar="LIB.so", help="thư viện PKCS#11 của token/HSM")
    sign.add_argument("--token-label", metavar="L", help="nhãn của token")
    sign.add_argument("--key-label", metavar="K", help="nhãn của khóa trên token (mặc định: khóa đầu tiên)")
    sign.add_argument("--pin-env", metavar="VAR", help="tên biến môi trường chứa mã PIN của token")
    sign.add_argument("--reason", default="", metavar="TEXT", help="lý do ký")
    sign.add_argument("--location", default="", metavar="TEXT", help="nơi ký")
    sign.add_argument("--signature-image", metavar="F.png", help="ảnh chữ ký (PNG nền trong suốt, màu xanh)")
    sign.add_argument("--seal-image", metavar="F.png", help="ảnh con dấu (PNG nền trong suốt, màu đỏ)")
    sign.add_argument(
        "--as",
        dest="role",
        choices=("person", "organisation"),
        default="organisation",
        help="ký với tư cách người có thẩm quyền (person) hay cơ quan, tổ chức (organisation, mặc định)",
    )
    sign.add_argument("--tsa", metavar="URL", help="máy chủ dấu thời gian RFC 3161")
    sign.set_defaults(func=run_sign)

    verify = actions.add_parser(
        "verify",
        allow_abbrev=False,
        help="Kiểm tra chữ ký số trong tệp PDF (in JSON)",
        description="Kiểm tra mọi chữ ký số trong tệp PDF: còn nguyên vẹn, hợp lệ, và — khi có --trust — "
        "thuộc chuỗi tin cậy của chứng thư gốc đã cho.",
    )
    verify.add_argument("file", metavar="F.pdf", help="tệp PDF cần kiểm tra")
    verify.add_argument(
        "--trust", action="append", default=[], metavar="CA.pem", help="chứng thư gốc tin cậy (PEM hoặc DER)"
    )
    verify.set_defaults(func=run_verify)


def _read(path: str, label: str) -> bytes:
    try:
        return read_capped(path)
    except InputTooLarge as exc:
        raise InputError(exc.message(label)) from None
    except FileNotFoundError:
        raise InputError(f"{label}: không có tệp «{path}».") from None
    except OSError as exc:
        raise InputError(f"{label}: không đọc được tệp «{path}» ({exc.strerror or exc}).") from None


def _secret(var: str | None, option: str) -> str:
    if not var:
        raise InputError(
            f"{option}: cần tên biến môi trường chứa bí mật (không nhận mật khẩu trên dòng lệnh)."
        )
    value = os.environ.get(var)
    if value is None:
        raise InputError(f"{option}: biến môi trường «{var}» chưa được đặt.")
    return value


def _key(args: argparse.Namespace) -> Any:
    from friendlygov.signatures.pades import Pkcs11Key, Pkcs12Key

    if args.pkcs12 and args.pkcs11_lib:
        raise InputError("Chỉ dùng một trong --pkcs12 hoặc --pkcs11-lib.")
    if args.pkcs12:
        password = _secret(args.password_env, "--password-env")
        return Pkcs12Key(_read(args.pkcs12, "--pkcs12"), password.encode("utf-8") or None)
    if args.pkcs11_lib:
        if not args.token_label:
            raise InputError("--token-label: cần nhãn của token khi ký bằng --pkcs11-lib.")
        pin = _secret(args.pin_env, "--pin-env")
        return Pkcs11Key(args.pkcs11_lib, args.token_label, pin, args.key_label or None)
    raise InputError(
        "Cần khóa để ký: --pkcs12 F.p12 --password-env VAR hoặc --pkcs11-lib LIB.so --token-label L --pin-env VAR."
    )


def _out(text: str) -> Path:
    path = Path(text)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--out: thư mục «{folder}» không tồn tại.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"--out: không ghi được vào «{text}» (không có quyền ghi).")
    return path


def run_sign(args: argparse.Namespace) -> int:
    from friendlygov.signatures.pades import Appearance, SigningError, sign_pdf

    try:
        out = _out(args.out)
        data = _read(args.source, "--in")
        key = _key(args)
        appearance = Appearance(
            role=args.role,
            signature_image=_read(args.signature_image, "--signature-image")
            if args.signature_image
            else None,
            seal_image=_read(args.seal_image, "--seal-image") if args.seal_image else None,
            reason=args.reason.strip(),
            location=args.location.strip(),
        )
        try:
            signed = sign_pdf(data, key=key, appearance=appearance, tsa_url=args.tsa or None)
        except SigningError as exc:
            raise InputError(str(exc)) from None
    except InputError as error:
        return report_input_error(error)
    out.write_bytes(signed)
    print(f"Đã ký số tệp {args.source} và ghi vào {out}.")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from friendlygov.signatures.pades import SigningError, load_trust_roots, verify_pdf

    try:
        data = _read(args.file, "F.pdf")
        roots = [_read(path, "--trust") for path in args.trust]
        for path, root in zip(args.trust, roots, strict=True):
            try:
                load_trust_roots([root])
            except SigningError as exc:
                raise InputError(f"--trust: «{path}»: {exc}") from None
        try:
            result = verify_pdf(data, trust_roots=roots)
        except SigningError as exc:
            raise InputError(str(exc)) from None
    except InputError as error:
        return report_input_error(error)
    print_json(result.as_json())
    return 0 if result.valid else 1
