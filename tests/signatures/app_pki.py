"""A small PKI made in the test: a CA, an organisation certificate issued by it (PKCS#12), blank PDFs, and a
signer that plays "the provider's desktop tool" (pyHanko directly, an incremental update)."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

P12_PASSWORD = "mat-khau-p12-thu-nghiem"


@dataclass(frozen=True)
class Pki:
    ca_pem: bytes
    ca_der: bytes
    leaf_pem: bytes
    p12: bytes


def _name(common: str, org: str = "Ban Cơ yếu Chính phủ (thử nghiệm)") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_pki(common: str = "UBND xã Thanh Miện") -> Pki:
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("CA thử nghiệm")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(common, "UBND xã Thanh Miện"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"to-chuc",
        key,
        leaf,
        [ca],
        serialization.BestAvailableEncryption(P12_PASSWORD.encode()),
    )
    return Pki(
        ca_pem=ca.public_bytes(serialization.Encoding.PEM),
        ca_der=ca.public_bytes(serialization.Encoding.DER),
        leaf_pem=leaf.public_bytes(serialization.Encoding.PEM),
        p12=p12,
    )


def blank_pdf(text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_elsewhere(data: bytes, p12: bytes, field: str = "ChuKy1") -> bytes:
    """What a desktop signing tool does: a PAdES signature added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "key.p12"
        path.write_bytes(p12)
        signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=P12_PASSWORD.encode())
    assert signer is not None
    writer = IncrementalPdfFileWriter(BytesIO(data))
    out = signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name=field, subfilter=None),
        signer=signer,
    )
    return bytes(out.getvalue())
