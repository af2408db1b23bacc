"""PAdES signing and verification of PDFs (pyHanko), with Decree 30's visible appearance. No Django here.

The contract of this module — its names and fields — is shared by the command line (`friendlygov documents
sign|verify|verify-package`), the app's signing services and the electronic submission package.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers.pdf_signer import PdfSigner, PdfSigningSession
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from friendlygov.signatures import appearance as look

Role = Literal["person", "organisation"]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# pyHanko logs a failed path building (an untrusted signer) with a traceback; the result says it already.
# A NullHandler keeps Python's last-resort handler from printing it when logging is not configured.
# fontTools notes the font tables it leaves out of the embedded subset.
for _name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


class SigningError(ValueError):
    """Signing or verifying cannot go on: the message is Vietnamese, one line, safe to show (wrong password
    or PIN, no usable key, a file that is not a PDF, an unreadable trust root)."""


class NotAPdfError(SigningError):
    """The bytes given are not a PDF pyHanko can read."""


@dataclass(frozen=True)
class Pkcs12Key:
    """An organisation's or a person's certificate and key in a PKCS#12 file (.p12/.pfx)."""

    data: bytes
    passphrase: bytes | None


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a USB token or an HSM reached through a PKCS#11 module (e.g. SoftHSM2 in the tests)."""

    library: str
    token_label: str
    pin: str
    key_label: str | None = None


KeySource = Pkcs12Key | Pkcs11Key


@dataclass(frozen=True)
class Appearance:
    """What the signature looks like on the page (Decree 30, Appendix I Part II; domain brief §6).

    ``person``: the competent person's handwritten signature image (blue, transparent PNG); ``organisation``:
    the body's seal image (red, true size) overlapping about a third of the signature image on its left,
    with the body's name and the signing time (dd/mm/yyyy hh:mm:ss +07:00) in Times New Roman 10 pt. With no
    image a text appearance is drawn."""

    role: Role = "organisation"
    signature_image: bytes | None = None
    seal_image: bytes | None = None
    organisation: str = ""
    reason: str = ""
    location: str = ""


# --- signing ---------------------------------------------------------------------------------------------


def _read_pdf(data: bytes) -> PdfFileReader:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise NotAPdfError("Tệp không phải là PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018 — forces the trailer and catalogue to be read
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise NotAPdfError(f"Không đọc được tệp PDF: {exc}") from exc
    if reader.encrypted:
        raise NotAPdfError("Tệp PDF được mã hóa: không ký hoặc kiểm tra được.")
    return reader


def _pkcs12_signer(key: Pkcs12Key) -> signers.SimpleSigner:
    try:
        private_key, cert, others = pkcs12.load_key_and_certificates(key.data, key.passphrase)
    except ValueError as exc:
        raise SigningError("Mật khẩu tệp PKCS#12 không đúng hoặc tệp hỏng.") from exc
    if private_key is None or cert is None:
        raise SigningError("Tệp PKCS#12 không có khóa bí mật và chứng thư số để ký.")
    registry = SimpleCertificateStore.from_certs(
        [translate_pyca_cryptography_cert_to_asn1(c) for c in others]
    )
    return signers.SimpleSigner(
        signing_key=translate_pyca_cryptography_key_to_asn1(private_key),
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        cert_registry=registry,
    )


@contextmanager
def _pkcs11_signer(key: Pkcs11Key) -> Iterator[signers.Signer]:
    # Imported here: python-pkcs11 loads a native module, needed only for tokens.
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as p11_exc
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not os.path.isfile(key.library):
        raise SigningError(f"Không tìm thấy thư viện PKCS#11 “{key.library}”.")
    try:
        session = open_pkcs11_session(
            key.library, token_criteria=TokenCriteria(label=key.token_label), user_pin=key.pin
        )
    except (p11_exc.PinIncorrect, p11_exc.PinInvalid, p11_exc.PinLenRange) as exc:
        raise SigningError(f"Mã PIN của token “{key.token_label}” không đúng.") from exc
    except p11_exc.PinLocked as exc:
        raise SigningError(f"Token “{key.token_label}” đã bị khóa PIN.") from exc
    except p11_exc.PKCS11Error as exc:
        raise SigningError(f"Không tìm thấy token có nhãn “{key.token_label}”.") from exc
    except (OSError, RuntimeError) as exc:
        raise SigningError(f"Không mở được thư viện PKCS#11 “{key.library}”: {exc}") from exc
    try:
        label = key.key_label
        if label is None:
            keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
            if not keys:
                raise SigningError(f"Token “{key.token_label}” không có khóa bí mật để ký.")
            label = str(keys[0].label)
        else:
            found = list(
                session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: label})
            )
            if not found:
                raise SigningError(f"Token “{key.token_label}” không có khóa “{label}”.")
        certs = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}))
        if not certs:
            raise SigningError(f"Token “{key.token_label}” không có chứng thư số mang nhãn “{label}”.")
        yield PKCS11Signer(session, key_label=label, cert_label=label, other_certs_to_pull=None)
    finally:
        session.close()


@contextmanager
def _signer_for(key: KeySource) -> Iterator[signers.Signer]:
    if isinstance(key, Pkcs12Key):
        yield _pkcs12_signer(key)
    else:
        with _pkcs11_signer(key) as signer:
            yield signer


class _TimedPdfSigner(PdfSigner):
    """A PdfSigner whose signing time (the /M entry) is the one given, not the machine's clock."""

    def __init__(self, *args: Any, system_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._system_time
        return session


def _subject_attr(cert: asn1_x509.Certificate, name: str) -> str:
    value = cert.subject.native.get(name, "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value or "")


_P = ParamSpec("_P")
_R = TypeVar("_R")


def outside_event_loop(work: Callable[_P, _R]) -> Callable[_P, _R]:
    """pyHanko's sync API calls ``asyncio.run``, which refuses to start inside a running event loop (an
    async caller; Playwright's sync API in the browser tests): there the work runs in a worker thread."""

    @functools.wraps(work)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return work(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(work, *args, **kwargs).result()

    return run


def _next_field_name(reader: PdfFileReader) -> str:
    taken = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
    n = 1
    while f"Signature{n}" in taken:
        n += 1
    return f"Signature{n}"


@outside_event_loop
def sign_pdf(
    data: bytes,
    *,
    key: KeySource,
    appearance: Appearance,
    tsa_url: str | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """``data`` signed (PAdES, incremental update: earlier signatures stay valid) at the signing place the
    renderer marked, else bottom right of the last page; the signing time in Asia/Ho_Chi_Minh."""
    reader = _read_pdf(data)
    when = (now or dt.datetime.now(tz=VN_TZ)).astimezone(VN_TZ).replace(microsecond=0)
    field_name = _next_field_name(reader)
    with _signer_for(key) as signer:
        cert = signer.signing_cert
        if cert is None:
            raise SigningError("Không có chứng thư số của người ký.")
        organisation = (
            appearance.organisation
            or _subject_attr(cert, "organization_name")
            or _subject_attr(cert, "common_name")
        )
        try:
            layout = look.plan(
                data,
                role=appearance.role,
                signature_image=appearance.signature_image,
                seal_image=appearance.seal_image,
                signer_name=_subject_attr(cert, "common_name"),
                organisation=organisation,
                signed_at=when,
            )
        except look.AppearanceError as exc:
            raise SigningError(str(exc)) from exc
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=appearance.reason or None,
            location=appearance.location or None,
            name=_subject_attr(cert, "common_name") or None,
        )
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=layout.page, box=layout.box)
        pdf_signer = _TimedPdfSigner(
            meta,
            signer=signer,
            timestamper=HTTPTimeStamper(tsa_url) if tsa_url else None,
            stamp_style=layout.style,
            new_field_spec=spec,
            system_time=when,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = io.BytesIO()
        try:
            pdf_signer.sign_pdf(writer, output=out)
        except TimestampRequestError as exc:
            raise SigningError(f"Không lấy được dấu thời gian từ máy chủ TSA {tsa_url}: {exc}") from exc
        except PyhankoSigningError as exc:
            raise SigningError(f"Không ký được tệp PDF: {exc}") from exc
    return out.getvalue()


# --- verification ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """One signature as ``friendlygov documents verify`` reports it."""

    field: str
    signer: str
    organisation: str
    signed_at: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_document: bool
    modified_after: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer,
            "organisation": self.organisation,
            "signed_at": self.signed_at.astimezone(VN_TZ).isoformat() if self.signed_at else None,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "covers_whole_document": self.covers_whole_document,
            "modified_after": self.modified_after,
        }


@dataclass(frozen=True)
class Verification:
    signatures: list[SignatureCheck] = field(default_factory=list)
    # True when trust roots were given: every signature must then chain to one of them.
    trust_required: bool = False

    @property
    def valid(self) -> bool:
        """At least one signature, and every one intact and valid (and trusted, when roots were given)."""
        return bool(self.signatures) and all(
            s.intact and s.valid and (s.trusted or not self.trust_required) for s in self.signatures
        )

    def as_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "signatures": [s.as_json() for s in self.signatures]}


def load_trust_roots(blobs: Sequence[bytes]) -> list[asn1_x509.Certificate]:
    """CA certificates from PEM (one or several) or DER files; an unreadable one is a SigningError."""
    roots: list[asn1_x509.Certificate] = []
    for blob in blobs:
        try:
            if pem.detect(blob):
                found = [
                    asn1_x509.Certificate.load(der)
                    for kind, _, der in pem.unarmor(blob, multiple=True)
                    if kind == "CERTIFICATE"
                ]
            else:
                found = [asn1_x509.Certificate.load(blob)]
            for cert in found:
                cert.native  # noqa: B018 — parse now, so a broken file fails here
        except (ValueError, TypeError) as exc:
            raise SigningError("Không đọc được chứng thư gốc tin cậy (cần tệp PEM hoặc DER).") from exc
        if not found:
            raise SigningError("Tệp chứng thư gốc tin cậy không chứa chứng thư nào.")
        roots.extend(found)
    return roots


# Signing certificates issued in Vietnam carry digitalSignature and usually nonRepudiation; either will do
# (pyHanko alone asks for nonRepudiation).
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
)


@outside_event_loop
def verify_pdf(data: bytes, *, trust_roots: Sequence[bytes] = ()) -> Verification:
    """Every signature of ``data`` checked; ``trust_roots``: CA certificates (PEM or DER) it must chain to."""
    roots = load_trust_roots(trust_roots)
    reader = _read_pdf(data)
    embedded = list(reader.embedded_signatures)
    signed_revisions = {sig.signed_revision for sig in embedded}
    total_revisions = reader.xrefs.total_revisions
    checks: list[SignatureCheck] = []
    for sig in embedded:
        # Only the roots given count (never the system's); nothing is fetched (offline, as the decree's
        # verification of an original is done on the file itself).
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        cert = sig.signer_cert
        try:
            status = validate_pdf_signature(
                sig, signer_validation_context=context, key_usage_settings=_KEY_USAGE
            )
        except (SignatureValidationError, PdfError, ValueError):
            # A signature that cannot even be parsed is reported as broken, not as bad input.
            checks.append(
                SignatureCheck(
                    field=sig.field_name,
                    signer=_subject_attr(cert, "common_name"),
                    organisation=_subject_attr(cert, "organization_name"),
                    signed_at=None,
                    intact=False,
                    valid=False,
                    trusted=False,
                    covers_whole_document=False,
                    modified_after=_later_changes(sig.signed_revision, total_revisions, signed_revisions),
                )
            )
            continue
        signed_at = status.signer_reported_dt
        if signed_at is None and status.timestamp_validity is not None:
            signed_at = status.timestamp_validity.timestamp
        later_other = _later_changes(sig.signed_revision, total_revisions, signed_revisions)
        level = status.modification_level
        # A later revision that is neither a signature nor only validation data (DSS, document timestamps).
        modified_after = later_other and (level is None or level.name not in ("NONE", "LTA_UPDATES"))
        checks.append(
            SignatureCheck(
                field=sig.field_name,
                signer=_subject_attr(status.signing_cert, "common_name"),
                organisation=_subject_attr(status.signing_cert, "organization_name"),
                signed_at=signed_at.astimezone(VN_TZ) if signed_at else None,
                intact=bool(status.intact),
                valid=bool(status.intact and status.valid),
                trusted=bool(roots) and bool(status.trusted),
                covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                modified_after=modified_after,
            )
        )
    return Verification(signatures=checks, trust_required=bool(roots))


def _later_changes(revision: int, total: int, signature_revisions: set[int]) -> bool:
    """Is there a revision after ``revision`` that is not itself a signature's?"""
    return any(r not in signature_revisions for r in range(revision + 1, total))
