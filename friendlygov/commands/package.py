"""`friendlygov documents verify-package F.zip [--trust CA.pem ...]`: a submission package checked offline.

Prints JSON like `documents verify` for each file, plus ``manifest_ok``. Exit 0 when the manifest is right and
every PDF's signatures are intact and valid (and trusted, when roots are given); 1 when not; 2 on bad input
(not a package, an unreadable trust file). Needs no database.
"""

from __future__ import annotations

import argparse
from typing import Any

from friendlygov.commands._common import (
    InputError,
    InputTooLarge,
    print_json,
    read_capped,
    report_input_error,
)

MAX_PACKAGE_BYTES = 512 * 1024 * 1024
MAX_ROOT_BYTES = 1024 * 1024


def register_actions(actions: Any) -> None:
    """Adds ``verify-package`` to the ``documents`` command's actions."""
    parser = actions.add_parser(
        "verify-package", help="Kiểm tra gói hồ sơ điện tử (.zip): manifest, mã SHA-256 và chữ ký số từng tệp"
    )
    parser.add_argument("package", metavar="F.zip", help="gói hồ sơ điện tử gửi thành phố")
    parser.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="CA.pem",
        help="chứng thư gốc tin cậy (PEM hoặc DER); có thể nhắc lại",
    )
    parser.set_defaults(func=run_verify_package)


def _read(path: str, label: str, limit: int) -> bytes:
    try:
        return read_capped(path, limit)
    except InputTooLarge as exc:
        raise InputError(exc.message(label)) from None
    except OSError as exc:
        raise InputError(f"{label}: không đọc được tệp «{path}» ({exc.strerror or exc}).") from None


def run_verify_package(args: argparse.Namespace) -> int:
    from friendlygov.signatures import pades
    from friendlygov.signatures.package import PackageFormatError, verify_package

    try:
        data = _read(args.package, "F.zip", MAX_PACKAGE_BYTES)
        roots = [_read(path, "--trust", MAX_ROOT_BYTES) for path in args.trust]
        try:
            result = verify_package(data, trust_roots=roots)
        except PackageFormatError as exc:
            raise InputError(f"F.zip: {exc}") from None
        except pades.SigningError as exc:
            raise InputError(str(exc)) from None
    except InputError as error:
        return report_input_error(error)
    print_json(result)
    return 0 if result["valid"] else 1
