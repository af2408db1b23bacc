"""Keys for the package tests, made here so that they depend only on the shared interface (pades.py) and not
on the other signature tests' helpers: a CA, an organisation's PKCS#12 issued by it, a blank PDF."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from friendlygov.signatures import pades

PASSWORD = b"mat-khau-goi-ho-so"
# Valid from well before the dates the tests travel to (signatures are checked at the frozen clock's time).
SINCE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Keys:
    ca_pem: bytes
    p12: bytes


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_keys(ca_name: str = "CA gói hồ sơ (thử nghiệm)") -> Keys:
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_subject = _name(ca_name, "Ban Cơ yếu Chính phủ (thử nghiệm)")
    usage = {
        "key_encipherment": False,
        "data_encipherment": False,
        "key_agreement": False,
        "encipher_only": False,
        "decipher_only": False,
    }
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(SINCE)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_cert_sign=True, crl_sign=True, **usage
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("UBND xã Thanh Miện", "UBND xã Thanh Miện"))
        .issuer_name(ca_subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(SINCE)
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(  # non-repudiation: a signature on a document
                digital_signature=True, content_commitment=True, key_cert_sign=False, crl_sign=False, **usage
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"to-chuc", key, leaf, [ca], serialization.BestAvailableEncryption(PASSWORD)
    )
    return Keys(ca.public_bytes(serialization.Encoding.PEM), p12)


def blank_pdf(title: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(data: bytes, keys: Keys) -> bytes:
    return pades.sign_pdf(
        data,
        key=pades.Pkcs12Key(keys.p12, PASSWORD),
        appearance=pades.Appearance(role="organisation", organisation="UBND xã Thanh Miện"),
    )


def pades_ready() -> bool:
    try:
        pades.verify_pdf(blank_pdf())
    except NotImplementedError:
        return False
    return True


needs_pades = pytest.mark.skipif(not pades_ready(), reason="pades.py not filled yet (branch s-pades)")
