"""Certificates and keys: parsing CA certificates and PKCS#12 files, encrypting a PKCS#12 at rest.

The encryption key is derived (HKDF-SHA256) from ``FRIENDLYGOV_SIGNING_KEY`` in the environment; without it
nothing is encrypted or decrypted and the person is told so.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ValidationError

KEY_ENV = "FRIENDLYGOV_SIGNING_KEY"


@dataclass(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    fingerprint: str
    not_before: dt.datetime
    not_after: dt.datetime
    pem: str
    is_ca: bool


def _info(cert: x509.Certificate) -> CertInfo:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        is_ca = bool(constraints.ca)
    except x509.ExtensionNotFound:
        is_ca = False
    return CertInfo(
        subject=cert.subject.rfc4514_string()[:500],
        issuer=cert.issuer.rfc4514_string()[:500],
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        is_ca=is_ca,
    )


def parse_certificate(data: bytes, *, field: str = "file") -> CertInfo:
    """One certificate, PEM or DER; a clear message naming the field otherwise."""
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN CERTIFICATE-----" in data
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as exc:
        raise ValidationError(
            {field: "Tệp không phải chứng thư số X.509 (định dạng PEM hoặc DER)."}, code="bad_certificate"
        ) from exc
    return _info(cert)


def parse_pkcs12(data: bytes, passphrase: bytes | None, *, field: str = "file") -> CertInfo:
    """The signing certificate of a PKCS#12 file; the message says whether the file or the password is wrong."""
    try:
        key, cert, _others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as exc:
        raise ValidationError(
            {field: "Không mở được tệp PKCS#12: tệp hỏng hoặc mật khẩu (trong biến môi trường) không đúng."},
            code="bad_pkcs12",
        ) from exc
    if key is None or cert is None:
        raise ValidationError(
            {field: "Tệp PKCS#12 không có khóa bí mật và chứng thư để ký."}, code="bad_pkcs12"
        )
    return _info(cert)


def _fernet() -> Fernet:
    secret = os.environ.get(KEY_ENV, "")
    if not secret:
        raise ValidationError(
            f"Máy chủ chưa đặt biến môi trường {KEY_ENV} (khóa mã hóa chứng thư số lưu trên máy chủ); "
            "hãy báo quản trị hệ thống.",
            code="no_signing_key",
        )
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"friendlygov pkcs12 at rest"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise ValidationError(
            f"Không giải mã được chứng thư số đã lưu: khóa {KEY_ENV} đã đổi từ khi tải lên; hãy tải lại chứng thư.",
            code="bad_signing_key",
        ) from exc


def passphrase_from(env_name: str) -> bytes:
    value = os.environ.get(env_name)
    if value is None:
        raise ValidationError(
            f"Máy chủ chưa đặt biến môi trường {env_name} (mật khẩu của chứng thư số); hãy báo quản trị hệ thống.",
            code="no_passphrase",
        )
    return value.encode("utf-8")
