"""PAdES signing and verification of PDFs (pyHanko), with Decree 30's visible appearance. No Django here.

The contract of this module — its names and fields — is shared by the command line (`friendlygov documents
sign|verify|verify-package`), the app's signing services and the electronic submission package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["person", "organisation"]


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
    raise NotImplementedError  # filled in by the signing work (branch s-pades)


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
        raise NotImplementedError


@dataclass(frozen=True)
class Verification:
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """At least one signature, and every one intact and valid (and trusted, when roots were given)."""
        raise NotImplementedError

    def as_json(self) -> dict[str, Any]:
        raise NotImplementedError


def verify_pdf(data: bytes, *, trust_roots: Sequence[bytes] = ()) -> Verification:
    """Every signature of ``data`` checked; ``trust_roots``: CA certificates (PEM or DER) it must chain to."""
    raise NotImplementedError
