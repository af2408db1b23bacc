"""Test keys and files for signatures: a small CA (root → signer with O and CN), PKCS#12 files, a SoftHSM2
token, tiny PDFs and the seal / signature images (drawn with Pillow). Shared by the signature tests."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass(frozen=True)
class Pki:
    root_pem: bytes
    root_key: rsa.RSAPrivateKey
    root_cert: x509.Certificate

    def issue(self, common_name: str, organisation: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = dt.datetime.now(dt.UTC)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.root_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=400))
            .not_valid_after(now + dt.timedelta(days=3650))
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
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(self.root_key, hashes.SHA256())
        )
        return key, cert

    def pkcs12(self, common_name: str, organisation: str, password: bytes) -> bytes:
        key, cert = self.issue(common_name, organisation)
        return pkcs12.serialize_key_and_certificates(
            b"signer",
            key,
            cert,
            [self.root_cert],
            serialization.BestAvailableEncryption(password),
        )


def make_pki(name: str = "Ban Cơ yếu Chính phủ (thử nghiệm)") -> Pki:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} Root CA"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=800))
        .not_valid_after(now + dt.timedelta(days=7300))
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Pki(cert.public_bytes(serialization.Encoding.PEM), key, cert)


def tiny_pdf(text: str = "Văn bản thử nghiệm", pages: int = 1) -> bytes:
    """A small A4 PDF made with pyHanko's writer (no marker: the signature goes bottom right)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    writer = PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Times-Roman"),
            }
        )
    )
    for number in range(pages):
        ascii_text = text.encode("ascii", "replace").decode("ascii")
        stream = generic.StreamObject(
            stream_data=f"BT /F1 14 Tf 90 760 Td ({ascii_text} - page {number + 1}) Tj ET".encode("ascii")
        )
        page = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Page"),
                generic.pdf_name("/MediaBox"): generic.ArrayObject(
                    [
                        generic.NumberObject(0),
                        generic.NumberObject(0),
                        generic.FloatObject(595.28),
                        generic.FloatObject(841.89),
                    ]
                ),
                generic.pdf_name("/Resources"): generic.DictionaryObject(
                    {
                        generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font}),
                    }
                ),
                generic.pdf_name("/Contents"): writer.add_object(stream),
            }
        )
        writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seal_png(diameter_px: int = 472, dpi: int = 300) -> bytes:
    """A red round seal on a transparent ground, 40 mm across at 300 dpi."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (diameter_px, diameter_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red = (220, 20, 30, 235)
    d = diameter_px
    draw.ellipse((4, 4, d - 4, d - 4), outline=red, width=14)
    draw.ellipse((40, 40, d - 40, d - 40), outline=red, width=5)
    draw.regular_polygon((d / 2, d / 2, d * 0.2), 5, rotation=-90, fill=red)
    for i in range(24):
        import math

        a = 2 * math.pi * i / 24
        r = d / 2 - 27
        cx, cy = d / 2 + r * math.cos(a), d / 2 + r * math.sin(a)
        draw.ellipse((cx - 6, cy - 6, cx + 6, cy + 6), fill=red)
    out = io.BytesIO()
    img.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def signature_png() -> bytes:
    """A blue scribble on a transparent ground (the handwritten signature image)."""
    import math

    from PIL import Image, ImageDraw

    w, h = 600, 260
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    blue = (20, 40, 190, 255)
    points = [
        (40 + t * 5, 140 + 70 * math.sin(t / 6.0) * math.exp(-t / 140) + 20 * math.sin(t / 1.7))
        for t in range(0, 105)
    ]
    draw.line(points, fill=blue, width=7, joint="curve")
    draw.line([(90, 200), (520, 170)], fill=blue, width=5)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def softhsm_available() -> str | None:
    """None when SoftHSM2 can be used; otherwise the reason to skip."""
    if shutil.which("softhsm2-util") is None:
        return "softhsm2-util is not installed (Debian package softhsm2)"
    if not os.path.exists(SOFTHSM_LIB):
        return f"{SOFTHSM_LIB} is absent (Debian package softhsm2)"
    return None


def softhsm_token(
    tmp: Path, *, pki: Pki, label: str, pin: str, key_label: str, common_name: str, organisation: str
) -> dict[str, str]:
    """Initialise a SoftHSM2 token in ``tmp`` holding a key and its certificate; returns the environment
    (SOFTHSM2_CONF) to use it. The caller sets it in os.environ before loading the module."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key

    tokens = tmp / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = tmp / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "12345678", "--pin", pin],
        env=env,
        check=True,
        capture_output=True,
    )
    key, cert = pki.issue(common_name, organisation)
    os.environ["SOFTHSM2_CONF"] = str(conf)
    lib = pkcs11.lib(SOFTHSM_LIB)
    lib.reinitialize()
    token = lib.get_token(token_label=label)
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    with token.open(rw=True, user_pin=pin) as session:
        attrs = decode_rsa_private_key(der_key)
        attrs.update(
            {
                Attribute.LABEL: key_label,
                Attribute.ID: b"\x01",
                Attribute.TOKEN: True,
                Attribute.SIGN: True,
                Attribute.PRIVATE: True,
                Attribute.SENSITIVE: True,
            }
        )
        session.create_object(attrs)
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                Attribute.LABEL: key_label,
                Attribute.ID: b"\x01",
                Attribute.TOKEN: True,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return {"SOFTHSM2_CONF": str(conf)}
